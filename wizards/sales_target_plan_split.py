from odoo import fields, models

from ..models.sales_target import window_action


class SalesTargetPlanSplit(models.TransientModel):
    _name = "sales.target.plan.split"
    _description = "Create Sub-plans"

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade")
    unit = fields.Selection(
        [("year", "Years"), ("quarter", "Quarters"), ("month", "Months")],
        string="One sub-plan per", required=True, default="year")
    then_unit = fields.Selection(
        [("quarter", "Quarters"), ("month", "Months")], string="Then split each by",
        help="Split each sub-plan again, e.g. a five-year plan into years, then each year into months.")
    method = fields.Selection(
        [("even", "Evenly (by days)"), ("seasonality", "By seasonality (the company's own history)")],
        required=True, default="even")

    def action_apply(self):
        self.ensure_one()
        plans = self.plan_id._create_child_plans(self.unit, self.method, then_unit=self.then_unit or False)
        return window_action(self.env, "crm_sales_target.sales_target_plan_action", [("id", "in", plans.ids)])
