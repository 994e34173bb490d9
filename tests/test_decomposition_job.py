"""The background decomposition job: it blocks the plan while it runs, and two cron workers
picking it at once run it once (a row lock taken with SKIP LOCKED)."""

import json
from datetime import date

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

#: no chatter messages or followers: the lock test commits its records and removes them after
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


@tagged("post_install", "-at_install")
class TestDecompositionJobBlocks(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.users = [new_test_user(cls.env, f"job_u{i}", groups="sales_team.group_sale_salesman") for i in range(2)]
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "Job Plan 2026", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        cls.sub_plan = cls.env["sales.target.plan"].create({
            "name": "Job Plan Q1", "parent_id": cls.plan.id, "horizon": "short",
            "date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)})
        cls.target = cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi.id, "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31), "target_value": 1200.0})
        cls.env["sales.target"].create({
            "plan_id": cls.sub_plan.id, "kpi_id": cls.kpi.id, "date_from": date(2026, 1, 1),
            "date_to": date(2026, 3, 31), "target_value": 300.0})

    def _job(self, done, total):
        job = self.env["sales.target.decomposition"].create({
            "plan_id": self.plan.id, "parent_ids": [Command.set(self.target.ids)]})
        job.write({"payload": "[]", "total_count": total, "done_count": done})
        return job

    def test_running_job_blocks_apply_submit_publish(self):
        job = self._job(3000, 12000)
        expected = rf"Decomposition #{job.id} .*\(3,000 of 12,000 sub-targets\)"
        self.assertEqual(self.plan.decomposition_progress, "3,000 of 12,000 sub-targets")
        wizard = self.env["sales.target.decompose"].with_context(
            active_model="sales.target", active_ids=self.target.ids).create({
                "dimension_1": "user", "user_ids": [Command.set([u.id for u in self.users])]})
        with self.assertRaisesRegex(UserError, expected):
            wizard.action_apply()
        self.assertFalse(self.target.child_ids)
        with self.assertRaisesRegex(UserError, expected):
            self.plan.action_submit()
        self.assertEqual(self.plan.state, "draft")
        self.plan.state = "approved"
        with self.assertRaisesRegex(UserError, expected):
            self.plan.action_publish()
        self.assertEqual(self.plan.state, "approved")
        # the job of the parent plan may store into its sub-plans: they wait too
        with self.assertRaisesRegex(UserError, expected):
            self.sub_plan.action_submit()

        job.state = "running"
        with self.assertRaisesRegex(UserError, expected):
            self.plan.action_publish()
        for state in ("done", "failed"):
            job.state = state
            self.plan.state = "approved"
            self.plan.action_publish()
            self.assertEqual(self.plan.state, "published")
        self.sub_plan.action_submit()
        self.assertEqual(self.sub_plan.state, "submitted")

    def test_job_of_another_author_blocks_a_leader(self):
        """A team leader sees only their own jobs, yet a manager's running job blocks them."""
        leader = new_test_user(self.env, "job_leader", groups="sales_team.group_sale_salesman,"
                               "crm_sales_target.crm_sales_target_group_team_leader")
        team = self.env["crm.team"].create({"name": "Job Team", "user_id": leader.id})
        self.target.team_id = team
        job = self._job(0, 6000)
        self.assertFalse(self.env["sales.target.decomposition"].with_user(leader).search([("id", "=", job.id)]))
        wizard = self.env["sales.target.decompose"].with_user(leader).with_context(
            active_model="sales.target", active_ids=self.target.ids).create({
                "dimension_1": "user", "user_ids": [Command.set([u.id for u in self.users])]})
        with self.assertRaisesRegex(UserError, rf"Decomposition #{job.id} .*\(0 of 6,000 sub-targets\)"):
            wizard.action_apply()


@tagged("post_install", "-at_install")
class TestDecompositionJobLock(TransactionCase):
    """Real, committed transactions: each cursor below stands for one cron worker."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            kpi = env.ref("crm_sales_target.kpi_ordered_revenue")
            plan = env["sales.target.plan"].create({
                "name": "Job Lock Plan", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
            target = env["sales.target"].create({
                "plan_id": plan.id, "kpi_id": kpi.id, "date_from": plan.date_from, "date_to": plan.date_to,
                "target_value": 1200.0})
            rows = [{"plan_id": plan.id, "kpi_id": kpi.id, "parent_id": target.id, "target_value": 100.0,
                     "date_from": f"2026-{m:02d}-01", "date_to": f"2026-{m:02d}-28"} for m in range(1, 13)]
            job = env["sales.target.decomposition"].create({
                "plan_id": plan.id, "parent_ids": [Command.set(target.ids)],
                "payload": json.dumps(rows), "total_count": len(rows)})
            self.plan_id, self.target_id, self.job_id = plan.id, target.id, job.id
        self.addCleanup(self._drop_committed)

    def _drop_committed(self):
        with self.registry.cursor() as cr:
            # the plan takes its targets and jobs along (ondelete cascade)
            api.Environment(cr, SUPERUSER_ID, QUIET)["sales.target.plan"].browse(self.plan_id).unlink()

    def _state(self):
        """(state, done_count, sub-targets) as committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            job = env["sales.target.decomposition"].browse(self.job_id)
            return job.state, job.done_count, env["sales.target"].search_count([("parent_id", "=", self.target_id)])

    def _worker(self, cr, **context):
        """An environment on ``cr`` that fails instead of waiting for a lock (a worker that
        waited for the other one's row would hang this test rather than fail it)."""
        cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
        return api.Environment(cr, SUPERUSER_ID, context)

    def test_two_workers_run_the_job_once(self):
        with self.registry.cursor() as cr_a:
            # worker A holds the job's row
            cr_a.execute(SQL("SELECT id FROM sales_target_decomposition WHERE id = %s FOR UPDATE", self.job_id))
            with self.registry.cursor() as cr_b:
                self._worker(cr_b)["sales.target.decomposition"]._cron_run()
            cr_a.rollback()  # A lets go of the job without running it
        self.assertEqual(self._state(), ("pending", 0, 0), "worker B must skip a job another worker holds")

        with self.registry.cursor() as cr_b:
            # as the cron runs it: committing each batch, then taking the row again
            self._worker(cr_b, ir_cron_progress_id=1)["sales.target.decomposition"]._cron_run()
            # B has stored the batch, still holds the job and has not finished it: worker C,
            # at the same time, skips it
            with self.registry.cursor() as cr_c:
                self._worker(cr_c, ir_cron_progress_id=1)["sales.target.decomposition"]._cron_run()
        self.assertEqual(self._state(), ("done", 12, 12))

        with self.registry.cursor() as cr_c:
            self._worker(cr_c)["sales.target.decomposition"]._cron_run()
        self.assertEqual(self._state(), ("done", 12, 12), "a finished job does not run again")
