"""The measures a KPI can use, each one SQL aggregation over a source of documents.

Every measure says which document date, salesperson, team, product, region and customer it
uses; the README lists the same table. A measure returns, in one query, the cube
``(period, company_id, <dims...>, value)`` that ``tools.cube.match`` sums per target.

==================  ====================  ==================  ====================  =====================
measure             source (counted)      date                salesperson / team    product / customer
==================  ====================  ==================  ====================  =====================
ordered_revenue     confirmed SO lines    order date          order's               line product /
                    untaxed, company                                                order's commercial
                    currency at order                                               partner
                    date
invoiced_revenue    posted customer       invoice date        invoice's             line product /
                    invoices minus                                                  invoice's commercial
                    credit notes                                                    partner
gross_margin        confirmed SO lines    order date          order's               as ordered_revenue
                    margin (sale_margin)
quantity_sold       confirmed SO lines    order date          order's               as ordered_revenue
                    in product UoM
won_count /         won opportunities     closing date        opportunity's         - / lead's commercial
won_revenue         (count / expected                                               partner
                    revenue)
new_leads           leads and             creation date       lead's                - / lead's commercial
                    opportunities                                                   partner
new_customers       customers whose       first order date    first order's         - / the customer
                    first confirmed
                    order falls in the
                    period
==================  ====================  ==================  ====================  =====================

The region of a document is the region of its customer's state, else of its country (the
lead's own state and country for lead measures). Cancelled orders, draft or cancelled
invoices, archived leads and other companies' documents never count.
"""

from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

#: unit of each measure: a KPI's unit must be the unit of its measure
UNITS = ("currency", "quantity", "count", "percent")


class Measure:
    """One way of measuring: the SQL source and how its dimensions are read from it."""

    key = ""
    label = ""
    unit = "currency"
    model = ""  # the model whose records a KPI domain filters
    #: the dimensions the source carries; targets filtering on others are refused
    dimensions = ("user_id", "team_id", "product_id", "categ_id", "partner_id", "state_id", "country_id")

    def source(self, env):
        """``(from_sql, where_sql, alias)`` of the source rows; ``alias`` has the ``id`` a
        KPI domain filters on."""
        raise NotImplementedError

    def date(self):
        raise NotImplementedError

    def company(self):
        raise NotImplementedError

    def value(self):
        raise NotImplementedError

    def columns(self):
        """dimension name -> SQL expression"""
        raise NotImplementedError

    def cube_query(self, env, company_ids, date_from, date_to, dims, granularity="month", domain=None):
        """One SQL query aggregating the source by period, company and ``dims``."""
        from_sql, where_sql, alias = self.source(env)
        exprs = self.columns()
        date = self.date()
        period = SQL("date_trunc('month', %s)::date", date) if granularity == "month" else SQL("(%s)::date", date)
        conditions = [
            where_sql,
            SQL("%s IN %s", self.company(), tuple(company_ids)),
            SQL("(%s)::date >= %s", date, date_from),
            SQL("(%s)::date <= %s", date, date_to),
        ]
        if domain:
            # the KPI's filter, not the record rules of whoever refreshes, decides what counts,
            # as in the rest of this aggregation
            subquery = env[self.model]._where_calc(domain, active_test=False)
            conditions.append(SQL("%s IN %s", SQL.identifier(alias, "id"), subquery.subselect()))
        selects = [period, self.company()] + [exprs[d] for d in dims] + [SQL("SUM(%s)", self.value())]
        group = SQL(", ").join(SQL(str(i + 1)) for i in range(len(dims) + 2))
        return SQL(
            "SELECT %s FROM %s WHERE %s GROUP BY %s",
            SQL(", ").join(selects), from_sql, SQL(" AND ").join(conditions), group,
        )


def _rate(alias):
    # sale.order.currency_rate is the company -> order currency rate at the order date,
    # as in sale.report
    return SQL("CASE COALESCE(%s, 0) WHEN 0 THEN 1.0 ELSE %s END",
               SQL.identifier(alias, "currency_rate"), SQL.identifier(alias, "currency_rate"))


class _SaleLineMeasure(Measure):
    model = "sale.order.line"

    def source(self, env):
        return (
            SQL("""sale_order_line sol
                JOIN sale_order so ON so.id = sol.order_id
                JOIN res_partner p ON p.id = so.partner_id
                JOIN res_partner cp ON cp.id = p.commercial_partner_id
                LEFT JOIN product_product pp ON pp.id = sol.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"""),
            SQL("so.state = 'sale' AND sol.display_type IS NULL AND sol.is_downpayment IS NOT TRUE"),
            "sol",
        )

    def date(self):
        return SQL("so.date_order")

    def company(self):
        return SQL("so.company_id")

    def columns(self):
        return {
            "user_id": SQL("so.user_id"), "team_id": SQL("so.team_id"),
            "product_id": SQL("sol.product_id"), "categ_id": SQL("pt.categ_id"),
            "partner_id": SQL("p.commercial_partner_id"),
            "state_id": SQL("cp.state_id"), "country_id": SQL("cp.country_id"),
        }


class OrderedRevenue(_SaleLineMeasure):
    key = "ordered_revenue"
    label = _lt("Ordered revenue (confirmed orders, untaxed)")

    def value(self):
        return SQL("sol.price_subtotal / %s", _rate("so"))


