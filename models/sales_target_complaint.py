"""Complaints and feedback of customers (handbook 9): who handles them, by when, how they
were resolved and in how many days; an improvement action (handbook 9.3) in one click."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_target_satisfaction import customer_salesperson, salesperson_team

COMPLAINT_STATES = [("open", "Open"), ("in_progress", "In progress"), ("resolved", "Resolved"),
                    ("cancelled", "Cancelled")]
OPEN_STATES = ("open", "in_progress")
CATEGORIES = [("product", "Product quality"), ("delivery", "Delivery"), ("service", "Service"),
              ("billing", "Billing"), ("sales", "Sales conduct"), ("other", "Other")]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
#: what counts a complaint against a salesperson (their KPIs and pay): changed by team leaders only
LEADER_FIELDS = ("user_id", "team_id", "date")


class SalesTargetComplaint(models.Model):
    _name = "sales.target.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Subject", required=True, tracking=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True,
                                 domain="[('is_company', '=', True)]")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", index=True, compute="_compute_user_id", store=True, readonly=False,
        precompute=True, tracking=True, domain="[('share', '=', False)]", help="By default the customer's salesperson.")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, compute="_compute_team_id", store=True,
                              readonly=False, precompute=True, check_company=True)
    owner_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user, tracking=True,
                               index=True, domain="[('share', '=', False)]", help="Who handles the complaint.")
    category = fields.Selection(CATEGORIES, required=True, default="product", tracking=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    date = fields.Date("Received on", required=True, default=fields.Date.context_today, index=True)
    date_due = fields.Date("Due date", tracking=True)
    state = fields.Selection(COMPLAINT_STATES, string="Status", required=True, default="open", tracking=True,
                             index=True, group_expand="_group_expand_state")
    description = fields.Text()
    resolution = fields.Text(tracking=True)
    date_resolved = fields.Date("Resolved on", tracking=True)
    resolution_days = fields.Integer(
        "Days to resolve", compute="_compute_resolution_days", store=True, aggregator="avg",
        help="From the day it was received to the day it was resolved.")
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    action_ids = fields.One2many("sales.target.action", "complaint_id", string="Improvement Actions")
    action_count = fields.Integer(compute="_compute_action_count")
    color = fields.Integer(compute="_compute_color")

    @api.depends("partner_id")
    def _compute_user_id(self):
        for complaint in self:
            complaint.user_id = customer_salesperson(complaint.partner_id) or complaint.user_id

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for complaint in self:
            complaint.team_id = salesperson_team(complaint.user_id, complaint.company_id)

    @api.depends("date", "date_resolved")
    def _compute_resolution_days(self):
        for complaint in self:
            complaint.resolution_days = ((complaint.date_resolved - complaint.date).days
                                         if complaint.date and complaint.date_resolved else 0)

    @api.depends("date_due", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.is_overdue = bool(complaint.date_due and complaint.date_due < today
                                        and complaint.state in OPEN_STATES)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Overdue: only = True and = False can be searched."))
        overdue = ["&", ("date_due", "<", fields.Date.context_today(self)), ("state", "in", OPEN_STATES)]
        return overdue if (operator == "=") == value else ["!", *overdue]

    @api.depends("is_overdue", "severity")
    def _compute_color(self):
        for complaint in self:
            complaint.color = 1 if complaint.is_overdue else (2 if complaint.severity == "critical" else 0)

    def _compute_action_count(self):
        counts = dict(self.env["sales.target.action"]._read_group(
            [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]))
        for complaint in self:
            complaint.action_count = counts.get(complaint, 0)

    @api.model
    def _group_expand_state(self, states, domain):
        return [key for key, _label in COMPLAINT_STATES]

    @api.constrains("state", "resolution", "date_resolved", "date")
    def _check_resolution(self):
        for complaint in self:
            if complaint.state == "resolved" and not (complaint.resolution or "").strip():
                raise ValidationError(self.env._(
                    "Resolution of complaint %(name)s: say how it was resolved before marking it resolved.",
                    name=complaint.name))
            if complaint.date_resolved and complaint.date and complaint.date_resolved < complaint.date:
                raise ValidationError(self.env._(
                    "Resolved on of complaint %(name)s: it cannot be before the day it was received (%(date)s).",
                    name=complaint.name, date=complaint.date))

    @api.model_create_multi
    def create(self, vals_list):
        # one read of the customers' commercial entities for the whole batch
        partners = self.env["res.partner"].browse([v["partner_id"] for v in vals_list if v.get("partner_id")])
        partners.fetch(["commercial_partner_id"])
        for vals in vals_list:
            self._commercial_partner(vals)
            self._stamp_resolution(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_leader_fields(vals)
        self._commercial_partner(vals)
        self._stamp_resolution(vals)
        return super().write(vals)

    def _check_leader_fields(self, vals):
        """A complaint counts against its salesperson: cancelling it, or changing whose it is or
        when it was received, is a team leader's decision, not the salesperson's."""
        if self.env.su or self.env.user.has_group("crm_sales_target.crm_sales_target_group_team_leader"):
            return
        if vals.get("state") == "cancelled":
            raise UserError(self.env._("Status of a complaint: only a team leader can cancel it."))
        for fname in LEADER_FIELDS:
            if fname not in vals:
                continue
            field = self._fields[fname]
            new = field.convert_to_record(field.convert_to_cache(vals[fname], self), self)
            if any(complaint[fname] != new for complaint in self):
                raise UserError(self.env._("%(field)s of a complaint: only a team leader can change it.",
                                           field=field._description_string(self.env)))

    def _commercial_partner(self, vals):
        # the record belongs to the customer (commercial entity), not to the contact concerned
        if vals.get("partner_id"):
            vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id

    def _stamp_resolution(self, vals):
        # the day it is resolved, unless given; cleared when reopened
        if vals.get("state") == "resolved" and not vals.get("date_resolved"):
            vals["date_resolved"] = fields.Date.context_today(self)
        elif vals.get("state") in ("open", "in_progress"):
            vals["date_resolved"] = False

    # ------------------------------------------------------------------ buttons
    def action_start(self):
        self.write({"state": "in_progress"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reopen(self):
        self.write({"state": "open"})

    def action_create_improvement(self):
        """The form of a new improvement action (handbook 9.3) linked to this complaint, in
        the plan of the company in force today, owned by the complaint's owner."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        plan = self.env["sales.target.plan"].search([
            ("company_id", "=", self.company_id.id), ("date_from", "<=", today), ("date_to", ">=", today),
            ("state", "!=", "closed")], order="state desc, date_from desc, id desc", limit=1)
        return {
            "type": "ir.actions.act_window", "res_model": "sales.target.action", "view_mode": "form",
            "views": [(False, "form")], "target": "new",
            "name": self.env._("Improvement action"),
            "context": {
                "default_complaint_id": self.id, "default_plan_id": plan.id,
                "default_name": self.env._("Improve: %(subject)s", subject=self.name),
                "default_user_id": (self.owner_id or self.env.user).id,
                "default_deadline": fields.Date.to_string(self.date_due or today),
                "default_description": self.description or False,
            },
        }

    def action_view_improvements(self):
        self.ensure_one()
        from .sales_target import window_action
        return window_action(self.env, "crm_sales_target.sales_target_action_action",
                             [("complaint_id", "=", self.id)], {"default_complaint_id": self.id})


class SalesTargetAction(models.Model):
    _inherit = "sales.target.action"

    complaint_id = fields.Many2one(
        "sales.target.complaint", string="Complaint", index="btree_not_null", ondelete="set null",
        check_company=True, help="The complaint this improvement action answers.")
