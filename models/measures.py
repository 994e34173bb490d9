"""The measures a KPI can use, each one SQL aggregation over a source of documents.

Every measure says which document date, salesperson, team, product, region and customer it
uses; the README lists the same table. A measure returns, in one query, the cube
``(period, company_id, <dims...>, value)`` that ``tools.cube.match`` sums per target; a
non-additive measure (``additive = False``) is aggregated over each target's exact period,
one query per distinct period.

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

The KPI library's ratio and non-additive measures (revenue growth, customer retention, win
rate, average deal size, average sales cycle, activities done) have their own table in
``measures_kpi.py``; any module adds measures with ``register``.

The region of a document is the region of its customer's state, else of its country (the
lead's own state and country for lead measures). Cancelled orders, draft or cancelled
invoices, archived leads and other companies' documents never count.
"""

from datetime import timedelta

from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import timezones

_lt = LazyTranslate(__name__)



class Measure:
    """One way of measuring: the SQL source and how its dimensions are read from it."""

    key = ""
    label = ""
    alias = ""  # the table alias of ``model`` in ``source``
    unit = "currency"
    model = ""  # the model whose records a KPI domain filters
    #: the document date is a datetime (UTC), counted in the company's time zone
    is_datetime = True
    #: the customer types a target of this measure may filter on
    customer_types = ("new", "existing", "potential")
    #: the dimensions the source carries; targets filtering on others are refused
    dimensions = ("user_id", "team_id", "product_id", "categ_id", "partner_id", "state_id", "country_id")
    #: the direction a new KPI of this measure takes
    direction = "higher"
    #: a ratio: ``value()`` is the numerator, ``denominator()`` the denominator; a target's
    #: actual is their sums' quotient times ``scale`` (0 when the denominator is 0), and any
    #: parent or group is measured from summed numerators and denominators
    ratio = False
    #: 100.0 for percentages, 1.0 for averages
    scale = 1.0
    #: False for figures that do not add up over months (distinct counts, medians): each
    #: target is then measured over its exact period (see ``aggregates``)
    additive = True

    def available(self, env):
        """Whether this measure can be used in ``env`` (e.g. its model is installed): an
        unavailable measure is not offered to KPIs and is never refreshed."""
        return True

    def source(self, env, dims=()):
        """``(from_sql, where_sql, alias)`` of the source rows, joining only what ``dims``
        need; ``alias`` has the ``id`` a KPI domain filters on."""
        raise NotImplementedError

    def partition(self, dim_sets):
        """Groups of dimension sets that are best measured together, one query each."""
        return [dim_sets]

    def planner_settings(self, dims):
        """PostgreSQL settings (``{name: value}``) for the cube by ``dims``, set for that
        query alone: what the planner cannot know about this source."""
        return {}

    def _source_for(self, env, dims, domain_sql):
        """``(from_sql, where_sql, value_sql)`` for a cube by ``dims``, the KPI filter applied."""
        from_sql, where_sql, _alias = self.source(env, dims)
        if domain_sql:
            where_sql = SQL("%s AND %s", where_sql, domain_sql)
        return from_sql, where_sql, self.value()

    def date(self):
        raise NotImplementedError

    def company(self):
        raise NotImplementedError

    def value(self):
        raise NotImplementedError

    def denominator(self):
        """SQL of a source row's denominator, for ratio measures."""
        raise NotImplementedError

    def aggregates(self, value_sql, local, date_from, date_to):
        """The aggregate SQL expressions of a cube row, ``[numerator]`` or ``[numerator,
        denominator]``: sums of ``value()`` and ``denominator()``. Non-additive measures
        override it (``local`` is the document's date in the companies' time zone, the
        cube covers exactly ``date_from``..``date_to``)."""
        sums = [SQL("COALESCE(SUM(%s), 0)", value_sql)]
        if self.ratio:
            sums.append(SQL("COALESCE(SUM(%s), 0)", self.denominator()))
        return sums

    def scan(self, date_from, date_to):
        """The days whose documents a cube of ``date_from``..``date_to`` reads (non-additive
        measures may look before the period)."""
        return date_from, date_to

    def scan_condition(self, start, end):
        """SQL on the source's indexed date column selecting the rows a cube of the document
        dates ``start`` (included) to ``end`` (excluded) may read, when ``date()`` is an
        expression the index cannot serve (a shifted date); ``None`` otherwise."""
        return None

    def columns(self):
        """dimension name -> SQL expression"""
        raise NotImplementedError

    def document(self):
        """``(model, SQL of its record id)``: the documents a user opens from a target's
        actual (the orders of order lines, for instance)."""
        return self.model, SQL.identifier(self.alias, "id")

    def local_date(self, tz):
        """SQL of the document's date in the time zone ``tz``, for grouping by day or month."""
        if not self.is_datetime or tz in (None, "", "UTC"):
            return self.date()
        return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)", self.date(), tz)

    def bounds(self, date_from, date_to, tz):
        """``(start, end)``: the document dates from ``start`` (included) to ``end`` (excluded)
        that fall in ``date_from``..``date_to`` in the time zone ``tz``."""
        if not self.is_datetime:
            return date_from, date_to + timedelta(days=1)
        return timezones.utc_bounds(date_from, date_to, tz)

    def cube_query(self, env, company_ids, date_from, date_to, dim_sets, granularity="month", domain=None,
                   tz="UTC", document=None):
        """One SQL query aggregating the source by period, company and each set of
        dimensions of ``dim_sets`` (a list of tuples of dimension names; a flat list of names
        is one set). Several sets share one scan of the source (``GROUPING SETS``).

        Datetimes (orders, leads) are bucketed in the days and months of ``tz``, the
        companies' time zone, as Odoo's reports show them; dates (invoices) as they are.

        ``granularity="period"`` (non-additive measures) aggregates the whole period into one
        row per group, dated ``date_from``.

        Returns ``(query, union)``: rows are ``(period, company_id, *union, value)`` (ratio
        measures: ``numerator, denominator``), plus a last column, the ``GROUPING`` mask over
        ``union``, when there are several sets; the dimensions a row is not grouped by are
        ``NULL`` in it.

        ``document`` (SQL, one set of dimensions only) adds a last dimension, the document
        each row comes from, named ``"document"`` at the end of ``union``.
        """
        if dim_sets and isinstance(dim_sets[0], str):
            dim_sets = [tuple(dim_sets)]
        dim_sets = [tuple(dims) for dims in dim_sets] or [()]
        union = sorted({d for dims in dim_sets for d in dims})
        domain_sql = None
        if domain:
            domain_sql = SQL("%s IN %s", SQL.identifier(self.alias, "id"),
                             filter_query(env, self.model, domain, company_ids).subselect())
        from_sql, where_sql, value_sql = self._source_for(env, set(union), domain_sql)
        exprs = self.columns()
        if document is not None:
            if len(dim_sets) > 1:
                raise ValueError("documents are listed for one set of dimensions at a time")
            exprs = {**exprs, "document": document}
            union = [*union, "document"]
        date = self.date()
        local = self.local_date(tz)
        if granularity == "period":
            # a constant: not grouped by
            period, grouped = SQL("%s::date", date_from), []
        else:
            period = SQL("date_trunc('month', %s)::date", local) if granularity == "month" \
                else SQL("(%s)::date", local)
            grouped = [period]
        start, end = self.bounds(*self.scan(date_from, date_to), tz)
        conditions = [
            where_sql,
            SQL("%s IN %s", self.company(), tuple(company_ids)),
            # on the column itself, so that its index and statistics serve
            SQL("%s >= %s", date, start),
            SQL("%s < %s", date, end),
        ]
        scan = self.scan_condition(start, end)
        if scan is not None:
            conditions.append(scan)
        selects = [period, self.company()] + [exprs[d] for d in union] + \
            self.aggregates(value_sql, local, date_from, date_to)
        if len(dim_sets) == 1:
            group = SQL(", ").join([*grouped, self.company()] + [exprs[d] for d in union])
        else:
            selects.append(SQL("GROUPING(%s)", SQL(", ").join(exprs[d] for d in union)))
            group = SQL("GROUPING SETS (%s)", SQL(", ").join(
                SQL("(%s)", SQL(", ").join([*grouped, self.company()] + [exprs[d] for d in dims]))
                for dims in dim_sets))
        query = SQL(
            "SELECT %s FROM %s WHERE %s GROUP BY %s",
            SQL(", ").join(selects), from_sql, SQL(" AND ").join(conditions), group,
        )
        return query, union


