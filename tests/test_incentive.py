"""Incentive statements on hand-computed fixtures: tiers at their boundaries, fixed tiers,
weights, gates, caps, floors, penalties, snapshots against live figures, the correction after
an adjustment, immutability of confirmed statements, the wizard's all-or-nothing and the XLSX
export read back.

Fixtures: a January plan with ordered-revenue targets of 10,000 for salespeople A and B; A
orders 9,000 (90 %), B 12,000 (120 %). The monthly incentive plan pays 2 % of the base with a
decelerator (× 0.5) under 80 %, × 1 to 110 %, an accelerator (× 1.5) from 110 %.
"""

import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import JAN, SalesTargetCase

MANAGER = "base.group_user,crm_sales_target.crm_sales_target_group_manager"


@tagged("post_install", "-at_install")
class IncentiveCase(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"sales_target_adjust_threshold_pct": 0.0, "sales_target_adjust_threshold_amount": 0.0})
        cls.manager = new_test_user(cls.env, "cst_inc_manager", groups=MANAGER, company_id=cls.company.id,
                                    company_ids=[Command.set(cls.company.ids)])
        cls.jan_plan = cls.env["sales.target.plan"].create({
            "name": "CST Incentive January", "company_id": cls.company.id, "horizon": "short",
            "date_from": JAN[0], "date_to": JAN[1]})
        cls.target_a = cls._jan_target(cls.kpi_ordered, 10000.0, cls.user_a)
        cls.target_b = cls._jan_target(cls.kpi_ordered, 10000.0, cls.user_b)
        cls.incentive = cls.env["sales.target.incentive.plan"].create({
            "name": "CST Incentives 2026", "company_id": cls.company.id, "period_type": "month",
            "applies_to": "users", "user_ids": [Command.set((cls.user_a | cls.user_b).ids)],
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
            "tier_ids": [
                Command.create({"lower": 0.0, "upper": 80.0, "rate": 2.0, "multiplier": 0.5}),
                Command.create({"lower": 80.0, "upper": 110.0, "rate": 2.0}),
                Command.create({"lower": 110.0, "upper": 0.0, "rate": 2.0, "multiplier": 1.5}),
            ],
            "rule_ids": [Command.create({"name": "Commission", "kpi_id": cls.kpi_ordered.id})],
        })
        cls.rule = cls.incentive.rule_ids

    @classmethod
    def _jan_target(cls, kpi, value, user):
        return cls.env["sales.target"].create({
            "plan_id": cls.jan_plan.id, "kpi_id": kpi.id, "date_from": JAN[0], "date_to": JAN[1],
            "target_value": value, "user_id": user.id, "team_id": cls.team_1.id})

    def _sell(self, a=9000.0, b=12000.0):
        if a:
            self._order(self.cust_ca, [(self.prod_a, 1, a)], "2026-01-10", user=self.user_a)
        if b:
            self._order(self.cust_ca, [(self.prod_a, 1, b)], "2026-01-12", user=self.user_b)

    def _publish(self):
        self.jan_plan.action_submit()
        self.jan_plan.action_approve()
        self.jan_plan.action_publish()
        self.jan_plan.target_ids._refresh_actuals(today=date(2026, 2, 15))

    def _close(self):
        self._publish()
        self.jan_plan.action_close()

    def _compute(self, day=JAN[0]):
        self.incentive.action_activate()
        wizard = Form(self.env["sales.target.incentive.compute"].with_user(self.manager).with_context(
            default_plan_id=self.incentive.id))
        wizard.day = day
        wizard.save().action_compute()
        return self._statements()

    def _statements(self):
        return self.env["sales.target.incentive.statement"].search(
            [("plan_id", "=", self.incentive.id)], order="id")

    def _line(self, user, statements=None, rule=None):
        statements = statements if statements is not None else self._statements()
        lines = statements.filtered(lambda s: s.user_id == user).line_ids
        return lines.filtered(lambda line: line.rule_id == (rule or self.rule))


