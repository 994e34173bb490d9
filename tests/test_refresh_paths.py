"""The refresh's fast paths: the index on order lines, the planner settings of one cube at a
time, and the work skipped when no figure changed."""

from datetime import date
from unittest.mock import patch

import psycopg2

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.sql import index_exists

from odoo.addons.crm_sales_target import uninstall_hook
from odoo.addons.crm_sales_target.models import measures
from odoo.addons.crm_sales_target.models.sale_order_line import AMOUNT_INDEX

from .common import FEB, JAN, SalesTargetCase


@tagged("post_install", "-at_install")
class TestRefreshPaths(SalesTargetCase):

    def _setting(self, name):
        self.env.cr.execute(SQL("SELECT current_setting(%s)", name))
        return self.env.cr.fetchone()[0]

    def test_amount_index_holds_what_order_cubes_read(self):
        self.assertTrue(index_exists(self.env.cr, AMOUNT_INDEX))
        self.env.cr.execute(SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", AMOUNT_INDEX))
        definition = self.env.cr.fetchone()[0]
        self.assertIn("ON public.sale_order_line USING btree (order_id) INCLUDE "
                      "(price_subtotal, margin, display_type, is_downpayment)", definition)

    def test_uninstall_drops_the_index(self):
        uninstall_hook(self.env)
        self.assertFalse(index_exists(self.env.cr, AMOUNT_INDEX))

    def test_planner_settings_per_cube(self):
        ordered, margin = measures.get("ordered_revenue"), measures.get("gross_margin")
        # order-level cubes add up each order through the index, not by hashing the table
        self.assertEqual(ordered.planner_settings({"user_id"}), {"enable_hashagg": "off"})
        self.assertEqual(margin.planner_settings({"team_id", "user_id"}), {"enable_hashagg": "off"})
        self.assertEqual(ordered.planner_settings(set()), {"enable_hashagg": "off"})
        # line-level cubes and other sources keep the planner's choice
        self.assertEqual(ordered.planner_settings({"categ_id"}), {})
        self.assertEqual(measures.get("quantity_sold").planner_settings({"user_id"}), {})
        self.assertEqual(measures.get("invoiced_revenue").planner_settings({"user_id"}), {})

    def test_cube_settings_hold_for_the_query_alone(self):
        self.env.cr.execute(SQL("SELECT set_config('work_mem', '5MB', true), set_config('enable_hashagg', 'on', true)"))
        Target = self.env["sales.target"]
        rows = Target._fetch_cube(SQL("SELECT current_setting('work_mem'), current_setting('enable_hashagg')"),
                                  {"enable_hashagg": "off"})
        self.assertEqual(rows, [("64MB", "off")])
        self.assertEqual((self._setting("work_mem"), self._setting("enable_hashagg")), ("5MB", "on"))
        # a failing query aborts the transaction: the savepoint's rollback restores them
        with self.assertRaises(psycopg2.errors.DivisionByZero), self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
            Target._fetch_cube(SQL("SELECT 1 / 0"), {"enable_hashagg": "off"})
        self.assertEqual((self._setting("work_mem"), self._setting("enable_hashagg")), ("5MB", "on"))

    def test_order_level_figures_through_the_index_path(self):
        """Salesperson and team targets measured together (one scan, grouping sets, ordered
        aggregation): sections and down payments left out, orders converted at their rate."""
        order = self._order(self.cust_ca, [
            {"display_type": "line_section", "name": "Goods"},
            (self.prod_a, 2, 100.0),  # 200
            (self.prod_b, 1, 50.0),   # 50
        ], "2026-01-10")
        self.env["sale.order.line"].create({
            "order_id": order.id, "product_id": self.prod_c.id, "product_uom_qty": 1, "price_unit": 80.0,
            "is_downpayment": True, "tax_id": [Command.clear()],
        })
        # 1000 CHF at 2 CHF per EUR: 500
        self._order(self.cust_nv, [(self.prod_a, 1, 1000.0)], "2026-01-12", currency=self.chf)
        self._order(self.cust_nv, [(self.prod_a, 1, 70.0)], "2026-01-20", user=self.user_b)   # B: 70
        self._order(self.cust_nv, [(self.prod_a, 1, 30.0)], "2026-01-21", team=self.team_2)   # team 2: 30
        self._order(self.cust_ca, [(self.prod_a, 9, 100.0)], "2026-01-22", state="cancel")    # cancelled
        self._order(self.cust_ca, [(self.prod_a, 1, 40.0)], "2026-02-03")                     # February: 40
        a_jan, b_jan, team_jan, team2_jan, a_feb = self._actuals([
            (self.kpi_ordered, JAN, {"user_id": self.user_a}),
            (self.kpi_ordered, JAN, {"user_id": self.user_b}),
            (self.kpi_ordered, JAN, {"team_id": self.team_1}),
            (self.kpi_ordered, JAN, {"team_id": self.team_2}),
            (self.kpi_ordered, FEB, {"user_id": self.user_a}),
        ])
        # A: 200 + 50 + 500 + 30 (team 2's order is A's) = 780; team 1: 200 + 50 + 500 + 70 = 820
        self.assertEqual((a_jan, b_jan, team_jan, team2_jan, a_feb), (780.0, 70.0, 820.0, 30.0, 40.0))

    def test_nothing_changed_moves_no_scorecard(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        target_a = self._target(self.kpi_ordered, JAN, user_id=self.user_a)
        target_b = self._target(self.kpi_ordered, JAN, user_id=self.user_b)
        self._refresh(target_a | target_b)
        self.assertEqual((target_a.actual_value, target_b.actual_value), (100.0, 0.0))
        Target = type(self.env["sales.target"])
        rescored = []
        with patch.object(Target, "_rescore_scorecards", autospec=True,
                          side_effect=lambda records: rescored.append(records.ids)):
            self.assertEqual((target_a | target_b)._refresh_actuals(today=date(2026, 12, 31)), 0)
            self.assertEqual(rescored, [])
            # a new order of A's: only A's target changes, and only its lines are rescored
            self._order(self.cust_ca, [(self.prod_a, 1, 25.0)], "2026-01-11")
            self.assertEqual((target_a | target_b)._refresh_actuals(today=date(2026, 12, 31)), 1)
        self.assertEqual(rescored, [target_a.ids])
        self.assertEqual(target_a.actual_value, 125.0)
