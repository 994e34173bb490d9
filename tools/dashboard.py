"""Plain helpers of the targets dashboard and of the targets' titles: calendar periods
around a day, the kind of a period, compact amounts and running totals."""

import calendar
from datetime import date

PERIOD_KINDS = ("month", "quarter", "year")


def period_bounds(day, kind):
    """First and last day of the calendar ``kind`` (month, quarter or year) holding ``day``.

    >>> period_bounds(date(2026, 5, 17), "month")
    (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    >>> period_bounds(date(2026, 5, 17), "quarter")
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    >>> period_bounds(date(2026, 5, 17), "year")
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    """
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first = day.month if kind == "month" else day.month - (day.month - 1) % 3
    last = first if kind == "month" else first + 2
    return date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1])


def period_kind(date_from, date_to):
    """``"month"``, ``"quarter"`` or ``"year"`` when ``date_from → date_to`` is exactly one
    calendar month, quarter or year; else None.

    >>> period_kind(date(2026, 2, 1), date(2026, 2, 28))
    'month'
    >>> period_kind(date(2026, 4, 1), date(2026, 6, 30))
    'quarter'
    >>> period_kind(date(2026, 1, 1), date(2026, 12, 31))
    'year'
    >>> period_kind(date(2026, 2, 1), date(2026, 3, 31)) is None
    True
    """
    if not (date_from and date_to):
        return None
    for kind in PERIOD_KINDS:
        if period_bounds(date_from, kind) == (date_from, date_to):
            return kind
    return None


def months(date_from, date_to):
    """The first days of the months from ``date_from`` to ``date_to``.

    >>> months(date(2026, 11, 5), date(2027, 1, 1))
    [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]
    """
    result, day = [], date(date_from.year, date_from.month, 1)
    while day <= date_to:
        result.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return result


def cumulate(values):
    """Running totals of ``values``; None (no figure yet) stays None.

    >>> cumulate([1, 2, 3.5]), cumulate([1, None])
    ([1, 3, 6.5], [1, None])
    """
    total, result = 0, []
    for value in values:
        if value is None:
            result.append(None)
            continue
        total += value
        result.append(total)
    return result


def compact(value, cjk=False, decimal_point="."):
    """``value`` in a few characters: thousands (k), millions (M) and billions (B) with one
    decimal, or 万 (10⁴) and 亿 (10⁸) for Chinese and Japanese readers.

    >>> compact(1234567), compact(97), compact(12500), compact(-2000000)
    ('1.2M', '97', '12.5k', '-2M')
    >>> compact(1234567, cjk=True), compact(350000000, cjk=True), compact(9999, cjk=True)
    ('123.5万', '3.5亿', '9999')
    >>> compact(1500, decimal_point=",")
    '1,5k'
    """
    steps = ((1e8, "亿"), (1e4, "万")) if cjk else ((1e9, "B"), (1e6, "M"), (1e3, "k"))
    for size, suffix in steps:
        if abs(value) >= size:
            text = f"{value / size:.1f}".rstrip("0").rstrip(".")
            return text.replace(".", decimal_point) + suffix
    return f"{value:.0f}"
