import json
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAllocation(TransactionCase):
    """Every applied decomposition is kept as an allocation, version after version."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        groups = "sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_"
        cls.leader = new_test_user(cls.env, "alloc_leader", groups=groups + "team_leader")
        cls.other_leader = new_test_user(cls.env, "alloc_other_leader", groups=groups + "team_leader")
        cls.manager = new_test_user(cls.env, "alloc_manager", groups=groups + "manager")
        cls.rep = new_test_user(cls.env, "alloc_rep", groups="sales_team.group_sale_salesman")
        cls.users = [new_test_user(cls.env, f"alloc_u{i}", groups="sales_team.group_sale_salesman")
                     for i in range(3)]
        cls.team = cls.env["crm.team"].create({
            "name": "Allocation Team", "user_id": cls.leader.id,
            "crm_team_member_ids": [Command.create({"user_id": u.id}) for u in cls.users],
        })
        cls.env["crm.team"].create({"name": "Allocation Other Team", "user_id": cls.other_leader.id})
        cls.company_2 = cls.env["res.company"].create({"name": "Allocation Other Co"})
        cls.manager_2 = new_test_user(cls.env, "alloc_manager_2", company_id=cls.company_2.id,
                                      company_ids=[Command.set(cls.company_2.ids)], groups=groups + "manager")
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "Allocation 2026", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        cls.q1 = cls._target(date(2026, 1, 1), date(2026, 3, 31), 1000.0)

    @classmethod
    def _target(cls, start, end, value):
        return cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi.id, "team_id": cls.team.id,
            "date_from": start, "date_to": end, "target_value": value})

    def _wizard(self, targets=None, user=None, **vals):
        env = self.env(user=user) if user else self.env
        context = {"active_model": "sales.target", "active_ids": (targets or self.q1).ids}
        return env["sales.target.decompose"].with_context(**context).create(vals)

    def _values(self, wizard):
        return [line.value for line in wizard.line_ids.sorted("row")]

    def _apply_weighted(self):
        """As the team leader: manual weights 3, 1 on the first two salespeople, the third
        locked at 100: 900 left, split 3:1 -> 675, 225."""
        wizard = self._wizard(user=self.leader, dimension_1="user", method_1="weights", history_months=6)
        wizard.action_preview()
        first, second, third = wizard.line_ids.sorted("row")
        first.weight, second.weight = 3.0, 1.0
        third.write({"value": 100.0, "locked": True})
        wizard.action_redistribute()
        self.assertEqual(self._values(wizard), [675.0, 225.0, 100.0])
        wizard.action_apply()
        return self.env["sales.target.allocation"].search([("parent_ids", "in", self.q1.ids)])

    def test_apply_records_allocation(self):
        allocation = self._apply_weighted()
        self.assertEqual(len(allocation), 1)
        self.assertEqual(allocation.version, 1)
        self.assertEqual(allocation.parent_ids, self.q1)
        self.assertEqual(allocation.plan_id, self.plan)
        self.assertEqual(allocation.company_id, self.plan.company_id)
        self.assertEqual(allocation.create_uid, self.leader)
        self.assertEqual((allocation.dimension_1, allocation.method_1), ("user", "weights"))
        self.assertFalse(allocation.dimension_2)
        self.assertFalse(allocation.method_2)
        self.assertEqual((allocation.period_unit, allocation.history_basis, allocation.history_months),
                         ("month", "last_months", 6))
        self.assertEqual(allocation.child_ids, self.q1.child_ids)
        self.assertEqual(len(allocation.child_ids), 3)
        self.assertEqual(json.loads(allocation.lines_json), [
            {"target_id": self.q1.id, "labels": [self.users[0].name], "weight": 3.0, "locked": False,
             "value": 675.0},
            {"target_id": self.q1.id, "labels": [self.users[1].name], "weight": 1.0, "locked": False,
             "value": 225.0},
            {"target_id": self.q1.id, "labels": [self.users[2].name], "weight": 1.0, "locked": True,
             "value": 100.0},
        ])
        self.assertEqual(self.q1.allocation_ids, allocation)
        self.assertEqual(self.q1.allocation_count, 1)
        self.assertEqual(self.q1.child_ids[0].allocation_count, 0, "a sub-target split nothing")
        # what was applied stays as it was
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            allocation.with_user(self.manager).history_months = 3
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            allocation.with_user(self.manager).unlink()

    def test_second_apply_is_version_2(self):
        first = self._apply_weighted()
        first_children = first.child_ids
        wizard = self._wizard(user=self.manager, dimension_1="period", period_unit="month", method_1="even")
        wizard.action_apply()  # without a preview: the computed lines are kept
        allocations = self.env["sales.target.allocation"].search([("parent_ids", "in", self.q1.ids)])
        self.assertEqual(len(allocations), 2)
        second = allocations - first
        self.assertEqual(second.version, 2)
        self.assertEqual(second.create_uid, self.manager)
        self.assertEqual((second.dimension_1, second.method_1, second.period_unit), ("period", "even", "month"))
        self.assertEqual(second.child_ids, self.q1.child_ids)
        self.assertEqual(sorted(second.child_ids.mapped("date_from")),
                         [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
        self.assertEqual([(line["value"], line["locked"]) for line in json.loads(second.lines_json)],
                         [(333.34, False), (333.33, False), (333.33, False)])
        # version 1 is kept with its settings and lines; its sub-targets were replaced
        self.assertEqual(first.version, 1)
        self.assertEqual(first.method_1, "weights")
        self.assertEqual(first.line_count, 3)
        self.assertFalse(first_children.exists())
        self.assertEqual(self.q1.allocation_count, 2)

    def test_allocation_of_other_targets_is_version_1(self):
        self._apply_weighted()
        q2 = self._target(date(2026, 4, 1), date(2026, 6, 30), 600.0)
        self._wizard(targets=q2, dimension_1="user").action_apply()
        allocation = self.env["sales.target.allocation"].search([("parent_ids", "in", q2.ids)])
        self.assertEqual(allocation.version, 1)
        self.assertEqual(allocation.parent_ids, q2)

    def test_background_job_links_its_sub_targets(self):
        with patch("odoo.addons.crm_sales_target.wizards.sales_target_decompose.BACKGROUND_THRESHOLD", 2):
            self._wizard(user=self.leader, dimension_1="user").action_apply()
        allocation = self.env["sales.target.allocation"].search([("parent_ids", "in", self.q1.ids)])
        self.assertTrue(allocation.job_id)
        self.assertFalse(allocation.child_ids, "nothing is created before the job runs")
        allocation.job_id.with_user(self.leader)._run()
        self.assertEqual(allocation.job_id.state, "done")
        self.assertEqual(len(self.q1.child_ids), 3)
        self.assertEqual(allocation.child_ids, self.q1.child_ids)

    def test_access_by_role(self):
        allocation = self._apply_weighted()
        Allocation = self.env["sales.target.allocation"]
        # the leader of the team and a manager of the company read it
        self.assertEqual(Allocation.with_user(self.leader).search([]) & allocation, allocation)
        self.assertEqual(self.q1.with_user(self.leader).allocation_count, 1)
        self.assertEqual(Allocation.with_user(self.manager).search([("id", "=", allocation.id)]), allocation)
        # the leader of another team does not
        self.assertFalse(Allocation.with_user(self.other_leader).search([("id", "=", allocation.id)]))
        with self.assertRaises(AccessError):
            allocation.with_user(self.other_leader).read(["version"])
        # a salesperson reads none
        with self.assertRaises(AccessError):
            allocation.with_user(self.rep).read(["version"])
        with self.assertRaises(AccessError):
            Allocation.with_user(self.rep).search([])
        # another company's manager does not see it
        self.assertFalse(Allocation.with_user(self.manager_2).search([("id", "=", allocation.id)]))
        with self.assertRaises(AccessError):
            allocation.with_user(self.manager_2).read(["version"])
        # the target form opens for the salesperson, without the allocations' button
        arch = self.env["sales.target"].with_user(self.rep).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_view_allocations", arch)
        self.assertEqual(self.q1.with_user(self.manager).allocation_count, 1)
        # nobody changes it, the manager included
        with self.assertRaises(UserError):
            allocation.with_user(self.leader).write({"version": 5})
