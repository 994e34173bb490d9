"""What an assessment reads from the rest of the module (issue 8 with issue 9):

* the customer satisfaction of the salesperson's records of the period (average CSAT, NPS)
  and the training they attended in it, stored and read again by a button;
* the incentive plans' assessment gate: the published assessment covering the statement's
  period must reach the gate's minimum overall result;
* training suggestions: a published assessment graded D, or with a rating of 2 or less,
  suggests courses that improved the weakest KPI of the salesperson's scorecard.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_list

from ..tools import satisfaction

#: an assessment below these suggests training
SUGGEST_GRADE = "D"
SUGGEST_RATING_MAX = 2
FIGURES = ("customer_satisfaction", "customer_nps", "satisfaction_count", "training_summary", "training_sessions",
           "training_passed", "training_hours")


class SalesTargetAssessment(models.Model):
    _inherit = "sales.target.assessment"

    customer_satisfaction = fields.Float(
        compute="_compute_customer_figures", store=True, readonly=True, aggregator="avg",
        help="Average CSAT (1 to 5) of the salesperson's satisfaction records of the period; 0 without any.")
    customer_nps = fields.Float(
        "Net Promoter Score", compute="_compute_customer_figures", store=True, readonly=True,
        help="% of promoters minus % of detractors among the NPS answers of the salesperson's records of the "
             "period.")
    satisfaction_count = fields.Integer(
        "Satisfaction answers", compute="_compute_customer_figures", store=True, readonly=True,
        help="CSAT and NPS answers of the salesperson's records of the period.")
    training_summary = fields.Text(compute="_compute_training_figures", store=True, readonly=False)
    training_sessions = fields.Integer(
        "Sessions attended", compute="_compute_training_figures", store=True, readonly=True,
        help="Training sessions held in the period that the salesperson attended.")
    training_passed = fields.Integer("Sessions passed", compute="_compute_training_figures", store=True,
                                     readonly=True)
    training_hours = fields.Float("Training hours", compute="_compute_training_figures", store=True, readonly=True)
    suggestion_ids = fields.One2many("sales.target.training.suggestion", "assessment_id",
                                     string="Training suggestions")

    def _period_records(self, model, date_field, domain=(), order=None):
        """``{assessment id: records}``: the records of ``model`` (matching ``domain``) of each
        assessment's salesperson and company dated in its period, in ``order``."""
        dated = self.filtered(lambda a: a.user_id and a.date_from and a.date_to)
        if not dated:
            return {}
        # sudo: the figures of all the salesperson's records, whoever of their leaders or
        # managers writes the assessment (a regional leader may not read a team's records,
        # nor the attendance at any team's sessions); only the figures are kept
        records = self.env[model].sudo().search([
            ("user_id", "in", dated.user_id.ids), ("company_id", "in", dated.company_id.ids), *domain,
            (date_field, ">=", min(dated.mapped("date_from"))), (date_field, "<=", max(dated.mapped("date_to")))],
            order=order)
        by_key = defaultdict(list)
        for record in records:
            by_key[record.user_id.id, record.company_id.id].append(record)
        return {assessment.id: [r for r in by_key.get((assessment.user_id.id, assessment.company_id.id), ())
                                if assessment.date_from <= r[date_field] <= assessment.date_to]
                for assessment in dated}

    @api.depends("user_id", "company_id", "date_from", "date_to")
    def _compute_customer_figures(self):
        mine = self._period_records("sales.target.satisfaction", "date")
        for assessment in self:
            answers = mine.get(assessment.id, [])
            csat = [r.score for r in answers if r.kind == "csat"]
            nps = [r.score for r in answers if r.kind == "nps"]
            assessment.customer_satisfaction = satisfaction.average_csat(csat) or 0.0
            assessment.customer_nps = satisfaction.nps(nps) or 0.0
            assessment.satisfaction_count = len(answers)

    @api.depends("user_id", "company_id", "date_from", "date_to")
    def _compute_training_figures(self):
        mine = self._period_records("sales.target.training.attendance", "session_date", [
            ("attended", "=", True), ("session_id.state", "=", "done")], order="session_date, id")
        for assessment in self:
            attended = mine.get(assessment.id, [])
            hours = sum(line.hours for line in attended)
            assessment.training_sessions = len(attended)
            assessment.training_passed = sum(1 for line in attended if line.passed)
            assessment.training_hours = hours
            if not attended:
                assessment.training_summary = self.env._("No training attended in the period.")
                continue
            sessions = [self.env._("%(course)s (%(date)s, %(hours)s h%(result)s)",
                                   course=line.course_id.name, date=line.session_date, hours=format(line.hours, "g"),
                                   result=self.env._(", passed") if line.passed else "")
                        for line in attended]
            assessment.training_summary = self.env._(
                "%(count)s sessions attended, %(passed)s passed, %(hours)s hours: %(sessions)s.",
                count=len(attended), passed=assessment.training_passed, hours=format(hours, "g"),
                sessions=format_list(self.env, sessions))

    def action_refresh_figures(self):
        """Button: read the satisfaction and the training of the period again."""
        self.check_access("write")
        for fname in FIGURES:
            self.env.add_to_compute(self._fields[fname], self)
        self._recompute_recordset(FIGURES)
        return True

    # ------------------------------------------------------------------ gate
    def _gate_reason(self, minimum):
        """``(passed, reason)`` of this assessment against an incentive gate of ``minimum``."""
        self.ensure_one()
        result = format(round(self.overall_result, 1), "g")
        if self.state != "published":
            return False, self.env._("the assessment %(assessment)s is not published", assessment=self.display_name)
        if not self._passes(minimum):
            return False, self.env._("overall result %(result)s below %(minimum)s, grade %(grade)s",
                                     result=result, minimum=format(minimum, "g"), grade=self.grade)
        return True, self.env._("overall result %(result)s, grade %(grade)s", result=result, grade=self.grade)

    # ------------------------------------------------------------------ training suggestions
    def action_publish(self):
        res = super().action_publish()
        self._suggest_training()
        return res

    def _needs_training(self):
        self.ensure_one()
        ratings = [r for r in (self.rating_teamwork, self.rating_customer) if r]
        return self.grade == SUGGEST_GRADE or any(r <= SUGGEST_RATING_MAX for r in ratings)

    def _weakest_line(self):
        """The scorecard line of the lowest attainment (the heavier first on a tie)."""
        lines = self.scorecard_id.line_ids.filtered("target_id")
        return lines.sorted(lambda line: (line.attainment, -line.weight, line.id))[:1]

    def _suggest_training(self):
        """Suggest training for the published assessments of ``self`` that call for it, on the
        weakest KPI of their scorecard; none where one is open for the salesperson and KPI."""
        # sudo: suggestions are the module's response to a published assessment, as the cron
        # makes them; leaders act on them but do not create them
        Suggestion = self.env["sales.target.training.suggestion"].sudo()
        vals_list = []
        for assessment in self.filtered(lambda a: a.state == "published" and a._needs_training()):
            line = assessment._weakest_line()
            if not line or Suggestion.search_count([
                    ("user_id", "=", assessment.user_id.id), ("kpi_id", "=", line.kpi_id.id),
                    ("company_id", "=", assessment.company_id.id), ("state", "=", "open")], limit=1):
                continue
            courses = Suggestion._helpful_courses(assessment.company_id, line.kpi_id)[line.kpi_id]
            team = assessment.team_id or assessment.user_id.sale_team_id
            leader = team.user_id if team.user_id and team.user_id != assessment.user_id else self.env.user
            vals_list.append({
                "user_id": assessment.user_id.id, "kpi_id": line.kpi_id.id, "team_id": team.id,
                "leader_id": leader.id, "company_id": assessment.company_id.id, "assessment_id": assessment.id,
                "course_ids": [(6, 0, courses.ids)], "target_ids": [(6, 0, line.target_id.ids)],
                "reason": self.env._(
                    "Assessment %(assessment)s: grade %(grade)s, teamwork %(teamwork)s/5, customer relationships "
                    "%(customer)s/5; the weakest KPI of the scorecard is %(kpi)s at %(attainment)s %% attainment.",
                    assessment=assessment.display_name, grade=assessment.grade,
                    teamwork=assessment.rating_teamwork, customer=assessment.rating_customer, kpi=line.kpi_id.name,
                    attainment=format(round(line.attainment, 1), "g")),
            })
        suggestions = Suggestion.create(vals_list)
        suggestions._schedule_leader_activities()
        return suggestions


class SalesTargetTrainingSuggestion(models.Model):
    _inherit = "sales.target.training.suggestion"

    assessment_id = fields.Many2one("sales.target.assessment", string="Assessment", index="btree_not_null",
                                    ondelete="set null", help="The assessment that called for this training.")


class SalesTargetIncentivePlan(models.Model):
    _inherit = "sales.target.incentive.plan"

    def _gate_assessment(self, user, date_from, date_to, minimum):
        """The published assessment of ``user`` covering ``date_from..date_to`` (the narrowest,
        then the latest) must reach ``minimum``; a draft one, or none, fails the gate."""
        assessments = self.env["sales.target.assessment"].search([
            ("user_id", "=", user.id), ("company_id", "=", self.company_id.id),
            ("date_from", "<=", date_from), ("date_to", ">=", date_to)])
        if not assessments:
            return False, self.env._("no assessment of %(user)s covers the period", user=user.name)
        best = assessments.sorted(lambda a: (a.state != "published", a.date_to - a.date_from, -a.id))[0]
        return best._gate_reason(minimum)
