"""Training effectiveness as plain arithmetic: windows around a session, changes of a KPI, and
the effect of a training measured against a control group.

A session on day ``d`` is compared over two windows of whole local days: *before* is the
``before_days`` days ending the day before ``d``; *after* is the ``after_days`` days starting
on ``d`` itself (a document of the session's day counts after: the session was held in the
morning or the rep acts on it the same day). The change of a person is ``after - before``;
a group's change is the average of its members' changes, and the effect of the training is
the attendees' change minus the control group's (non-attendees of the same teams over the
same windows). Without a control group, or without attendees, there is no effect: ``None``,
never 0.
"""

from datetime import date, timedelta

from . import dashboard


def windows(day: date, before_days: int, after_days: int):
    """``((before_from, before_to), (after_from, after_to))``, bounds included.

    >>> before, after = windows(date(2026, 4, 1), 90, 90)
    >>> before
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    >>> after
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 29))
    >>> windows(date(2026, 4, 1), 1, 1)
    ((datetime.date(2026, 3, 31), datetime.date(2026, 3, 31)), (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1)))
    >>> windows(date(2026, 4, 1), 0, 30)
    Traceback (most recent call last):
    ...
    ValueError: windows must last at least one day
    """
    if before_days < 1 or after_days < 1:
        raise ValueError("windows must last at least one day")
    return ((day - timedelta(days=before_days), day - timedelta(days=1)),
            (day, day + timedelta(days=after_days - 1)))


def change(before: float, after: float):
    """``(after - before, percentage of before or None when before is 0)``.

    >>> change(200.0, 250.0)
    (50.0, 25.0)
    >>> change(4.0, 3.0)
    (-1.0, -25.0)
    >>> change(0.0, 3.0)
    (3.0, None)
    """
    delta = after - before
    return delta, (delta / before * 100.0 if before else None)


def group_figures(pairs):
    """Averages of a group of people measured before and after: ``pairs`` are
    ``(before, after)`` per person. Returns a dict ``before``, ``after``, ``change``,
    ``change_pct`` (None when the average before is 0) and ``count``, or None for an empty
    group.

    >>> group_figures([(100.0, 160.0), (300.0, 320.0)])
    {'before': 200.0, 'after': 240.0, 'change': 40.0, 'change_pct': 20.0, 'count': 2}
    >>> group_figures([]) is None
    True
    """
    pairs = list(pairs)
    if not pairs:
        return None
    count = len(pairs)
    before = sum(b for b, _a in pairs) / count
    after = sum(a for _b, a in pairs) / count
    delta, pct = change(before, after)
    return {"before": before, "after": after, "change": delta, "change_pct": pct, "count": count}


def effect(attendees, control):
    """The effect of a training: the attendees' average change minus the control group's,
    both given as ``(before, after)`` pairs per person; None when either group is empty.

    Attendees went from 2 and 4 won deals to 5 and 7 (+3 each); the non-attendees from 3 to 4
    (+1): the training is worth +2.

    >>> effect([(2, 5), (4, 7)], [(3, 4)])
    2.0
    >>> effect([(2, 5)], []) is None
    True
    >>> effect([], [(3, 4)]) is None
    True
    >>> effect([(10, 8)], [(10, 5), (20, 15)])
    3.0
    """
    ours, theirs = group_figures(attendees), group_figures(control)
    if ours is None or theirs is None:
        return None
    return ours["change"] - theirs["change"]


def period_type(date_from: date, date_to: date):
    """The kind of a target's period: ``month``, ``quarter``, ``year`` for whole calendar
    ones, else ``days:<length>``, so that only periods alike are compared.

    >>> period_type(date(2026, 2, 1), date(2026, 2, 28))
    'month'
    >>> period_type(date(2026, 4, 1), date(2026, 6, 30))
    'quarter'
    >>> period_type(date(2026, 1, 1), date(2026, 12, 31))
    'year'
    >>> period_type(date(2026, 1, 5), date(2026, 1, 11))
    'days:7'
    """
    return dashboard.period_kind(date_from, date_to) or f"days:{(date_to - date_from).days + 1}"


def persistently_below(periods, threshold, count=2):
    """Whether the last ``count`` ended periods were all below ``threshold``: ``periods`` are
    ``(date_to, attainment)`` of the ended periods of one kind (a period with several
    targets gives its best attainment). False when fewer periods ended.

    >>> persistently_below([(date(2026, 1, 31), 60.0), (date(2026, 2, 28), 70.0)], 80.0)
    True
    >>> persistently_below([(date(2026, 1, 31), 60.0), (date(2026, 2, 28), 85.0)], 80.0)
    False
    >>> persistently_below([(date(2025, 12, 31), 95.0), (date(2026, 1, 31), 60.0), (date(2026, 2, 28), 70.0)], 80.0)
    True
    >>> persistently_below([(date(2026, 2, 28), 10.0)], 80.0)
    False
    """
    best = {}
    for end, attainment in periods:
        best[end] = max(best.get(end, attainment), attainment)
    last = sorted(best)[-count:]
    return len(last) == count and all(best[end] < threshold for end in last)
