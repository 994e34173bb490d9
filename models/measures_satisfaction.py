"""Satisfaction measures (handbook 7.2 and 9): CSAT, NPS, complaints and their resolution.

Registered into ``measures.MEASURES`` on import. Their figures are those of
``tools.satisfaction``, read from the prepared SQL of ``sales_target_satisfaction``; the
satisfaction records and complaints are dated by a plain date (no time zone), confirmed
orders (the complaint rate's denominator) by their order date in the company's time zone.

==================  ======================  ============  =========  =========  ==================
measure             numerator /             date          unit       direction  dimensions
                    denominator
==================  ======================  ============  =========  =========  ==================
avg_csat            sum of CSAT scores /    record date   score      higher     salesperson, team,
                    their count                                                 customer, region
nps                 promoters - detractors  record date   score      higher     as avg_csat
                    (100 each) / answers
complaint_count     complaints, cancelled   received on   count      lower      as avg_csat
                    ones left out
complaint_rate      complaints / confirmed  received on / percent    lower      as avg_csat
                    orders × 100            order date
resolution_median   median days to resolve  resolved on   days       lower      salesperson, team,
                    of resolved complaints                                      customer, region
==================  ======================  ============  =========  =========  ==================

None of them measures by product. The median is not additive: it is measured over each
target's exact period (a quarter's median is not an average of monthly medians), and each
target must read one group of complaints, so its cube groups by region rather than by state
and country (see ``ResolutionMedian.source``), and customer types, which split the rows by
customer, do not apply to it.
"""

from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from . import measures
from . import sales_target_satisfaction as sources
from .measures import Measure

_lt = LazyTranslate(__name__)

DIMENSIONS = ("user_id", "team_id", "partner_id", "state_id", "country_id")


class _SatisfactionMeasure(Measure):
    """Satisfaction records of one kind: the score's sum over the number of answers."""

    model = "sales.target.satisfaction"
    alias = "s"
    unit = "score"
    is_datetime = False
    ratio = True
    dimensions = DIMENSIONS
    kind = ""

    def source(self, env, dims=()):
        from_sql, where_sql = sources.satisfaction_source(self.kind)
        return from_sql, where_sql, "s"

    def date(self):
        return SQL("s.date")

    def company(self):
        return SQL("s.company_id")

    def denominator(self):
        return sources.count_value()

    def columns(self):
        return dict(sources.SATISFACTION_COLUMNS)


class AverageCsat(_SatisfactionMeasure):
    key = "avg_csat"
    label = _lt("Average customer satisfaction (CSAT, 1-5)")
    kind = "csat"

    def value(self):
        return sources.csat_value()


class NetPromoterScore(_SatisfactionMeasure):
    key = "nps"
    label = _lt("Net Promoter Score (share of promoters minus share of detractors)")
    kind = "nps"

    def value(self):
        # already 100 per promoter and -100 per detractor: the quotient is the score
        return sources.nps_value()


class _ComplaintMeasure(Measure):
    model = "sales.target.complaint"
    alias = "c"
    is_datetime = False
    direction = "lower"
    dimensions = DIMENSIONS

    def source(self, env, dims=()):
        from_sql, where_sql = sources.complaint_source()
        return from_sql, where_sql, "c"

    def date(self):
        return SQL("c.date")

    def company(self):
        return SQL("c.company_id")

    def columns(self):
        return dict(sources.COMPLAINT_COLUMNS)


class ComplaintCount(_ComplaintMeasure):
    key = "complaint_count"
    label = _lt("Customer complaints (count)")
    unit = "count"

    def value(self):
        return SQL("1")


