"""Actuals of every measure, checked against values computed by hand.

Every test creates its own documents in the isolated company of ``SalesTargetCase`` (in
EUR; CHF is worth 1/2 EUR from 2026-01-01 and 1/4 EUR from 2026-01-15), then refreshes
targets with ``_refresh_actuals`` and compares ``actual_value`` with the sum written in the
comments.
"""

from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.crm_sales_target.models import measures

from .common import FEB, JAN, MAR, Q1, SalesTargetCase

JAN_10_20 = (date(2026, 1, 10), date(2026, 1, 20))


@tagged("post_install", "-at_install")
class TestSalesRevenue(SalesTargetCase):
    """Ordered revenue, gross margin and quantity sold: confirmed sale order lines."""

    def test_ordered_revenue_counts_confirmed_orders_untaxed(self):
        order = self._order(self.cust_ca, [
            {"display_type": "line_section", "name": "Goods"},
            # 2 x 100 taxed at 15 %: 200 untaxed (230 taxed)
            (self.prod_a, 2, 100.0, {"tax_id": [Command.set(self.tax_15.ids)]}),
            (self.prod_b, 1, 50.0),  # 50
        ], "2026-01-10")
        self.assertEqual(order.amount_total, 280.0)  # the tax is really there
        # a down payment line is an advance, not revenue
        self.env["sale.order.line"].create({
            "order_id": order.id, "product_id": self.prod_c.id, "product_uom_qty": 1, "price_unit": 80.0,
            "is_downpayment": True, "tax_id": [Command.clear()],
        })
        self._order(self.cust_ca, [(self.prod_a, 10, 100.0)], "2026-01-11", state="draft")    # 1000: draft
        self._order(self.cust_ca, [(self.prod_a, 3, 100.0)], "2026-01-12", state="cancel")    # 300: cancelled
        # 200 + 50 = 250
        self.assertEqual(self._actual(self.kpi_ordered, JAN), 250.0)

    def test_ordered_revenue_foreign_currency_at_order_date_rate(self):
        # 1000 CHF on Jan 10 (1 EUR = 2 CHF) = 500 EUR
        early = self._order(self.cust_ca, [(self.prod_a, 1, 1000.0)], "2026-01-10", currency=self.chf)
        # 400 CHF on Jan 20 (1 EUR = 4 CHF) = 100 EUR
        late = self._order(self.cust_ca, [(self.prod_a, 1, 400.0)], "2026-01-20", currency=self.chf)
        self._order(self.cust_ca, [(self.prod_a, 1, 70.0)], "2026-01-20")  # 70 EUR
        self.assertEqual(early.currency_id, self.chf)
        self.assertEqual((early.currency_rate, late.currency_rate), (2.0, 4.0))
        # 500 + 100 + 70 = 670 (today's rate would give 250 + 100 + 70 = 420; the first
        # rate 500 + 200 + 70 = 770; no conversion 1470)
        self.assertEqual(self._actual(self.kpi_ordered, JAN), 670.0)
        # Jan 1-14 (a day-granular period): only the first order, 500
        self.assertEqual(self._actual(self.kpi_ordered, (date(2026, 1, 1), date(2026, 1, 14))), 500.0)

    def test_gross_margin(self):
        self._order(self.cust_ca, [
            (self.prod_a, 3, 100.0),                            # 300 - 3 x 60 (cost) = 120
            (self.prod_b, 2, 50.0, {"purchase_price": 45.0}),   # 100 - 2 x 45 = 10
        ], "2026-01-10")
        # 1000 CHF - 600 CHF = 400 CHF on Jan 10 = 200 EUR
        self._order(self.cust_nv, [(self.prod_c, 1, 1000.0, {"purchase_price": 600.0})], "2026-01-10",
                    currency=self.chf)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", state="draft")  # 40: draft
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-02-10")  # 40: February
        # 120 + 10 + 200 = 330
        jan, jan_b, feb = self._actuals([
            (self.kpi_margin, JAN, {}),
            (self.kpi_margin, JAN, {"product_id": self.prod_b}),
            (self.kpi_margin, FEB, {}),
        ])
        self.assertEqual(jan, 330.0)
        self.assertEqual(jan_b, 10.0)
        self.assertEqual(feb, 40.0)

    def test_quantity_sold_in_product_unit(self):
        self._order(self.cust_ca, [
            (self.prod_a, 5, 10.0),                                        # 5 units
            (self.prod_a, 2, 120.0, {"product_uom": self.uom_dozen.id}),   # 2 dozens = 24 units
            (self.prod_b, 3, 10.0),                                        # 3 units
        ], "2026-01-10")
        self._order(self.cust_ca, [(self.prod_a, 100, 1.0)], "2026-01-10", state="draft")
        total, prod_a, goods, sub = self._actuals([
            (self.kpi_qty, JAN, {}),                                      # 5 + 24 + 3 = 32
            (self.kpi_qty, JAN, {"product_id": self.prod_a}),             # 5 + 24 = 29
            (self.kpi_qty, JAN, {"product_categ_id": self.categ_goods}),  # A and B (child): 32
            (self.kpi_qty, JAN, {"product_categ_id": self.categ_sub}),    # B: 3
        ])
        self.assertAlmostEqual(total, 32.0)
        self.assertAlmostEqual(prod_a, 29.0)
        self.assertAlmostEqual(goods, 32.0)
        self.assertAlmostEqual(sub, 3.0)


