"""The decomposition wizard in a real browser: a tour splits a quarterly target by
salesperson × month (months weighted by seasonality) and applies the preview."""

from datetime import date, datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

#: the tour (static/tests/tours/sales_target_decompose_tour.js) searches the plan by this name
PLAN_NAME = "CST Decompose Tour Plan"


@tagged("post_install", "-at_install")
class TestDecomposeTour(HttpCase):

    def setUp(self):
        super().setUp()
        admin = self.env.ref("base.user_admin")
        admin.tour_enabled = False  # no onboarding tour in the way
        env = self.env(user=admin)
        self.assertFalse(env["sales.target.plan"].search_count([("name", "=", PLAN_NAME)]),
                         "the tour needs a plan name used nowhere else")
        self.users = [
            new_test_user(env, f"cst_tour_rep_{i}", name=f"CST Tour Rep {i}", groups="sales_team.group_sale_salesman")
            for i in (1, 2)
        ]
        self.team = env["crm.team"].create({
            "name": "CST Tour Team",
            "crm_team_member_ids": [Command.create({"user_id": user.id}) for user in self.users],
        })
        self.assertEqual(len(self.team.member_ids), 2)
        # two years of confirmed orders of the team, every month, so that seasonality has history
        customer = env["res.partner"].create({"name": "CST Tour Customer"})
        product = env["product.product"].create({"name": "CST Tour Widget", "list_price": 100.0,
                                                 "taxes_id": [Command.clear()]})
        for year in (2024, 2025):
            for month in range(1, 13):
                user = self.users[month % 2]
                order = env["sale.order"].create({
                    "partner_id": customer.id, "user_id": user.id, "team_id": self.team.id,
                    "order_line": [Command.create({
                        "product_id": product.id, "product_uom_qty": 1, "price_unit": 100.0 * month,
                        "tax_id": [Command.clear()],
                    })],
                })
                order.action_confirm()
                order.date_order = datetime(year, month, 15, 12, 0)
        self.plan = env["sales.target.plan"].create({
            "name": PLAN_NAME, "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
        })
        self.assertEqual(self.plan.state, "draft")
        self.target = env["sales.target"].create({
            "plan_id": self.plan.id, "kpi_id": env.ref("crm_sales_target.kpi_ordered_revenue").id,
            "team_id": self.team.id, "date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31),
            "target_value": 900.0,
        })

    def test_decompose_tour(self):
        self.start_tour("/odoo/action-crm_sales_target.sales_target_plan_action",
                        "crm_sales_target_decompose_tour", login="admin")
        self.env.invalidate_all()
        children = self.target.child_ids
        self.assertEqual(len(children), 6)
        self.assertAlmostEqual(sum(children.mapped("target_value")), 900.0, places=2)
        self.assertEqual(set(children.user_id.ids), {user.id for user in self.users})
        self.assertEqual(sorted({(c.date_from, c.date_to) for c in children}), [
            (date(2026, 1, 1), date(2026, 1, 31)),
            (date(2026, 2, 1), date(2026, 2, 28)),
            (date(2026, 3, 1), date(2026, 3, 31)),
        ])
        self.assertEqual(children.plan_id, self.plan)
        self.assertEqual(children.team_id, self.team)
