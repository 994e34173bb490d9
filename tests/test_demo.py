"""The demo data, as installed: a published plan of the current year whose targets show real
actuals and a mix of statuses, over two regional teams of Chinese provinces."""

from datetime import date

from odoo import fields
from odoo.tests import TransactionCase
from odoo.tests import tagged

MODULE = "crm_sales_target"
LOGINS = ("east.leader", "east.rep1", "east.rep2", "south.leader", "south.rep1", "south.rep2")
GOOD = {"on_track", "achieved"}
BAD = {"at_risk", "off_track"}


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env.ref(f"{MODULE}.demo_sales_plan", raise_if_not_found=False)
        cls.today = fields.Date.context_today(cls.env["sales.target"])
        cls.month_start = cls.today.replace(day=1)
        cls.users = {
            login: cls.env["res.users"].search([("login", "=", login)])
            for login in LOGINS
        }
        cls.east = cls.env.ref(f"{MODULE}.demo_team_east", raise_if_not_found=False)
        cls.south = cls.env.ref(f"{MODULE}.demo_team_south", raise_if_not_found=False)
        cls.ordered_kpi = cls.env.ref(f"{MODULE}.kpi_ordered_revenue")
        cls.invoiced_kpi = cls.env.ref(f"{MODULE}.kpi_invoiced_revenue")

    def setUp(self):
        super().setUp()
        self.assertTrue(self.plan, "the demo plan is missing: did the demo data fail to install?")

    def _rep_targets(self, user, domain=()):
        return self.plan.target_ids.filtered_domain([
            ("kpi_id", "=", self.ordered_kpi.id), ("user_id", "=", user.id), *domain])

    # ------------------------------------------------------------------ structure
    def test_plan_is_published_for_the_current_year(self):
        self.assertEqual(self.plan.state, "published")
        self.assertEqual(self.plan.company_id, self.env.ref("base.main_company"))
        self.assertEqual(self.plan.date_from, date(self.today.year, 1, 1))
        self.assertEqual(self.plan.date_to, date(self.today.year, 12, 31))

    def test_users_teams_and_groups(self):
        leader_group = self.env.ref(f"{MODULE}.crm_sales_target_group_team_leader")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        for login, user in self.users.items():
            self.assertEqual(len(user), 1, login)
            self.assertIn(salesman, user.groups_id, login)
            self.assertEqual("leader" in login, leader_group in user.groups_id, login)
            team = self.east if login.startswith("east") else self.south
            self.assertIn(user, team.member_ids, login)
        for login in ("east.rep1", "south.leader"):  # password "demo"
            auth = self.users[login].with_user(self.users[login])._check_credentials(
                {"type": "password", "login": login, "password": "demo"}, {"interactive": False})
            self.assertEqual(auth["uid"], self.users[login].id)
        self.assertEqual(self.east.user_id, self.users["east.leader"])
        self.assertEqual(self.south.user_id, self.users["south.leader"])

    def test_regions_contain_the_provinces(self):
        east = self.env.ref(f"{MODULE}.demo_region_east")
        south = self.env.ref(f"{MODULE}.demo_region_south")
        self.assertEqual(east.state_ids, self.env.ref("base.state_cn_SH") | self.env.ref("base.state_cn_JS")
                         | self.env.ref("base.state_cn_ZJ"))
        self.assertEqual(south.state_ids, self.env.ref("base.state_cn_GD") | self.env.ref("base.state_cn_FJ")
                         | self.env.ref("base.state_cn_GX"))
        self.assertTrue(all(s.country_id == self.env.ref("base.cn") for s in east.state_ids | south.state_ids))

    def test_monthly_targets_per_salesperson_and_team(self):
        months = [date(self.today.year, m, 1) for m in range(1, 13)]
        for login, user in self.users.items():
            targets = self._rep_targets(user)
            self.assertEqual(sorted(targets.mapped("date_from")), months, login)
            team = self.east if login.startswith("east") else self.south
            self.assertEqual(targets.team_id, team, login)
            self.assertTrue(all(t.target_value > 0 for t in targets), login)
            self.assertTrue(all(t.parent_id.team_id == team and not t.parent_id.user_id for t in targets), login)
        for team in self.east | self.south:
            invoiced = self.plan.target_ids.filtered_domain([
                ("kpi_id", "=", self.invoiced_kpi.id), ("team_id", "=", team.id), ("user_id", "=", False)])
            self.assertEqual(sorted(invoiced.mapped("date_from")), months, team.name)

    # ------------------------------------------------------------------ actuals
    def test_running_targets_measured_as_installed(self):
        """Every target of the published demo plan whose period has begun comes measured, as
        the hourly refresh leaves them: a fresh demo never shows a running target at 0."""
        started = self.plan.target_ids.filtered(lambda t: t.date_from <= self.today)
        self.assertTrue(started)
        self.assertFalse(started.filtered(lambda t: not t.actuals_date).mapped("display_name"))

    def test_actuals_of_past_months_are_real(self):
        self.plan.target_ids._refresh_actuals()
        past = self.plan.target_ids.filtered(lambda t: t.date_to < self.month_start)
        if not past:  # January: the current month is the only one under way
            past = self.plan.target_ids.filtered(lambda t: t.date_from == self.month_start)
        for kpi in self.ordered_kpi | self.invoiced_kpi:
            self.assertGreater(sum(past.filtered(lambda t, k=kpi: t.kpi_id == k).mapped("actual_value")), 0, kpi.name)
        for login, user in self.users.items():
            self.assertGreater(sum(self._rep_targets(user, [("id", "in", past.ids)]).mapped("actual_value")), 0, login)
        future = self.plan.target_ids.filtered(lambda t: t.date_from > self.today)
        self.assertFalse(any(future.mapped("actual_value")))

    def test_ordered_actuals_match_the_orders(self):
        """The measured actual of each salesperson's month is the untaxed total of their orders."""
        self.plan.target_ids._refresh_actuals()
        for login, user in self.users.items():
            for target in self._rep_targets(user, [("date_from", "<=", self.today)]):
                # the company's days, in its time zone
                start, end = target.company_id._sales_target_utc_bounds(target.date_from, target.date_to)
                orders = self.env["sale.order"].search([
                    ("user_id", "=", user.id), ("state", "=", "sale"),
                    ("date_order", ">=", start), ("date_order", "<", end),
                ])
                self.assertAlmostEqual(target.actual_value, sum(orders.mapped("amount_untaxed")), places=2,
                                       msg=f"{login} {target.date_from}")

    def test_current_month_mixes_statuses(self):
        self.plan.target_ids._refresh_actuals()
        current = self.plan.target_ids.filtered_domain([
            ("kpi_id", "=", self.ordered_kpi.id), ("user_id", "!=", False),
            ("date_from", "=", self.month_start)])
        self.assertEqual(len(current), len(LOGINS))
        statuses = set(current.mapped("status"))
        self.assertTrue(statuses & GOOD, statuses)
        self.assertTrue(statuses & BAD, statuses)
        self.assertTrue(all(current.mapped("actual_value")), "every salesperson sold this month")

    def test_team_progress_bar_is_fed(self):
        for team in self.east | self.south:
            target = self.plan.target_ids.filtered_domain([
                ("kpi_id", "=", self.invoiced_kpi.id), ("team_id", "=", team.id), ("user_id", "=", False),
                ("date_from", "=", self.month_start)])
            self.assertEqual(round(team.invoiced_target), round(target.target_value), team.name)

    # ------------------------------------------------------------------ documents
    def test_history_documents(self):
        users = self.env["res.users"].browse([u.id for u in self.users.values()])
        orders = self.env["sale.order"].search([("user_id", "in", users.ids), ("state", "=", "sale")])
        self.assertGreaterEqual(len(orders), 100)
        self.assertTrue(all(o.date_order <= fields.Datetime.now() for o in orders))
        self.assertTrue(orders.filtered(lambda o: o.date_order.date() >= self.month_start))
        invoices = orders.invoice_ids.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
        self.assertGreater(len(invoices), len(orders) * 0.7)
        for invoice in invoices[:20]:
            self.assertEqual(invoice.invoice_date, invoice.invoice_line_ids.sale_line_ids.order_id.date_order.date())
        refunds = self.env["account.move"].search([
            ("move_type", "=", "out_refund"), ("state", "=", "posted"), ("invoice_user_id", "in", users.ids)])
        self.assertTrue(refunds)
        leads = self.env["crm.lead"].with_context(active_test=False).search([("user_id", "in", users.ids)])
        won = leads.filtered(lambda lead: lead.stage_id.is_won)
        self.assertTrue(won.filtered(lambda lead: lead.date_closed.date() < self.month_start))
        self.assertTrue(leads.filtered(lambda lead: lead.active and not lead.stage_id.is_won))
        self.assertTrue(leads.filtered(lambda lead: not lead.active))

    # ------------------------------------------------------------------ access
    def test_rep_reads_own_targets(self):
        rep = self.users["east.rep1"]
        visible = self.env["sales.target"].with_user(rep).search([("plan_id", "=", self.plan.id)])
        own = self._rep_targets(rep)
        self.assertEqual(visible & own, own)
        self.assertFalse(visible.filtered(lambda t: t.team_id == self.south))
        others = visible.filtered(lambda t: t.user_id and t.user_id != rep)
        self.assertFalse(others.filtered(lambda t: t.team_id != self.east))
        records = own.with_user(rep).read(["target_value", "actual_value", "status"])
        self.assertEqual(len(records), 12)

    def test_leader_reads_team_targets(self):
        leader = self.users["east.leader"]
        visible = self.env["sales.target"].with_user(leader).search([("plan_id", "=", self.plan.id)])
        self.assertEqual(visible.filtered(lambda t: t.user_id).user_id,
                         self.users["east.leader"] | self.users["east.rep1"] | self.users["east.rep2"])
        self.assertFalse(visible.filtered(lambda t: t.team_id == self.south))
