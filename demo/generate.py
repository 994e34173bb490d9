"""Demo history generator: twelve months of sales for the two regional demo teams, and the
published plan of the current year with targets set from that history.

Called once from ``demo/demo.xml`` at install. Everything is drawn from a seeded
``random.Random`` so that two installs on the same day produce the same documents; dates are
relative to the install day, so that the plan of the current year always has past months
with real actuals and a current month under way.

The current month's targets are set from each salesperson's volume so far, extrapolated to
the whole month and multiplied by a per-person factor: below 1 the person is ahead of the
linear pace (on track or achieved), above 1 behind it (at risk or off track).
"""

import calendar
import logging
import random
import time
from collections import defaultdict
from datetime import datetime
from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

SEED = 18
MODULE = "crm_sales_target"
PLAN_XMLID = f"{MODULE}.demo_sales_plan"

#: salesperson xml id -> (team key, orders per month (min, max), size of the orders, target factor)
#: target factor: the current month's target is the person's pace so far times this factor;
#: 0.75 -> 133 % of the expected value (on track), 1.12 -> 89 % (at risk), 1.3 -> 77 % (off track)
REPS = {
    "demo_user_east_leader": ("east", (1, 3), 1.2, 0.85),
    "demo_user_east_rep1": ("east", (2, 3), 1.4, 0.75),
    "demo_user_east_rep2": ("east", (2, 3), 1.2, 1.30),
    "demo_user_south_leader": ("south", (1, 3), 1.2, 0.90),
    "demo_user_south_rep1": ("south", (2, 3), 1.3, 1.12),
    "demo_user_south_rep2": ("south", (2, 3), 1.0, 1.40),
}
#: team key -> (team xml id, factor of its monthly invoiced-revenue target)
TEAMS = {"east": ("demo_team_east", 0.90), "south": ("demo_team_south", 1.15)}

#: customers: (name, city, province xml id, team key)
CUSTOMERS = [
    ("Shanghai Pudong Precision Machinery Co., Ltd.", "Shanghai", "base.state_cn_SH", "east"),
    ("Shanghai Jiading Auto Parts Co., Ltd.", "Shanghai", "base.state_cn_SH", "east"),
    ("Suzhou Industrial Park Electronics Co., Ltd.", "Suzhou", "base.state_cn_JS", "east"),
    ("Nanjing Yangtze Packaging Co., Ltd.", "Nanjing", "base.state_cn_JS", "east"),
    ("Wuxi Taihu Textile Machinery Co., Ltd.", "Wuxi", "base.state_cn_JS", "east"),
    ("Changzhou New Energy Equipment Co., Ltd.", "Changzhou", "base.state_cn_JS", "east"),
    ("Hangzhou West Lake Food Processing Co., Ltd.", "Hangzhou", "base.state_cn_ZJ", "east"),
    ("Ningbo Harbour Plastics Co., Ltd.", "Ningbo", "base.state_cn_ZJ", "east"),
    ("Wenzhou Valve & Pump Co., Ltd.", "Wenzhou", "base.state_cn_ZJ", "east"),
    ("Shenzhen Bay Smart Devices Co., Ltd.", "Shenzhen", "base.state_cn_GD", "south"),
    ("Guangzhou Pearl River Beverage Co., Ltd.", "Guangzhou", "base.state_cn_GD", "south"),
    ("Dongguan Songshan Lake Molding Co., Ltd.", "Dongguan", "base.state_cn_GD", "south"),
    ("Foshan Ceramics Automation Co., Ltd.", "Foshan", "base.state_cn_GD", "south"),
    ("Xiamen Harbour Logistics Equipment Co., Ltd.", "Xiamen", "base.state_cn_FJ", "south"),
    ("Fuzhou Minjiang Paper Co., Ltd.", "Fuzhou", "base.state_cn_FJ", "south"),
    ("Quanzhou Footwear Machinery Co., Ltd.", "Quanzhou", "base.state_cn_FJ", "south"),
    ("Nanning Sugar Refinery Co., Ltd.", "Nanning", "base.state_cn_GX", "south"),
    ("Liuzhou Automotive Components Co., Ltd.", "Liuzhou", "base.state_cn_GX", "south"),
]

