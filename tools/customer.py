"""Customer type of a business document relative to a target period.

* ``existing``: the customer (commercial entity) had a confirmed sale order before the
  period started;
* ``new``: it had none before the period (its first confirmed order, if any, falls in or
  after the period);
* ``potential``: a ``new`` customer that was already in the pipeline (a lead or an
  opportunity created before the period started). Potential customers are therefore also
  new customers: a "potential" target measures the conversion of the existing pipeline.
"""

from datetime import date

NEW = "new"
EXISTING = "existing"
POTENTIAL = "potential"


def matches(customer_type: str, period_start: date, first_order: date | None,
            first_lead: date | None) -> bool:
    """Whether a customer with the given history is of ``customer_type`` for a period
    starting on ``period_start``.

    >>> d = date(2026, 3, 1)
    >>> matches("existing", d, date(2026, 2, 28), None)
    True
    >>> matches("new", d, date(2026, 3, 1), None)
    True
    >>> matches("potential", d, date(2026, 3, 5), date(2026, 1, 10))
    True
    >>> matches("potential", d, None, date(2026, 3, 2))
    False
    """
    had_order = first_order is not None and first_order < period_start
    if customer_type == EXISTING:
        return had_order
    if customer_type == NEW:
        return not had_order
    if customer_type == POTENTIAL:
        return not had_order and first_lead is not None and first_lead < period_start
    raise ValueError(f"unknown customer type {customer_type!r}")
