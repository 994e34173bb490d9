"""Arithmetic of the evaluation pack: periods, the targets a pack adds up, groups, trend.

Rows are plain dicts of target figures: ``id``, ``parent_id``, ``date_from``, ``date_to``,
``target_value``, ``actual_value`` and the dimension fields.
"""

import calendar
from datetime import date, timedelta

from . import periods


def quick_period(kind, today):
    """The last complete ``kind`` (``month``, ``quarter`` or ``year``) before ``today``:
    managers evaluate periods that are over.

    >>> quick_period("month", date(2026, 3, 15))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    >>> quick_period("quarter", date(2026, 1, 5))
    (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    >>> quick_period("year", date(2026, 7, 1))
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    """
    if kind == "year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    months = 3 if kind == "quarter" else 1
    index = today.year * 12 + today.month - 1
    start_index = index - index % months - months
    start = date(start_index // 12, start_index % 12 + 1, 1)
    end_index = start_index + months
    return start, date(end_index // 12, end_index % 12 + 1, 1) - timedelta(days=1)


def last_year(day):
    """The same day a year earlier (28 February for a 29th).

    >>> last_year(date(2028, 2, 29)), last_year(date(2026, 3, 31))
    (datetime.date(2027, 2, 28), datetime.date(2025, 3, 31))
    """
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))


def top_rows(rows):
    """The rows a pack adds up: those whose parent is not itself among ``rows`` (a parent
    and its sub-targets would count the same sales twice).

    >>> [r["id"] for r in top_rows([{"id": 1, "parent_id": None}, {"id": 2, "parent_id": 1},
    ...                             {"id": 3, "parent_id": 9}])]
    [1, 3]
    """
    ids = {row["id"] for row in rows}
    return [row for row in rows if row.get("parent_id") not in ids]


def by_dimension(rows, field):
    """The rows set on ``field`` that add up along it (their parent is not itself set on
    it among ``rows``), summed per value of ``field``: ``[(value, target, actual)]`` in the
    order first met.

    >>> rows = [{"id": 1, "parent_id": None, "user_id": None, "target_value": 100, "actual_value": 90},
    ...         {"id": 2, "parent_id": 1, "user_id": 7, "target_value": 60, "actual_value": 50},
    ...         {"id": 3, "parent_id": 1, "user_id": 8, "target_value": 40, "actual_value": 40},
    ...         {"id": 4, "parent_id": 2, "user_id": 7, "target_value": 60, "actual_value": 50},
    ...         {"id": 5, "parent_id": None, "user_id": 7, "target_value": 10, "actual_value": 20}]
    >>> by_dimension(rows, "user_id")
    [(7, 70, 70), (8, 40, 40)]
    """
    return [(key, sum(r["target_value"] for r in group), sum(r["actual_value"] for r in group))
            for key, group in adding_rows(rows, field).items()]


def adding_rows(rows, field):
    """``{value of field: [rows]}``: the rows set on ``field`` whose parent is not itself
    set on it among ``rows`` (those add up along the dimension), by value.

    >>> rows = [{"id": 1, "parent_id": None, "c": 3}, {"id": 2, "parent_id": 1, "c": 3}, {"id": 4, "c": None}]
    >>> {k: [r["id"] for r in v] for k, v in adding_rows(rows, "c").items()}
    {3: [1]}
    """
    set_ids = {row["id"] for row in rows if row.get(field)}
    groups = {}
    for row in rows:
        if row.get(field) and row.get("parent_id") not in set_ids:
            groups.setdefault(row[field], []).append(row)
    return groups


def months(date_from, date_to):
    """The calendar months of a period, clipped to it.

    >>> months(date(2026, 1, 15), date(2026, 3, 10))[1]
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    return periods.split(date_from, date_to, "month")


def prorate(rows, month_list):
    """Each month's share of the rows' targets, in proportion to the days of each row's
    period inside the month (a yearly target spread evenly over its days).

    >>> jan, feb = (date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28))
    >>> prorate([{"date_from": jan[0], "date_to": feb[1], "target_value": 590.0}], [jan, feb])
    [310.0, 280.0]
    """
    result = []
    for start, end in month_list:
        total = 0.0
        for row in rows:
            overlap = (min(end, row["date_to"]) - max(start, row["date_from"])).days + 1
            if overlap > 0:
                total += row["target_value"] * overlap / periods.days((row["date_from"], row["date_to"]))
        result.append(total)
    return result


def scale_to(values, total):
    """``values`` scaled so that they add up to ``total`` (a frozen figure whose monthly
    shape comes from the documents); spread evenly when they add up to nothing.

    >>> scale_to([1.0, 3.0], 200.0), scale_to([0.0, 0.0], 10.0)
    ([50.0, 150.0], [5.0, 5.0])
    """
    current = sum(values)
    if not values:
        return []
    if not current:
        return [total / len(values)] * len(values)
    return [value * total / current for value in values]