def filter_query(env, model, domain, company_ids):
    """The query of the records of ``model`` matching a KPI's ``domain``.

    The filter decides what counts for everyone alike: it is evaluated with the companies'
    restriction only, not with the record rules of whoever refreshes (a salesperson limited
    to their own documents, the cron), which would make the same KPI measure differently.
    Only the form of the query is built here; the aggregation reads the source tables
    itself, restricted to the targets' companies.
    """
    # sudo: only the WHERE clause is built here, nothing is read; the rows it selects are
    # aggregated for the targets' companies, which the refreshing user may refresh
    records = env[model].with_context(allowed_company_ids=list(company_ids), active_test=False).sudo()
    return records._where_calc(domain, active_test=False)


def grouping_mask(union, dims):
    """The ``GROUPING`` value of rows grouped by ``dims`` among ``union``: a bit set, from
    the left, for every column aggregated away.

    >>> grouping_mask(["categ_id", "team_id", "user_id"], ("user_id",))
    6
    """
    mask = 0
    for column in union:
        mask = (mask << 1) | (column not in dims)
    return mask


def _rate(alias):
    # sale.order.currency_rate is the company -> order currency rate at the order date,
    # as in sale.report (numeric: converting a million amounts to float costs more than it saves)
    rate = SQL.identifier(alias, "currency_rate")
    return SQL("COALESCE(NULLIF(%s, 0), 1)", rate)


