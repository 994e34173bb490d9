"""Feasibility of a target (handbook ch. 3): six checks, each a comparison a manager can
verify, and their weighted mean.

Every check takes plain numbers and returns ``(score, data)``: ``score`` from 0 (out of
reach) to 100 (well within reach), or ``None`` when the check does not apply (no history,
no market segment, a quantity KPI for a revenue check...); ``data`` holds the figures the
reason shown to the manager quotes, with a ``case`` naming which sentence to use.

Weights of the overall score (``WEIGHTS``), out of 100 when every check applies:

* growth 25: the growth asked against the history of the same measure and dimensions is
  the first thing a manager checks (3.1, "based on history");
* pipeline 20: what the open opportunities can still bring in the time left;
* market 15, capacity 15: the ceilings of the market share and of the people;
* risk 15: open high risks of the plan;
* consistency 10: the sub-targets add up and the target asks no more than its siblings.

Checks that do not apply are left out and the others' weights re-scaled (``overall``).
"""

import calendar
from datetime import date, timedelta

WEIGHTS = {"growth": 25, "pipeline": 20, "market": 15, "capacity": 15, "risk": 15, "consistency": 10}
#: below this score a target is of low feasibility, from ``HIGH`` on high
LOW = 50
HIGH = 75
#: growth asked above the trend by up to ``GROWTH_FREE`` points is fully feasible,
#: ``GROWTH_FREE + GROWTH_SPAN`` points or more not at all
GROWTH_FREE = 5.0
GROWTH_SPAN = 50.0
#: a target up to the ceiling (market potential, capacity) is fully feasible, 50 % above it not at all
CEILING_SPAN = 0.5
#: an open high risk (score >= ``HIGH_RISK``) costs ``RISK_PENALTY`` points, a mitigated one half
HIGH_RISK = 15
RISK_PENALTY = 25


def _clamp(value):
    return max(0, min(100, round(value)))


def _ceiling_score(ratio):
    """100 up to the ceiling (``ratio`` <= 1), 0 from 1 + ``CEILING_SPAN`` on, linear between.

    >>> _ceiling_score(0.8), _ceiling_score(1.0), _ceiling_score(1.25), _ceiling_score(2.0)
    (100, 100, 50, 0)
    """
    return _clamp(100 - (ratio - 1.0) / CEILING_SPAN * 100)


def pct(new, old):
    """Growth from ``old`` to ``new`` in percent, ``None`` without a base.

    >>> pct(120.0, 100.0), pct(80.0, 100.0), pct(5.0, 0.0)
    (20.0, -20.0, None)
    """
    if not old:
        return None
    return (new - old) / abs(old) * 100.0


def growth(target, last_period, last_12, previous_12, lower=False):
    """(a) Growth asked against the same period one year earlier, compared with the trend
    (the last twelve months over the twelve before).

    ``lower``: the KPI is better when lower, so the improvement asked is a decrease; both
    growths change sign. Without history of the same period the check does not apply.

    Asked +20 % while the trend is +10 %: 10 points above the trend, 5 free, so
    100 - (10 - 5) / 50 * 100 = 90:

    >>> growth(1200.0, 1000.0, 11000.0, 10000.0)
    (90, {'case': 'trend', 'asked': 20.0, 'trend': 10.0, 'last': 1000.0, 'excess': 10.0})

    Asked +60 % without trend (no history before the last 12 months): 60 - 5 = 55 >= 50:

    >>> growth(1600.0, 1000.0, 11000.0, 0.0)[0]
    0
    >>> growth(900.0, 1000.0, 9000.0, 10000.0)[0]   # -10 % asked, trend -10 %
    100
    >>> growth(800.0, 1000.0, 10000.0, 10000.0, lower=True)   # 20 % less asked
    (70, {'case': 'flat', 'asked': 20.0, 'trend': 0.0, 'last': 1000.0, 'excess': 20.0})
    >>> growth(500.0, 0.0, 0.0, 0.0)
    (None, {'case': 'no_history', 'last': 0.0})
    """
    asked = pct(target, last_period)
    if asked is None:
        return None, {"case": "no_history", "last": last_period}
    trend = pct(last_12, previous_12)
    sign = -1.0 if lower else 1.0
    asked *= sign
    trend_value = sign * trend if trend else 0.0
    excess = asked - trend_value
    score = _clamp(100 - (excess - GROWTH_FREE) / GROWTH_SPAN * 100)
    case = "trend" if trend is not None and trend_value else "flat"
    return score, {"case": case, "asked": round(asked, 1), "trend": round(trend_value, 1),
                   "last": last_period, "excess": round(excess, 1)}


