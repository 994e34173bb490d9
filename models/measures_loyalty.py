"""Customer loyalty as a measure for targets (handbook 7.3): the repeat-order rate.

Registered into ``measures.MEASURES`` on import. It is the classification's rate
(``tools.customer.repeat_rate``) over a target's period instead of the last 12 months: of the
confirmed orders of the period, the share that came after the same customer's first order of
the period, i.e. sum(n - 1) / sum(n) over each customer's order count n.

=================  =========================  ==========  ========  =========  ======================
measure            numerator / denominator    date        unit      direction  dimensions
=================  =========================  ==========  ========  =========  ======================
repeat_order_rate  orders after the           order date  percent   higher     salesperson, team,
                   customer's first of the                                     customer, region
                   period / all orders
=================  =========================  ==========  ========  =========  ======================

The count n is taken within the target's own scope: a salesperson's rate counts the orders
of each customer they sold to, after the first they sold that customer in the period. It is
not additive (a quarter is not the sum of its months: a customer's first order of March is a
repeat in the quarter when they ordered in January), so each target is measured over its
exact period.
"""

from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from . import measures
from .measures_kpi import _CustomerOrderMeasure

_lt = LazyTranslate(__name__)


class RepeatOrderRate(_CustomerOrderMeasure):
    key = "repeat_order_rate"
    label = _lt("Repeat-order rate: orders of customers who had ordered before in the period (%)")

    def aggregates(self, value_sql, local, date_from, date_to):
        # every order but each customer's first: sum(n) - (number of customers)
        return [SQL("COUNT(*) - COUNT(DISTINCT %s)", value_sql), SQL("COUNT(*)")]


measures.register(RepeatOrderRate())