PARTNER_DIMS = {"partner_id", "state_id", "country_id"}
LINE_DIMS = {"product_id", "categ_id"}
PLACE_DIMS = {"state_id", "country_id"}


class _SaleLineMeasure(Measure):
    model = "sale.order.line"
    alias = "sol"
    needs_product = False
    #: SQL of a line's amount in the order's currency, when the measure adds up per order
    order_amount = None

    def partition(self, dim_sets):
        if self.order_amount is None:
            return [dim_sets]
        by_order = [d for d in dim_sets if not LINE_DIMS & set(d)]
        by_line = [d for d in dim_sets if LINE_DIMS & set(d)]
        return [group for group in (by_order, by_line) if group]

    def planner_settings(self, dims):
        if self.order_amount is None or LINE_DIMS & set(dims):
            return {}
        # Each order's lines are added up through the addon's index on order lines (order,
        # subtotal, margin, flags: ``models/sale_order_line.py``), read in order, one order
        # after the other. With the memory of a refresh the planner prefers hashing the
        # whole table by order, which here takes half as long again as the bare GROUP BY.
        return {"enable_hashagg": "off"}

    def _source_for(self, env, dims, domain_sql):
        if self.order_amount is None or LINE_DIMS & dims:
            return super()._source_for(env, dims, domain_sql)
        # Cubes by order-level dimensions add up each order's lines first (one pass over the
        # lines, without joins), then convert each order's total at its rate: ten times fewer
        # rows reach the joins and the grouping.
        joins = [SQL("""(SELECT sol.order_id, SUM(%s) AS amount
                          FROM sale_order_line sol %s
                      GROUP BY sol.order_id) agg
                 JOIN sale_order so ON so.id = agg.order_id""",
                     self._counted(self.order_amount),
                     SQL("WHERE %s", domain_sql) if domain_sql else SQL())]
        if PARTNER_DIMS & dims:
            joins.append(SQL("JOIN res_partner p ON p.id = so.partner_id"))
        if PLACE_DIMS & dims:
            joins.append(SQL("JOIN res_partner cp ON cp.id = p.commercial_partner_id"))
        return SQL(" ").join(joins), SQL("so.state = 'sale'"), SQL("agg.amount / %s", _rate("so"))

    @staticmethod
    def _counted(amount):
        # sections, notes and down payments never count; testing them inside the sum rather
        # than in WHERE keeps PostgreSQL's fast aggregation path (several times faster here)
        return SQL("CASE WHEN sol.display_type IS NULL AND sol.is_downpayment IS NOT TRUE THEN %s END", amount)

    def source(self, env, dims=()):
        joins = [SQL("sale_order_line sol JOIN sale_order so ON so.id = sol.order_id")]
        if self.needs_product or "categ_id" in dims:
            joins.append(SQL("""LEFT JOIN product_product pp ON pp.id = sol.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"""))
        if PARTNER_DIMS & set(dims):
            joins.append(SQL("JOIN res_partner p ON p.id = so.partner_id"))
        if PLACE_DIMS & set(dims):
            joins.append(SQL("JOIN res_partner cp ON cp.id = p.commercial_partner_id"))
        return (
            SQL(" ").join(joins),
            SQL("so.state = 'sale'"),
            "sol",
        )

    def date(self):
        return SQL("so.date_order")

    def company(self):
        return SQL("so.company_id")

    def document(self):
        # the orders: a user reads orders, and every source shape of these measures joins them
        return "sale.order", SQL("so.id")

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
    order_amount = SQL("sol.price_subtotal")

    def value(self):
        return self._counted(SQL("sol.price_subtotal / %s", _rate("so")))