class GrossMargin(_SaleLineMeasure):
    key = "gross_margin"
    label = _lt("Gross margin (confirmed orders)")

    def value(self):
        return SQL("COALESCE(sol.margin, 0) / %s", _rate("so"))


class QuantitySold(_SaleLineMeasure):
    key = "quantity_sold"
    label = _lt("Quantity sold (confirmed orders, product unit)")
    unit = "quantity"

    def source(self, env):
        from_sql, where_sql, alias = super().source(env)
        return (
            SQL("""%s
                LEFT JOIN uom_uom u ON u.id = sol.product_uom
                LEFT JOIN uom_uom u2 ON u2.id = pt.uom_id""", from_sql),
            where_sql, alias,
        )

    def value(self):
        return SQL("""CASE WHEN u.id IS NULL OR u2.id IS NULL OR u.factor = 0 THEN sol.product_uom_qty
                      ELSE sol.product_uom_qty / u.factor * u2.factor END""")


class InvoicedRevenue(Measure):
    key = "invoiced_revenue"
    label = _lt("Invoiced revenue (posted invoices minus credit notes)")
    model = "account.move.line"

    def source(self, env):
        return (
            SQL("""account_move_line aml
                JOIN account_move am ON am.id = aml.move_id
                JOIN res_partner cp ON cp.id = am.commercial_partner_id
                LEFT JOIN product_product pp ON pp.id = aml.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"""),
            SQL("""am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                AND aml.display_type = 'product'"""),
            "aml",
        )

    def date(self):
        return SQL("am.invoice_date")

    def company(self):
        return SQL("am.company_id")

    def value(self):
        # balance is in company currency at the invoice's rate; revenue is on the credit side
        return SQL("-aml.balance")

    def columns(self):
        return {
            "user_id": SQL("am.invoice_user_id"), "team_id": SQL("am.team_id"),
            "product_id": SQL("aml.product_id"), "categ_id": SQL("pt.categ_id"),
            "partner_id": SQL("am.commercial_partner_id"),
            "state_id": SQL("cp.state_id"), "country_id": SQL("cp.country_id"),
        }


class _LeadMeasure(Measure):
    model = "crm.lead"
    unit = "count"
    dimensions = ("user_id", "team_id", "partner_id", "state_id", "country_id")

    def source(self, env):
        return (
            SQL("crm_lead l LEFT JOIN res_partner p ON p.id = l.partner_id"),
            SQL("l.active"),
            "l",
        )

    def company(self):
        return SQL("l.company_id")

    def columns(self):
        return {
            "user_id": SQL("l.user_id"), "team_id": SQL("l.team_id"),
            "partner_id": SQL("p.commercial_partner_id"),
            "state_id": SQL("l.state_id"), "country_id": SQL("l.country_id"),
        }


class _WonMeasure(_LeadMeasure):
    def source(self, env):
        from_sql, where_sql, alias = super().source(env)
        return (
            SQL("%s JOIN crm_stage st ON st.id = l.stage_id", from_sql),
            SQL("%s AND l.type = 'opportunity' AND st.is_won AND l.date_closed IS NOT NULL", where_sql),
            alias,
        )

    def date(self):
        return SQL("l.date_closed")


class WonCount(_WonMeasure):
    key = "won_count"
    label = _lt("Won opportunities (count)")

    def value(self):
        return SQL("1")


class WonRevenue(_WonMeasure):
    key = "won_revenue"
    label = _lt("Won opportunities (expected revenue)")
    unit = "currency"

    def value(self):
        return SQL("COALESCE(l.expected_revenue, 0)")


class NewLeads(_LeadMeasure):
    key = "new_leads"
    label = _lt("New leads and opportunities")

    def date(self):
        return SQL("l.create_date")

    def value(self):
        return SQL("1")


class NewCustomers(Measure):
    key = "new_customers"
    label = _lt("New customers (first confirmed order)")
    unit = "count"
    model = "sale.order"
    dimensions = ("user_id", "team_id", "partner_id", "state_id", "country_id")

    def source(self, env):
        # the first confirmed order of each customer (commercial entity) in each company
        return (
            SQL("""(SELECT DISTINCT ON (so.company_id, p.commercial_partner_id)
                        so.id, so.company_id, so.date_order, so.user_id, so.team_id,
                        p.commercial_partner_id AS partner_id, cp.state_id, cp.country_id
                   FROM sale_order so
                   JOIN res_partner p ON p.id = so.partner_id
                   JOIN res_partner cp ON cp.id = p.commercial_partner_id
                  WHERE so.state = 'sale'
               ORDER BY so.company_id, p.commercial_partner_id, so.date_order, so.id) fo"""),
            SQL("TRUE"),
            "fo",
        )

    def date(self):
        return SQL("fo.date_order")

    def company(self):
        return SQL("fo.company_id")

    def value(self):
        return SQL("1")

    def columns(self):
        return {
            "user_id": SQL("fo.user_id"), "team_id": SQL("fo.team_id"),
            "partner_id": SQL("fo.partner_id"),
            "state_id": SQL("fo.state_id"), "country_id": SQL("fo.country_id"),
        }


MEASURES = {m.key: m for m in (
    OrderedRevenue(), InvoicedRevenue(), GrossMargin(), QuantitySold(),
    WonCount(), WonRevenue(), NewLeads(), NewCustomers(),
)}


def get(key):
    return MEASURES[key]
