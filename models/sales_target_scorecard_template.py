"""Scorecard templates: the KPIs of a kind of scorecard and their weights, from which the
scorecards of a team are generated for a period."""

from odoo import fields, models


class SalesTargetScorecardTemplate(models.Model):
    _name = "sales.target.scorecard.template"
    _description = "Salesperson Scorecard Template"
    _inherit = ["sales.target.weighted.lines"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("sales.target.scorecard.template.line", "template_id", string="KPIs", copy=True)

    def _prepare_scorecard_lines(self):
        """The ``Command.create`` values of a scorecard's lines, from this template's."""
        self.ensure_one()
        return [fields.Command.create({"sequence": line.sequence, "kpi_id": line.kpi_id.id, "weight": line.weight,
                                       "cap": line.cap}) for line in self.line_ids]


class SalesTargetScorecardTemplateLine(models.Model):
    _name = "sales.target.scorecard.template.line"
    _description = "Salesperson Scorecard Template KPI"
    _inherit = ["sales.target.weighted.line"]
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("sales.target.scorecard.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="template_id.company_id", store=True)

    def _parent(self):
        return self.template_id
