"""Satisfaction figures (handbook 7.2 and 9): plain arithmetic on scores and complaints.

* CSAT: a score from 1 (very dissatisfied) to 5 (very satisfied); its figure is the average;
* NPS: "how likely are you to recommend us", 0 to 10; promoters answer 9 or 10, passives 7 or
  8, detractors 0 to 6; the Net Promoter Score is the percentage of promoters minus the
  percentage of detractors, from -100 to +100;
* complaint rate: complaints per 100 confirmed orders of the same period;
* resolution time: days from receiving a complaint to resolving it; its figure is the
  median (lower is better), which one complaint left open for months does not distort.
"""

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
CSAT_RANGE = (1, 5)
NPS_RANGE = (0, 10)


def nps_band(score: int) -> str:
    """``promoter``, ``passive`` or ``detractor`` for an NPS answer.

    >>> [nps_band(s) for s in (10, 9, 8, 7, 6, 0)]
    ['promoter', 'promoter', 'passive', 'passive', 'detractor', 'detractor']
    """
    if score >= PROMOTER_MIN:
        return "promoter"
    return "detractor" if score <= DETRACTOR_MAX else "passive"


def average_csat(scores) -> float | None:
    """Average of CSAT scores (1–5); None without any.

    >>> average_csat([5, 4, 4, 2])
    3.75
    >>> average_csat([]) is None
    True
    """
    scores = list(scores)
    return sum(scores) / len(scores) if scores else None


def nps(scores) -> float | None:
    """Net Promoter Score: % of promoters (9–10) minus % of detractors (0–6); None without
    answers.

    >>> nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 0])  # 5 promoters, 3 detractors of 10
    20.0
    >>> nps([6, 6])
    -100.0
    >>> nps([]) is None
    True
    """
    scores = list(scores)
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= PROMOTER_MIN)
    detractors = sum(1 for s in scores if s <= DETRACTOR_MAX)
    return (promoters - detractors) * 100.0 / len(scores)


def complaint_rate(complaints: int, orders: int) -> float | None:
    """Complaints per 100 orders; None without orders.

    >>> complaint_rate(3, 120)
    2.5
    >>> complaint_rate(2, 0) is None
    True
    """
    return complaints * 100.0 / orders if orders else None


def median(values) -> float | None:
    """Median of ``values`` (the mean of the two middle ones for an even count); None if empty.

    >>> median([7, 1, 3])
    3
    >>> median([1, 2, 10, 4])
    3.0
    >>> median([]) is None
    True
    """
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def median_resolution_days(pairs) -> float | None:
    """Median days to resolve, from ``(received, resolved)`` date pairs; pairs not resolved
    (``resolved`` None) are left out.

    >>> from datetime import date
    >>> median_resolution_days([(date(2026, 1, 1), date(2026, 1, 3)), (date(2026, 1, 5), date(2026, 1, 15)),
    ...                         (date(2026, 1, 2), date(2026, 1, 6)), (date(2026, 1, 9), None)])
    4
    """
    return median([(resolved - received).days for received, resolved in pairs if resolved is not None])
