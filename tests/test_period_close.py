"""Period close: the snapshot freezes each target's figures; later documents change neither the
snapshot nor the closed targets; reopening needs a manager and a reason; reclosing takes a new
version and keeps the old one; the cron closes the plans whose period ended."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import JAN, SalesTargetCase
from .test_ledger import spy_queries


@tagged("post_install", "-at_install")
class TestPeriodClose(SalesTargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "cst_close_manager", company_id=cls.company.id,
                                    groups="crm_sales_target.crm_sales_target_group_manager")
        cls.leader = new_test_user(cls.env, "cst_close_leader", company_id=cls.company.id,
                                   groups="crm_sales_target.crm_sales_target_group_team_leader")
        cls.team_1.user_id = cls.leader
        cls.jan_plan = cls.env["sales.target.plan"].create({
            "name": "CST January", "company_id": cls.company.id, "horizon": "short",
            "date_from": JAN[0], "date_to": JAN[1]})

    def _published_target(self, value=1000.0, **dims):
        target = self._target(self.kpi_ordered, JAN, plan=self.jan_plan, value=value, team_id=self.team_1, **dims)
        self.jan_plan.action_submit()
        self.jan_plan.action_approve()
        self.jan_plan.action_publish()
        return target

    def test_close_freezes_figures(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        target = self._published_target(user_id=self.user_a)
        with spy_queries() as queries:
            self.jan_plan.with_user(self.manager).action_close()
        self.assertEqual(len([q for q in queries if "INSERT INTO sales_target_snapshot" in q]), 1)
        self.assertEqual(self.jan_plan.state, "closed")
        snapshot = self.jan_plan.snapshot_ids
        self.assertEqual(len(snapshot), 1)
        # 100 ordered of 1000 over a period that is over (today is after January)
        self.assertEqual((snapshot.version, snapshot.target_id, snapshot.user_id), (1, target, self.user_a))
        self.assertEqual((snapshot.target_value, snapshot.actual_value), (1000.0, 100.0))
        self.assertAlmostEqual(snapshot.attainment, 10.0)
        self.assertEqual(snapshot.status, "missed")
        self.assertEqual((snapshot.expected_value, snapshot.gap_value), (target.expected_value, target.gap_value))
        self.assertEqual(snapshot.closed_by, self.manager)
        self.assertEqual((self.jan_plan.close_version, self.jan_plan.closed_by), (1, self.manager))

        # a late order of the period: neither the refresh nor the cron changes the closed figures
        self._order(self.cust_ca, [(self.prod_a, 1, 500.0)], "2026-01-20")
        target._refresh_actuals()
        self.env["sales.target"]._cron_refresh_actuals()
        with self.assertRaisesRegex(UserError, "closed"):
            target.action_refresh_actuals()
        with self.assertRaisesRegex(UserError, "closed"):
            self.jan_plan.action_refresh_actuals()
        self.env.invalidate_all()
        self.assertEqual(target.actual_value, 100.0)
        self.assertEqual((snapshot.actual_value, snapshot.attainment, snapshot.status), (100.0, 10.0, "missed"))

        # reopen: a manager, with a reason kept in the chatter
        with self.assertRaises(AccessError):
            self.jan_plan.with_user(self.leader).action_reopen("late order")
        with self.assertRaisesRegex(UserError, "Reason"):
            self.jan_plan.with_user(self.manager).action_reopen("  ")
        with self.assertRaisesRegex(UserError, "reopening"):
            self.jan_plan.with_user(self.manager).action_publish()
        wizard = Form(self.env["sales.target.plan.reason"].with_user(self.manager).with_context(
            default_plan_id=self.jan_plan.id, default_action="reopen"))
        wizard.reason = "Late order of 20 January"
        wizard.save().action_confirm()
        self.assertEqual(self.jan_plan.state, "published")
        self.assertIn("Late order of 20 January", self.jan_plan.message_ids[0].body)
        self.assertIn("Closed → Published", self.jan_plan.message_ids[0].body)

        # reclose: version 2 with the late order, version 1 unchanged
        self.jan_plan.with_user(self.manager).action_close()
        snapshots = self.jan_plan.snapshot_ids
        self.assertEqual(sorted(snapshots.mapped("version")), [1, 2])
        first = snapshots.filtered(lambda s: s.version == 1)
        second = snapshots.filtered(lambda s: s.version == 2)
        self.assertEqual((first.actual_value, second.actual_value), (100.0, 600.0))
        self.assertAlmostEqual(second.attainment, 60.0)
        self.assertEqual(self.jan_plan.close_version, 2)

    def test_snapshots_are_read_only(self):
        self._published_target()
        self.jan_plan.action_close()
        snapshot = self.jan_plan.snapshot_ids
        with self.assertRaises(UserError):
            snapshot.write({"actual_value": 1.0})
        with self.assertRaises(UserError):
            snapshot.unlink()
        with self.assertRaises(UserError):
            snapshot.with_user(self.manager).write({"actual_value": 1.0})
        # a leader reads the snapshots of the teams they lead
        self.assertEqual(snapshot.with_user(self.leader).actual_value, 0.0)

    def test_cron_closes_ended_plans(self):
        self._published_target()
        running = self.plan  # 2026, still running
        self._target(self.kpi_ordered, JAN)
        running.write({"state": "published"})
        self.env["sales.target.plan"]._cron_close_ended_plans()
        self.assertEqual(self.jan_plan.state, "closed")
        self.assertEqual(len(self.jan_plan.snapshot_ids), 1)
        self.assertEqual(running.state, "published")
        self.assertFalse(running.snapshot_ids)
        self.assertLess(self.jan_plan.date_to, date.today())


@tagged("post_install", "-at_install")
class TestCloseDemo(TransactionCase):
    def test_demo_closed_period(self):
        plan = self.env.ref("crm_sales_target.demo_sales_plan_closed_month", raise_if_not_found=False)
        if not plan:
            self.skipTest("installed without demo data")
        self.assertEqual(plan.state, "closed")
        self.assertEqual(plan.close_version, 2)
        versions = plan.snapshot_ids.mapped("version")
        self.assertEqual(versions.count(1), versions.count(2))
        self.assertEqual(versions.count(1), len(plan.target_ids))
        self.assertIn("credit note", "".join(plan.message_ids.mapped("body")))
