"""Compute statements: every statement of one period of an incentive plan at once, completely
or not at all (one transaction; any refused figure rolls back every statement)."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesTargetIncentiveCompute(models.TransientModel):
    _name = "sales.target.incentive.compute"
    _description = "Compute Incentive Statements"

    plan_id = fields.Many2one("sales.target.incentive.plan", string="Incentive Plan", required=True,
                              domain="[('state', '!=', 'draft')]")
    day = fields.Date("Period", required=True, help="Any day of the period to compute.",
                      compute="_compute_day", store=True, readonly=False, precompute=True)
    date_from = fields.Date("Start", compute="_compute_period")
    date_to = fields.Date("End", compute="_compute_period")

    @api.depends("plan_id")
    def _compute_day(self):
        for wizard in self:
            plan = wizard.plan_id
            if plan and not wizard.day:
                # the last period already over, else the first one
                today = plan.company_id._sales_target_today()
                ended = [start for start, end in plan._periods() if end < today]
                wizard.day = ended[-1] if ended else plan.date_from

    @api.depends("plan_id", "day")
    def _compute_period(self):
        for wizard in self:
            if wizard.plan_id and wizard.day and wizard.plan_id.date_from <= wizard.day <= wizard.plan_id.date_to:
                wizard.date_from, wizard.date_to = wizard.plan_id._period_of(wizard.day)
            else:
                wizard.date_from = wizard.date_to = False

    def action_compute(self):
        self.ensure_one()
        if self.plan_id.state == "draft":
            raise UserError(self.env._("Incentive plan %(plan)s is a draft: activate it first.",
                                       plan=self.plan_id.name))
        date_from, date_to = self.plan_id._period_of(self.day)
        statements = self.plan_id._compute_statements(date_from, date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_sales_target.sales_target_incentive_statement_action")
        action["domain"] = [("plan_id", "=", self.plan_id.id), ("date_from", "=", date_from),
                            ("date_to", "=", date_to)]
        action["context"] = {}
        if not statements:
            action["help"] = self.env._("Nothing changed since the confirmed statements of this period.")
        return action
