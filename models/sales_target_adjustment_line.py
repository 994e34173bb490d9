from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import pacing

LINE_KINDS = [
    ("requested", "Asked for"),
    ("redistributed", "Sub-target redistributed"),
    ("rebalanced", "Sibling re-balanced"),
    ("rolled_up", "Parent rolled up"),
]


class SalesTargetAdjustmentLine(models.Model):
    _name = "sales.target.adjustment.line"
    _description = "Sales Target Adjustment Line"
    _order = "adjustment_id desc, kind, id"

    adjustment_id = fields.Many2one("sales.target.adjustment", required=True, ondelete="cascade", index=True)
    # the history must outlive nothing it describes: a target with adjustments is not deleted
    target_id = fields.Many2one("sales.target", required=True, ondelete="restrict", index=True)
    kind = fields.Selection(LINE_KINDS, required=True, default="requested")
    currency_id = fields.Many2one(related="target_id.currency_id")
    old_value = fields.Monetary("Old value", currency_field="currency_id", required=True)
    new_value = fields.Monetary("New value", currency_field="currency_id", required=True)
    difference = fields.Monetary(currency_field="currency_id", compute="_compute_difference", store=True)
    difference_pct = fields.Float("Difference (%)", compute="_compute_difference", store=True)
    effective_date = fields.Date("Effective from", required=True)
    in_force_to = fields.Date("In force until", compute="_compute_in_force_to",
                              help="Last day this value ruled: the eve of the next applied change, else the "
                                   "end of the target's period.")
    state = fields.Selection(related="adjustment_id.state", store=True, index=True, string="Status")
    company_id = fields.Many2one(related="adjustment_id.company_id", store=True, index=True)
    plan_id = fields.Many2one(related="target_id.plan_id", store=True, index=True)
    reason_id = fields.Many2one(related="adjustment_id.reason_id", store=True)
    justification = fields.Text(related="adjustment_id.justification")
    requester_id = fields.Many2one(related="adjustment_id.requester_id", store=True)
    approver_id = fields.Many2one(related="adjustment_id.approver_id")
    applied_date = fields.Datetime(related="adjustment_id.applied_date")

    @api.depends("old_value", "new_value")
    def _compute_difference(self):
        for line in self:
            line.difference = line.new_value - line.old_value
            line.difference_pct = (line.difference / line.old_value * 100.0) if line.old_value else 0.0

    @api.depends("target_id", "effective_date", "state")
    def _compute_in_force_to(self):
        changes = self.target_id._adjustment_changes()
        ends = {}
        for target in self.target_id:
            initial, steps = changes.get(target.id, (0.0, []))
            segments = pacing.value_segments(initial, target.date_from, steps)
            # the segment of each applied change, in the order they were applied
            for index, (start, _value) in enumerate(segments):
                following = segments[index + 1][0] if index + 1 < len(segments) else None
                ends[target.id, start] = fields.Date.subtract(following, days=1) if following else target.date_to
        for line in self:
            start = max(line.effective_date, line.target_id.date_from) if line.effective_date else False
            line.in_force_to = ends.get((line.target_id.id, start)) if line.state == "applied" else False

    @api.model_create_multi
    def create(self, vals_list):
        adjustments = self.env["sales.target.adjustment"].browse({v["adjustment_id"] for v in vals_list
                                                                  if v.get("adjustment_id")})
        if not adjustments._in_workflow() and adjustments.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("Adjustment lines: a submitted adjustment's targets cannot change."))
        return super().create(vals_list)

    def write(self, vals):
        if self.adjustment_id.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._(
                "Adjustment lines: the lines of a submitted or applied adjustment cannot change; "
                "adjust the targets again instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.adjustment_id.filtered(lambda a: a.state == "applied"):
            raise UserError(self.env._(
                "Adjustment lines: an applied adjustment is part of the targets' history and cannot be deleted."))