@tagged("post_install", "-at_install")
class TestIncentiveRules(IncentiveCase):

    def test_shared_tiers_from_snapshot(self):
        self._sell()
        self._close()
        statements = self._compute()
        self.assertEqual(len(statements), 2)
        self.assertFalse(any(statements.mapped("is_estimate")))
        line_a, line_b = self._line(self.user_a), self._line(self.user_b)
        # A: 9,000 at 90 % -> base tier, 2 % = 180
        self.assertEqual((line_a.base_amount, line_a.attainment, line_a.tier_label), (9000.0, 90.0, "80 % – 110 %"))
        self.assertEqual((line_a.rate, line_a.multiplier, line_a.amount, line_a.snapshot_version), (2.0, 1.0, 180.0, 1))
        # B: 12,000 at 120 % -> accelerator, 12,000 × 2 % × 1.5 = 360
        self.assertEqual((line_b.tier_label, line_b.multiplier, line_b.amount), ("≥ 110 %", 1.5, 360.0))
        self.assertEqual(statements.filtered(lambda s: s.user_id == self.user_b).amount_total, 360.0)
        self.assertEqual(self._line(self.user_a).statement_id.team_id, self.team_1)

    def test_exact_boundaries_go_to_the_upper_tier(self):
        # 8,000 of 10,000 = 80 % exactly: base tier, 160 (not the decelerated 80)
        # 11,000 = 110 % exactly: accelerator, 11,000 × 2 % × 1.5 = 330
        self._sell(8000.0, 11000.0)
        self._close()
        self._compute()
        self.assertEqual((self._line(self.user_a).attainment, self._line(self.user_a).amount), (80.0, 160.0))
        self.assertEqual((self._line(self.user_b).attainment, self._line(self.user_b).amount), (110.0, 330.0))

    def test_decelerator_below_80(self):
        self._sell(7000.0, 0.0)
        self._close()
        self._compute()
        # 7,000 × 2 % × 0.5 = 70; B sold nothing: 0 % is in the first tier, 0 × ... = 0
        self.assertEqual(self._line(self.user_a).amount, 70.0)
        self.assertEqual(self._line(self.user_b).amount, 0.0)

    def test_fixed_tiers_weight_cap_floor(self):
        self._sell()
        self._close()
        bonus = self.env["sales.target.incentive.rule"].create({
            "plan_id": self.incentive.id, "name": "Bonus", "kpi_id": self.kpi_ordered.id,
            "tier_ids": [Command.create({"lower": 0.0, "upper": 100.0, "kind": "fixed", "amount": 0.0}),
                         Command.create({"lower": 100.0, "upper": 0.0, "kind": "fixed", "amount": 500.0,
                                         "multiplier": 1.2})]})
        half = self.env["sales.target.incentive.rule"].create({
            "plan_id": self.incentive.id, "name": "Half", "kpi_id": self.kpi_ordered.id, "weight": 50.0})
        self.rule.write({"cap_amount": 300.0, "floor_amount": 200.0})
        self._compute()
        # fixed: A under 100 % gets 0, B 500 × 1.2 = 600
        self.assertEqual((self._line(self.user_a, rule=bonus).amount, self._line(self.user_b, rule=bonus).amount),
                         (0.0, 600.0))
        # weight 50 % of the shared tiers: A 90, B 180
        self.assertEqual((self._line(self.user_a, rule=half).amount, self._line(self.user_b, rule=half).amount),
                         (90.0, 180.0))
        # floor 200 lifts A's 180, cap 300 stops B's 360
        self.assertEqual((self._line(self.user_a).amount, self._line(self.user_b).amount), (200.0, 300.0))
        self.assertEqual(self._statements().filtered(lambda s: s.user_id == self.user_b).amount_total,
                         600.0 + 180.0 + 300.0)

    def test_gates(self):
        self._sell()
        # A invoiced 600 in January, B nothing (and has no invoiced target)
        self._invoice(self.cust_ca, [(self.prod_a, 1, 600.0)], "2026-01-15", user=self.user_a)
        self._jan_target(self.kpi_invoiced, 1000.0, self.user_a)
        self._close()
        self.env["sales.target.incentive.gate"].create([
            {"plan_id": self.incentive.id, "gate_type": "attainment", "minimum": 95.0},
            {"plan_id": self.incentive.id, "gate_type": "kpi_actual", "kpi_id": self.kpi_invoiced.id,
             "minimum": 500.0},
            {"plan_id": self.incentive.id, "gate_type": "assessment", "minimum": 3.0},
        ])
        self._compute()
        line_a, line_b = self._line(self.user_a), self._line(self.user_b)
        # A: 90 % < 95 %: nothing, with the reason
        self.assertEqual((line_a.gates_passed, line_a.amount, line_a.gross_amount), (False, 0.0, 0.0))
        self.assertIn("90 < 95", line_a.note)
        self.assertIn("✗", line_a.gate_result)
        # B: 120 % passes, but no invoiced revenue: 0 < 500
        self.assertEqual((line_b.gates_passed, line_b.amount), (False, 0.0))
        self.assertIn(f"{self.kpi_invoiced.name}: 0 < 500", line_b.note)

    def test_penalty_disclosed_and_capped(self):
        self._sell()
        self._close()
        # below 95 %: 10 % of the shortfall, at most 40. A at 90 %: 10,000 × 5 % = 500, 10 % = 50 -> 40
        self.env["sales.target.incentive.penalty"].create({
            "plan_id": self.incentive.id, "threshold": 95.0, "kind": "rate", "rate": 10.0, "cap_amount": 40.0})
        self._compute()
        line_a = self._line(self.user_a)
        self.assertEqual((line_a.gross_amount, line_a.penalty_amount, line_a.amount), (180.0, 40.0, 140.0))
        self.assertIn("40.00", line_a.penalty_note)
        self.assertEqual((self._line(self.user_b).penalty_amount, self._line(self.user_b).amount), (0.0, 360.0))

    def test_tier_ladder_validated(self):
        top = self.incentive.tier_ids.filtered(lambda t: t.lower == 110.0)
        with self.assertRaisesRegex(ValidationError, "nothing covers attainments from 110 % to 120 %"), \
                self.env.cr.savepoint():
            top.lower = 120.0
        self.env.invalidate_all()
        with self.assertRaisesRegex(ValidationError, "from 100 % to 110 % fall in two tiers"), \
                self.env.cr.savepoint():
            top.lower = 100.0

    def test_live_estimate_before_the_close(self):
        self._sell()
        self._publish()
        statements = self._compute()
        self.assertTrue(all(statements.mapped("is_estimate")))
        self.assertEqual((self._line(self.user_a).amount, self._line(self.user_a).snapshot_version), (180.0, 0))
        # closing then computing again replaces the drafts by frozen figures
        self.jan_plan.action_close()
        self._compute()
        statements = self._statements()
        self.assertEqual(len(statements), 2)
        self.assertFalse(any(statements.mapped("is_estimate")))
        self.assertEqual(self._line(self.user_a).snapshot_version, 1)