@tagged("post_install", "-at_install")
class TestInvoicedRevenue(SalesTargetCase):

    def test_posted_invoices_minus_credit_notes(self):
        # 3 x 100 taxed at 15 %: 300 untaxed
        invoice = self._invoice(self.cust_ca, [(self.prod_a, 3, 100.0, {"tax_ids": [Command.set(self.tax_15.ids)]})],
                                "2026-01-05")
        self.assertEqual(invoice.amount_total, 345.0)
        self._invoice(self.cust_ca, [(self.prod_a, 5, 100.0)], "2026-01-06", post=False)  # 500: draft
        cancelled = self._invoice(self.cust_ca, [(self.prod_a, 7, 100.0)], "2026-01-06", post=False)
        cancelled.button_cancel()                                                        # 700: cancelled
        self._invoice(self.cust_ca, [(self.prod_a, 1, 40.0)], "2026-01-07", move_type="out_refund")  # -40
        self._invoice(self.cust_ca, [(self.prod_a, 1, 1000.0)], "2026-02-01")              # February
        # 300 - 40 = 260
        jan, feb = self._actuals([(self.kpi_invoiced, JAN, {}), (self.kpi_invoiced, FEB, {})])
        self.assertEqual(jan, 260.0)
        self.assertEqual(feb, 1000.0)

    def test_foreign_currency_at_invoice_date(self):
        self._invoice(self.cust_ca, [(self.prod_a, 1, 300.0)], "2026-01-10", currency=self.chf)  # /2 = 150
        self._invoice(self.cust_ca, [(self.prod_a, 1, 200.0)], "2026-01-20", currency=self.chf)  # /4 = 50
        self._invoice(self.cust_ca, [(self.prod_a, 1, 40.0)], "2026-01-20", currency=self.chf,
                      move_type="out_refund")                                                    # /4 = -10
        # 150 + 50 - 10 = 190
        self.assertEqual(self._actual(self.kpi_invoiced, JAN), 190.0)

    def test_dimensions(self):
        self._invoice(self.cust_nv, [(self.prod_b, 1, 100.0)], "2026-01-10", user=self.user_b, team=self.team_2)
        self._invoice(self.cust_ca_contact, [(self.prod_a, 1, 50.0)], "2026-01-11")   # user A, team 1
        self._invoice(self.cust_nv, [(self.prod_b, 1, 30.0)], "2026-01-12", user=self.user_b, team=self.team_2,
                      move_type="out_refund")
        actuals = self._actuals([
            (self.kpi_invoiced, JAN, {"user_id": self.user_b}),                # 100 - 30 = 70
            (self.kpi_invoiced, JAN, {"team_id": self.team_1}),                 # 50
            (self.kpi_invoiced, JAN, {"product_categ_id": self.categ_goods}),   # 100 + 50 - 30 = 120
            (self.kpi_invoiced, JAN, {"product_categ_id": self.categ_sub}),     # 70
            (self.kpi_invoiced, JAN, {"region_id": self.region_us}),            # Nevada: 70
            (self.kpi_invoiced, JAN, {"region_id": self.region_west}),          # California: 50
            (self.kpi_invoiced, JAN, {"partner_id": self.cust_ca}),             # through its contact: 50
        ])
        self.assertEqual(actuals, [70.0, 50.0, 120.0, 70.0, 70.0, 50.0, 50.0])


