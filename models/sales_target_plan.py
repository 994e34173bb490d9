from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import periods
from .sales_target import window_action

HORIZONS = [("long", "Long term (3-5 years)"), ("mid", "Mid term (year)"), ("short", "Short term (quarter or month)")]
STATES = [
    ("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"),
    ("published", "Published"), ("closed", "Closed"), ("cancelled", "Cancelled"),
]
#: horizon -> rank; a sub-plan's horizon ranks below its parent's
HORIZON_RANK = {"long": 3, "mid": 2, "short": 1}
#: period unit of sub-plans -> their horizon
UNIT_HORIZON = {"year": "mid", "quarter": "short", "month": "short", "week": "short"}
#: state -> states it may move to
TRANSITIONS = {
    "draft": {"submitted", "cancelled"},
    "submitted": {"approved", "draft", "cancelled"},
    "approved": {"published", "draft", "cancelled"},
    "published": {"closed", "cancelled"},
    "closed": {"published"},  # reopened by a manager, with a reason (action_reopen)
    "cancelled": {"draft"},
}


class SalesTargetPlan(models.Model):
    _name = "sales.target.plan"
    _description = "Sales Target Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, name, id"

    name = fields.Char(required=True, tracking=True, translate=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", store=True, string="Currency")
    horizon = fields.Selection(HORIZONS, required=True, default="mid", tracking=True)
    date_from = fields.Date("Start", required=True, tracking=True,
                            default=lambda self: self._default_dates(self.env.context.get("default_horizon", "mid"))[0])
    date_to = fields.Date("End", required=True, tracking=True,
                          default=lambda self: self._default_dates(self.env.context.get("default_horizon", "mid"))[1])
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False, index=True)
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user,
                              tracking=True, domain="[('share', '=', False)]")
    target_ids = fields.One2many("sales.target", "plan_id", string="Targets")
    target_count = fields.Integer(compute="_compute_target_stats")
    at_risk_count = fields.Integer(string="Targets at risk", compute="_compute_target_stats")
    off_track_count = fields.Integer(string="Targets off track", compute="_compute_target_stats")
    actuals_date = fields.Datetime("Actuals computed on", compute="_compute_target_stats")
    parent_id = fields.Many2one("sales.target.plan", string="Parent Plan", index=True, ondelete="restrict",
                                tracking=True, domain="[('company_id', '=', company_id)]")
    child_ids = fields.One2many("sales.target.plan", "parent_id", string="Sub-plans")
    child_count = fields.Integer(compute="_compute_child_count")
    mismatch_count = fields.Integer(
        string="Inconsistent targets", compute="_compute_target_stats",
        help="Targets whose sub-targets do not add up to them within the company's tolerance.")
    mismatch_reason = fields.Text(
        "Reason for accepting mismatches", readonly=True, tracking=True, copy=False,
        help="Given by the manager who submitted the plan although some sub-targets do not add up.")
    mismatch_confirmed_by = fields.Many2one("res.users", "Mismatches accepted by", readonly=True, copy=False)
    decomposition_ids = fields.One2many("sales.target.decomposition", "plan_id", string="Decompositions")
    decomposition_running = fields.Boolean(compute="_compute_decomposition_progress")
    decomposition_progress = fields.Char(compute="_compute_decomposition_progress")
    description = fields.Html()
    color = fields.Integer()

    @api.depends("decomposition_ids.state", "decomposition_ids.done_count")
    def _compute_decomposition_progress(self):
        for plan in self:
            running = plan.decomposition_ids.filtered(lambda j: j.state in ("pending", "running"))
            plan.decomposition_running = bool(running)
            plan.decomposition_progress = running._progress_label() if running else False

    def _check_no_running_decomposition(self):
        """Refuse to change these plans' targets or status while a background decomposition
        still stores sub-targets in them (a job of a parent plan may store into its sub-plans)."""
        plans = self.with_context(active_test=False).search([("id", "parent_of", self.ids)])
        if not plans:
            return
        # every author's job counts, also those record rules hide from this user (a leader sees
        # only their own): only the job's number and progress are shown, not its payload
        self.env["sales.target.decomposition"].flush_model(["plan_id", "state", "done_count", "total_count"])
        self.env.cr.execute(SQL(
            "SELECT id, plan_id, COALESCE(done_count, 0), COALESCE(total_count, 0) FROM sales_target_decomposition "
            "WHERE plan_id IN %s AND state IN ('pending', 'running') ORDER BY id LIMIT 1",
            tuple(plans.ids)))
        row = self.env.cr.fetchone()
        if row:
            job_id, plan_id, done, total = row
            raise UserError(self.env._(
                "Plan %(plan)s: Decomposition #%(job)s is still storing sub-targets in the background "
                "(%(done)s of %(total)s sub-targets). Wait until it is done, then try again.",
                plan=plans.browse(plan_id).name, job=job_id, done=format(done, ","), total=format(total, ",")))

    @api.depends("child_ids")
    def _compute_child_count(self):
        for plan in self:
            plan.child_count = len(plan.child_ids)

    @api.depends("target_ids.status", "target_ids.actuals_date", "target_ids.consistency")
    def _compute_target_stats(self):
        groups = self.env["sales.target"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id", "status"], ["__count", "actuals_date:min"])
        stats = {}
        for plan, status, count, computed in groups:
            entry = stats.setdefault(plan.id, {"total": 0, "at_risk": 0, "off_track": 0, "date": computed})
            entry["total"] += count
            entry[status] = entry.get(status, 0) + count
            if computed and (not entry["date"] or computed < entry["date"]):
                entry["date"] = computed
        mismatches = dict(self.env["sales.target"]._read_group(
            [("plan_id", "in", self.ids), ("consistency", "=", "mismatch")], ["plan_id"], ["__count"]))
        for plan in self:
            plan.mismatch_count = mismatches.get(plan, 0)
            entry = stats.get(plan.id, {})
            plan.target_count = entry.get("total", 0)
            plan.at_risk_count = entry.get("at_risk", 0)
            plan.off_track_count = entry.get("off_track", 0)
            plan.actuals_date = entry.get("date")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_from > plan.date_to:
                raise ValidationError(self.env._(
                    "Plan %(plan)s: the start date (%(start)s) must not be after the end date (%(end)s).",
                    plan=plan.name, start=plan.date_from, end=plan.date_to))
        self.target_ids._check_within_plan()

    @api.model
    def _default_dates(self, horizon):
        """The next period of ``horizon`` after the company's today: next year for a mid-term
        plan, the three years from next January for a long-term one, next quarter for a
        short-term one (plans are set before their period)."""
        today = self.env.company._sales_target_today()
        if horizon == "short":
            start = fields.Date.end_of(today, "quarter") + relativedelta(days=1)
            return start, fields.Date.end_of(start, "quarter")
        start = date(today.year + 1, 1, 1)
        return start, date(today.year + (3 if horizon == "long" else 1), 12, 31)

    @api.onchange("horizon")
    def _onchange_horizon_dates(self):
        # a new plan only: the dates of a saved plan are never changed behind its user's back
        if not self._origin.id and not self.parent_id:
            self.date_from, self.date_to = self._default_dates(self.horizon)

    @api.constrains("parent_id", "date_from", "date_to", "horizon", "company_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("Parent Plan: a plan cannot be its own ancestor."))
        for plan in self.filtered("parent_id"):
            parent = plan.parent_id
            if plan.date_from < parent.date_from or plan.date_to > parent.date_to:
                raise ValidationError(self.env._(
                    "Parent Plan of %(plan)s: its period must lie within the period of %(parent)s.",
                    plan=plan.name, parent=parent.name))
            if HORIZON_RANK[plan.horizon] >= HORIZON_RANK[parent.horizon]:
                raise ValidationError(self.env._(
                    "Horizon of %(plan)s: a sub-plan must have a shorter horizon than its parent %(parent)s.",
                    plan=plan.name, parent=parent.name))
            if plan.company_id != parent.company_id:
                raise ValidationError(self.env._(
                    "Parent Plan of %(plan)s: it must belong to the same company.", plan=plan.name))

    # ------------------------------------------------------------------ workflow
    def _set_state(self, new_state):
        labels = dict(STATES)
        for plan in self:
            if new_state not in TRANSITIONS[plan.state]:
                raise UserError(self.env._(
                    "Status of plan %(plan)s: it cannot go from %(old)s to %(new)s.",
                    plan=plan.name, old=labels[plan.state], new=labels[new_state]))
        self.write({"state": new_state})

    def action_submit(self):
        self._check_no_running_decomposition()
        for plan in self:
            if not plan.target_ids:
                raise UserError(self.env._("Plan %(plan)s has no target to submit.", plan=plan.name))
        unconfirmed = self.filtered(lambda p: p.mismatch_count and not p.mismatch_reason)
        if unconfirmed:
            # a manager must accept the mismatches with a reason first
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Sub-targets do not add up"),
                "res_model": "sales.target.plan.confirm",
                "view_mode": "form",
                "target": "new",
                "context": {"default_plan_ids": unconfirmed.ids},
            }
        self._set_state("submitted")
        return True

    def _accept_mismatches(self, reason):
        """Record a manager's reason for submitting despite inconsistent sub-targets."""
        if not self.env.user.has_group("crm_sales_target.crm_sales_target_group_manager"):
            raise UserError(self.env._("Only a sales target manager can accept inconsistent sub-targets."))
        if not (reason or "").strip():
            raise UserError(self.env._("Reason: say why the plan may be submitted with inconsistent sub-targets."))
        self.write({"mismatch_reason": reason.strip(), "mismatch_confirmed_by": self.env.uid})

    def action_approve(self):
        self._set_state("approved")

    def action_publish(self):
        self._check_no_running_decomposition()
        self._set_state("published")
        self.target_ids._refresh_actuals()

    def action_close(self):
        self.target_ids._refresh_actuals()
        self._set_state("closed")

    def action_cancel(self):
        self._set_state("cancelled")

    def action_draft(self):
        self._set_state("draft")
        self.write({"mismatch_reason": False, "mismatch_confirmed_by": False})

    def action_refresh_actuals(self):
        # refresh what the user manages: every target for managers, their teams' for leaders;
        # a KPI that cannot be measured is named in a warning, the others are refreshed
        return self.target_ids._filtered_access("write")._refresh_and_report()

    def action_view_targets(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_action", [("plan_id", "=", self.id)],
                             {"default_plan_id": self.id})

    def action_view_at_risk(self):
        action = self.action_view_targets()
        action["domain"] = [("plan_id", "=", self.id), ("status", "in", ("at_risk", "off_track"))]
        return action

    def action_view_children(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_plan_action", [("parent_id", "=", self.id)],
                             {"default_parent_id": self.id})

    def action_open_split(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Sub-plans"),
            "res_model": "sales.target.plan.split",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    # ------------------------------------------------------------------ horizons
    def _create_child_plans(self, unit, method="even", then_unit=False):
        """Create one sub-plan per ``unit`` of this plan's period and cascade every target of
        the plan into them (split ``evenly`` by days, or by the target's ``seasonality``);
        with ``then_unit``, split each sub-plan again. Returns all plans created."""
        self.ensure_one()
        horizon = UNIT_HORIZON[unit]
        if HORIZON_RANK[horizon] >= HORIZON_RANK[self.horizon]:
            raise UserError(self.env._(
                "Sub-plans of %(plan)s: a %(horizon)s plan cannot be split by %(unit)s.",
                plan=self.name, horizon=dict(self._fields["horizon"]._description_selection(self.env))[self.horizon],
                unit=dict(self.env["sales.target.plan.split"]._fields["unit"]._description_selection(self.env))
                .get(unit, unit)))
        if self.child_ids:
            raise UserError(self.env._("Plan %(plan)s already has sub-plans.", plan=self.name))
        # years and quarters follow the company's fiscal year (Accounting's fiscal year end)
        fiscal = periods.company_fiscal_start(self.company_id)
        spans = periods.split(self.date_from, self.date_to, unit, fiscal)
        children = self.create([{
            "name": f"{self.name} / {periods.label(start, end, unit, fiscal)}",
            "parent_id": self.id, "company_id": self.company_id.id, "horizon": horizon,
            "date_from": start, "date_to": end, "user_id": self.user_id.id,
        } for start, end in spans])
        children._cascade_targets(self.target_ids.filtered(lambda t: not t.child_ids), method)
        created = children
        if then_unit:
            for child in children:
                created |= child._create_child_plans(then_unit, method)
        return created

    def _cascade_targets(self, targets, method="even"):
        """Split each of ``targets`` over the plans of ``self`` (sub-plans with consecutive
        periods), creating their sub-targets in one batch."""
        indices = targets._seasonality() if method == "seasonality" else {}
        vals_list = []
        for target in targets:
            spans = [(max(p.date_from, target.date_from), min(p.date_to, target.date_to), p) for p in self]
            spans = [s for s in spans if s[0] <= s[1]]
            if not spans:
                continue
            if method == "seasonality":
                weights = periods.seasonal_weights([(a, b) for a, b, _p in spans], indices[target.id][0])
            else:
                weights = [periods.days((a, b)) for a, b, _p in spans]
            values = target._split_values(target.target_value, weights)
            stretch = target._split_values(target.stretch_value, weights) if target.stretch_value else None
            for i, (start, end, plan) in enumerate(spans):
                vals_list.append(target._prepare_child_vals(
                    plan_id=plan.id, date_from=start, date_to=end, target_value=values[i],
                    stretch_value=stretch[i] if stretch else 0.0))
        return self.env["sales.target"]._create_bulk(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_or_cancelled(self):
        for plan in self:
            if plan.state not in ("draft", "cancelled"):
                raise UserError(self.env._(
                    "Plan %(plan)s: only draft or cancelled plans can be deleted; close or cancel it instead.",
                    plan=plan.name))

    def unlink(self):
        # the ORM marks the targets' stored computes (which depend on the plan) for recomputation,
        # then the database cascade deletes them, and the flush fails on the missing rows:
        # removing the targets through the ORM first leaves nothing pending
        self._unlink_only_draft_or_cancelled()
        self.target_ids.unlink()
        return super().unlink()
