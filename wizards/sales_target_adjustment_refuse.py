from odoo import fields, models


class SalesTargetAdjustmentRefuse(models.TransientModel):
    _name = "sales.target.adjustment.refuse"
    _description = "Refuse Target Adjustments"

    adjustment_ids = fields.Many2many("sales.target.adjustment", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.adjustment_ids._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
