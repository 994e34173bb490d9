from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

SESSION_STATES = [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")]
MANAGER_GROUP = "crm_sales_target.crm_sales_target_group_manager"


class SalesTargetTrainingSession(models.Model):
    _name = "sales.target.training.session"
    _description = "Sales Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    course_id = fields.Many2one("sales.target.training.course", string="Course", required=True, index=True,
                                ondelete="restrict", tracking=True, check_company=True)
    company_id = fields.Many2one(related="course_id.company_id", store=True, index=True, string="Company")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    content_type = fields.Selection(related="course_id.content_type", store=True)
    date = fields.Date(required=True, tracking=True, default=fields.Date.context_today)
    hours = fields.Float(required=True, default=1.0, tracking=True)
    trainer_user_id = fields.Many2one("res.users", string="Trainer", domain="[('share', '=', False)]",
                                      help="A colleague who gives the training.")
    trainer_partner_id = fields.Many2one("res.partner", string="External trainer",
                                         help="A trainer from outside the company.")
    cost = fields.Monetary(currency_field="currency_id", tracking=True)
    place = fields.Char()
    state = fields.Selection(SESSION_STATES, required=True, default="planned", tracking=True, index=True)
    team_ids = fields.Many2many(
        "crm.team", string="Sales Teams", check_company=True,
        help="The teams this session is organised for; their leaders manage it and its attendance.")
    attendance_ids = fields.One2many("sales.target.training.attendance", "session_id", string="Attendees")
    attendee_count = fields.Integer("Attended", compute="_compute_attendee_count", store=True)
    effect_ids = fields.One2many("sales.target.training.effect", "session_id", string="Measured effects",
                                 groups="crm_sales_target.crm_sales_target_group_team_leader")
    effects_date = fields.Datetime("Effects measured on", readonly=True, copy=False)
    note = fields.Html()

    @api.depends("attendance_ids.attended")
    def _compute_attendee_count(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids.filtered("attended"))

    @api.depends("course_id.name", "date")
    def _compute_display_name(self):
        for session in self:
            session.display_name = " · ".join(p for p in (session.course_id.name, str(session.date or "")) if p)

    @api.constrains("hours", "cost")
    def _check_hours_cost(self):
        for session in self:
            if session.hours <= 0:
                raise ValidationError(self.env._(
                    "Hours of the session %(session)s: the duration must be positive.", session=session.display_name))
            if session.cost < 0:
                raise ValidationError(self.env._(
                    "Cost of the session %(session)s: the cost must not be negative.", session=session.display_name))

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_plan(self):
        self.write({"state": "planned"})


class SalesTargetTrainingAttendance(models.Model):
    _name = "sales.target.training.attendance"
    _description = "Sales Training Attendance"
    _order = "session_id, user_id, id"

    session_id = fields.Many2one("sales.target.training.session", required=True, index=True, ondelete="cascade")
    course_id = fields.Many2one(related="session_id.course_id", store=True, index=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    session_date = fields.Date(related="session_id.date", store=True, string="Date")
    session_state = fields.Selection(related="session_id.state", string="Session status")
    hours = fields.Float(related="session_id.hours", string="Hours")
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True,
                              domain="[('share', '=', False)]")
    attended = fields.Boolean(default=True)
    passed = fields.Boolean()
    score = fields.Float(help="The attendee's score in the final test of the session, from 0 to 100.",
                         aggregator="avg")
    certification = fields.Char(help="The certificate obtained, if the course leads to one.")
    certification_date = fields.Date("Certified on")
    satisfaction = fields.Integer(
        "Satisfaction with the training", aggregator="avg",
        help="How satisfied the attendee was with the training, from 1 (not at all) to 5 (very); 0 when not "
             "given. Attendees give their own.")

    _sql_constraints = [
        ("session_user_uniq", "unique(session_id, user_id)", "A salesperson is listed once per session."),
    ]

    @api.constrains("score", "satisfaction", "passed", "attended", "certification", "certification_date")
    def _check_figures(self):
        for line in self:
            name = line.user_id.name
            if not 0.0 <= line.score <= 100.0:
                raise ValidationError(self.env._(
                    "Score of %(user)s: it must be between 0 and 100.", user=name))
            if line.satisfaction and not 1 <= line.satisfaction <= 5:
                raise ValidationError(self.env._(
                    "Satisfaction with the training of %(user)s: it must be between 1 and 5 (or 0, not given).",
                    user=name))
            if line.passed and not line.attended:
                raise ValidationError(self.env._(
                    "Passed of %(user)s: only an attendee who attended can pass.", user=name))
            if line.certification_date and not line.certification:
                raise ValidationError(self.env._(
                    "Certified on of %(user)s: name the certification obtained.", user=name))

    def _managed(self):
        """The lines of ``self`` the current user manages: all for a manager, those of the
        sessions of the teams they lead for a team leader."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return self
        return self.filtered(lambda line: self.env.user in line.session_id.team_ids.user_id)

    def write(self, vals):
        # an attendee writes their own satisfaction, nothing else (the rules give them their
        # own lines only); the rest is the trainer's and leader's
        if set(vals) - {"satisfaction"} and self - self._managed():
            raise AccessError(self.env._(
                "Training attendance: you may only give your satisfaction with the training; attendance, "
                "score, result and certification are recorded by the team leader."))
        return super().write(vals)
