"""The KPI library's measures, ratio roll-ups and traffic lights, against values computed by hand.

Every test creates its own documents in the isolated company of ``SalesTargetCase`` (in
EUR, documents dated in UTC unless a test sets a time zone) and compares the refreshed
figures with the arithmetic written in the comments.
"""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from odoo.addons.crm_sales_target.models import measures

from .common import FEB, JAN, MAR, Q1, SalesTargetCase, dt

JAN_10_20 = (date(2026, 1, 10), date(2026, 1, 20))


class KpiLibraryCase(SalesTargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.kpi_growth = ref("crm_sales_target.kpi_growth_rate")
        cls.kpi_retention = ref("crm_sales_target.kpi_retention_rate")
        cls.kpi_win_rate = ref("crm_sales_target.kpi_win_rate")
        cls.kpi_deal = ref("crm_sales_target.kpi_avg_deal_size")
        cls.kpi_cycle = ref("crm_sales_target.kpi_avg_sales_cycle")
        cls.kpi_calls = ref("crm_sales_target.kpi_calls")
        cls.kpi_meetings = ref("crm_sales_target.kpi_meetings")

    def _lost(self, name, closed, **values):
        lead = self._lead(name, lost=True, **values)
        lead.date_closed = dt(closed)
        return lead

    def _figures(self, kpi, period, **dims):
        target = self._target(kpi, period, **dims)
        self._refresh(target)
        return target.actual_value, target.actual_numerator, target.actual_denominator


@tagged("post_install", "-at_install")
class TestGrowthAndRetention(KpiLibraryCase):

    def test_growth_rate_against_same_period_last_year(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2025-01-10")   # last January: 100
        self._order(self.cust_ca, [(self.prod_a, 1, 50.0)], "2025-02-10")    # last February: 50
        self._order(self.cust_nv, [(self.prod_a, 1, 150.0)], "2026-01-10")   # this January: 150
        self._order(self.cust_nv, [(self.prod_a, 1, 999.0)], "2026-01-12", state="draft")  # draft: never
        jan, feb, q1 = self._actuals([(self.kpi_growth, JAN, {}), (self.kpi_growth, FEB, {}),
                                      (self.kpi_growth, Q1, {})])
        self.assertAlmostEqual(jan, 50.0)     # (150 - 100) / 100
        self.assertAlmostEqual(feb, -100.0)   # (0 - 50) / 50
        self.assertAlmostEqual(q1, 0.0)       # (150 - 150) / 150
        # nothing last year: no growth to read, 0
        self.assertEqual(self._actual(self.kpi_growth, MAR), 0.0)
        actual, numerator, denominator = self._figures(self.kpi_growth, JAN)
        self.assertEqual((actual, numerator, denominator), (50.0, 50.0, 100.0))
        # Jan 10-20 (a day-granular period) against Jan 10-20 last year: (150 - 100) / 100
        self.assertAlmostEqual(self._actual(self.kpi_growth, JAN_10_20), 50.0)
        # by salesperson and customer: user B sold nothing either year
        self.assertEqual(self._actual(self.kpi_growth, JAN, user_id=self.user_b), 0.0)
        self.assertAlmostEqual(self._actual(self.kpi_growth, Q1, partner_id=self.cust_ca), -100.0)  # (0 - 150) / 150

    def test_growth_rate_in_company_time_zone(self):
        self.company.sales_target_tz = "Europe/Brussels"  # UTC+1 in winter
        self._order(self.cust_ca, [(self.prod_a, 1, 80.0)], "2025-01-31 23:30:00")    # Feb 1 2025 in Brussels
        self._order(self.cust_ca, [(self.prod_a, 1, 40.0)], "2026-01-31 23:30:00")    # Feb 1 2026 in Brussels
        self._order(self.cust_ca, [(self.prod_a, 1, 120.0)], "2026-02-28 22:30:00")   # Feb 28, 23:30 in Brussels
        self._order(self.cust_ca, [(self.prod_a, 1, 500.0)], "2026-02-28 23:30:00")   # Mar 1 in Brussels
        jan, feb = self._actuals([(self.kpi_growth, JAN, {}), (self.kpi_growth, FEB, {})])
        self.assertEqual(jan, 0.0)                # nothing in either January (local): 0
        self.assertAlmostEqual(feb, 100.0)        # (40 + 120 - 80) / 80

    def test_retention_counts_each_customer_once_over_the_period(self):
        # Q4 2025 (the quarter before Q1 2026): CA with user A, NV with user B
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2025-11-10")
        self._order(self.cust_nv, [(self.prod_a, 1, 100.0)], "2025-12-10", user=self.user_b)
        # Q1 2026: CA again in two months (user B), FR new
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_b)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-02-10", user=self.user_b)
        self._order(self.cust_fr, [(self.prod_a, 1, 100.0)], "2026-03-10")
        # a cancelled order in Q4 makes nobody a customer of the previous period
        self._order(self.cust_fr, [(self.prod_a, 1, 100.0)], "2025-12-20", state="cancel")
        targets = (self._target(self.kpi_retention, Q1) | self._target(self.kpi_retention, JAN)
                   | self._target(self.kpi_retention, FEB)
                   | self._target(self.kpi_retention, Q1, user_id=self.user_a)
                   | self._target(self.kpi_retention, Q1, user_id=self.user_b))
        self._refresh(targets)
        q1, jan, feb, q1_a, q1_b = targets
        # Q1: of {CA, NV} (Q4) CA ordered again (twice, counted once): 1 / 2
        self.assertEqual((q1.actual_numerator, q1.actual_denominator, q1.actual_value), (1.0, 2.0, 50.0))
        # January: of {NV} (December) nobody ordered again: 0 / 1
        self.assertEqual((jan.actual_numerator, jan.actual_denominator, jan.actual_value), (0.0, 1.0, 0.0))
        # February: of {CA} (January) CA ordered again: 1 / 1
        self.assertEqual((feb.actual_numerator, feb.actual_denominator, feb.actual_value), (1.0, 1.0, 100.0))
        # by salesperson: A's customer of Q4 (CA) bought again from B, B's (NV) did not come back
        self.assertEqual((q1_a.actual_numerator, q1_a.actual_denominator), (0.0, 1.0))
        self.assertEqual((q1_b.actual_numerator, q1_b.actual_denominator), (0.0, 1.0))

    def test_retention_refuses_customer_filters(self):
        with self.assertRaises(ValidationError):
            self._target(self.kpi_retention, Q1, partner_id=self.cust_ca)
        with self.assertRaises(ValidationError):
            self._target(self.kpi_retention, Q1, customer_type="existing")


@tagged("post_install", "-at_install")
class TestOpportunityRatios(KpiLibraryCase):

    def test_win_rate(self):
        self._lead("Won 1", won="2026-01-10")
        self._lead("Won 2", won="2026-01-20", user=self.user_b)
        self._lost("Lost 1", "2026-01-15")
        self._lost("Lost 2", "2026-02-05")
        self._lead("Open")                                               # neither won nor lost
        self._lost("Lost lead", "2026-01-15", kind="lead")               # a lead, not an opportunity
        archived = self._lead("Archived, still probable", probability=40.0)
        archived.write({"active": False, "date_closed": dt("2026-01-16")})  # archived at 40 %: not lost
        jan, feb, q1, jan_a = self._actuals([
            (self.kpi_win_rate, JAN, {}), (self.kpi_win_rate, FEB, {}), (self.kpi_win_rate, Q1, {}),
            (self.kpi_win_rate, JAN, {"user_id": self.user_a})])
        self.assertAlmostEqual(jan, 200.0 / 3)   # 2 won / (2 won + 1 lost)
        self.assertEqual(feb, 0.0)               # 0 / 1
        self.assertEqual(q1, 50.0)               # 2 / 4
        self.assertEqual(jan_a, 50.0)            # 1 / 2

    def test_average_deal_size_and_sales_cycle(self):
        self._lead("Big", revenue=1000.0, won="2026-01-11 12:00:00", created="2026-01-01 12:00:00")   # 10 days
        self._lead("Small", revenue=500.0, won="2026-01-25 00:00:00", created="2026-01-05 12:00:00")  # 19.5 days
        self._lead("March", revenue=300.0, won="2026-03-03 12:00:00", created="2026-03-01 12:00:00")  # 2 days
        self._lost("Lost big", "2026-01-20", revenue=9999.0)
        deal_jan, deal_q1, cycle_jan, cycle_q1 = self._actuals([
            (self.kpi_deal, JAN, {}), (self.kpi_deal, Q1, {}), (self.kpi_cycle, JAN, {}), (self.kpi_cycle, Q1, {})])
        self.assertEqual(deal_jan, 750.0)        # (1000 + 500) / 2
        self.assertEqual(deal_q1, 600.0)         # (1000 + 500 + 300) / 3
        self.assertAlmostEqual(cycle_jan, 14.75)           # (10 + 19.5) / 2
        self.assertAlmostEqual(cycle_q1, 31.5 / 3)         # (10 + 19.5 + 2) / 3
        self.assertEqual((self.kpi_cycle.unit, self.kpi_cycle.direction, self.kpi_cycle.rollup),
                         ("days", "lower", "average"))
        self.assertEqual(self.kpi_deal.rollup, "average")  # an average amount does not add up

    def test_activities_done_by_type_and_author(self):
        call = self.env.ref("mail.mail_activity_data_call")
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        call.keep_done = True  # kept archived once done: still one done activity
        lead = self._lead("Prospect", partner=self.cust_ca)
        other = self._lead("Other", user=self.user_b)

        def done(record, activity_type, user, when):
            activity = self.env["mail.activity"].create({
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"), "res_id": record.id,
                "activity_type_id": activity_type.id, "user_id": user.id, "summary": "CST"})
            message_id = activity.with_user(user).action_feedback(feedback="done")
            self.env.cr.execute(SQL("UPDATE mail_message SET date = %s WHERE id = %s", dt(when), message_id))
            return activity

        kept = done(lead, call, self.user_a, "2026-01-10")
        done(lead, call, self.user_a, "2026-01-31 23:30:00")
        done(lead, meeting, self.user_a, "2026-01-12")
        done(other, call, self.user_b, "2026-01-12")                 # user B's
        done(lead, call, self.user_a, "2026-02-02")                  # February
        self.assertFalse(kept.exists().active)                       # archived, not deleted
        lead.message_post(body="A note, no activity", author_id=self.user_a.partner_id.id)
        calls_a, meetings_a, calls_b, calls_all = self._actuals([
            (self.kpi_calls, JAN, {"user_id": self.user_a}), (self.kpi_meetings, JAN, {"user_id": self.user_a}),
            (self.kpi_calls, JAN, {"user_id": self.user_b}), (self.kpi_calls, JAN, {})])
        self.assertEqual((calls_a, meetings_a, calls_b, calls_all), (2, 1, 1, 3))
        # in Brussels, the call of Jan 31, 23:30 UTC was made on February 1
        self.company.sales_target_tz = "Europe/Brussels"
        self.assertEqual(self._actual(self.kpi_calls, JAN, user_id=self.user_a), 1)
        self.assertEqual(self._actual(self.kpi_calls, FEB, user_id=self.user_a), 2)


@tagged("post_install", "-at_install")
class TestRatioRollup(KpiLibraryCase):

    def setUp(self):
        super().setUp()
        # user A: 1 won, 3 lost (25 %); user B: 1 won (100 %)
        self._lead("A won", won="2026-01-05")
        for i in range(3):
            self._lost(f"A lost {i}", "2026-01-06")
        self._lead("B won", won="2026-01-07", user=self.user_b)
        self.parent = self._target(self.kpi_win_rate, JAN, value=50.0, team_id=self.team_1)
        self.children = self.env["sales.target"].create([
            self.parent._prepare_child_vals(user_id=user.id, target_value=50.0) for user in (self.user_a, self.user_b)])
        self._refresh(self.parent | self.children)

    def test_parent_from_summed_parts(self):
        child_a, child_b = self.children
        self.assertEqual((child_a.actual_value, child_b.actual_value), (25.0, 100.0))
        # 2 won / 5 closed = 40 %, not (25 + 100) / 2 = 62.5 %
        self.assertEqual((self.parent.actual_numerator, self.parent.actual_denominator), (2.0, 5.0))
        self.assertEqual(self.parent.actual_value, 40.0)
        # the sub-targets' targets roll up as their average: 50, consistent with the parent's
        self.assertEqual((self.parent.children_value, self.parent.consistency), (50.0, "consistent"))

    def test_rate_pacing_expects_the_target_all_along(self):
        self.company.write({"sales_target_on_track_threshold": 95.0, "sales_target_at_risk_threshold": 80.0})
        self._refresh(self.parent, today=date(2026, 1, 10))
        # 40 % on day 10 of 31 against 50 %: expected 50 % (not 50 x 10 / 31), 40 / 50 = 80 %: at risk
        self.assertEqual((self.parent.expected_value, self.parent.run_rate_needed, self.parent.status),
                         (50.0, 0.0, "at_risk"))
        self.assertEqual((self.parent.attainment, self.parent.traffic_light), (80.0, "warning"))
        with freeze_time("2026-01-10"):
            self.parent.target_value = 42.0   # the compute agrees: 40 / 42 = 95.2 %
            self.assertEqual((self.parent.expected_value, self.parent.status), (42.0, "on_track"))

    def test_read_group_sums_parts(self):
        [(kpi, actual, attainment, count)] = self.env["sales.target"]._read_group(
            [("id", "in", self.children.ids)], ["kpi_id"], ["actual_value:sum", "attainment:avg", "__count"])
        self.assertEqual((kpi, count), (self.kpi_win_rate, 2))
        self.assertAlmostEqual(actual, 40.0)       # (1 + 1) / (4 + 1)
        self.assertAlmostEqual(attainment, 80.0)   # 40 % against the targets' average, 50 %
        # as the web client asks for it
        [group] = self.env["sales.target"].read_group(
            [("id", "in", self.children.ids)], ["actual_value:sum", "attainment:avg"], ["kpi_id"])
        self.assertAlmostEqual(group["actual_value"], 40.0)

    def test_read_group_of_amounts(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 300.0)], "2026-01-10")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_b)
        targets = self._target(self.kpi_ordered, JAN, value=1000.0, user_id=self.user_a) \
            | self._target(self.kpi_ordered, JAN, value=100.0, user_id=self.user_b)
        self._refresh(targets)
        self.assertEqual(targets.mapped("attainment"), [30.0, 100.0])
        [(actual, attainment)] = self.env["sales.target"]._read_group(
            [("id", "in", targets.ids)], [], ["actual_value:sum", "attainment:avg"])
        self.assertEqual(actual, 400.0)
        self.assertAlmostEqual(attainment, 400.0 / 1100.0 * 100.0)   # not (30 + 100) / 2
        # a group mixing KPIs keeps the plain sum and average
        [(actual, attainment)] = self.env["sales.target"]._read_group(
            [("id", "in", (targets | self.children).ids)], [], ["actual_value:sum", "attainment:avg"])
        self.assertEqual(actual, 400.0 + 25.0 + 100.0)
        self.assertAlmostEqual(attainment, (30.0 + 100.0 + 50.0 + 200.0) / 4)

    def test_ratio_rollup_cannot_be_a_sum(self):
        with self.assertRaises(ValidationError):
            self.kpi_win_rate.rollup = "sum"


