"""Incentives in a real browser: a manager computes the statements of a closed period from the
incentive plan and opens one."""

from datetime import date, datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestIncentiveTour(HttpCase):

    def setUp(self):
        super().setUp()
        company = self.env.ref("base.main_company")
        self.manager = new_test_user(
            self.env, "cst_inc_tour_manager", name="CST Incentive Manager", company_id=company.id,
            groups="base.group_user,sales_team.group_sale_salesman,crm_sales_target.crm_sales_target_group_manager")
        self.manager.tour_enabled = False
        self.rep = new_test_user(self.env, "cst_inc_tour_rep", name="CST Tour Rep", company_id=company.id,
                                 groups="sales_team.group_sale_salesman")
        kpi = self.env.ref("crm_sales_target.kpi_ordered_revenue")
        customer = self.env["res.partner"].create({"name": "CST Incentive Tour Customer"})
        product = self.env["product.product"].create({"name": "CST Incentive Tour Widget", "list_price": 9000.0,
                                                      "taxes_id": [Command.clear()]})
        order = self.env["sale.order"].create({
            "partner_id": customer.id, "user_id": self.rep.id, "company_id": company.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 9000.0,
                                           "tax_id": [Command.clear()]})]})
        order.action_confirm()
        order.date_order = datetime(2026, 1, 15, 4, 0)
        period = self.env["sales.target.plan"].create({
            "name": "CST Incentive Tour January", "company_id": company.id, "horizon": "short",
            "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)})
        target = self.env["sales.target"].create({
            "plan_id": period.id, "kpi_id": kpi.id, "date_from": period.date_from, "date_to": period.date_to,
            "user_id": self.rep.id, "target_value": 10000.0})
        period.action_submit()
        period.action_approve()
        period.action_publish()
        target._refresh_actuals(today=date(2026, 2, 15))
        period.action_close()
        self.plan = self.env["sales.target.incentive.plan"].create({
            "name": "CST Incentive Tour Plan", "company_id": company.id, "period_type": "month",
            "user_ids": [Command.set(self.rep.ids)], "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31),
            "tier_ids": [Command.create({"lower": 0.0, "upper": 80.0, "rate": 2.0, "multiplier": 0.5}),
                         Command.create({"lower": 80.0, "upper": 110.0, "rate": 2.0}),
                         Command.create({"lower": 110.0, "rate": 2.0, "multiplier": 1.5})],
            "rule_ids": [Command.create({"name": "Tour commission", "kpi_id": kpi.id})]})
        self.plan.action_activate()

    def test_compute_and_open_statement(self):
        self.start_tour(f"/odoo/action-crm_sales_target.sales_target_incentive_plan_action/{self.plan.id}",
                        "crm_sales_target_incentive_tour", login=self.manager.login)
        statement = self.env["sales.target.incentive.statement"].search([("plan_id", "=", self.plan.id)])
        # 9,000 of 10,000 = 90 %: the base tier, 2 % = 180, from the snapshot of the close
        self.assertEqual((statement.user_id, statement.amount_total, statement.is_estimate), (self.rep, 180.0, False))
