"""Reverse funnel (handbook 3.1): from a revenue gap back to the won deals, opportunities,
leads and meetings it takes, at a salesperson's own conversion rates.

    won deals     = gap / average deal size
    opportunities = won deals / opportunity-to-won rate
    leads         = opportunities / lead-to-opportunity rate
    meetings      = won deals x meetings per won deal

Every number is rounded up (half a deal is not won). A rate of zero (or no deal won, so no
average size) makes the steps above it impossible to compute: they are ``None`` and
``missing`` names the first rate that is lacking, so that the manager knows which figure to
look at rather than reading an endless count.
"""

import math


def ceil_div(value, rate):
    """Smallest whole number of events giving ``value`` at ``rate`` per event.

    >>> ceil_div(10, 0.3), ceil_div(9, 3.0), ceil_div(9, 0.3)
    (34, 3, 30)
    """
    # a hair above the exact quotient must not add one: 9 / 0.3 = 30.000000000000004
    return math.ceil(round(value / rate, 9))


def reverse_funnel(gap, avg_deal, win_rate, lead_rate, meetings_per_won):
    """``{"won", "opportunities", "leads", "meetings", "missing"}`` for a revenue ``gap``.

    ``avg_deal``: average revenue of a won deal; ``win_rate``: opportunities won out of
    those closed (0-1); ``lead_rate``: leads turned into opportunities (0-1);
    ``meetings_per_won``: meetings held per deal won.

    50,000 to go at 12,000 a deal: 4.17 -> 5 deals; won 1 in 4 (0.25): 20 opportunities;
    40 % of leads become opportunities: 50 leads; 2.5 meetings per deal: 12.5 -> 13:

    >>> reverse_funnel(50000.0, 12000.0, 0.25, 0.4, 2.5)
    {'won': 5, 'opportunities': 20, 'leads': 50, 'meetings': 13, 'missing': None}

    No lead ever converted: the opportunities are known, the leads are not:

    >>> reverse_funnel(50000.0, 12000.0, 0.25, 0.0, 0.0)
    {'won': 5, 'opportunities': 20, 'leads': None, 'meetings': 0, 'missing': 'lead_rate'}

    Nothing won in twelve months: no deal size, nothing can be derived:

    >>> reverse_funnel(50000.0, 0.0, 0.0, 0.4, 2.0)
    {'won': None, 'opportunities': None, 'leads': None, 'meetings': None, 'missing': 'avg_deal'}

    No gap: nothing more is needed.

    >>> reverse_funnel(-10.0, 12000.0, 0.25, 0.4, 2.0)
    {'won': 0, 'opportunities': 0, 'leads': 0, 'meetings': 0, 'missing': None}
    """
    result = {"won": None, "opportunities": None, "leads": None, "meetings": None, "missing": None}
    if gap <= 0:
        return {**result, "won": 0, "opportunities": 0, "leads": 0, "meetings": 0}
    if avg_deal <= 0:
        return {**result, "missing": "avg_deal"}
    won = ceil_div(gap, avg_deal)
    result["won"] = won
    result["meetings"] = math.ceil(round(won * (meetings_per_won or 0.0), 9))
    if win_rate <= 0:
        return {**result, "missing": "win_rate"}
    result["opportunities"] = ceil_div(won, win_rate)
    if lead_rate <= 0:
        return {**result, "missing": "lead_rate"}
    result["leads"] = ceil_div(result["opportunities"], lead_rate)
    return result


def rate(part, whole):
    """``part / whole``, 0 without a whole.

    >>> rate(3, 12), rate(0, 0)
    (0.25, 0.0)
    """
    return part / whole if whole else 0.0
