from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_sales_target.tests.test_tools_grid import NOISY_HISTORY, TOLERANCE


@tagged("post_install", "-at_install")
class TestDecomposeGrid(TransactionCase):
    """The preview a manager reads: the grid with its totals, the step, the seasonality chart,
    the legend, the notification on apply and the smoothing of a noisy history, on fixtures
    whose figures are worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.kpi = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.users = [new_test_user(cls.env, f"grid_u{i}", name=f"Grid Rep {i}",
                                   groups="sales_team.group_sale_salesman") for i in range(3)]
        cls.team = cls.env["crm.team"].create({
            "name": "Grid Team", "crm_team_member_ids": [Command.create({"user_id": u.id}) for u in cls.users]})
        cls.customer = cls.env["res.partner"].create({"name": "Grid Customer"})
        cls.product = cls.env["product.product"].create({"name": "Grid Widget", "taxes_id": [Command.clear()]})
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "Grid 2026", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        cls.q1 = cls._target(date(2026, 1, 1), date(2026, 3, 31), 1000.0)

    @classmethod
    def _target(cls, start, end, value):
        return cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi.id, "team_id": cls.team.id,
            "date_from": start, "date_to": end, "target_value": value})

    def _orders(self, amounts):
        """Confirmed orders: ``amounts`` ``{(user index, date): amount}``, in one batch."""
        orders = self.env["sale.order"].create([{
            "partner_id": self.customer.id, "user_id": self.users[u].id, "team_id": self.team.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1,
                                           "price_unit": amount, "tax_id": [Command.clear()]})],
        } for (u, _when), amount in amounts.items()])
        orders.action_confirm()
        for order, (_u, when) in zip(orders, amounts):
            order.date_order = datetime(when.year, when.month, when.day, 12)

    def _wizard(self, target=None, **vals):
        return self.env["sales.target.decompose"].with_context(
            active_model="sales.target", active_ids=(target or self.q1).ids).create(vals)

    @staticmethod
    def _matrix(wizard):
        rows = {}
        for line in wizard.line_ids:
            rows.setdefault(line.row, {})[line.col] = rows.get(line.row, {}).get(line.col, 0.0) + line.value
        return [[round(rows[r][c], 2) for c in sorted(rows[r])] for r in sorted(rows)]

    # ------------------------------------------------------------------ the grid
    def test_grid_shows_rows_columns_and_totals(self):
        wizard = self._wizard(dimension_1="user", dimension_2="period")
        wizard.action_preview()
        # 1,000 over 3 × 3: rows and columns 333.34 / 333.33 / 333.33, the cent left to the first
        matrix = self._matrix(wizard)
        self.assertEqual([round(sum(row), 2) for row in matrix], [333.34, 333.33, 333.33])
        self.assertEqual([round(sum(col), 2) for col in zip(*matrix)], [333.34, 333.33, 333.33])
        html = str(wizard.grid_html)
        for text in ("Grid Rep 0", "Jan 2026", "Mar 2026", "333.34", "333.33", "1,000.00", "Total",
                     "Salesperson × Period"):
            self.assertIn(text, html)
        self.assertIn('o_decompose_grand_total">1,000.00<', html)
        # a split along one dimension has no grid: its lines say it all
        wizard = self._wizard(dimension_1="user")
        wizard.action_preview()
        self.assertFalse(wizard.grid_html)

    def test_grid_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        wizard = self._wizard(dimension_1="user", dimension_2="period").with_context(lang="zh_CN")
        wizard.action_preview()
        html = str(wizard.grid_html)
        self.assertIn("1,000.00", html)
        self.assertIn("2026", html)
        self.assertNotIn("Jan 2026", html)  # months named in Chinese

    def test_step_rounding_keeps_totals_exact(self):
        wizard = self._wizard(dimension_1="user", dimension_2="period", rounding_step="100")
        wizard.action_preview()
        # to 100: rows and columns 3.3334 / 3.3333 / 3.3333 steps -> 4 / 3 / 3 steps; the first
        # row's 4 steps over cells of 1.1112 / 1.1111 / 1.1111 -> 2 / 1 / 1
        self.assertEqual(self._matrix(wizard), [[200.0, 100.0, 100.0], [100.0, 100.0, 100.0],
                                                [100.0, 100.0, 100.0]])
        html = str(wizard.grid_html)
        self.assertIn('o_decompose_grand_total">1,000<', html)
        self.assertIn(">400<", html)
        self.assertIn("Rounded to 100", str(wizard.legend_html))
        wizard.action_apply()
        self.assertEqual(sum(self.q1.child_ids.mapped("target_value")), 1000.0)
        # one dimension: 10 steps, 3.3334 / 3.3333 / 3.3333 -> 4 / 3 / 3
        other = self._target(date(2026, 4, 1), date(2026, 6, 30), 1000.0)
        wizard = self._wizard(other, dimension_1="user", rounding_step="100")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.sorted("row").mapped("value"), [400.0, 300.0, 300.0])

    def test_step_that_forces_cells_to_zero_is_told(self):
        target = self._target(date(2026, 4, 1), date(2026, 6, 30), 1005.5)
        wizard = self._wizard(target, dimension_1="user", dimension_2="period", rounding_step="1000")
        wizard.action_preview()
        # one step of 1,000 and the 5.50 below it, both on the largest cell; the eight others are 0
        self.assertEqual(self._matrix(wizard), [[1005.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        self.assertIn("8 parts become 0", wizard.info)
        self.assertIn("choose a smaller step", wizard.info)

    # ------------------------------------------------------------------ chart and legend
    def test_seasonality_chart_and_legend(self):
        year = self._target(date(2026, 1, 1), date(2026, 12, 31), 12000.0)
        # 2025: 100 a month, 400 in December
        self._orders({(0, date(2025, m, 10)): 400.0 if m == 12 else 100.0 for m in range(1, 13)})
        wizard = self._wizard(year, dimension_1="user", method_1="history", dimension_2="period",
                              method_2="seasonality")
        wizard.action_preview()
        chart = str(wizard.chart_html)
        self.assertIn("<svg", chart)
        self.assertEqual(chart.count("<rect"), 12)
        self.assertIn("monthly seasonality indices", chart)
        self.assertIn(">Dec<", chart)
        self.assertNotIn("seasonality indices", wizard.info or "")
        legend = str(wizard.legend_html)
        self.assertIn("Salesperson: By history. Weight: the part&#39;s own history", legend)
        self.assertIn("Period: By seasonality", legend)
        self.assertIn("History: the 12 months before 01/01/2026", legend)
        self.assertIn("counted for 30%", legend)
        self.assertIn("less than 20%", legend)
        self.assertIn("Share: the part of its target", legend)

    # ------------------------------------------------------------------ apply
    def test_apply_notifies_the_count(self):
        wizard = self._wizard(dimension_1="user", dimension_2="period")
        wizard.action_preview()
        action = wizard.action_apply()
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "display_notification"))
        self.assertEqual(action["params"]["message"], "9 sub-targets created.")
        self.assertEqual(action["params"]["next"]["res_model"], "sales.target")
        (field, operator, ids), = action["params"]["next"]["domain"]
        self.assertEqual((field, operator, sorted(ids)), ("id", "in", sorted(self.q1.child_ids.ids)))

    def test_history_strength_is_checked(self):
        with self.assertRaisesRegex(UserError, "History strength: use a number from 0 to 1"):
            self._wizard(dimension_1="user", history_strength=1.5).action_preview()

    # ------------------------------------------------------------------ smoothing
    def test_noisy_history_is_smoothed(self):
        """Three reps × 12 months of a noisy 2025 (tests/test_tools_grid.py), a 2026 target of
        120,000 split by history (rows) and seasonality (months)."""
        self._orders({(u, date(2025, m, 10)): float(NOISY_HISTORY[u][m - 1])
                      for u in range(3) for m in range(1, 13) if NOISY_HISTORY[u][m - 1]})
        year = self._target(date(2026, 1, 1), date(2026, 12, 31), 120000.0)
        wizard = self._wizard(year, dimension_1="user", method_1="history", dimension_2="period",
                              method_2="seasonality")
        wizard.action_preview()
        matrix = self._matrix(wizard)
        rows = [round(sum(row), 2) for row in matrix]
        cols = [round(sum(col), 2) for col in zip(*matrix)]
        # rows by the reps' 2025 totals 13,150 / 6,070 / 5,580 of 24,800 (see ROWS there)
        self.assertEqual(rows, [63629.03, 29370.97, 27000.0])
        self.assertEqual(round(sum(cols), 2), 120000.0)
        worst = max(abs(v / rows[i] - cols[j] / 120000.0) / (cols[j] / 120000.0)
                    for i, row in enumerate(matrix) for j, v in enumerate(row))
        self.assertLessEqual(worst, TOLERANCE, "each row follows the seasonality of the months")
        history = wizard.line_ids.filtered(lambda ln: ln.row == 0).sorted("col").mapped("history_value")
        self.assertEqual(history, [float(x) for x in NOISY_HISTORY[0]])
        # strength 1: the history as it is, its noise copied (the first rep's October at a fifth)
        raw = self._wizard(year, dimension_1="user", method_1="history", dimension_2="period",
                           method_2="seasonality", history_strength=1.0)
        raw.action_preview()
        raw_matrix = self._matrix(raw)
        self.assertEqual([round(sum(col), 2) for col in zip(*raw_matrix)], cols, "the same column totals")
        self.assertLess(raw_matrix[0][9], matrix[0][9] / 2)
