from odoo import api, fields, models

from .sales_target import window_action

CONTENT_TYPES = [
    ("product", "Product knowledge"),
    ("skills", "Sales skills"),
    ("market", "Market analysis"),
    ("crm", "Customer relationship management"),
    ("teamwork", "Teamwork"),
    ("other", "Other"),
]


class SalesTargetTrainingCourse(models.Model):
    _name = "sales.target.training.course"
    _description = "Sales Training Course"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    content_type = fields.Selection(CONTENT_TYPES, required=True, default="skills", tracking=True)
    description = fields.Html()
    kpi_ids = fields.Many2many(
        "sales.target.kpi", string="KPIs to improve",
        help="The KPIs this course aims to improve: its effect is measured on them, for its attendees against "
             "their non-attending colleagues.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    session_ids = fields.One2many("sales.target.training.session", "course_id", string="Sessions")
    session_count = fields.Integer(compute="_compute_session_stats")
    attendee_count = fields.Integer("Attendees", compute="_compute_session_stats")
    effect_ids = fields.One2many(
        "sales.target.training.effect", "course_id", string="Measured effects",
        domain=[("session_id", "=", False)], groups="crm_sales_target.crm_sales_target_group_team_leader")
    color = fields.Integer()

    @api.depends("session_ids.state", "session_ids.attendance_ids.attended")
    def _compute_session_stats(self):
        sessions = dict(self.env["sales.target.training.session"]._read_group(
            [("course_id", "in", self.ids), ("state", "!=", "cancelled")], ["course_id"], ["__count"]))
        attendees = dict(self.env["sales.target.training.attendance"]._read_group(
            [("session_id.course_id", "in", self.ids), ("session_id.state", "=", "done"), ("attended", "=", True)],
            ["course_id"], ["__count"]))
        for course in self:
            course.session_count = sessions.get(course, 0)
            course.attendee_count = attendees.get(course, 0)

    def action_view_sessions(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_training_session_action",
                             [("course_id", "=", self.id)], {"default_course_id": self.id})

    def action_view_effects(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_training_effect_action",
                             [("course_id", "=", self.id), ("session_id", "=", False)])

    def action_compute_effects(self):
        """Measure again the effect of every done session of these courses."""
        self.session_ids.filtered(lambda s: s.state == "done").action_compute_effects()
        return True
