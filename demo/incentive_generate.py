"""Demo incentive plan: monthly, for the salespeople of the closed demo month, paying on ordered
revenue with a decelerator under 80 %, the base rate to 110 % and an accelerator above, a
minimum-attainment gate, a capped penalty and an honour. The statements of the closed month are
computed from its snapshot and half of them confirmed.

Called from ``demo/incentive_demo.xml`` after ``demo/close_demo.xml`` closed last month's plan.
"""

from odoo import Command, api, models

from .close_generate import CLOSED_PLAN_XMLID
from .generate import MODULE

INCENTIVE_PLAN_XMLID = f"{MODULE}.demo_incentive_plan"


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_incentive_demo(self):
        if self.env.ref(INCENTIVE_PLAN_XMLID, raise_if_not_found=False):
            return False
        closed = self.env.ref(CLOSED_PLAN_XMLID, raise_if_not_found=False)
        if not closed or closed.state != "closed":
            return False
        users = closed.target_ids.user_id
        year_start = closed.date_to.replace(month=1, day=1)
        kpi = self.env.ref(f"{MODULE}.kpi_ordered_revenue")
        plan = self.env["sales.target.incentive.plan"].create({
            "name": f"Sales Incentives {year_start:%Y}", "company_id": closed.company_id.id,
            "period_type": "month", "applies_to": "users", "user_ids": [Command.set(users.ids)],
            "date_from": year_start, "date_to": year_start.replace(month=12, day=31),
            "tier_ids": [
                Command.create({"lower": 0.0, "upper": 80.0, "kind": "rate", "rate": 2.0, "multiplier": 0.5}),
                Command.create({"lower": 80.0, "upper": 110.0, "kind": "rate", "rate": 2.0, "multiplier": 1.0}),
                Command.create({"lower": 110.0, "upper": 0.0, "kind": "rate", "rate": 2.0, "multiplier": 1.5}),
            ],
            "rule_ids": [Command.create({"name": "Ordered revenue commission", "kpi_id": kpi.id,
                                         "cap_amount": 20000.0})],
            "gate_ids": [Command.create({"gate_type": "attainment", "minimum": 50.0})],
            "penalty_ids": [Command.create({"threshold": 60.0, "kind": "rate", "rate": 5.0, "cap_amount": 500.0})],
            "recognition_ids": [Command.create({"name": "Salesperson of the month", "kind": "honour",
                                                "kpi_id": kpi.id, "criterion": "rank", "top_rank": 1})],
        })
        plan.action_activate()
        statements = plan._compute_statements(closed.date_from, closed.date_to)
        statements.sorted("id")[: len(statements) // 2].action_confirm()
        self.env["ir.model.data"]._update_xmlids([{"xml_id": INCENTIVE_PLAN_XMLID, "record": plan,
                                                   "noupdate": True}])
        return plan.id