@tagged("post_install", "-at_install")
class TestLeadMeasures(SalesTargetCase):

    def test_won_count_and_revenue_by_closing_date(self):
        self._lead("Won Jan 5", revenue=1000.0, won="2026-01-05")
        self._lead("Won Jan 31", revenue=500.0, won="2026-01-31 23:30:00", user=self.user_b, team=self.team_2)
        self._lead("Won Feb 1", revenue=300.0, won="2026-02-01 00:30:00")
        self._lead("Open", revenue=200.0)
        lost = self._lead("Won then lost", revenue=700.0, won="2026-01-10", lost=True)
        self.assertTrue(lost.stage_id.is_won)  # only its archiving keeps it out
        self._lead("Lost", revenue=900.0, lost=True)
        won, revenue, won_b, won_team_2, won_feb, revenue_feb = self._actuals([
            (self.kpi_won, JAN, {}),                          # 2
            (self.kpi_won_revenue, JAN, {}),                  # 1000 + 500 = 1500
            (self.kpi_won, JAN, {"user_id": self.user_b}),    # 1
            (self.kpi_won, JAN, {"team_id": self.team_2}),    # 1
            (self.kpi_won, FEB, {}),                          # 1
            (self.kpi_won_revenue, FEB, {}),                  # 300
        ])
        self.assertEqual((won, revenue, won_b, won_team_2, won_feb, revenue_feb), (2, 1500.0, 1, 1, 1, 300.0))

    def test_won_by_customer_and_region(self):
        # the region of a lead is its own state, else its own country
        self._lead("CA contact", partner=self.cust_ca_contact, revenue=100.0, won="2026-01-05")  # West
        self._lead("CA", partner=self.cust_ca, revenue=10.0, won="2026-01-06")                   # West
        self._lead("NV", country_id=self.env.ref("base.us").id, state_id=self.state_nv.id,
                   revenue=1000.0, won="2026-01-07")                                            # US
        self._lead("FR", partner=self.cust_fr, revenue=10000.0, won="2026-01-08")                # none
        actuals = self._actuals([
            (self.kpi_won_revenue, JAN, {"partner_id": self.cust_ca}),       # 100 + 10
            (self.kpi_won_revenue, JAN, {"region_id": self.region_west}),    # 100 + 10
            (self.kpi_won_revenue, JAN, {"region_id": self.region_us}),      # 1000
            (self.kpi_won, JAN, {"region_id": self.region_us}),              # 1
            (self.kpi_won_revenue, JAN, {}),                                 # 11110
        ])
        self.assertEqual(actuals, [110.0, 110.0, 1000.0, 1.0, 11110.0])

    def test_new_leads_by_creation_date(self):
        self._lead("Lead Jan 3", kind="lead", created="2026-01-03")
        self._lead("Opp Jan 31", created="2026-01-31 23:00:00")
        self._lead("Lead Jan 20 B", kind="lead", user=self.user_b, team=self.team_2, created="2026-01-20")
        self._lead("Lead Feb 1", kind="lead", created="2026-02-01 00:30:00")
        self._lead("Lost Jan 15", kind="lead", created="2026-01-15", lost=True)
        self._lead("Won opp Jan 16", created="2026-01-16", won="2026-03-01")
        total, by_b, by_team_1, feb = self._actuals([
            (self.kpi_leads, JAN, {}),                          # Jan 3, Jan 31, Jan 20, Jan 16: 4
            (self.kpi_leads, JAN, {"user_id": self.user_b}),    # 1
            (self.kpi_leads, JAN, {"team_id": self.team_1}),    # 3
            (self.kpi_leads, FEB, {}),                          # 1
        ])
        self.assertEqual((total, by_b, by_team_1, feb), (4, 1, 3, 1))

    def test_new_leads_by_customer_and_region(self):
        self._lead("CA contact", kind="lead", partner=self.cust_ca_contact, created="2026-01-05")   # West, CA
        self._lead("NV", kind="lead", partner=self.cust_nv, created="2026-01-06")                  # US
        self._lead("NV no partner", kind="lead", country_id=self.env.ref("base.us").id,
                   state_id=self.state_nv.id, created="2026-01-07")                                 # US
        self._lead("Unknown", kind="lead", created="2026-01-08")                                    # none
        actuals = self._actuals([
            (self.kpi_leads, JAN, {"partner_id": self.cust_ca}),         # 1
            (self.kpi_leads, JAN, {"partner_id": self.cust_nv}),         # 1
            (self.kpi_leads, JAN, {"region_id": self.region_west}),      # 1
            (self.kpi_leads, JAN, {"region_id": self.region_us}),        # 2
            (self.kpi_leads, JAN, {}),                                   # 4
        ])
        self.assertEqual(actuals, [1, 1, 1, 2, 4])

    def test_dimension_constraint(self):
        with self.assertRaises(ValidationError):
            self._target(self.kpi_won, JAN, product_id=self.prod_a)
        with self.assertRaises(ValidationError):
            self._target(self.kpi_leads, JAN, product_categ_id=self.categ_goods)
        with self.assertRaises(ValidationError):
            self._target(self.kpi_new_customers, JAN, product_id=self.prod_a)
        target = self._target(self.kpi_won_revenue, JAN, user_id=self.user_a)
        with self.assertRaises(ValidationError):
            target.product_id = self.prod_a
            target.flush_recordset()
        # sale line measures do carry products
        self.assertTrue(self._target(self.kpi_ordered, JAN, product_id=self.prod_a))


