"""Audit ledger: one INSERT per create, write or unlink call, exact old and new values, who and
when; a chatter summary per plan; read access by role, no write for anyone."""

from contextlib import contextmanager
from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import JAN, SalesTargetCase


@contextmanager
def spy_queries():
    """Collect the text of every query run inside the block."""
    queries = []
    execute = Cursor.execute

    def spy(cr, query, params=None, log_exceptions=True):
        queries.append(query.code if isinstance(query, SQL) else str(query))
        return execute(cr, query, params, log_exceptions)

    Cursor.execute = spy
    try:
        yield queries
    finally:
        Cursor.execute = execute


@tagged("post_install", "-at_install")
class TestLedger(SalesTargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "cst_ledger_manager", company_id=cls.company.id,
                                    groups="crm_sales_target.crm_sales_target_group_manager")
        cls.leader = new_test_user(cls.env, "cst_ledger_leader", name="Ledger Leader", company_id=cls.company.id,
                                   groups="crm_sales_target.crm_sales_target_group_team_leader")
        cls.rep = new_test_user(cls.env, "cst_ledger_rep", company_id=cls.company.id,
                                groups="crm_sales_target.crm_sales_target_group_user")
        cls.team_1.user_id = cls.leader
        cls.Ledger = cls.env["sales.target.ledger"]

    def _targets(self, count, value=100.0, team=None):
        return self.env["sales.target"].create([{
            "plan_id": self.plan.id, "kpi_id": self.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
            "team_id": (team or self.team_1).id, "target_value": value,
        } for _i in range(count)])

    def _rows(self, targets, operation="write"):
        return self.Ledger.search([("target_ref", "in", targets.ids), ("operation", "=", operation)])

    def test_bulk_write_is_one_insert(self):
        targets = self._targets(20)
        before = fields.Datetime.now()
        with spy_queries() as queries:
            targets.with_user(self.leader).write({"target_value": 150.0})
            self.env.flush_all()
        inserts = [q for q in queries if "INSERT INTO sales_target_ledger" in q]
        self.assertEqual(len(inserts), 1, "one ledger insert for the 20 targets")
        old_reads = [q for q in queries if "FROM sales_target t JOIN sales_target_plan p" in q]
        self.assertEqual(len(old_reads), 1, "the old values are read in one query")
        rows = self._rows(targets)
        self.assertEqual(len(rows), 20)
        for row in rows:
            self.assertEqual((row.field_name, row.old_value, row.new_value), ("target_value", "100.00", "150.00"))
            self.assertEqual((row.old_amount, row.new_amount), (100.0, 150.0))
            self.assertEqual(row.user_id, self.leader)
            self.assertEqual(row.plan_id, self.plan)
            self.assertEqual(row.team_id, self.team_1)
            self.assertGreaterEqual(row.date, before.replace(microsecond=0))
        self.assertEqual(set(rows.target_id.ids), set(targets.ids))

    def test_dates_and_dimensions_with_names(self):
        target = self._targets(1)
        target.write({"date_to": date(2026, 1, 20), "user_id": self.user_a.id, "team_id": self.team_2.id,
                      "target_value": 100.0})  # the same value: not recorded
        rows = {row.field_name: row for row in self._rows(target)}
        self.assertEqual(set(rows), {"date_to", "user_id", "team_id"})
        self.assertEqual((rows["date_to"].old_value, rows["date_to"].new_value), ("2026-01-31", "2026-01-20"))
        self.assertEqual((rows["user_id"].old_value, rows["user_id"].new_value), (False, "CST Salesperson A"))
        self.assertEqual((rows["team_id"].old_value, rows["team_id"].new_value), ("CST Team 1", "CST Team 2"))
        # the team the target had before the change
        self.assertEqual(rows["team_id"].team_id, self.team_1)
        parent = self._targets(1, value=500.0)
        target.write({"parent_id": parent.id, "customer_type": "new"})
        rows = {row.field_name: row for row in self._rows(target)}
        self.assertEqual(rows["parent_id"].new_value, parent.display_name)
        self.assertEqual(rows["customer_type"].new_value, "New customers")

    def test_create_and_unlink(self):
        targets = self._targets(3, value=250.0)
        created = self._rows(targets, "create")
        self.assertEqual(len(created), 3)
        self.assertEqual(set(created.mapped("new_value")), {"250.00"})
        self.assertEqual(set(created.mapped("new_amount")), {250.0})
        self.assertEqual(created.company_id, self.company)
        labels = {t.id: t.display_name for t in targets}
        ids = targets.ids
        with spy_queries() as queries:
            targets.unlink()
        self.assertEqual(len([q for q in queries if "INSERT INTO sales_target_ledger" in q]), 1)
        deleted = self.Ledger.search([("target_ref", "in", ids), ("operation", "=", "unlink")])
        self.assertEqual(len(deleted), 3)
        for row in deleted:
            self.assertFalse(row.target_id, "the target is gone")
            self.assertEqual(row.target_label, labels[row.target_ref])
            self.assertEqual((row.old_value, row.new_value), ("250.00", False))

    def test_plan_chatter_summary(self):
        targets = self._targets(12)
        other_plan = self.plan.copy({"name": "CST other"})
        other = self.env["sales.target"].create({
            "plan_id": other_plan.id, "kpi_id": self.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
            "target_value": 200.0})
        count = len(self.plan.message_ids)
        (targets[:4] | other).write({"target_value": 110.0})
        targets[4:].write({"note": "not audited"})
        self.assertEqual(len(self.plan.message_ids), count + 1, "one summary per plan and call")
        body = self.plan.message_ids[0].body
        self.assertIn("4 targets changed by", body)
        self.assertIn("target +10.0 %", body)  # the 4 changed targets: 400 -> 440
        self.assertIn("1 targets changed by", other_plan.message_ids[0].body)
        self.assertIn("target -45.0 %", other_plan.message_ids[0].body)  # 200 -> 110

    def test_access(self):
        mine = self._targets(1)
        theirs = self._targets(1, team=self.team_2)
        (mine | theirs).write({"target_value": 120.0})
        domain = [("target_ref", "in", (mine | theirs).ids)]
        self.assertEqual(len(self.Ledger.with_user(self.manager).search(domain)), 4)
        self.assertEqual(set(self.Ledger.with_user(self.leader).search(domain).mapped("target_ref")), {mine.id})
        with self.assertRaises(AccessError):
            self.Ledger.with_user(self.rep).search(domain)
        row = self.Ledger.search(domain, limit=1)
        for user in (self.manager, self.leader):
            with self.assertRaises(UserError):
                row.with_user(user).write({"new_value": "x"})
            with self.assertRaises(UserError):
                row.with_user(user).unlink()
        # not even the superuser through the ORM
        with self.assertRaises(UserError):
            row.sudo().write({"new_value": "x"})  # sudo: the refusal holds for the superuser too
        with self.assertRaises(UserError):
            row.sudo().unlink()  # sudo: likewise
        with self.assertRaises(UserError):
            self.Ledger.sudo().create(  # sudo: likewise
                {"operation": "write", "date": fields.Datetime.now()})

    def test_rep_sees_no_ledger_through_target(self):
        target = self._targets(1)
        target.user_id = self.rep
        self.plan.write({"state": "published"})
        self.assertEqual(target.with_user(self.rep).target_value, 100.0)
        with self.assertRaises(AccessError):
            target.with_user(self.rep).ledger_ids.mapped("new_value")
