"""The freeze of published and closed plans' targets, and who may do what with adjustments.

Targets of published and closed plans refuse create, write (every sensitive field) and unlink
for team leaders and managers alike, with a message pointing to Adjust; those of draft plans
stay editable. A forged context key does not open the freeze."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import Q1, SalesTargetCase

#: a field of each sensitive kind -> a value to write
SENSITIVE = {
    "target_value": 1.0, "stretch_value": 5000.0, "date_from": date(2026, 2, 1), "date_to": date(2026, 2, 28),
    "user_id": "user_b", "product_categ_id": "categ_goods", "region_id": "region_west",
    "customer_type": "existing", "partner_id": "cust_ca", "parent_id": "other", "note": "edited",
}


@tagged("post_install", "-at_install")
class TestFrozenTargets(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, group):
            return new_test_user(cls.env, login=login, groups=f"base.group_user,crm_sales_target.{group}",
                                 company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

        cls.rep = user("cst_frz_rep", "crm_sales_target_group_user")
        cls.leader = user("cst_frz_leader", "crm_sales_target_group_team_leader")
        cls.leader_2 = user("cst_frz_leader_2", "crm_sales_target_group_team_leader")
        cls.manager = user("cst_frz_manager", "crm_sales_target_group_manager")
        cls.manager_2 = user("cst_frz_manager_2", "crm_sales_target_group_manager")
        cls.team_1.write({"user_id": cls.leader.id, "member_ids": [Command.link(cls.rep.id)]})
        cls.team_2.user_id = cls.leader_2
        cls.plans = {}
        for state in ("draft", "published", "closed"):
            plan = cls.env["sales.target.plan"].create({
                "name": f"Frozen {state}", "company_id": cls.company.id,
                "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
            cls.plans[state] = plan
            cls._target(cls, cls.kpi_ordered, Q1, plan=plan, team_id=cls.team_1, user_id=cls.rep)
            cls._target(cls, cls.kpi_ordered, Q1, plan=plan, team_id=cls.team_1)  # "other": a parent to pick
        for state in ("published", "closed"):
            cls.plans[state].state = state

    def _value(self, fname, value, target):
        if fname == "parent_id":
            return (target.plan_id.target_ids - target)[:1].id
        if isinstance(value, str) and hasattr(self, value):
            return getattr(self, value).id
        return value

    def test_sensitive_fields_refused_on_frozen_plans(self):
        for state in ("published", "closed"):
            target = self.plans[state].target_ids.filtered("user_id")
            for role in ("leader", "manager"):
                for fname, value in SENSITIVE.items():
                    with self.subTest(state=state, role=role, field=fname), \
                            self.assertRaisesRegex(UserError, "Use Adjust"):
                        target.with_user(getattr(self, role)).write({fname: self._value(fname, value, target)})
                with self.subTest(state=state, role=role, op="unlink"), self.assertRaisesRegex(UserError, "Adjust"):
                    target.with_user(getattr(self, role)).unlink()
                with self.subTest(state=state, role=role, op="create"), self.assertRaisesRegex(UserError, "Adjust"):
                    self.env["sales.target"].with_user(getattr(self, role)).create({
                        "plan_id": self.plans[state].id, "kpi_id": self.kpi_ordered.id, "team_id": self.team_1.id,
                        "date_from": Q1[0], "date_to": Q1[1], "target_value": 10.0})
                with self.subTest(state=state, role=role, op="move in"), self.assertRaisesRegex(UserError, "Adjust"):
                    self.plans["draft"].target_ids.filtered("user_id").with_user(getattr(self, role)).write(
                        {"plan_id": self.plans[state].id})
            self.assertEqual(target.target_value, 1000.0)
            self.assertEqual(target.date_from, Q1[0])

    def test_sensitive_fields_editable_on_draft_plans(self):
        target = self.plans["draft"].target_ids.filtered("user_id")
        for role in ("leader", "manager"):
            for fname, value in SENSITIVE.items():
                with self.subTest(role=role, field=fname):
                    target.with_user(getattr(self, role)).write({fname: self._value(fname, value, target)})
            target.with_user(getattr(self, role)).write({"date_from": Q1[0], "date_to": Q1[1], "parent_id": False})
        created = self.env["sales.target"].with_user(self.leader).create({
            "plan_id": self.plans["draft"].id, "kpi_id": self.kpi_ordered.id, "team_id": self.team_1.id,
            "date_from": Q1[0], "date_to": Q1[1], "target_value": 10.0})
        created.with_user(self.leader).unlink()
        self.assertFalse(created.exists())

    def test_rep_and_other_leader_get_access_errors(self):
        target = self.plans["published"].target_ids.filtered("user_id")
        for user in (self.rep, self.leader_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                target.with_user(user).write({"target_value": 5.0})

    def test_forged_context_does_not_open_the_freeze(self):
        target = self.plans["published"].target_ids.filtered("user_id").with_user(self.manager)
        for value in (True, 1, "1", object()):
            with self.subTest(value=value), self.assertRaisesRegex(UserError, "Adjust"):
                target.with_context(sales_target_adjusting=value).write({"target_value": 5.0})

    def test_plan_transitions_and_refresh_still_work(self):
        plan = self.plans["draft"].with_user(self.manager)
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()
        self.assertEqual(set(plan.target_ids.mapped("plan_state")), {"published"})
        self.assertTrue(all(plan.target_ids.mapped("actuals_date")))
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.rep)
        self.env["sales.target"].browse(plan.target_ids.ids)._refresh_actuals(today=date(2026, 1, 20))
        self.assertEqual(plan.target_ids.filtered("user_id").actual_value, 100.0)
        plan.action_close()
        self.assertEqual(set(plan.target_ids.mapped("plan_state")), {"closed"})


@tagged("post_install", "-at_install")
class TestAdjustmentRoles(TestFrozenTargets):
    """Role by operation on adjustments: request, read, approve, refuse, change, delete."""

    def _adjust(self, user, target, value):
        wizard = self.env["sales.target.adjust"].with_user(user).with_context(
            active_model="sales.target", active_ids=target.ids).create({
                "reason_id": self.env.ref("crm_sales_target.adjustment_reason_other").id, "justification": "x"})
        wizard.line_ids.new_value = value
        return self.env["sales.target.adjustment"].browse(wizard.action_apply()["res_id"])

    def test_roles(self):
        target = self.plans["published"].target_ids.filtered("user_id")
        # request: the target's team leader and managers; not its salesperson, nor another leader
        for user in (self.rep, self.leader_2):
            with self.subTest(request=user.login), self.assertRaises(AccessError):
                self._adjust(user, target, 1010.0)
        by_leader = self._adjust(self.leader, target, 1020.0)
        self.assertEqual((by_leader.state, target.target_value), ("applied", 1020.0))
        waiting = self._adjust(self.manager, target, 2000.0)
        self.assertEqual(waiting.state, "to_approve")
        # read: the salesperson reads the adjustments of their own target, the other leader none
        Adjustment = self.env["sales.target.adjustment"]
        self.assertEqual(Adjustment.with_user(self.rep).search([]), by_leader | waiting)
        self.assertEqual(target.with_user(self.rep).adjustment_line_ids, by_leader.line_ids)
        self.assertFalse(Adjustment.with_user(self.leader_2).search([]))
        with self.assertRaises(AccessError):
            by_leader.with_user(self.leader_2).read(["justification"])
        # approve and refuse: managers only, not the requester
        for user in (self.rep, self.leader):
            with self.subTest(approve=user.login), self.assertRaises(AccessError):
                waiting.with_user(user).action_approve()
        with self.assertRaisesRegex(UserError, "another manager"):
            waiting.with_user(self.manager)._refuse("mine")
        waiting.with_user(self.manager_2)._refuse("Too much at once.")
        self.assertEqual((waiting.state, target.target_value), ("refused", 1020.0))
        # change and delete an applied one: nobody
        for user in (self.rep, self.leader, self.manager):
            with self.subTest(change=user.login), self.assertRaises(UserError):
                by_leader.with_user(user).write({"justification": "y"})
            with self.subTest(delete=user.login), self.assertRaises(UserError):
                by_leader.with_user(user).unlink()
        # a refused one may be cleared by a manager
        waiting.with_user(self.manager).unlink()
        self.assertFalse(waiting.exists())