@tagged("post_install", "-at_install")
class TestNewCustomers(SalesTargetCase):

    def test_first_confirmed_order_in_period(self):
        existing = self._partner("CST E")
        new = self._partner("CST N")
        group = self._partner("CST X")
        group_contact = self.env["res.partner"].create({"name": "CST X buyer", "parent_id": group.id})
        revived = self._partner("CST Y")
        draft_only = self._partner("CST Z")
        march = self._partner("CST W")
        line = [(self.prod_a, 1, 10.0)]
        self._order(existing, line, "2026-01-10")
        self._order(existing, line, "2026-02-05")
        self._order(new, line, "2026-01-03", company=self.other_company)  # another company's order
        self._order(new, line, "2026-02-10", user=self.user_b)
        self._order(group_contact, line, "2026-02-03")                  # X's first order, by A
        self._order(group, line, "2026-02-20", user=self.user_b)
        self._order(revived, line, "2026-01-05", state="cancel")
        self._order(revived, line, "2026-02-12")
        self._order(draft_only, line, "2026-02-08", state="draft")
        self._order(march, line, "2026-03-03")
        actuals = self._actuals([
            (self.kpi_new_customers, JAN, {}),                         # E: 1
            (self.kpi_new_customers, FEB, {}),                         # N, X, Y: 3
            (self.kpi_new_customers, MAR, {}),                         # W: 1
            (self.kpi_new_customers, Q1, {}),                          # 5
            (self.kpi_new_customers, FEB, {"user_id": self.user_a}),   # X (its contact's order), Y: 2
            (self.kpi_new_customers, FEB, {"user_id": self.user_b}),   # N: 1
            (self.kpi_new_customers, FEB, {"partner_id": group}),      # 1
            (self.kpi_new_customers, FEB, {"partner_id": existing}),   # 0
        ])
        self.assertEqual(actuals, [1, 3, 1, 5, 2, 1, 1, 0])

    def test_dimensions_of_the_first_order(self):
        # the first order decides the salesperson, team and region of a new customer
        self._order(self.cust_ca_contact, [(self.prod_a, 1, 10.0)], "2026-01-05", team=self.team_2)
        self._order(self.cust_ca, [(self.prod_a, 1, 10.0)], "2026-01-06", user=self.user_b)
        self._order(self.cust_nv, [(self.prod_a, 1, 10.0)], "2026-01-07", user=self.user_b)
        self._order(self.cust_fr, [(self.prod_a, 1, 10.0)], "2026-01-08", state="cancel")
        actuals = self._actuals([
            (self.kpi_new_customers, JAN, {"team_id": self.team_2}),           # CA: 1
            (self.kpi_new_customers, JAN, {"team_id": self.team_1}),           # NV: 1
            (self.kpi_new_customers, JAN, {"user_id": self.user_b}),           # NV: 1
            (self.kpi_new_customers, JAN, {"region_id": self.region_west}),    # CA: 1
            (self.kpi_new_customers, JAN, {"region_id": self.region_us}),      # NV: 1
            (self.kpi_new_customers, JAN, {}),                                 # CA, NV: 2
        ])
        self.assertEqual(actuals, [1, 1, 1, 1, 1, 2])

    def test_customer_type(self):
        existing = self._partner("CST E")
        new = self._partner("CST N")
        pipeline = self._partner("CST P")
        late_lead = self._partner("CST Q")
        lost_lead = self._partner("CST L")
        drafted = self._partner("CST R")
        self._lead("P's lead", partner=pipeline, created="2025-12-15")
        self._lead("Q's lead", partner=late_lead, created="2026-02-03")
        self._lead("L's lead", partner=lost_lead, created="2026-01-01", lost=True)
        self._order(new, [(self.prod_a, 1, 9999.0)], "2026-01-03", company=self.other_company)  # another company
        self._order(existing, [(self.prod_a, 1, 10.0)], "2026-01-10")
        self._order(existing, [(self.prod_a, 1, 100.0)], "2026-02-05")
        self._order(new, [(self.prod_a, 1, 200.0)], "2026-02-10")
        self._order(pipeline, [(self.prod_a, 1, 400.0)], "2026-02-15")
        self._order(late_lead, [(self.prod_a, 1, 800.0)], "2026-02-20")
        self._order(lost_lead, [(self.prod_a, 1, 1600.0)], "2026-02-25")
        self._order(drafted, [(self.prod_a, 1, 50000.0)], "2026-01-05", state="draft")
        self._order(drafted, [(self.prod_a, 1, 3200.0)], "2026-02-07")
        actuals = self._actuals([
            (self.kpi_ordered, FEB, {}),                                 # 6300
            (self.kpi_ordered, FEB, {"customer_type": "existing"}),      # E: 100
            (self.kpi_ordered, FEB, {"customer_type": "new"}),           # 200 + 400 + 800 + 1600 + 3200
            (self.kpi_ordered, FEB, {"customer_type": "potential"}),     # P, L (lost lead still): 400 + 1600
            (self.kpi_ordered, JAN, {"customer_type": "new"}),           # E's first order: 10
            (self.kpi_ordered, JAN, {"customer_type": "existing"}),      # 0
            (self.kpi_ordered, Q1, {"customer_type": "new"}),            # 6310
            (self.kpi_ordered, FEB, {"customer_type": "new", "user_id": self.user_a}),  # 6200
            (self.kpi_ordered, FEB, {"customer_type": "new", "user_id": self.user_b}),  # 0
        ])
        self.assertEqual(actuals, [6300.0, 100.0, 6200.0, 2000.0, 10.0, 0.0, 6310.0, 6200.0, 0.0])


