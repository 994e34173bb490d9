"""Bottom-up proposals: while a plan is submitted, each salesperson proposes their own value for
each of their targets; the team leader or a manager accepts it (the target takes the value),
overrides it (keeps the top-down value, with a reason) or asks again. Proposals stay on record.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sales_target_plan_workflow import MANAGER_GROUP

PROPOSAL_STATES = [("proposed", "Proposed"), ("accepted", "Accepted"), ("overridden", "Overridden"),
                   ("asked_again", "Asked again")]
#: what the salesperson writes; the rest is the decision
PROPOSER_FIELDS = frozenset(("target_id", "user_id", "value", "comment"))


class SalesTargetProposal(models.Model):
    _name = "sales.target.proposal"
    _description = "Sales Target Proposal"
    _order = "plan_id, target_id, id desc"
    _rec_name = "target_id"

    target_id = fields.Many2one("sales.target", string="Target", required=True, index=True, ondelete="cascade",
                                domain="[('user_id', '=', uid), ('plan_state', '=', 'submitted')]")
    plan_id = fields.Many2one(related="target_id.plan_id", store=True, index=True, string="Plan")
    company_id = fields.Many2one(related="target_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="target_id.team_id", string="Sales Team")
    currency_id = fields.Many2one(related="target_id.currency_id")
    user_id = fields.Many2one("res.users", string="Proposed by", required=True, readonly=True,
                              default=lambda self: self.env.user, index=True)
    target_value = fields.Monetary(related="target_id.target_value", string="Top-down value",
                                   currency_field="currency_id")
    value = fields.Monetary("Proposed value", required=True, currency_field="currency_id")
    difference = fields.Monetary(compute="_compute_difference", currency_field="currency_id",
                                 help="Proposed value minus the top-down value.")
    difference_pct = fields.Float("Difference (%)", compute="_compute_difference")
    comment = fields.Text()
    state = fields.Selection(PROPOSAL_STATES, required=True, default="proposed", readonly=True, index=True)
    decision_reason = fields.Text("Reason of the decision")
    decided_by = fields.Many2one("res.users", "Decided by", readonly=True)
    decided_on = fields.Datetime("Decided on", readonly=True)

    @api.depends("value", "target_value")
    def _compute_difference(self):
        for proposal in self:
            proposal.difference = proposal.value - proposal.target_value
            proposal.difference_pct = (proposal.difference / proposal.target_value * 100.0
                                       if proposal.target_value else 0.0)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(value and key not in PROPOSER_FIELDS and (key, value) != ("state", "proposed")
                                   for vals in vals_list for key, value in vals.items()):
            raise AccessError(self.env._("Proposals: a new proposal carries a value and a comment; "
                                         "the decision comes later."))
        proposals = super().create(vals_list)
        for proposal in proposals:
            target = proposal.target_id
            if target.plan_id.state != "submitted":
                raise UserError(self.env._(
                    "Target %(target)s: proposals are made while its plan is submitted.", target=target.display_name))
            if target.user_id != proposal.user_id or proposal.user_id != self.env.user and not self.env.su:
                raise AccessError(self.env._(
                    "Target %(target)s: only its salesperson proposes a value for it.", target=target.display_name))
            if proposal.value < 0:
                raise UserError(self.env._("Proposed value of %(target)s: it must not be negative.",
                                           target=target.display_name))
        return proposals

    def write(self, vals):
        if not self.env.su:
            if PROPOSER_FIELDS & set(vals):
                for proposal in self:
                    if proposal.user_id != self.env.user or proposal.state != "proposed":
                        raise AccessError(self.env._(
                            "Proposal for %(target)s: only its author changes it, before it is decided.",
                            target=proposal.target_id.display_name))
            if set(vals) - PROPOSER_FIELDS:
                self._check_decider()
        return super().write(vals)

    def _check_decider(self):
        """Raise unless the current user leads the team of every target of ``self`` or is a
        manager."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        for proposal in self:
            if proposal.target_id.team_id.user_id != self.env.user:
                raise AccessError(self.env._(
                    "Proposal for %(target)s: only the leader of its team or a manager decides on it.",
                    target=proposal.target_id.display_name))

    def _decide(self, state, reason=None):
        self._check_decider()
        undecided = self.filtered(lambda p: p.state != "proposed")
        if undecided:
            raise UserError(self.env._("Proposal for %(target)s was already decided.",
                                       target=undecided[0].target_id.display_name))
        vals = {"state": state, "decided_by": self.env.uid, "decided_on": fields.Datetime.now()}
        if reason is not None:
            vals["decision_reason"] = reason
        self.write(vals)

    def action_accept(self):
        """The target takes the proposed value (a normal write: the plan is not published)."""
        self._check_decider()
        before = self.target_id._ledger_read(["target_value"]) if self else {}
        for proposal in self:
            if proposal.plan_id.state != "submitted":
                raise UserError(self.env._("Plan %(plan)s is no longer submitted: its targets are decided.",
                                           plan=proposal.plan_id.name))
            proposal.target_id.with_context(sales_target_no_summary=True).write({"target_value": proposal.value})
        # one note per plan for all the proposals accepted together
        self.target_id._ledger_summarise_since(before)
        self._decide("accepted")
        return True

    def action_override(self):
        """Keep the top-down value; the reason (typed on the proposal) is required."""
        for proposal in self:
            if not (proposal.decision_reason or "").strip():
                raise UserError(self.env._(
                    "Reason of the decision: say why the proposal for %(target)s is overridden.",
                    target=proposal.target_id.display_name))
        self._decide("overridden")
        return True

    def action_ask_again(self):
        """The salesperson proposes again (a new proposal); this one stays on record."""
        self._decide("asked_again")
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Proposals stay on record: they cannot be deleted."))


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    proposal_ids = fields.One2many("sales.target.proposal", "plan_id", string="Proposals")
