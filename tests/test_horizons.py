from datetime import date, datetime

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from freezegun import freeze_time

from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHorizons(TransactionCase):
    """Long, mid and short-term plans linked as a tree; consistency of sub-targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.kpi_count = cls.env.ref("crm_sales_target.kpi_new_leads")
        cls.long = cls.env["sales.target.plan"].create({
            "name": "Strategy", "horizon": "long", "date_from": date(2026, 1, 1), "date_to": date(2030, 12, 31)})
        cls.revenue = cls.env["sales.target"].create({
            "plan_id": cls.long.id, "kpi_id": cls.kpi.id, "date_from": date(2026, 1, 1),
            "date_to": date(2030, 12, 31), "target_value": 1_000_000.0, "stretch_value": 1_200_000.0})

    def test_five_years_into_sixty_months(self):
        wizard = self.env["sales.target.plan.split"].create({
            "plan_id": self.long.id, "unit": "year", "then_unit": "month", "method": "even"})
        wizard.action_apply()
        years = self.long.child_ids.sorted("date_from")
        self.assertEqual(len(years), 5)
        self.assertEqual(set(years.mapped("horizon")), {"mid"})
        self.assertEqual(years[0].name, "Strategy / 2026")
        months = years.child_ids
        self.assertEqual(len(months), 60)
        self.assertEqual(set(months.mapped("horizon")), {"short"})
        yearly = self.revenue.child_ids.sorted("date_from")
        self.assertEqual(len(yearly), 5)
        # split by days: 2028 is a leap year (366 of 1826 days)
        self.assertEqual(round(sum(yearly.mapped("target_value")), 2), 1_000_000.0)
        self.assertEqual(yearly[2].target_value, round(1_000_000 * 366 / 1826, 2))
        monthly = yearly.child_ids
        self.assertEqual(len(monthly), 60)
        self.assertEqual(round(sum(monthly.mapped("target_value")), 2), 1_000_000.0)
        for year in yearly:
            self.assertEqual(round(sum(year.child_ids.mapped("target_value")), 2), year.target_value)
            self.assertEqual(year.consistency, "consistent")
        self.assertEqual(round(sum(monthly.mapped("stretch_value")), 2), 1_200_000.0)
        self.assertEqual(self.revenue.consistency, "consistent")
        self.assertEqual(self.revenue.children_value, 1_000_000.0)
        # sub-plans hold the sub-targets of their period
        jan = months.filtered(lambda p: p.date_from == date(2027, 1, 1))
        self.assertEqual(len(jan.target_ids), 1)
        self.assertEqual(jan.target_ids.parent_id.plan_id.date_from, date(2027, 1, 1))
        with self.assertRaisesRegex(UserError, "already has sub-plans"):
            self.long._create_child_plans("year")

    def test_quarters_by_seasonality(self):
        mid = self.env["sales.target.plan"].create({
            "name": "Year", "horizon": "mid", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        target = self.env["sales.target"].create({
            "plan_id": mid.id, "kpi_id": self.kpi.id, "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31), "target_value": 1000.0})
        partner = self.env["res.partner"].create({"name": "Seasonal Customer"})
        product = self.env["product.product"].create({"name": "Seasonal", "taxes_id": [Command.clear()]})
        orders = self.env["sale.order"].create([{
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id,
                                           "price_unit": 300.0 if m in (10, 11, 12) else 100.0,
                                           "tax_id": [Command.clear()]})],
        } for _y in range(3) for m in range(1, 13)])
        orders.action_confirm()
        for i, order in enumerate(orders):
            order.date_order = datetime(2023 + i // 12, i % 12 + 1, 5, 12)
        mid._create_child_plans("quarter", method="seasonality")
        quarters = target.child_ids.sorted("date_from")
        self.assertEqual(len(quarters), 4)
        self.assertEqual(round(sum(quarters.mapped("target_value")), 2), 1000.0)
        self.assertGreater(quarters[3].target_value, quarters[1].target_value, "Q4 sells more")

    def test_horizon_order_and_dates(self):
        mid = self.env["sales.target.plan"].create({
            "name": "Y", "horizon": "mid", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        with self.assertRaisesRegex(ValidationError, "shorter horizon"):
            self.env["sales.target.plan"].create({
                "name": "Bad", "horizon": "long", "parent_id": mid.id,
                "date_from": date(2026, 1, 1), "date_to": date(2026, 6, 30)})
        with self.assertRaisesRegex(ValidationError, "must lie within the period"):
            self.env["sales.target.plan"].create({
                "name": "Bad", "horizon": "short", "parent_id": mid.id,
                "date_from": date(2026, 12, 1), "date_to": date(2027, 1, 31)})
        with self.assertRaisesRegex(UserError, "cannot be split by Years"):
            mid._create_child_plans("year")

    def test_mismatch_blocks_submit_until_a_manager_gives_a_reason(self):
        self.long._create_child_plans("year")
        yearly = self.revenue.child_ids.sorted("date_from")
        yearly[0].target_value += 10_000.0  # 1 % off
        self.assertEqual(self.revenue.consistency, "mismatch")
        self.assertEqual(self.revenue.mismatch_value, 10_000.0)
        self.assertAlmostEqual(self.revenue.mismatch_pct, 1.0)
        self.assertEqual(self.long.mismatch_count, 1)
        action = self.long.action_submit()
        self.assertEqual(action["res_model"], "sales.target.plan.confirm")
        self.assertEqual(self.long.state, "draft")
        confirm = self.env["sales.target.plan.confirm"].with_context(**action["context"]).create({"reason": " "})
        self.assertEqual(confirm.target_ids, self.revenue)
        with self.assertRaisesRegex(UserError, "Reason"):
            confirm.action_confirm()
        rep = new_test_user(self.env, "horizon_leader", groups="sales_team.group_sale_salesman,"
                            "crm_sales_target.crm_sales_target_group_team_leader")
        with self.assertRaisesRegex(UserError, "Only a sales target manager"):
            self.long.with_user(rep)._accept_mismatches("because")
        confirm.reason = "New market opens in 2026"
        confirm.action_confirm()
        self.assertEqual(self.long.state, "submitted")
        self.assertEqual(self.long.mismatch_reason, "New market opens in 2026")
        self.assertEqual(self.long.mismatch_confirmed_by, self.env.user)

    def test_tolerance_from_settings(self):
        self.long._create_child_plans("year")
        self.revenue.child_ids[0].target_value += 4000.0  # 0.4 %
        self.assertEqual(self.revenue.consistency, "consistent", "within the default 0.5 %")
        self.env.company.sales_target_consistency_tolerance = 0.1
        self.assertEqual(self.revenue.consistency, "mismatch")
        self.assertEqual(self.long.action_submit()["res_model"], "sales.target.plan.confirm")

    def test_ratio_kpis_roll_up_as_average(self):
        kpi = self.env["sales.target.kpi"].create({
            "name": "Leads as a ratio", "code": "RATIO_TEST", "measure": "new_leads", "unit": "count",
            "rollup": "average"})
        parent = self.env["sales.target"].create({
            "plan_id": self.long.id, "kpi_id": kpi.id, "date_from": date(2026, 1, 1),
            "date_to": date(2030, 12, 31), "target_value": 30.0})
        self.long._create_child_plans("year")
        # a ratio is not split: every year aims at the same rate
        self.assertEqual(parent.child_ids.mapped("target_value"), [30.0] * 5)
        self.assertEqual(parent.consistency, "consistent")
        parent.child_ids[0].target_value = 35.0  # average 31 against 30
        self.assertEqual(parent.children_value, 31.0)
        self.assertEqual(parent.consistency, "mismatch")
        self.assertEqual(
            self.env["sales.target.kpi"].create({"name": "Pct", "code": "PCT_TEST", "measure": "new_leads",
                                                 "unit": "count"}).rollup, "sum")

    def test_counts_cascade_in_whole_units(self):
        target = self.env["sales.target"].create({
            "plan_id": self.long.id, "kpi_id": self.kpi_count.id, "date_from": date(2026, 1, 1),
            "date_to": date(2030, 12, 31), "target_value": 7.0})
        self.long._create_child_plans("year")
        values = target.child_ids.sorted("date_from").mapped("target_value")
        self.assertEqual(sum(values), 7.0)
        self.assertTrue(all(v == int(v) for v in values))


@tagged("post_install", "-at_install")
class TestPlanDefaults(TransactionCase):
    """A new plan proposes the next period of its horizon, in the company's today."""

    def _defaults(self, horizon=None):
        form = Form(self.env["sales.target.plan"])
        if horizon:
            form.horizon = horizon
        return fields.Date.to_date(form.date_from), fields.Date.to_date(form.date_to)

    def test_next_period_of_each_horizon(self):
        self.env.company.sales_target_tz = "UTC"
        with freeze_time("2026-11-30 12:00:00"):
            self.assertEqual(self._defaults(), (date(2027, 1, 1), date(2027, 12, 31)))  # mid term
            self.assertEqual(self._defaults("long"), (date(2027, 1, 1), date(2029, 12, 31)))
            self.assertEqual(self._defaults("short"), (date(2027, 1, 1), date(2027, 3, 31)))
        with freeze_time("2026-05-10 12:00:00"):
            self.assertEqual(self._defaults("short"), (date(2026, 7, 1), date(2026, 9, 30)))
        # a saved plan keeps its dates when its horizon changes
        plan = self.env["sales.target.plan"].create({"name": "Set", "date_from": date(2026, 1, 1),
                                                     "date_to": date(2026, 12, 31)})
        with Form(plan) as form:
            form.horizon = "short"
            self.assertEqual((form.date_from, form.date_to), ("2026-01-01", "2026-12-31"))
            form.horizon = "mid"