@tagged("post_install", "-at_install")
class TestTrafficLights(KpiLibraryCase):

    def test_lights_at_exact_thresholds(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 800.0)], "2026-01-10")
        self.kpi_ordered.write({"threshold_good": 100.0, "threshold_bad": 80.0})
        targets = self.env["sales.target"]
        for value in (800.0, 1000.0, 1001.0):   # attainment 100 %, 80 %, 79.92 %
            targets |= self._target(self.kpi_ordered, JAN, value=value)
        self._refresh(targets)
        self.assertEqual(targets.mapped("traffic_light"), ["good", "warning", "bad"])
        # not started yet on the day of the refresh: no light
        self._refresh(targets, today=date(2025, 12, 31))
        self.assertEqual(targets.mapped("traffic_light"), [False, False, False])

    def test_lights_read_the_pace_while_the_period_runs(self):
        """800 ordered of 3100 in January: on the 10th, 1000 is expected (3100 x 10 / 31), so
        the pace is 80 % (amber) though only 25.8 % of the target is reached; on the 8th, 800
        are expected: 100 %, green; once January is over, 25.8 % of the target: red."""
        self._order(self.cust_ca, [(self.prod_a, 1, 800.0)], "2026-01-05")
        target = self._target(self.kpi_ordered, JAN, value=3100.0)
        self._refresh(target, today=date(2026, 1, 10))
        self.assertEqual(target.traffic_light, "warning")
        self._refresh(target, today=date(2026, 1, 8))
        self.assertEqual(target.traffic_light, "good")
        self._refresh(target, today=date(2026, 2, 1))
        self.assertEqual(target.traffic_light, "bad")
        # the compute agrees with the refresh: on 10 January, edited by hand
        with freeze_time("2026-01-10 12:00:00"):
            target.target_value = 3100.0 * 2
            self.assertEqual(target.traffic_light, "bad")  # 800 of 2000 expected: 40 %
            target.target_value = 3100.0
            self.assertEqual(target.traffic_light, "warning")

    def test_lights_follow_direction_and_thresholds(self):
        # a cycle of 10 days against a target of 8 (lower is better): 80 %
        self._lead("Slow", won="2026-01-11 12:00:00", created="2026-01-01 12:00:00")
        target = self._target(self.kpi_cycle, JAN, value=8.0)
        self._refresh(target)
        self.assertEqual((target.attainment, target.traffic_light), (80.0, "warning"))
        with freeze_time("2026-06-15"):
            # the pacing compute keeps it right too: thresholds and target changed by hand
            self.kpi_cycle.threshold_bad = 90.0
            self.assertEqual(target.traffic_light, "bad")
            target.target_value = 10.0
            self.assertEqual(target.traffic_light, "good")
            later = self._target(self.kpi_cycle, (date(2026, 7, 1), date(2026, 7, 31)), value=10.0)
            self.assertFalse(later.traffic_light)   # July has not started

    def test_invalid_thresholds_refused(self):
        with self.assertRaises(ValidationError):
            self.kpi_ordered.write({"threshold_good": 70.0, "threshold_bad": 80.0})
        with self.assertRaises(ValidationError):
            self.kpi_ordered.write({"threshold_bad": -1.0})

    def test_lights_are_measured(self):
        target = self._target(self.kpi_ordered, JAN)
        with self.assertRaises(UserError):
            target.write({"traffic_light": "good"})
        with self.assertRaises(UserError):
            target.write({"actual_numerator": 1.0})