class GrossMargin(_SaleLineMeasure):
    key = "gross_margin"
    label = _lt("Gross margin (confirmed orders)")
    order_amount = SQL("COALESCE(sol.margin, 0)")

    def value(self):
        return self._counted(SQL("COALESCE(sol.margin, 0) / %s", _rate("so")))


class QuantitySold(_SaleLineMeasure):
    key = "quantity_sold"
    label = _lt("Quantity sold (confirmed orders, product unit)")
    unit = "quantity"
    needs_product = True

    def source(self, env, dims=()):
        from_sql, where_sql, alias = super().source(env, dims)
        return (
            SQL("""%s
                LEFT JOIN uom_uom u ON u.id = sol.product_uom
                LEFT JOIN uom_uom u2 ON u2.id = pt.uom_id""", from_sql),
            where_sql, alias,
        )

    def value(self):
        return self._counted(SQL("""CASE WHEN u.id IS NULL OR u2.id IS NULL OR u.factor = 0 THEN sol.product_uom_qty
                                         ELSE sol.product_uom_qty / u.factor * u2.factor END"""))


class InvoicedRevenue(Measure):
    key = "invoiced_revenue"
    label = _lt("Invoiced revenue (posted invoices minus credit notes)")
    model = "account.move.line"
    alias = "aml"
    is_datetime = False  # invoice_date is a plain date

    def source(self, env, dims=()):
        joins = [SQL("account_move_line aml JOIN account_move am ON am.id = aml.move_id")]
        if PLACE_DIMS & set(dims):
            joins.append(SQL("JOIN res_partner cp ON cp.id = am.commercial_partner_id"))
        if "categ_id" in dims:
            joins.append(SQL("""LEFT JOIN product_product pp ON pp.id = aml.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"""))
        return (
            SQL(" ").join(joins),
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
    alias = "l"
    unit = "count"
    dimensions = ("user_id", "team_id", "partner_id", "state_id", "country_id")

    def source(self, env, dims=()):
        joins = [SQL("crm_lead l")]
        if "partner_id" in dims:
            joins.append(SQL("LEFT JOIN res_partner p ON p.id = l.partner_id"))
        return (SQL(" ").join(joins), SQL("l.active"), "l")

    def company(self):
        return SQL("l.company_id")

    def columns(self):
        return {
            "user_id": SQL("l.user_id"), "team_id": SQL("l.team_id"),
            "partner_id": SQL("p.commercial_partner_id"),
            "state_id": SQL("l.state_id"), "country_id": SQL("l.country_id"),
        }


class _WonMeasure(_LeadMeasure):
    def source(self, env, dims=()):
        from_sql, where_sql, alias = super().source(env, dims)
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
    alias = "fo"
    # a customer's first order is never made by an existing customer
    customer_types = ("new", "potential")
    dimensions = ("user_id", "team_id", "partner_id", "state_id", "country_id")

    def source(self, env, dims=()):
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


def register(measure):
    """Add ``measure`` (an instance) to the measures KPIs can use, under its ``key``;
    other modules register theirs when imported (see ``models/measures_kpi.py``)."""
    MEASURES[measure.key] = measure
    return measure
