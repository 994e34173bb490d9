"""The engine's guarantees: time zones, filters independent of who refreshes, measured
figures nobody types, pacing that follows the calendar, and failures that stay contained."""

from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import SalesTargetCase

MAR = (date(2026, 3, 1), date(2026, 3, 31))
APR = (date(2026, 4, 1), date(2026, 4, 30))
APR_1 = (date(2026, 4, 1), date(2026, 4, 1))
MAR_31 = (date(2026, 3, 31), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestTimeZones(SalesTargetCase):
    """Orders and leads count in the company's days and months, as ``sale.report`` shows them
    to a user of that time zone."""

    def _report_months(self, tz):
        groups = self.env["sale.report"].with_company(self.company).with_context(tz=tz)._read_group(
            [("company_id", "=", self.company.id), ("state", "=", "sale")], ["date:month"], ["price_subtotal:sum"])
        return {(month.year, month.month): total for month, total in groups}

    def _by_month(self):
        return self._actuals([(self.kpi_ordered, MAR, {}), (self.kpi_ordered, APR, {}),
                              (self.kpi_ordered, MAR_31, {}), (self.kpi_ordered, APR_1, {})])

    def test_shanghai_just_after_midnight_on_the_first(self):
        self.company.sales_target_tz = "Asia/Shanghai"
        # 1 April 02:30 in Shanghai (UTC+8) is 31 March 18:30 UTC
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-03-31 18:30:00")
        # 31 March 23:30 in Shanghai is 15:30 UTC: still March
        self._order(self.cust_ca, [(self.prod_a, 1, 10.0)], "2026-03-31 15:30:00")
        self.assertEqual(self._by_month(), [10.0, 100.0, 10.0, 100.0])
        self.assertEqual(self._report_months("Asia/Shanghai"), {(2026, 3): 10.0, (2026, 4): 100.0})

    def test_new_york_just_before_midnight_on_the_last_day(self):
        self.company.sales_target_tz = "America/New_York"
        # 31 March 23:30 in New York (UTC-4 in summer time) is 1 April 03:30 UTC
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-04-01 03:30:00")
        # 1 April 00:30 in New York is 04:30 UTC
        self._order(self.cust_ca, [(self.prod_a, 1, 10.0)], "2026-04-01 04:30:00")
        self.assertEqual(self._by_month(), [100.0, 10.0, 100.0, 10.0])
        self.assertEqual(self._report_months("America/New_York"), {(2026, 3): 100.0, (2026, 4): 10.0})

    def test_utc_keeps_utc_months(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-03-31 18:30:00")
        self.assertEqual(self._by_month(), [100.0, 0.0, 100.0, 0.0])

    def test_leads_won_deals_and_first_orders_follow_the_time_zone(self):
        self.company.sales_target_tz = "Asia/Shanghai"
        self._lead("Late lead", created="2026-03-31 17:00:00")  # 1 April 01:00 local
        self._lead("Won late", won="2026-03-31 16:30:00", revenue=500.0)  # 1 April 00:30 local
        newcomer = self._partner("CST Newcomer")
        self._order(newcomer, [(self.prod_a, 1, 100.0)], "2026-03-31 20:00:00")  # 1 April 04:00 local
        self.assertEqual(self._actuals([
            (self.kpi_leads, MAR, {}), (self.kpi_leads, APR, {}),
            (self.kpi_won, MAR, {}), (self.kpi_won, APR, {}),
            (self.kpi_new_customers, MAR, {"partner_id": newcomer}),
            (self.kpi_new_customers, APR, {"partner_id": newcomer}),
        ]), [0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
        # the first order falls on 1 April locally: a customer new in April, existing from May
        self.assertEqual(self._actuals([
            (self.kpi_ordered, APR, {"customer_type": "new", "partner_id": newcomer}),
            (self.kpi_ordered, (date(2026, 4, 1), date(2026, 5, 31)), {"customer_type": "existing",
                                                                        "partner_id": newcomer}),
        ]), [100.0, 0.0])

    def test_invoices_stay_on_their_invoice_date(self):
        self.company.sales_target_tz = "Pacific/Kiritimati"  # UTC+14
        self._invoice(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-03-31")
        self.assertEqual(self._actuals([(self.kpi_invoiced, MAR, {}), (self.kpi_invoiced, APR, {})]), [100.0, 0.0])

    def test_default_time_zone_of_a_new_company(self):
        calendar = self.env["resource.calendar"].create({"name": "Shanghai hours", "tz": "Asia/Shanghai"})
        company = self.env["res.company"].create({"name": "CST Shanghai", "resource_calendar_id": calendar.id})
        self.assertEqual(company.sales_target_tz, "Asia/Shanghai")
        self.env.user.tz = "America/New_York"
        company = self.env["res.company"].create({"name": "CST No Calendar"})
        # a new company gets working hours in the creating user's time zone
        self.assertEqual(company.sales_target_tz, company.resource_calendar_id.tz or "America/New_York")


@tagged("post_install", "-at_install")
class TestFilters(SalesTargetCase):
    """A KPI filter means the same for whoever refreshes or saves it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a team leader who, as a salesperson, only reads their own orders
        cls.leader = new_test_user(
            cls.env, "cst_filter_leader", company_id=cls.company.id,
            company_ids=[Command.set([cls.company.id])],
            groups="sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_team_leader")
        cls.team_1.user_id = cls.leader
        cls.kpi_us = cls.env["sales.target.kpi"].create({
            "name": "US revenue", "code": "CST_US", "measure": "ordered_revenue",
            "domain": "[('order_id.partner_id.country_id.code', '=', 'US')]"})

    def test_related_filter_same_for_leader_and_cron(self):
        # orders of user_a, whom the leader's "own documents" rule hides from the leader
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a)
        self._order(self.cust_fr, [(self.prod_a, 1, 50.0)], "2026-01-11", user=self.user_a)
        self._order(self.cust_nv, [(self.prod_a, 1, 30.0)], "2026-01-12", user=self.leader)
        self.assertFalse(self.env["sale.order"].with_user(self.leader).search_count(
            [("user_id", "=", self.user_a.id)]), "the leader cannot read user_a's orders")
        target = self._target(self.kpi_us, JAN_2026, team_id=self.team_1)
        target.with_user(self.leader).action_refresh_actuals()
        self.assertEqual(target.actual_value, 130.0)
        self.env.cr.execute(SQL("UPDATE sales_target SET actual_value = 0, actuals_date = NULL WHERE id = %s",
                                target.id))
        target.invalidate_recordset()
        self._refresh(target)  # as the superuser, like the cron
        self.assertEqual(target.actual_value, 130.0)

    def test_manager_without_sales_rights_saves_a_related_filter(self):
        manager = new_test_user(self.env, "cst_filter_manager", company_id=self.company.id,
                                company_ids=[Command.set([self.company.id])],
                                groups="base.group_user,crm_sales_target.crm_sales_target_group_manager")
        self.assertFalse(manager.has_group("sales_team.group_sale_salesman"))
        kpi = self.env["sales.target.kpi"].with_user(manager).create({
            "name": "Partner tags", "code": "CST_TAG", "measure": "ordered_revenue",
            "domain": "[('order_id.partner_id.category_id.name', '=', 'VIP')]"})
        self.assertTrue(kpi.id)
        with self.assertRaisesRegex(ValidationError, "Filter of KPI .*valid domain on sale.order.line"):
            kpi.with_user(manager).domain = "[('no_such_field', '=', 1)]"

    def test_uid_and_context_today_in_filters(self):
        kpi = self.env["sales.target.kpi"].create({
            "name": "My recent orders", "code": "CST_MINE", "measure": "ordered_revenue",
            "domain": "[('order_id.user_id', '=', uid), ('order_id.date_order', '>=', "
                      "(context_today() - relativedelta(years=50)).strftime('%Y-%m-%d'))]"})
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a)
        self._order(self.cust_ca, [(self.prod_a, 1, 7.0)], "2026-01-10", user=self.env.user)
        self.assertEqual(self._actual(kpi, JAN_2026), 7.0)


JAN_2026 = (date(2026, 1, 1), date(2026, 1, 31))


@tagged("post_install", "-at_install")
class TestMeasuredFields(SalesTargetCase):
    """Actuals and pacing come from the refresh only, for every role."""

    def test_refused_for_every_role(self):
        leader = new_test_user(self.env, "cst_mf_leader", company_id=self.company.id,
                               company_ids=[Command.set([self.company.id])],
                               groups="crm_sales_target.crm_sales_target_group_team_leader")
        manager = new_test_user(self.env, "cst_mf_manager", company_id=self.company.id,
                                company_ids=[Command.set([self.company.id])],
                                groups="crm_sales_target.crm_sales_target_group_manager")
        self.team_1.user_id = leader
        target = self._target(self.kpi_ordered, JAN_2026, team_id=self.team_1)
        measured = {"actual_value": 999.0, "actuals_date": fields.Datetime.now(), "attainment": 50.0,
                    "expected_value": 1.0, "gap_value": 1.0, "run_rate_needed": 1.0, "status": "achieved"}
        for env in (self.env(su=True), self.env, manager.env if hasattr(manager, "env") else None,
                    self.env(user=manager), self.env(user=leader)):
            if env is None:
                continue
            for fname, value in measured.items():
                with self.assertRaisesRegex(UserError, "measured from the company's documents"):
                    target.with_env(env).write({fname: value})
                with self.assertRaisesRegex(UserError, "cannot be set by hand"):
                    self.env["sales.target"].with_env(env).create({
                        "plan_id": self.plan.id, "kpi_id": self.kpi_ordered.id, "team_id": self.team_1.id,
                        "date_from": JAN_2026[0], "date_to": JAN_2026[1], fname: value})
        target.invalidate_recordset()
        self.assertEqual(target.actual_value, 0.0)
        self.assertNotEqual(target.status, "achieved")
        # the refresh still writes them
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._refresh(target)
        self.assertEqual(target.actual_value, 100.0)


@tagged("post_install", "-at_install")
class TestPacingAndCron(SalesTargetCase):

    def _published(self, start, end):
        plan = self.env["sales.target.plan"].create({"name": "Pacing", "company_id": self.company.id,
                                                     "date_from": start, "date_to": end})
        return plan

    def test_status_turns_after_the_period_without_document_changes(self):
        today = self.company._sales_target_today()
        plan = self._published(today - timedelta(days=60), today + timedelta(days=30))
        ended_yesterday = self._target(self.kpi_ordered, (today - timedelta(days=10), today - timedelta(days=1)),
                                       plan=plan, value=1000.0)
        ended_long_ago = self._target(self.kpi_ordered, (today - timedelta(days=50), today - timedelta(days=20)),
                                      plan=plan, value=100.0)
        running = self._target(self.kpi_ordered, (today - timedelta(days=9), today + timedelta(days=20)),
                               plan=plan, value=300.0)
        plan.write({"state": "published"})
        self._order(self.cust_ca, [(self.prod_a, 1, 150.0)], str(today - timedelta(days=5)))
        # figures measured on an earlier day: every period still running then
        (ended_yesterday + ended_long_ago + running)._refresh_actuals(today=today - timedelta(days=30))
        self.assertEqual(ended_long_ago.status, "off_track")
        self.assertEqual(ended_yesterday.status, "not_started")  # its period had not begun on that day
        self.env["sales.target"]._cron_refresh_actuals()
        self.assertEqual(ended_yesterday.status, "missed")
        self.assertEqual(ended_long_ago.status, "missed")
        # 150 of 300 after 10 of 30 days: ahead of the 100 expected
        self.assertEqual(running.status, "on_track")
        self.assertAlmostEqual(running.expected_value, 100.0, places=2)
        self.assertAlmostEqual(running.run_rate_needed, 150.0 / 21, places=2)

    def test_closed_plans_are_not_refreshed_by_the_cron(self):
        today = self.company._sales_target_today()
        plan = self._published(today - timedelta(days=10), today + timedelta(days=10))
        target = self._target(self.kpi_ordered, (plan.date_from, plan.date_to), plan=plan)
        plan.write({"state": "closed"})
        self._order(self.cust_ca, [(self.prod_a, 1, 150.0)], str(today))
        self.env["sales.target"]._cron_refresh_actuals()
        self.assertFalse(target.actuals_date)

    def test_team_bar_reset_once_no_target_runs(self):
        today = fields.Date.context_today(self.env["crm.team"])
        month = (today.replace(day=1), fields.Date.end_of(today, "month"))
        plan = self._published(*month)
        target = self._target(self.kpi_invoiced, month, plan=plan, value=5000.0, team_id=self.team_1)
        plan.write({"state": "published"})
        self.team_2.invoiced_target = 777.0  # set by hand: not ours to reset
        self.env["crm.team"]._sync_invoiced_target()
        self.assertEqual(self.team_1.invoiced_target, 5000.0)
        target.plan_id.write({"state": "closed"})
        self.env["crm.team"]._sync_invoiced_target()
        self.assertEqual(self.team_1.invoiced_target, 0.0)
        self.assertEqual(self.team_2.invoiced_target, 777.0)

    def test_unchanged_rows_are_not_written_again(self):
        target = self._target(self.kpi_ordered, JAN_2026)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self.assertEqual(target._refresh_actuals(today=date(2026, 2, 1)), 1)
        first = target.actuals_date
        self.assertEqual(target._refresh_actuals(today=date(2026, 2, 1)), 0)
        self.assertEqual(target.actuals_date, first)
        self._order(self.cust_ca, [(self.prod_a, 1, 1.0)], "2026-01-11")
        self.assertEqual(target._refresh_actuals(today=date(2026, 2, 1)), 1)
        self.assertEqual(target.actual_value, 101.0)


@tagged("post_install", "-at_install")
class TestContainedFailures(SalesTargetCase):

    def test_measure_change_refused_when_used(self):
        kpi = self.env["sales.target.kpi"].create({"name": "Spare", "code": "CST_SPARE", "measure": "ordered_revenue"})
        kpi.measure = "gross_margin"  # unused: free to change
        self._target(kpi, JAN_2026)
        self._target(kpi, MAR)
        with self.assertRaisesRegex(UserError, "Measure of KPI Spare: 2 targets use it"):
            kpi.measure = "ordered_revenue"
        kpi.name = "Spare margin"  # other fields stay editable

    def test_cron_isolates_a_broken_kpi(self):
        broken = self.env["sales.target.kpi"].create({
            "name": "Broken", "code": "CST_BROKEN", "measure": "ordered_revenue",
            "domain": "[('product_id.categ_id', '=', %d)]" % self.categ_goods.id})
        today = self.company._sales_target_today()
        plan = self.env["sales.target.plan"].create({
            "name": "Cron", "company_id": self.company.id,
            "date_from": today - timedelta(days=10), "date_to": today + timedelta(days=10)})
        period = (plan.date_from, plan.date_to)
        good = self._target(self.kpi_ordered, period, plan=plan)
        bad = self._target(broken, period, plan=plan)
        plan.write({"state": "published"})
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0), (self.prod_c, 1, 5.0)], str(today))
        # a filter that was valid once, broken in the database (a field removed, a bad edit)
        self.env.cr.execute(SQL("UPDATE sales_target_kpi SET domain = %s WHERE id = %s",
                                "[('no_such_field', '=', 1)]", broken.id))
        broken.invalidate_recordset()
        with self.assertLogs("odoo.addons.crm_sales_target.models.sales_target_actuals", "WARNING"):
            self.env["sales.target"]._cron_refresh_actuals()
        self.assertEqual(good.actual_value, 105.0)
        self.assertFalse(bad.actuals_date)
        self.assertIn("no_such_field", broken.refresh_error)
        self.assertTrue(broken.refresh_error_date)
        self.assertFalse(self.kpi_ordered.refresh_error)
        # repaired: the next refresh measures it and clears the error
        broken.domain = "[('product_id.categ_id', 'child_of', %d)]" % self.categ_goods.id
        self.env["sales.target"]._cron_refresh_actuals()
        self.assertEqual(bad.actual_value, 100.0)
        self.assertFalse(broken.refresh_error)

    def test_manual_refresh_warns_and_refreshes_the_others(self):
        broken = self.env["sales.target.kpi"].create({"name": "Broken", "code": "CST_BROKEN2",
                                                       "measure": "ordered_revenue"})
        good = self._target(self.kpi_ordered, JAN_2026)
        bad = self._target(broken, JAN_2026)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self.env.cr.execute(SQL("UPDATE sales_target_kpi SET domain = %s WHERE id = %s", "[(", broken.id))
        broken.invalidate_recordset()
        with patch.object(type(self.env["sales.target"]), "_split", lambda recs, size: [recs]), \
                self.assertLogs("odoo.addons.crm_sales_target.models.sales_target_actuals", "WARNING"):
            action = (good + bad).action_refresh_actuals()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Broken", action["params"]["message"])
        self.assertEqual(good.actual_value, 100.0)
        self.assertFalse(bad.actuals_date)
        self.assertTrue(broken.refresh_error)
