"""Matching targets against an aggregated cube of source rows.

The models aggregate the source documents of one measure once, with one SQL query, into
rows ``(period, company_id, <dimension values...>, value)``. This module sums, for every
target, the rows that fall in its period and match its dimensions. Targets are grouped by
the set of dimensions they filter on; for each group the rows are indexed once by those
dimensions, with running totals by period, so that each target costs one dictionary
look-up and two bisections (plus a scan of its rows when it filters on customer type,
whose meaning depends on the target's own start date).
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from itertools import accumulate, product

from . import customer, dimensions

#: target filters matched by a key read from each row (see ``tools.dimensions``)
KEY_DIMENSIONS = dimensions.KEY_FIELDS

#: target filter -> cube columns it needs
REQUIRED_COLUMNS = dimensions.COLUMNS


def required_columns(targets):
    """Cube columns needed to match ``targets`` (besides period and company).

    >>> sorted(required_columns([{"user_id": 3}, {"region_id": 1, "user_id": False}]))
    ['country_id', 'state_id', 'user_id']
    """
    needed = set()
    for target in targets:
        for fname, columns in REQUIRED_COLUMNS.items():
            if target.get(fname):
                needed.update(columns)
    return needed


def _signature(target):
    return tuple(fname for fname in KEY_DIMENSIONS if target.get(fname))


class _Bucket:
    __slots__ = ("periods", "totals", "rows")

    def __init__(self, rows):
        rows.sort(key=lambda r: r[0])
        self.rows = rows
        self.periods = [r[0] for r in rows]
        self.totals = [0.0, *accumulate(r[1] for r in rows)]

    def total(self, date_from, date_to):
        lo = bisect_left(self.periods, date_from)
        hi = bisect_right(self.periods, date_to)
        return self.totals[hi] - self.totals[lo]

    def scan(self, date_from, date_to):
        lo = bisect_left(self.periods, date_from)
        hi = bisect_right(self.periods, date_to)
        return self.rows[lo:hi]


def match(rows, columns, targets, categ_ancestors=None, region_of=None, history=None):
    """Sum the cube ``rows`` for each target.

    :param rows: iterables ``(period, company_id, *dims, value)``; ``period`` is a date
        (the first day of a month or a day, matching the targets' granularity)
    :param columns: names of the ``dims`` columns, in row order
    :param targets: dicts with ``id``, ``company_id``, ``date_from``, ``date_to`` and the
        optional filters ``user_id``, ``team_id``, ``product_id``, ``product_categ_id``,
        ``region_id``, ``partner_id``, ``customer_type`` (falsy = no filter)
    :param categ_ancestors: category id -> ids of the category and all its parents
    :param region_of: ``(company_id, state_id, country_id) -> region id or None``
    :param history: ``(company_id, partner_id) -> (first_order, first_lead)`` dates
    :returns: ``{target id: total}``

    >>> from datetime import date
    >>> rows = [(date(2026, 1, 1), 1, 7, 100.0), (date(2026, 2, 1), 1, 7, 50.0),
    ...         (date(2026, 1, 1), 1, 8, 30.0)]
    >>> targets = [dict(id=1, company_id=1, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)),
    ...            dict(id=2, company_id=1, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), user_id=7)]
    >>> match(rows, ["user_id"], targets)
    {1: 130.0, 2: 150.0}
    """
    col = {name: i + 2 for i, name in enumerate(columns)}
    value_at = len(columns) + 2
    categ_ancestors = categ_ancestors or {}
    history = history or {}

    def row_key_parts(row, fname):
        if fname == "product_categ_id":
            categ = row[col["categ_id"]]
            return categ_ancestors.get(categ, (categ,)) if categ else ()
        if fname == "region_id":
            region = region_of(row[1], row[col["state_id"]], row[col["country_id"]]) if region_of else None
            return (region,) if region else ()
        value = row[col[REQUIRED_COLUMNS[fname][0]]]
        return (value,) if value else ()

    by_signature = defaultdict(list)
    for target in targets:
        by_signature[_signature(target)].append(target)

    result = {}
    for signature, group in by_signature.items():
        missing = {c for f in signature for c in REQUIRED_COLUMNS[f]} - set(col)
        if missing:
            raise ValueError(f"the cube lacks the columns {sorted(missing)}")
        need_partner = any(t.get("customer_type") for t in group)
        if need_partner and "partner_id" not in col:
            raise ValueError("the cube lacks the column partner_id needed by customer types")
        index = defaultdict(list)
        plain = [col[REQUIRED_COLUMNS[fname][0]] for fname in signature if fname in dimensions.PLAIN_KEY_FIELDS]
        if len(plain) == len(signature) and not need_partner:
            # each row has one key, read as it is: the common case, without the general
            # path's per-dimension calls (a refresh matches thousands of rows)
            for row in rows:
                dims = tuple(row[i] for i in plain)
                if all(dims):
                    index[(row[1], *dims)].append((row[0], float(row[value_at]), None))
        else:
            for row in rows:
                parts = [row_key_parts(row, fname) for fname in signature]
                entry = (row[0], float(row[value_at]), row[col["partner_id"]] if need_partner else None)
                for key in product(*parts):
                    index[(row[1], *key)].append(entry)
        buckets = {key: _Bucket(entries) for key, entries in index.items()}
        for target in group:
            key = (target["company_id"], *(target[fname] for fname in signature))
            bucket = buckets.get(key)
            if bucket is None:
                result[target["id"]] = 0.0
                continue
            ctype = target.get("customer_type")
            if not ctype:
                result[target["id"]] = bucket.total(target["date_from"], target["date_to"])
                continue
            total = 0.0
            for _period, value, partner in bucket.scan(target["date_from"], target["date_to"]):
                if not partner:
                    continue
                first_order, first_lead = history.get((target["company_id"], partner), (None, None))
                if customer.matches(ctype, target["date_from"], first_order, first_lead):
                    total += value
            result[target["id"]] = total
    return result
