"""Classification of customers and loyalty signals, on hand-computed fixtures.

Today is 2026-06-15 (company in UTC), customers lapse after 6 months, tiers A = 80 %, B = 15 %.
The last 12 months run from 2025-06-16 to 2026-06-15. Confirmed orders (EUR, untaxed):

============  ===================================  =========  =====================================
customer      orders                               revenue    expected
                                                   12 months
============  ===================================  =========  =====================================
new (CA)      2026-01-01 300 (through a contact),  600        new (first order on the period's
              2026-03-01 200, 2026-05-01 100                  first day), A, 3 orders, repeat 66.67 %,
                                                              1 month since, region West
old (NV)      2025-03-10 100 (outside the 12       200        existing, A (cumulative 60 % before
              months), 2026-02-01 200                         it), 1 order, repeat 0 %, 4 months,
                                                              retained, region US
edge          2025-12-16 150                       150        existing (5 months, one day short of
                                                              6), B (80 % before it), not retained
lapsed        2025-08-01 25, 2025-12-15 25         50         lapsed (exactly 6 months), C (95 %
                                                              before it), 2 orders, repeat 50 %,
                                                              not retained
potential     none; a lead on 2026-03-01           0          potential, no tier
nobody        a cancelled order only               0          no classification
============  ===================================  =========  =====================================

Total revenue 1000. Last year's customers: old, edge, lapsed; of them, old ordered this year:
retention 1 / 3 = 33.33 %. Repeat-order rate of the company: (2 + 0 + 0 + 1) / (3 + 1 + 1 + 2)
= 3 / 7 = 42.857 %.
"""

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import SalesTargetCase

TODAY = date(2026, 6, 15)


