"""A decomposition as a grid: the seed of a rows × columns split smoothed towards its shares,
and the grid rounded to a step the manager reads easily (1, 10, 100, 1,000).

A salesperson × month split fitted to raw monthly history copies one year's noise into the
targets: a rep who happened to close a big deal in September gets ten times their October.
The seed is therefore blended with the independence model (each cell the product of its row
share and its column share), and cells with next to no history follow the shares alone;
iterative proportional fitting (``tools.allocation.ipf``) then makes the rows and columns
add up exactly, as before.
"""

import math

from .allocation import AllocationError, floor_to_total, round_matrix, to_units

#: how much each cell's own history counts against its row and column shares: 0.3 keeps the
#: cells' own pattern (a rep strong in the summer stays so) but only a third of its noise
HISTORY_STRENGTH = 0.3
#: a cell with less history than this fraction of what its shares predict follows the shares
THIN_SHARE = 0.2
#: the steps a manager may round a split to
STEPS = (1, 10, 100, 1000)


def independence(history):
    """Each cell as the product of its row and column shares of ``history`` (a list of rows):
    ``row total × column total / grand total``. A row or column without history takes the
    average share of those with history, so that it follows the other axis's shares.

    >>> independence([[1, 3], [3, 1]])
    [[2.0, 2.0], [2.0, 2.0]]
    >>> independence([[2, 6], [0, 0]])
    [[2.0, 6.0], [2.0, 6.0]]
    """
    rows = [math.fsum(row) for row in history]
    cols = [math.fsum(row[c] for row in history) for c in range(len(history[0]) if history else 0)]
    grand = math.fsum(rows)
    if grand <= 0:
        return [[1.0] * len(cols) for _r in rows]
    row_fill = 1 / sum(1 for r in rows if r > 0)
    col_fill = 1 / sum(1 for c in cols if c > 0)
    row_share = [r / grand if r > 0 else row_fill for r in rows]
    col_share = [c / grand if c > 0 else col_fill for c in cols]
    return [[grand * a * b for b in col_share] for a in row_share]


def smooth_seed(history, strength=HISTORY_STRENGTH, thin=THIN_SHARE):
    """The seed of a matrix split from the ``history`` of its cells (a list of rows, none
    negative): ``strength × history + (1 − strength) × row total × column total / grand
    total``, and the independence value alone for a cell whose history is below ``thin``
    times it. ``strength`` 1 keeps the history as it is (no smoothing at all, thin cells
    included: the behaviour before smoothing); 0 gives every row the columns' shares.

    The noise of a 2 × 2 history (cross-ratio 9) is damped (cross-ratio under 2):

    >>> seed = smooth_seed([[1, 3], [3, 1]], strength=0.3)
    >>> [[round(x, 3) for x in row] for row in seed]
    [[1.7, 2.3], [2.3, 1.7]]
    >>> smooth_seed([[1, 3], [3, 1]], strength=1)
    [[1.0, 3.0], [3.0, 1.0]]

    A cell with a sliver of history follows the shares (3 × 3 / 8 = 1.125); its neighbour
    blends (0.3 × 2.99 + 0.7 × 3 × 5 / 8 = 2.2095):

    >>> seed = smooth_seed([[0.01, 2.99], [2.99, 2.01]], strength=0.3)
    >>> round(seed[0][0], 4), round(seed[0][1], 4)
    (1.125, 2.2095)
    """
    if not 0 <= strength <= 1:
        raise AllocationError(f"the history strength {strength} is not between 0 and 1")
    if not 0 <= thin < 1:
        raise AllocationError(f"the thin share {thin} is not between 0 and 1")
    raw = [[float(x) for x in row] for row in history]
    if any(x < 0 or not math.isfinite(x) for row in raw for x in row):
        raise AllocationError("a history value is negative or not a number")
    if strength == 1 or not any(any(row) for row in raw):
        return raw
    expected = independence(raw)
    return [[e if h < thin * e else strength * h + (1 - strength) * e for h, e in zip(hist_row, exp_row)]
            for hist_row, exp_row in zip(raw, expected)]


def round_to_step(matrix, step, base_step=0.01):
    """Round a split (a list of rows of amounts, exact to ``base_step``) to multiples of
    ``step``, every row and column adding up exactly to its rounded total.

    The row and the column totals are rounded to the step by largest remainder; the cells
    then by ``allocation.round_matrix`` to those totals. What the grand total holds below
    one step (it is not always a multiple of the step) goes to the largest rounded cell, so
    that the cells still add up to it. Returns ``(rounded matrix, cells (row, column) that the
    step brought down to 0 from a positive amount)``.

    >>> round_to_step([[333.34, 333.33], [166.67, 166.66]], 100)
    ([[400.0, 300.0], [100.0, 200.0]], [])

    1,274.56 is 12 steps of 100 and 74.56; the 40 rounds to 0 and is reported:

    >>> round_to_step([[1234.56, 40.0]], 100)
    ([[1274.56, 0.0]], [(0, 1)])
    >>> round_to_step([[5, 5]], 1, base_step=1)
    ([[5, 5]], [])
    """
    base_units = [[to_units(x, base_step) for x in row] for row in matrix]
    step_units = to_units(step, base_step)
    if step_units <= 1:
        return [row[:] for row in matrix], []
    if any(u < 0 for row in base_units for u in row):
        raise AllocationError("a cell is negative")
    rows, cols = len(base_units), len(base_units[0]) if base_units else 0
    total = sum(map(sum, base_units))
    steps, rest = divmod(total, step_units)
    row_steps = floor_to_total([sum(row) / step_units for row in base_units], steps)
    col_steps = floor_to_total([sum(row[c] for row in base_units) / step_units for c in range(cols)], steps)
    exact = [[u / step_units for u in row] for row in base_units]
    if steps:
        units = round_matrix(exact, row_steps, col_steps)
    else:
        units = [[0] * cols for _r in range(rows)]
    out = [[u * step_units for u in row] for row in units]
    if rest:
        # the largest cell once rounded (then the largest exact one): never a cell rounded to 0
        r, c = max(((r, c) for r in range(rows) for c in range(cols)),
                   key=lambda rc: (out[rc[0]][rc[1]], base_units[rc[0]][rc[1]], -rc[0], -rc[1]))
        out[r][c] += rest
    zeros = [(r, c) for r in range(rows) for c in range(cols) if base_units[r][c] > 0 and not out[r][c]]
    return [_amounts(row, base_step) for row in out], zeros


def _amounts(units, base_step):
    """Amounts of whole ``base_step`` units, with no binary noise (0.01 × 3 is 0.03)."""
    if base_step == 1:
        return list(units)
    digits = max(0, -math.floor(math.log10(base_step) + 1e-9))
    return [round(u * base_step, digits) for u in units]


def shares(values):
    """Shares (%) of ``values`` in their total, 0 where the total is 0.

    >>> shares([1, 3])
    [25.0, 75.0]
    """
    total = math.fsum(values)
    return [v / total * 100.0 if total else 0.0 for v in values]

