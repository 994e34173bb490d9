from datetime import date, datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerTypes(TransactionCase):
    """New, existing and potential customers on a count measure and a revenue measure.

    January 2026, one team:
    * A had a lead in December 2025 and first buys on 10 January: new and potential;
    * B has no lead and first buys on 15 January: new only;
    * C bought in 2025 and buys again on 20 January: existing;
    * D's lead is from 5 January (inside the period) and D buys on 25 January: new only.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Customer Type Team"})
        cls.product = cls.env["product.product"].create({"name": "CT Widget", "taxes_id": [Command.clear()]})
        cls.a, cls.b, cls.c, cls.d = cls.env["res.partner"].create(
            [{"name": n} for n in ("CT A", "CT B", "CT C", "CT D")])
        for partner, amount, when in ((cls.a, 100.0, date(2026, 1, 10)), (cls.b, 200.0, date(2026, 1, 15)),
                                      (cls.c, 400.0, date(2025, 6, 1)), (cls.c, 800.0, date(2026, 1, 20)),
                                      (cls.d, 1600.0, date(2026, 1, 25))):
            order = cls.env["sale.order"].create({
                "partner_id": partner.id, "team_id": cls.team.id,
                "order_line": [Command.create({"product_id": cls.product.id, "price_unit": amount,
                                               "tax_id": [Command.clear()]})]})
            order.action_confirm()
            order.date_order = datetime.combine(when, datetime.min.time())
        leads = cls.env["crm.lead"].create([
            {"name": "A lead", "partner_id": cls.a.id, "team_id": cls.team.id},
            {"name": "D lead", "partner_id": cls.d.id, "team_id": cls.team.id},
        ])
        cls.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", ["2025-12-01 09:00", leads[0].id])
        cls.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", ["2026-01-05 09:00", leads[1].id])
        cls.env.invalidate_all()
        cls.plan = cls.env["sales.target.plan"].create({
            "name": "CT", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})

    def _actuals(self, kpi_xmlid, ctypes=(False, "new", "existing", "potential")):
        kpi = self.env.ref(kpi_xmlid)
        targets = self.env["sales.target"].create([{
            "plan_id": self.plan.id, "kpi_id": kpi.id, "team_id": self.team.id, "customer_type": ctype,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31), "target_value": 1.0,
        } for ctype in ctypes])
        targets._refresh_actuals(today=date(2026, 2, 1))
        return dict(zip([ctype or "all" for ctype in ctypes], targets.mapped("actual_value")))

    def test_new_customers_count(self):
        # new customers in January: A, B and D; of them only A was in the pipeline before
        self.assertEqual(self._actuals("crm_sales_target.kpi_new_customers", (False, "new", "potential")),
                         {"all": 3.0, "new": 3.0, "potential": 1.0})

    def test_existing_customers_refused_on_new_customers(self):
        # a first order is never an existing customer's: such a target would read 0 forever
        with self.assertRaisesRegex(ValidationError, "Customer Type of target .*would always read 0"):
            self._actuals("crm_sales_target.kpi_new_customers", ("existing",))
        target = self.env["sales.target"].create({
            "plan_id": self.plan.id, "kpi_id": self.env.ref("crm_sales_target.kpi_new_customers").id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31), "target_value": 1.0})
        with self.assertRaisesRegex(ValidationError, "Customer Type"):
            target.customer_type = "existing"
        target.customer_type = "potential"  # the conversion of the pipeline stays measurable

    def test_revenue_by_customer_type(self):
        # new: A 100 + B 200 + D 1600; existing: C 800; potential: A 100
        self.assertEqual(self._actuals("crm_sales_target.kpi_ordered_revenue"),
                         {"all": 2700.0, "new": 1900.0, "existing": 800.0, "potential": 100.0})

    def test_new_leads_by_customer_type(self):
        # D's lead is the only one created in January; D had no order before: new, not potential
        self.assertEqual(self._actuals("crm_sales_target.kpi_new_leads"),
                         {"all": 1.0, "new": 1.0, "existing": 0.0, "potential": 0.0})
