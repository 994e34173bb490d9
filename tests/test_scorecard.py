"""Scorecards: lines scored on the salesperson's own target of each KPI over exactly the period,
attainment capped, weights summing to 100 %, ranks per team and period, the frozen snapshot
read once the plan is closed, generation from a template; and assessments: overall result
(scorecard 60 %, ratings 40 %), grade, ratings 1-5, publication.

Fixture, worked out by hand (January 2026, plan published):
* user A: ordered revenue target 1000, orders 800 -> 80 %; won deals target 4, five won -> 125 %;
* user B: ordered revenue target 500, orders 600 -> 120 %, exactly the default cap.
"""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import JAN, SalesTargetCase


@tagged("post_install", "-at_install")
class TestScorecard(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["crm.team.member"].create([{"crm_team_id": cls.team_1.id, "user_id": u.id}
                                       for u in (cls.user_a, cls.user_b)])
        cls.jan_plan = env["sales.target.plan"].create({
            "name": "CST January", "company_id": cls.company.id, "horizon": "short",
            "date_from": JAN[0], "date_to": JAN[1]})
        cls.t_a_ordered = cls._make_target(cls.kpi_ordered, 1000.0, cls.user_a)
        cls.t_a_won = cls._make_target(cls.kpi_won, 4.0, cls.user_a)
        cls.t_b_ordered = cls._make_target(cls.kpi_ordered, 500.0, cls.user_b)
        # a target of user A with a product dimension is not their own KPI target
        cls._make_target(cls.kpi_ordered, 10.0, cls.user_a, product_id=cls.prod_a.id)
        cls.jan_plan.action_submit()
        cls.jan_plan.action_approve()
        cls.jan_plan.action_publish()
        cls.template = env["sales.target.scorecard.template"].create({
            "name": "CST template", "company_id": cls.company.id,
            "line_ids": [Command.create({"kpi_id": cls.kpi_ordered.id, "weight": 60.0}),
                         Command.create({"kpi_id": cls.kpi_won.id, "weight": 40.0})]})

    @classmethod
    def _make_target(cls, kpi, value, user, **extra):
        return cls.env["sales.target"].create({
            "plan_id": cls.jan_plan.id, "kpi_id": kpi.id, "date_from": JAN[0], "date_to": JAN[1],
            "team_id": cls.team_1.id, "user_id": user.id, "target_value": value, **extra})

    def _documents(self):
        self._order(self.cust_ca, [(self.prod_a, 8, 100.0)], "2026-01-10", user=self.user_a)
        self._order(self.cust_nv, [(self.prod_a, 6, 100.0)], "2026-01-12", user=self.user_b)
        for day in range(5):
            self._lead(f"CST won {day}", won=f"2026-01-{day + 10}", user=self.user_a)
        self._refresh(self.jan_plan.target_ids)

    def _scorecard(self, user, weights, **values):
        return self.env["sales.target.scorecard"].create({
            "user_id": user.id, "company_id": self.company.id, "date_from": JAN[0], "date_to": JAN[1],
            "line_ids": [Command.create({"kpi_id": kpi.id, "weight": weight, **extra})
                         for kpi, weight, extra in weights], **values})

    def test_scores_cap_boundary_and_rank(self):
        self._documents()
        card_a = self._scorecard(self.user_a, [(self.kpi_ordered, 60.0, {}), (self.kpi_won, 40.0, {})])
        ordered, won = card_a.line_ids
        self.assertEqual((ordered.target_id, won.target_id), (self.t_a_ordered, self.t_a_won))
        self.assertEqual((ordered.cap, won.cap), (120.0, 120.0))  # the company's default
        self.assertAlmostEqual(ordered.attainment, 80.0)
        self.assertAlmostEqual(won.attainment, 125.0)
        # 80 x 60 % = 48; 125 capped at 120, x 40 % = 48
        self.assertAlmostEqual(ordered.score, 48.0)
        self.assertAlmostEqual(won.score, 48.0)
        self.assertAlmostEqual(card_a.score, 96.0)
        # thresholds of the KPIs: good from 100, bad below 80 -> exactly 80 is amber
        self.assertEqual((ordered.traffic_light, won.traffic_light), ("warning", "good"))

        # exactly at the cap: 600 / 500 = 120 % -> 120; a cap of 110 on the line -> 110
        card_b = self._scorecard(self.user_b, [(self.kpi_ordered, 100.0, {})])
        self.assertAlmostEqual(card_b.line_ids.attainment, 120.0)
        self.assertAlmostEqual(card_b.score, 120.0)
        card_b.line_ids.cap = 110.0
        self.assertAlmostEqual(card_b.score, 110.0)

        # ranks per team and period: B (110) first, A (96) second
        self.assertEqual((card_a.team_id, card_b.team_id), (self.team_1, self.team_1))
        self.assertEqual((card_b.rank, card_a.rank), (1, 2))
        self.assertEqual(self.env["sales.target.scorecard"].search([("id", "in", (card_a | card_b).ids)]),
                         card_a | card_b)
        ranking = self.env["sales.target.scorecard"].search([("team_id", "=", self.team_1.id)], order="score desc")
        self.assertEqual(ranking[:2], card_b | card_a)
        self.assertEqual(ranking[0], card_b)

    def test_no_target_scores_nothing(self):
        card = self._scorecard(self.user_b, [(self.kpi_ordered, 50.0, {}), (self.kpi_won, 50.0, {})])
        self.assertFalse(card.line_ids[1].target_id)  # user B has no won-deals target
        self.assertEqual((card.line_ids[1].score, card.line_ids[1].traffic_light), (0.0, False))

    def test_weights_must_sum_to_100(self):
        with self.assertRaisesRegex(ValidationError, r"Weight \(%\).*100 %, not 90 %"), self.env.cr.savepoint():
            self._scorecard(self.user_a, [(self.kpi_ordered, 60.0, {}), (self.kpi_won, 30.0, {})])
        card = self._scorecard(self.user_a, [(self.kpi_ordered, 60.0, {}), (self.kpi_won, 40.0, {})])
        with self.assertRaisesRegex(ValidationError, r"Weight \(%\)"), self.env.cr.savepoint():
            card.line_ids[0].weight = 50.0
        with self.assertRaisesRegex(ValidationError, r"Weight \(%\)"), self.env.cr.savepoint():
            card.write({"line_ids": [Command.delete(card.line_ids[1].id)]})
        # both changed in one save: checked once, on the scorecard
        card.write({"line_ids": [Command.update(line.id, {"weight": 50.0}) for line in card.line_ids]})
        self.assertEqual(card.line_ids.mapped("weight"), [50.0, 50.0])
        with self.assertRaisesRegex(ValidationError, r"Cap \(%\)"), self.env.cr.savepoint():
            card.line_ids[0].cap = 90.0
        with self.assertRaisesRegex(ValidationError, r"Weight \(%\)"), self.env.cr.savepoint():
            self.template.line_ids[0].weight = 70.0

    def test_refresh_and_snapshot_of_closed_period(self):
        card = self._scorecard(self.user_a, [(self.kpi_ordered, 100.0, {})])
        self.assertEqual(card.score, 0.0)
        self._documents()  # the refresh writes in SQL: the line is scored again at once
        self.assertAlmostEqual(card.score, 80.0)
        self.jan_plan.action_close()
        line = card.line_ids
        self.assertTrue(line.frozen)
        self.assertAlmostEqual(line.attainment, 80.0)
        # the target changes after the close (as an adjustment would): the scorecard keeps the
        # figures of the close
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE sales_target SET attainment = 50, actual_value = 500 WHERE id = %s",
                                self.t_a_ordered.id))
        self.t_a_ordered.invalidate_recordset()
        self.t_a_ordered._rescore_scorecards()
        self.assertAlmostEqual(line.attainment, 80.0)
        self.assertAlmostEqual(card.score, 80.0)
        # reopened: live figures again
        self.jan_plan.action_reopen("test")
        self.assertFalse(line.frozen)
        self.assertAlmostEqual(line.attainment, 50.0)
        self.assertAlmostEqual(card.score, 50.0)

    def test_generate_from_template(self):
        wizard = self.env["sales.target.scorecard.generate"].create({
            "team_id": self.team_1.id, "template_id": self.template.id, "date_from": JAN[0], "date_to": JAN[1]})
        self.assertEqual(wizard.user_ids, self.user_a | self.user_b)
        cards = self.env["sales.target.scorecard"].search(wizard.action_generate()["domain"])
        self.assertEqual(cards.user_id, self.user_a | self.user_b)
        self.assertEqual(cards.mapped("team_id"), self.team_1)
        for card in cards:
            self.assertEqual(card.line_ids.mapped("weight"), [60.0, 40.0])
            self.assertEqual(card.line_ids.kpi_id, self.kpi_ordered | self.kpi_won)
        # all or nothing: once more for the same period is refused and creates nothing
        count = self.env["sales.target.scorecard"].search_count([])
        with self.assertRaisesRegex(UserError, "already have a scorecard"), self.env.cr.savepoint():
            self.env["sales.target.scorecard.generate"].create({
                "team_id": self.team_1.id, "template_id": self.template.id, "date_from": JAN[0],
                "date_to": JAN[1]}).action_generate()
        self.assertEqual(self.env["sales.target.scorecard"].search_count([]), count)

    def test_assessment_result_and_grade(self):
        self._documents()
        card = self._scorecard(self.user_a, [(self.kpi_ordered, 60.0, {}), (self.kpi_won, 40.0, {})])
        assessment = self.env["sales.target.assessment"].create({
            "user_id": self.user_a.id, "company_id": self.company.id, "date_from": JAN[0], "date_to": JAN[1],
            "rating_teamwork": 4, "rating_customer": 3})
        self.assertEqual(assessment.scorecard_id, card)
        # 0.6 x 96 + 0.4 x (80 + 60) / 2 = 57.6 + 28 = 85.6 -> B
        self.assertAlmostEqual(assessment.overall_result, 85.6)
        self.assertEqual(assessment.grade, "B")
        self.assertFalse(assessment._passes(50.0))  # a draft passes no gate
        assessment.action_publish()
        self.assertTrue(assessment._passes(85.6))
        self.assertFalse(assessment._passes(85.61))
        assessment.action_reset_draft()

        # exactly at a boundary: ordered revenue alone scores 80; 0.6 x 80 + 0.4 x (20 + 40) / 2 = 60 -> C
        card.write({"line_ids": [Command.delete(card.line_ids[1].id),
                                 Command.update(card.line_ids[0].id, {"weight": 100.0})]})
        assessment.write({"rating_teamwork": 1, "rating_customer": 2})
        self.assertAlmostEqual(assessment.overall_result, 60.0)
        self.assertEqual(assessment.grade, "C")
        assessment.rating_customer = 1  # 48 + 8 = 56
        self.assertAlmostEqual(assessment.overall_result, 56.0)
        self.assertEqual(assessment.grade, "D")

        for fname, label in (("rating_teamwork", "Teamwork"), ("rating_customer", "Customer relationship maintenance")):
            for rating in (6, -1):
                with self.assertRaisesRegex(ValidationError, f"{label} of .* from 1 to 5"), self.env.cr.savepoint():
                    assessment.write({fname: rating})
                assessment.invalidate_recordset(flush=False)
        assessment.rating_customer = 0  # not rated yet: allowed in draft, not published
        with self.assertRaisesRegex(UserError, "Customer relationship maintenance"), self.env.cr.savepoint():
            assessment.action_publish()

    def test_published_assessment_keeps_its_score(self):
        self._documents()
        card = self._scorecard(self.user_a, [(self.kpi_ordered, 60.0, {}), (self.kpi_won, 40.0, {})])
        assessment = self.env["sales.target.assessment"].create({
            "user_id": self.user_a.id, "company_id": self.company.id, "date_from": JAN[0], "date_to": JAN[1],
            "rating_teamwork": 4, "rating_customer": 3})
        assessment.action_publish()
        # published at 96: 0.6 x 96 + 0.4 x (80 + 60) / 2 = 85.6, B
        self.assertEqual((assessment.scorecard_score, assessment.overall_result, assessment.grade), (96.0, 85.6, "B"))
        # the scorecard moves: ordered revenue alone, 800 / 1,000 -> 80; then a refresh with
        # 200 more ordered -> 100
        card.write({"line_ids": [Command.delete(card.line_ids[1].id),
                                 Command.update(card.line_ids[0].id, {"weight": 100.0})]})
        self.assertAlmostEqual(card.score, 80.0)
        self._order(self.cust_ca, [(self.prod_a, 2, 100.0)], "2026-01-20", user=self.user_a)
        self._refresh(self.jan_plan.target_ids)
        self.assertAlmostEqual(card.score, 100.0)
        self.env.invalidate_all()
        self.assertEqual((assessment.scorecard_score, assessment.overall_result, assessment.grade), (96.0, 85.6, "B"))
        self.assertTrue(assessment._passes(85.6))
        # back to draft: live again, 0.6 x 100 + 28 = 88
        assessment.action_reset_draft()
        self.assertEqual((assessment.scorecard_score, assessment.overall_result), (100.0, 88.0))

    def test_assessment_score_above_100(self):
        self._documents()
        self._scorecard(self.user_b, [(self.kpi_ordered, 100.0, {})])
        assessment = self.env["sales.target.assessment"].create({
            "user_id": self.user_b.id, "company_id": self.company.id, "date_from": JAN[0], "date_to": JAN[1],
            "rating_teamwork": 5, "rating_customer": 5})
        # the score of 120 counts as 100: 60 + 40 = 100 -> A
        self.assertAlmostEqual(assessment.overall_result, 100.0)
        self.assertEqual(assessment.grade, "A")
