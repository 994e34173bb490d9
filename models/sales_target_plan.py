from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

HORIZONS = [("long", "Long term (3-5 years)"), ("mid", "Mid term (year)"), ("short", "Short term (quarter or month)")]
STATES = [
    ("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"),
    ("published", "Published"), ("closed", "Closed"), ("cancelled", "Cancelled"),
]
#: state -> states it may move to
TRANSITIONS = {
    "draft": {"submitted", "cancelled"},
    "submitted": {"approved", "draft", "cancelled"},
    "approved": {"published", "draft", "cancelled"},
    "published": {"closed"},
    "closed": set(),
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
    date_from = fields.Date("Start", required=True, tracking=True)
    date_to = fields.Date("End", required=True, tracking=True)
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False, index=True)
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user,
                              tracking=True, domain="[('share', '=', False)]")
    target_ids = fields.One2many("sales.target", "plan_id", string="Targets")
    target_count = fields.Integer(compute="_compute_target_stats")
    at_risk_count = fields.Integer(string="Targets at risk", compute="_compute_target_stats")
    off_track_count = fields.Integer(string="Targets off track", compute="_compute_target_stats")
    actuals_date = fields.Datetime("Actuals computed on", compute="_compute_target_stats")
    description = fields.Html()
    color = fields.Integer()

    @api.depends("target_ids.status", "target_ids.actuals_date")
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
        for plan in self:
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
        for plan in self:
            if not plan.target_ids:
                raise UserError(self.env._("Plan %(plan)s has no target to submit.", plan=plan.name))
        self._set_state("submitted")

    def action_approve(self):
        self._set_state("approved")

    def action_publish(self):
        self._set_state("published")
        self.target_ids._refresh_actuals()

    def action_close(self):
        self.target_ids._refresh_actuals()
        self._set_state("closed")

    def action_cancel(self):
        self._set_state("cancelled")

    def action_draft(self):
        self._set_state("draft")

    def action_refresh_actuals(self):
        self.target_ids._refresh_actuals()
        return True

    def action_view_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sales_target.sales_target_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id, "search_default_groupby_status": 0}
        return action

    def action_view_at_risk(self):
        action = self.action_view_targets()
        action["domain"] = [("plan_id", "=", self.id), ("status", "in", ("at_risk", "off_track"))]
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_or_cancelled(self):
        for plan in self:
            if plan.state not in ("draft", "cancelled"):
                raise UserError(self.env._(
                    "Plan %(plan)s: only draft or cancelled plans can be deleted; close or cancel it instead.",
                    plan=plan.name))
