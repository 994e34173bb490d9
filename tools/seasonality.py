"""Monthly seasonality indices from a company's own history.

An index of 1.2 for March means March usually weighs 20 % more than an average month.
"""

import math

MIN_MONTHS = 12


def indices(history, min_months=MIN_MONTHS, smoothing=0.5):
    """Twelve monthly indices (averaging 1) from ``history``: a mapping ``(year, month) ->
    value``. Each month's index is its average over the years divided by the average month;
    indices are then shrunk towards 1 by ``smoothing`` (0 keeps them, 1 flattens them) and
    each is averaged with its neighbours (weights 1-2-1, the year wrapping round) to damp
    noise. With fewer than ``min_months`` months of non-zero history the result is even.

    Returns ``(indices, is_fallback)``.

    >>> idx, fallback = indices({(2025, m): 100.0 for m in range(1, 13)})
    >>> [round(x, 6) for x in idx] == [1.0] * 12, fallback
    (True, False)
    >>> indices({(2025, 1): 10.0})[1]
    True
    """
    months = {key: value for key, value in history.items() if value and value > 0}
    if len(months) < min_months:
        return [1.0] * 12, True
    sums, counts = [0.0] * 12, [0] * 12
    for (_year, month), value in history.items():
        sums[month - 1] += max(value or 0.0, 0.0)
        counts[month - 1] += 1
    averages = [sums[m] / counts[m] if counts[m] else 0.0 for m in range(12)]
    mean = math.fsum(averages) / 12
    if mean <= 0:
        return [1.0] * 12, True
    raw = [a / mean for a in averages]
    shrunk = [1 + (x - 1) * (1 - smoothing) for x in raw]
    smoothed = [(shrunk[m - 1] + 2 * shrunk[m] + shrunk[(m + 1) % 12]) / 4 for m in range(12)]
    norm = math.fsum(smoothed) / 12
    return [x / norm for x in smoothed], False


def weights_for(months, idx):
    """Weights of the given calendar months (1-12), e.g. the months of a target period.

    >>> weights_for([1, 2], [2.0] + [1.0] * 11)
    [2.0, 1.0]
    """
    return [idx[m - 1] for m in months]
