"""The targets dashboard's figures, the plan's summary by team, the team card, the default
grouping and filters of the target actions, and the titles of targets by period."""

from datetime import date

from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools import dashboard
from .common import SalesTargetCase


@tagged("post_install", "-at_install")
class TestDashboard(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._sales_target_today()
        cls.month = dashboard.period_bounds(cls.today, "month")
        cls.year = dashboard.period_bounds(cls.today, "year")
        cls.live_plan = cls.env["sales.target.plan"].create({
            "name": "CST live", "company_id": cls.company.id, "state": "published",
            "date_from": cls.year[0], "date_to": cls.year[1]})
        cls.team_1.crm_team_member_ids = [Command.create({"user_id": cls.user_b.id})]

    def _live(self, kpi, period, value, actual, status=None, **dims):
        target = self._target(kpi, period, plan=self.live_plan, value=value, **dims)
        target.flush_recordset()
        # measured figures are the refresh's: written as it does, in SQL
        self.env.cr.execute(SQL("UPDATE sales_target SET actual_value = %s WHERE id = %s", actual, target.id))
        target.invalidate_recordset()
        Target = self.env["sales.target"]
        self.env.add_to_compute(Target._fields["attainment"], target)
        target.flush_recordset()
        if status:
            self.env.cr.execute(SQL("UPDATE sales_target SET status = %s WHERE id = %s", status, target.id))
            target.invalidate_recordset()
        return target

    def _fixture(self):
        """A yearly team target split into two monthly targets of the salespeople (its leaves),
        and a count KPI next to it that must never be added to the revenue."""
        parent = self._live(self.kpi_ordered, self.year, 10000.0, 0.0, status="off_track", team_id=self.team_1)
        a = self._live(self.kpi_ordered, self.month, 1000.0, 500.0, status="off_track", team_id=self.team_1,
                       user_id=self.user_a, parent_id=parent)
        b = self._live(self.kpi_ordered, self.month, 2000.0, 2500.0, team_id=self.team_1, user_id=self.user_b,
                       parent_id=parent)
        won = self._live(self.kpi_won, self.month, 10.0, 4.0, status="at_risk", team_id=self.team_1,
                         user_id=self.user_a)
        return parent, a, b, won

    def _data(self, user=None, **filters):
        Target = self.env["sales.target"].with_company(self.company)
        if user:
            Target = Target.with_user(user).with_company(self.company)
        return Target.get_dashboard_data(filters)

    def test_figures_by_team_and_salesperson(self):
        parent, a, _b, won = self._fixture()
        data = self._data(kpi_id=self.kpi_ordered.id, period="month")
        self.assertEqual(data["kpi"]["id"], self.kpi_ordered.id)
        self.assertEqual(data["kpi"]["currency_id"], self.eur.id)
        # leaves only: 1000 + 2000, not the yearly parent's 10,000 too; 500 + 2500 = 3000 = 100 %
        [team] = data["teams"]
        self.assertEqual(team["id"], self.team_1.id)
        for kind in ("month", "quarter", "year"):
            self.assertAlmostEqual(team[kind]["target"], 3000.0)
            self.assertAlmostEqual(team[kind]["actual"], 3000.0)
            self.assertAlmostEqual(team[kind]["attainment"], 100.0)
        users = {row["id"]: row for row in data["users"]}
        self.assertEqual(set(users), {self.user_a.id, self.user_b.id})
        self.assertAlmostEqual(users[self.user_a.id]["month"]["attainment"], 50.0)
        self.assertAlmostEqual(users[self.user_b.id]["month"]["attainment"], 125.0)
        # the leaderboard: B (125 %) before A (50 %)
        self.assertEqual([row["id"] for row in data["leaderboard"]], [self.user_b.id, self.user_a.id])
        # at risk: this KPI's only, the least attained first (the yearly target, at 0 %, is off track too)
        self.assertEqual([row["id"] for row in data["at_risk"]], [parent.id, a.id])
        # the cumulative chart: 3000 of target and actual in this month, nothing before
        month_index = self.today.month - 1
        self.assertEqual(data["chart"]["target"][month_index], 3000.0)
        self.assertEqual(data["chart"]["actual"][month_index], 3000.0)
        self.assertTrue(all(v is None for v in data["chart"]["actual"][month_index + 1:]))
        self.assertEqual(sum(data["chart"]["target"][:month_index]), 0.0)
        # the count KPI apart: 4 of 10, never added to the revenue
        data = self._data(kpi_id=self.kpi_won.id, period="month")
        [team] = data["teams"]
        self.assertEqual((team["month"]["target"], team["month"]["actual"]), (10.0, 4.0))
        self.assertAlmostEqual(team["month"]["attainment"], 40.0)
        self.assertEqual([row["id"] for row in data["at_risk"]], [won.id])
        self.assertFalse(data["kpi"]["currency_id"])
        self.assertEqual({k["id"] for k in data["kpis"]}, {self.kpi_ordered.id, self.kpi_won.id})

    def test_colours_read_the_pace(self):
        """A at 500 of 1000 this month is coloured on its pace: against the 1000 x elapsed /
        days expected today (the KPI's thresholds: good from 100 %, bad under 80 %), not
        against the whole month's target; B at 2500 of 2000 is ahead whatever the day."""
        _parent, a, b, _won = self._fixture()
        users = {row["id"]: row for row in self._data(kpi_id=self.kpi_ordered.id, period="month")["users"]}
        start, end = self.month
        elapsed, days = (self.today - start).days + 1, (end - start).days + 1
        pace = 500.0 / (1000.0 * elapsed / days) * 100.0
        expected_light = "good" if pace >= 100.0 else ("bad" if pace < 80.0 else "warning")
        self.assertEqual(users[self.user_a.id]["month"]["light"], expected_light)
        self.assertEqual(users[self.user_b.id]["month"]["light"], "good")

    def test_salesperson_sees_only_theirs(self):
        self._fixture()
        # A is in no team: their own targets only
        data = self._data(user=self.user_a, kpi_id=self.kpi_ordered.id)
        self.assertEqual([row["id"] for row in data["users"]], [self.user_a.id])
        [team] = data["teams"]
        self.assertEqual((team["month"]["target"], team["month"]["actual"]), (1000.0, 500.0))
        # B is a member of team 1: the team's targets, so A's too
        data = self._data(user=self.user_b, kpi_id=self.kpi_ordered.id)
        self.assertEqual({row["id"] for row in data["users"]}, {self.user_a.id, self.user_b.id})

    def test_empty(self):
        data = self._data()
        self.assertFalse(data["kpi"])
        self.assertEqual((data["teams"], data["users"], data["at_risk"]), ([], [], []))

    def test_draft_plans_only_when_chosen(self):
        draft = self.env["sales.target.plan"].create({
            "name": "CST draft", "company_id": self.company.id, "date_from": self.year[0], "date_to": self.year[1]})
        self._target(self.kpi_ordered, self.month, plan=draft, value=500.0, team_id=self.team_2)
        self.assertFalse(self._data()["kpi"])
        data = self._data(plan_id=draft.id)
        self.assertEqual([row["id"] for row in data["teams"]], [self.team_2.id])
        self.assertEqual(data["teams"][0]["month"]["target"], 500.0)

    def test_readonly(self):
        self.assertTrue(getattr(type(self.env["sales.target"]).get_dashboard_data, "_readonly", False))

    # ------------------------------------------------------------------ plan and team
    def test_plan_summary_by_team(self):
        self._fixture()
        summary = str(self.live_plan.target_summary)
        for text in (self.team_1.name, self.user_a.name, self.user_b.name, self.kpi_won.name):
            self.assertIn(text, summary)
        # the team's revenue total: 3,000.00 of the leaves, never 13,000.00
        self.assertIn("3,000.00", summary)
        self.assertNotIn("13,000.00", summary)
        action = self.live_plan.action_view_targets()
        self.assertEqual((action["context"]["search_default_leaf"], action["context"]["search_default_groupby_kpi"]),
                         (1, 1))
        self.assertNotIn("search_default_leaf", self.live_plan.action_view_at_risk()["context"])
        action = self.live_plan.action_view_targets_by_team()
        self.assertEqual(action["context"]["group_by"], ["team_id", "user_id", "kpi_id"])
        self.assertEqual(action["domain"], [("plan_id", "=", self.live_plan.id)])

    def test_team_card(self):
        target = self._live(self.kpi_ordered, self.month, 1200000.0, 1164000.0, team_id=self.team_2)
        self.assertAlmostEqual(target.attainment, 97.0)
        team = self.team_2.with_context(lang="en_US")
        # 1,164,000 of 1,200,000 = 97 %; 1,200,000 = 1.2M, EUR written after the amount
        amount = "1.2M €" if self.eur.position == "after" else "€1.2M"
        self.assertEqual(team.current_target_summary, f"{self.kpi_ordered.name}: 97 % of {amount}")
        self.assertFalse(self.team_1.current_target_summary)
        # Odoo's own Invoicing bar is hidden where the card shows a target
        arch = etree.fromstring(self.env["crm.team"].get_views([(False, "kanban")])["views"]["kanban"]["arch"])
        [bar] = arch.xpath("//field[@name='invoiced']/..")
        self.assertEqual(bar.get("invisible"), "current_sales_target_ids")
        self.assertTrue(arch.xpath("//field[@name='current_target_summary']"))

    # ------------------------------------------------------------------ actions and views
    def test_actions_group_by_kpi_on_leaf_targets(self):
        for xmlid in ("crm_sales_target.sales_target_action", "crm_sales_target.sales_target_action_my"):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            context = safe_eval(action["context"], {"uid": self.env.uid})
            self.assertEqual(context.get("search_default_leaf"), 1, xmlid)
            self.assertEqual(context.get("search_default_groupby_kpi"), 1, xmlid)
            self.assertEqual(context.get("search_default_running"), 1, xmlid)
        Target = self.env["sales.target"]
        views = Target.get_views([(False, "search"), (False, "list"), (False, "pivot"), (False, "graph")])["views"]
        arch = {view: etree.fromstring(views[view]["arch"]) for view in views}
        [leaf] = arch["search"].xpath("//filter[@name='leaf']")
        self.assertEqual(safe_eval(leaf.get("domain")), [("child_ids", "=", False)])
        self.assertTrue(arch["search"].xpath("//filter[@name='year_to_date']"))
        # no total of the whole list: its rows may be of different KPIs
        self.assertFalse(arch["list"].xpath("//field[@sum]"))
        self.assertTrue(arch["pivot"].xpath("//field[@name='kpi_id'][@type='row']"))
        self.assertEqual(arch["pivot"].xpath("//field[@type='measure']/@name"),
                         ["target_value", "actual_value", "attainment"])
        self.assertEqual(arch["graph"].xpath("//field[not(@type)]/@name")[:2], ["kpi_id", "date_from"])

    def test_pivot_attainment_from_sums(self):
        self._fixture()
        # one KPI: (500 + 2500) / (1000 + 2000) = 100 %, not the average of 50 % and 125 %
        [(kpi, attainment)] = self.env["sales.target"]._read_group(
            [("plan_id", "=", self.live_plan.id), ("child_ids", "=", False), ("kpi_id", "=", self.kpi_ordered.id)],
            ["kpi_id"], ["attainment:avg"])
        self.assertAlmostEqual(attainment, 100.0)

    # ------------------------------------------------------------------ titles
    def test_display_name_by_period(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        jan = self._target(self.kpi_ordered, (date(2026, 1, 1), date(2026, 1, 31)))
        q1 = self._target(self.kpi_ordered, (date(2026, 1, 1), date(2026, 3, 31)))
        year = self._target(self.kpi_ordered, (date(2026, 1, 1), date(2026, 12, 31)))
        odd = self._target(self.kpi_ordered, (date(2026, 2, 1), date(2026, 3, 15)))
        expected = {
            "en_US": (" · Jan 2026", " · Q1 2026", " · 2026", " · 02/01/2026 → 03/15/2026"),
            "zh_CN": (" · 2026年1月", " · 2026年第1季度", " · 2026年", " · 2026年02月01日 → 2026年03月15日"),
        }
        for lang, endings in expected.items():
            for target, ending in zip((jan, q1, year, odd), endings):
                name = target.with_context(lang=lang).display_name
                self.assertTrue(name.endswith(ending), f"{lang}: {name!r} should end with {ending!r}")
