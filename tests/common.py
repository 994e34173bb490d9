"""Shared fixtures for the tests of crm_sales_target.

``SalesTargetCase`` builds, once per test class, an isolated company ("CST Test Co", in EUR,
with its own chart of accounts and its own CHF rates) holding its own salespeople, sales
teams, customers, products, product categories, regions and a yearly 2026 plan. Nothing of
Odoo's demo data is measured: every document a test measures is created by the test with
the helpers below, so that expected actuals can be computed by hand.

Fixture summary (see ``setUpClass``):

* ``company`` (EUR), ``other_company`` (the main company, a second company whose documents
  must never count);
* ``chf``: CHF with company rates 1 EUR = 2 CHF from 2026-01-01 and 1 EUR = 4 CHF from
  2026-01-15 (so 1000 CHF on the 10th = 500 EUR, 1000 CHF on the 20th = 250 EUR);
* ``user_a``, ``user_b`` (salespeople of both companies), ``team_1``, ``team_2`` (of
  ``company``), ``team_other`` (of ``other_company``);
* categories ``categ_goods`` > ``categ_sub`` (child), and ``categ_misc``; products
  ``prod_a`` (Goods, Units, cost 60), ``prod_b`` (Sub, Units, cost 30), ``prod_c`` (Misc,
  cost 5); no taxes on products;
* regions ``region_west`` (the state of California) and ``region_us`` (the country United
  States), so California belongs to West, any other US state to US;
* customers ``cust_ca`` (California, with a contact ``cust_ca_contact``), ``cust_nv``
  (Nevada), ``cust_fr`` (France, no region), all shared between companies;
* ``plan``: 2026-01-01 → 2026-12-31 of ``company``; the KPIs of the module's data.
"""

from datetime import date

from odoo import Command, fields
from odoo.tests import TransactionCase
from odoo.tools import SQL

JAN = (date(2026, 1, 1), date(2026, 1, 31))
FEB = (date(2026, 2, 1), date(2026, 2, 28))
MAR = (date(2026, 3, 1), date(2026, 3, 31))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def dt(value):
    """``"2026-01-10"`` (noon) or ``"2026-01-10 08:00:00"`` -> datetime (UTC, as stored)."""
    if len(value) == 10:
        value += " 12:00:00"
    return fields.Datetime.to_datetime(value)


