"""Targets stored in bulk (``_create_bulk``, the background decompositions' way) equal those
``create`` stores, and are checked the same way."""

from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .access_helpers import RoleAccessCase
from .common import FEB, JAN

#: columns that differ between two creations of the same rows
OWN = ("id", "parent_path", "create_date", "write_date")


@tagged("post_install", "-at_install")
class TestBulkCreate(RoleAccessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._role_users("bulk")
        cls._staff_teams()
        cls.kpi_win_rate = cls.env.ref("crm_sales_target.kpi_win_rate")
        cls.kpi_cycle = cls.env.ref("crm_sales_target.kpi_avg_sales_cycle")
        cls.parent = cls._parent_target()

    @classmethod
    def _parent_target(cls):
        return cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi_ordered.id, "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31), "target_value": 1000.0})

    def _rows(self):
        parent = {"plan_id": self.plan.id, "parent_id": self.parent.id}
        return [
            # an amount, in a month over, running and to come (today: 15 February)
            {**parent, "kpi_id": self.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
             "user_id": self.user_a.id, "target_value": 100.125},
            {**parent, "kpi_id": self.kpi_ordered.id, "date_from": FEB[0], "date_to": FEB[1],
             "user_id": self.user_a.id, "product_categ_id": self.categ_goods.id, "target_value": 280.0},
            {**parent, "kpi_id": self.kpi_ordered.id, "date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31),
             "team_id": self.team_1.id, "region_id": self.region_west.id, "target_value": 310.0},
            # a quantity (no currency), a rate and a lower-is-better average, without a parent
            {"plan_id": self.plan.id, "kpi_id": self.kpi_qty.id, "date_from": FEB[0], "date_to": FEB[1],
             "product_id": self.prod_a.id, "target_value": 40.0},
            {"plan_id": self.plan.id, "kpi_id": self.kpi_win_rate.id, "date_from": FEB[0], "date_to": FEB[1],
             "user_id": self.user_b.id, "target_value": 30.0},
            {"plan_id": self.plan.id, "kpi_id": self.kpi_cycle.id, "date_from": JAN[0], "date_to": JAN[1],
             "customer_type": "new", "target_value": 20.0},
        ]

    def _stored(self, targets):
        Target = self.env["sales.target"]
        self.env.flush_all()
        columns = [name for name, field in Target._fields.items()
                   if field.store and field.column_type and name not in OWN]
        self.env.cr.execute(SQL("SELECT id, parent_path, %s FROM sales_target WHERE id = ANY(%s) ORDER BY id",
                                SQL(", ").join(SQL.identifier(c) for c in columns), targets.ids))
        rows = []
        for target_id, path, *values in self.env.cr.fetchall():
            rows.append((path.replace(f"{target_id}/", "self/"), *values))
        self.env.cr.execute(SQL("""SELECT operation, field_name, new_value, new_amount, plan_id, company_id, team_id
                                     FROM sales_target_ledger WHERE target_id = ANY(%s) ORDER BY target_id""",
                                targets.ids))
        return dict(zip(columns, zip(*[r[1:] for r in rows]))), [r[0] for r in rows], self.env.cr.fetchall()

    def _without_create(self):
        """The bulk path really runs: ``create`` is not its fallback here."""
        return patch.object(type(self.env["sales.target"]), "create", autospec=True,
                            side_effect=AssertionError("fell back to create"))

    def _today(self):
        # the pacing (hence status and light) depends on the company's today
        return patch.object(type(self.company), "_sales_target_today", lambda company: date(2026, 2, 15))

    def test_same_rows_as_create(self):
        self._check_same_rows_as_create()

    def test_drafts_compute_the_figures_it_does_not_know(self):
        """A stored figure the bulk path has no plain rule for is computed by its own compute
        method over drafts of the rows: here, all of them."""
        Target = type(self.env["sales.target"])
        with patch.object(Target, "_bulk_figures", autospec=True, return_value={}):
            self._check_same_rows_as_create()

    def _check_same_rows_as_create(self):
        Target = self.env["sales.target"]
        with self._today():
            by_create = Target.create(self._rows())
            stored_create = self._stored(by_create)
            parent_create = (self.parent.children_value, self.parent.mismatch_value, self.parent.consistency)
            by_create.unlink()
            self.assertFalse(self.parent.child_ids)  # read before: in cache
            with self._without_create():
                by_bulk = Target._create_bulk(self._rows())
            self.assertEqual(self.parent.child_ids, by_bulk[:3])
            stored_bulk = self._stored(by_bulk)
        columns, paths, ledger = stored_bulk
        self.assertEqual(len(by_bulk), 6)
        for name, column in stored_create[0].items():
            self.assertEqual(columns[name], column, name)
        self.assertEqual(paths, stored_create[1])
        self.assertEqual(paths[0], f"{self.parent.id}/self/")
        self.assertEqual(ledger, stored_create[2])
        self.assertEqual(len(ledger), 6)
        # the figures by hand: January over and missed, February running (15 of 28 days), March to come
        self.assertEqual(columns["status"][:3], ("missed", "off_track", "not_started"))
        self.assertEqual(float(columns["expected_value"][1]), 150.0)  # 280 x 15 / 28
        self.assertEqual(columns["traffic_light"][:3], ("bad", "bad", None))
        self.assertEqual(columns["currency_id"][3], None)  # a quantity
        self.assertEqual(columns["traffic_light"][4], None)  # a rate not measured yet
        self.assertEqual(columns["consistency"], ("leaf",) * 6)
        self.assertEqual(set(columns["company_id"]), {self.company.id})
        # the parent's roll-up follows, as after create: 100.13 + 280 + 310 against 1000
        self.assertEqual((self.parent.children_value, self.parent.mismatch_value, self.parent.consistency),
                         parent_create)
        self.assertAlmostEqual(self.parent.children_value, 690.125, places=2)
        self.assertEqual(self.parent.consistency, "mismatch")

    def test_checked_as_create(self):
        with self._without_create():
            self._check_checked_as_create()

    def _check_checked_as_create(self):
        Target = self.env["sales.target"]
        rows = self._rows()[:3]
        count = Target.search_count([])
        # a salesperson creates no target
        with self.assertRaises(AccessError):
            Target.with_user(self.users["rep"])._create_bulk(rows)
        # a team leader creates their own team's targets, not another team's
        leader = Target.with_user(self.users["leader"])
        self.assertEqual(len(leader._create_bulk([{**rows[2], "team_id": self.team_1.id}])), 1)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            leader._create_bulk([{**rows[2], "team_id": self.team_2.id}])
        # a manager of another company (refused on reading the plan of a company not theirs)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Target.with_user(self.users["manager_b"])._create_bulk(rows)
        # constraints: a period outside the plan
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Target._create_bulk([{**rows[0], "date_from": date(2025, 12, 1), "date_to": date(2025, 12, 31)}])
        # a selection's keys, as create checks them
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            Target._create_bulk([{**rows[0], "customer_type": "somebody"}])
        # measured figures are the refresh's
        with self.assertRaisesRegex(UserError, "Actual"), self.env.cr.savepoint():
            Target._create_bulk([{**rows[0], "actual_value": 5.0}])
        # a published plan's targets change by adjustments only
        self.plan.state = "published"
        with self.assertRaisesRegex(UserError, "Adjust"), self.env.cr.savepoint():
            Target.with_user(self.users["manager"])._create_bulk(rows)
        self.assertEqual(Target.search_count([]), count + 1)

    def test_defaults_per_row(self):
        """Each row gets the defaults of what it leaves out, from the context too."""
        rows = self._rows()[:2]
        del rows[1]["user_id"]
        with self._without_create():
            targets = self.env["sales.target"].with_context(default_user_id=self.user_b.id)._create_bulk(rows)
        self.assertEqual(targets.user_id, self.user_a | self.user_b)
        self.assertEqual(targets[1].user_id, self.user_b)

    def test_other_values_take_create(self):
        Target = self.env["sales.target"]
        row = {**self._rows()[0], "child_ids": [Command.create({
            "plan_id": self.plan.id, "kpi_id": self.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
            "target_value": 10.0})]}
        with patch.object(type(Target), "create", autospec=True, side_effect=lambda model, vals_list: "create") as spy:
            self.assertEqual(Target._create_bulk([row]), "create")
        spy.assert_called_once()
