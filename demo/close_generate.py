"""Demo of a closed period: last month's plan of the demo salespeople, closed (snapshot version
1), reopened for a late credit note and closed again (version 2).

Called from ``demo/close_demo.xml`` after ``demo/demo.xml`` generated the history and the plan
of the current year.
"""

from odoo import api, models

from .generate import MODULE, PLAN_XMLID, _month_end, _month_start

CLOSED_PLAN_XMLID = f"{MODULE}.demo_sales_plan_closed_month"


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_close_demo(self):
        """Last month's plan, with the salespeople's ordered-revenue targets of the year plan,
        closed twice (once nothing happens if it exists)."""
        if self.env.ref(CLOSED_PLAN_XMLID, raise_if_not_found=False):
            return False
        year_plan = self.env.ref(PLAN_XMLID, raise_if_not_found=False)
        if not year_plan:
            return False
        company = year_plan.company_id
        start = _month_start(company._sales_target_today(), -1)
        end = _month_end(start)
        sources = year_plan.target_ids.filtered(lambda t: t.user_id and t.date_from == start)
        in_year = year_plan.date_from <= start
        plan = self.env["sales.target.plan"].with_company(company).create({
            "name": f"Sales Plan {start:%Y-%m} – China Regions (closed)", "company_id": company.id,
            "horizon": "short", "date_from": start, "date_to": end,
            "parent_id": year_plan.id if in_year else False, "user_id": year_plan.user_id.id,
            "description": "<p>Last month's targets of the salespeople, closed: the snapshot keeps "
                           "their figures whatever is booked later in the month.</p>",
        })
        kpi = self.env.ref(f"{MODULE}.kpi_ordered_revenue")
        self.env["sales.target"].create([{
            "plan_id": plan.id, "kpi_id": kpi.id, "date_from": start, "date_to": end,
            "team_id": target.team_id.id, "user_id": target.user_id.id,
            "target_value": target.target_value or 10000.0,
        } for target in sources] or [{
            "plan_id": plan.id, "kpi_id": kpi.id, "date_from": start, "date_to": end, "target_value": 100000.0,
        }])
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()
        plan.action_close()
        plan.action_reopen("A credit note of the last day was booked after the close.")
        plan.action_close()
        self.env["ir.model.data"]._update_xmlids([{"xml_id": CLOSED_PLAN_XMLID, "record": plan, "noupdate": True}])
        return plan.id