class ComplaintRate(_ComplaintMeasure):
    """Complaints and confirmed orders in one source (``cr``): a complaint row counts 1 in the
    numerator, an order row 1 in the denominator, each with its own salesperson, team and
    customer, so that any target is measured from both over the same dimensions. An order's
    day is its local day in its company's time zone, as the order measures count it."""

    key = "complaint_rate"
    label = _lt("Complaints per 100 confirmed orders")
    unit = "percent"
    alias = "cr"
    ratio = True
    scale = 100.0

    def source(self, env, dims=()):
        complaints, counted = sources.complaint_source()
        orders, confirmed, order_date, _value = sources.order_count_source()
        return (
            SQL("""(SELECT c.id, 1 AS complaint, c.company_id, c.date AS day, c.user_id, c.team_id,
                           c.partner_id, cp.state_id, cp.country_id
                      FROM %(complaints)s WHERE %(counted)s
                    UNION ALL
                    SELECT so.id, 0, so.company_id,
                           ((%(order_date)s AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(rc.sales_target_tz, 'UTC'))::date,
                           so.user_id, so.team_id, p.commercial_partner_id, cp.state_id, cp.country_id
                      FROM %(orders)s JOIN res_company rc ON rc.id = so.company_id
                     WHERE %(confirmed)s) cr""",
                complaints=complaints, counted=counted, orders=orders, confirmed=confirmed, order_date=order_date),
            SQL("TRUE"),
            "cr",
        )

    def _source_for(self, env, dims, domain_sql):
        from_sql, where_sql, _alias = self.source(env, dims)
        if domain_sql:
            # the KPI filter is on complaints: it leaves the orders alone
            where_sql = SQL("(cr.complaint = 0 OR %s)", domain_sql)
        return from_sql, where_sql, self.value()

    def date(self):
        return SQL("cr.day")

    def company(self):
        return SQL("cr.company_id")

    def value(self):
        return SQL("cr.complaint")

    def denominator(self):
        return SQL("1 - cr.complaint")

    def document(self):
        # the complaints (0 for an order row, which opens nothing)
        return self.model, SQL("CASE WHEN cr.complaint = 1 THEN cr.id ELSE 0 END")

    def columns(self):
        return {"user_id": SQL("cr.user_id"), "team_id": SQL("cr.team_id"), "partner_id": SQL("cr.partner_id"),
                "state_id": SQL("cr.state_id"), "country_id": SQL("cr.country_id")}


class ResolutionMedian(_ComplaintMeasure):
    """The median of the days taken to resolve the complaints resolved in the period: a
    ratio of the median over 1 (0 over 0 without any), so that it is paced as a level, not
    as an amount that accumulates, and rolls up as an average; a group of several targets in
    a list reads the mean of their medians."""

    key = "resolution_median"
    label = _lt("Median days to resolve a complaint")
    unit = "days"
    ratio = True
    additive = False
    customer_types = ()

    def source(self, env, dims=()):
        from_sql, where_sql, alias = super().source(env, dims)
        where_sql = SQL("%s AND c.state = 'resolved' AND c.date_resolved IS NOT NULL", where_sql)
        if not measures.PLACE_DIMS & set(dims):
            return from_sql, where_sql, alias
        # A median cannot be summed over the states and countries of a region: every
        # complaint gets its region's first state (or, for a region of countries only, its
        # first country) instead of its own, so that the cube has one row per region, which
        # the region resolver maps back to that region (a state or country belongs to one
        # region per company).
        Region = env["sales.target.region"]
        states, countries = Region._fields["state_ids"], Region._fields["country_ids"]

        def member(field, value):
            return SQL("EXISTS (SELECT 1 FROM %s x WHERE x.%s = r.id AND x.%s = %s)",
                       SQL.identifier(field.relation), SQL.identifier(field.column1),
                       SQL.identifier(field.column2), value)

        by_state = member(states, SQL("cp.state_id"))
        from_sql = SQL("""%(from)s LEFT JOIN LATERAL (
                SELECT r.id FROM sales_target_region r
                 WHERE r.active AND (r.company_id = c.company_id OR r.company_id IS NULL)
                   AND (%(by_state)s OR %(by_country)s)
              ORDER BY %(by_state)s DESC, r.id LIMIT 1) reg ON TRUE
            LEFT JOIN LATERAL (
                SELECT (SELECT MIN(x.%(state)s) FROM %(state_rel)s x WHERE x.%(state_region)s = reg.id) AS state_id,
                       (SELECT MIN(y.%(country)s) FROM %(country_rel)s y WHERE y.%(country_region)s = reg.id)
                       AS country_id) rep ON TRUE""",
                       **{"from": from_sql}, by_state=by_state, by_country=member(countries, SQL("cp.country_id")),
                       state=SQL.identifier(states.column2), state_rel=SQL.identifier(states.relation),
                       state_region=SQL.identifier(states.column1), country=SQL.identifier(countries.column2),
                       country_rel=SQL.identifier(countries.relation),
                       country_region=SQL.identifier(countries.column1))
        return from_sql, where_sql, alias

    def date(self):
        return SQL("c.date_resolved")

    def value(self):
        return SQL("c.resolution_days")

    def denominator(self):
        return SQL("1")

    def aggregates(self, value_sql, local, date_from, date_to):
        return [SQL("COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY %s), 0)", value_sql),
                SQL("CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END")]

    def columns(self):
        return {**sources.COMPLAINT_COLUMNS, "state_id": SQL("rep.state_id"),
                "country_id": SQL("CASE WHEN rep.state_id IS NULL THEN rep.country_id END")}


for _measure in (AverageCsat(), NetPromoterScore(), ComplaintCount(), ComplaintRate(), ResolutionMedian()):
    measures.register(_measure)
