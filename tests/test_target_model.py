from datetime import date, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTargetModel(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.kpi_revenue = cls.env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.kpi_leads = cls.env.ref("crm_sales_target.kpi_new_leads")
        cls.team = cls.env["crm.team"].create({"name": "Model Test Team"})
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "Plan 2026", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
        })

    def _target(self, **vals):
        return self.env["sales.target"].create({
            "plan_id": self.plan.id, "kpi_id": self.kpi_revenue.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31), "target_value": 3100.0, **vals,
        })

    # ------------------------------------------------------------------ constraints
    def test_dates_ordered(self):
        with self.assertRaisesRegex(ValidationError, "start.*must not be after the end"):
            self._target(date_from=date(2026, 2, 1), date_to=date(2026, 1, 31))

    def test_plan_dates_ordered(self):
        with self.assertRaisesRegex(ValidationError, "start date.*must not be after the end date"):
            self.env["sales.target.plan"].create({
                "name": "Bad", "date_from": date(2026, 2, 1), "date_to": date(2026, 1, 1)})

    def test_period_inside_plan(self):
        with self.assertRaisesRegex(ValidationError, "must lie within its plan"):
            self._target(date_from=date(2025, 12, 1), date_to=date(2026, 1, 31))
        target = self._target()
        with self.assertRaisesRegex(ValidationError, "must lie within its plan"):
            self.plan.date_from = date(2026, 1, 15)
        self.assertEqual(target.date_from, date(2026, 1, 1))

    def test_non_negative_values(self):
        with self.assertRaisesRegex(ValidationError, "must not be negative"):
            self._target(target_value=-1.0)
        with self.assertRaisesRegex(ValidationError, "must not be negative"):
            self._target(stretch_value=-5.0)

    def test_stretch_not_below_target(self):
        with self.assertRaisesRegex(ValidationError, "stretch value.*must be at least"):
            self._target(stretch_value=1000.0)
        self.assertEqual(self._target(stretch_value=4000.0).stretch_value, 4000.0)

    def test_kpi_unit_must_match_measure(self):
        with self.assertRaisesRegex(ValidationError, "Unit of KPI"):
            self.env["sales.target.kpi"].create({
                "name": "Revenue as count", "code": "BAD1", "measure": "ordered_revenue", "unit": "count"})
        with self.assertRaisesRegex(ValidationError, "Unit of KPI"):
            self.env["sales.target.kpi"].create({
                "name": "Leads in money", "code": "BAD2", "measure": "new_leads", "unit": "currency"})

    def test_kpi_unit_follows_measure_in_form(self):
        form = Form(self.env["sales.target.kpi"])
        form.name = "Leads"
        form.code = "LEADS_FORM"
        form.measure = "new_leads"
        self.assertEqual(form.unit, "count")
        kpi = form.save()
        self.assertEqual(kpi.source_model, "crm.lead")

    def test_kpi_domain_must_be_valid(self):
        with self.assertRaisesRegex(ValidationError, "Filter of KPI"):
            self.env["sales.target.kpi"].create({
                "name": "Bad filter", "code": "BAD3", "measure": "ordered_revenue",
                "domain": "[('no_such_field', '=', 1)]"})
        with self.assertRaisesRegex(ValidationError, "Filter of KPI"):
            self.env["sales.target.kpi"].create({
                "name": "Not a domain", "code": "BAD4", "measure": "ordered_revenue", "domain": "42"})

    def test_kpi_code_unique(self):
        self.env["sales.target.kpi"].create({"name": "A", "code": "DUP", "measure": "ordered_revenue",
                                             "company_id": self.company.id})
        with self.assertRaises(psycopg2.IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["sales.target.kpi"].create({"name": "B", "code": "DUP", "measure": "ordered_revenue",
                                                 "company_id": self.company.id})

    def test_dimension_not_measured_by_kpi(self):
        product = self.env["product.product"].create({"name": "Widget"})
        with self.assertRaisesRegex(ValidationError, "does not measure by"):
            self._target(kpi_id=self.kpi_leads.id, product_id=product.id)

    def test_kpi_of_other_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        kpi = self.env["sales.target.kpi"].create({"name": "Theirs", "code": "THEIRS", "measure": "ordered_revenue",
                                                   "company_id": other.id})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._target(kpi_id=kpi.id)

    def test_parent_cycle(self):
        parent = self._target()
        child = self._target(parent_id=parent.id)
        # the parent store refuses the loop before the constraint does
        with self.assertRaisesRegex((UserError, ValidationError), "Recursion|own ancestor"):
            parent.parent_id = child

    def test_currency_only_for_amounts(self):
        self.assertEqual(self._target().currency_id, self.company.currency_id)
        self.assertFalse(self._target(kpi_id=self.kpi_leads.id).currency_id)

    def test_region_state_in_one_region_only(self):
        cn = self.env.ref("base.cn")
        states = self.env["res.country.state"].search([("country_id", "=", cn.id)], limit=2)
        self.env["sales.target.region"].create({"name": "R1", "state_ids": [(6, 0, states[:1].ids)]})
        with self.assertRaisesRegex(ValidationError, "already belongs to the region R1"):
            self.env["sales.target.region"].create({"name": "R2", "state_ids": [(6, 0, states.ids)]})

    def test_thresholds_ordered(self):
        with self.assertRaisesRegex(ValidationError, "at-risk threshold"):
            self.company.write({"sales_target_on_track_threshold": 70.0, "sales_target_at_risk_threshold": 80.0})

    # ------------------------------------------------------------------ figures
    def test_pacing_recomputed_on_edit(self):
        today = fields.Date.context_today(self.env.user)
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        plan = self.env["sales.target.plan"].create({"name": "Now", "date_from": start, "date_to": end})
        target = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": self.kpi_leads.id, "date_from": start, "date_to": end,
            "target_value": 0.0})
        self.assertEqual(target.status, "on_track")
        target.target_value = 1000.0
        days, elapsed = (end - start).days + 1, (today - start).days + 1
        self.assertAlmostEqual(target.expected_value, 1000.0 * elapsed / days, places=2)
        self.assertAlmostEqual(target.gap_value, 1000.0 - target.actual_value, places=2)

    def test_not_started_and_surplus(self):
        """A target of next month is not started; 8 leads against a target of 5 leave no
        gap and a surplus of 3, against 10 a gap of 2 and no surplus."""
        today = fields.Date.context_today(self.env.user)
        start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        plan = self.env["sales.target.plan"].create({"name": "Next", "date_from": start, "date_to": end})
        future = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": self.kpi_leads.id, "date_from": start, "date_to": end,
            "target_value": 1000.0})
        self.assertEqual(future.status, "not_started")
        self.assertEqual((future.expected_value, future.surplus_value), (0.0, 0.0))
        target = self._target(kpi_id=self.kpi_leads.id, target_value=5.0, team_id=self.team.id)
        leads = self.env["crm.lead"].create([{"name": f"S{i}", "team_id": self.team.id} for i in range(8)])
        self.env.cr.execute("UPDATE crm_lead SET create_date = '2026-01-05 10:00' WHERE id IN %s", [tuple(leads.ids)])
        target._refresh_actuals(today=date(2026, 1, 10))
        self.assertEqual((target.actual_value, target.gap_value, target.surplus_value), (8.0, 0.0, 3.0))
        target.target_value = 10.0
        self.assertEqual((target.gap_value, target.surplus_value), (2.0, 0.0))

    def test_status_after_refresh_with_fixed_today(self):
        target = self._target(kpi_id=self.kpi_leads.id, target_value=31.0, team_id=self.team.id)
        leads = self.env["crm.lead"].create([{"name": f"L{i}", "team_id": self.team.id} for i in range(8)])
        self.env.cr.execute("UPDATE crm_lead SET create_date = '2026-01-05 10:00' WHERE id IN %s", [tuple(leads.ids)])
        target._refresh_actuals(today=date(2026, 1, 10))
        # 8 leads against 10 expected by the 10th: 80 % -> at risk (default thresholds 95 / 80)
        self.assertEqual(target.actual_value, 8.0)
        self.assertAlmostEqual(target.expected_value, 10.0)
        self.assertEqual(target.status, "at_risk")
        self.assertAlmostEqual(target.attainment, 8 / 31 * 100)
        self.assertAlmostEqual(target.run_rate_needed, 23 / 22)  # 23 missing over the 22 days 10..31
        self.assertTrue(target.actuals_date)
        target._refresh_actuals(today=date(2026, 2, 1))
        self.assertEqual(target.status, "missed")

    # ------------------------------------------------------------------ workflow
    def test_plan_workflow(self):
        plan = self.plan
        with self.assertRaisesRegex(UserError, "no target"):
            plan.action_submit()
        self._target()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            plan.action_publish()
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()
        self.assertEqual(plan.state, "published")
        self.assertTrue(plan.target_ids.actuals_date, "publishing measures the actuals")
        with self.assertRaisesRegex(UserError, "only draft or cancelled"):
            plan.unlink()
        plan.action_close()
        self.assertEqual(plan.state, "closed")
        with self.assertRaisesRegex(UserError, "cannot go from"):
            plan.action_draft()

    def test_plan_stats_and_actions(self):
        self._target()
        self._target(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
        self.assertEqual(self.plan.target_count, 2)
        action = self.plan.action_view_targets()
        self.assertEqual(self.env["sales.target"].search_count(action["domain"]), 2)
        self.plan.action_cancel()
        self.plan.unlink()
        self.assertFalse(self.plan.exists())

    def test_display_name(self):
        user = self.env["res.users"].create({"name": "Rep Name", "login": "rep_name_test"})
        target = self._target(user_id=user.id, customer_type="new")
        self.assertIn("Rep Name", target.display_name)
        self.assertIn("New customers", target.display_name)
        self.assertIn("Ordered Revenue", target.display_name)

    # ------------------------------------------------------------------ team and cron
    def test_team_current_targets_and_invoiced_target(self):
        today = fields.Date.context_today(self.env.user)
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        plan = self.env["sales.target.plan"].create({"name": "Team plan", "date_from": start, "date_to": end})
        kpi_invoiced = self.env.ref("crm_sales_target.kpi_invoiced_revenue")
        target = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": kpi_invoiced.id, "team_id": self.team.id,
            "date_from": start, "date_to": end, "target_value": 12345.0})
        self.assertFalse(self.team.current_sales_target_ids, "draft plans are not current")
        plan.write({"state": "published"})
        self.team.invalidate_recordset()
        self.assertEqual(self.team.current_sales_target_ids, target)
        self.env["crm.team"]._sync_invoiced_target()
        self.assertEqual(self.team.invoiced_target, 12345.0)

    def test_cron_refreshes_running_plans_only(self):
        today = fields.Date.context_today(self.env.user)
        plan = self.env["sales.target.plan"].create({
            "name": "Cron", "date_from": today - timedelta(days=10), "date_to": today + timedelta(days=10)})
        target = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": self.kpi_leads.id, "date_from": plan.date_from,
            "date_to": plan.date_to, "target_value": 5.0})
        self.env["sales.target"]._cron_refresh_actuals()
        self.assertFalse(target.actuals_date, "draft plans are not refreshed by the cron")
        plan.write({"state": "published"})
        self.env["sales.target"]._cron_refresh_actuals()
        self.assertTrue(target.actuals_date)

    def test_settings_interval_updates_cron(self):
        settings = self.env["res.config.settings"].create({})
        settings.sales_target_refresh_interval = 3
        settings.execute()
        cron = self.env.ref("crm_sales_target.ir_cron_sales_target_refresh")
        self.assertEqual((cron.interval_number, cron.interval_type), (3, "hours"))
        with self.assertRaisesRegex(ValidationError, "at least one hour"):
            settings = self.env["res.config.settings"].create({"sales_target_refresh_interval": 0})
            settings.execute()