@tagged("post_install", "-at_install")
class TestCustomerClassification(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"sales_target_lapse_months": 6, "sales_target_tier_a_share": 80.0,
                           "sales_target_tier_b_share": 15.0})
        cls.p_new = cls._partner("CL New", country_id=cls.env.ref("base.us").id, state_id=cls.state_ca.id)
        cls.p_new_contact = cls.env["res.partner"].create({"name": "CL New Buyer", "parent_id": cls.p_new.id})
        cls.p_old = cls._partner("CL Old", country_id=cls.env.ref("base.us").id, state_id=cls.state_nv.id)
        cls.p_edge = cls._partner("CL Edge")
        cls.p_lapsed = cls._partner("CL Lapsed")
        cls.p_potential = cls._partner("CL Potential")
        cls.p_nobody = cls._partner("CL Nobody")

    def setUp(self):
        super().setUp()
        for partner, amount, when in (
                (self.p_new_contact, 300, "2026-01-01"), (self.p_new, 200, "2026-03-01"),
                (self.p_new, 100, "2026-05-01"),
                (self.p_old, 100, "2025-03-10"), (self.p_old, 200, "2026-02-01"),
                (self.p_edge, 150, "2025-12-16"),
                (self.p_lapsed, 25, "2025-08-01"), (self.p_lapsed, 25, "2025-12-15")):
            self._order(partner, [(self.prod_a, 1, amount)], when)
        self._order(self.p_nobody, [(self.prod_a, 1, 999)], "2026-04-01", state="cancel")
        # another company's order never counts for this one
        self._order(self.p_lapsed, [(self.prod_a, 1, 5000)], "2026-05-01", company=self.other_company)
        self.lead = self._lead("CL lead", partner=self.p_potential, created="2026-03-01")
        self.env["res.partner"]._sales_target_classify(self.company, today=TODAY)

    def _class(self, partner, company=None):
        partner = partner.with_company(company or self.company)
        return (partner.sales_target_customer_type, partner.sales_target_value_tier)

    def test_types_and_tiers(self):
        self.assertEqual(self._class(self.p_new), ("new", "a"))
        self.assertEqual(self._class(self.p_old), ("existing", "a"))
        self.assertEqual(self._class(self.p_edge), ("existing", "b"))
        self.assertEqual(self._class(self.p_lapsed), ("lapsed", "c"))
        self.assertEqual(self._class(self.p_potential), ("potential", False))
        self.assertEqual(self._class(self.p_nobody), (False, False))
        self.assertEqual(self.p_new.with_company(self.company).sales_target_classified_on, TODAY)
        self.assertFalse(self.p_nobody.with_company(self.company).sales_target_classified_on)

    def test_loyalty(self):
        new, old, edge, lapsed = (p.with_company(self.company)
                                  for p in (self.p_new, self.p_old, self.p_edge, self.p_lapsed))
        self.assertEqual((new.sales_target_revenue_12m, new.sales_target_order_count), (600.0, 3))
        self.assertAlmostEqual(new.sales_target_repeat_rate, 200 / 3, places=4)
        self.assertEqual((new.sales_target_last_order, new.sales_target_months_since_order), (date(2026, 5, 1), 1))
        self.assertFalse(new.sales_target_retention)
        self.assertEqual((old.sales_target_revenue_12m, old.sales_target_order_count,
                          old.sales_target_repeat_rate, old.sales_target_months_since_order,
                          old.sales_target_retention), (200.0, 1, 0.0, 4, "retained"))
        self.assertEqual((edge.sales_target_months_since_order, edge.sales_target_retention), (5, "not_retained"))
        self.assertEqual((lapsed.sales_target_order_count, lapsed.sales_target_repeat_rate,
                          lapsed.sales_target_months_since_order, lapsed.sales_target_retention),
                         (2, 50.0, 6, "not_retained"))
        self.assertAlmostEqual(self.company.sales_target_retention_rate, 100 / 3, places=4)
        self.assertAlmostEqual(self.company.sales_target_repeat_rate, 300 / 7, places=4)

    def test_region_and_per_company(self):
        self.assertEqual(self.p_new.with_company(self.company).sales_target_region_id, self.region_west)
        self.assertEqual(self.p_old.with_company(self.company).sales_target_region_id, self.region_us)
        # the other company sees its own classification: its first order of the lapsed
        # customer is this year's
        self.env["res.partner"]._sales_target_classify(self.other_company, today=TODAY)
        self.assertEqual(self._class(self.p_lapsed, self.other_company)[0], "new")
        self.assertEqual(self._class(self.p_lapsed), ("lapsed", "c"))

    def test_filters_and_group_bys(self):
        Partner = self.env["res.partner"].with_company(self.company)
        found = Partner.search([("sales_target_customer_type", "=", "lapsed"), ("id", "in", self._ids())])
        self.assertEqual(found, self.p_lapsed)
        groups = dict(Partner._read_group([("id", "in", self._ids())], ["sales_target_value_tier"], ["__count"]))
        self.assertEqual(groups, {"a": 2, "b": 1, "c": 1, False: 2})
        lead = self._lead("CL follow-up", partner=self.p_new_contact).with_company(self.company)
        self.assertEqual((lead.sales_target_customer_type, lead.sales_target_value_tier,
                          lead.sales_target_region_id), ("new", "a", self.region_west))
        Lead = self.env["crm.lead"].with_company(self.company)
        groups = dict(Lead._read_group([("id", "in", (lead | self.lead).ids)], ["sales_target_customer_type"],
                                       ["__count"]))
        self.assertEqual(groups, {"new": 1, "potential": 1})
        target = self._target(self.kpi_ordered, (date(2026, 1, 1), date(2026, 12, 31)), partner_id=self.p_old)
        target = target.with_company(self.company)
        self.assertEqual((target.partner_customer_type, target.partner_value_tier), ("existing", "a"))
        groups = dict(self.env["sales.target"].with_company(self.company)._read_group(
            [("id", "=", target.id)], ["partner_value_tier"], ["__count"]))
        self.assertEqual(groups, {"a": 1})

    def _ids(self):
        return (self.p_new | self.p_old | self.p_edge | self.p_lapsed | self.p_potential | self.p_nobody).ids

    def test_declassified_when_history_goes(self):
        self.lead.unlink()
        self.env["res.partner"]._sales_target_classify(self.company, today=TODAY)
        self.assertEqual(self._class(self.p_potential), (False, False))
        self.assertFalse(self.p_potential.with_company(self.company).sales_target_classified_on)
        self.assertEqual(self._class(self.p_new), ("new", "a"))

    def test_settings_checked(self):
        with self.assertRaisesRegex(ValidationError, "Value tiers"):
            self.company.sales_target_tier_b_share = 30.0
        with self.assertRaisesRegex(ValidationError, "Lapsed after"):
            self.company.sales_target_lapse_months = 0

    def test_classify_reserved_to_managers(self):
        rep = new_test_user(self.env, login="cl_rep", groups="sales_team.group_sale_salesman",
                            company_id=self.company.id, company_ids=self.company.ids)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(rep)._sales_target_classify(self.company)


@tagged("post_install", "-at_install")
class TestCustomerDemo(TransactionCase):
    """The demo customers, as installed: classified, with answers and complaints of every state."""

    def test_demo_customers(self):
        plan = self.env.ref("crm_sales_target.demo_sales_plan", raise_if_not_found=False)
        self.assertTrue(plan, "the demo plan is missing: did the demo data fail to install?")
        company = plan.company_id
        records = self.env["sales.target.satisfaction"].search([("company_id", "=", company.id)])
        partners = records.partner_id.with_company(company)
        self.assertEqual(set(records.mapped("kind")), {"csat", "nps"})
        self.assertTrue(all(partners.mapped("sales_target_customer_type")))
        self.assertTrue(all(partners.mapped("sales_target_classified_on")))
        complaints = self.env["sales.target.complaint"].search([("company_id", "=", company.id)])
        self.assertEqual(set(complaints.mapped("state")), {"open", "in_progress", "resolved", "cancelled"})
        self.assertTrue(complaints.filtered("is_overdue"))
        self.assertTrue(complaints.action_ids)

    def test_cron(self):
        self.env["res.partner"]._cron_sales_target_classify()
        self.assertTrue(self.env.ref("base.main_company").sales_target_classified_on)