@tagged("post_install", "-at_install")
class TestUnmeasuredRatio(KpiLibraryCase):

    def test_lower_is_better_rate_without_denominator(self):
        """User A won one deal in January after 10 days (10 days against 8: 8 / 10 = 80 %); user
        B won none: no average cycle at all, not a cycle of 0 days that beats any target. Their
        targets attain 0 %, leave no gap, have no light and are not achieved."""
        self._lead("A slow", won="2026-01-11 12:00:00", created="2026-01-01 12:00:00")
        target_a = self._target(self.kpi_cycle, JAN, value=8.0, user_id=self.user_a)
        target_b = self._target(self.kpi_cycle, JAN, value=8.0, user_id=self.user_b)
        both = target_a | target_b
        self._refresh(both)   # on 31 December: January is over
        self.assertEqual((target_a.attainment, target_a.status, target_a.traffic_light), (80.0, "missed", "warning"))
        self.assertRecordValues(target_b, [{"actual_value": 0.0, "actual_denominator": 0.0, "attainment": 0.0,
                                            "gap_value": 0.0, "status": "missed", "traffic_light": False}])
        self._refresh(both, today=date(2026, 1, 20))
        # running with nothing measured yet: no alert, no light
        self.assertEqual((target_b.attainment, target_b.status, target_b.traffic_light), (0.0, "not_started", False))
        self._refresh(both, today=date(2025, 12, 31))
        self.assertEqual((target_b.attainment, target_b.status), (0.0, "not_started"))
        # the pacing compute agrees, on a target edited by hand
        with freeze_time("2026-06-15"):
            target_b.target_value = 9.0
            self.assertEqual((target_b.attainment, target_b.gap_value, target_b.status, target_b.traffic_light),
                             (0.0, 0.0, "missed", False))
        # a group of user B's target alone is not measured either; both: 10 days / 1 deal
        # against the targets' average (8 + 9) / 2 = 8.5: 85 %
        Target = self.env["sales.target"]
        [(attainment,)] = Target._read_group([("id", "=", target_b.id)], [], ["attainment:avg"])
        self.assertEqual(attainment, 0.0)
        [(actual, attainment)] = Target._read_group([("id", "in", both.ids)], [],
                                                    ["actual_value:sum", "attainment:avg"])
        self.assertAlmostEqual(actual, 10.0)
        self.assertAlmostEqual(attainment, 85.0)


