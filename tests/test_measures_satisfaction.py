"""The satisfaction and loyalty measures, against figures computed by hand (and checked
against ``tools.satisfaction`` / ``tools.customer`` on the same answers).

Every test makes its own records in the isolated company (documents in UTC unless a test
sets a time zone); records of the other company are made alongside and must never count.
Customers: CA (state California, region West), NV and TX (other US states, region US).
"""

from datetime import date

from odoo.tests import tagged

from ..tools import customer, satisfaction
from .common import FEB, JAN, MAR, Q1, SalesTargetCase


class SatisfactionCase(SalesTargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.kpi_csat = ref("crm_sales_target.kpi_csat")
        cls.kpi_nps = ref("crm_sales_target.kpi_nps")
        cls.kpi_complaints = ref("crm_sales_target.kpi_complaints")
        cls.kpi_complaint_rate = ref("crm_sales_target.kpi_complaint_rate")
        cls.kpi_resolution = ref("crm_sales_target.kpi_resolution")
        cls.kpi_repeat = ref("crm_sales_target.kpi_repeat_rate")
        cls.cust_tx = cls._partner("CST Customer TX", country_id=ref("base.us").id,
                                   state_id=ref("base.state_us_44").id)
        cls.Sat = cls.env["sales.target.satisfaction"]
        cls.Complaint = cls.env["sales.target.complaint"]

    def _answers(self, kind, scores, when, *, partner=None, user=None, company=None):
        company = company or self.company
        return self.Sat.create([{
            "partner_id": (partner or self.cust_ca).id, "user_id": (user or self.user_a).id, "kind": kind,
            "score": score, "date": when, "company_id": company.id,
            "team_id": self.team_1.id if company == self.company else False,
        } for score in scores])

    def _complaint(self, received, resolved=None, *, partner=None, user=None, state=None, company=None):
        company = company or self.company
        return self.Complaint.create({
            "name": f"Complaint of {received}", "partner_id": (partner or self.cust_ca).id,
            "user_id": (user or self.user_a).id, "company_id": company.id,
            "team_id": self.team_1.id if company == self.company else False,
            "date": received, "date_resolved": resolved,
            "state": state or ("resolved" if resolved else "open"),
            "resolution": "Replaced" if resolved else False,
        })


@tagged("post_install", "-at_install")
class TestSatisfactionMeasures(SatisfactionCase):

    def test_average_csat(self):
        self._answers("csat", [5, 4], "2026-01-10")
        self._answers("csat", [2], "2026-01-31", partner=self.cust_nv, user=self.user_b)
        self._answers("csat", [3], "2026-02-01")
        self._answers("nps", [0], "2026-01-10")                            # NPS answers are not CSAT
        self._answers("csat", [1], "2026-01-15", company=self.other_company)  # never counts
        jan, q1, a_q1, b_jan, west, us, nv = self._actuals([
            (self.kpi_csat, JAN, {}), (self.kpi_csat, Q1, {}), (self.kpi_csat, Q1, {"user_id": self.user_a}),
            (self.kpi_csat, JAN, {"user_id": self.user_b}), (self.kpi_csat, Q1, {"region_id": self.region_west}),
            (self.kpi_csat, Q1, {"region_id": self.region_us}), (self.kpi_csat, Q1, {"partner_id": self.cust_nv}),
        ])
        self.assertAlmostEqual(jan, 11 / 3)        # (5 + 4 + 2) / 3
        self.assertAlmostEqual(q1, 3.5)            # (5 + 4 + 2 + 3) / 4, not the mean of 11/3 and 3
        self.assertAlmostEqual(q1, satisfaction.average_csat([5, 4, 2, 3]))
        self.assertAlmostEqual(a_q1, 4.0)          # (5 + 4 + 3) / 3
        self.assertAlmostEqual(b_jan, 2.0)
        self.assertAlmostEqual(west, 4.0)          # California's answers
        self.assertAlmostEqual(us, 2.0)            # Nevada's
        self.assertAlmostEqual(nv, 2.0)
        target = self._target(self.kpi_csat, Q1)
        self._refresh(target)
        self.assertEqual((target.actual_numerator, target.actual_denominator), (14.0, 4.0))
        self.assertEqual(self.kpi_csat.rollup, "average")
        self.assertEqual(self._actual(self.kpi_csat, MAR), 0.0)  # no answer: 0

    def test_nps(self):
        self._answers("nps", [10, 9, 7, 6, 0], "2026-01-10")                           # 2 promoters, 2 detractors
        self._answers("nps", [10, 10], "2026-01-20", partner=self.cust_nv, user=self.user_b)
        self._answers("nps", [0, 0, 0], "2026-01-20", company=self.other_company)     # never counts
        self._answers("csat", [5], "2026-01-20")                                       # not an NPS answer
        jan, a_jan, b_jan, team = self._actuals([
            (self.kpi_nps, JAN, {}), (self.kpi_nps, JAN, {"user_id": self.user_a}),
            (self.kpi_nps, JAN, {"user_id": self.user_b}), (self.kpi_nps, JAN, {"team_id": self.team_1}),
        ])
        self.assertAlmostEqual(jan, 200 / 7)       # (4 promoters - 2 detractors) / 7 answers × 100
        self.assertAlmostEqual(jan, satisfaction.nps([10, 9, 7, 6, 0, 10, 10]))
        self.assertAlmostEqual(a_jan, 0.0)         # (2 - 2) / 5
        self.assertAlmostEqual(b_jan, 100.0)
        self.assertAlmostEqual(team, 200 / 7)

    def test_complaint_count_and_rate(self):
        for when in ("2026-01-05", "2026-01-20", "2026-02-03"):
            self._complaint(when)
        self._complaint("2026-01-08", state="cancelled")                       # cancelled: never
        self._complaint("2026-01-09", partner=self.cust_nv, user=self.user_b)
        self._complaint("2026-01-09", company=self.other_company)              # other company: never
        for when in ("2026-01-02", "2026-01-12", "2026-01-31 23:00:00", "2026-02-15"):
            self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], when)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-14", state="cancel")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-15", state="draft")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-15", company=self.other_company)
        (count_jan, count_q1, count_b, rate_a_jan, rate_a_q1, rate_b, rate_jan, rate_west,
         rate_mar) = self._actuals([
            (self.kpi_complaints, JAN, {}), (self.kpi_complaints, Q1, {}),
            (self.kpi_complaints, Q1, {"user_id": self.user_b}),
            (self.kpi_complaint_rate, JAN, {"user_id": self.user_a}),
            (self.kpi_complaint_rate, Q1, {"user_id": self.user_a}),
            (self.kpi_complaint_rate, Q1, {"user_id": self.user_b}),
            (self.kpi_complaint_rate, JAN, {}), (self.kpi_complaint_rate, JAN, {"region_id": self.region_west}),
            (self.kpi_complaint_rate, MAR, {}),
        ])
        self.assertEqual((count_jan, count_q1, count_b), (3.0, 4.0, 1.0))
        self.assertAlmostEqual(rate_a_jan, 2 / 3 * 100)   # 2 complaints, 3 confirmed orders in January
        self.assertAlmostEqual(rate_a_jan, satisfaction.complaint_rate(2, 3))
        self.assertAlmostEqual(rate_a_q1, 3 / 4 * 100)    # 3 complaints, 4 orders
        self.assertEqual(rate_b, 0.0)                      # a complaint but no order: no rate
        self.assertAlmostEqual(rate_jan, 100.0)           # 3 complaints (A's 2, B's 1), 3 orders
        self.assertAlmostEqual(rate_west, 2 / 3 * 100)    # California: A's complaints and orders
        self.assertEqual(rate_mar, 0.0)
        self.assertEqual(self.kpi_complaints.direction, "lower")

    def test_complaint_rate_time_zone_and_filter(self):
        """Orders count on their local day (Shanghai, UTC+8), complaints on their date; the KPI
        filter applies to complaints only."""
        self.company.sales_target_tz = "Asia/Shanghai"
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-31 17:00:00")  # 1 February in Shanghai
        self._complaint("2026-01-31")
        jan, feb = self._actuals([(self.kpi_complaint_rate, JAN, {}), (self.kpi_complaint_rate, FEB, {})])
        self.assertAlmostEqual(jan, 100.0)    # 1 complaint / 1 order (in UTC it would be 1 / 2)
        self.assertEqual(feb, 0.0)            # no complaint / 1 order
        high = self.kpi_complaint_rate.copy({"code": "CR_HIGH", "domain": "[('severity', '=', 'high')]"})
        self.assertEqual(self._actual(high, JAN), 0.0)  # the medium complaint is filtered out, the order stays
        target = self._target(high, JAN)
        self._refresh(target)
        self.assertEqual((target.actual_numerator, target.actual_denominator), (0.0, 1.0))

    def test_median_resolution_time(self):
        """Resolved in January: 2, 10, 4 days (median 4); February: 1, 31 (16); March: 7. The
        quarter's median is that of all six, 5.5, not the mean of the monthly medians (9)."""
        pairs = [("2026-01-01", "2026-01-03"), ("2026-01-05", "2026-01-15"), ("2026-01-02", "2026-01-06"),
                 ("2026-02-01", "2026-02-02"), ("2026-01-20", "2026-02-20"), ("2026-03-01", "2026-03-08")]
        for received, resolved in pairs:
            self._complaint(received, resolved)
        self._complaint("2026-01-03")                                                   # open: never
        cancelled = self._complaint("2026-01-03", "2026-01-04")
        cancelled.state = "cancelled"                                                   # cancelled: never
        self._complaint("2025-10-01", "2026-01-09", company=self.other_company)         # other company: never
        self._complaint("2026-01-01", "2026-01-21", partner=self.cust_nv, user=self.user_b)   # 20 days
        self._complaint("2026-01-01", "2026-01-31", partner=self.cust_tx, user=self.user_b)   # 30 days
        self._complaint("2026-02-01", "2026-02-03", partner=self.cust_tx, user=self.user_b)   # 2 days
        jan, feb, mar, q1, west, us, b_q1, tx = self._actuals([
            (self.kpi_resolution, JAN, {"user_id": self.user_a}), (self.kpi_resolution, FEB, {"user_id": self.user_a}),
            (self.kpi_resolution, MAR, {"user_id": self.user_a}), (self.kpi_resolution, Q1, {"user_id": self.user_a}),
            (self.kpi_resolution, Q1, {"region_id": self.region_west}),
            (self.kpi_resolution, Q1, {"region_id": self.region_us}),
            (self.kpi_resolution, Q1, {"user_id": self.user_b}),
            (self.kpi_resolution, Q1, {"partner_id": self.cust_tx}),
        ])
        self.assertEqual((jan, feb, mar), (4.0, 16.0, 7.0))
        self.assertEqual(q1, 5.5)                 # sorted 1, 2, 4, 7, 10, 31: (4 + 7) / 2
        self.assertNotEqual(q1, (jan + feb + mar) / 3)
        self.assertEqual(q1, satisfaction.median_resolution_days(
            [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in pairs]))
        self.assertEqual(west, 5.5)               # California: user A's complaints
        self.assertEqual(us, 20.0)                # Nevada 20, Texas 30 and 2: one median of the region
        self.assertEqual(b_q1, 20.0)
        self.assertEqual(tx, 16.0)                # (2 + 30) / 2
        self.assertEqual(self._actual(self.kpi_resolution, (date(2026, 4, 1), date(2026, 4, 30))), 0.0)
        self.assertEqual((self.kpi_resolution.direction, self.kpi_resolution.rollup), ("lower", "average"))

    def test_no_product_dimension(self):
        for kpi in (self.kpi_csat, self.kpi_nps, self.kpi_complaints, self.kpi_complaint_rate, self.kpi_resolution):
            with self.subTest(kpi=kpi.code), self.assertRaisesRegex(Exception, "does not measure by"):
                self._target(kpi, Q1, product_id=self.prod_a)


