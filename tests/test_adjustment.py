"""Adjustments of published targets: thresholds, approval, immutability, values in force and
their pacing, redistribution to sub-targets and re-balancing of siblings, the version check.

Figures are worked out by hand in the comments. The company's thresholds: 10 % and no amount
unless a test says otherwise."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SalesTargetCase

APRIL = (date(2026, 4, 1), date(2026, 4, 30))  # 30 days


@tagged("post_install", "-at_install")
class AdjustmentCase(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"sales_target_adjust_threshold_pct": 10.0, "sales_target_adjust_threshold_amount": 0.0})

        def user(login, group):
            return new_test_user(cls.env, login=login, groups=f"base.group_user,crm_sales_target.{group}",
                                 company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

        cls.manager_1 = user("cst_adj_manager_1", "crm_sales_target_group_manager")
        cls.manager_2 = user("cst_adj_manager_2", "crm_sales_target_group_manager")
        cls.leader = user("cst_adj_leader", "crm_sales_target_group_team_leader")
        cls.team_1.user_id = cls.leader
        cls.reason = cls.env.ref("crm_sales_target.adjustment_reason_market")
        cls.target = cls._target(cls, cls.kpi_ordered, APRIL, value=3000.0, team_id=cls.team_1)
        # a team target of January over three salespeople's targets
        cls.parent = cls._target(cls, cls.kpi_ordered, (date(2026, 1, 1), date(2026, 1, 31)), value=1000.0,
                                 team_id=cls.team_1)
        cls.children = cls.env["sales.target"].create([
            cls.parent._prepare_child_vals(target_value=value, user_id=user.id)
            for value, user in ((600.0, cls.user_a), (300.0, cls.user_b), (100.0, cls.leader))])
        cls.plan.write({"state": "published"})

    def _adjust(self, targets, values, user=None, effective=None, **options):
        """Adjust ``targets`` to ``values`` through the wizard as ``user`` (manager 1)."""
        user = user or self.manager_1
        wizard = self.env["sales.target.adjust"].with_user(user).with_context(
            active_model="sales.target", active_ids=targets.ids).create({
                "reason_id": self.reason.id, "justification": "A new competitor in the region.",
                **({"effective_date": effective} if effective else {}), **options})
        for line, value in zip(wizard.line_ids, values):
            line.new_value = value
        action = wizard.action_apply()
        return self.env["sales.target.adjustment"].browse(action["res_id"])


@tagged("post_install", "-at_install")
class TestAdjustmentWorkflow(AdjustmentCase):

    def test_below_threshold_applies_at_once(self):
        # +200 on 3000 is 6.67 %, under 10 %
        adjustment = self._adjust(self.target, [3200.0], effective=date(2026, 4, 11))
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(self.target.target_value, 3200.0)
        line = adjustment.line_ids
        self.assertRecordValues(line, [{"target_id": self.target.id, "kind": "requested", "old_value": 3000.0,
                                        "new_value": 3200.0, "difference": 200.0,
                                        "effective_date": date(2026, 4, 11), "state": "applied",
                                        "requester_id": self.manager_1.id, "reason_id": self.reason.id}])
        self.assertAlmostEqual(line.difference_pct, 200.0 / 3000.0 * 100.0)
        self.assertFalse(adjustment.approver_id)
        self.assertFalse(adjustment.activity_ids)
        self.assertEqual(self.target.adjustment_line_ids, line)

    def test_percentage_threshold_both_sides(self):
        self.assertEqual(self._adjust(self.target, [3300.0]).state, "applied")  # +10 % exactly: not above
        adjustment = self._adjust(self.target, [3631.0])  # +331 on 3300 = 10.03 %
        self.assertEqual(adjustment.state, "to_approve")
        self.assertEqual(self.target.target_value, 3300.0, "waiting: the target keeps its value")

    def test_amount_threshold_both_sides(self):
        self.company.write({"sales_target_adjust_threshold_pct": 0.0, "sales_target_adjust_threshold_amount": 500.0})
        self.assertEqual(self._adjust(self.target, [2500.0]).state, "applied")  # -500: not above
        self.assertEqual(self._adjust(self.target, [3001.0]).state, "to_approve")  # +501

    def test_approval_by_another_manager(self):
        adjustment = self._adjust(self.target, [3600.0])  # +20 %
        self.assertEqual(adjustment.state, "to_approve")
        # an activity for each approver, not for the requester
        self.assertIn(self.manager_2, adjustment.activity_ids.user_id)
        self.assertNotIn(self.manager_1, adjustment.activity_ids.user_id)
        with self.assertRaisesRegex(UserError, "another manager"):
            adjustment.with_user(self.manager_1).action_approve()
        with self.assertRaises(AccessError):
            adjustment.with_user(self.leader).action_approve()
        adjustment.with_user(self.manager_2).action_approve()
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(adjustment.approver_id, self.manager_2)
        self.assertFalse(adjustment.activity_ids)
        self.assertEqual(self.target.target_value, 3600.0)
        self.assertEqual(self.target.adjustment_line_ids.approver_id, self.manager_2)

    def test_refusal_needs_a_reason(self):
        adjustment = self._adjust(self.target, [4000.0])
        refuse = self.env["sales.target.adjustment.refuse"].with_user(self.manager_2)
        with self.assertRaisesRegex(UserError, "Reason for refusal"):
            refuse.create({"adjustment_ids": [Command.set(adjustment.ids)], "reason": " "}).action_refuse()
        refuse.create({"adjustment_ids": [Command.set(adjustment.ids)], "reason": "Not this quarter."}).action_refuse()
        self.assertEqual((adjustment.state, adjustment.refuse_reason), ("refused", "Not this quarter."))
        self.assertEqual(self.target.target_value, 3000.0)
        self.assertFalse(self.target.adjustment_line_ids)

    def test_applied_adjustment_is_immutable_for_everyone(self):
        adjustment = self._adjust(self.target, [3100.0])
        for env in (self.env(user=self.manager_1), self.env(user=self.manager_2), self.env):  # self.env: superuser
            record = adjustment.with_env(env)
            with self.subTest(user=env.user.name):
                with self.assertRaisesRegex(UserError, "cannot change"):
                    record.write({"justification": "rewritten"})
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    record.unlink()
                with self.assertRaisesRegex(UserError, "cannot change"):
                    record.line_ids.write({"new_value": 1.0})
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    record.line_ids.unlink()
        # undone by a new adjustment that reverses it: both stay in the history
        reverse = self._adjust(self.target, [3000.0])
        self.assertEqual(reverse.state, "applied")
        self.assertEqual(self.target.target_value, 3000.0)
        self.assertEqual(len(self.target.adjustment_line_ids), 2)

    def test_workflow_fields_cannot_be_forged(self):
        Adjustment = self.env["sales.target.adjustment"].with_user(self.leader)
        line = Command.create({"target_id": self.target.id, "old_value": 3000.0, "new_value": 9000.0,
                               "effective_date": APRIL[0]})
        with self.assertRaisesRegex(UserError, "approval workflow"):
            Adjustment.create({"reason_id": self.reason.id, "justification": "x", "state": "applied",
                               "line_ids": [line]})
        draft = Adjustment.create({"reason_id": self.reason.id, "justification": "x", "line_ids": [line]})
        self.assertEqual(draft.requester_id, self.leader)
        for values in ({"state": "applied"}, {"approver_id": self.manager_2.id}, {"requester_id": self.manager_2.id}):
            with self.subTest(values=values), self.assertRaisesRegex(UserError, "approval workflow"):
                draft.write(values)
        draft.action_submit()  # +200 % : waits, whoever built it
        self.assertEqual(draft.state, "to_approve")
        with self.assertRaisesRegex(UserError, "submitted"):
            draft.line_ids.write({"new_value": 3100.0})
        self.assertEqual(self.target.target_value, 3000.0)

    def test_version_check(self):
        """A wizard opened on 3000 fails once someone else has adjusted the target."""
        wizard = self.env["sales.target.adjust"].with_user(self.manager_1).with_context(
            active_model="sales.target", active_ids=self.target.ids).create({
                "reason_id": self.reason.id, "justification": "first"})
        wizard.line_ids.new_value = 3100.0
        self._adjust(self.target, [3200.0], user=self.manager_2)
        with self.assertRaisesRegex(UserError, r"no longer 3,?000"):
            wizard.action_apply()
        self.assertEqual(self.target.target_value, 3200.0)

    def test_only_published_targets_and_no_future_date(self):
        draft_plan = self.env["sales.target.plan"].create({
            "name": "Draft", "company_id": self.company.id, "date_from": APRIL[0], "date_to": APRIL[1]})
        draft_target = self._target(self.kpi_ordered, APRIL, plan=draft_plan)
        with self.assertRaisesRegex(UserError, "published plans"):
            self._adjust(draft_target, [1100.0])
        with freeze_time("2026-04-15"), self.assertRaisesRegex(UserError, "in the future"):
            self._adjust(self.target, [3100.0], effective=date(2026, 4, 16))


@tagged("post_install", "-at_install")
class TestValueInForce(AdjustmentCase):

    def test_prospective_keeps_the_elapsed_pace(self):
        """3000 over 30 days raised to 6000 from day 11: 100 a day for days 1-10 (1000), then
        (6000 - 1000) / 20 = 250 a day: 1000 + 10 x 250 = 3500 expected on day 20."""
        with freeze_time("2026-04-20"):
            adjustment = self._adjust(self.target, [6000.0], effective=date(2026, 4, 11), user=self.manager_1)
            adjustment.with_user(self.manager_2).action_approve()
            self.assertEqual(self.target.target_value, 6000.0)
            # the ORM's computation on the day
            self.target.invalidate_recordset(["expected_value"])
            self.assertAlmostEqual(self.target.expected_value, 3500.0, places=2)
        # the refresh, on given days: 3500 on day 20, 1000 on day 10 (before the change), 6000 at the end
        self._order(self.cust_ca, [(self.prod_a, 1, 2800.0)], "2026-04-05")
        for today, expected in ((date(2026, 4, 20), 3500.0), (date(2026, 4, 10), 1000.0),
                                (date(2026, 4, 30), 6000.0)):
            self.target._refresh_actuals(today=today)
            with self.subTest(today=today):
                self.assertAlmostEqual(self.target.expected_value, expected, places=2)
        self.target._refresh_actuals(today=date(2026, 4, 20))
        # 2800 of 3500 = 80 %: at risk; (6000 - 2800) / 11 days left = 290.91 a day
        self.assertEqual(self.target.status, "at_risk")
        self.assertAlmostEqual(self.target.run_rate_needed, 3200.0 / 11, places=2)

    def test_retroactive_uses_the_new_value_from_the_start(self):
        # 6000 x 20 / 30 = 4000 on day 20
        self._adjust(self.target, [6000.0], retroactive=True).with_user(self.manager_2).action_approve()
        self.assertEqual(self.target.adjustment_line_ids.effective_date, APRIL[0])
        self.target._refresh_actuals(today=date(2026, 4, 20))
        self.assertAlmostEqual(self.target.expected_value, 4000.0, places=2)

    def test_history_says_from_when_to_when(self):
        first = self._adjust(self.target, [3200.0], effective=date(2026, 4, 11))
        second = self._adjust(self.target, [3300.0], effective=date(2026, 4, 21))
        history = self.target.adjustment_line_ids
        self.assertEqual(history, first.line_ids | second.line_ids)
        self.assertEqual(first.line_ids.in_force_to, date(2026, 4, 20))
        self.assertEqual(second.line_ids.in_force_to, APRIL[1])
        # 100 a day for 10 days (1000), then (3200 - 1000) / 20 a day for 10 days (2100 on the 20th),
        # then (3300 - 2100) / 10 a day: 2100 + 5 x 120 = 2700 on the 25th
        self.target._refresh_actuals(today=date(2026, 4, 25))
        self.assertAlmostEqual(self.target.expected_value, 2700.0, places=2)


@tagged("post_install", "-at_install")
class TestAdjustmentTree(AdjustmentCase):

    def test_parent_redistributes_to_children(self):
        """1000 over 600/300/100 raised to 1000.05: in units of 0.01, 100005 x (0.6, 0.3, 0.1) =
        60003, 30001.5, 10000.5 -> floors 60003, 30001, 10000 and the unit left to the first of
        the equal remainders: 600.03, 300.02, 100.00."""
        adjustment = self._adjust(self.parent, [1000.05])
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(self.children.mapped("target_value"), [600.03, 300.02, 100.0])
        self.assertEqual(len(adjustment.line_ids), 4)
        self.assertEqual(set(adjustment.line_ids.filtered(lambda line: line.target_id in self.children).mapped("kind")),
                         {"redistributed"})
        self.assertEqual(self.parent.consistency, "consistent")
        self.assertEqual(self.parent.mismatch_value, 0.0)

    def test_one_plan_note_per_adjustment(self):
        """Four targets written with four different values (parent 1000 -> 1000.05, its
        children 600 -> 600.03, 300 -> 300.02, 100 unchanged): one chatter note on the plan for
        the three that changed, not one per value; their total 1900 -> 1900.10 is +0.005 %,
        shown +0.0 %."""
        count = len(self.plan.message_ids)
        self._adjust(self.parent, [1000.05])
        notes = self.plan.message_ids[:len(self.plan.message_ids) - count]
        summaries = notes.filtered(lambda m: "targets changed by" in (m.body or ""))
        self.assertEqual(len(summaries), 1)
        self.assertIn("3 targets changed by", summaries.body)
        self.assertIn("target +0.0 %", summaries.body)

    def test_child_rebalances_its_siblings(self):
        """600 -> 650: the siblings 300 and 100 give 50 in proportion, 300 x 350 / 400 = 262.50
        and 87.50; the parent stays 1000."""
        adjustment = self._adjust(self.children[0], [650.0], rebalance_siblings=True)
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(self.children.mapped("target_value"), [650.0, 262.5, 87.5])
        self.assertEqual(self.parent.target_value, 1000.0)
        self.assertEqual(self.parent.consistency, "consistent")

    def test_child_without_rebalance_rolls_up_to_parent(self):
        # 600 -> 650: the parent takes the 50, the siblings keep theirs
        adjustment = self._adjust(self.children[0], [650.0])
        self.assertEqual(self.children.mapped("target_value"), [650.0, 300.0, 100.0])
        self.assertEqual(self.parent.target_value, 1050.0)
        self.assertEqual(self.parent.consistency, "consistent")
        self.assertEqual(adjustment.line_ids.filtered(lambda line: line.target_id == self.parent).kind, "rolled_up")

    def test_parent_and_child_together_refused(self):
        with self.assertRaisesRegex(UserError, "parent targets are both adjusted"):
            self._adjust(self.parent | self.children[0], [1100.0, 700.0])


@tagged("post_install", "-at_install")
class TestAdjustmentDealShares(AdjustmentCase):

    def test_deal_shares_updated_once_per_adjustment(self):
        """The parent 1000 -> 1000.05 writes its three children with three different values
        (600.03, 300.02, 100.00), group by group: the deal shares of their salespeople are
        updated once, after the last group, not once per group."""
        Lead = self.registry["crm.lead"]
        original = Lead._update_sales_target_gap_share
        calls = []

        def spy(leads, user_ids):
            calls.append(sorted(user_ids))
            return original(leads, user_ids)

        with patch.object(Lead, "_update_sales_target_gap_share", spy):
            self._adjust(self.parent, [1000.05])
        self.assertEqual(self.children.mapped("target_value"), [600.03, 300.02, 100.0])
        self.assertEqual(calls, [sorted((self.user_a | self.user_b | self.leader).ids)])