class _Hidden(measures.WonCount):
    key = "cst_hidden"


@tagged("post_install", "-at_install")
class TestRegistry(KpiLibraryCase):

    def test_unavailable_measure_is_hidden_and_never_refreshed(self):
        hidden = _Hidden()
        with patch.dict(measures.MEASURES):
            measures.register(hidden)
            kpi = self.env["sales.target.kpi"].create({"name": "CST Hidden", "code": "CST_H", "measure": "cst_hidden",
                                                       "unit": "count"})
            self._lead("Won", won="2026-01-10")
            target = self._target(kpi, JAN)
            selection = dict(self.env["sales.target.kpi"]._selection_measure())
            self.assertIn("cst_hidden", selection)
            with patch.object(_Hidden, "available", lambda self, env: False):
                self.assertNotIn("cst_hidden", dict(self.env["sales.target.kpi"]._selection_measure()))
                self._refresh(target)
                self.assertFalse(target.actuals_date)
            self._refresh(target)
            self.assertEqual(target.actual_value, 1.0)

    def test_unregistered_measure_does_not_stop_the_refresh(self):
        """A KPI whose measure is no longer registered (its module uninstalled) is left out of a
        refresh; the other targets refreshed with it are measured."""
        kpi = self.env["sales.target.kpi"].create({"name": "CST Gone", "code": "CST_G", "measure": "won_count",
                                                   "unit": "count"})
        self._lead("Won", won="2026-01-10")
        gone, won = self._target(kpi, JAN), self._target(self.kpi_won, JAN)
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE sales_target_kpi SET measure = 'cst_gone' WHERE id = %s", kpi.id))
        kpi.invalidate_recordset(["measure"])
        self._refresh(gone | won)
        self.assertEqual(won.actual_value, 1.0)
        self.assertFalse(gone.actuals_date)
