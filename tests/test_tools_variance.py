"""Volume / mix / price decomposition: hand-computed cases with categories without quantities
or without a plan, and the rows adding up exactly to the totals."""

import random

from odoo.addons.crm_sales_target.tools.variance import Line, decompose


def _cents(value):
    return round(value * 100)


def test_services_do_not_price_the_units():
    # A: 10 planned at 100, 12 sold at 100 -> 2 more units at 100 = volume 200; S (500 of
    # services, no quantity) on plan: nothing
    r = decompose([Line("A", 10, 1000, 12, 1200), Line("S", 0, 500, 0, 500)])
    assert (r["total"], r["volume"], r["mix"], r["price"]) == (200.0, 200.0, 0.0, 0.0)
    assert [(row["key"], row["volume"], row["mix"], row["price"]) for row in r["lines"]] == [
        ("A", 200.0, 0.0, 0.0), ("S", 0.0, 0.0, 0.0)]


def test_unplanned_category_at_the_average_price():
    # A and S on plan; N not planned, 5 sold for 400: average price 1,000 / 10 = 100 (S has no
    # quantity), N's volume 5 x 100 = 500, its price 400 - 500 = -100; S still exactly 0
    r = decompose([Line("A", 10, 1000, 10, 1000), Line("S", 0, 500, 0, 500), Line("N", 0, 0, 5, 400)])
    assert (r["total"], r["volume"], r["mix"], r["price"]) == (400.0, 500.0, 0.0, -100.0)
    assert [(row["key"], row["volume"], row["mix"], row["price"]) for row in r["lines"]] == [
        ("A", 0.0, 0.0, 0.0), ("S", 0.0, 0.0, 0.0), ("N", 500.0, 0.0, -100.0)]


def test_rows_add_up_to_the_totals():
    rng = random.Random(20260101)
    for _case in range(2000):
        lines = [Line(i, rng.choice([0, rng.randint(1, 50)]), round(rng.uniform(0, 5000), 2),
                      rng.choice([0, rng.randint(1, 50)]), round(rng.uniform(0, 5000), 2))
                 for i in range(rng.randint(1, 6))]
        r = decompose(lines)
        if r is None:
            continue
        for key in ("volume", "mix", "price"):
            assert _cents(r[key]) == sum(_cents(row[key]) for row in r["lines"]), (lines, key)
        assert _cents(r["total"]) == sum(_cents(row["variance"]) for row in r["lines"]), lines
        assert _cents(r["volume"]) + _cents(r["mix"]) + _cents(r["price"]) == _cents(r["total"]), lines
        for row in r["lines"]:
            assert _cents(row["volume"]) + _cents(row["mix"]) + _cents(row["price"]) == _cents(row["variance"])
