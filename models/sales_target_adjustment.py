"""Adjustments: the only way to change the targets of a published plan (handbook 3.1, 8.2-8.3).

An adjustment carries one line per target it changes. Below the company's thresholds it
applies at once; above either, it waits for a manager's approval. Applied adjustments are
the targets' version history and never change again: a mistake is undone by a new
adjustment that reverses it.
"""

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sales_target_governance import _adjusting, _same
from .sales_target_plan_workflow import MANAGER_GROUP

ADJUSTMENT_STATES = [("draft", "Draft"), ("to_approve", "To Approve"), ("applied", "Applied"),
                     ("refused", "Refused")]
#: set by the workflow methods only, never by a client
WORKFLOW_FIELDS = frozenset(("state", "approver_id", "decision_date", "applied_date", "refuse_reason",
                             "needs_approval", "requester_id"))


class SalesTargetAdjustmentReason(models.Model):
    _name = "sales.target.adjustment.reason"
    _description = "Sales Target Adjustment Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)


class SalesTargetAdjustment(models.Model):
    _name = "sales.target.adjustment"
    _description = "Sales Target Adjustment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    state = fields.Selection(ADJUSTMENT_STATES, required=True, default="draft", tracking=True, readonly=True,
                             copy=False, index=True)
    reason_id = fields.Many2one("sales.target.adjustment.reason", string="Reason", required=True,
                                ondelete="restrict", tracking=True)
    justification = fields.Text(required=True)
    retroactive = fields.Boolean(
        help="The new values count from the start of each target's period, as if they had always been "
             "the targets; otherwise the days already elapsed keep the former values' pace.")
    effective_date = fields.Date(
        "Effective from", required=True, default=lambda self: self.env.company._sales_target_today(),
        help="First day of the new values (prospective adjustments), within each target's period.")
    requester_id = fields.Many2one("res.users", string="Requested by", readonly=True, index=True,
                                   default=lambda self: self.env.user)
    approver_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    decision_date = fields.Datetime("Decided on", readonly=True, copy=False)
    applied_date = fields.Datetime("Applied on", readonly=True, copy=False)
    needs_approval = fields.Boolean(readonly=True, copy=False)
    refuse_reason = fields.Text("Reason for refusal", readonly=True, copy=False, tracking=True)
    line_ids = fields.One2many("sales.target.adjustment.line", "adjustment_id", string="Targets changed")
    plan_ids = fields.Many2many("sales.target.plan", string="Plans", compute="_compute_summary")
    difference = fields.Float(compute="_compute_summary",
                              help="Sum of the differences of the targets asked for.")
    target_count = fields.Integer("Targets", compute="_compute_summary")

    @api.depends("line_ids.difference", "line_ids.kind", "line_ids.target_id")
    def _compute_summary(self):
        for adjustment in self:
            requested = adjustment.line_ids.filtered(lambda line: line.kind == "requested")
            adjustment.difference = sum(requested.mapped("difference"))
            adjustment.target_count = len(adjustment.line_ids)
            adjustment.plan_ids = adjustment.line_ids.target_id.plan_id

    @api.depends("reason_id", "line_ids")
    def _compute_display_name(self):
        for adjustment in self:
            adjustment.display_name = self.env._(
                "Adjustment #%(number)s · %(reason)s", number=adjustment._origin.id or "",
                reason=adjustment.reason_id.name or "")

    # ------------------------------------------------------------------ immutability
    def _in_workflow(self):
        return self.env["sales.target"]._is_adjusting()

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            for vals in vals_list:
                if set(vals) & (WORKFLOW_FIELDS - {"state"}) or vals.get("state", "draft") != "draft":
                    raise UserError(self.env._(
                        "Adjustments: the status, requester and decision are set by the approval workflow; "
                        "create a draft adjustment and submit it."))
        return super().create(vals_list)

    def write(self, vals):
        applied = self.filtered(lambda a: a.state == "applied")
        if applied:
            raise UserError(self.env._(
                "%(adjustment)s is applied: it is part of the targets' history and cannot change. "
                "To undo it, adjust the targets again.", adjustment=applied[0].display_name))
        if not self._in_workflow():
            if set(vals) & WORKFLOW_FIELDS:
                raise UserError(self.env._(
                    "Adjustments: the status, requester and decision are set by the approval workflow "
                    "(Submit, Approve, Refuse)."))
            if self.filtered(lambda a: a.state != "draft") and set(vals) - {"justification"}:
                raise UserError(self.env._(
                    "%(adjustment)s has been submitted: only its justification can still be completed.",
                    adjustment=self.filtered(lambda a: a.state != "draft")[0].display_name))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        applied = self.filtered(lambda a: a.state == "applied")
        if applied:
            raise UserError(self.env._(
                "%(adjustment)s is applied: it is part of the targets' history and cannot be deleted. "
                "To undo it, adjust the targets again.", adjustment=applied[0].display_name))

    # ------------------------------------------------------------------ workflow
    def action_submit(self):
        """Apply at once when every change stays within the company's thresholds; otherwise
        wait for a manager's approval."""
        for adjustment in self:
            if adjustment.state != "draft":
                raise UserError(self.env._("%(adjustment)s has already been submitted.",
                                           adjustment=adjustment.display_name))
            adjustment._check_lines()
            needs = any(adjustment.company_id._sales_target_adjustment_needs_approval(line.old_value, line.new_value)
                        for line in adjustment.line_ids if line.kind == "requested")
            if needs:
                _adjusting(adjustment).write({"state": "to_approve", "needs_approval": True})
                adjustment._notify_approvers()
            else:
                adjustment._apply()
        return True

    def _check_lines(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("%(adjustment)s changes no target.", adjustment=self.display_name))
        requested = self.line_ids.filtered(lambda line: line.kind == "requested").target_id
        not_published = requested.filtered(lambda t: t.plan_id.state != "published")
        if not_published:
            raise UserError(self.env._(
                "Target %(target)s: only the targets of published plans are adjusted; those of draft plans "
                "are edited directly.", target=not_published[0].display_name))
        other_company = self.line_ids.target_id.filtered(lambda t: t.company_id != self.company_id)
        if other_company:
            raise UserError(self.env._("Target %(target)s belongs to another company than the adjustment.",
                                       target=other_company[0].display_name))
        # the requester must manage the targets: their teams' for a leader, all for a manager
        self.line_ids.target_id.check_access("write")

    def _approvers(self):
        self.ensure_one()
        managers = self.env.ref(MANAGER_GROUP).users
        return managers.filtered(lambda u: self.company_id in u.company_ids and not u.share) - self.requester_id

    def _notify_approvers(self):
        for adjustment in self:
            for user in adjustment._approvers():
                adjustment.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id,
                    summary=self.env._("Approve the target adjustment"),
                    note=self.env._("%(requester)s asks to adjust %(count)s targets: %(reason)s.",
                                    requester=adjustment.requester_id.name, count=len(adjustment.line_ids),
                                    reason=adjustment.reason_id.name))

    def _check_approver(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a sales target manager can approve or refuse adjustments."))
        for adjustment in self:
            if adjustment.state != "to_approve":
                raise UserError(self.env._("%(adjustment)s is not waiting for approval.",
                                           adjustment=adjustment.display_name))
            if adjustment.requester_id == self.env.user and not self.env.su:
                raise UserError(self.env._(
                    "%(adjustment)s: you requested it; another manager must approve or refuse it.",
                    adjustment=adjustment.display_name))

    def action_approve(self):
        self._check_approver()
        for adjustment in self:
            adjustment.activity_feedback(["mail.mail_activity_data_todo"],
                                         feedback=self.env._("Approved by %(user)s", user=self.env.user.name))
            adjustment._apply(approver=self.env.user)
        return True

    def action_open_refuse(self):
        self._check_approver()
        return {
            "type": "ir.actions.act_window", "name": self.env._("Refuse Adjustment"),
            "res_model": "sales.target.adjustment.refuse", "view_mode": "form", "target": "new",
            "context": {"default_adjustment_ids": self.ids},
        }

    def _refuse(self, reason):
        self._check_approver()
        if not (reason or "").strip():
            raise UserError(self.env._("Reason for refusal: say why the adjustment is refused."))
        self.activity_feedback(["mail.mail_activity_data_todo"],
                               feedback=self.env._("Refused by %(user)s", user=self.env.user.name))
        _adjusting(self).write({"state": "refused", "refuse_reason": reason.strip(),
                                "approver_id": self.env.uid, "decision_date": fields.Datetime.now()})

    def _apply(self, approver=None):
        """Lock the targets, check that nobody changed them since the adjustment was
        prepared, then write the new values and mark the adjustment applied."""
        self.ensure_one()
        targets = self.line_ids.target_id
        current = self._lock_targets(targets)
        for line in self.line_ids:
            if not _same(line.target_id, current[line.target_id.id], line.old_value):
                raise UserError(self.env._(
                    "Target %(target)s is now %(current)s, no longer %(old)s as when this adjustment was "
                    "prepared: someone else adjusted it in the meantime. Open Adjust again to start from "
                    "its current value.", target=line.target_id.display_name, current=current[line.target_id.id],
                    old=line.old_value))
        groups = {}
        for line in self.line_ids:
            target = line.target_id
            stretch = target.stretch_value
            if stretch and line.old_value:
                # the stretch keeps its ratio to the target
                stretch = target.currency_id.round(stretch * line.new_value / line.old_value) \
                    if target.currency_id else round(stretch * line.new_value / line.old_value, 2)
            groups.setdefault((line.new_value, stretch), []).append(target.id)
        before = targets._ledger_read(["target_value", "stretch_value"])
        # the deal shares follow the new gaps once, after the loop
        quiet = _adjusting(self.env["sales.target"]).with_context(sales_target_no_summary=True,
                                                                  sales_target_defer_gap_share=True)
        for (value, stretch), ids in groups.items():
            quiet.browse(ids).write({"target_value": value, "stretch_value": stretch})
        self.env["crm.lead"]._update_sales_target_gap_share(targets._gap_share_users().ids)
        # one note per plan for the whole adjustment, not one per group of equal values
        targets._ledger_summarise_since(before)
        now = fields.Datetime.now()
        _adjusting(self).write({"state": "applied", "applied_date": now, "decision_date": now if approver else False,
                                "approver_id": approver.id if approver else False})
        targets.invalidate_recordset(["adjustment_line_ids", "adjustment_count"])

    def _lock_targets(self, targets):
        """``{target id: value}`` read under a row lock, which the second of two concurrent
        adjustments cannot get: it fails at once with a message instead of waiting.

        ``FOR NO KEY UPDATE`` is the lock an UPDATE of the value takes anyway; unlike ``FOR
        UPDATE`` it lets the other transaction insert its adjustment lines (their foreign key
        checks take a key-share lock on the targets), so that it reaches this lock and fails
        with the message rather than waiting on an insert."""
        targets.flush_recordset(["target_value"])
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(SQL("SELECT id, target_value FROM sales_target WHERE id IN %s ORDER BY id "
                               "FOR NO KEY UPDATE NOWAIT", tuple(targets.ids)), log_exceptions=False)
                return {tid: float(value or 0.0) for tid, value in cr.fetchall()}
        except psycopg2.errors.LockNotAvailable as exc:
            raise UserError(self.env._(
                "These targets are being adjusted by someone else right now. Wait a moment, then open "
                "Adjust again to see their new values.")) from exc

