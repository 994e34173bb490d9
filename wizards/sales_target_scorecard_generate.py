from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesTargetScorecardGenerate(models.TransientModel):
    """Create the scorecards of a team's members for a period from a template, all or none."""
    _name = "sales.target.scorecard.generate"
    _description = "Generate Scorecards"

    team_id = fields.Many2one("crm.team", string="Sales Team", required=True)
    company_id = fields.Many2one(related="team_id.company_id")
    template_id = fields.Many2one(
        "sales.target.scorecard.template", string="Template", required=True,
        domain="[('company_id', 'in', (company_id, False))]")
    date_from = fields.Date("Start", required=True)
    date_to = fields.Date("End", required=True)
    user_ids = fields.Many2many(
        "res.users", string="Salespeople", compute="_compute_user_ids", store=True, readonly=False,
        help="The members of the team by default.")

    @api.depends("team_id")
    def _compute_user_ids(self):
        for wizard in self:
            wizard.user_ids = wizard.team_id.crm_team_member_ids.user_id

    def _prepare_scorecard_vals(self):
        self.ensure_one()
        company = self.team_id.company_id or self.env.company
        return [{
            "user_id": user.id, "company_id": company.id, "team_id": self.team_id.id, "date_from": self.date_from,
            "date_to": self.date_to, "template_id": self.template_id.id,
            "line_ids": self.template_id._prepare_scorecard_lines(),
        } for user in self.user_ids]

    def action_generate(self):
        self.ensure_one()
        if not self.user_ids:
            raise UserError(self.env._("Salespeople: choose at least one salesperson."))
        if self.date_from > self.date_to:
            raise UserError(self.env._("End: it must not be before the start."))
        if not self.template_id.line_ids:
            raise UserError(self.env._("Template %(template)s: it has no KPI.", template=self.template_id.name))
        company = self.team_id.company_id or self.env.company
        existing = self.env["sales.target.scorecard"].search([
            ("user_id", "in", self.user_ids.ids), ("company_id", "=", company.id),
            ("date_from", "=", self.date_from), ("date_to", "=", self.date_to)])
        if existing:
            raise UserError(self.env._(
                "Salespeople: %(users)s already have a scorecard for this period.",
                users=", ".join(existing.user_id.mapped("name"))))
        cards = self.env["sales.target.scorecard"].create(self._prepare_scorecard_vals())
        return {
            "type": "ir.actions.act_window", "res_model": "sales.target.scorecard", "name": self.env._("Scorecards"),
            "view_mode": "list,form", "domain": [("id", "in", cards.ids)],
        }
