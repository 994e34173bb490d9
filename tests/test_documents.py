"""From a target's actual to its documents: the same documents the measure counts, in the
same period, time zone, dimensions and KPI filter; hand-picked fixtures, each document named
for why it is in or out."""

from odoo.tests import tagged

from .common import FEB, JAN, SalesTargetCase


@tagged("post_install", "-at_install")
class TestDocuments(SalesTargetCase):

    def _ids(self, target):
        action = target.action_view_documents()
        return action["res_model"], set(action["domain"][0][2])

    def test_orders_of_a_salesperson_in_a_region(self):
        counted = self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a)
        contact = self._order(self.cust_ca_contact, [(self.prod_a, 1, 50.0)], "2026-01-31 23:00:00",
                              user=self.user_a)  # a contact of the CA customer: California too
        free = self._order(self.cust_ca, [(self.prod_a, 1, 0.0)], "2026-01-12", user=self.user_a)
        self._order(self.cust_nv, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a)  # Nevada: US, not West
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_b)  # other salesperson
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-02-01", user=self.user_a)  # February
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a, state="cancel")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a, state="draft")
        self._order(self.cust_ca, [(self.prod_a, 1, 100.0)], "2026-01-10", user=self.user_a,
                    company=self.other_company)
        target = self._target(self.kpi_ordered, JAN, user_id=self.user_a, region_id=self.region_west)
        self.assertEqual(self._ids(target), ("sale.order", {counted.id, contact.id, free.id}))
        self._refresh(target)
        self.assertEqual(target.actual_value, 150.0)  # 100 + 50 + 0

    def test_time_zone_decides_the_month(self):
        """Shanghai (UTC+8): 31 January 18:00 UTC is 1 February 02:00 there."""
        self.company.sales_target_tz = "Asia/Shanghai"
        late = self._order(self.cust_fr, [(self.prod_a, 1, 100.0)], "2026-01-31 18:00:00")
        early = self._order(self.cust_fr, [(self.prod_a, 1, 100.0)], "2026-01-31 15:00:00")
        self.assertEqual(self._ids(self._target(self.kpi_ordered, JAN))[1] & {late.id, early.id}, {early.id})
        self.assertEqual(self._ids(self._target(self.kpi_ordered, FEB))[1] & {late.id, early.id}, {late.id})

    def test_product_category_includes_sub_categories_and_invoice_lines(self):
        invoice = self._invoice(self.cust_fr, [(self.prod_a, 1, 100.0), (self.prod_c, 1, 10.0)], "2026-01-15")
        refund = self._invoice(self.cust_fr, [(self.prod_b, 1, 30.0)], "2026-01-20", move_type="out_refund")
        self._invoice(self.cust_fr, [(self.prod_a, 1, 100.0)], "2026-01-15", post=False)  # draft
        target = self._target(self.kpi_invoiced, JAN, product_categ_id=self.categ_goods)
        model, ids = self._ids(target)
        self.assertEqual(model, "account.move.line")
        lines = self.env["account.move.line"].browse(ids)
        # Product A (Goods) and the credit note's Product B (Sub, a child of Goods); not C (Misc)
        self.assertEqual(lines.move_id, invoice | refund)
        self.assertEqual(set(lines.mapped("product_id").ids), {self.prod_a.id, self.prod_b.id})
        self._refresh(target)
        self.assertEqual(target.actual_value, 70.0)  # 100 - 30

    def test_new_customers_and_customer_type(self):
        """A first order in January makes a new customer; a customer who ordered before
        2026 is an existing one."""
        old = self._partner("CST Old Customer")
        self._order(old, [(self.prod_a, 1, 10.0)], "2025-06-01")
        again = self._order(old, [(self.prod_a, 1, 20.0)], "2026-01-05")
        first = self._order(self.cust_nv, [(self.prod_a, 1, 30.0)], "2026-01-06")
        second = self._order(self.cust_nv, [(self.prod_a, 1, 40.0)], "2026-01-07")
        self.assertEqual(self._ids(self._target(self.kpi_new_customers, JAN))[1] & {again.id, first.id, second.id},
                         {first.id})
        existing = self._target(self.kpi_ordered, JAN, customer_type="existing")
        self.assertEqual(self._ids(existing)[1] & {again.id, first.id, second.id}, {again.id})
        new = self._target(self.kpi_ordered, JAN, customer_type="new")
        self.assertEqual(self._ids(new)[1] & {again.id, first.id, second.id}, {first.id, second.id})

    def test_leads_and_kpi_filter(self):
        won = self._lead("Won", won="2026-01-20", revenue=500.0)
        february = self._lead("Won in February", won="2026-02-02", revenue=500.0)
        still_open = self._lead("Open", revenue=500.0)
        lost = self._lead("Lost", won="2026-01-21", revenue=500.0, lost=True)
        model, ids = self._ids(self._target(self.kpi_won, JAN))
        self.assertEqual(model, "crm.lead")
        self.assertEqual(ids & {won.id, february.id, still_open.id, lost.id}, {won.id})
        # the KPI's filter applies too: no won deal of January is above 1000
        kpi = self.kpi_won.copy({"code": "WON_BIG", "domain": "[('expected_revenue', '>', 1000)]"})
        self.assertFalse(self._ids(self._target(kpi, JAN))[1] & {won.id})

    def test_ratio_measure_lists_both_parts(self):
        """The win rate of January counts the won deal over the won and lost ones: both are
        its documents; the deal still open is not."""
        won = self._lead("Won", won="2026-01-20", revenue=500.0)
        lost = self._lead("Lost", revenue=500.0, lost=True)
        lost.date_closed = "2026-01-21 12:00:00"
        still_open = self._lead("Open", revenue=500.0)
        target = self._target(self.env.ref("crm_sales_target.kpi_win_rate"), JAN, value=50.0)
        model, ids = self._ids(target)
        self.assertEqual((model, ids & {won.id, lost.id, still_open.id}), ("crm.lead", {won.id, lost.id}))
        self._refresh(target)
        self.assertEqual(target.actual_value, 50.0)  # 1 won of 2 closed
