from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesTargetTrainingPlan(models.Model):
    _name = "sales.target.training.plan"
    _description = "Sales Training Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, team_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", required=True, index=True, tracking=True,
                              check_company=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_from = fields.Date("Start", required=True, tracking=True)
    date_to = fields.Date("End", required=True, tracking=True)
    course_ids = fields.Many2many("sales.target.training.course", "sales_target_training_plan_course_rel",
                                  "plan_id", "course_id", string="Courses", check_company=True)
    session_ids = fields.Many2many("sales.target.training.session", "sales_target_training_plan_session_rel",
                                   "plan_id", "session_id", string="Sessions", check_company=True)
    target_hours = fields.Float("Target hours per member", tracking=True,
                                help="Hours of training each member of the team should attend in the period.")
    member_count = fields.Integer("Members", compute="_compute_hours_done")
    hours_done = fields.Float(
        "Hours done per member", compute="_compute_hours_done",
        help="Hours of the plan's done sessions attended by the team's members in the period, per member.")
    progress = fields.Float("Progress (%)", compute="_compute_hours_done")
    note = fields.Html()

    @api.depends("team_id.crm_team_member_ids.user_id", "session_ids.state", "session_ids.hours",
                 "session_ids.attendance_ids.attended", "date_from", "date_to", "target_hours")
    def _compute_hours_done(self):
        for plan in self:
            members = plan.team_id.crm_team_member_ids.user_id
            sessions = plan.session_ids.filtered(
                lambda s, p=plan: s.state == "done" and p.date_from and p.date_to
                and p.date_from <= s.date <= p.date_to)
            hours = sum(line.hours for line in sessions.attendance_ids
                        if line.attended and line.user_id in members)
            plan.member_count = len(members)
            plan.hours_done = hours / len(members) if members else 0.0
            plan.progress = plan.hours_done / plan.target_hours * 100.0 if plan.target_hours else 0.0

    @api.constrains("date_from", "date_to", "target_hours")
    def _check_values(self):
        for plan in self:
            if plan.date_from and plan.date_to and plan.date_from > plan.date_to:
                raise ValidationError(self.env._(
                    "End of the training plan %(plan)s: it must not be before its start.", plan=plan.name))
            if plan.target_hours < 0:
                raise ValidationError(self.env._(
                    "Target hours per member of the training plan %(plan)s: they must not be negative.",
                    plan=plan.name))
