"""Tests of tools/allocation.py and tools/seasonality.py: pure functions, no database.

Hand-computed examples first, then property tests (hypothesis), then bad input.
Amounts are compared in whole units of the rounding step (``round(x / step)``), which is how
the module itself guarantees that the parts of a total add up to it exactly.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.crm_sales_target.tools import allocation, seasonality
from odoo.addons.crm_sales_target.tools.allocation import AllocationError

NAN = float("nan")
INF = float("inf")


def units(values, step):
    return [round(x / step) for x in values]


# ---------------------------------------------------------------------------------------------
# normalise
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("weights", "expected"), [
    ([1, 1, 2], [0.25, 0.25, 0.5]),
    ([3], [1.0]),
    ([0, 3, 1], [0.0, 0.75, 0.25]),
    ([0.5, 0.5, 1.0, 2.0], [0.125, 0.125, 0.25, 0.5]),
])
def test_normalise(weights, expected):
    assert allocation.normalise(weights) == pytest.approx(expected)
    assert math.fsum(allocation.normalise(weights)) == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# largest_remainder
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("total", "weights", "expected"), [
    # 33.33… each: floors 33/33/33, the one unit left goes to the first of the tied remainders
    (100, [1, 1, 1], [34, 33, 33]),
    (10, [1, 1, 1], [4, 3, 3]),
    # exact 5 / 2.5 / 2.5: floors 5/2/2, the unit left to the first .5
    (10, [0.5, 0.25, 0.25], [5, 3, 2]),
    # exact 3.75 / 0 / 1.25: floors 3/0/1, the unit to the largest remainder (.75)
    (5, [3, 0, 1], [4, 0, 1]),
    # exact 1.25 / 3.75: floors 1/3, the unit to .75
    (5, [1, 3], [1, 4]),
    # exact shares: nothing to round
    (7, [1, 2, 4], [1, 2, 4]),
    # .5 each: two units left, to the first two ties
    (2, [1, 1, 1, 1], [1, 1, 0, 0]),
    (0, [1, 2], [0, 0]),
    (1, [0, 0, 5], [0, 0, 1]),
])
def test_largest_remainder(total, weights, expected):
    assert allocation.largest_remainder(total, weights) == expected


# ---------------------------------------------------------------------------------------------
# allocate
# ---------------------------------------------------------------------------------------------


def test_allocate_even_split_in_cents():
    assert allocation.allocate(100.0, [1, 1, 1]) == [33.34, 33.33, 33.33]
    # 5 cents in 3: 1.67 cents each → 2/2/1
    assert allocation.allocate(0.05, [1, 1, 1]) == [0.02, 0.02, 0.01]
    assert allocation.allocate(0.0, [1, 1, 1]) == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(("total", "weights", "expected"), [
    (1000.0, [1, 2, 3, 4], [100.0, 200.0, 300.0, 400.0]),
    # 6666.67 / 3333.33 cents → 6667 / 3333
    (100.0, [2, 1], [66.67, 33.33]),
    # 40 % / 0 % / 60 %
    (250.0, [0.4, 0, 0.6], [100.0, 0.0, 150.0]),
    # 1234.56 in 7 equal parts: 17636.57… cents each → 17637 ×4, 17636 ×3 (123456 cents)
    (1234.56, [1] * 7, [176.37] * 4 + [176.36] * 3),
])
def test_allocate_weights(total, weights, expected):
    assert allocation.allocate(total, weights) == expected


@pytest.mark.parametrize(("total", "weights", "locked", "expected"), [
    (100.0, [1, 1, 2], {0: 40.0}, [40.0, 20.0, 40.0]),
    # the rest (50) goes evenly over the two unlocked cells
    (100.0, [1, 1, 1], {1: 50.0}, [25.0, 50.0, 25.0]),
    # 90 - 10 = 80 over two cells of equal weight
    (90.0, [1, 1, 1], {0: 10.0}, [10.0, 40.0, 40.0]),
    # a locked cell's own weight does not matter
    (100.0, [0, 1, 1], {0: 30.0}, [30.0, 35.0, 35.0]),
    (100.0, [5, 1, 1], {0: 30.0}, [30.0, 35.0, 35.0]),
    # locking a cell at zero pushes everything to the others
    (100.0, [1, 1], {0: 0.0}, [0.0, 100.0]),
    # a lock taking the whole total leaves zero to the others (even with zero weights)
    (50.0, [1, 0], {0: 50.0}, [50.0, 0.0]),
    (50.0, [1, 1, 1], {2: 50.0}, [0.0, 0.0, 50.0]),
    # everything locked, adding up to the total
    (30.0, [1, 1], {0: 10.0, 1: 20.0}, [10.0, 20.0]),
    # 100 - 33.33 = 66.67 over two equal cells: 3334 / 3333 cents
    (100.0, [1, 1, 1], {1: 33.33}, [33.34, 33.33, 33.33]),
    (100.0, [1, 1, 1], {0: 33.33}, [33.33, 33.34, 33.33]),
])
def test_allocate_locks_and_redistribution(total, weights, locked, expected):
    locked_before = dict(locked)
    assert allocation.allocate(total, weights, locked=locked) == expected
    assert locked == locked_before  # the caller's dict is not touched


@pytest.mark.parametrize(("total", "weights", "locked", "expected"), [
    (12, [3, 1], None, [9, 3]),
    (10, [1, 1, 1], None, [4, 3, 3]),
    # exact 3.33 / 0 / 1.67: floors 3/0/1, the unit to .67
    (5, [2, 0, 1], None, [3, 0, 2]),
    # 7 - 5 = 2 over two equal cells
    (7, [1, 1, 1], {2: 5}, [1, 1, 5]),
    # 3 - 1 = 2 over weights 1:2 → exact 0.67 / 1.33, floors 0/1, the unit to .67
    (3, [1, 5, 2], {1: 1}, [1, 1, 1]),
    (0, [1, 1], None, [0, 0]),
])
def test_allocate_counts(total, weights, locked, expected):
    result = allocation.allocate(total, weights, step=1, locked=locked)
    assert result == expected
    assert all(isinstance(x, int) for x in result)


def test_allocate_rounds_the_total_and_locks_to_the_step():
    # 100.004 is 10000 cents; a lock of 10.001 is 1000 cents
    assert allocation.allocate(100.004, [1, 1], locked={0: 10.001}) == [10.0, 90.0]


@pytest.mark.parametrize(("step", "total", "expected"), [
    (0.05, 1.0, [0.35, 0.35, 0.3]),
    (0.5, 10.0, [3.5, 3.5, 3.0]),
    (0.25, 1.0, [0.5, 0.25, 0.25]),
    (0.001, 1.0, [0.334, 0.333, 0.333]),
    (10, 100, [40, 30, 30]),
])
def test_allocate_other_steps(step, total, expected):
    result = allocation.allocate(total, [1, 1, 1], step=step)
    assert result == pytest.approx(expected)
    assert sum(units(result, step)) == round(total / step)


def test_allocate_with_seasonality_weights():
    idx = [1.0] * 12
    idx[10], idx[11], idx[0] = 1.5, 2.0, 0.5  # Nov, Dec, Jan
    weights = seasonality.weights_for([11, 12, 1], idx)
    assert weights == [1.5, 2.0, 0.5]
    assert allocation.allocate(4000.0, weights) == [1500.0, 2000.0, 500.0]


# ---------------------------------------------------------------------------------------------
# ipf, round_matrix, allocate_matrix
# ---------------------------------------------------------------------------------------------


def assert_margins(matrix, row_totals, col_totals, abs_tol=1e-6):
    assert [math.fsum(row) for row in matrix] == pytest.approx(row_totals, abs=abs_tol)
    cols = [math.fsum(row[c] for row in matrix) for c in range(len(col_totals))]
    assert cols == pytest.approx(col_totals, abs=abs_tol)


def test_ipf_2x2_keeps_the_cross_ratio():
    # With m00 = x the margins give m01 = 4 - x, m10 = 5 - x, m11 = 1 + x; keeping the seed's
    # cross-ratio 1·3 / 1·1 = 3 means x(1 + x) = 3(4 - x)(5 - x), i.e. x² - 14x + 30 = 0,
    # so x = 7 - √19.
    m = allocation.ipf([[1, 1], [1, 3]], [4, 6], [5, 5])
    r = math.sqrt(19)
    expected = [[7 - r, r - 3], [r - 2, 8 - r]]
    for row, exp_row in zip(m, expected):
        assert row == pytest.approx(exp_row, abs=1e-7)
    assert_margins(m, [4, 6], [5, 5])


def test_ipf_2x2_even_seed_gives_row_times_column_over_total():
    m = allocation.ipf([[1, 1], [1, 1]], [30, 70], [40, 60])
    # r_i · c_j / T: 30·40/100, 30·60/100, 70·40/100, 70·60/100
    for row, exp_row in zip(m, [[12, 18], [28, 42]]):
        assert row == pytest.approx(exp_row, abs=1e-7)
    assert_margins(m, [30, 70], [40, 60])


def test_ipf_3x3_rank_one_seed():
    # A seed a_i·b_j carries no interaction, so the fit is r_i · c_j / T whatever a and b are.
    seed = [[a * b for b in (1, 5, 2)] for a in (3, 1, 7)]
    m = allocation.ipf(seed, [10, 20, 70], [50, 30, 20])
    expected = [[5, 3, 2], [10, 6, 4], [35, 21, 14]]
    for row, exp_row in zip(m, expected):
        assert row == pytest.approx(exp_row, abs=1e-7)
    assert_margins(m, [10, 20, 70], [50, 30, 20])


def test_ipf_3x3_zero_cells_stay_zero():
    # Zero diagonal; the margins are reachable (m01 = a, m02 = 3 - a, m10 = 3 - a, m12 = 1 + a,
    # m20 = 1 + a, m21 = 4 - a for any 0 < a < 3).
    m = allocation.ipf([[0, 1, 1], [1, 0, 1], [1, 1, 0]], [3, 4, 5], [4, 4, 4])
    assert m[0][0] == m[1][1] == m[2][2] == 0.0
    assert all(x >= 0 for row in m for x in row)
    assert_margins(m, [3, 4, 5], [4, 4, 4])
    a = m[0][1]
    assert 0 < a < 3
    for row, exp_row in zip(m, [[0, a, 3 - a], [3 - a, 0, 1 + a], [1 + a, 4 - a, 0]]):
        assert row == pytest.approx(exp_row, abs=1e-6)


def test_ipf_3x3_general_seed_margins():
    seed = [[2, 1, 1], [1, 3, 1], [1, 1, 4]]
    rows, cols = [120, 30, 50], [40, 100, 60]
    m = allocation.ipf(seed, rows, cols)
    assert_margins(m, rows, cols)
    assert all(x > 0 for row in m for x in row)
    # IPF keeps every cross-ratio of the seed: m00·m11 / (m01·m10) = 2·3 / (1·1)
    assert m[0][0] * m[1][1] / (m[0][1] * m[1][0]) == pytest.approx(6.0)
    assert m[1][1] * m[2][2] / (m[1][2] * m[2][1]) == pytest.approx(12.0)


def test_ipf_seeds_empty_rows_and_columns_evenly():
    m = allocation.ipf([[0, 0], [1, 1]], [2, 2], [2, 2])
    assert m == [[1.0, 1.0], [1.0, 1.0]]
    m = allocation.ipf([[0, 1], [0, 1]], [3, 3], [2, 4])
    assert_margins(m, [3, 3], [2, 4])
    # a zero total empties its row and column
    m = allocation.ipf([[1, 1], [1, 1]], [0, 4], [1, 3])
    assert m[0] == [0.0, 0.0]
    assert_margins(m, [0, 4], [1, 3])


@pytest.mark.parametrize(("matrix", "rows", "cols", "expected"), [
    # rows round to [1, 0] and [1, 0]; one unit moves back in the first row
    ([[0.5, 0.5], [0.5, 0.5]], [1, 1], [1, 1], [[0, 1], [1, 0]]),
    # already consistent after rounding each row
    ([[0.4, 0.6], [0.6, 0.4]], [1, 1], [1, 1], [[0, 1], [1, 0]]),
    ([[2.0, 3.0], [5.0, 0.0]], [5, 5], [7, 3], [[2, 3], [5, 0]]),
    # rows round to [2, 1] / [2, 1] (first .5 wins), col 0 has 4 for 3: the move costs
    # (1 - 1.5) + (1.5 - 2) = -1 in both rows and the first row wins
    ([[1.5, 1.5], [1.5, 1.5]], [3, 3], [3, 3], [[1, 2], [2, 1]]),
    # a zero row gets nothing
    ([[0.0, 0.0], [2.5, 2.5]], [0, 5], [3, 2], [[0, 0], [3, 2]]),
])
def test_round_matrix(matrix, rows, cols, expected):
    assert allocation.round_matrix(matrix, rows, cols) == expected


def test_allocate_matrix_hand_example():
    # ipf gives [[2.641, 1.359], [2.359, 3.641]] (see above); rows round to [3, 1] and [2, 4]
    assert allocation.allocate_matrix(10, [4, 6], [5, 5], seed=[[1, 1], [1, 3]], step=1) == [[3, 1], [2, 4]]


def test_allocate_matrix_even_seed_in_currency():
    m = allocation.allocate_matrix(100.0, [30.0, 70.0], [40.0, 60.0])
    assert m == [[12.0, 18.0], [28.0, 42.0]]


def test_allocate_matrix_exact_margins_in_cents():
    rows, cols = [50.0, 50.0], [33.33, 33.33, 33.34]
    m = allocation.allocate_matrix(100.0, rows, cols)
    assert [sum(units(row, 0.01)) for row in m] == [5000, 5000]
    assert [sum(units([row[c] for row in m], 0.01)) for c in range(3)] == [3333, 3333, 3334]
    # each cell within a cent of its fitted value 16.665 / 16.665 / 16.67
    for row in m:
        assert row == pytest.approx([16.665, 16.665, 16.67], abs=0.01 + 1e-9)


def test_allocate_matrix_exact_margins_with_a_sparse_seed():
    seed = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    rows, cols = [5.0, 3.0, 2.0], [2.0, 3.0, 5.0]
    m = allocation.allocate_matrix(10.0, rows, cols, seed=seed)
    assert [sum(units(row, 0.01)) for row in m] == [500, 300, 200]
    assert [sum(units([row[c] for row in m], 0.01)) for c in range(3)] == [200, 300, 500]
    assert all(x >= 0 for row in m for x in row)


def test_allocate_matrix_seed_zeros_that_cannot_fit_large_amounts():
    # Each row sold in one column only, but the totals need the other column too: IPF cannot
    # reach them with the seed's zeros, the rounding has to move 200 million units (cents);
    # it must do so in one go, not one unit at a time (which took hours).
    m = allocation.allocate_matrix(1e9, [6e8, 4e8], [4e8, 6e8], seed=[[1, 0], [0, 1]])
    assert m == [[4e8, 2e8], [0.0, 4e8]]
    m = allocation.allocate_matrix(
        3e8, [1e8, 1e8, 1e8], [2e8, 5e7, 5e7], seed=[[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert [sum(units(row, 0.01)) for row in m] == [10**10] * 3
    assert [sum(units([row[c] for row in m], 0.01)) for c in range(3)] == [2 * 10**10, 5 * 10**9, 5 * 10**9]
    assert all(x >= 0 for row in m for x in row)


def test_allocate_matrix_counts():
    m = allocation.allocate_matrix(7, [3, 4], [2, 2, 3], step=1)
    assert [sum(row) for row in m] == [3, 4]
    assert [sum(row[c] for row in m) for c in range(3)] == [2, 2, 3]
    assert all(isinstance(x, int) and x >= 0 for row in m for x in row)


# ---------------------------------------------------------------------------------------------
# seasonality
# ---------------------------------------------------------------------------------------------

# Monthly averages over the two years: 60, 80, 100 ×8, 120, 140 (mean month 100).
AVERAGES = [60, 80, 100, 100, 100, 100, 100, 100, 100, 100, 120, 140]
HISTORY_24 = {}
for _m, _avg in enumerate(AVERAGES, start=1):
    HISTORY_24[(2024, _m)] = _avg - 10.0 - _m  # different years, same average
    HISTORY_24[(2025, _m)] = _avg + 10.0 + _m


def test_seasonality_hand_computed():
    idx, fallback = seasonality.indices(HISTORY_24)
    assert fallback is False
    # raw = average / mean month: 0.6, 0.8, 1 ×8, 1.2, 1.4
    # shrunk halfway to 1 (smoothing 0.5): 0.8, 0.9, 1 ×8, 1.1, 1.2
    # 1-2-1 with wrap-around, e.g. Jan = (Dec 1.2 + 2·0.8 + Feb 0.9) / 4 = 0.925,
    # Dec = (Nov 1.1 + 2·1.2 + Jan 0.8) / 4 = 1.075; they already average 1
    expected = [0.925, 0.9, 0.975, 1, 1, 1, 1, 1, 1, 1.025, 1.1, 1.075]
    assert idx == pytest.approx(expected, abs=1e-12)
    assert math.fsum(idx) / 12 == pytest.approx(1.0)


def test_seasonality_without_shrinking():
    idx, fallback = seasonality.indices(HISTORY_24, smoothing=0)
    assert fallback is False
    # raw 0.6, 0.8, 1 ×8, 1.2, 1.4 → Jan (1.4 + 1.2 + 0.8) / 4 = 0.85, Feb (0.6 + 1.6 + 1) / 4 = 0.8,
    # Mar (0.8 + 2 + 1) / 4 = 0.95, Oct (1 + 2 + 1.2) / 4 = 1.05, Nov (1 + 2.4 + 1.4) / 4 = 1.2,
    # Dec (1.2 + 2.8 + 0.6) / 4 = 1.15
    expected = [0.85, 0.8, 0.95, 1, 1, 1, 1, 1, 1, 1.05, 1.2, 1.15]
    assert idx == pytest.approx(expected, abs=1e-12)


def test_seasonality_full_smoothing_is_flat():
    idx, fallback = seasonality.indices(HISTORY_24, smoothing=1)
    assert fallback is False
    assert idx == pytest.approx([1.0] * 12)


def test_seasonality_single_peak_spreads_to_neighbours():
    # one year, June at 12·100 - 11·50 = 650 and the other months 50: mean month 100,
    # raw 6.5 for June and 0.5 elsewhere; smoothing=0 keeps them;
    # June (0.5 + 13 + 0.5) / 4 = 3.5, May and July (0.5 + 1 + 6.5) / 4 = 2, the rest 0.5
    history = {(2025, m): 50.0 for m in range(1, 13)}
    history[(2025, 6)] = 650.0
    idx, fallback = seasonality.indices(history, smoothing=0)
    assert fallback is False
    assert idx == pytest.approx([0.5] * 4 + [2.0, 3.5, 2.0] + [0.5] * 5)


def test_seasonality_counts_zero_months_and_averages_per_month():
    # 18 months: Jan-Jun twice. Every month averages 100 except March (2024: 0, 2025: 200 →
    # still 100) and an empty July (0 → raw 0 with mean 1100/12).
    history = {(2024, m): 100.0 for m in range(1, 13)}
    history.update({(2025, m): 100.0 for m in range(1, 7)})
    history[(2024, 3)], history[(2025, 3)] = 0.0, 200.0
    history[(2024, 7)] = 0.0
    idx, fallback = seasonality.indices(history, smoothing=0)
    assert fallback is False
    mean = 1100 / 12
    raw = [100 / mean] * 12
    raw[6] = 0.0
    smoothed = [(raw[m - 1] + 2 * raw[m] + raw[(m + 1) % 12]) / 4 for m in range(12)]
    assert idx == pytest.approx([x / (sum(smoothed) / 12) for x in smoothed])
    assert idx[6] < idx[5] == idx[7] < idx[0]


@pytest.mark.parametrize("history", [
    {},
    {(2025, 1): 10.0},
    # 11 months with sales out of 24
    {**{(2024, m): 0.0 for m in range(1, 13)}, **{(2025, m): (100.0 if m < 12 else 0.0) for m in range(1, 13)}},
    # negative values and None do not count
    {**{(2025, m): 100.0 for m in range(1, 12)}, (2024, 12): -5.0, (2024, 11): None},
])
def test_seasonality_thin_history_falls_back_to_even(history):
    assert seasonality.indices(history) == ([1.0] * 12, True)


def test_seasonality_min_months_is_configurable():
    history = {(2025, m): 100.0 for m in range(1, 7)}
    assert seasonality.indices(history)[1] is True
    idx, fallback = seasonality.indices(history, min_months=6, smoothing=0)
    assert fallback is False
    # raw 2 for Jan-Jun and 0 after; smoothing makes Jun (2+4+0)/4 = 1.5, Jul 0.5, Dec 0.5, Jan 1.5
    assert idx == pytest.approx([1.5, 2, 2, 2, 2, 1.5, 0.5, 0, 0, 0, 0, 0.5])


def test_weights_for():
    idx = [1.0 + m / 100 for m in range(12)]
    assert seasonality.weights_for([1, 2], [2.0] + [1.0] * 11) == [2.0, 1.0]
    assert seasonality.weights_for([12, 1, 6], idx) == [idx[11], idx[0], idx[5]] == pytest.approx([1.11, 1.0, 1.05])
    assert seasonality.weights_for([], idx) == []


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------

PROPS = settings(max_examples=200, deadline=None)

#: (step, largest total in units): up to 10^9.00 in cents, up to 10^9 in counts
SCALES = [(0.01, 10**11), (1, 10**9)]

weight = st.one_of(
    st.just(0.0),
    st.integers(0, 1000).map(float),
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False),
)
weight_lists = st.lists(weight, min_size=1, max_size=12).filter(lambda ws: math.fsum(ws) > 0)


def amount(u, step):
    """The amount of ``u`` units as a caller would pass it."""
    return u if step == 1 else round(u * step, 2)


@st.composite
def allocation_cases(draw):
    step, max_units = draw(st.sampled_from(SCALES))
    weights = draw(weight_lists)
    total_units = draw(st.integers(0, max_units))
    n = len(weights)
    locked_units, left = {}, total_units
    for i in sorted(draw(st.sets(st.integers(0, n - 1), max_size=n))):
        locked_units[i] = draw(st.integers(0, left))
        left -= locked_units[i]
    return step, total_units, weights, locked_units


def exact_shares(total_units, weights):
    fractions = [Fraction(w) for w in weights]
    s = sum(fractions)
    return [Fraction(total_units) * f / s for f in fractions]


@PROPS
@given(allocation_cases())
def test_property_allocate(case):
    step, total_units, weights, locked_units = case
    locked = {i: amount(u, step) for i, u in locked_units.items()}
    rest = total_units - sum(locked_units.values())
    free = [i for i in range(len(weights)) if i not in locked]
    if rest and not free:
        with pytest.raises(AllocationError, match="every cell is locked"):
            allocation.allocate(amount(total_units, step), weights, step=step, locked=locked)
        return
    if rest and not any(weights[i] > 0 for i in free):
        with pytest.raises(AllocationError, match="no weight to take the rest"):
            allocation.allocate(amount(total_units, step), weights, step=step, locked=locked)
        return

    result = allocation.allocate(amount(total_units, step), weights, step=step, locked=locked)

    assert len(result) == len(weights)
    got = units(result, step)
    assert sum(got) == total_units  # exact, in whole units
    assert all(x >= 0 for x in result)
    if step == 1:
        assert all(isinstance(x, int) for x in result)
    for i, u in locked_units.items():
        assert got[i] == u
        assert result[i] == locked[i]  # not even a float hair's breadth away
    if any(weights[i] > 0 for i in free):
        for i in free:
            if weights[i] == 0:
                assert result[i] == 0
        # each unlocked cell is within one unit of its exact share of the rest
        shares = exact_shares(rest, [weights[i] for i in free])
        for i, share in zip(free, shares):
            assert abs(got[i] - share) < 1


@PROPS
@given(st.integers(0, 10**11), weight_lists)
def test_property_largest_remainder(total_units, weights):
    parts = allocation.largest_remainder(total_units, weights)
    assert sum(parts) == total_units
    assert all(isinstance(p, int) and p >= 0 for p in parts)
    for part, share, w in zip(parts, exact_shares(total_units, weights), weights):
        assert abs(part - share) < 1
        if w == 0:
            assert part == 0


@PROPS
@given(st.integers(0, 10**11), st.integers(1, 12))
def test_property_even_split(total_units, n):
    parts = allocation.largest_remainder(total_units, [1] * n)
    q, r = divmod(total_units, n)
    assert parts == [q + 1] * r + [q] * (n - r)


def split(draw, total, n):
    """``total`` cut into ``n`` non-negative whole parts."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:])]


