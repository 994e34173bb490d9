"""Tests of tools/grid.py and tools/bar_chart.py: pure functions, no database.

The smoothing of a matrix seed is checked on a noisy salesperson × month history (one rep
with a September three times their usual and an October at a fifth of it, another with an
empty November): with the default history strength every row follows the seasonality of the
columns within a stated tolerance, the row and column totals staying exact to the cent; with
strength 1 the noise is copied as before.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.crm_sales_target.tools import allocation, bar_chart, grid
from odoo.addons.crm_sales_target.tools.allocation import AllocationError

#: seasonality of the columns (the months), as the seasonality method would weight them
SEASON = [0.8, 0.8, 1.0, 1.0, 1.0, 1.1, 0.9, 0.9, 1.1, 1.1, 1.1, 1.2]
#: history of three reps by month: 1000, 500 and 500 a month times the season times noise
NOISY_HISTORY = [
    [800, 1120, 600, 1000, 1300, 770, 900, 1080, 3300, 220, 1100, 960],
    [280, 400, 650, 300, 500, 770, 360, 450, 275, 825, 660, 600],
    [520, 240, 500, 700, 350, 550, 540, 360, 550, 550, 0, 720],
]
TOTAL = 120000.0
#: the reps' yearly history 13,150 / 6,070 / 5,580 of 24,800, in cents of 120,000:
#: 63,629.032..., 29,370.967..., 27,000 (the cent left to the first, the larger remainder)
ROWS = [63629.03, 29370.97, 27000.0]
#: 120,000 × index / 12 (the indices sum to 12): 8,000 for 0.8, 10,000, 11,000, 9,000, 12,000
COLS = [8000.0, 8000.0, 10000.0, 10000.0, 10000.0, 11000.0, 9000.0, 9000.0, 11000.0, 11000.0, 11000.0, 12000.0]
#: each row's month may differ from the column's share by at most this fraction of it at the
#: default strength: about strength × the largest noise (September at 3 × gives 0.3 × 1.0 + fitting)
TOLERANCE = 0.35


def cents(values):
    return [round(x * 100) for x in values]


def fitted(strength):
    # the wizard adds the same 1e-6 so that cells without history stay alive
    seed = [[x + 1e-6 for x in row] for row in grid.smooth_seed(NOISY_HISTORY, strength)]
    return allocation.allocate_matrix(TOTAL, ROWS, COLS, seed=seed)


def worst_deviation(matrix):
    return max(abs(v / ROWS[i] - COLS[j] / TOTAL) / (COLS[j] / TOTAL)
               for i, row in enumerate(matrix) for j, v in enumerate(row))


def test_fixture_totals_by_hand():
    assert sum(ROWS) == pytest.approx(TOTAL) and sum(COLS) == TOTAL
    assert [sum(row) for row in NOISY_HISTORY] == [13150, 6070, 5580]
    assert allocation.allocate(TOTAL, [13150, 6070, 5580]) == ROWS


def test_smoothed_rows_follow_the_seasonality_and_totals_stay_exact():
    m = fitted(grid.HISTORY_STRENGTH)
    assert [sum(cents(row)) for row in m] == cents(ROWS)
    assert [sum(round(row[j] * 100) for row in m) for j in range(12)] == cents(COLS)
    assert worst_deviation(m) <= TOLERANCE
    # the rep's September is still their strongest month, but no longer 3 × a usual one
    first = m[0]
    assert first[8] == max(first)
    assert first[8] / (first[7] + first[9]) * 2 < 1.5


def test_strength_one_copies_the_noise_as_before():
    assert grid.smooth_seed(NOISY_HISTORY, 1.0) == [[float(x) for x in row] for row in NOISY_HISTORY]
    old = allocation.allocate_matrix(TOTAL, ROWS, COLS, seed=[[x + 1e-6 for x in row] for row in NOISY_HISTORY])
    assert fitted(1.0) == old
    assert worst_deviation(old) > 0.9  # October of the first rep: a fifth of their usual month


def test_strength_zero_gives_every_row_the_columns_shares():
    m = fitted(0.0)
    assert worst_deviation(m) < 1e-3  # to the cent


def test_independence_and_thin_cells_by_hand():
    # rows 4 and 4, columns 4 and 4 of 8: every cell 2
    assert grid.independence([[1, 3], [3, 1]]) == [[2.0, 2.0], [2.0, 2.0]]
    # 0.3 × 1 + 0.7 × 2 = 1.7, 0.3 × 3 + 0.7 × 2 = 2.3
    assert [[round(x, 6) for x in row] for row in grid.smooth_seed([[1, 3], [3, 1]], 0.3)] == [[1.7, 2.3], [2.3, 1.7]]
    # the empty second row follows the columns' shares 2 : 6; the cells with nothing too
    assert grid.smooth_seed([[2, 6], [0, 0]], 0.3) == [pytest.approx([2.0, 6.0])] * 2
    # 0.3 of expected 2 is under 0.2 × 2 = 0.4: the cell follows the shares
    seed = grid.smooth_seed([[0.3, 3.7], [3.7, 0.3]], 0.5)
    assert seed[0][0] == 2.0 and seed[0][1] == pytest.approx(0.5 * 3.7 + 0.5 * 2)
    assert grid.smooth_seed([[0, 0], [0, 0]], 0.3) == [[0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize(("history", "strength", "message"), [
    ([[1, 2]], 1.5, "not between 0 and 1"),
    ([[1, 2]], -0.1, "not between 0 and 1"),
    ([[1, -2]], 0.3, "negative"),
    ([[1, float("nan")]], 0.3, "negative or not a number"),
])
def test_smooth_seed_bad_input(history, strength, message):
    with pytest.raises(AllocationError, match=message):
        grid.smooth_seed(history, strength)


# ---------------------------------------------------------------------------------------------
# round_to_step
# ---------------------------------------------------------------------------------------------


def test_round_to_step_by_hand():
    # 3 × 3 of 1,000 (rows and columns 333.34 / 333.33 / 333.33) to 100: rows and columns 10 steps,
    # 3.3334 / 3.3333 / 3.3333 -> 3, 3, 3 and the step left to the first: 400 / 300 / 300
    matrix = [[111.12, 111.11, 111.11], [111.11, 111.11, 111.11], [111.11, 111.11, 111.11]]
    rounded, zeros = grid.round_to_step(matrix, 100)
    assert rounded == [[200.0, 100.0, 100.0], [100.0, 100.0, 100.0], [100.0, 100.0, 100.0]]
    assert zeros == []
    # to 1,000: one step, to the largest cell; the eight others are brought down to 0
    rounded, zeros = grid.round_to_step(matrix, 1000)
    assert rounded[0] == [1000.0, 0.0, 0.0] and sum(map(sum, rounded)) == 1000.0
    assert len(zeros) == 8
    # a total that is not a multiple of the step: 1,005.50 = 10 steps and 5.50 on the largest cell
    rounded, _zeros = grid.round_to_step([[605.5, 400.0]], 100)
    assert rounded == [[605.5, 400.0]]
    # counts: a step of 1 on counts changes nothing
    assert grid.round_to_step([[3, 4]], 1, base_step=1) == ([[3, 4]], [])


@given(st.lists(st.lists(st.integers(0, 10 ** 7), min_size=1, max_size=6), min_size=1, max_size=6),
       st.sampled_from(grid.STEPS))
def test_property_round_to_step_keeps_the_total_and_steps(cells_in_cents, step):
    cols = min(len(row) for row in cells_in_cents)
    matrix = [[c / 100 for c in row[:cols]] for row in cells_in_cents]
    rounded, zeros = grid.round_to_step(matrix, step)
    total = sum(sum(row[:cols]) for row in cells_in_cents)
    out = [[round(x * 100) for x in row] for row in rounded]
    assert sum(map(sum, out)) == total
    # every cell a multiple of the step but one, which holds what is left below a step
    off = [x for row in out for x in row if x % (step * 100)]
    assert len(off) <= 1
    # the rows and columns are the largest-remainder roundings of the exact ones (at most a step off,
    # plus the rest below a step on the one row and column that hold it)
    for r, row in enumerate(out):
        assert abs(sum(row) - sum(cells_in_cents[r][:cols])) < 2 * step * 100
    for c in range(cols):
        assert abs(sum(row[c] for row in out) - sum(row[c] for row in cells_in_cents)) < 2 * step * 100
    assert all(out[r][c] == 0 and cells_in_cents[r][c] > 0 for r, c in zeros)


def test_round_to_step_refuses_negative_cells():
    with pytest.raises(AllocationError, match="negative"):
        grid.round_to_step([[-100.0, 200.0]], 10)


# ---------------------------------------------------------------------------------------------
# bar chart
# ---------------------------------------------------------------------------------------------


def test_bars_svg():
    svg = bar_chart.bars_svg([80.0, 100.0, 120.0], ["Jan", "Feb", "Mär"], title="A & B",
                             value_labels=["80", "100", "120"])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 3 and "A &amp; B" in svg and ">Mär<" in svg
    # scale to 120 over 140 px from y 18: the bar of 120 reaches the top, the line of 100 at 18 + 140 / 6
    assert 'y="18.0"' in svg
    assert f'y1="{round(18 + 140 / 6, 1)}"' in svg
    with pytest.raises(ValueError):
        bar_chart.bars_svg([1.0], ["a", "b"])
    assert math.isclose(sum(SEASON), 12.0)
