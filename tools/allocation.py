"""Splitting a total into parts: shares, locks, exact rounding, seasonality and matrices.

Amounts are handled as whole numbers of a rounding ``step`` (0.01 for a currency with
cents, 1 for counts), so that the parts of a total always add up to it exactly.
"""

import math


class AllocationError(ValueError):
    """Input that cannot be allocated; the message names the cause."""


def to_units(amount, step):
    """Whole number of ``step`` in ``amount``.

    >>> to_units(12.346, 0.01), to_units(7, 1)
    (1235, 7)
    """
    return int(round(amount / step))


def normalise(weights):
    """Shares (summing to 1) from non-negative weights.

    >>> normalise([1, 1, 2])
    [0.25, 0.25, 0.5]
    >>> try:
    ...     normalise([0, 0])
    ... except AllocationError as error:
    ...     print(error)
    the weights sum to zero
    """
    if not weights:
        raise AllocationError("there is nothing to split into")
    _check_weights(weights)
    total = math.fsum(weights)
    if total <= 0:
        raise AllocationError("the weights sum to zero")
    return [w / total for w in weights]


def _check_weights(weights):
    for weight in weights:
        if weight is None or not math.isfinite(weight) or weight < 0:
            raise AllocationError(f"weight {weight} is negative or not a number")


def largest_remainder(total_units, weights):
    """Split a whole number of units in proportion to ``weights``, exactly.

    Each part gets the floor of its exact share; the units left go to the largest
    remainders (ties to the first). The parts always sum to ``total_units``.

    >>> largest_remainder(100, [1, 1, 1])
    [34, 33, 33]
    >>> largest_remainder(10, [0.5, 0.25, 0.25])
    [5, 3, 2]
    """
    return _apportion(total_units, normalise(weights))


def _apportion(total_units, shares):
    """Largest remainder of ``total_units`` over ``shares`` (normalised weights)."""
    return floor_to_total([total_units * s for s in shares], total_units)


def floor_to_total(exact, total):
    """Whole parts of ``exact`` amounts adding up to ``total`` (at most their sum): each
    gets its floor, the units left go to the largest remainders (ties to the first).

    >>> floor_to_total([1.6, 1.6, 0.8], 3)
    [1, 1, 1]
    """
    parts = [math.floor(x) for x in exact]
    left = total - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def allocate(total, weights, step=0.01, locked=None):
    """Split ``total`` by ``weights``; ``locked`` cells (index -> amount) keep their amount
    and the rest is redistributed over the unlocked cells by their weights.

    >>> allocate(100.0, [1, 1, 1])
    [33.34, 33.33, 33.33]
    >>> allocate(100.0, [1, 1, 2], locked={0: 40.0})
    [40.0, 20.0, 40.0]
    >>> allocate(12, [3, 1], step=1)
    [9, 3]
    """
    locked = dict(locked or {})
    n = len(weights)
    if n == 0:
        raise AllocationError("there is nothing to split into")
    _check_weights(weights)
    if total < 0:
        raise AllocationError(f"the total {total} is negative")
    for index, amount in locked.items():
        if not 0 <= index < n:
            raise AllocationError(f"locked cell {index} does not exist")
        if amount < 0:
            raise AllocationError(f"locked cell {index} holds a negative amount")
    total_units = to_units(total, step)
    locked_units = {i: to_units(a, step) for i, a in locked.items()}
    rest = total_units - sum(locked_units.values())
    if rest < 0:
        raise AllocationError("the locked cells exceed the total")
    free = [i for i in range(n) if i not in locked_units]
    units = [0] * n
    for i, u in locked_units.items():
        units[i] = u
    if free:
        free_weights = [weights[i] for i in free]
        if math.fsum(free_weights) <= 0:
            if rest:
                raise AllocationError("the unlocked cells have no weight to take the rest")
        else:
            for i, u in zip(free, largest_remainder(rest, free_weights)):
                units[i] = u
    elif rest:
        raise AllocationError("every cell is locked and they do not add up to the total")
    return _from_units(units, step)


def allocate_each(totals, weights, step=0.01):
    """Split each of ``totals`` by the same ``weights``: the same parts as ``allocate``
    without locks, with the shares worked out once (a matrix cell split again along a
    third dimension calls this for thousands of cells).

    >>> allocate_each([100.0, 10.0], [1, 1, 1])
    [[33.34, 33.33, 33.33], [3.34, 3.33, 3.33]]
    >>> allocate_each([7], [3, 1], step=1) == [allocate(7, [3, 1], step=1)]
    True
    """
    shares = normalise(weights)
    out = []
    for total in totals:
        if total < 0:
            raise AllocationError(f"the total {total} is negative")
        out.append(_from_units(_apportion(to_units(total, step), shares), step))
    return out


def _from_units(units, step):
    if step == 1:
        return list(units)
    # decimals of the step itself (0.01 → 2, 0.25 → 2, 0.5 → 1, 10 → 0)
    digits = 0
    while digits < 15 and round(step, digits) != step:
        digits += 1
    if step == 10 ** -digits:
        # a division by a power of ten is correctly rounded, like round(), and much cheaper
        scale = 10 ** digits
        return [u / scale for u in units]
    return [round(u * step, digits) for u in units]


