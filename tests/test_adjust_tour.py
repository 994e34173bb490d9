"""The adjustment in a real browser: a manager adjusts a published target above the threshold,
another manager approves it, and the target's version history shows both values."""

from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAdjustTour(HttpCase):

    def setUp(self):
        super().setUp()
        company = self.env.ref("base.main_company")
        company.sales_target_adjust_threshold_pct = 10.0
        groups = "base.group_user,sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_manager"
        self.requester = new_test_user(self.env, "cst_adj_tour_requester", name="CST Requester", groups=groups,
                                       company_id=company.id)
        self.approver = new_test_user(self.env, "cst_adj_tour_approver", name="CST Approver", groups=groups,
                                      company_id=company.id)
        (self.requester | self.approver).tour_enabled = False
        plan = self.env["sales.target.plan"].create({
            "name": "CST Adjust Tour Plan", "company_id": company.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        self.target = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": self.env.ref("crm_sales_target.kpi_ordered_revenue").id,
            "date_from": plan.date_from, "date_to": plan.date_to, "target_value": 1000.0})
        plan.state = "published"

    def test_adjust_approve_history(self):
        self.start_tour(f"/odoo/action-crm_sales_target.sales_target_action/{self.target.id}",
                        "crm_sales_target_adjust_request_tour", login=self.requester.login)
        adjustment = self.env["sales.target.adjustment"].search([("line_ids.target_id", "=", self.target.id)])
        self.assertEqual((adjustment.state, adjustment.requester_id), ("to_approve", self.requester))
        self.assertEqual(self.target.target_value, 1000.0)
        self.start_tour(f"/odoo/action-crm_sales_target.sales_target_adjustment_action/{adjustment.id}",
                        "crm_sales_target_adjust_approve_tour", login=self.approver.login)
        self.env.invalidate_all()
        self.assertEqual((adjustment.state, adjustment.approver_id), ("applied", self.approver))
        self.assertEqual(self.target.target_value, 1500.0)
        self.start_tour(f"/odoo/action-crm_sales_target.sales_target_action/{self.target.id}",
                        "crm_sales_target_adjust_history_tour", login=self.approver.login)