#: product xml id -> (quantity range, weight in the basket)
PRODUCTS = {
    "demo_product_plc_compact": ((1, 6), 5),
    "demo_product_plc_modular": ((1, 2), 2),
    "demo_product_hmi": ((1, 6), 4),
    "demo_product_vfd": ((1, 5), 4),
    "demo_product_servo": ((1, 4), 3),
    "demo_product_sensor_prox": ((10, 80), 5),
    "demo_product_sensor_vision": ((1, 4), 3),
    "demo_product_commissioning": ((1, 5), 3),
    "demo_product_support": ((1, 1), 1),
}

#: trades of the prospects behind fresh leads
PROSPECTS = ("Metalworks", "Packaging", "Electronics", "Food Machinery", "Logistics", "Pharma Equipment")

#: sales seasonality by calendar month (Chinese New Year slows February down)
SEASON = {1: 0.9, 2: 0.6, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.1, 7: 0.95, 8: 0.95, 9: 1.1, 10: 0.85, 11: 1.15, 12: 1.2}

#: context for bulk creation: no chatter, no tracking, no notification mails
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True,
         "mail_notrack": True, "mail_auto_subscribe_no_notify": True, "no_reset_password": True}


def _month_start(day, shift=0):
    """First day of the month ``shift`` months after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + shift
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _round(value, step):
    return max(step, round(value / step) * step)


class SalesTargetDemo(models.AbstractModel):
    _name = "sales.target.demo"
    _description = "Sales Targets: demo data generator"

    @api.model
    def _generate_demo_data(self, seed=SEED):
        """Generate the demo history and the demo plan (once: nothing happens if the plan exists)."""
        if self.env.ref(PLAN_XMLID, raise_if_not_found=False):
            return False
        started = time.perf_counter()
        company = self.env.ref("base.main_company")
        demo = self.with_company(company).with_context(**QUIET)
        rng = random.Random(seed)
        now = fields.Datetime.now()
        # documents are dated in UTC: never after now, even where the local day is ahead
        today = min(fields.Date.context_today(demo), now.date())

        partners = demo._demo_customers()
        orders = demo._demo_orders(rng, partners, today, now)
        invoices = demo._demo_invoices(rng, orders, today)
        leads = demo._demo_pipeline(rng, partners, orders, today, now)
        plan = demo._demo_plan(rng, orders, invoices, today)
        _logger.info(
            "crm_sales_target demo: %d orders, %d invoices and credit notes, %d leads, plan %s with %d targets "
            "in %.1f s", len(orders), len(invoices), len(leads), plan.name, len(plan.target_ids),
            time.perf_counter() - started)
        return plan.id

    # ------------------------------------------------------------------ customers
    def _demo_customers(self):
        """team key -> customers (companies in the team's provinces), each with its salesperson."""
        reps_by_team = defaultdict(list)
        for xmlid, (team, *_rest) in REPS.items():
            reps_by_team[team].append(self.env.ref(f"{MODULE}.{xmlid}"))
        china = self.env.ref("base.cn")
        vals_list = []
        for index, (name, city, state, team) in enumerate(CUSTOMERS):
            reps = reps_by_team[team]
            vals_list.append({
                "name": name, "is_company": True, "city": city, "country_id": china.id,
                "state_id": self.env.ref(state).id, "street": f"No. {88 + index * 7} Industrial Road",
                "email": f"purchasing{index + 1}@example.com", "customer_rank": 1,
                "user_id": reps[index % len(reps)].id,
            })
        partners = self.env["res.partner"].create(vals_list)
        by_team = defaultdict(lambda: self.env["res.partner"])
        for partner, (_name, _city, _state, team) in zip(partners, CUSTOMERS):
            by_team[team] |= partner
        return by_team

    # ------------------------------------------------------------------ orders
    def _demo_orders(self, rng, partners, today, now):
        """Twelve months of confirmed orders (the current month up to today), per salesperson."""
        products = {xmlid: self.env.ref(f"{MODULE}.{xmlid}") for xmlid in PRODUCTS}
        # month (0 = eleven months ago) from which each customer orders: the last of each
        # team's accounts are new customers of the past months
        since = {}
        for team_partners in partners.values():
            for index, partner in enumerate(team_partners):
                since[partner.id] = 0 if index < len(team_partners) - 3 else rng.randint(2, 10)
        weights = [weight for _qty, weight in PRODUCTS.values()]
        vals_list, dates = [], []
        first_month = _month_start(today, -11)
        for xmlid, (team_key, per_month, size, _factor) in REPS.items():
            user = self.env.ref(f"{MODULE}.{xmlid}")
            team = self.env.ref(f"{MODULE}.{TEAMS[team_key][0]}")
            for shift in range(12):
                month = _month_start(first_month, shift)
                # each salesperson mostly sells to their own accounts, sometimes to a colleague's;
                # a few accounts are won during the year (the "new customers" measure)
                active = partners[team_key].filtered(lambda p, s=shift: since[p.id] <= s)
                own = active.filtered(lambda p, u=user: p.user_id == u)
                others = active - own
                last_day = min(_month_end(month), today)
                count = rng.randint(*per_month)
                if month.month in (2, 10):
                    count = max(1, count - 1)  # holidays
                if shift == 11:  # current month: as many as the elapsed part of the month allows
                    elapsed = (today - month).days + 1
                    count = max(1, round(count * elapsed / _month_end(month).day + rng.random() * 0.5))
                for _i in range(count):
                    day = month + timedelta(days=rng.randint(0, (last_day - month).days))
                    moment = datetime.combine(day, datetime.min.time()) + timedelta(
                        hours=rng.randint(1, 9), minutes=rng.randint(0, 59))
                    if moment > now:
                        moment = max(datetime.combine(day, datetime.min.time()), now - timedelta(minutes=5))
                    partner = rng.choice(own) if (own and rng.random() < 0.8) or not others else rng.choice(others)
                    lines = []
                    for key in dict.fromkeys(rng.choices(list(PRODUCTS), weights, k=rng.randint(1, 3))):
                        low, high = PRODUCTS[key][0]
                        qty = max(1, round(rng.randint(low, high) * size * SEASON[month.month]))
                        lines.append(Command.create({
                            "product_id": products[key].id, "product_uom_qty": qty,
                            "discount": rng.choice((0, 0, 0, 5, 10)),
                        }))
                    vals_list.append({
                        "partner_id": partner.id, "user_id": user.id, "team_id": team.id,
                        "company_id": self.env.company.id, "date_order": moment, "order_line": lines,
                    })
                    dates.append(moment)
        orders = self.env["sale.order"].create(vals_list)
        orders.action_confirm()
        # confirming stamps the order date with now: put the history back in place
        by_date = defaultdict(list)
        for order, moment in zip(orders, dates):
            by_date[moment].append(order.id)
        for moment, ids in by_date.items():
            orders.browse(ids).write({"date_order": moment})
        # a couple of quotations still waiting, and one cancelled order, for a realistic list
        quotes = self.env["sale.order"].create([{
            "partner_id": rng.choice(partners[team_key]).id,
            "user_id": self.env.ref(f"{MODULE}.{xmlid}").id,
            "team_id": self.env.ref(f"{MODULE}.{TEAMS[team_key][0]}").id,
            "order_line": [Command.create({"product_id": products[rng.choice(list(PRODUCTS))].id,
                                           "product_uom_qty": rng.randint(1, 5)})],
        } for xmlid, (team_key, *_rest) in REPS.items()])
        quotes[:1].action_cancel()
        return orders

    # ------------------------------------------------------------------ invoices
    def _demo_invoices(self, rng, orders, today):
        """Posted invoices for most orders, dated as their order, and a few credit notes."""
        recent = today - timedelta(days=10)
        to_invoice = orders.filtered(
            lambda o: rng.random() < (0.95 if o.date_order.date() < recent else 0.5))
        invoices = to_invoice._create_invoices(grouped=True)
        by_date = defaultdict(list)
        for invoice in invoices:
            order = invoice.line_ids.sale_line_ids.order_id[:1]
            by_date[order.date_order.date()].append(invoice.id)
        for day, ids in by_date.items():
            invoices.browse(ids).write({"invoice_date": day})
        invoices = invoices.sorted(lambda m: (m.invoice_date, m.id))
        invoices.action_post()
        # credit notes: a few returns, some days after the invoice
        candidates = invoices.filtered(lambda m: m.invoice_date < today - timedelta(days=40))
        refunded = self.env["account.move"].browse(
            sorted(rng.sample(candidates.ids, min(4, len(candidates)))))
        defaults = []
        for invoice in refunded:
            day = min(today, invoice.invoice_date + timedelta(days=rng.randint(5, 20)))
            defaults.append({"invoice_date": day, "date": day, "ref": f"Return of {invoice.name}"})
        refunds = refunded._reverse_moves(defaults)
        refunds = refunds.sorted(lambda m: (m.invoice_date, m.id))
        refunds.action_post()
        return invoices | refunds

    # ------------------------------------------------------------------ pipeline
    def _demo_pipeline(self, rng, partners, orders, today, now):
        """Won opportunities behind a share of the orders, open opportunities, fresh leads and
        a few lost ones; creation dates spread over the past months."""
        stages = self.env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
        won_stage = stages.filtered("is_won")[:1]
        open_stages = (stages - won_stage)[:3]
        lost_reasons = self.env["crm.lost.reason"].search([], limit=3)
        vals_list, created = [], []
        won_orders = orders.filtered(lambda o: rng.random() < 0.4)
        for order in won_orders:
            closed = order.date_order
            vals_list.append({
                "type": "opportunity", "name": f"{order.order_line[:1].product_id.name} for {order.partner_id.name}",
                "partner_id": order.partner_id.id, "user_id": order.user_id.id, "team_id": order.team_id.id,
                "stage_id": won_stage.id, "probability": 100, "expected_revenue": order.amount_untaxed,
                "date_closed": closed, "company_id": order.company_id.id,
            })
            created.append(closed - timedelta(days=rng.randint(10, 60), hours=rng.randint(0, 8)))
        for xmlid, (team_key, *_rest) in REPS.items():
            user = self.env.ref(f"{MODULE}.{xmlid}")
            team = self.env.ref(f"{MODULE}.{TEAMS[team_key][0]}")
            customers = partners[team_key]
            for _i in range(rng.randint(3, 5)):  # open opportunities
                stage_index = rng.randint(0, len(open_stages) - 1)
                partner = rng.choice(customers)
                vals_list.append({
                    "type": "opportunity", "name": f"Line upgrade at {partner.name.split(' Co.')[0]}",
                    "partner_id": partner.id, "user_id": user.id, "team_id": team.id,
                    "stage_id": open_stages[stage_index].id, "probability": (20, 50, 70)[stage_index % 3],
                    "expected_revenue": _round(rng.uniform(5000, 60000), 500),
                    "date_deadline": today + timedelta(days=rng.randint(7, 90)),
                    "company_id": self.env.company.id,
                })
                created.append(now - timedelta(days=rng.randint(0, 75), hours=rng.randint(0, 8)))
            for _i in range(rng.randint(2, 3)):  # fresh leads, not yet qualified
                partner = rng.choice(customers)
                vals_list.append({
                    "type": "lead", "name": f"Enquiry: {rng.choice(['retrofit', 'new line', 'spare parts'])}",
                    "partner_name": f"{partner.city} {rng.choice(PROSPECTS)} Co., Ltd.", "city": partner.city,
                    "state_id": partner.state_id.id, "country_id": partner.country_id.id,
                    "user_id": user.id, "team_id": team.id, "company_id": self.env.company.id,
                })
                created.append(now - timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 8)))
            for _i in range(2):  # lost opportunities (archived)
                partner = rng.choice(customers)
                closed = now - timedelta(days=rng.randint(20, 300))
                vals_list.append({
                    "type": "opportunity", "name": f"Tender at {partner.name.split(' Co.')[0]}",
                    "partner_id": partner.id, "user_id": user.id, "team_id": team.id,
                    "stage_id": open_stages[1].id, "probability": 0, "active": False,
                    "lost_reason_id": rng.choice(lost_reasons).id if lost_reasons else False,
                    "expected_revenue": _round(rng.uniform(8000, 40000), 500),
                    "date_closed": closed, "company_id": self.env.company.id,
                })
                created.append(closed - timedelta(days=rng.randint(15, 45)))
        leads = self.env["crm.lead"].create(vals_list)
        for order, lead in zip(won_orders, leads):
            order.opportunity_id = lead
        self._backdate_leads(leads, created)
        lead_fields = self.env["crm.lead"]._fields
        for fname in ("day_open", "day_close"):
            if fname in lead_fields:
                self.env.add_to_compute(lead_fields[fname], leads)
        leads.flush_recordset()
        return leads

    # ------------------------------------------------------------------ plan
    def _backdate_leads(self, leads, created):
        """Creation (and assignment) dates in the past, ``created`` in the order of ``leads``:
        the "new leads" measure counts by creation date."""
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            UPDATE crm_lead l SET create_date = v.created, date_open = v.created
              FROM unnest(%s::int[], %s::timestamp[]) AS v(id, created)
             WHERE l.id = v.id""", leads.ids, created))
        leads.invalidate_recordset(["create_date", "date_open"])

    def _demo_plan(self, rng, orders, invoices, today):
        """The published plan of the current year: per salesperson and month an ordered-revenue
        target (under a team target), and per team and month an invoiced-revenue target."""
        self.env.flush_all()
        ordered = defaultdict(float)  # (user, month) -> untaxed amount
        for order in orders:
            ordered[order.user_id.id, _month_start(order.date_order.date())] += order.amount_untaxed
        invoiced = defaultdict(float)  # (team, month) -> untaxed amount, credit notes deducted
        for move in invoices:
            invoiced[move.team_id.id, _month_start(move.invoice_date)] += move.amount_untaxed_signed
        year_start = today.replace(month=1, day=1)
        current = _month_start(today)
        elapsed = ((today - current).days + 1) / _month_end(today).day
        ordered_kpi = self.env.ref(f"{MODULE}.kpi_ordered_revenue")
        invoiced_kpi = self.env.ref(f"{MODULE}.kpi_invoiced_revenue")
        # reference volume for the months to come: the last three months over
        complete = [_month_start(current, -i) for i in (1, 2, 3)]

        def target_for(actuals, month, factor, step):
            if month < current:
                return _round(actuals.get(month, 0.0) * factor * rng.uniform(0.95, 1.05), step)
            if month == current:
                return _round(actuals.get(month, 0.0) / elapsed * factor, step)
            base = sum(actuals.get(m, 0.0) for m in complete) / len(complete)
            return _round(base * factor * SEASON[month.month] * 1.05, step)

        plan = self.env["sales.target.plan"].create({
            "name": f"Sales Plan {today.year} – China Regions",
            "company_id": self.env.company.id, "horizon": "mid", "user_id": self.env.ref("base.user_admin").id,
            "date_from": year_start, "date_to": year_start.replace(month=12, day=31),
            "description": "<p>Monthly targets of the East China (华东) and South China (华南) teams: "
                           "ordered revenue per salesperson, invoiced revenue per team.</p>",
        })
        team_reps = defaultdict(list)  # team key -> [(salesperson, target factor)]
        for xmlid, (team_key, _per_month, _size, factor) in REPS.items():
            team_reps[team_key].append((self.env.ref(f"{MODULE}.{xmlid}"), factor))
        months = [year_start.replace(month=m) for m in range(1, 13)]
        Target = self.env["sales.target"]
        parent_vals, rep_vals, invoiced_vals = [], [], []
        for team_key, (team_xmlid, team_factor) in TEAMS.items():
            team = self.env.ref(f"{MODULE}.{team_xmlid}")
            team_invoiced = {m: invoiced[team.id, m] for m in months + complete}
            for month in months:
                period = {"plan_id": plan.id, "date_from": month, "date_to": _month_end(month), "team_id": team.id}
                values = []
                for user, factor in team_reps[team_key]:
                    value = target_for({m: ordered[user.id, m] for m in months + complete}, month, factor, 100)
                    values.append({**period, "kpi_id": ordered_kpi.id, "user_id": user.id, "target_value": value,
                                   "stretch_value": _round(value * 1.15, 100)})
                rep_vals.append(values)
                parent_vals.append({**period, "kpi_id": ordered_kpi.id,
                                    "target_value": sum(v["target_value"] for v in values)})
                invoiced_vals.append({**period, "kpi_id": invoiced_kpi.id,
                                      "target_value": target_for(team_invoiced, month, team_factor, 500)})
        # team targets, each over the targets of its salespeople
        parents = Target.create(parent_vals)
        Target.create([{**vals, "parent_id": parent.id}
                       for parent, values in zip(parents, rep_vals) for vals in values])
        Target.create(invoiced_vals)
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()
        plan.action_refresh_actuals()
        self.env["crm.team"]._sync_invoiced_target()
        self.env["ir.model.data"]._update_xmlids([{"xml_id": PLAN_XMLID, "record": plan, "noupdate": True}])
        return plan