POSITIVE_SEED = st.floats(min_value=0.01, max_value=1000.0)
SPARSE_SEED = st.one_of(st.just(0.0), st.integers(0, 3).map(float))


@st.composite
def matrix_cases(draw, seed_cell=POSITIVE_SEED):
    step, max_units = draw(st.sampled_from(SCALES))
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    total_units = draw(st.integers(0, max_units))
    row_units = split(draw, total_units, n_rows)
    col_units = split(draw, total_units, n_cols)
    seed = draw(st.lists(
        st.lists(seed_cell, min_size=n_cols, max_size=n_cols),
        min_size=n_rows, max_size=n_rows))
    return step, total_units, row_units, col_units, seed


def check_matrix(case):
    step, total_units, row_units, col_units, seed = case
    m = allocation.allocate_matrix(
        amount(total_units, step),
        [amount(u, step) for u in row_units],
        [amount(u, step) for u in col_units],
        seed=seed, step=step,
    )
    assert len(m) == len(row_units)
    assert all(len(row) == len(col_units) for row in m)
    got = [units(row, step) for row in m]
    assert [sum(row) for row in got] == row_units
    assert [sum(row[c] for row in got) for c in range(len(col_units))] == col_units
    assert all(x >= 0 for row in m for x in row)


@PROPS
@given(matrix_cases())
def test_property_allocate_matrix(case):
    check_matrix(case)