def market(target, market_size, expected_share, period_days, year_days=365):
    """(b) Target against the market potential of its segment over its period:
    market size (yearly) x expected share x the period's share of a year.

    A market of 1,000,000 a year, 10 % expected, a quarter (91 days of 365):
    potential 1,000,000 x 10 % x 91 / 365 = 24,931.51; a target of 30,000 is 1.2033 times
    it, so 100 - 0.2033 / 0.5 x 100 = 59.3:

    >>> market(30000.0, 1000000.0, 10.0, 91)
    (59, {'case': 'market', 'potential': 24931.51, 'ratio': 120.3, 'size': 1000000.0, 'share': 10.0})
    >>> market(20000.0, 1000000.0, 10.0, 365)[0]
    100
    >>> market(20000.0, 0.0, 10.0, 365)
    (None, {'case': 'no_market'})
    """
    if not market_size or not expected_share or period_days <= 0:
        return None, {"case": "no_market"}
    potential = market_size * expected_share / 100.0 * period_days / year_days
    ratio = target / potential
    return _ceiling_score(ratio), {"case": "market", "potential": round(potential, 2),
                                   "ratio": round(ratio * 100, 1), "size": market_size, "share": expected_share}


def pipeline(remaining, weighted, open_amount, win_rate, cycle_days, remaining_days):
    """(c) Coverage of what remains of the target by the open pipeline.

    What the pipeline should bring in: its weighted amount (expected revenue x probability),
    but no more than the open amount times the historical win rate (``win_rate``, 0-1, None
    when nothing was closed). Only the part of the remaining target that must be won within
    one sales cycle has to be in the pipeline already: with 180 days left and a 60-day
    cycle, a third; the rest can come from opportunities not yet opened.

    30,000 remain, 180 days left, cycle 60 days: 10,000 must be in the pipeline; weighted
    12,000, open 40,000 at a 25 % win rate = 10,000; coverage 10,000 / 10,000 = 100 %:

    >>> pipeline(30000.0, 12000.0, 40000.0, 0.25, 60.0, 180)
    (100, {'case': 'coverage', 'expected': 10000.0, 'needed': 10000.0, 'coverage': 100.0, 'cycle': 60.0, 'days': 180})
    >>> pipeline(30000.0, 6000.0, 40000.0, None, 90.0, 30)[0]   # 6,000 of 30,000
    20
    >>> pipeline(0.0, 0.0, 0.0, None, 0.0, 30)
    (100, {'case': 'reached'})
    >>> pipeline(1000.0, 0.0, 0.0, None, 0.0, 0)
    (None, {'case': 'ended'})
    """
    if remaining <= 0:
        return 100, {"case": "reached"}
    if remaining_days <= 0:
        return None, {"case": "ended"}
    expected = weighted if win_rate is None else min(weighted, open_amount * win_rate)
    in_reach = min(1.0, cycle_days / remaining_days) if cycle_days else 1.0
    needed = remaining * in_reach
    coverage = expected / needed
    return _clamp(coverage * 100), {"case": "coverage", "expected": round(expected, 2), "needed": round(needed, 2),
                                    "coverage": round(coverage * 100, 1), "cycle": round(cycle_days or 0.0, 1),
                                    "days": remaining_days}


def capacity(target, months, headcount, per_head_month, lead_capacity_month=0.0, lead_win_rate=None,
             avg_deal=0.0):
    """(d) Target against what the people can sell in its period: ``headcount`` (weighted)
    x revenue won per head and month over the last twelve months x ``months``; and, when the
    members' lead capacity is known, leads per month x months x lead-to-won rate x average
    deal size. The lower of the two is the ceiling.

    Two people winning 5,000 a head a month, over 3 months: 30,000; 60 leads a month at
    a 10 % lead-to-won rate and 4,000 a deal: 72,000; target 36,000 = 1.2 x 30,000:

    >>> capacity(36000.0, 3, 2, 5000.0, 60, 0.1, 4000.0)
    (60, {'case': 'capacity', 'ceiling': 30000.0, 'people': 30000.0, 'leads': 72000.0, 'headcount': 2, 'ratio': 120.0})
    >>> capacity(36000.0, 3, 0, 5000.0)
    (None, {'case': 'no_capacity'})
    """
    people = headcount * per_head_month * months
    leads = lead_capacity_month * months * lead_win_rate * avg_deal if lead_capacity_month and lead_win_rate else None
    ceilings = [c for c in (people, leads) if c]
    if not ceilings:
        return None, {"case": "no_capacity"}
    ceiling = min(ceilings)
    ratio = target / ceiling
    return _ceiling_score(ratio), {"case": "capacity", "ceiling": round(ceiling, 2), "people": round(people, 2),
                                   "leads": round(leads, 2) if leads is not None else None,
                                   "headcount": headcount, "ratio": round(ratio * 100, 1)}


