"""Who may move a plan through its workflow, and the trace of each move in the plan's chatter.

draft → submitted (its responsible or a manager) → approved (a manager; not the submitter when
the company separates the two) → published (a manager) → closed (a manager or the daily cron);
cancelled from any state before closed (a manager); back to draft from submitted or approved
with a reason (a manager); a closed plan is reopened with a reason (a manager, see
``sales_target_close``).
"""

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sales_target_plan import STATES

MANAGER_GROUP = "crm_sales_target.crm_sales_target_group_manager"


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_target_separate_approval = fields.Boolean(
        "Submitter cannot approve",
        help="A plan must be approved by another manager than the one who submitted it.")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_target_separate_approval = fields.Boolean(
        related="company_id.sales_target_separate_approval", readonly=False)


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    submitted_by = fields.Many2one("res.users", "Submitted by", readonly=True, copy=False)
    submitted_on = fields.Datetime("Submitted on", readonly=True, copy=False)
    can_submit = fields.Boolean(compute="_compute_can", help="The current user may submit the plan.")
    can_approve = fields.Boolean(compute="_compute_can", help="The current user may approve the plan.")

    @api.depends_context("uid")
    @api.depends("user_id", "submitted_by", "company_id.sales_target_separate_approval")
    def _compute_can(self):
        user = self.env.user
        is_manager = user.has_group(MANAGER_GROUP)
        for plan in self:
            plan.can_submit = is_manager or plan.user_id == user
            plan.can_approve = is_manager and not (
                plan.company_id.sales_target_separate_approval and plan.submitted_by == user)

    # ------------------------------------------------------------------ rights
    def _check_transition_right(self, new_state):
        """Raise AccessError unless the current user may move ``self`` to ``new_state``."""
        if self.env.su:
            return
        user = self.env.user
        is_manager = user.has_group(MANAGER_GROUP)
        labels = dict(STATES)
        for plan in self:
            allowed = is_manager or (new_state == "submitted" and plan.user_id == user)
            if not allowed:
                raise AccessError(self.env._(
                    "Plan %(plan)s: only %(who)s may set it to %(state)s.",
                    plan=plan.name, state=labels[new_state],
                    who=self.env._("its responsible or a sales target manager") if new_state == "submitted"
                    else self.env._("a sales target manager")))
            if new_state == "approved" and plan.company_id.sales_target_separate_approval \
                    and plan.submitted_by == user:
                raise UserError(self.env._(
                    "Plan %(plan)s: you submitted it, and %(company)s requires another manager to approve it.",
                    plan=plan.name, company=plan.company_id.name))

    def _set_state(self, new_state):
        self._check_transition_right(new_state)
        if new_state == "published" and "closed" in self.mapped("state") \
                and not self.env.context.get("sales_target_transition_reason"):
            raise UserError(self.env._("Reason: a closed plan is published again only by reopening it, "
                                       "with a reason."))
        old_states = {plan.id: plan.state for plan in self}
        # the responsible may submit a plan without the right to edit plans: the right to do so
        # was checked just above, and only the status and the submitter are written
        plans = self.sudo() if new_state == "submitted" else self
        # the message below traces the move: no second, tracking message
        res = super(SalesTargetPlan, plans.with_context(mail_notrack=True))._set_state(new_state)
        if new_state == "submitted":
            plans.write({"submitted_by": self.env.uid, "submitted_on": fields.Datetime.now()})
        self._log_transition(old_states, new_state, self.env.context.get("sales_target_transition_reason"))
        return res

    def _log_transition(self, old_states, new_state, reason=None):
        labels = dict(STATES)
        bodies = {}
        for plan in self:
            text = self.env._("Status: %(old)s → %(new)s, by %(user)s.", old=labels[old_states[plan.id]],
                              new=labels[new_state], user=self.env.user.name)
            if reason:
                text += " " + self.env._("Reason: %(reason)s", reason=reason)
            bodies[plan.id] = escape(text)
        self._message_log_batch(bodies)

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        self._check_transition_right("submitted")
        return super().action_submit()

    def action_approve(self):
        self._check_transition_right("approved")
        return super().action_approve()

    def action_publish(self):
        self._check_transition_right("published")
        return super().action_publish()

    def action_close(self):
        # checked before the refresh that precedes the close
        self._check_transition_right("closed")
        return super().action_close()

    def action_cancel(self):
        self._check_transition_right("cancelled")
        return super().action_cancel()

    def action_draft(self, reason=None):
        """Back to draft; from submitted or approved a reason is required (the reviewer says
        what to rework)."""
        self._check_transition_right("draft")
        reviewed = self.filtered(lambda p: p.state in ("submitted", "approved"))
        reason = (reason or "").strip()
        if reviewed and not reason:
            raise UserError(self.env._("Reason: say why plan %(plan)s goes back to draft.", plan=reviewed[0].name))
        super(SalesTargetPlan, self.with_context(sales_target_transition_reason=reason)).action_draft()
        self.write({"submitted_by": False, "submitted_on": False})
        return True

    def action_open_reason(self):
        """The wizard asking the reason of a move back to draft or of a reopening."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Plan") if self.state == "closed" else self.env._("Send Back to Draft"),
            "res_model": "sales.target.plan.reason",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id,
                        "default_action": "reopen" if self.state == "closed" else "draft"},
        }

    def unlink(self):
        # the targets go with the plan: no summary of their deletion on a plan being deleted
        return super(SalesTargetPlan, self.with_context(sales_target_no_summary=True)).unlink()
