"""Assessments of salespeople (handbook 6.3.2-6.3.3, 8.1.4): per salesperson and period, the
scorecard (what was achieved) and the manager's ratings on teamwork and on the maintenance of
customer relationships (how), giving an overall result from 0 to 100 and a grade. Incentive
plans may require a minimum result (``_passes``); training suggestions read it."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import scorecard as arithmetic

ASSESSMENT_STATES = [("draft", "Draft"), ("published", "Published")]
GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
#: rating field -> the label the errors name
RATING_FIELDS = ("rating_teamwork", "rating_customer")


class SalesTargetAssessment(models.Model):
    _name = "sales.target.assessment"
    _description = "Salesperson Assessment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, overall_result desc, id"
    _check_company_auto = True

    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True,
                              domain="[('share', '=', False)]", tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    team_id = fields.Many2one(related="scorecard_id.team_id", store=True, string="Sales Team")
    date_from = fields.Date("Start", required=True, tracking=True)
    date_to = fields.Date("End", required=True, tracking=True)
    state = fields.Selection(ASSESSMENT_STATES, required=True, default="draft", tracking=True, copy=False)
    scorecard_id = fields.Many2one(
        "sales.target.scorecard", string="Scorecard", compute="_compute_scorecard_id", store=True, readonly=False,
        check_company=True, domain="[('user_id', '=', user_id), ('company_id', '=', company_id)]",
        help="The salesperson's scorecard of the same period.")
    scorecard_score = fields.Float(
        "Scorecard score", compute="_compute_scorecard_score", store=True,
        help="The scorecard's score: live while the assessment is a draft, as it was at publication once "
             "published.")
    published_score = fields.Float("Scorecard score at publication", readonly=True, copy=False)
    rating_teamwork = fields.Integer("Teamwork", tracking=True,
                                     help="The manager's rating, from 1 (poor) to 5 (excellent).")
    teamwork_comment = fields.Text("Comment on teamwork")
    rating_customer = fields.Integer(
        "Customer relationship maintenance", tracking=True,
        help="The manager's rating of how the salesperson maintains customer relationships, from 1 (poor) to 5 "
             "(excellent).")
    customer_comment = fields.Text("Comment on customer relationships")
    training_summary = fields.Text("Training completed", help="Courses and sessions completed in the period.")
    customer_satisfaction = fields.Float("Customer satisfaction", help="Average satisfaction of the salesperson's "
                                                                        "customers in the period, when measured.")
    overall_result = fields.Float(
        "Overall result", compute="_compute_overall_result", store=True, aggregator="avg",
        help="From 0 to 100: the scorecard's score (at most 100) for 60 %, the average of the ratings "
             "(5 = 100) for 40 %.")
    grade = fields.Selection(GRADES, compute="_compute_overall_result", store=True,
                             help="A from 90, B from 75, C from 60, D below.")

    _sql_constraints = [
        ("user_period_uniq", "unique(user_id, company_id, date_from, date_to)",
         "A salesperson has one assessment per period."),
    ]

    @api.depends("user_id", "date_from", "date_to")
    def _compute_display_name(self):
        for assessment in self:
            assessment.display_name = self.env._(
                "%(user)s, %(start)s – %(end)s", user=assessment.user_id.name or "",
                start=assessment.date_from or "", end=assessment.date_to or "")

    @api.depends("user_id", "company_id", "date_from", "date_to")
    def _compute_scorecard_id(self):
        cards = self.env["sales.target.scorecard"].search([
            ("user_id", "in", self.user_id.ids), ("company_id", "in", self.company_id.ids),
            ("date_from", "in", self.mapped("date_from")), ("date_to", "in", self.mapped("date_to"))])
        by_key = {(c.user_id.id, c.company_id.id, c.date_from, c.date_to): c for c in cards}
        for assessment in self:
            key = (assessment.user_id.id, assessment.company_id.id, assessment.date_from, assessment.date_to)
            assessment.scorecard_id = by_key.get(key, False)

    @api.depends("state", "scorecard_id.score", "published_score")
    def _compute_scorecard_score(self):
        # a published assessment keeps the score it was published with: its result, grade
        # and the incentive gates reading it do not move with later refreshes of the scorecard
        for assessment in self:
            assessment.scorecard_score = (assessment.published_score if assessment.state == "published"
                                          else assessment.scorecard_id.score)

    @api.depends("scorecard_score", *RATING_FIELDS)
    def _compute_overall_result(self):
        for assessment in self:
            result = arithmetic.overall_result(
                assessment.scorecard_score, [assessment[fname] for fname in RATING_FIELDS])
            assessment.overall_result = result
            assessment.grade = arithmetic.grade(result)

    @api.constrains(*RATING_FIELDS)
    def _check_ratings(self):
        for assessment in self:
            for fname in RATING_FIELDS:
                rating = assessment[fname]
                if rating and not arithmetic.RATING_MIN <= rating <= arithmetic.RATING_MAX:
                    raise ValidationError(self.env._(
                        "%(field)s of %(assessment)s: a rating goes from 1 to 5, not %(rating)s.",
                        field=self._fields[fname].get_description(self.env)["string"],
                        assessment=assessment.display_name, rating=rating))

    @api.constrains("date_from", "date_to", "scorecard_id", "user_id")
    def _check_period(self):
        for assessment in self:
            if assessment.date_from > assessment.date_to:
                raise ValidationError(self.env._(
                    "End of assessment %(assessment)s: it must not be before its start.",
                    assessment=assessment.display_name))
            card = assessment.scorecard_id
            if card and (card.user_id, card.date_from, card.date_to) != (
                    assessment.user_id, assessment.date_from, assessment.date_to):
                raise ValidationError(self.env._(
                    "Scorecard of assessment %(assessment)s: it must be the salesperson's scorecard of the same "
                    "period.", assessment=assessment.display_name))

    def action_publish(self):
        for assessment in self:
            missing = [self._fields[f].get_description(self.env)["string"] for f in RATING_FIELDS if not assessment[f]]
            if missing:
                raise UserError(self.env._(
                    "%(fields)s of %(assessment)s: rate the salesperson before publishing the assessment.",
                    fields=", ".join(missing), assessment=assessment.display_name))
        for assessment in self:
            assessment.write({"state": "published", "published_score": assessment.scorecard_id.score})

    def action_reset_draft(self):
        self.write({"state": "draft"})

    def _passes(self, min_result):
        """Whether this assessment is published and its overall result reaches ``min_result``
        (0-100): a gate of incentive plans. A draft assessment passes no gate."""
        self.ensure_one()
        return self.state == "published" and self.overall_result >= min_result
