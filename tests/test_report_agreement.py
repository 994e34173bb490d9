from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReportAgreement(TransactionCase):
    """What Odoo's own reports call revenue and won deals is what the measures count."""

    def _target(self, kpi_xmlid, start, end, **dims):
        plan = self.env["sales.target.plan"].create({"name": "Agreement", "date_from": start, "date_to": end})
        target = self.env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": self.env.ref(kpi_xmlid).id, "date_from": start, "date_to": end,
            "target_value": 1.0, **dims})
        target._refresh_actuals()
        return target

    def _months(self):
        today = fields.Date.context_today(self.env.user)
        first = today.replace(day=1)
        return [(first - relativedelta(months=n), first - relativedelta(months=n - 1, days=1)) for n in (1, 2, 3)]

    def test_ordered_revenue_agrees_with_sale_report(self):
        company = self.env.company
        # sale.report groups datetimes in the reader's time zone: read it in the company's
        groups = self.env["sale.report"].with_context(tz=company.sales_target_tz)._read_group(
            [("state", "=", "sale"), ("company_id", "=", company.id)], ["date:month"], ["price_subtotal:sum"])
        by_month = {(month.year, month.month): total for month, total in groups}
        checked = 0
        for start, end in self._months():
            expected = by_month.get((start.year, start.month), 0.0)
            target = self._target("crm_sales_target.kpi_ordered_revenue", start, end)
            self.assertAlmostEqual(target.actual_value, expected, places=2, msg=f"{start}")
            checked += bool(expected)
        self.assertTrue(checked, "the demo data has orders in the last months")

    def test_won_deals_agree_with_crm(self):
        start, end = date(2000, 1, 1), fields.Date.context_today(self.env.user)
        won = self.env["crm.lead"].search_count([
            ("type", "=", "opportunity"), ("stage_id.is_won", "=", True), ("date_closed", "!=", False),
            ("company_id", "=", self.env.company.id), ("date_closed", "<=", datetime.combine(end, time.max))])
        self.assertTrue(won)
        self.assertEqual(self._target("crm_sales_target.kpi_won_count", start, end).actual_value, won)
