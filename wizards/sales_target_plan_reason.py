from odoo import fields, models


class SalesTargetPlanReason(models.TransientModel):
    _name = "sales.target.plan.reason"
    _description = "Reason of a Plan Sent Back to Draft or Reopened"

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade")
    action = fields.Selection([("draft", "Send back to draft"), ("reopen", "Reopen")], required=True,
                              default="draft")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.action == "reopen":
            return self.plan_id.action_reopen(self.reason)
        return self.plan_id.action_draft(reason=self.reason)