def ipf(seed, row_totals, col_totals, iterations=200, tolerance=1e-9):
    """Iterative proportional fitting: scale ``seed`` (a list of rows) until its row and
    column sums match the totals. Zero seed cells stay zero; an all-zero row or column
    with a positive total is seeded evenly first.

    The fit keeps the seed's cross-ratio (here 1·3 / 1·1 = 3) while matching the totals:

    >>> m = ipf([[1, 1], [1, 3]], [4, 6], [5, 5])
    >>> [[round(x, 3) for x in row] for row in m]
    [[2.641, 1.359], [2.359, 3.641]]
    >>> round(m[0][0] * m[1][1] / (m[0][1] * m[1][0]), 6)
    3.0
    """
    rows, cols = len(row_totals), len(col_totals)
    if abs(math.fsum(row_totals) - math.fsum(col_totals)) > 1e-6 * max(1.0, math.fsum(row_totals)):
        raise AllocationError("the row totals and the column totals differ")
    m = [[float(seed[r][c]) for c in range(cols)] for r in range(rows)]
    for r in range(rows):
        if row_totals[r] > 0 and not any(m[r]):
            m[r] = [1.0] * cols
    for c in range(cols):
        if col_totals[c] > 0 and not any(m[r][c] for r in range(rows)):
            for r in range(rows):
                m[r][c] = 1.0
    for _ in range(iterations):
        for r in range(rows):
            s = math.fsum(m[r])
            factor = row_totals[r] / s if s else 0.0
            m[r] = [x * factor for x in m[r]]
        worst = 0.0
        for c in range(cols):
            s = math.fsum(m[r][c] for r in range(rows))
            factor = col_totals[c] / s if s else 0.0
            for r in range(rows):
                m[r][c] *= factor
        for r in range(rows):
            worst = max(worst, abs(math.fsum(m[r]) - row_totals[r]))
        if worst <= tolerance * max(1.0, max(row_totals, default=1.0)):
            break
    return m


def round_matrix(matrix, row_units, col_units):
    """Round a non-negative matrix to whole units whose row and column sums are exactly
    ``row_units`` and ``col_units``.

    Rows are rounded by largest remainder; then single units move, inside a row, from a
    column with too much to a column with too little, taking the cell whose exact value was
    closest to rounding the other way, until every column is exact. (When a column is off by
    far more than rounding explains, e.g. the seed's zeros could not fit the totals, all but
    a margin of rows × columns units move at once, so that the time does not grow with the
    amounts.)

    >>> round_matrix([[1.5, 1.5], [1.5, 1.5]], [3, 3], [3, 3])
    [[1, 2], [2, 1]]
    """
    rows, cols = len(row_units), len(col_units)
    if sum(row_units) != sum(col_units):
        raise AllocationError("the row totals and the column totals differ")
    out = []
    for r in range(rows):
        weights = matrix[r] if math.fsum(matrix[r]) > 0 else [1.0] * cols
        out.append(largest_remainder(row_units[r], weights) if row_units[r] else [0] * cols)
    col_sum = [sum(out[r][c] for r in range(rows)) for c in range(cols)]
    excess = {c: col_sum[c] - col_units[c] for c in range(cols)}
    while True:
        over = [c for c in range(cols) if excess[c] > 0]
        under = [c for c in range(cols) if excess[c] < 0]
        if not over:
            break
        c_over = over[0]
        best = None
        for c_under in under:
            for r in range(rows):
                if out[r][c_over] <= 0:
                    continue
                # how far both cells move away from their exact values; smallest wins
                cost = (out[r][c_under] - matrix[r][c_under]) + (matrix[r][c_over] - out[r][c_over])
                if best is None or cost < best[0]:
                    best = (cost, r, c_over, c_under)
        if best is None:
            raise AllocationError("no rounding matches both the row and the column totals")
        _cost, r, c_over, c_under = best
        moved = max(1, min(excess[c_over], -excess[c_under], out[r][c_over]) - rows * cols)
        out[r][c_over] -= moved
        out[r][c_under] += moved
        excess[c_over] -= moved
        excess[c_under] += moved
    return out


def allocate_matrix(total, row_totals, col_totals, seed=None, step=0.01):
    """Split ``total`` over a rows × columns grid whose row and column sums are the given
    totals (each list summing to ``total``), shaped by ``seed`` (history; even if absent),
    rounded to ``step`` with every sum exact.

    >>> allocate_matrix(10, [4, 6], [5, 5], seed=[[1, 1], [1, 3]], step=1)
    [[3, 1], [2, 4]]
    """
    row_units = [to_units(x, step) for x in row_totals]
    col_units = [to_units(x, step) for x in col_totals]
    total_units = to_units(total, step)
    if sum(row_units) != total_units or sum(col_units) != total_units:
        raise AllocationError("the row and column totals must each add up to the total")
    if total_units < 0 or min(row_units + col_units, default=0) < 0:
        raise AllocationError("a total is negative")
    seed = seed or [[1.0] * len(col_totals) for _ in row_totals]
    fitted = ipf(seed, row_units, col_units)
    units = round_matrix(fitted, row_units, col_units)
    return [_from_units(row, step) for row in units]
