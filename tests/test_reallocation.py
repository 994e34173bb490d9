"""Adjusting a parent target redistributes it by its last allocation's weights (and locks),
or by its sub-targets' current values when the manager chooses so; applying records the new
split as the allocation's next version. Figures are worked out by hand in the comments."""

import json
from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReallocation(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.company = cls.env.company
        # thresholds off: adjustments apply at once unless a test says otherwise
        cls.company.write({"sales_target_adjust_threshold_pct": 0.0, "sales_target_adjust_threshold_amount": 0.0})
        groups = "sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_manager"
        cls.manager_1 = new_test_user(cls.env, "realloc_manager_1", groups=groups)
        cls.manager_2 = new_test_user(cls.env, "realloc_manager_2", groups=groups)
        cls.users = [new_test_user(cls.env, f"realloc_u{i}", groups="sales_team.group_sale_salesman")
                     for i in range(2)]
        cls.team = cls.env["crm.team"].create({
            "name": "Reallocation Team",
            "crm_team_member_ids": [Command.create({"user_id": u.id}) for u in cls.users],
        })
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "Reallocation 2026", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        cls.parent = cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi.id, "team_id": cls.team.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31), "target_value": 1000.0})
        cls.reason = cls.env.ref("crm_sales_target.adjustment_reason_market")
        cls.Allocation = cls.env["sales.target.allocation"]

    def _decompose(self, lock_first=False):
        """Manual weights 1:3 over the two salespeople: 250/750; then the first line typed at
        300 (locked or not) -> 300/700. Applied, then the plan published."""
        wizard = self.env["sales.target.decompose"].with_context(
            active_model="sales.target", active_ids=self.parent.ids).create(
            {"dimension_1": "user", "method_1": "weights", "history_months": 6})
        wizard.action_preview()
        first, second = wizard.line_ids.sorted("row")
        first.weight, second.weight = 1.0, 3.0
        wizard.action_redistribute()
        self.assertEqual([first.value, second.value], [250.0, 750.0])
        if lock_first:
            first.write({"value": 300.0, "locked": True})
            wizard.action_redistribute()
        else:
            first.value, second.value = 300.0, 700.0
        self.assertEqual([first.value, second.value], [300.0, 700.0])
        wizard.action_apply()
        self.plan.write({"state": "published"})
        children = self.parent.child_ids.sorted("id")
        self.assertEqual(children.mapped("target_value"), [300.0, 700.0])
        return children

    def _wizard(self, value, user=None, **options):
        wizard = self.env["sales.target.adjust"].with_user(user or self.manager_1).with_context(
            active_model="sales.target", active_ids=self.parent.ids).create({
                "reason_id": self.reason.id, "justification": "The market doubled.", **options})
        wizard.line_ids.new_value = value
        return wizard

    def _adjust(self, value, **options):
        action = self._wizard(value, **options).action_apply()
        return self.env["sales.target.adjustment"].browse(action["res_id"])

    def _allocations(self):
        return self.Allocation.search([("parent_ids", "in", self.parent.ids)]).sorted("version")

    def test_default_follows_allocation(self):
        self._decompose()
        wizard = self._wizard(2000.0)
        self.assertTrue(wizard.has_allocation)
        self.assertEqual(wizard.redistribute_by, "allocation")

    def test_default_without_allocation(self):
        # sub-targets made by hand: no allocation to follow
        children = self.env["sales.target"].create([
            self.parent._prepare_child_vals(target_value=value, user_id=user.id)
            for value, user in zip((300.0, 700.0), self.users)])
        self.plan.write({"state": "published"})
        wizard = self._wizard(2000.0)
        self.assertFalse(wizard.has_allocation)
        self.assertEqual(wizard.redistribute_by, "values")
        self._adjust(2000.0)
        # 2000 in proportion to 300:700 -> 600/1400
        self.assertEqual(children.mapped("target_value"), [600.0, 1400.0])

    def test_by_allocation_weights(self):
        children = self._decompose()
        adjustment = self._adjust(2000.0)
        self.assertEqual(adjustment.state, "applied")
        # 2000 by the weights 1:3 -> 500/1500 (not 600/1400 as the current values 300:700 would give)
        self.assertEqual(children.mapped("target_value"), [500.0, 1500.0])
        first, second = self._allocations()
        self.assertEqual(adjustment.allocation_ids, first)
        self.assertEqual((first.version, second.version), (1, 2))
        self.assertEqual(second.adjustment_id, adjustment)
        self.assertFalse(first.adjustment_id)
        self.assertEqual(second.parent_ids, self.parent)
        self.assertEqual(second.child_ids, children)
        self.assertEqual(second.plan_id, self.plan)
        self.assertEqual((second.dimension_1, second.method_1, second.history_months), ("user", "weights", 6))
        lines = json.loads(second.lines_json)
        self.assertEqual([(ln["weight"], ln["locked"], ln["value"]) for ln in lines],
                         [(1.0, False, 500.0), (3.0, False, 1500.0)])
        self.assertEqual(second.line_count, 2)
        # the first version is unchanged
        self.assertEqual([ln["value"] for ln in json.loads(first.lines_json)], [300.0, 700.0])
        # the next adjustment follows the new version: 3000 by 1:3 -> 750/2250, version 3
        self._adjust(3000.0)
        self.assertEqual(children.mapped("target_value"), [750.0, 2250.0])
        self.assertEqual(self._allocations().mapped("version"), [1, 2, 3])

    def test_by_current_values(self):
        children = self._decompose()
        adjustment = self._adjust(2000.0, redistribute_by="values")
        # 2000 in proportion to 300:700 -> 600/1400; no allocation followed, none recorded
        self.assertEqual(children.mapped("target_value"), [600.0, 1400.0])
        self.assertFalse(adjustment.allocation_ids)
        self.assertEqual(len(self._allocations()), 1)
        # they still are the allocation's sub-targets: the wizard keeps offering its weights
        self.assertEqual(self._wizard(2500.0).redistribute_by, "allocation")

    def test_locked_child_keeps_value(self):
        children = self._decompose(lock_first=True)
        adjustment = self._adjust(2000.0)
        # the first sub-target was locked at 300: it keeps it, the second takes 2000 - 300 = 1700
        self.assertEqual(children.mapped("target_value"), [300.0, 1700.0])
        self.assertNotIn("locked sub-targets", adjustment.justification)
        lines = json.loads(self._allocations()[-1].lines_json)
        self.assertEqual([(ln["locked"], ln["value"]) for ln in lines], [(True, 300.0), (False, 1700.0)])

    def test_locked_child_cannot_keep_value(self):
        children = self._decompose(lock_first=True)
        adjustment = self._adjust(200.0)
        # 200 < the 300 locked: the weights 1:3 alone -> 50/150, and the justification says so
        self.assertEqual(children.mapped("target_value"), [50.0, 150.0])
        self.assertIn("The market doubled.", adjustment.justification)
        self.assertIn(f"locked sub-targets of {self.parent.display_name}", adjustment.justification)
        self.assertEqual(self._allocations().mapped("version"), [1, 2])

    def test_version_recorded_when_approved(self):
        children = self._decompose()
        self.company.sales_target_adjust_threshold_pct = 10.0
        adjustment = self._adjust(2000.0)
        # +100 % waits for approval: nothing applied, no new version yet
        self.assertEqual(adjustment.state, "to_approve")
        self.assertEqual(children.mapped("target_value"), [300.0, 700.0])
        self.assertEqual(len(self._allocations()), 1)
        adjustment.with_user(self.manager_2).action_approve()
        self.assertEqual(children.mapped("target_value"), [500.0, 1500.0])
        self.assertEqual(self._allocations()[-1].adjustment_id, adjustment)

    def test_children_replaced_no_allocation(self):
        children = self._decompose()
        # a sub-target the allocation did not make: its weights no longer describe the split
        self.env["sales.target"].create(self.parent._prepare_child_vals(target_value=0.0, user_id=self.manager_1.id))
        wizard = self._wizard(2000.0)
        self.assertFalse(wizard.has_allocation)
        self.assertEqual(wizard.redistribute_by, "values")
        self.assertEqual(len(children), 2)
