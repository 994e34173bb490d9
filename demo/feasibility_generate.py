"""Demo of the market analysis and the feasibility of the demo plan: a segment per demo
region and per main product category, their competitors and customer needs, and one
ordered-revenue target per region from the current month to the end of the year, East
China within its market potential, South China far above it. Feasibility is then computed
on every demo target.

Called from ``demo/feasibility_demo.xml`` after the plan of the current year exists.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, models

from .generate import MODULE, PLAN_XMLID, _month_start

#: region xml id -> (our share last year %, expected share %, target / potential of the rest of the year)
REGIONS = {"demo_region_east": (8.0, 9.0, 0.9), "demo_region_south": (6.0, 7.0, 1.35)}
#: category xml id -> (market size, growth %, share last year %, expected share %)
CATEGORIES = {"demo_categ_sensors": (4_000_000, 12.0, 3.0, 3.5), "demo_categ_drives": (6_500_000, 4.0, 2.0, 2.2)}


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_feasibility_demo(self):
        """Market analysis and region targets of the demo plan, then the feasibility of every
        target (once: nothing happens if the plan already has market segments)."""
        plan = self.env.ref(PLAN_XMLID, raise_if_not_found=False)
        if not plan or plan.market_segment_ids:
            return False
        company = plan.company_id
        today = company._sales_target_today()
        kpi = self.env.ref(f"{MODULE}.kpi_ordered_revenue")
        Target = self.env["sales.target"]
        # the last twelve months of each region, as the engine measures them
        regions = {xmlid: self.env.ref(f"{MODULE}.{xmlid}") for xmlid in REGIONS}
        past = Target._measure_specs([{
            "id": xmlid, "kpi_id": kpi.id, "company_id": company.id, "date_from": today - relativedelta(years=1),
            "date_to": today - relativedelta(days=1), "region_id": region.id, "customer_type": False,
        } for xmlid, region in regions.items()])
        segments = self.env["sales.target.market.segment"]
        start = _month_start(today)
        days = (plan.date_to - start).days + 1
        targets = []
        for xmlid, (share, expected, factor) in REGIONS.items():
            size = round(past.get(xmlid, 0.0) / share * 100, -4) or 1_000_000
            segment = segments.create({
                "plan_id": plan.id, "region_id": regions[xmlid].id, "market_size": size, "growth_rate": 6.0,
                "share_last_year": share, "expected_share": expected,
                "note": "Factory automation spending of the region's manufacturers (industry association "
                        "figures), our sales over the last twelve months against it.",
            })
            potential = size * expected / 100 * days / 365
            targets.append({"plan_id": plan.id, "kpi_id": kpi.id, "region_id": regions[xmlid].id,
                            "date_from": start, "date_to": plan.date_to,
                            "target_value": round(potential * factor, -2)})
            segments |= segment
        for xmlid, (size, growth, share, expected) in CATEGORIES.items():
            segments |= segments.create({
                "plan_id": plan.id, "product_categ_id": self.env.ref(f"{MODULE}.{xmlid}").id,
                "market_size": size, "growth_rate": growth, "share_last_year": share, "expected_share": expected,
            })
        east, south, sensors, drives = segments
        self.env["sales.target.competitor"].create([
            {"plan_id": plan.id, "name": "Huichuan Automation", "segment_id": east.id, "share": 18.0,
             "price_position": "lower", "strengths": "Drives and PLCs at low prices; large service network.",
             "weaknesses": "Little application engineering for special machines."},
            {"plan_id": plan.id, "name": "Siemens", "segment_id": south.id, "share": 25.0, "price_position": "higher",
             "strengths": "Brand and complete portfolio.", "weaknesses": "Long delivery times; rigid pricing."},
            {"plan_id": plan.id, "name": "Omron", "segment_id": sensors.id, "share": 15.0, "price_position": "similar",
             "strengths": "Vision sensors, strong distributors.", "weaknesses": "Few local engineers."},
            {"plan_id": plan.id, "name": "Delta Electronics", "segment_id": drives.id, "share": 12.0,
             "price_position": "lower", "strengths": "Price and energy-saving drives.",
             "weaknesses": "Limited commissioning support."},
        ])
        self.env["sales.target.customer.need"].create([
            {"plan_id": plan.id, "segment_id": east.id, "level": "basic",
             "note": "Reliable controllers and drives delivered from stock."},
            {"plan_id": plan.id, "segment_id": east.id, "level": "functional",
             "note": "Less downtime on packaging and textile lines."},
            {"plan_id": plan.id, "segment_id": south.id, "level": "customised",
             "note": "Retrofits of ageing molding and ceramics lines, engineered per plant."},
            {"plan_id": plan.id, "segment_id": sensors.id, "level": "value_added",
             "note": "Vision inspection set up and tuned on site, with training of the operators."},
        ])
        # the plan is published: the demo (superuser) adds the region targets as its authors would
        # have before publishing
        # measured at once, as the hourly refresh would: a demo never shows a running target at 0
        Target.create(targets)._refresh_actuals()
        Target.search([("company_id", "=", company.id)])._compute_feasibility()
        return True
