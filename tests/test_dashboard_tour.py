"""The targets dashboard and the plan by team in a real browser, as a sales manager."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from ..tools import dashboard

#: the tour (static/tests/tours/sales_target_dashboard_tour.js) looks for these names
PLAN_NAME = "CST Dashboard Tour Plan"
TEAM_NAME = "CST Dashboard Tour Team"


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):

    def setUp(self):
        super().setUp()
        company = self.env.ref("base.main_company")
        company.sales_target_tz = "UTC"
        self.manager = new_test_user(
            self.env, "cst_dash_tour_manager", name="CST Dashboard Manager", company_id=company.id,
            groups="base.group_user,sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_manager")
        self.manager.tour_enabled = False
        rep_a, rep_b = (new_test_user(self.env, f"cst_dash_tour_rep_{x}", name=f"CST Dashboard Rep {x}",
                                      groups="sales_team.group_sale_salesman", company_id=company.id)
                        for x in "AB")
        team = self.env["crm.team"].create({
            "name": TEAM_NAME, "company_id": company.id,
            "crm_team_member_ids": [Command.create({"user_id": u.id}) for u in (rep_a, rep_b)]})
        today = company._sales_target_today()
        year, month = dashboard.period_bounds(today, "year"), dashboard.period_bounds(today, "month")
        self.plan = self.env["sales.target.plan"].create({
            "name": PLAN_NAME, "company_id": company.id, "state": "published",
            "date_from": year[0], "date_to": year[1]})
        kpi = self.env.ref("crm_sales_target.kpi_ordered_revenue")
        targets = self.env["sales.target"].create([{
            "plan_id": self.plan.id, "kpi_id": kpi.id, "team_id": team.id, "user_id": user.id,
            "date_from": month[0], "date_to": month[1], "target_value": value,
        } for user, value in ((rep_a, 2000.0), (rep_b, 2000.0))])
        targets.flush_recordset()
        # measured figures, as the refresh writes them: A 1,000 (50 %, off track), B 2,000 (100 %)
        for target, actual, attainment, status in zip(targets, (1000.0, 2000.0), (50.0, 100.0),
                                                      ("off_track", "achieved")):
            self.env.cr.execute(SQL(
                "UPDATE sales_target SET actual_value = %s, attainment = %s, status = %s WHERE id = %s",
                actual, attainment, status, target.id))
        targets.invalidate_recordset()

    def test_dashboard_tour(self):
        self.start_tour("/odoo/action-crm_sales_target.sales_target_dashboard_action",
                        "crm_sales_target_dashboard_tour", login=self.manager.login)

    def test_plan_by_team_tour(self):
        self.start_tour(f"/odoo/action-crm_sales_target.sales_target_plan_action/{self.plan.id}",
                        "crm_sales_target_plan_by_team_tour", login=self.manager.login)
