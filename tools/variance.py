"""Revenue variance against target split into volume, price and mix effects.

The standard three-way decomposition, by product category ``i`` with target quantities
``Qt_i`` at target prices ``Pt_i`` (``Rt_i = Qt_i × Pt_i``) and actual quantities ``Qa_i``
and revenue ``Ra_i`` (actual price ``Pa_i = Ra_i / Qa_i``):

* volume effect: ``(ΣQa − ΣQt) × P̄t``, the change of the total quantity at the target's
  average price ``P̄t = ΣRt / ΣQt``;
* mix effect: ``Σ Qa_i × Pt_i − ΣQa × P̄t``, what selling the actual quantity in the actual
  proportions instead of the target's proportions is worth at target prices;
* price effect: ``Σ (Pa_i − Pt_i) × Qa_i = ΣRa − Σ Qa_i × Pt_i``, selling at other prices.

Volume + mix + price = ``ΣRa − ΣRt``, the total variance. With money rounded to the
currency each category's price effect is computed last as its variance minus its two other
effects, and the totals are the sums of the rounded categories: the categories add up
exactly to the totals, and the three effects to the total variance.

The average price ``P̄t`` is taken over the categories with a target quantity only. A
category with no target quantity but sold in quantities (not planned) is valued at ``P̄t``;
a category without quantities on either side (services counted in money only) has only a
price (revenue) effect, nil when it is on plan.
"""

from typing import NamedTuple


class Line(NamedTuple):
    """One product category: ``key`` (any label), target quantity and revenue, actual
    quantity and revenue."""

    key: object
    target_qty: float
    target_revenue: float
    actual_qty: float
    actual_revenue: float


def _round(value, step):
    return round(round(value / step) * step, 10) if step else value


def decompose(lines, step=0.01):
    """``{"total", "volume", "price", "mix", "lines"}`` for ``lines`` (``Line`` tuples);
    amounts rounded to ``step`` (the currency's rounding) and ``volume + price + mix ==
    total`` exactly. ``lines`` of the result give each category's own volume (its quantity
    change at the average target price), mix and price effects. ``None`` when the target
    has no quantity at all (no volume to speak of).

    Two categories, target 10 × 100 + 10 × 50 = 1,500; sold 15 × 90 + 5 × 50 = 1,600:

    >>> r = decompose([Line("A", 10, 1000, 15, 1350), Line("B", 10, 500, 5, 250)])
    >>> r["total"], r["volume"], r["mix"], r["price"]
    (100.0, 0.0, 250.0, -150.0)
    >>> r["volume"] + r["mix"] + r["price"] == r["total"]
    True

    More sold in the planned mix at the planned prices: volume only.

    >>> r = decompose([Line("A", 10, 1000, 20, 2000), Line("B", 10, 500, 20, 1000)])
    >>> r["total"], r["volume"], r["mix"], r["price"]
    (1500.0, 1500.0, 0.0, 0.0)

    Thirds that do not round evenly still sum exactly:

    >>> r = decompose([Line("A", 3, 100, 7, 201), Line("B", 3, 200, 1, 77), Line("C", 0, 0, 2, 10)])
    >>> r["volume"] + r["mix"] + r["price"] == r["total"] == -12.0
    True
    >>> [(l["key"], l["volume"], l["mix"], l["price"]) for l in r["lines"]]
    [('A', 200.0, -66.67, -32.33), ('B', -100.0, -33.33, 10.33), ('C', 100.0, 0.0, -90.0)]
    >>> decompose([Line("A", 0, 100, 0, 120)]) is None
    True

    A category without quantities (services, 500 on plan) does not price the units of the
    others: A sells 12 instead of 10 at its planned 100 a unit, a volume effect of 200 only.

    >>> r = decompose([Line("A", 10, 1000, 12, 1200), Line("S", 0, 500, 0, 500)])
    >>> r["total"], r["volume"], r["mix"], r["price"]
    (200.0, 200.0, 0.0, 0.0)

    A on plan, S on plan, N sold without a plan (5 for 400): N's 5 units at the average
    price 1,000 / 10 = 100 are a volume of 500, sold for 100 less: price −100.

    >>> r = decompose([Line("A", 10, 1000, 10, 1000), Line("S", 0, 500, 0, 500), Line("N", 0, 0, 5, 400)])
    >>> r["total"], r["volume"], r["mix"], r["price"]
    (400.0, 500.0, 0.0, -100.0)
    >>> [(l["key"], l["volume"], l["mix"], l["price"]) for l in r["lines"]]
    [('A', 0.0, 0.0, 0.0), ('S', 0.0, 0.0, 0.0), ('N', 500.0, 0.0, -100.0)]
    """
    lines = [Line(*line) for line in lines]
    planned = [line for line in lines if line.target_qty]
    target_qty = sum(line.target_qty for line in planned)
    if not target_qty:
        return None
    # the average over the categories with a target quantity: the revenue of categories
    # without quantities (services) bought no units and must not price them
    average_price = sum(line.target_revenue for line in planned) / target_qty
    rows = []
    for line in lines:
        price = line.target_revenue / line.target_qty if line.target_qty else average_price
        volume = (line.actual_qty - line.target_qty) * average_price
        # this category's share of the mix: its quantity change at its own price rather than
        # at the average (the target's part is nil by definition of the average, kept per
        # line so that lines add up); nothing for a category without a target quantity
        mix = (line.actual_qty - line.target_qty) * (price - average_price)
        rows.append({"key": line.key, "target_qty": line.target_qty, "target_revenue": line.target_revenue,
                     "actual_qty": line.actual_qty, "actual_revenue": line.actual_revenue,
                     "variance": _round(line.actual_revenue - line.target_revenue, step),
                     "volume": _round(volume, step), "mix": _round(mix, step)})
        # the price effect ``Ra_i − Qa_i × Pt_i`` as the remainder, exact once rounded
        rows[-1]["price"] = _round(rows[-1]["variance"] - rows[-1]["volume"] - rows[-1]["mix"], step)
    # the totals: sums of the rounded rows, so that the rows add up to them
    totals = {key: _round(sum(row[key] for row in rows), step) for key in ("variance", "volume", "mix", "price")}
    return {"total": totals["variance"], "volume": totals["volume"], "mix": totals["mix"],
            "price": totals["price"], "lines": rows}

def scaled_quantities(target_revenue, last_year_qty, last_year_revenue):
    """Target quantity of a category without a quantity target: the target revenue at last
    year's average price in the same period (``0`` when there was no sale last year, the
    category then taking the average target price in ``decompose``).

    >>> scaled_quantities(1200.0, 10.0, 1000.0)  # 100 a unit last year
    12.0
    >>> scaled_quantities(1200.0, 0.0, 0.0)
    0.0
    """
    if not last_year_qty or not last_year_revenue:
        return 0.0
    return target_revenue / (last_year_revenue / last_year_qty)