@tagged("post_install", "-at_install")
class TestDimensions(SalesTargetCase):

    def test_salesperson(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._order(self.cust_nv, [(self.prod_a, 1, 40.0)], "2026-01-11", user=self.user_b)
        self._order(self.cust_nv, [(self.prod_a, 1, 1000.0)], "2026-01-11", user=self.user_b, state="draft")
        actuals = self._actuals([
            (self.kpi_ordered, JAN, {"user_id": self.user_a}),   # 100
            (self.kpi_ordered, JAN, {"user_id": self.user_b}),   # 40
            (self.kpi_ordered, JAN, {}),                         # 140
        ])
        self.assertEqual(actuals, [100.0, 40.0, 140.0])

    def test_team(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 30.0)], "2026-01-10", team=self.team_2)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", team=self.team_1)
        self._order(self.cust_ca, [(self.prod_a, 1, 40.0)], "2026-01-10", team=self.team_1, user=self.user_b)
        actuals = self._actuals([
            (self.kpi_ordered, JAN, {"team_id": self.team_1}),                            # 140
            (self.kpi_ordered, JAN, {"team_id": self.team_2}),                            # 30
            (self.kpi_ordered, JAN, {"team_id": self.team_1, "user_id": self.user_b}),    # 40
            (self.kpi_ordered, JAN, {"team_id": self.team_2, "user_id": self.user_b}),    # 0
        ])
        self.assertEqual(actuals, [140.0, 30.0, 40.0, 0.0])

    def test_product_and_category_with_children(self):
        self._order(self.cust_ca, [
            (self.prod_a, 2, 100.0),   # 200, Goods
            (self.prod_b, 1, 40.0),    # 40, Sub (a child of Goods)
            (self.prod_c, 3, 7.0),     # 21, Misc
        ], "2026-01-10")
        actuals = self._actuals([
            (self.kpi_ordered, JAN, {"product_id": self.prod_a}),                # 200
            (self.kpi_ordered, JAN, {"product_id": self.prod_b}),                # 40
            (self.kpi_ordered, JAN, {"product_categ_id": self.categ_goods}),     # 200 + 40
            (self.kpi_ordered, JAN, {"product_categ_id": self.categ_sub}),       # 40
            (self.kpi_ordered, JAN, {"product_categ_id": self.categ_misc}),      # 21
            (self.kpi_ordered, JAN, {"product_categ_id": self.categ_goods, "product_id": self.prod_c}),  # 0
        ])
        self.assertEqual(actuals, [200.0, 40.0, 240.0, 40.0, 21.0, 0.0])

    def test_region_by_state_then_country(self):
        us_no_state = self._partner("CST US", country_id=self.env.ref("base.us").id)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")          # West (state)
        self._order(self.cust_ca_contact, [(self.prod_a, 1, 5.0)], "2026-01-10")    # West (its company's)
        self._order(self.cust_nv, [(self.prod_a, 1, 40.0)], "2026-01-10")           # US (country)
        self._order(us_no_state, [(self.prod_a, 1, 3.0)], "2026-01-10")             # US (country)
        self._order(self.cust_fr, [(self.prod_a, 1, 7.0)], "2026-01-10")            # no region
        # a region of another company does not apply (Nevada stays in US); a region of no
        # company applies to all
        self.env["sales.target.region"].create({
            "name": "CST Nevada (other company)", "company_id": self.other_company.id,
            "state_ids": [Command.set(self.state_nv.ids)]})
        region_shared = self.env["sales.target.region"].create({
            "name": "CST France (shared)", "company_id": False,
            "country_ids": [Command.set(self.env.ref("base.fr").ids)]})
        actuals = self._actuals([
            (self.kpi_ordered, JAN, {"region_id": self.region_west}),   # 100 + 5
            (self.kpi_ordered, JAN, {"region_id": self.region_us}),     # 40 + 3 (not California's 105)
            (self.kpi_ordered, JAN, {"region_id": region_shared}),      # 7
            (self.kpi_ordered, JAN, {}),                                # 155
        ])
        self.assertEqual(actuals, [105.0, 43.0, 7.0, 155.0])

    def test_customer_is_the_commercial_entity(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._order(self.cust_ca_contact, [(self.prod_a, 1, 60.0)], "2026-01-11")
        self._order(self.cust_nv, [(self.prod_a, 1, 40.0)], "2026-01-12")
        actuals = self._actuals([
            (self.kpi_ordered, JAN, {"partner_id": self.cust_ca}),   # 100 + 60
            (self.kpi_ordered, JAN, {"partner_id": self.cust_nv}),   # 40
            (self.kpi_ordered, JAN, {"partner_id": self.cust_fr}),   # 0
        ])
        self.assertEqual(actuals, [160.0, 40.0, 0.0])


@tagged("post_install", "-at_install")
class TestPeriods(SalesTargetCase):

    def test_month_aligned_edges(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 1.0)], "2025-12-31 23:59:59")
        self._order(self.cust_ca, [(self.prod_a, 1, 10.0)], "2026-01-01 00:00:00")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-31 23:59:59")
        self._order(self.cust_ca, [(self.prod_a, 1, 1000.0)], "2026-02-01 00:00:00")
        self.assertEqual(self._actual(self.kpi_ordered, JAN), 110.0)     # 10 + 100
        self.assertEqual(self._actual(self.kpi_ordered, FEB), 1000.0)
        self.assertEqual(self._actual(self.kpi_ordered, Q1), 1110.0)     # three months at once

    def test_day_granular_edges(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 1.0)], "2026-01-09 23:59:59")
        self._order(self.cust_ca, [(self.prod_a, 1, 10.0)], "2026-01-10 00:00:00")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-20 23:59:59")
        self._order(self.cust_ca, [(self.prod_a, 1, 1000.0)], "2026-01-21 00:00:00")
        self.assertEqual(self._actual(self.kpi_ordered, JAN_10_20), 110.0)   # 10 + 100
        self.assertEqual(self._actual(self.kpi_ordered, (date(2026, 1, 20), date(2026, 1, 20))), 100.0)

    def test_mixed_granularities_refreshed_together(self):
        for when, amount in (("2026-01-09 23:59:59", 1.0), ("2026-01-10 00:00:00", 10.0),
                             ("2026-01-20 23:59:59", 100.0), ("2026-01-21 00:00:00", 1000.0),
                             ("2026-02-15", 10000.0), ("2026-04-01", 100000.0)):
            self._order(self.cust_ca, [(self.prod_a, 1, amount)], when)
        specs = [
            (self.kpi_ordered, JAN, {}),                                        # 1111
            (self.kpi_ordered, JAN_10_20, {}),                                  # 110
            (self.kpi_ordered, Q1, {}),                                         # 11111
            (self.kpi_ordered, (date(2026, 2, 1), date(2026, 2, 14)), {}),      # 0
            (self.kpi_ordered, (date(2026, 1, 15), date(2026, 2, 15)), {}),     # 100 + 1000 + 10000
        ]
        expected = [1111.0, 110.0, 11111.0, 0.0, 11100.0]
        self.assertEqual(self._actuals(specs), expected)
        # the same alone (month-aligned targets alone are measured by month)
        self.assertEqual([self._actual(kpi, period) for kpi, period, _dims in specs], expected)

    def test_pacing_figures(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 900.0)], "2026-01-05")
        target = self._target(self.kpi_ordered, JAN, value=3100.0)
        self._refresh(target, today=date(2026, 1, 10))
        target.invalidate_recordset()
        self.assertEqual(target.actual_value, 900.0)
        self.assertTrue(target.actuals_date)
        # 10 of 31 days elapsed: 1000 expected; 900 / 1000 = 90 %, between 80 and 95: at risk
        self.assertEqual(target.expected_value, 1000.0)
        self.assertAlmostEqual(target.attainment, 900 / 3100 * 100, places=4)   # 29.03
        self.assertEqual(target.gap_value, 2200.0)
        self.assertEqual(target.run_rate_needed, 100.0)   # 2200 over the 22 days from the 10th
        self.assertEqual(target.status, "at_risk")
        self._refresh(target, today=date(2026, 2, 1))
        self.assertEqual(target.status, "missed")