@tagged("post_install", "-at_install")
class TestRepeatOrderRate(SatisfactionCase):

    def test_repeat_order_rate(self):
        """Salesperson A: CA on 5 and 20 January and 10 February, NV on 25 January and 3 March,
        FR on 5 March; salesperson B: CA on 12 February."""
        for partner, when in ((self.cust_ca, "2026-01-05"), (self.cust_ca, "2026-01-20"), (self.cust_nv, "2026-01-25"),
                              (self.cust_ca, "2026-02-10"), (self.cust_nv, "2026-03-03"), (self.cust_fr, "2026-03-05")):
            self._order(partner, [(self.prod_a, 1, 100.0)], when)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-02-12", user=self.user_b)
        self._order(self.cust_fr, [(self.prod_a, 1, 100.0)], "2026-03-06", state="cancel")          # never
        self._order(self.cust_fr, [(self.prod_a, 1, 100.0)], "2026-03-07", company=self.other_company)  # never
        a_jan, a_feb, a_q1, q1, b_q1, west = self._actuals([
            (self.kpi_repeat, JAN, {"user_id": self.user_a}), (self.kpi_repeat, FEB, {"user_id": self.user_a}),
            (self.kpi_repeat, Q1, {"user_id": self.user_a}), (self.kpi_repeat, Q1, {}),
            (self.kpi_repeat, Q1, {"user_id": self.user_b}), (self.kpi_repeat, Q1, {"region_id": self.region_west}),
        ])
        self.assertAlmostEqual(a_jan, 100 / 3)   # CA twice, NV once: 1 repeat of 3 orders
        self.assertEqual(a_feb, 0.0)             # CA's first order of February
        self.assertAlmostEqual(a_q1, 50.0)       # CA 3, NV 2, FR 1: (2 + 1 + 0) / 6
        self.assertAlmostEqual(a_q1, customer.repeat_rate([3, 2, 1]))
        self.assertAlmostEqual(q1, 400 / 7)      # CA 4 (with B's), NV 2, FR 1: 4 / 7
        self.assertAlmostEqual(q1, customer.repeat_rate([4, 2, 1]))
        self.assertEqual(b_q1, 0.0)              # B sold to CA once
        self.assertAlmostEqual(west, 75.0)       # California: CA's 4 orders, 3 repeats
        self.assertEqual(self.kpi_repeat.unit, "percent")