@PROPS
@given(matrix_cases(seed_cell=SPARSE_SEED))
def test_property_allocate_matrix_sparse_seed(case):
    """Zero seed cells (often unreachable margins): still exact, non-negative and quick."""
    check_matrix(case)


@PROPS
@given(st.dictionaries(
    st.tuples(st.integers(2018, 2026), st.integers(1, 12)),
    st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=1e9)),
    max_size=60,
), st.floats(min_value=0.0, max_value=1.0))
def test_property_seasonality(history, smoothing):
    idx, fallback = seasonality.indices(history, smoothing=smoothing)
    assert len(idx) == 12
    assert all(x >= 0 for x in idx)
    assert math.fsum(idx) / 12 == pytest.approx(1.0)
    if sum(1 for v in history.values() if v > 0) < seasonality.MIN_MONTHS:
        assert (idx, fallback) == ([1.0] * 12, True)
    elif not fallback and smoothing == 1:
        assert idx == pytest.approx([1.0] * 12)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("weights", "message"), [
    ([], "there is nothing to split into"),
    ([0, 0], "the weights sum to zero"),
    ([0.0], "the weights sum to zero"),
    ([-1, 2], "weight -1 is negative or not a number"),
    ([1, -0.5], "weight -0.5 is negative or not a number"),
    ([NAN, 1], "weight nan is negative or not a number"),
    ([1, None], "weight None is negative or not a number"),
    ([INF, 1], "weight inf is negative or not a number"),
])
def test_normalise_and_largest_remainder_bad_weights(weights, message):
    with pytest.raises(AllocationError) as err:
        allocation.normalise(weights)
    assert str(err.value) == message
    with pytest.raises(AllocationError) as err:
        allocation.largest_remainder(10, weights)
    assert str(err.value) == message