@tagged("post_install", "-at_install")
class TestIncentiveStatements(IncentiveCase):

    def test_confirmed_immutable_and_correction_after_adjustment(self):
        self._sell()
        self._close()
        self._compute()
        statement_a = self._line(self.user_a).statement_id
        statement_a.with_user(self.manager).action_confirm()
        # immutable, even for a manager
        with self.assertRaisesRegex(UserError, "confirmed statements cannot change"):
            statement_a.with_user(self.manager).write({"date_to": date(2026, 1, 30)})
        with self.assertRaisesRegex(UserError, "its lines cannot change"):
            statement_a.line_ids.with_user(self.manager).write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            statement_a.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "its lines cannot change"):
            statement_a.line_ids.with_user(self.manager).unlink()

        # reopened and adjusted: A's target 10,000 -> 8,000, so 9,000 is 112.5 %: 9,000 × 2 % × 1.5 = 270
        self.jan_plan.action_reopen("Target revised")
        wizard = self.env["sales.target.adjust"].with_user(self.manager).with_context(
            active_model="sales.target", active_ids=self.target_a.ids).create({
                "reason_id": self.env.ref("crm_sales_target.adjustment_reason_market").id,
                "justification": "Market shrank", "retroactive": True})
        wizard.line_ids.new_value = 8000.0
        wizard.action_apply()
        self.jan_plan.action_close()
        self._compute()
        statements = self._statements()
        correction = statements.filtered(lambda s: s.user_id == self.user_a and s.is_correction)
        self.assertEqual(correction.correction_of_id, statement_a)
        self.assertEqual(correction.state, "draft")
        line = correction.line_ids
        self.assertEqual((line.payout_amount, line.settled_amount, line.amount, line.snapshot_version),
                         (270.0, 180.0, 90.0, 2))
        # the confirmed line is untouched; B (a draft) was recomputed with the same figures
        self.assertEqual((statement_a.state, statement_a.line_ids.amount), ("confirmed", 180.0))
        self.assertEqual(self._line(self.user_b).amount, 360.0)
        # nothing changed since: computing again adds no new correction (the draft one is replaced)
        self._compute()
        self.assertEqual(len(self._statements().filtered(lambda s: s.user_id == self.user_a)), 2)
        # paid
        statement_a.with_user(self.manager).action_pay()
        self.assertEqual(statement_a.state, "paid")
        with self.assertRaisesRegex(UserError, "must be confirmed"):
            statement_a.action_pay()

    def test_wizard_all_or_nothing(self):
        self._sell()
        self._close()
        self._compute()
        before = self._statements()
        plan_class = type(self.env["sales.target.incentive.plan"])
        original = plan_class._prepare_line_vals

        def failing(plan, rule, assignee, *args):
            if assignee == self.user_b:
                raise RuntimeError("no figures for B")
            return original(plan, rule, assignee, *args)

        with patch.object(plan_class, "_prepare_line_vals", failing), \
                self.assertRaisesRegex(RuntimeError, "no figures for B"):
            self._compute()
        # A's draft was neither replaced nor duplicated
        self.assertEqual(self._statements(), before)

    def test_rule_without_tiers_refused(self):
        self.incentive.tier_ids.unlink()
        with self.assertRaisesRegex(UserError, "has no tiers"):
            self.incentive.action_activate()

    def test_period_outside_the_plan_refused(self):
        self.incentive.action_activate()
        with self.assertRaisesRegex(UserError, "outside incentive plan"):
            self.incentive._period_of(date(2027, 1, 1))

    def test_recognition_granted(self):
        self._sell()
        self._close()
        recognition = self.env["sales.target.incentive.recognition"].create({
            "plan_id": self.incentive.id, "name": "Best", "kind": "honour", "kpi_id": self.kpi_ordered.id,
            "criterion": "rank", "top_rank": 1})
        honour = self.env["sales.target.incentive.recognition"].create({
            "plan_id": self.incentive.id, "name": "Target met", "kind": "training", "kpi_id": self.kpi_ordered.id,
            "criterion": "attainment", "min_attainment": 90.0})
        self._compute()
        self.assertEqual((recognition.grant_ids.user_id, recognition.grant_ids.rank), (self.user_b, 1))
        self.assertEqual(honour.grant_ids.user_id, self.user_a | self.user_b)  # 90 % counts

    def test_recognition_hidden_until_confirmed(self):
        """A salesperson sees their grants (and rank) once their statement is confirmed, not before."""
        self._sell()
        self._close()
        honour = self.env["sales.target.incentive.recognition"].create({
            "plan_id": self.incentive.id, "name": "Target met", "kind": "training", "kpi_id": self.kpi_ordered.id,
            "criterion": "attainment", "min_attainment": 90.0})
        statements = self._compute()
        Grant = self.env["sales.target.incentive.recognition.grant"]
        grant_a = honour.grant_ids.filtered(lambda g: g.user_id == self.user_a)
        self.assertFalse(Grant.with_user(self.user_a).search([]))
        with self.assertRaises(AccessError):
            grant_a.with_user(self.user_a).read(["rank"])
        self.assertEqual(Grant.with_user(self.manager).search([("recognition_id", "=", honour.id)]),
                         honour.grant_ids)
        statements.filtered(lambda s: s.user_id == self.user_a).with_user(self.manager).action_confirm()
        self.assertEqual(Grant.with_user(self.user_a).search([]), grant_a)
        self.assertEqual(grant_a.with_user(self.user_a).read(["rank"])[0]["rank"], grant_a.rank)
        self.assertFalse(Grant.with_user(self.user_b).search([]))  # user B's statement is still a draft
    def test_recognition_on_a_kpi_without_rule_and_tied_ranks(self):
        # A and B both order 10,000 of 10,000: 100 % each, a tie; A also invoices 900 of an
        # invoiced target of 1,000 (90 %) that no rule or gate uses
        self._sell(10000.0, 10000.0)
        self._invoice(self.cust_ca, [(self.prod_a, 1, 900.0)], "2026-01-15", user=self.user_a)
        self._jan_target(self.kpi_invoiced, 1000.0, self.user_a)
        self._close()
        best = self.env["sales.target.incentive.recognition"].create({
            "plan_id": self.incentive.id, "name": "Best", "kind": "honour", "kpi_id": self.kpi_ordered.id,
            "criterion": "rank", "top_rank": 1})
        invoiced = self.env["sales.target.incentive.recognition"].create({
            "plan_id": self.incentive.id, "name": "Invoicing", "kind": "training", "kpi_id": self.kpi_invoiced.id,
            "criterion": "attainment", "min_attainment": 90.0})
        self._compute()
        # the tie: both first, both within the top 1
        self.assertEqual(sorted((g.user_id.id, g.rank) for g in best.grant_ids),
                         sorted([(self.user_a.id, 1), (self.user_b.id, 1)]))
        # 900 / 1,000 = 90 % >= 90 %, although no rule or gate reads the invoiced KPI
        self.assertEqual((invoiced.grant_ids.user_id, invoiced.grant_ids.attainment), (self.user_a, 90.0))

    def test_gate_at_the_rounded_attainment(self):
        # 5,800 / 10,000 x 100 is 57.99999999999999 in floats: the 58 % gate and the tier
        # read the same rounded 58 %; first tier: 5,800 x 2 % x 0.5 = 58
        self._sell(5800.0, 0.0)
        self._close()
        self.env["sales.target.incentive.gate"].create(
            {"plan_id": self.incentive.id, "gate_type": "attainment", "minimum": 58.0})
        recognition = self.env["sales.target.incentive.recognition"].create({
            "plan_id": self.incentive.id, "name": "58", "kind": "honour", "kpi_id": self.kpi_ordered.id,
            "criterion": "attainment", "min_attainment": 58.0})
        self._compute()
        line_a = self._line(self.user_a)
        self.assertEqual((line_a.gates_passed, line_a.attainment, line_a.amount), (True, 58.0, 58.0))
        self.assertEqual(recognition.grant_ids.user_id, self.user_a)

    def test_xlsx_export_read_back(self):
        self._sell()
        self._close()
        statements = self._compute()
        action = statements.with_user(self.manager).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Salesperson")
        amounts = sorted((row[0], row[18]) for row in rows[1:3])
        self.assertEqual(amounts, [(self.user_a.name, 180.0), (self.user_b.name, 360.0)])
        self.assertIsInstance(rows[1][10], (int, float))  # the base, a number
        self.assertEqual(rows[1][12], 90.0 if rows[1][0] == self.user_a.name else 120.0)
        self.assertEqual(rows[1][2].date(), JAN[0])  # a date
        self.assertEqual(rows[-1][18], 540.0)  # total