@tagged("post_install", "-at_install")
class TestIsolationAndEngine(SalesTargetCase):

    def test_other_company_documents_never_count(self):
        other_plan = self.env["sales.target.plan"].create({
            "name": "CST other 2026", "company_id": self.other_company.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
        })
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._order(self.cust_ca, [(self.prod_a, 1, 5000.0)], "2026-01-10", company=self.other_company)
        self._invoice(self.cust_ca, [(self.prod_a, 1, 50.0)], "2026-01-10")
        self._invoice(self.cust_ca, [(self.prod_a, 1, 3000.0)], "2026-01-10", company=self.other_company)
        self._lead("Won here", partner=self.cust_ca, won="2026-01-10", created="2026-01-10")
        self._lead("Won there", partner=self.cust_ca, won="2026-01-10", created="2026-01-10",
                   company=self.other_company)
        self._lead("Won there too", partner=self.cust_nv, won="2026-01-10", created="2026-01-10",
                   company=self.other_company)
        targets = self.env["sales.target"]
        for plan in (self.plan, other_plan):
            for kpi in (self.kpi_ordered, self.kpi_invoiced, self.kpi_won, self.kpi_leads, self.kpi_new_customers):
                targets |= self._target(kpi, JAN, plan=plan, user_id=self.user_a)
        self._refresh(targets)
        self.assertEqual(targets.mapped("company_id"), self.company + self.other_company)
        self.assertEqual(targets.mapped("actual_value"), [
            100.0, 50.0, 1.0, 1.0, 1.0,      # this company
            5000.0, 3000.0, 2.0, 2.0, 1.0,   # the other one, refreshed in the same batch
        ])

    def test_cube_queries_read_the_requested_companies_only(self):
        # the cube of each measure, asked for this company, has no row of the other one
        for company in (self.company, self.other_company):
            self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", company=company)
            self._invoice(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", company=company)
            self._lead("Won", partner=self.cust_ca, revenue=10.0, won="2026-01-10", created="2026-01-10",
                       company=company)
        self.env.flush_all()
        for key, measure in measures.MEASURES.items():
            if "partner_id" not in measure.dimensions or measure.model in (
                    "mail.message", "sales.target.satisfaction", "sales.target.complaint"):
                continue  # no customer dimension, or no document here (see test_measures_kpi and
                # test_measures_satisfaction)
            query, _union = measure.cube_query(self.env, [self.company.id], JAN[0], JAN[1], ["partner_id"],
                                               granularity="day")
            self.env.cr.execute(query)
            rows = [row for row in self.env.cr.fetchall() if row[2] == self.cust_ca.id]
            self.assertEqual([(row[0], row[1]) for row in rows], [(JAN[0].replace(day=10), self.company.id)], key)

    def test_kpi_domain(self):
        kpi_b = self.env["sales.target.kpi"].create({
            "name": "CST B revenue", "code": "CST_B", "measure": "ordered_revenue", "unit": "currency",
            "company_id": self.company.id, "domain": f"[('product_id', '=', {self.prod_b.id})]",
        })
        kpi_c = self.env["sales.target.kpi"].create({
            "name": "CST C revenue", "code": "CST_C", "measure": "ordered_revenue", "unit": "currency",
            "company_id": self.company.id, "domain": f"[('product_id', '=', {self.prod_c.id})]",
        })
        kpi_invoices_only = self.env["sales.target.kpi"].create({
            "name": "CST invoices only", "code": "CST_INV", "measure": "invoiced_revenue", "unit": "currency",
            "company_id": self.company.id, "domain": "[('move_id.move_type', '=', 'out_invoice')]",
        })
        kpi_opportunities = self.env["sales.target.kpi"].create({
            "name": "CST new opportunities", "code": "CST_OPP", "measure": "new_leads", "unit": "count",
            "company_id": self.company.id, "domain": "[('type', '=', 'opportunity')]",
        })
        self._order(self.cust_ca, [(self.prod_a, 2, 100.0), (self.prod_b, 1, 40.0)], "2026-01-10")
        self._order(self.cust_nv, [(self.prod_b, 1, 7.0), (self.prod_c, 1, 3.0)], "2026-01-11", user=self.user_b)
        self._invoice(self.cust_ca, [(self.prod_a, 1, 500.0)], "2026-01-10")
        self._invoice(self.cust_ca, [(self.prod_a, 1, 80.0)], "2026-01-11", move_type="out_refund")
        self._lead("Lead", kind="lead", created="2026-01-05")
        self._lead("Opp", created="2026-01-05")
        self._lead("Opp B", created="2026-01-06", user=self.user_b, team=self.team_2)
        actuals = self._actuals([
            (self.kpi_ordered, JAN, {}),                            # 200 + 40 + 7 + 3 = 250
            (kpi_b, JAN, {}),                                       # 40 + 7
            (kpi_b, JAN, {"user_id": self.user_b}),                 # 7
            (kpi_c, JAN, {}),                                       # 3
            (kpi_b, JAN, {"product_categ_id": self.categ_goods}),   # B is in Sub, under Goods: 47
            (self.kpi_invoiced, JAN, {}),                           # 500 - 80
            (kpi_invoices_only, JAN, {}),                           # 500
            (kpi_opportunities, JAN, {}),                           # 2
            (self.kpi_leads, JAN, {}),                              # 3
        ])
        self.assertEqual(actuals, [250.0, 47.0, 7.0, 3.0, 47.0, 420.0, 500.0, 2.0, 3.0])

    def test_all_measures_refreshed_together(self):
        order = self._order(self.cust_ca, [(self.prod_a, 2, 100.0, {"purchase_price": 70.0})], "2026-01-10")
        self._invoice(self.cust_ca, [(self.prod_a, 2, 100.0)], "2026-01-12")
        self._lead("Won", partner=self.cust_ca, revenue=700.0, won="2026-01-15", created="2025-12-01")
        self.assertEqual(order.order_line.margin, 60.0)   # 200 - 2 x 70
        kpis = (self.kpi_ordered, self.kpi_invoiced, self.kpi_margin, self.kpi_qty, self.kpi_won,
                self.kpi_won_revenue, self.kpi_leads, self.kpi_new_customers)
        together = self._actuals([(kpi, JAN, {"partner_id": self.cust_ca}) for kpi in kpis])
        # ordered 200, invoiced 200, margin 60, 2 units, 1 won for 700, no lead created in
        # January (it was created in December), 1 new customer
        self.assertEqual(together, [200.0, 200.0, 60.0, 2.0, 1.0, 700.0, 0.0, 1.0])
        self.assertEqual([self._actual(kpi, JAN, partner_id=self.cust_ca) for kpi in kpis], together)

    def test_dimension_sets_share_one_scan(self):
        # targets on different dimensions of one KPI share scans (GROUPING SETS)
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._order(self.cust_nv, [(self.prod_b, 2, 40.0)], "2026-01-12", user=self.user_b)
        specs = [
            (self.kpi_ordered, JAN, {"user_id": self.user_a}),                  # 100
            (self.kpi_ordered, JAN, {"user_id": self.user_b}),                  # 80
            (self.kpi_ordered, JAN, {"product_categ_id": self.categ_goods}),    # 100 + 80 (Sub is a child)
            (self.kpi_ordered, JAN, {"product_categ_id": self.categ_sub}),      # 80
            (self.kpi_ordered, JAN, {"region_id": self.region_west}),           # 100 (California)
            (self.kpi_ordered, JAN, {}),                                        # 180
        ]
        expected = [100.0, 80.0, 180.0, 80.0, 100.0, 180.0]
        measure = measures.get("ordered_revenue")
        with patch.object(type(measure), "cube_query", autospec=True, side_effect=type(measure).cube_query) as cube:
            self.assertEqual(self._actuals(specs), expected)
        # order-level sets (salesperson, region, none) in one query, line-level (category) in another
        self.assertEqual(cube.call_count, 2)
        self.assertEqual(sorted(len(call.args[5]) for call in cube.call_args_list), [1, 3])
        self.assertEqual([self._actual(kpi, period, **dims) for kpi, period, dims in specs], expected)

    def test_query_count_does_not_grow_with_targets(self):
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10")
        self._order(self.cust_nv, [(self.prod_b, 1, 40.0)], "2026-02-10", user=self.user_b)
        dims = [{"user_id": self.user_a}, {"region_id": self.region_west},
                {"product_categ_id": self.categ_goods, "customer_type": "new"}]
        months = [(date(2026, m, 1), date(2026, m + 1, 1) - date.resolution) for m in range(1, 11)]

        def make(count):
            return self.env["sales.target"].concat(*(
                self._target(self.kpi_ordered, months[i // len(dims)], **dims[i % len(dims)])
                for i in range(count)))

        def queries(targets):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            targets._refresh_actuals(today=date(2026, 12, 31))
            return self.env.cr.sql_log_count - before

        few, many = make(3), make(30)
        self._refresh(few + many)  # warm up
        self.assertEqual(queries(few), queries(many))
        self.assertEqual(few.mapped("actual_value"), [100.0, 100.0, 100.0])
        # February: user A 0, West 0, Goods (B in Sub) from a new customer 40
        self.assertEqual(many[3:6].mapped("actual_value"), [0.0, 0.0, 40.0])

    def test_kpi_domain_ignores_the_record_rules_of_whoever_refreshes(self):
        kpi_b = self.env["sales.target.kpi"].create({
            "name": "CST B revenue", "code": "CST_B", "measure": "ordered_revenue", "unit": "currency",
            "company_id": self.company.id, "domain": f"[('product_id', '=', {self.prod_b.id})]",
        })
        self._order(self.cust_ca, [(self.prod_b, 1, 40.0)], "2026-01-10")                   # user A's
        self._order(self.cust_nv, [(self.prod_b, 1, 7.0)], "2026-01-11", user=self.user_b)  # user B's
        spec = {"id": 1, "kpi_id": kpi_b.id, "company_id": self.company.id, "date_from": JAN[0], "date_to": JAN[1]}
        # user B, a salesperson, may read their own orders only; the actual is still 40 + 7
        self.assertFalse(self.user_b.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertEqual(self.env["sales.target"].with_user(self.user_b)._measure_specs([spec]), {1: 47.0})
        self.assertEqual(self.env["sales.target"]._measure_specs([spec]), {1: 47.0})
