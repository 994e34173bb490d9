"""Demo of the satisfaction KPIs on targets: customer satisfaction (CSAT) and win rate targets
of the current quarter for every demo salesperson, refreshed, so that dashboards and
scorecards show them; the demo complaint's improvement action aims at the CSAT KPI.

Called from ``demo/integrate_demo.xml`` after the satisfaction records of
``demo/customer_demo.xml`` exist.
"""

from datetime import date

from odoo import api, models

from .generate import MODULE, PLAN_XMLID, REPS, TEAMS

#: KPI xml id -> the target of every demo salesperson for the quarter
QUARTER_TARGETS = {"kpi_csat": 4.0, "kpi_win_rate": 40.0}


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_integrate_demo(self):
        plan = self.env.ref(PLAN_XMLID, raise_if_not_found=False)
        csat = self.env.ref(f"{MODULE}.kpi_csat")
        if not plan or self.env["sales.target"].search_count([("plan_id", "=", plan.id), ("kpi_id", "=", csat.id)]):
            return False
        today = plan.company_id._sales_target_today()
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        end = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
        end = end.fromordinal(end.toordinal() - 1)
        vals_list = []
        for xmlid, (team_key, *_rest) in REPS.items():
            user = self.env.ref(f"{MODULE}.{xmlid}")
            team = self.env.ref(f"{MODULE}.{TEAMS[team_key][0]}")
            for kpi_xmlid, value in QUARTER_TARGETS.items():
                vals_list.append({
                    "plan_id": plan.id, "kpi_id": self.env.ref(f"{MODULE}.{kpi_xmlid}").id, "date_from": start,
                    "date_to": end, "target_value": value, "user_id": user.id, "team_id": team.id})
        # the plan is published: the demo (superuser) adds them as their authors would have before
        targets = self.env["sales.target"].create(vals_list)
        targets._refresh_actuals()
        targets._compute_feasibility()
        improvements = self.env["sales.target.action"].search(
            [("plan_id", "=", plan.id), ("complaint_id", "!=", False), ("kpi_id", "=", False)])
        improvements.write({"kpi_id": csat.id})
        return targets.ids
