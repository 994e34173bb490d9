"""Risk register of a plan (handbook 3.2 and 5.3): what may keep the targets out of reach."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_target import window_action

RISK_CATEGORIES = [("market", "Market"), ("competition", "Competition"), ("resources", "Resources"),
                   ("execution", "Execution")]
RISK_STATUSES = [("open", "Open"), ("mitigating", "Mitigating"), ("closed", "Closed")]
LEVELS = [(str(n), str(n)) for n in range(1, 6)]


class SalesTargetRisk(models.Model):
    _name = "sales.target.risk"
    _description = "Sales Target Plan Risk"
    _inherit = ["mail.thread"]
    _order = "score desc, id"
    _check_company_auto = True

    name = fields.Char("Risk", required=True, tracking=True)
    description = fields.Text()
    plan_id = fields.Many2one("sales.target.plan", string="Plan", required=True, index=True, ondelete="cascade",
                              check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    category = fields.Selection(RISK_CATEGORIES, required=True, default="market", tracking=True)
    probability = fields.Selection(LEVELS, required=True, default="3", tracking=True,
                                   help="1: unlikely … 5: almost certain.")
    impact = fields.Selection(LEVELS, required=True, default="3", tracking=True,
                              help="1: negligible … 5: the targets cannot be met.")
    score = fields.Integer(compute="_compute_score", store=True, aggregator="max",
                           help="Probability times impact, from 1 to 25.")
    mitigation = fields.Text(tracking=True)
    user_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user, index=True,
                              tracking=True, domain="[('share', '=', False)]")
    status = fields.Selection(RISK_STATUSES, required=True, default="open", tracking=True, index=True)

    @api.depends("probability", "impact")
    def _compute_score(self):
        for risk in self:
            risk.score = int(risk.probability or 0) * int(risk.impact or 0)

    @api.constrains("status", "mitigation")
    def _check_mitigation(self):
        for risk in self:
            if risk.status == "mitigating" and not (risk.mitigation or "").strip():
                raise ValidationError(self.env._(
                    "Mitigation of risk %(risk)s: say how it is mitigated before setting it to Mitigating.",
                    risk=risk.name))


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    risk_ids = fields.One2many("sales.target.risk", "plan_id", string="Risks")
    risk_count = fields.Integer("Open risks", compute="_compute_risk_count")

    @api.depends("risk_ids.status")
    def _compute_risk_count(self):
        counts = dict(self.env["sales.target.risk"]._read_group(
            [("plan_id", "in", self.ids), ("status", "!=", "closed")], ["plan_id"], ["__count"]))
        for plan in self:
            plan.risk_count = counts.get(plan, 0)

    def action_view_risks(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_risk_action", [("plan_id", "=", self.id)],
                             {"default_plan_id": self.id})
