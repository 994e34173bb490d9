"""Demo adjustments of the demo plan: two applied at once (below the thresholds) and one
waiting for a manager's approval, made through the wizard by the people who would make them."""

from dateutil.relativedelta import relativedelta

from odoo import api, models

MODULE = "crm_sales_target"


class SalesTargetDemo(models.AbstractModel):
    _inherit = "sales.target.demo"

    @api.model
    def _generate_demo_adjustments(self):
        plan = self.env.ref(f"{MODULE}.demo_sales_plan", raise_if_not_found=False)
        if not plan or plan.state != "published" or self.env["sales.target.adjustment"].search_count(
                [("line_ids.target_id.plan_id", "=", plan.id)]):
            return False
        today = plan.company_id._sales_target_today()
        month = today.replace(day=1)
        next_month = month + relativedelta(months=1)
        Target = self.env["sales.target"]
        kpi_ordered = self.env.ref(f"{MODULE}.kpi_ordered_revenue")
        kpi_invoiced = self.env.ref(f"{MODULE}.kpi_invoiced_revenue")
        east_leader = self.env.ref(f"{MODULE}.demo_user_east_leader")
        south_leader = self.env.ref(f"{MODULE}.demo_user_south_leader")
        admin = self.env.ref("base.user_admin")

        def target(**domain):
            return Target.search([("plan_id", "=", plan.id), *[(k, "=", v) for k, v in domain.items()]], limit=1)

        def adjust(user, targets, factor, reason, justification, **options):
            wizard = self.env["sales.target.adjust"].with_user(user).with_context(
                active_model="sales.target", active_ids=targets.ids).create({
                    "reason_id": self.env.ref(f"{MODULE}.{reason}").id, "justification": justification,
                    **options})
            for line in wizard.line_ids:
                step = 100.0
                line.new_value = max(step, round(line.old_value * factor / step) * step)
            wizard.action_apply()

        # a salesperson on leave: less for them, the same for the team (their colleague takes it)
        rep_target = target(kpi_id=kpi_ordered.id, user_id=self.env.ref(f"{MODULE}.demo_user_east_rep2").id,
                            date_from=month)
        if rep_target:
            adjust(east_leader, rep_target, 0.95, "adjustment_reason_leave",
                   "Zhang Wei is on leave for a week this month; Li Na covers his accounts.",
                   rebalance_siblings=True)
        # a product launch next month: the South team's ordered revenue up, its salespeople follow
        if next_month.year == today.year:
            team_target = target(kpi_id=kpi_ordered.id, team_id=self.env.ref(f"{MODULE}.demo_team_south").id,
                                 user_id=False, date_from=next_month)
            if team_target:
                adjust(admin, team_target, 1.08, "adjustment_reason_product_launch",
                       "The Smart Vision Sensor launches in Guangdong next month.")
        # a market change beyond the threshold: waits for a manager
        invoiced = target(kpi_id=kpi_invoiced.id, team_id=self.env.ref(f"{MODULE}.demo_team_south").id,
                          date_from=month)
        if invoiced:
            adjust(south_leader, invoiced, 1.25, "adjustment_reason_market",
                   "Two large Shenzhen projects were awarded early: invoicing will be well above plan.")
        return True