@pytest.mark.parametrize(("total", "weights", "locked", "message"), [
    (100.0, [], None, "there is nothing to split into"),
    (100.0, [0, 0], None, "the unlocked cells have no weight to take the rest"),
    (100.0, [0, 0, 1], {2: 40.0}, "the unlocked cells have no weight to take the rest"),
    (100.0, [-1, 2], None, "weight -1 is negative or not a number"),
    (100.0, [NAN, 1], None, "weight nan is negative or not a number"),
    (100.0, [INF, 1], None, "weight inf is negative or not a number"),
    # a bad weight is refused even where nothing is left to split or the cell is locked
    (0.0, [-1, -1], None, "weight -1 is negative or not a number"),
    (100.0, [-1, 1], {0: 10.0}, "weight -1 is negative or not a number"),
    (100.0, [1, NAN], {1: 10.0}, "weight nan is negative or not a number"),
    (-1.0, [1, 1], None, "the total -1.0 is negative"),
    (-5, [1], None, "the total -5 is negative"),
    (100.0, [1, 1], {0: 60.0, 1: 50.0}, "the locked cells exceed the total"),
    (100.0, [1, 1, 1], {0: 100.01}, "the locked cells exceed the total"),
    (100.0, [1, 1, 1], {3: 1.0}, "locked cell 3 does not exist"),
    (100.0, [1, 1, 1], {-1: 1.0}, "locked cell -1 does not exist"),
    (100.0, [1, 1], {0: -1.0}, "locked cell 0 holds a negative amount"),
    (100.0, [1, 1], {0: 10.0, 1: 20.0}, "every cell is locked and they do not add up to the total"),
])
def test_allocate_bad_input(total, weights, locked, message):
    with pytest.raises(AllocationError) as err:
        allocation.allocate(total, weights, locked=locked)
    assert str(err.value) == message