def consistency(own_mismatch, parent_mismatch, tolerance, asked=None, siblings_asked=None):
    """(e) Consistency with the sub-targets, the parent and the siblings.

    ``own_mismatch`` / ``parent_mismatch``: mismatch in percent of this target's / its
    parent's sub-targets (``None``: no sub-targets / no parent); beyond ``tolerance`` each
    costs twice its size in points, at most 50. ``asked`` and ``siblings_asked``: growth
    asked of this target and the mean of its siblings'; asking more than 10 points above the
    siblings costs the points beyond 10, at most 40.

    >>> consistency(None, 12.0, 1.0, 30.0, 10.0)
    (66, {'case': 'consistency', 'own': None, 'parent': 12.0, 'asked': 30.0, 'siblings': 10.0, 'penalty': 34})
    >>> consistency(0.5, None, 1.0)[0]
    100
    >>> consistency(None, None, 1.0)
    (None, {'case': 'alone'})
    """
    if own_mismatch is None and parent_mismatch is None:
        return None, {"case": "alone"}
    penalty = 0.0
    for mismatch in (own_mismatch, parent_mismatch):
        if mismatch is not None and abs(mismatch) > tolerance:
            penalty += min(50.0, abs(mismatch) * 2)
    if asked is not None and siblings_asked is not None:
        penalty += min(40.0, max(0.0, asked - siblings_asked - 10.0))
    return _clamp(100 - penalty), {"case": "consistency", "own": own_mismatch, "parent": parent_mismatch,
                                   "asked": asked, "siblings": siblings_asked, "penalty": round(penalty)}


def risk(scores):
    """(f) Open risks of the plan, by their scores (probability x impact, 1-25) and status:
    each open high risk (>= ``HIGH_RISK``) costs ``RISK_PENALTY`` points, one being
    mitigated half as much.

    >>> risk([("open", 20), ("mitigating", 16), ("open", 6), ("closed", 25)])
    (62, {'case': 'risk', 'open': 1, 'mitigating': 1})
    >>> risk([])
    (100, {'case': 'risk', 'open': 0, 'mitigating': 0})
    """
    open_high = sum(1 for status, score in scores if status == "open" and score >= HIGH_RISK)
    mitigating = sum(1 for status, score in scores if status == "mitigating" and score >= HIGH_RISK)
    return _clamp(100 - RISK_PENALTY * open_high - RISK_PENALTY / 2 * mitigating), {
        "case": "risk", "open": open_high, "mitigating": mitigating}


def overall(scores, weights=None):
    """Weighted mean of the checks that apply (``{check: score or None}``), ``None`` if none does.

    (25 x 90 + 20 x 100 + 15 x 60 + 15 x 62) / 75 = 6080 / 75 = 81.07:

    >>> overall({"growth": 90, "pipeline": 100, "market": None, "capacity": 60, "risk": 62, "consistency": None})
    81
    >>> overall({"growth": None})
    """
    weights = weights or WEIGHTS
    applied = [(weights[name], score) for name, score in scores.items() if score is not None]
    total = sum(w for w, _s in applied)
    if not total:
        return None
    return _clamp(sum(w * s for w, s in applied) / total)


def level(score):
    """``low`` / ``medium`` / ``high`` for a score, ``False`` when there is none.

    >>> level(49), level(50), level(75), level(None)
    ('low', 'medium', 'high', False)
    """
    if score is None:
        return False
    return "low" if score < LOW else "high" if score >= HIGH else "medium"


