"""Feasibility checks, overall score, SMART checklist and reverse funnel on hand-computed
fixtures.

History of ``user_a`` (team 1, ordered revenue, customer without region): 10,000 in June
2024, 1,000 in March 2025, 10,000 in June 2025. For a March 2026 target: the same period a
year earlier 1,000; the last 12 months (Mar 2025-Feb 2026) 11,000; the 12 before 10,000.

CRM of ``user_b`` (team 1): open opportunities 20,000 at 50 % and 20,000 at 10 % (open
40,000, weighted 12,000); one won of 5,000 created 2026-08-01 and won 2026-09-30 (60 days);
three lost; two leads never converted: 8 created, 6 of them opportunities. Team 1: ``user_a``
and ``user_b``, 30 leads a month each. Plan risks: one open of 20, one mitigating of 16.
Feasibility as of 2026-11-01.
"""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MAR, SalesTargetCase

TODAY = date(2026, 11, 1)
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


@tagged("post_install", "-at_install")
class TestFeasibility(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.team.member"].create([
            {"crm_team_id": cls.team_1.id, "user_id": user.id, "assignment_max": 30}
            for user in (cls.user_a, cls.user_b)])
        cls.env["sales.target.risk"].create([
            {"name": "Price war", "plan_id": cls.plan.id, "probability": "4", "impact": "5"},
            {"name": "Staff", "plan_id": cls.plan.id, "probability": "4", "impact": "4", "status": "mitigating",
             "mitigation": "Hire two juniors."},
            {"name": "Small", "plan_id": cls.plan.id, "probability": "2", "impact": "3"},
        ])
        cls.env["sales.target.market.segment"].create({
            "plan_id": cls.plan.id, "region_id": cls.region_west.id, "market_size": 1_000_000,
            "share_last_year": 8.0, "expected_share": 10.0})

    def setUp(self):
        super().setUp()
        for when, amount in (("2024-06-10", 10000), ("2025-03-10", 1000), ("2025-06-10", 10000)):
            self._order(self.cust_fr, [(self.prod_c, 1, amount)], when, user=self.user_a)
        user_b = {"user": self.user_b}
        self._lead("Open 1", revenue=20000, probability=50, **user_b)
        self._lead("Open 2", revenue=20000, probability=10, **user_b)
        won = self._lead("Won", revenue=5000, created="2026-08-01", won="2026-09-30", **user_b)
        self.env.add_to_compute(won._fields["day_close"], won)
        won.flush_recordset()
        self.assertEqual(won.day_close, 60)
        for i in range(3):
            self._lead(f"Lost {i}", revenue=1000, lost=True, **user_b)
        for i in range(2):
            self._lead(f"Lead {i}", kind="lead", **user_b)
        self.meeting = self.env.ref("mail.mail_activity_data_meeting")
        self.env["mail.message"].create([{
            "model": "crm.lead", "res_id": won.id, "author_id": self.user_b.partner_id.id,
            "mail_activity_type_id": self.meeting.id, "message_type": "notification", "body": "Meeting",
        } for _i in range(3)])
        kpi = self.kpi_ordered
        self.parent = self._target(kpi, MAR, value=2000, team_id=self.team_1)
        self.a = self._target(kpi, MAR, value=1200, user_id=self.user_a, team_id=self.team_1, parent_id=self.parent)
        self.b = self._target(kpi, MAR, value=600, user_id=self.user_b, team_id=self.team_1, parent_id=self.parent)
        self.west = self._target(kpi, MAR, value=10000, region_id=self.region_west)
        self.q4 = self._target(kpi, Q4, value=30000, user_id=self.user_b)
        self.targets = self.parent | self.a | self.b | self.west | self.q4

    def _scores(self, target):
        return {r.check: (r.score if r.applies else None) for r in target.feasibility_reason_ids}

    def test_checks_and_overall(self):
        self.targets._compute_feasibility(today=TODAY)
        # A: growth +20 % against a +10 % trend: 100 - (10 - 5) / 50 x 100 = 90; March is over (no
        # pipeline); capacity: team 1 made 11,000 in 12 months with 2 people, 458.33 a head a month,
        # x 1 head x 1.02 months = 467.50 against 1,200 -> 0; parent off by -10 % (1,800 of 2,000):
        # 2 x 10 = 20 points off -> 80; risks: 100 - 25 - 12.5 = 62.5 -> 62
        self.assertEqual(self._scores(self.a), {"growth": 90, "market": None, "pipeline": None, "capacity": 0,
                                                "consistency": 80, "risk": 62})
        # (25 x 90 + 15 x 0 + 10 x 80 + 15 x 62) / 65 = 3980 / 65 = 61.2
        self.assertEqual((self.a.feasibility_score, self.a.feasibility_level), (61, "medium"))
        growth = self.a.feasibility_reason_ids.filtered(lambda r: r.check == "growth")
        self.assertIn("+20.0 %", growth.text)
        self.assertIn("1,000 → 1,200", growth.text)
        # the team target: +100 % asked -> 0; 2 heads x 458.33 x 1.02 = 935 against 2,000 -> 0;
        # its own sub-targets off by -10 % -> 80: (10 x 80 + 15 x 62) / 65 = 26.6
        self.assertEqual(self._scores(self.parent), {"growth": 0, "market": None, "pipeline": None, "capacity": 0,
                                                     "consistency": 80, "risk": 62})
        self.assertEqual((self.parent.feasibility_score, self.parent.feasibility_level), (27, "low"))
        # B: no history; 600 / 467.50 = 1.283 -> 100 - 56.7 = 43; (15 x 43 + 10 x 80 + 15 x 62) / 40 = 59.4
        self.assertEqual(self._scores(self.b)["capacity"], 43)
        self.assertEqual(self.b.feasibility_score, 59)
        # West: 1,000,000 x 10 % x 31 / 365 = 8,493.15; 10,000 is 117.7 % of it -> 64.5 -> 65;
        # (15 x 65 + 15 x 62) / 30 = 63.5 -> 64
        self.assertEqual(self._scores(self.west), {"growth": None, "market": 65, "pipeline": None,
                                                   "capacity": None, "consistency": None, "risk": 62})
        self.assertEqual(self.west.feasibility_score, 64)
        self.assertIn("8,493", self.west.feasibility_reason_ids.filtered(lambda r: r.check == "market").text)
        # Q4 of user_b, 61 days left: expected min(12,000 weighted, 40,000 x 1/4 won) = 10,000;
        # 30,000 x 60 / 61 = 29,508.20 to be in the pipeline: coverage 33.9 % -> 34;
        # capacity: no history of team 1 in the 12 months before October; 30 leads x 30.4375 / 30
        # a month x 3.02 months x 1/8 won x 5,000 = 57,450.78 against 30,000 -> 100;
        # (20 x 34 + 15 x 100 + 15 x 62) / 50 = 62.2
        self.assertEqual(self._scores(self.q4), {"growth": None, "market": None, "pipeline": 34, "capacity": 100,
                                                 "consistency": None, "risk": 62})
        self.assertEqual(self.q4.feasibility_score, 62)
        pipeline = self.q4.feasibility_reason_ids.filtered(lambda r: r.check == "pipeline")
        self.assertIn("10,000", pipeline.text)
        self.assertIn("29,508", pipeline.text)
        # computed again: the reasons are replaced, not added
        self.targets._compute_feasibility(today=TODAY)
        self.assertEqual(len(self.q4.feasibility_reason_ids), 6)
        # the low ones are found by the filter
        self.assertEqual(self.env["sales.target"].search([("id", "in", self.targets.ids),
                                                          ("feasibility_level", "=", "low")]), self.parent)
        with self.assertRaises(UserError):
            self.q4.write({"feasibility_score": 100})

    def test_ratio_kpi_averaged_not_summed(self):
        # win rate of user_a: in each of January, February and March 2025 one opportunity won and
        # one lost -> 50 % a month. Target for Q1 2026: 60 %. The same period a year earlier is
        # the day-weighted mean (50 x 31 + 50 x 28 + 50 x 31) / 90 = 50 %, not 150; asked +20 %;
        # last 12 months (2025): 50 % over 90 of 365 days = 12.33, the 12 before nothing: no
        # trend -> 100 - (20 - 5) / 50 x 100 = 70. Capacity (and market, pipeline) compare
        # amounts: not applied to a rate.
        for month in ("01", "02", "03"):
            self._lead(f"Won {month}", won=f"2025-{month}-15", user=self.user_a)
            self._lead(f"Lost {month}", won=f"2025-{month}-16", lost=True, user=self.user_a)
        q1 = (date(2026, 1, 1), date(2026, 3, 31))
        rate = self._target(self.env.ref("crm_sales_target.kpi_win_rate"), q1, value=60.0, user_id=self.user_a,
                            team_id=self.team_1)
        self.assertEqual(rate._feasibility_inputs(today=TODAY)[rate.id]["growth"],
                         {"target": 60.0, "last_period": 50.0, "last_12": 12.33, "previous_12": 0.0,
                          "lower": False})
        rate._compute_feasibility(today=TODAY)
        scores = self._scores(rate)
        self.assertEqual((scores["growth"], scores["market"], scores["pipeline"], scores["capacity"]),
                         (70, None, None, None))

    def test_capacity_weight(self):
        # members weighed by role (when the member model has _capacity_weight): user_a counts
        # half; team 1 is 1.5 heads, 11,000 / 12 / 1.5 = 611.11 a head a month; B (1 head):
        # 611.11 x 1.02 = 623.33 against 600 -> 100
        Member = type(self.env["crm.team.member"])
        user_a = self.user_a

        def weight(member):
            return 0.5 if member.user_id == user_a else 1.0
        with patch.object(Member, "_capacity_weight", weight, create=True):
            self.targets._compute_feasibility(today=TODAY)
        self.assertEqual(self._scores(self.b)["capacity"], 100)
        self.assertIn("623", self.b.feasibility_reason_ids.filtered(lambda r: r.check == "capacity").text)

    def test_smart(self):
        plan = self.plan
        self.assertFalse(plan.smart_achievable)
        self.assertIn("Compute Feasibility", plan.smart_achievable_reason)
        self.targets._compute_feasibility(today=TODAY)
        plan.invalidate_recordset()
        self.assertTrue(plan.smart_specific)
        self.assertTrue(plan.smart_measurable)
        self.assertTrue(plan.smart_time_bound)
        self.assertTrue(plan.smart_relevant)
        # (27 + 61 + 59 + 64 + 62) / 5 = 54.6 < 60
        self.assertFalse(plan.smart_achievable)
        self.assertIn("54.6", plan.smart_achievable_reason)
        self.assertEqual(plan.low_feasibility_count, 1)
        # a target of no dimension, and one of a region outside the market analysis
        self._target(self.kpi_ordered, MAR, value=500)
        self._target(self.kpi_ordered, MAR, value=500, region_id=self.region_us)
        plan.invalidate_recordset()
        self.assertFalse(plan.smart_specific)
        self.assertIn("1 of 7", plan.smart_specific_reason)
        self.assertFalse(plan.smart_relevant)
        self.assertIn("1 region", plan.smart_relevant_reason)

    def _funnel(self, target):
        return Form(self.env["sales.target.funnel"].with_context(default_target_id=target.id)).save()

    def test_reverse_funnel(self):
        wizard = self._funnel(self.q4)
        # gap 30,000 at 5,000 a deal: 6 won; 1 won of 4 closed: 24 opportunities; 6 of 8 created
        # are opportunities: 24 / 0.75 = 32 leads; 3 meetings for 1 won deal: 18 meetings
        self.assertEqual((wizard.gap, wizard.avg_deal, wizard.win_rate, wizard.lead_rate, wizard.meetings_per_won),
                         (30000, 5000, 25, 75, 3))
        self.assertEqual((wizard.won_needed, wizard.opportunities_needed, wizard.leads_needed,
                          wizard.meetings_needed), (6, 24, 32, 18))
        self.assertFalse(wizard.missing)
        wizard.action_create_targets()
        created = self.env["sales.target"].search([("funnel_source_id", "=", self.q4.id)])
        values = {t.kpi_id.code: t.target_value for t in created}
        expected = {"LEADS": 32, "WON": 6}
        if self.env["sales.target.kpi"].search_count([("code", "=", "MEETINGS")]):
            expected["MEETINGS"] = 18
        self.assertEqual(values, expected)
        self.assertEqual(set(created.mapped("user_id")), {self.user_b})
        self.assertEqual({(t.date_from, t.date_to) for t in created}, {Q4})
        self.assertFalse(created.parent_id)
        # once more: the same activity targets, updated
        self._funnel(self.q4).action_create_targets()
        self.assertEqual(self.env["sales.target"].search_count([("funnel_source_id", "=", self.q4.id)]),
                         len(expected))

    def test_reverse_funnel_zero_rates(self):
        # user_a won nothing in 12 months: no deal size, nothing derived, nothing created
        wizard = self._funnel(self.a.copy({"date_from": Q4[0], "date_to": Q4[1], "parent_id": False}))
        self.assertEqual((wizard.won_needed, wizard.opportunities_needed, wizard.leads_needed), (0, 0, 0))
        self.assertIn("No opportunity won", wizard.missing)
        with self.assertRaises(UserError):
            wizard.action_create_targets()
        # the team target has no salesperson: no funnel
        with self.assertRaises(UserError):
            self.parent.action_open_funnel()

    def test_reverse_funnel_frozen_plan(self):
        wizard = self._funnel(self.q4)
        self.plan.state = "published"
        with self.assertRaises(UserError):
            wizard.action_create_targets()
        self.assertFalse(self.env["sales.target"].search([("funnel_source_id", "=", self.q4.id)]))

    def test_cron(self):
        # the targets still running: Q4; March is over
        self.env["sales.target"]._cron_compute_feasibility(today=TODAY)
        self.assertTrue(self.q4.feasibility_date)
        self.assertEqual(self.q4.feasibility_score, 62)
        self.assertEqual(self.targets.feasibility_reason_ids.target_id, self.q4)

    def test_market_constraints(self):
        Segment = self.env["sales.target.market.segment"]
        with self.assertRaises(ValidationError):
            Segment.create({"plan_id": self.plan.id, "product_categ_id": self.categ_misc.id, "expected_share": 120})
        with self.assertRaises(ValidationError):
            Segment.create({"plan_id": self.plan.id})
        segment = Segment.create({"plan_id": self.plan.id, "product_categ_id": self.categ_misc.id,
                                  "market_size": 200000, "expected_share": 5})
        self.assertEqual(segment.potential, 10000)
        # one segment per region and category, an empty region included (SQL's unique rule
        # alone lets NULLs repeat)
        with self.assertRaisesRegex(ValidationError, "already has a segment"), self.env.cr.savepoint():
            Segment.create({"plan_id": self.plan.id, "product_categ_id": self.categ_misc.id})
        with self.assertRaisesRegex(ValidationError, "already has a segment"), self.env.cr.savepoint():
            Segment.create({"plan_id": self.plan.id, "region_id": self.region_west.id})
        Segment.create({"plan_id": self.plan.id, "region_id": self.region_west.id,
                        "product_categ_id": self.categ_misc.id})
        competitor = self.env["sales.target.competitor"].create({
            "plan_id": self.plan.id, "name": "Rival", "segment_id": segment.id, "share": 20,
            "price_position": "lower"})
        need = self.env["sales.target.customer.need"].create({
            "plan_id": self.plan.id, "segment_id": segment.id, "level": "value_added"})
        self.assertEqual(self.plan.competitor_ids, competitor)
        self.assertEqual(self.plan.customer_need_ids, need)


@tagged("post_install", "-at_install")
class TestFeasibilityDemo(SalesTargetCase):

    def test_demo(self):
        plan = self.env.ref("crm_sales_target.demo_sales_plan", raise_if_not_found=False)
        if not plan:
            self.skipTest("installed without demo data")
        self.assertEqual(len(plan.market_segment_ids), 4)
        self.assertTrue(plan.competitor_ids and plan.customer_need_ids)
        self.assertTrue(all(plan.target_ids.mapped("feasibility_date")))
        self.assertEqual(set(plan.target_ids.mapped("feasibility_level")), {"low", "medium", "high"})
        regions = [self.env.ref(f"crm_sales_target.demo_region_{name}") for name in ("east", "south")]
        east, south = (plan.target_ids.filtered(lambda t, r=region: t.region_id == r) for region in regions)
        market = {t: t.feasibility_reason_ids.filtered(lambda r: r.check == "market") for t in (east, south)}
        # East asks 90 % of its market potential, South 135 %: 100 - 35 / 50 x 100 = 30
        self.assertEqual((market[east].score, market[south].score), (100, 30))
        self.assertIn("135.0 %", market[south].text)
