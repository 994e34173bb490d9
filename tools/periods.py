"""Calendar periods: splitting a date range into years, quarters, months or weeks.

Years and quarters follow a fiscal year when its start ``(month, day)`` is given (a company
whose fiscal year ends on 31 March starts its years and first quarters on 1 April).
"""

import calendar
from datetime import date, timedelta

UNITS = ("year", "quarter", "month", "week")
#: the start of a calendar year, as a fiscal year start
CALENDAR_YEAR = (1, 1)


def fiscal_start(last_month, last_day):
    """``(month, day)`` a fiscal year starts on, from the month and day it ends on (as
    Accounting stores them on the company).

    >>> fiscal_start(3, 31), fiscal_start(12, 31), fiscal_start(2, 28)
    ((4, 1), (1, 1), (3, 1))
    """
    last_day = min(int(last_day), calendar.monthrange(2001, int(last_month))[1])
    start = date(2001, int(last_month), last_day) + timedelta(days=1)
    return start.month, start.day


def company_fiscal_start(company):
    """``(month, day)`` the fiscal year of ``company`` starts on: any object with
    Accounting's ``fiscalyear_last_month`` and ``fiscalyear_last_day`` (calendar years
    without them).

    >>> from types import SimpleNamespace
    >>> company_fiscal_start(SimpleNamespace(fiscalyear_last_month="3", fiscalyear_last_day=31))
    (4, 1)
    """
    last_month = getattr(company, "fiscalyear_last_month", None)
    if not last_month:
        return CALENDAR_YEAR
    return fiscal_start(last_month, getattr(company, "fiscalyear_last_day", None) or 31)


def _boundary(year, month, day):
    # a fiscal start on the 30th falls on the last day of a shorter month
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_start(day, unit, start=CALENDAR_YEAR):
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    if unit == "month":
        month = day.month + 1
        return date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    step = 12 if unit == "year" else 3
    year, month = day.year - 1, start[0]
    while True:
        boundary = _boundary(year, month, start[1])
        if boundary > day:
            return boundary
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def split(date_from, date_to, unit, fiscal_year_start=None):
    """Consecutive ``(start, end)`` periods of ``unit`` covering ``date_from..date_to``,
    the first and last clipped to the range. Weeks start on Monday; years and quarters on
    ``fiscal_year_start`` ``(month, day)`` and every three months after it (calendar years
    when absent).

    >>> split(date(2026, 1, 15), date(2026, 4, 10), "month")[0]
    (datetime.date(2026, 1, 15), datetime.date(2026, 1, 31))
    >>> len(split(date(2026, 1, 1), date(2030, 12, 31), "year"))
    5
    >>> split(date(2026, 2, 1), date(2026, 7, 31), "quarter")[-1]
    (datetime.date(2026, 7, 1), datetime.date(2026, 7, 31))

    A fiscal year from April to March:

    >>> quarters = split(date(2026, 4, 1), date(2027, 3, 31), "quarter", (4, 1))
    >>> [f"{a:%b}-{b:%b}" for a, b in quarters]
    ['Apr-Jun', 'Jul-Sep', 'Oct-Dec', 'Jan-Mar']
    >>> split(date(2026, 1, 1), date(2027, 12, 31), "year", (4, 1))[1]
    (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    """
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r}")
    if date_from > date_to:
        raise ValueError("the start is after the end")
    start_of_year = fiscal_year_start or CALENDAR_YEAR
    periods = []
    start = date_from
    while start <= date_to:
        end = min(_next_start(start, unit, start_of_year) - timedelta(days=1), date_to)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


def label(start, end, unit, fiscal_year_start=None):
    """Short name of a period: ``2026``, ``2026 Q1``, ``2026-01``; a fiscal year that does
    not start on 1 January is named by both its calendar years (``FY 2026/27``), its
    quarters counted from its start.

    >>> label(date(2026, 4, 1), date(2026, 6, 30), "quarter"), label(date(2026, 1, 1), date(2026, 1, 31), "month")
    ('2026 Q2', '2026-01')
    >>> label(date(2026, 4, 1), date(2027, 3, 31), "year", (4, 1))
    'FY 2026/27'
    >>> label(date(2027, 1, 1), date(2027, 3, 31), "quarter", (4, 1))
    'FY 2026/27 Q4'
    """
    fiscal = fiscal_year_start or CALENDAR_YEAR
    if unit == "month":
        return f"{start.year}-{start.month:02d}"
    if unit not in ("year", "quarter"):
        return f"{start} → {end}"
    if fiscal == CALENDAR_YEAR:
        year = str(start.year)
    else:
        first = start.year if (start.month, start.day) >= fiscal else start.year - 1
        year = f"FY {first}/{(first + 1) % 100:02d}"
    if unit == "year":
        return year
    months_in = (start.month - fiscal[0] - (start.day < fiscal[1])) % 12
    quarter = months_in // 3 + 1
    return f"{year} Q{quarter}"


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
        month_days = calendar.monthrange(start.year, start.month)[1]
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


def previous(date_from, date_to):
    """The period of the same length just before ``date_from``..``date_to``: as many whole
    months when the period is whole months, else as many days.

    >>> previous(date(2026, 1, 1), date(2026, 3, 31))
    (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    >>> previous(date(2026, 3, 1), date(2026, 3, 31))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    >>> previous(date(2026, 1, 10), date(2026, 1, 19))
    (datetime.date(2025, 12, 31), datetime.date(2026, 1, 9))
    """
    end = date_from - timedelta(days=1)
    if date_from.day == 1 and (date_to + timedelta(days=1)).day == 1:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        index = date_from.year * 12 + date_from.month - 1 - months
        return date(index // 12, index % 12 + 1, 1), end
    return date_from - timedelta(days=(date_to - date_from).days + 1), end
