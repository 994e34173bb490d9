"""Calendar periods: splitting a date range into years, quarters, months or weeks."""

from datetime import date, timedelta

UNITS = ("year", "quarter", "month", "week")


def _next_start(day, unit):
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    months = {"year": 12, "quarter": 3, "month": 1}[unit]
    if unit == "year":
        return date(day.year + 1, 1, 1)
    if unit == "quarter":
        first_month = (day.month - 1) // 3 * 3 + 1
        month = first_month + months
    else:
        month = day.month + 1
    return date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def split(date_from, date_to, unit):
    """Consecutive ``(start, end)`` periods of ``unit`` covering ``date_from..date_to``,
    the first and last clipped to the range. Weeks start on Monday.

    >>> split(date(2026, 1, 15), date(2026, 4, 10), "month")[0]
    (datetime.date(2026, 1, 15), datetime.date(2026, 1, 31))
    >>> len(split(date(2026, 1, 1), date(2030, 12, 31), "year"))
    5
    >>> split(date(2026, 2, 1), date(2026, 7, 31), "quarter")[-1]
    (datetime.date(2026, 7, 1), datetime.date(2026, 7, 31))
    """
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r}")
    if date_from > date_to:
        raise ValueError("the start is after the end")
    periods = []
    start = date_from
    while start <= date_to:
        end = min(_next_start(start, unit) - timedelta(days=1), date_to)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


def days(period):
    """Days in a ``(start, end)`` period, both included.

    >>> days((date(2026, 2, 1), date(2026, 2, 28)))
    28
    """
    return (period[1] - period[0]).days + 1


def month_fractions(period):
    """``{month number: fraction of that calendar month inside period}``, for seasonal
    weighting of periods that are not whole months.

    >>> month_fractions((date(2026, 1, 16), date(2026, 2, 28)))
    {1: 0.5161290322580645, 2: 1.0}
    """
    fractions = {}
    for start, end in split(period[0], period[1], "month"):
        month_days = days((start.replace(day=1), _next_start(start, "month") - timedelta(days=1)))
        fractions[start.month] = fractions.get(start.month, 0.0) + days((start, end)) / month_days
    return fractions


def seasonal_weights(periods, indices):
    """Weight of each period: the seasonality indices of the months it covers, each in
    proportion to the part of the month inside the period.

    >>> seasonal_weights([(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 3, 31))],
    ...                  [2.0] + [1.0] * 11)
    [2.0, 2.0]
    """
    return [sum(indices[m - 1] * f for m, f in month_fractions(p).items()) for p in periods]
