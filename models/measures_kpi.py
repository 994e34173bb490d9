"""The KPI library's measures: ratios (growth, retention, win rate, averages) and activities.

Registered into ``measures.MEASURES`` on import, like any module adding its own measures
(``measures.register``). A ratio measure's ``value()`` is its numerator and
``denominator()`` its denominator: a target, and any parent or group of targets, is measured
from their sums, never by averaging percentages. Retention is not additive (a customer is
counted once over the whole period): it is aggregated over each target's exact period.

================  ===================  =============  ========  =========  ==============  ================
measure           numerator /          date           unit      direction  dimensions      customer types
                  denominator
================  ===================  =============  ========  =========  ==============  ================
growth_rate       ordered revenue of   order date     percent   higher     as ordered      existing
                  the period minus     (last year's                        revenue
                  that of the same     shifted one
                  period last year /   year)
                  the latter
retention_rate    customers of the     order date     percent   higher     salesperson,    -
                  previous period of                                       team, region
                  the same length who
                  ordered again in
                  the period / those
                  customers
win_rate          won / (won + lost)   closing date   percent   higher     as won          all
                  opportunities                                            opportunities
avg_deal_size     expected revenue of  closing date   currency  higher     as won          all
                  won opportunities /                                      opportunities
                  their count
avg_sales_cycle   days from creation   closing date   days      lower      as won          all
                  to closing of won                                        opportunities
                  opportunities /
                  their count
activities_done   activities marked    date done      count     higher     salesperson     all
                  done on leads by                                         (author),
                  the salesperson                                          lead's team,
                  (the KPI filter                                          customer,
                  picks the type)                                          region
================  ===================  =============  ========  =========  ==============  ================

Lost opportunities are archived ones with probability 0 or a lost reason; their closing
date is the day they were lost. Retention groups customers by the dimensions of their
orders: a salesperson's retention counts the customers they sold to in the previous period
and sold to again in this one. A done activity is the message Odoo posts when an activity is
marked done (with its type), whether the activity is then deleted or kept archived
(``keep_done``): counting the messages counts each once.
"""

from datetime import timedelta

from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import periods
from . import measures
from .measures import PLACE_DIMS, Measure, _LeadMeasure, _rate, _SaleLineMeasure, _WonMeasure

_lt = LazyTranslate(__name__)
_ONE_DAY = timedelta(days=1)


class GrowthRate(_SaleLineMeasure):
    """Each counted line is read twice: on its own date (numerator +amount) and one year
    later (numerator -amount, denominator +amount), so that any period sums this year's
    revenue minus last year's over last year's."""

    key = "growth_rate"
    label = _lt("Revenue growth against the same period last year (%)")
    unit = "percent"
    ratio = True
    scale = 100.0
    # a customer new in the period had nothing last year: growth only reads for existing ones
    customer_types = ("existing",)

    def source(self, env, dims=()):
        from_sql, where_sql, alias = super().source(env, dims)
        return SQL("%s CROSS JOIN (VALUES (0), (1)) AS shift(years)", from_sql), where_sql, alias

    def _amount(self):
        return SQL("sol.price_subtotal / %s", _rate("so"))

    def value(self):
        return self._counted(SQL("CASE WHEN shift.years = 0 THEN %s ELSE -%s END", self._amount(), self._amount()))

    def denominator(self):
        return self._counted(SQL("CASE WHEN shift.years = 1 THEN %s ELSE 0 END", self._amount()))

    def date(self):
        return SQL("(so.date_order + make_interval(years => shift.years))")

    def scan_condition(self, start, end):
        # the shifted date is an expression: the order date itself bounds the scan, so that its
        # index serves (last year's orders count one year later)
        return SQL("so.date_order >= %s - interval '1 year' AND so.date_order < %s", start, end)

    def local_date(self, tz):
        # shifted by a year on the local calendar, as a reader compares months
        if tz in (None, "", "UTC"):
            return self.date()
        return SQL("(((so.date_order AT TIME ZONE 'UTC') AT TIME ZONE %s) + make_interval(years => shift.years))", tz)

    def bounds(self, date_from, date_to, tz):
        # a day wider: a shifted instant may fall on another local day than its UTC one (daylight
        # saving moves between years); the cube's days and months decide what counts
        return super().bounds(date_from - _ONE_DAY, date_to + _ONE_DAY, tz)