def test_allocate_counts_bad_input():
    with pytest.raises(AllocationError, match="the locked cells exceed the total"):
        allocation.allocate(10, [1, 1], step=1, locked={0: 11})
    with pytest.raises(AllocationError, match="the total -1 is negative"):
        allocation.allocate(-1, [1, 1], step=1)


def test_allocation_error_is_a_value_error():
    assert issubclass(AllocationError, ValueError)


def test_matrix_bad_totals():
    with pytest.raises(AllocationError) as err:
        allocation.ipf([[1, 1], [1, 1]], [1, 2], [1, 1])
    assert str(err.value) == "the row totals and the column totals differ"
    with pytest.raises(AllocationError) as err:
        allocation.round_matrix([[1, 1], [1, 1]], [1, 2], [1, 1])
    assert str(err.value) == "the row totals and the column totals differ"
    with pytest.raises(AllocationError) as err:
        allocation.allocate_matrix(100.0, [50.0, 50.0], [50.0, 40.0])
    assert str(err.value) == "the row and column totals must each add up to the total"
    with pytest.raises(AllocationError) as err:
        allocation.allocate_matrix(100.0, [50.0, 40.0], [50.0, 40.0])
    assert str(err.value) == "the row and column totals must each add up to the total"
    with pytest.raises(AllocationError) as err:
        allocation.allocate_matrix(10, [5, 5], [4, 5], step=1)
    assert str(err.value) == "the row and column totals must each add up to the total"


@pytest.mark.parametrize(("total", "rows", "cols"), [
    (0, [5, -5], [0, 0]),
    (0, [0, 0], [3, -3]),
    (-10, [-10], [-10]),
])
def test_allocate_matrix_negative_totals(total, rows, cols):
    with pytest.raises(AllocationError) as err:
        allocation.allocate_matrix(total, rows, cols, step=1)
    assert str(err.value) == "a total is negative"
