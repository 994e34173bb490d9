"""Two managers adjusting the same target at once: the second never overwrites the first.

Real, committed transactions on two cursors. The first holds the target's row (its adjustment
is being applied, not yet committed); the second fails at once with a clear message instead of
waiting. Once the first is committed, a second wizard opened on the former value fails the
version check. The committed records are removed afterwards in SQL: applied adjustments and
targets of published plans refuse deletion through the ORM by design."""

from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True,
         "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestAdjustmentConcurrency(TransactionCase):

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            plan = env["sales.target.plan"].create({
                "name": "Adjust Lock Plan", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
            target = env["sales.target"].create({
                "plan_id": plan.id, "kpi_id": env.ref("crm_sales_target.kpi_ordered_revenue").id,
                "date_from": plan.date_from, "date_to": plan.date_to, "target_value": 1000.0})
            plan.state = "published"
            self.plan_id, self.target_id = plan.id, target.id
        self.addCleanup(self._drop_committed)

    def _drop_committed(self):
        with self.registry.cursor() as cr:
            cr.execute(SQL("DELETE FROM sales_target_adjustment WHERE id IN (SELECT adjustment_id FROM "
                           "sales_target_adjustment_line WHERE target_id = %s)", self.target_id))
            cr.execute(SQL("UPDATE sales_target_plan SET state = 'draft' WHERE id = %s", self.plan_id))
            api.Environment(cr, SUPERUSER_ID, QUIET)["sales.target.plan"].browse(self.plan_id).unlink()

    def _wizard(self, cr, value):
        """A wizard of a manager on ``cr``, opened on the target's value as ``cr`` sees it."""
        cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))  # a bug that waits fails rather than hangs
        env = api.Environment(cr, SUPERUSER_ID, QUIET)
        wizard = env["sales.target.adjust"].with_context(
            active_model="sales.target", active_ids=[self.target_id]).create({
                "reason_id": env.ref("crm_sales_target.adjustment_reason_other").id, "justification": "at once",
                "retroactive": True})
        wizard.line_ids.new_value = value  # within the 10 % threshold: applies at once
        return wizard

    def _committed_value(self):
        with self.registry.cursor() as cr:
            cr.execute(SQL("SELECT target_value FROM sales_target WHERE id = %s", self.target_id))
            return float(cr.fetchone()[0])

    def test_second_manager_gets_a_clear_message(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            wizard_a = self._wizard(cr_a, 1050.0)
            wizard_b = self._wizard(cr_b, 1080.0)  # both opened on 1000
            wizard_a.action_apply()
            wizard_a.env.flush_all()  # A holds the row, not committed yet
            with self.assertRaisesRegex(UserError, "being adjusted by someone else"):
                wizard_b.action_apply()
            cr_b.rollback()
            cr_a.commit()
        self.assertEqual(self._committed_value(), 1050.0)
        # B tries again with the wizard opened on 1000: the version check refuses it
        with self.registry.cursor() as cr_b:
            wizard_b = self._wizard(cr_b, 1080.0)
            wizard_b.line_ids.old_value = 1000.0
            with self.assertRaisesRegex(UserError, "no longer 1,?000"):
                wizard_b.action_apply()
            cr_b.rollback()
        self.assertEqual(self._committed_value(), 1050.0)
