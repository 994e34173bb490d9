from odoo import api, fields, models


class SalesTargetPlanConfirm(models.TransientModel):
    _name = "sales.target.plan.confirm"
    _description = "Accept Inconsistent Sub-targets"

    plan_ids = fields.Many2many("sales.target.plan", required=True)
    target_ids = fields.Many2many("sales.target", compute="_compute_target_ids", string="Inconsistent targets")
    reason = fields.Text(required=True)

    @api.depends("plan_ids")
    def _compute_target_ids(self):
        for wizard in self:
            wizard.target_ids = self.env["sales.target"].search(
                [("plan_id", "in", wizard.plan_ids.ids), ("consistency", "=", "mismatch")])

    def action_confirm(self):
        self.ensure_one()
        self.plan_ids._accept_mismatches(self.reason)
        return self.plan_ids.action_submit()