def smart(stats, threshold=60):
    """The SMART checklist of a plan from counts over its targets, ``{item: (ok, data)}``.

    ``stats``: ``targets`` (count), ``no_dimension`` (targets on no dimension),
    ``no_value`` (targets without a value), ``dated`` (the plan has both dates), ``scored``
    and ``mean_score`` (feasibility), ``unrelated`` (region or category targets of no
    market segment), ``segments`` (market segments of the plan).

    >>> items = smart({"targets": 4, "no_dimension": 1, "no_value": 0, "dated": True, "scored": 4,
    ...                "mean_score": 72.5, "unrelated": 0, "segments": 2}, threshold=60)
    >>> [(k, ok) for k, (ok, _d) in items.items()]
    [('specific', False), ('measurable', True), ('achievable', True), ('relevant', True), ('time_bound', True)]
    >>> smart({"targets": 0, "no_dimension": 0, "no_value": 0, "dated": True, "scored": 0,
    ...        "mean_score": None, "unrelated": 0, "segments": 0})["achievable"]
    (False, {'case': 'unscored', 'threshold': 60})
    """
    n = stats["targets"]
    items = {
        "specific": (bool(n) and not stats["no_dimension"],
                     {"case": "specific", "count": stats["no_dimension"], "targets": n}),
        "measurable": (bool(n) and not stats["no_value"],
                       {"case": "measurable", "count": stats["no_value"], "targets": n}),
    }
    if not stats["scored"] or stats["mean_score"] is None:
        items["achievable"] = (False, {"case": "unscored", "threshold": threshold})
    else:
        mean = round(stats["mean_score"], 1)
        items["achievable"] = (mean >= threshold, {"case": "achievable", "mean": mean, "threshold": threshold,
                                                   "scored": stats["scored"]})
    items["relevant"] = (bool(stats["segments"]) and not stats["unrelated"],
                         {"case": "relevant" if stats["segments"] else "no_segment", "count": stats["unrelated"],
                          "segments": stats["segments"]})
    items["time_bound"] = (bool(stats["dated"]), {"case": "time_bound"})
    return items



def _months_back(day, months):
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def _month_days(year, month):
    return calendar.monthrange(year, month)[1]


def history_figures(history, date_from, date_to, mean=False):
    """``(same period a year earlier, last 12 months, the 12 months before)`` from a monthly
    history ``{(year, month): value}`` of the (at least 24) months before ``date_from``'s
    month. Months partly in the period a year earlier count by their share of days.

    March 2026: March 2025 = 300; the last 12 months Mar 2025-Feb 2026 (100 x (3 + ... + 12),
    nothing measured in 2026 yet) = 7,500; the 12 before, Mar 2024-Feb 2025 = 50 x 75 + 100
    + 200 = 4,050:

    >>> from datetime import date
    >>> hist = {(2025, m): 100.0 * m for m in range(1, 13)}
    >>> hist.update({(2024, m): 50.0 * m for m in range(1, 13)})
    >>> history_figures(hist, date(2026, 3, 1), date(2026, 3, 31))
    (300.0, 7500.0, 4050.0)
    >>> history_figures(hist, date(2026, 1, 1), date(2026, 1, 15))[0]   # 15 of 31 days of Jan 2025
    48.39

    ``mean``: the figures are ratios (a win rate, an average deal size), which do not add up
    over months: each figure is then the mean of its months weighted by their days in it.
    A win rate of 40 % in January 2025 (31 days) and 60 % in February (28 days), a target of
    January-February 2026: (40 x 31 + 60 x 28) / 59 = 49.49; the last 12 months: the same two
    months and ten at 0 over 365 days = 8.0:

    >>> rates = {(2025, 1): 40.0, (2025, 2): 60.0}
    >>> history_figures(rates, date(2026, 1, 1), date(2026, 2, 28), mean=True)
    (49.49, 8.0, 0.0)
    """
    last_period = weighted_days = 0.0
    for (year, month), value in history.items():
        days = _month_days(year + 1, month)
        # the month one year later, against the target's period
        lo = max(date(year + 1, month, 1), date_from)
        hi = min(date(year + 1, month, days), date_to)
        if lo <= hi:
            overlap = (hi - lo) // timedelta(days=1) + 1
            last_period += value * (overlap if mean else overlap / days)
            weighted_days += overlap
    start = date_from.replace(day=1)
    recent = {_months_back(start, i) for i in range(1, 13)}
    before = {_months_back(start, i) for i in range(13, 25)}
    if not mean:
        return (round(last_period, 2), round(sum(v for k, v in history.items() if k in recent), 2),
                round(sum(v for k, v in history.items() if k in before), 2))

    def _mean(months):
        days = sum(_month_days(*month) for month in months)
        return round(sum(history.get(month, 0.0) * _month_days(*month) for month in months) / days, 2)

    return (round(last_period / weighted_days, 2) if weighted_days else 0.0, _mean(recent), _mean(before))
