"""Action items of a plan or a target (handbook 5.2: what, who, by when, with what)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_target import window_action

ACTION_STATES = [("planned", "Planned"), ("in_progress", "In progress"), ("done", "Done"), ("cancelled", "Cancelled")]
OPEN_STATES = ("planned", "in_progress")
#: what the owner of an action may change without managing its plan (their progress)
OWNER_FIELDS = frozenset(("state", "description"))
LEADER_GROUP = "crm_sales_target.crm_sales_target_group_team_leader"
OVERDUE_ACTIVITY = "crm_sales_target.mail_activity_type_sales_target_action_overdue"


class SalesTargetAction(models.Model):
    _name = "sales.target.action"
    _description = "Sales Target Action Item"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"
    _check_company_auto = True

    name = fields.Char("Action", required=True, tracking=True)
    description = fields.Text()
    plan_id = fields.Many2one(
        "sales.target.plan", string="Plan", required=True, index=True, ondelete="cascade", tracking=True,
        compute="_compute_plan_id", store=True, readonly=False, precompute=True, check_company=True)
    target_id = fields.Many2one(
        "sales.target", string="Target", index="btree_not_null", ondelete="cascade", check_company=True,
        domain="[('plan_id', '=?', plan_id)]", help="Leave empty for an action of the whole plan.")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one("res.users", string="Owner", required=True, default=lambda self: self.env.user,
                              index=True, tracking=True, domain="[('share', '=', False)]")
    deadline = fields.Date(required=True, tracking=True)
    is_milestone = fields.Boolean("Milestone", help="A step of the plan others depend on.")
    milestone = fields.Char("Deliverable", help="What shows that the action is done.")
    budget = fields.Monetary("Budget needed", currency_field="currency_id")
    resources = fields.Text("Resources needed")
    state = fields.Selection(ACTION_STATES, required=True, default="planned", tracking=True, index=True)
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    color = fields.Integer(compute="_compute_color")

    @api.depends("target_id")
    def _compute_plan_id(self):
        for action in self.filtered("target_id"):
            action.plan_id = action.target_id.plan_id

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(action.deadline and action.deadline < today and action.state in OPEN_STATES)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Overdue: only = True and = False can be searched."))
        overdue = ["&", ("deadline", "<", fields.Date.context_today(self)), ("state", "in", OPEN_STATES)]
        return overdue if (operator == "=") == value else ["!", *overdue]

    @api.depends("is_overdue", "state")
    def _compute_color(self):
        for action in self:
            action.color = 1 if action.is_overdue else (10 if action.state == "done" else 0)

    @api.constrains("plan_id", "target_id")
    def _check_target_plan(self):
        for action in self.filtered("target_id"):
            if action.target_id.plan_id != action.plan_id:
                raise ValidationError(self.env._(
                    "Target of action %(action)s: the target %(target)s belongs to another plan than %(plan)s.",
                    action=action.name, target=action.target_id.display_name, plan=action.plan_id.name))

    @api.constrains("budget")
    def _check_budget(self):
        for action in self:
            if action.budget < 0:
                raise ValidationError(self.env._(
                    "Budget needed of action %(action)s: it must not be negative.", action=action.name))

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(LEADER_GROUP):
            # record rules let salespeople write the actions they own: only their progress
            forbidden = {f for f in vals if f not in OWNER_FIELDS and not f.startswith(("message_", "activity_"))}
            if forbidden:
                raise UserError(self.env._(
                    "%(fields)s: only the team leader or a manager may change this on an action; "
                    "as its owner you may update its status and description.",
                    fields=", ".join(sorted(self._fields[f].get_description(self.env)["string"] for f in forbidden))))
        res = super().write(vals)
        if not self.env.su and {"plan_id", "target_id", "user_id"} & set(vals):
            # rules are checked before a write: the action must still be the user's to manage
            self.check_access("write")
        return res

    # ------------------------------------------------------------------ overdue
    @api.model
    def _cron_notify_overdue(self):
        """Daily: an activity for the owner of each overdue action that has none open yet."""
        self.search([("is_overdue", "=", True)])._schedule_overdue_activities()

    def _schedule_overdue_activities(self):
        """Schedule one activity per action of ``self`` for its owner, unless one of the
        overdue type is still open on it (so a daily run does not pile them up)."""
        activity_type = self.env.ref(OVERDUE_ACTIVITY)
        Activity = self.env["mail.activity"]
        already = {res_id for [res_id] in Activity._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("activity_type_id", "=", activity_type.id)],
            ["res_id"])}
        todo = self.filtered(lambda a: a.id not in already)
        if not todo:
            return Activity
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        return Activity.create([{
            "res_model_id": model_id, "res_id": action.id, "activity_type_id": activity_type.id,
            "user_id": action.user_id.id, "date_deadline": today, "automated": True,
            "summary": self.env._("Overdue since %(deadline)s: %(action)s", deadline=action.deadline,
                                  action=action.name),
        } for action in todo])


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    action_ids = fields.One2many("sales.target.action", "plan_id", string="Action Items")
    action_count = fields.Integer(compute="_compute_action_count")

    @api.depends("action_ids")
    def _compute_action_count(self):
        counts = dict(self.env["sales.target.action"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]))
        for plan in self:
            plan.action_count = counts.get(plan, 0)

    def action_view_actions(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_action_action", [("plan_id", "=", self.id)],
                             {"default_plan_id": self.id})


class SalesTarget(models.Model):
    _inherit = "sales.target"

    action_ids = fields.One2many("sales.target.action", "target_id", string="Action Items")
    action_count = fields.Integer(compute="_compute_action_count")

    def _compute_action_count(self):
        counts = dict(self.env["sales.target.action"]._read_group(
            [("target_id", "in", self.ids)], ["target_id"], ["__count"]))
        for target in self:
            target.action_count = counts.get(target, 0)

    def action_view_actions(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_action_action",
                             [("target_id", "=", self.id)],
                             {"default_target_id": self.id, "default_plan_id": self.plan_id.id})
