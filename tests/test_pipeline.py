"""Targets inside the pipeline: deal shares of the owner's gap, their recompute after a
refresh, the coverage of a target's and a team's gap by the weighted open pipeline, and the
salesperson's panel (per role, read-only)."""

from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import SalesTargetCase


@tagged("post_install", "-at_install")
class TestPipeline(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._sales_target_today()
        month_start = cls.today.replace(day=1)
        month_end = fields.Date.end_of(cls.today, "month")
        other_month = date(cls.today.year, cls.today.month % 12 + 1, 1)
        cls.month = (month_start, month_end)
        cls.other_month = (other_month, fields.Date.end_of(other_month, "month"))
        cls.env["crm.team.member"].create({"crm_team_id": cls.team_1.id, "user_id": cls.user_a.id})
        cls.year_plan = cls.env["sales.target.plan"].create({
            "name": "CST Pipeline Year", "company_id": cls.company.id,
            "date_from": date(cls.today.year, 1, 1), "date_to": date(cls.today.year, 12, 31)})

    def _publish(self, plan):
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()

    def _current_targets(self):
        """user_a: a year of ordered revenue (72,000) split into this month (6,000, the leaf
        that counts) and another month (66,000); team_1: 20,000 this month; user_b: 5,000 this
        month in team_2."""
        plan = self.year_plan
        year = (plan.date_from, plan.date_to)
        parent = self._target(self.kpi_ordered, year, plan=plan, value=72000.0, user_id=self.user_a)
        leaf = self._target(self.kpi_ordered, self.month, plan=plan, value=6000.0, user_id=self.user_a,
                            parent_id=parent)
        self._target(self.kpi_ordered, self.other_month, plan=plan, value=66000.0, user_id=self.user_a,
                     parent_id=parent)
        team = self._target(self.kpi_ordered, self.month, plan=plan, value=20000.0, team_id=self.team_1)
        other = self._target(self.kpi_ordered, self.month, plan=plan, value=5000.0, user_id=self.user_b,
                             team_id=self.team_2)
        self._publish(plan)
        return parent, leaf, team, other

    def test_deal_share(self):
        _parent, leaf, _team, _other = self._current_targets()
        self.assertEqual(leaf.gap_value, 6000.0)
        lead = self._lead("CST Deal", revenue=10000.0, probability=30.0)
        # 10,000 x 30 % = 3,000 weighted, of a 6,000 gap (the month's leaf, not the year's 72,000)
        self.assertAlmostEqual(lead.sales_target_gap_share, 50.0)
        lead.probability = 60.0  # 6,000 of 6,000
        self.assertAlmostEqual(lead.sales_target_gap_share, 100.0)
        lead.expected_revenue = 2000.0  # 1,200 of 6,000
        self.assertAlmostEqual(lead.sales_target_gap_share, 20.0)
        lead.user_id = self.user_b  # 1,200 of user_b's 5,000
        self.assertAlmostEqual(lead.sales_target_gap_share, 24.0)
        lead.user_id = self.user_a
        lead.action_set_won()
        self.assertEqual(lead.sales_target_gap_share, 0.0, "a won deal has nothing left to cover")

    def test_share_without_current_target(self):
        lead = self._lead("CST No Target", revenue=10000.0, probability=30.0)
        self.assertEqual(lead.sales_target_gap_share, 0.0)
        # publishing the plan makes its targets current: the shares follow at once
        self._current_targets()
        self.assertAlmostEqual(lead.sales_target_gap_share, 50.0)

    def test_ordered_revenue_first(self):
        self._target(self.kpi_won_revenue, self.month, plan=self.year_plan, value=1000.0, user_id=self.user_a)
        self._current_targets()
        lead = self._lead("CST Deal", revenue=10000.0, probability=30.0)
        self.assertAlmostEqual(lead.sales_target_gap_share, 50.0, "the ordered-revenue target, not won revenue")

    def test_recompute_after_refresh(self):
        _parent, leaf, _team, _other = self._current_targets()
        lead = self._lead("CST Deal", revenue=10000.0, probability=30.0)
        self.assertAlmostEqual(lead.sales_target_gap_share, 50.0)
        # 2,000 ordered today: the gap falls to 4,000 and the deal covers 3,000 / 4,000 = 75 %
        self._order(self.cust_ca, [(self.prod_a, 20, 100.0)], self.today.isoformat(), user=self.user_a)
        leaf._refresh_actuals(today=self.today)
        self.assertEqual((leaf.actual_value, leaf.gap_value), (2000.0, 4000.0))
        self.assertAlmostEqual(lead.sales_target_gap_share, 75.0)
        filtered = self.env["crm.lead"].search([("sales_target_gap_share", ">=", 25), ("id", "=", lead.id)])
        self.assertEqual(filtered, lead, "the pipeline filters on the stored share")

    def test_coverage(self):
        _parent, leaf, team, _other = self._current_targets()
        self._lead("CST Deal 1", revenue=10000.0, probability=30.0)  # 3,000, user_a, team_1
        self._lead("CST Deal 2", revenue=5000.0, probability=50.0)  # 2,500, user_a, team_1
        self._lead("CST Deal 3", revenue=2000.0, probability=50.0, user=self.user_b)  # 1,000, team_1
        self._lead("CST Won", revenue=9000.0, probability=50.0, won="2026-01-10")  # closed: not counted
        self._lead("CST Lost", revenue=9000.0, probability=50.0, lost=True)  # closed: not counted
        # user_a: 5,500 of a 6,000 gap; team_1: 6,500 of 20,000
        self.assertEqual(leaf.pipeline_weighted, 5500.0)
        self.assertAlmostEqual(leaf.pipeline_coverage, 91.67)
        self.assertEqual(team.pipeline_weighted, 6500.0)
        self.assertAlmostEqual(team.pipeline_coverage, 32.5)
        self.assertEqual(self.team_1.sales_target_revenue_id, team)
        self.assertAlmostEqual(self.team_1.sales_target_pipeline_coverage, 32.5)
        self.assertEqual(self.team_2.sales_target_pipeline_coverage, 0.0, "team_2 has no team target")

    def test_panel_per_role(self):
        _parent, leaf, team, other = self._current_targets()
        panel = self.env["sales.target"].with_user(self.user_a).with_company(self.company).get_pipeline_panel()
        self.assertEqual(panel["today"], self.today)
        rows = panel["targets"]
        # their own leaf first (not the year's parent), then their team's; never user_b's
        self.assertEqual([(r["id"], r["scope"]) for r in rows], [(leaf.id, "user"), (team.id, "team")])
        self.assertEqual((rows[0]["target_value"], rows[0]["gap_value"], rows[0]["status_label"]),
                         (6000.0, 6000.0, dict(leaf._fields["status"]._description_selection(self.env))[leaf.status]))
        self.assertEqual(rows[1]["team"], "CST Team 1")
        panel_b = self.env["sales.target"].with_user(self.user_b).with_company(self.company).get_pipeline_panel()
        self.assertEqual([r["id"] for r in panel_b["targets"]], [other.id], "user_b is in no team")
        # a manager reads every target but the panel shows only their own and their teams'
        manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "CST Pipeline Manager", "login": "cst_pipeline_manager", "company_id": self.company.id,
            "company_ids": [(6, 0, self.company.ids)],
            "groups_id": [(6, 0, self.env.ref("sales_team.group_sale_manager").ids)]})
        self.assertEqual(self.env["sales.target"].with_user(manager).search_count([("id", "=", other.id)]), 1)
        self.assertFalse(self.env["sales.target"].with_user(manager).with_company(
            self.company).get_pipeline_panel()["targets"])
        # a user of another company sees nothing of this one
        panel_other = self.env["sales.target"].with_user(self.user_a).with_company(
            self.other_company).get_pipeline_panel()
        self.assertFalse([r for r in panel_other["targets"] if r["id"] in (leaf.id, team.id)])

    def test_readers_write_nothing(self):
        self.assertTrue(getattr(type(self.env["sales.target"]).get_pipeline_panel, "_readonly", False))
        self._current_targets()
        lead = self._lead("CST Deal", revenue=10000.0, probability=30.0)
        self.env.flush_all()
        # as on a replica: the transaction is read-only while the readers run
        with self.env.cr.savepoint():
            self.env.cr.execute("SET LOCAL transaction_read_only = on")
            self.env.invalidate_all()
            rows = self.env["sales.target"].with_user(self.user_a).with_company(
                self.company).get_pipeline_panel()["targets"]
            shares = self.env["crm.lead"].with_user(self.user_a).web_search_read(
                [("id", "=", lead.id)], {"sales_target_gap_share": {}})
            self.env.flush_all()
        self.assertEqual(len(rows), 2)
        self.assertAlmostEqual(shares["records"][0]["sales_target_gap_share"], 50.0)

    def test_team_member_only_while_active(self):
        self._current_targets()
        member = self.team_1.crm_team_member_ids.filtered(lambda m: m.user_id == self.user_a)
        member.active = False
        rows = self.env["sales.target"].with_user(self.user_a).with_company(self.company).get_pipeline_panel()
        self.assertEqual([r["scope"] for r in rows["targets"]], ["user"])

    def test_only_targets_that_can_be_current_move_shares(self):
        """A draft plan's revenue target and a published plan's won-count target are never a
        current revenue target: refreshing or editing them updates no deal share."""
        self._lead("CST Won", won=self.today.isoformat(), user=self.user_b)
        draft = self.env["sales.target.plan"].create({
            "name": "CST Pipeline Draft", "company_id": self.company.id,
            "date_from": self.year_plan.date_from, "date_to": self.year_plan.date_to})
        revenue = self._target(self.kpi_ordered, self.month, plan=draft, value=6000.0, user_id=self.user_a)
        won = self._target(self.kpi_won, self.month, plan=self.year_plan, value=3.0, user_id=self.user_b)
        self._publish(self.year_plan)
        Lead = self.registry["crm.lead"]
        original = Lead._update_sales_target_gap_share
        calls = []

        def spy(leads, user_ids):
            calls.append(sorted(user_ids))
            return original(leads, user_ids)

        with patch.object(Lead, "_update_sales_target_gap_share", spy):
            (revenue | won)._refresh_actuals(today=self.today)
            revenue.target_value = 7000.0
        self.assertEqual(won.actual_value, 1.0)
        self.assertFalse([users for users in calls if users], "no salesperson's shares are updated")