class _CustomerOrderMeasure(Measure):
    """A rate over the customers of confirmed orders: ``value()`` is the customer an order
    counts for (commercial entity, counted distinct by ``aggregates``); not additive."""

    unit = "percent"
    ratio = True
    scale = 100.0
    additive = False
    model = "sale.order"
    alias = "so"
    dimensions = ("user_id", "team_id", "partner_id", "state_id", "country_id")

    def source(self, env, dims=()):
        joins = [SQL("sale_order so JOIN res_partner p ON p.id = so.partner_id")]
        if PLACE_DIMS & set(dims):
            joins.append(SQL("JOIN res_partner cp ON cp.id = p.commercial_partner_id"))
        return SQL(" ").join(joins), SQL("so.state = 'sale'"), "so"

    def date(self):
        return SQL("so.date_order")

    def company(self):
        return SQL("so.company_id")

    def value(self):
        """The customer an order counts for (counted distinct, see ``aggregates``)."""
        return SQL("p.commercial_partner_id")

    def columns(self):
        return {"user_id": SQL("so.user_id"), "team_id": SQL("so.team_id"),
                "partner_id": SQL("p.commercial_partner_id"),
                "state_id": SQL("cp.state_id"), "country_id": SQL("cp.country_id")}


class RetentionRate(_CustomerOrderMeasure):
    key = "retention_rate"
    label = _lt("Customer retention: customers of the previous period who ordered again (%)")
    customer_types = ()
    dimensions = ("user_id", "team_id", "state_id", "country_id")

    def scan(self, date_from, date_to):
        return periods.previous(date_from, date_to)[0], date_to

    def aggregates(self, value_sql, local, date_from, date_to):
        before = SQL("(%s)::date < %s", local, date_from)
        during = SQL("(%s)::date >= %s", local, date_from)
        previous = SQL("COUNT(DISTINCT %s) FILTER (WHERE %s)", value_sql, before)
        # customers of both periods = of the previous + of this one - of either
        return [
            SQL("%s + COUNT(DISTINCT %s) FILTER (WHERE %s) - COUNT(DISTINCT %s)",
                previous, value_sql, during, value_sql),
            previous,
        ]


class WinRate(_LeadMeasure):
    key = "win_rate"
    label = _lt("Win rate: won / (won + lost) opportunities (%)")
    unit = "percent"
    ratio = True
    scale = 100.0

    def source(self, env, dims=()):
        from_sql, _where, alias = super().source(env, dims)
        return (
            SQL("%s LEFT JOIN crm_stage st ON st.id = l.stage_id", from_sql),
            SQL("""l.type = 'opportunity' AND l.date_closed IS NOT NULL
                AND ((l.active AND st.is_won)
                     OR (NOT l.active AND (l.probability = 0 OR l.lost_reason_id IS NOT NULL)))"""),
            alias,
        )

    def date(self):
        return SQL("l.date_closed")

    def value(self):
        return SQL("CASE WHEN l.active THEN 1 ELSE 0 END")

    def denominator(self):
        return SQL("1")


class AvgDealSize(_WonMeasure):
    key = "avg_deal_size"
    label = _lt("Average deal size (expected revenue of won opportunities)")
    unit = "currency"
    ratio = True

    def value(self):
        return SQL("COALESCE(l.expected_revenue, 0)")

    def denominator(self):
        return SQL("1")


class AvgSalesCycle(_WonMeasure):
    key = "avg_sales_cycle"
    label = _lt("Average sales cycle (days from creation to winning)")
    unit = "days"
    direction = "lower"
    ratio = True

    def value(self):
        return SQL("EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0")

    def denominator(self):
        return SQL("1")


class ActivitiesDone(Measure):
    key = "activities_done"
    label = _lt("Activities done on leads (the filter picks the type)")
    unit = "count"
    model = "mail.message"
    alias = "m"
    dimensions = ("user_id", "team_id", "partner_id", "state_id", "country_id")

    def source(self, env, dims=()):
        joins = [SQL("mail_message m JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id")]
        if "user_id" in dims:
            # the salesperson who marked it done: the user of the message's author
            joins.append(SQL("""LEFT JOIN LATERAL (SELECT u.id FROM res_users u WHERE u.partner_id = m.author_id
                                                 ORDER BY u.active DESC, u.id LIMIT 1) au ON TRUE"""))
        if "partner_id" in dims:
            joins.append(SQL("LEFT JOIN res_partner p ON p.id = l.partner_id"))
        return SQL(" ").join(joins), SQL("m.mail_activity_type_id IS NOT NULL"), "m"

    def date(self):
        return SQL("m.date")

    def company(self):
        return SQL("l.company_id")

    def value(self):
        return SQL("1")

    def columns(self):
        return {
            "user_id": SQL("au.id"), "team_id": SQL("l.team_id"),
            "partner_id": SQL("p.commercial_partner_id"),
            "state_id": SQL("l.state_id"), "country_id": SQL("l.country_id"),
        }


for _measure in (GrowthRate(), RetentionRate(), WinRate(), AvgDealSize(), AvgSalesCycle(), ActivitiesDone()):
    measures.register(_measure)
