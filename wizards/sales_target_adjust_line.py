from odoo import api, fields, models


class SalesTargetAdjustLine(models.TransientModel):
    _name = "sales.target.adjust.line"
    _description = "Adjust Targets: one target"

    wizard_id = fields.Many2one("sales.target.adjust", required=True, ondelete="cascade")
    target_id = fields.Many2one("sales.target", required=True, readonly=True)
    currency_id = fields.Many2one(related="target_id.currency_id")
    old_value = fields.Monetary("Current value", currency_field="currency_id", readonly=True)
    new_value = fields.Monetary("New value", currency_field="currency_id")
    difference = fields.Monetary(currency_field="currency_id", compute="_compute_difference")
    difference_pct = fields.Float("Difference (%)", compute="_compute_difference")

    @api.depends("old_value", "new_value")
    def _compute_difference(self):
        for line in self:
            line.difference = line.new_value - line.old_value
            line.difference_pct = line.difference / line.old_value * 100.0 if line.old_value else 0.0