class SalesTargetCase(TransactionCase):
    """An isolated company with everything needed to create documents and targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.other_company = env.ref("base.main_company")
        cls.eur = env.ref("base.EUR")
        cls.chf = env.ref("base.CHF")
        (cls.eur + cls.chf).active = True

        cls.company = env["res.company"].create({
            "name": "CST Test Co", "currency_id": cls.eur.id, "country_id": env.ref("base.be").id,
            # documents are dated in UTC below; time zones have tests of their own
            "sales_target_tz": "UTC",
        })
        env.user.company_ids = [Command.link(cls.company.id)]
        env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.company.currency_id = cls.eur  # the chart may have set its own currency
        # the company's own rates only: the main company's demo rates do not apply here
        env["res.currency.rate"].create([
            {"name": "2026-01-01", "rate": 2.0, "currency_id": cls.chf.id, "company_id": cls.company.id},
            {"name": "2026-01-15", "rate": 4.0, "currency_id": cls.chf.id, "company_id": cls.company.id},
        ])
        cls.pricelist_eur, cls.pricelist_chf = env["product.pricelist"].create([
            {"name": "CST EUR", "currency_id": cls.eur.id, "company_id": cls.company.id, "sequence": 1},
            {"name": "CST CHF", "currency_id": cls.chf.id, "company_id": cls.company.id, "sequence": 2},
        ])
        cls.tax_15 = env["account.tax"].create({
            "name": "CST 15%", "amount": 15.0, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": cls.company.id,
        })

        salesman = env.ref("sales_team.group_sale_salesman")
        cls.user_a, cls.user_b = env["res.users"].with_context(no_reset_password=True).create([{
            "name": f"CST Salesperson {letter}", "login": f"cst_sales_{letter.lower()}",
            "email": f"cst_{letter.lower()}@example.com",
            "company_id": cls.company.id, "company_ids": [Command.set([cls.company.id, cls.other_company.id])],
            "groups_id": [Command.set([salesman.id])],
        } for letter in "AB"])
        cls.team_1, cls.team_2, cls.team_other = env["crm.team"].create([
            {"name": "CST Team 1", "company_id": cls.company.id},
            {"name": "CST Team 2", "company_id": cls.company.id},
            {"name": "CST Team Other", "company_id": cls.other_company.id},
        ])

        cls.uom_unit = env.ref("uom.product_uom_unit")
        cls.uom_dozen = env.ref("uom.product_uom_dozen")
        cls.categ_goods = env["product.category"].create({"name": "CST Goods"})
        cls.categ_sub = env["product.category"].create({"name": "CST Sub", "parent_id": cls.categ_goods.id})
        cls.categ_misc = env["product.category"].create({"name": "CST Misc"})
        Product = env["product.product"].with_company(cls.company)
        cls.prod_a, cls.prod_b, cls.prod_c = Product.create([{
            "name": name, "type": "consu", "categ_id": categ.id, "list_price": 100.0,
            "standard_price": cost, "uom_id": cls.uom_unit.id, "uom_po_id": cls.uom_unit.id,
            "taxes_id": [Command.clear()],
        } for name, categ, cost in (
            ("CST Product A", cls.categ_goods, 60.0),
            ("CST Product B", cls.categ_sub, 30.0),
            ("CST Product C", cls.categ_misc, 5.0),
        )])

        us, fr = env.ref("base.us"), env.ref("base.fr")
        cls.state_ca, cls.state_nv = env.ref("base.state_us_5"), env.ref("base.state_us_23")
        cls.region_west, cls.region_us = env["sales.target.region"].create([
            {"name": "CST West", "company_id": cls.company.id, "state_ids": [Command.set(cls.state_ca.ids)]},
            {"name": "CST US", "company_id": cls.company.id, "country_ids": [Command.set(us.ids)]},
        ])
        Partner = env["res.partner"]
        cls.cust_ca, cls.cust_nv, cls.cust_fr = Partner.create([
            {"name": "CST Customer CA", "is_company": True, "country_id": us.id, "state_id": cls.state_ca.id},
            {"name": "CST Customer NV", "is_company": True, "country_id": us.id, "state_id": cls.state_nv.id},
            {"name": "CST Customer FR", "is_company": True, "country_id": fr.id},
        ])
        cls.cust_ca_contact = Partner.create({"name": "CST CA Buyer", "parent_id": cls.cust_ca.id,
                                              "type": "contact"})

        cls.plan = env["sales.target.plan"].create({
            "name": "CST 2026", "company_id": cls.company.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
        })
        cls.kpi_ordered = env.ref("crm_sales_target.kpi_ordered_revenue")
        cls.kpi_invoiced = env.ref("crm_sales_target.kpi_invoiced_revenue")
        cls.kpi_margin = env.ref("crm_sales_target.kpi_gross_margin")
        cls.kpi_qty = env.ref("crm_sales_target.kpi_quantity_sold")
        cls.kpi_won = env.ref("crm_sales_target.kpi_won_count")
        cls.kpi_won_revenue = env.ref("crm_sales_target.kpi_won_revenue")
        cls.kpi_leads = env.ref("crm_sales_target.kpi_new_leads")
        cls.kpi_new_customers = env.ref("crm_sales_target.kpi_new_customers")
        cls.won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)

    # ------------------------------------------------------------------ documents
    @classmethod
    def _partner(cls, name, **values):
        return cls.env["res.partner"].create({"name": name, "is_company": True, **values})

    def _order(self, partner, lines, when, *, user=None, team=None, currency=None, state="sale",
               company=None):
        """A sale order dated ``when`` (``"YYYY-MM-DD[ HH:MM:SS]"``), in ``state`` (draft,
        sale or cancel). ``lines``: tuples ``(product, qty, price_unit[, extra values])``;
        ``currency`` is ``self.chf`` or the company's currency."""
        company = company or self.company
        team = team if team is not None else (self.team_1 if company == self.company else self.team_other)
        values = {
            "partner_id": partner.id, "company_id": company.id,
            "user_id": (user or self.user_a).id, "team_id": team.id if team else False,
            "order_line": [Command.create(line if isinstance(line, dict) else {
                "product_id": line[0].id, "product_uom_qty": line[1], "price_unit": line[2],
                "tax_id": [Command.clear()], **(line[3] if len(line) > 3 else {}),
            }) for line in lines],
        }
        if company == self.company:
            values["pricelist_id"] = (self.pricelist_chf if currency == self.chf else self.pricelist_eur).id
        order = self.env["sale.order"].with_company(company).create(values)
        if state in ("sale", "cancel"):
            order.action_confirm()
        if state == "cancel":
            order._action_cancel()
        # confirming dates the order today: date it when the test wants it
        order.date_order = dt(when)
        self.assertEqual(order.state, state)
        return order

    def _invoice(self, partner, lines, when, *, move_type="out_invoice", user=None, team=None,
                 currency=None, post=True, company=None):
        """A customer invoice (or credit note) dated ``when``; ``lines``: tuples
        ``(product, qty, price_unit[, extra values])``."""
        company = company or self.company
        team = team if team is not None else (self.team_1 if company == self.company else self.team_other)
        move = self.env["account.move"].with_company(company).create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": when,
            "company_id": company.id, "currency_id": (currency or company.currency_id).id,
            "invoice_user_id": (user or self.user_a).id, "team_id": team.id if team else False,
            "invoice_line_ids": [Command.create({
                "product_id": line[0].id, "quantity": line[1], "price_unit": line[2],
                "tax_ids": [Command.clear()], **(line[3] if len(line) > 3 else {}),
            }) for line in lines],
        })
        if post:
            move.action_post()
        return move

    def _lead(self, name, *, partner=None, user=None, team=None, kind="opportunity", revenue=0.0,
              created=None, won=None, lost=False, company=None, **values):
        """A lead or opportunity, created on ``created``, won on ``won`` (closing date),
        lost (archived) if ``lost``."""
        company = company or self.company
        team = team or (self.team_1 if company == self.company else self.team_other)
        lead = self.env["crm.lead"].with_company(company).create({
            "name": name, "type": kind, "partner_id": partner.id if partner else False,
            "user_id": (user or self.user_a).id, "team_id": team.id, "company_id": company.id,
            "expected_revenue": revenue, **values,
        })
        if won:
            lead.action_set_won()
            self.assertTrue(lead.stage_id.is_won)
        if lost:
            lead.action_set_lost()
            self.assertFalse(lead.active)
        if won:
            # the closing date decides the period: set it after winning (and losing)
            lead.date_closed = dt(won)
        if created:
            self._set_create_date(lead, created)
        return lead

    def _set_create_date(self, records, when):
        records.flush_recordset()
        self.env.cr.execute(SQL("UPDATE %s SET create_date = %s WHERE id IN %s",
                                SQL.identifier(records._table), dt(when), tuple(records.ids)))
        records.invalidate_recordset(["create_date"])

    # ------------------------------------------------------------------ targets
    def _target(self, kpi, period, *, plan=None, value=1000.0, **dims):
        values = {"plan_id": (plan or self.plan).id, "kpi_id": kpi.id, "date_from": period[0],
                  "date_to": period[1], "target_value": value}
        for fname, record in dims.items():
            values[fname] = record.id if hasattr(record, "_name") else record
        return self.env["sales.target"].create(values)

    def _refresh(self, targets, today=date(2026, 12, 31)):
        targets._refresh_actuals(today=today)
        return targets

    def _actual(self, kpi, period, **dims):
        """The actual of one new target of ``kpi`` over ``period``, refreshed alone."""
        target = self._target(kpi, period, **dims)
        self._refresh(target)
        return target.actual_value

    def _actuals(self, specs, today=date(2026, 12, 31)):
        """Several targets refreshed together: ``specs`` are ``(kpi, period, dims)``;
        returns their actuals in order."""
        targets = self.env["sales.target"]
        for kpi, period, dims in specs:
            targets |= self._target(kpi, period, **dims)
        self._refresh(targets, today)
        return [t.actual_value for t in targets]
