"""The links between satisfaction, actions, assessments, training and incentives, on
hand-computed fixtures.

Incentives (as in ``test_incentive``): January targets of ordered revenue of 10,000 for A
(9,000 ordered: 90 %) and B (12,000: 120 %), a monthly plan paying 2 % from 80 %.
Assessments weigh the scorecard for 60 % and the ratings for 40 % (5 = 100 %).
"""

from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import FEB, JAN, SalesTargetCase
from .test_incentive import IncentiveCase


def _assessment(case, user, ratings, period=JAN, publish=False):
    assessment = case.env["sales.target.assessment"].create({
        "user_id": user.id, "company_id": case.company.id, "date_from": period[0], "date_to": period[1],
        "rating_teamwork": ratings[0], "rating_customer": ratings[1]})
    if publish:
        assessment.action_publish()
    return assessment


@tagged("post_install", "-at_install")
class TestImprovementActions(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_csat = cls.env.ref("crm_sales_target.kpi_csat")
        cls.kpi_nps = cls.env.ref("crm_sales_target.kpi_nps")

    def test_action_improves_the_kpi_of_its_target(self):
        Action = self.env["sales.target.action"]
        csat_target = self._target(self.kpi_csat, JAN, value=4.2, user_id=self.user_a)
        on_target = Action.create({"name": "Call back unhappy customers", "target_id": csat_target.id,
                                   "deadline": date(2026, 1, 31)})
        on_plan = Action.create({"name": "Survey after delivery", "plan_id": self.plan.id, "kpi_id": self.kpi_nps.id,
                                 "deadline": date(2026, 2, 28)})
        revenue = Action.create({"name": "Visit the top ten", "plan_id": self.plan.id,
                                 "target_id": self._target(self.kpi_ordered, JAN).id, "deadline": date(2026, 1, 31)})
        self.assertEqual((on_target.kpi_id, on_target.plan_id, revenue.kpi_id),
                         (self.kpi_csat, self.plan, self.kpi_ordered))
        self.assertTrue(on_target.is_satisfaction and on_plan.is_satisfaction)
        self.assertFalse(revenue.is_satisfaction)
        found = Action.search([("plan_id", "=", self.plan.id), ("kpi_id.is_satisfaction", "=", True)])
        self.assertEqual(found, on_target | on_plan)
        with self.assertRaisesRegex(ValidationError, "KPI improved"):
            on_target.kpi_id = self.kpi_ordered

    def test_complaint_improvement_proposes_csat_or_nps(self):
        complaint = self.env["sales.target.complaint"].create({
            "name": "Late delivery", "partner_id": self.cust_ca.id, "user_id": self.user_a.id,
            "company_id": self.company.id, "team_id": self.team_1.id, "date": date(2026, 11, 2)})
        context = complaint.action_create_improvement()["context"]
        self.assertEqual(context["default_kpi_id"], self.kpi_csat.id)
        action = self.env["sales.target.action"].with_context(**context).create({})
        self.assertEqual((action.kpi_id, action.complaint_id, action.plan_id), (self.kpi_csat, complaint, self.plan))
        # a customer asked only the NPS question: the NPS KPI
        self.env["sales.target.satisfaction"].create({
            "partner_id": self.cust_ca.id, "kind": "nps", "score": 3, "company_id": self.company.id})
        self.assertEqual(complaint.action_create_improvement()["context"]["default_kpi_id"], self.kpi_nps.id)


@tagged("post_install", "-at_install")
class TestAssessmentFigures(SalesTargetCase):

    def _session(self, course, day, hours, lines, state="done"):
        return self.env["sales.target.training.session"].create({
            "course_id": course.id, "date": day, "hours": hours, "state": state,
            "attendance_ids": [Command.create({"user_id": user.id, **values}) for user, values in lines]})

    def test_satisfaction_and_training_of_the_period(self):
        Sat = self.env["sales.target.satisfaction"]

        def answers(kind, scores, day, user=None, company=None):
            Sat.create([{"partner_id": self.cust_ca.id, "user_id": (user or self.user_a).id, "kind": kind,
                         "score": s, "date": day, "company_id": (company or self.company).id, "team_id": False}
                        for s in scores])

        answers("csat", [5, 3], "2026-01-10")
        answers("csat", [4], "2026-02-01")                              # after the period
        answers("csat", [1], "2026-01-20", user=self.user_b)            # another salesperson
        answers("csat", [1], "2026-01-20", company=self.other_company)  # another company
        answers("nps", [10, 9, 6], "2026-01-31")                        # 2 promoters, 1 detractor
        course = self.env["sales.target.training.course"].create({
            "name": "CST Listening", "content_type": "crm", "company_id": self.company.id})
        self._session(course, "2026-01-15", 3.0, [(self.user_a, {"attended": True, "passed": True})])
        self._session(course, "2026-01-20", 2.5, [(self.user_a, {"attended": True}), (self.user_b, {"attended": True})])
        self._session(course, "2026-01-25", 4.0, [(self.user_a, {"attended": False})])          # absent
        self._session(course, "2026-01-28", 4.0, [(self.user_a, {"attended": True})], "planned")  # not held
        self._session(course, "2026-02-03", 4.0, [(self.user_a, {"attended": True})])           # after
        assessment = _assessment(self, self.user_a, (4, 4))
        self.assertAlmostEqual(assessment.customer_satisfaction, 4.0)    # (5 + 3) / 2
        self.assertAlmostEqual(assessment.customer_nps, 100 / 3)          # (2 - 1) / 3
        self.assertEqual(assessment.satisfaction_count, 5)
        self.assertEqual((assessment.training_sessions, assessment.training_passed, assessment.training_hours),
                         (2, 1, 5.5))
        self.assertIn("2 sessions attended, 1 passed, 5.5 hours", assessment.training_summary)
        self.assertIn("CST Listening (2026-01-15, 3 h, passed)", assessment.training_summary)
        # a late answer of the period: read again by the button
        answers("csat", [1], "2026-01-31")
        self.assertAlmostEqual(assessment.customer_satisfaction, 4.0)
        assessment.action_refresh_figures()
        self.assertAlmostEqual(assessment.customer_satisfaction, 3.0)    # (5 + 3 + 1) / 3
        self.assertEqual(assessment.satisfaction_count, 6)
        # another period: nothing
        february = _assessment(self, self.user_b, (4, 4), period=FEB)
        self.assertEqual((february.customer_satisfaction, february.training_sessions), (0.0, 0))
        self.assertEqual(february.training_summary, "No training attended in the period.")


@tagged("post_install", "-at_install")
class TestIncentiveLinks(IncentiveCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_csat = cls.env.ref("crm_sales_target.kpi_csat")

    def _scorecard(self, user, lines):
        return self.env["sales.target.scorecard"].create({
            "user_id": user.id, "company_id": self.company.id, "date_from": JAN[0], "date_to": JAN[1],
            "line_ids": [Command.create({"kpi_id": kpi.id, "weight": weight}) for kpi, weight in lines]})

    def _csat(self, user, scores):
        self.env["sales.target.satisfaction"].create([{
            "partner_id": self.cust_ca.id, "user_id": user.id, "kind": "csat", "score": score,
            "date": "2026-01-10", "company_id": self.company.id, "team_id": self.team_1.id} for score in scores])

    def test_assessment_gate(self):
        self._sell()
        self._close()
        self._scorecard(self.user_a, [(self.kpi_ordered, 100.0)])   # 90 % -> 90
        self._scorecard(self.user_b, [(self.kpi_ordered, 100.0)])   # 120 % -> 120
        assessment_a = _assessment(self, self.user_a, (4, 5), publish=True)  # 0.6 × 90 + 0.4 × 90 = 90
        assessment_b = _assessment(self, self.user_b, (1, 1))                # 0.6 × 100 + 0.4 × 20 = 68
        self.assertEqual((assessment_a.overall_result, assessment_a.grade), (90.0, "A"))
        self.assertEqual((assessment_b.overall_result, assessment_b.grade), (68.0, "C"))
        self.env["sales.target.incentive.gate"].create(
            {"plan_id": self.incentive.id, "gate_type": "assessment", "minimum": 70.0})
        self._compute()
        line_a, line_b = self._line(self.user_a), self._line(self.user_b)
        self.assertEqual((line_a.gates_passed, line_a.amount), (True, 180.0))
        self.assertIn("overall result 90, grade A", line_a.gate_result)
        self.assertEqual((line_b.gates_passed, line_b.amount), (False, 0.0))   # a draft passes no gate
        self.assertIn(f"the assessment {assessment_b.display_name} is not published", line_b.note)
        self.assertIn("— < 70", line_b.note)
        assessment_b.action_publish()
        self._compute()
        self.assertEqual(self._line(self.user_b).amount, 0.0)
        self.assertIn("overall result 68 below 70, grade C", self._line(self.user_b).note)
        assessment_b.unlink()
        self._compute()
        self.assertIn("no assessment of CST Salesperson B covers the period", self._line(self.user_b).note)

    def test_satisfaction_gate_blocks_the_payout(self):
        self._sell()
        self._jan_target(self.kpi_csat, 4.0, self.user_a)
        self._jan_target(self.kpi_csat, 4.0, self.user_b)
        self._csat(self.user_a, [5, 4])     # 4.5
        self._csat(self.user_b, [4, 3])     # 3.5
        self._close()
        self.env["sales.target.incentive.gate"].create(
            {"plan_id": self.incentive.id, "gate_type": "kpi_actual", "kpi_id": self.kpi_csat.id, "minimum": 4.0})
        self._compute()
        line_a, line_b = self._line(self.user_a), self._line(self.user_b)
        self.assertEqual((line_a.gates_passed, line_a.amount), (True, 180.0))
        self.assertIn(f"{self.kpi_csat.name}: 4.5 ≥ 4 ✓", line_a.gate_result)
        # B reached 120 % of revenue, but their customers' satisfaction stayed under 4: nothing
        self.assertEqual((line_b.gates_passed, line_b.gross_amount, line_b.amount), (False, 0.0, 0.0))
        self.assertIn(f"Gate failed, nothing paid: {self.kpi_csat.name}: 3.5 < 4", line_b.note)
        self.assertIn("✗", line_b.gate_result)

    def test_training_suggested_by_assessment(self):
        self._sell()
        self._jan_target(self.kpi_csat, 4.0, self.user_a)
        self._jan_target(self.kpi_csat, 4.0, self.user_b)
        self._csat(self.user_a, [5, 4])     # 4.5 of 4: 112.5 %
        self._csat(self.user_b, [4, 3])     # 3.5 of 4: 87.5 %
        self._close()
        Course = self.env["sales.target.training.course"]
        listening, closing, useless = Course.create([
            {"name": name, "content_type": "crm", "company_id": self.company.id}
            for name in ("CST Listening", "CST Closing", "CST Useless")])
        self.env["sales.target.training.effect"].create([
            {"course_id": course.id, "company_id": self.company.id, "kpi_id": kpi.id, "group_type": "attendees",
             "has_effect": True, "effect": effect}
            for course, kpi, effect in ((listening, self.kpi_csat, 0.4), (closing, self.kpi_ordered, 900.0),
                                        (useless, self.kpi_csat, -0.2))])
        lines = [(self.kpi_ordered, 60.0), (self.kpi_csat, 40.0)]
        self._scorecard(self.user_a, lines)   # 0.6 × 90 + 0.4 × 112.5 = 99
        self._scorecard(self.user_b, lines)   # 0.6 × 120 + 0.4 × 87.5 = 107
        Suggestion = self.env["sales.target.training.suggestion"]
        # A: 0.6 × 99 + 0.4 × 90 = 95.4, grade A, ratings 4 and 5: nothing to suggest
        _assessment(self, self.user_a, (4, 5), publish=True)
        self.assertFalse(Suggestion.search([("user_id", "=", self.user_a.id)]))
        # B: a draft suggests nothing; published with a rating of 2, it does
        assessment_b = _assessment(self, self.user_b, (4, 2))
        self.assertFalse(Suggestion.search([("user_id", "=", self.user_b.id)]))
        assessment_b.action_publish()
        suggestion = Suggestion.search([("user_id", "=", self.user_b.id)])
        self.assertEqual(len(suggestion), 1)
        # the weakest KPI of B's scorecard is satisfaction (87.5 % against 120 %)
        self.assertEqual((suggestion.kpi_id, suggestion.course_ids, suggestion.assessment_id),
                         (self.kpi_csat, listening, assessment_b))
        self.assertIn("at 87.5 % attainment", suggestion.reason)
        self.assertEqual(len(suggestion.activity_ids), 1)
        self.assertIn("CST Listening", str(suggestion.activity_ids.note))
        # published again while the suggestion is open: no second one
        assessment_b.action_reset_draft()
        assessment_b.action_publish()
        self.assertEqual(Suggestion.search_count([("user_id", "=", self.user_b.id)]), 1)

    def test_grade_d_suggests_training(self):
        self._sell(a=3000.0)                   # A at 30 %
        self._close()
        self._scorecard(self.user_a, [(self.kpi_ordered, 100.0)])
        assessment = _assessment(self, self.user_a, (3, 3), publish=True)   # 0.6 × 30 + 0.4 × 60 = 42
        self.assertEqual(assessment.grade, "D")
        suggestion = self.env["sales.target.training.suggestion"].search([("assessment_id", "=", assessment.id)])
        self.assertEqual((suggestion.user_id, suggestion.kpi_id), (self.user_a, self.kpi_ordered))
        self.assertFalse(suggestion.course_ids)


@tagged("post_install", "-at_install")
class TestIntegrateDemo(TransactionCase):

    def test_demo_satisfaction_targets(self):
        plan = self.env.ref("crm_sales_target.demo_sales_plan", raise_if_not_found=False)
        if not plan:
            self.skipTest("demo data not installed")
        csat = self.env.ref("crm_sales_target.kpi_csat")
        targets = plan.target_ids.filtered(lambda t: t.kpi_id == csat)
        self.assertEqual(len(targets.user_id), 6)
        self.assertEqual(len(set(targets.mapped("date_from"))), 1)
        self.assertTrue(all(targets.mapped("actuals_date")))
        self.assertTrue(all(0.0 <= value <= 5.0 for value in targets.mapped("actual_value")))
