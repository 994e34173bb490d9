from datetime import date, datetime
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.crm_sales_target.tools import allocation


@tagged("post_install", "-at_install")
class TestDecomposeGaps(TransactionCase):
    """Sub-plans, manual weights, the history basis of periods, fiscal years and errors,
    on small fixtures whose figures are worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.users = [new_test_user(cls.env, f"gap_u{i}", groups="sales_team.group_sale_salesman") for i in range(3)]
        cls.team = cls.env["crm.team"].create({
            "name": "Gaps Team", "crm_team_member_ids": [Command.create({"user_id": u.id}) for u in cls.users]})
        cls.customer = cls.env["res.partner"].create({"name": "Gaps Customer"})
        cls.product = cls.env["product.product"].create({"name": "Gaps Widget", "taxes_id": [Command.clear()]})
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "Gaps 2026", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})

    def _target(self, start, end, value, plan=None, **vals):
        return self.env["sales.target"].create({
            "plan_id": (plan or self.plan).id, "kpi_id": self.kpi.id, "team_id": self.team.id,
            "date_from": start, "date_to": end, "target_value": value, **vals})

    def _order(self, amount, when):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": self.users[0].id, "team_id": self.team.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1,
                                           "price_unit": amount, "tax_id": [Command.clear()]})],
        })
        order.action_confirm()
        order.date_order = datetime(when.year, when.month, when.day, 12)
        return order

    def _wizard(self, targets, **vals):
        return self.env["sales.target.decompose"].with_context(
            active_model="sales.target", active_ids=targets.ids).create(vals)

    @staticmethod
    def _values(wizard):
        return [line.value for line in wizard.line_ids.sorted(lambda ln: (ln.row, ln.col, ln.sub))]

    # ------------------------------------------------------------------ a. sub-plans
    def test_sub_plan_preselects_its_targets(self):
        year = self._target(date(2026, 1, 1), date(2026, 12, 31), 1200.0)
        quarters = self.plan._create_child_plans("quarter")
        q1 = quarters.sorted("date_from")[0]
        q1_target = q1.target_ids
        self.assertEqual(q1_target.parent_id, year, "the sub-plan's target hangs from the yearly one")
        # a target already split inside the sub-plan is not offered again
        self._target(date(2026, 1, 1), date(2026, 1, 31), 100.0, plan=q1, parent_id=q1_target.id)
        wizard = self.env["sales.target.decompose"].with_context(
            active_model="sales.target.plan", active_id=q1.id).create({"dimension_1": "user"})
        self.assertEqual(wizard.target_ids, q1_target)
        wizard = self.env["sales.target.decompose"].with_context(
            active_model="sales.target.plan", active_id=self.plan.id).create({"dimension_1": "user"})
        self.assertEqual(wizard.target_ids, year)

    # ------------------------------------------------------------------ b. manual weights
    def test_manual_weights_drive_values_and_shares(self):
        target = self._target(date(2026, 1, 1), date(2026, 3, 31), 1000.0)
        wizard = self._wizard(target, dimension_1="user", method_1="weights")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("weight"), [1.0, 1.0, 1.0])
        self.assertIn("type a weight", wizard.info)
        with Form(wizard) as form:
            for index, weight in enumerate((2.0, 1.0, 1.0)):
                with form.line_ids.edit(index) as line:
                    line.weight = weight
        self.assertFalse(any(wizard.line_ids.mapped("locked")), "typing a weight locks nothing")
        wizard.action_redistribute()
        # 2 : 1 : 1 of 1000
        self.assertEqual(self._values(wizard), [500.0, 250.0, 250.0])
        self.assertEqual([round(s, 6) for s in wizard.line_ids.mapped("share")], [50.0, 25.0, 25.0])
        # a locked line keeps its value; the others share the remaining 400 by 1 : 1
        first = wizard.line_ids.sorted("row")[0]
        first.write({"value": 600.0, "locked": True})
        wizard.action_redistribute()
        self.assertEqual(self._values(wizard), [600.0, 200.0, 200.0])
        self.assertEqual([round(s, 6) for s in wizard.line_ids.mapped("share")], [60.0, 20.0, 20.0])
        wizard.action_apply()
        self.assertEqual(sorted(target.child_ids.mapped("target_value")), [200.0, 200.0, 600.0])

    # ------------------------------------------------------------------ c. history basis of periods
    def test_period_history_last_24_months_sums_two_years(self):
        # window 2024-01-01 .. 2025-12-31: Jan 100 + 50, Feb 200, Mar nothing (2023 is outside)
        self._order(100.0, date(2025, 1, 15))
        self._order(50.0, date(2024, 1, 20))
        self._order(200.0, date(2024, 2, 10))
        self._order(999.0, date(2023, 3, 10))
        target = self._target(date(2026, 1, 1), date(2026, 3, 31), 1000.0)
        wizard = self._wizard(target, dimension_1="period", method_1="history", history_basis="last_months",
                              history_months=24)
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.sorted("row").mapped("history_value"), [150.0, 200.0, 0.0])
        # 1000 x 150/350 = 428.571..., 1000 x 200/350 = 571.428...; the cent left goes to the larger remainder
        self.assertEqual(self._values(wizard), [428.57, 571.43, 0.0])
        # the same period last year only: Jan 100, Feb and Mar nothing
        wizard = self._wizard(target, dimension_1="period", method_1="history", history_basis="last_year",
                              history_months=24)
        wizard.action_preview()
        self.assertEqual(self._values(wizard), [1000.0, 0.0, 0.0])

    def test_period_history_clipped_to_the_window(self):
        # 8 months before 2026: 2025-05-01 .. 2025-12-31. By quarter: Q2 counts May and June only
        self._order(1000.0, date(2025, 4, 15))  # April: outside the window
        self._order(200.0, date(2025, 5, 20))
        self._order(600.0, date(2025, 8, 1))
        self._order(700.0, date(2024, 11, 5))  # a year further back: outside the window too
        target = self._target(date(2026, 1, 1), date(2026, 12, 31), 12000.0)
        wizard = self._wizard(target, dimension_1="period", period_unit="quarter", method_1="history",
                              history_months=8)
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.sorted("row").mapped("history_value"), [0.0, 200.0, 600.0, 0.0])
        self.assertEqual(self._values(wizard), [0.0, 3000.0, 9000.0, 0.0])

    # ------------------------------------------------------------------ d. fiscal years
    def test_fiscal_year_quarters(self):
        self.env.company.write({"fiscalyear_last_month": "3", "fiscalyear_last_day": 31})
        plan = self.env["sales.target.plan"].create({
            "name": "FY26", "horizon": "mid", "date_from": date(2026, 4, 1), "date_to": date(2027, 3, 31)})
        target = self._target(date(2026, 4, 1), date(2027, 3, 31), 4000.0, plan=plan)
        quarters = plan._create_child_plans("quarter").sorted("date_from")
        expected = [(date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30)),
                    (date(2026, 10, 1), date(2026, 12, 31)), (date(2027, 1, 1), date(2027, 3, 31))]
        self.assertEqual([(q.date_from, q.date_to) for q in quarters], expected)
        self.assertEqual(quarters.mapped("name"), [f"FY26 / FY 2026/27 Q{i}" for i in (1, 2, 3, 4)])
        # evenly by days: 91, 92, 92 and 90 of 365 days of 4000 (the two cents left go to the .92 remainders)
        self.assertEqual(target.child_ids.sorted("date_from").mapped("target_value"),
                         [997.26, 1008.22, 1008.22, 986.3])
        # the wizard's quarters follow the fiscal year too
        other = self._target(date(2026, 4, 1), date(2027, 3, 31), 400.0, plan=plan)
        wizard = self._wizard(other, dimension_1="period", period_unit="quarter")
        wizard.action_preview()
        self.assertEqual([(ln.date_from, ln.date_to) for ln in wizard.line_ids.sorted("row")], expected)

    def test_fiscal_year_of_a_long_plan(self):
        self.env.company.write({"fiscalyear_last_month": "3", "fiscalyear_last_day": 31})
        plan = self.env["sales.target.plan"].create({
            "name": "Long", "horizon": "long", "date_from": date(2026, 4, 1), "date_to": date(2028, 3, 31)})
        years = plan._create_child_plans("year").sorted("date_from")
        self.assertEqual([(y.date_from, y.date_to) for y in years],
                         [(date(2026, 4, 1), date(2027, 3, 31)), (date(2027, 4, 1), date(2028, 3, 31))])
        self.assertEqual(years.mapped("name"), ["Long / FY 2026/27", "Long / FY 2027/28"])

    # ------------------------------------------------------------------ e. errors reach the user
    def test_allocation_error_is_a_user_error(self):
        target = self._target(date(2026, 1, 1), date(2026, 3, 31), 1000.0)
        wizard = self._wizard(target, dimension_1="user", dimension_2="period")
        failing = patch.object(allocation, "allocate_matrix",
                               side_effect=allocation.AllocationError("no rounding matches both totals"))
        with failing, self.assertRaisesRegex(UserError, "cannot be split: no rounding matches both totals"):
            wizard.action_preview()
        with failing, self.assertRaisesRegex(UserError, "preview again"):
            wizard.action_apply()  # without a preview, apply computes the lines itself
        self.assertFalse(target.child_ids)

    def test_locks_over_total_name_what_to_change(self):
        target = self._target(date(2026, 1, 1), date(2026, 3, 31), 1000.0)
        wizard = self._wizard(target, dimension_1="user")
        wizard.action_preview()
        wizard.line_ids.write({"locked": True, "value": 400.0})
        with self.assertRaisesRegex(UserError, "locked cells exceed the total.*lower the locked values"):
            wizard.action_redistribute()

    def test_dimension_the_kpi_does_not_measure(self):
        # leads have no product: their history by category used to fail in the cube
        categ = self.env["product.category"].create({"name": "Gaps Categ"})
        target = self.env["sales.target"].create({
            "plan_id": self.plan.id, "kpi_id": self.env.ref("crm_sales_target.kpi_new_leads").id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31), "target_value": 10.0})
        wizard = self._wizard(target, dimension_1="product_categ", method_1="history",
                              categ_ids=[Command.set(categ.ids)])
        with self.assertRaisesRegex(UserError, "does not measure by Product Category"):
            wizard.action_preview()
