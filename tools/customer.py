"""Customer type of a business document relative to a target period.

* ``existing``: the customer (commercial entity) had a confirmed sale order before the
  period started;
* ``new``: it had none before the period (its first confirmed order, if any, falls in or
  after the period);
* ``potential``: a ``new`` customer that was already in the pipeline (a lead or an
  opportunity created before the period started). Potential customers are therefore also
  new customers: a "potential" target measures the conversion of the existing pipeline.

The classification of a partner on a given day (``classify``) reads the same rules on the
history known that day, with the period starting on the first day of the current year; it adds
``lapsed``, an existing customer without orders for ``lapse_months`` months. On the first day
of a period, a partner's class is the customer type the measures give its orders in that
period (a lapsed customer counts as existing there). The value tier (``value_tiers``) and the
loyalty signals (``repeat_rate``, ``months_between``, ``retention_rate``) are the other
figures stored on partners.
"""

import calendar
from datetime import date, timedelta

NEW = "new"
EXISTING = "existing"
POTENTIAL = "potential"
LAPSED = "lapsed"


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


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` months, on the last day of the month when it is shorter.

    >>> add_months(date(2026, 3, 31), -1)
    datetime.date(2026, 2, 28)
    >>> add_months(date(2026, 1, 15), -12)
    datetime.date(2025, 1, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: date, later: date) -> int:
    """Full months from ``earlier`` to ``later`` (0 when ``later`` is less than a month after).

    >>> months_between(date(2026, 1, 15), date(2026, 3, 14))
    1
    >>> months_between(date(2026, 1, 15), date(2026, 3, 15))
    2
    >>> months_between(date(2026, 1, 31), date(2026, 2, 28))  # the last day of a shorter month
    1
    """
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def classify(today: date, first_order: date | None, last_order: date | None, first_lead: date | None,
             lapse_months: int) -> str | None:
    """The customer type of a partner on ``today``, given its history up to ``today``: its
    first and last confirmed orders and its first lead. The period is the current year.

    * no order ever: ``potential`` with a lead, else no type (a contact, not a customer);
    * ``lapsed``: ``lapse_months`` full months or more since the last order;
    * else the measures' rule (``matches``) for a period starting on 1 January: ``existing``
      with an order before it, ``new`` when the first order falls in it.

    >>> today = date(2026, 6, 15)
    >>> classify(today, None, None, None, 6) is None
    True
    >>> classify(today, None, None, date(2026, 5, 2), 6)
    'potential'
    >>> classify(today, date(2026, 1, 1), date(2026, 6, 1), None, 6)  # first order in the period
    'new'
    >>> classify(today, date(2025, 12, 31), date(2026, 6, 1), None, 6)
    'existing'
    >>> classify(today, date(2024, 3, 1), date(2025, 12, 15), None, 6)  # exactly 6 months
    'lapsed'
    >>> classify(today, date(2024, 3, 1), date(2025, 12, 16), None, 6)
    'existing'
    """
    if first_order is None:
        return POTENTIAL if first_lead is not None else None
    if last_order is not None and months_between(last_order, today) >= lapse_months:
        return LAPSED
    period_start = date(today.year, 1, 1)
    return EXISTING if matches(EXISTING, period_start, first_order, first_lead) else NEW


def value_tiers(revenues: dict, a_share: float, b_share: float) -> dict:
    """Tier ``"a"``, ``"b"`` or ``"c"`` of each key of ``revenues`` (key -> revenue over the
    last 12 months) by cumulative share of the total, largest first (ties by key).

    A key is in A while the keys ranked before it make less than ``a_share`` % of the total
    (so the one that reaches the threshold is still in A), in B while they make less than
    ``a_share + b_share`` %, else in C. Keys without positive revenue get no tier.

    >>> value_tiers({"p1": 50, "p2": 30, "p3": 10, "p4": 6, "p5": 4, "p6": 0}, 80, 15)
    {'p1': 'a', 'p2': 'a', 'p3': 'b', 'p4': 'b', 'p5': 'c'}
    >>> value_tiers({"p1": 60, "p2": 30, "p3": 10}, 80, 15)  # p2 crosses 80 %
    {'p1': 'a', 'p2': 'a', 'p3': 'b'}
    >>> value_tiers({}, 80, 15)
    {}
    """
    positive = sorted(((value, key) for key, value in revenues.items() if value and value > 0),
                      key=lambda item: (-item[0], str(item[1])))
    total = sum(value for value, _key in positive)
    tiers, before = {}, 0.0
    for value, key in positive:
        share = before * 100.0 / total
        tiers[key] = "a" if share < a_share else ("b" if share < a_share + b_share else "c")
        before += value
    return tiers


def repeat_rate(order_counts) -> float | None:
    """Repeat-order rate in %: of the orders of the last 12 months, the share that came after
    the customer's first order of those 12 months, i.e. sum(n - 1) / sum(n) over the order
    counts ``n`` of one customer (a list of one count) or of several. None without orders.

    >>> repeat_rate([4])
    75.0
    >>> repeat_rate([1])
    0.0
    >>> repeat_rate([4, 1, 5])  # (3 + 0 + 4) / 10
    70.0
    >>> repeat_rate([0]) is None
    True
    """
    counts = [n for n in order_counts if n > 0]
    total = sum(counts)
    if not total:
        return None
    return (total - len(counts)) * 100.0 / total


def retention_rate(last_year, this_year) -> float | None:
    """Retention of last year's customers in %: of the customers who ordered last year, the
    share who ordered again this year (to date). None when nobody ordered last year.

    >>> retention_rate({1, 2, 3, 4}, {2, 4, 9})
    50.0
    >>> retention_rate(set(), {1}) is None
    True
    """
    last_year = set(last_year)
    if not last_year:
        return None
    return len(last_year & set(this_year)) * 100.0 / len(last_year)


def window_start(today: date, months: int = 12) -> date:
    """First day of the last ``months`` months ending on ``today`` (both included).

    >>> window_start(date(2026, 6, 15))
    datetime.date(2025, 6, 16)
    """
    return add_months(today, -months) + timedelta(days=1)
