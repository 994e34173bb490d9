"""Pacing of one target: what should have been reached by a given day, how far it is,
what daily run-rate is still needed, and the resulting status.

All functions take plain numbers and dates. ``direction`` is ``"higher"`` when more is
better (revenue) and ``"lower"`` when less is better (cost, churn).
"""

from datetime import date, timedelta

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
ACHIEVED = "achieved"
MISSED = "missed"
NOT_STARTED = "not_started"
_DAY = timedelta(days=1)


def period_days(date_from: date, date_to: date) -> int:
    """Number of days of a period, both ends included.

    >>> period_days(date(2026, 1, 1), date(2026, 1, 31))
    31
    """
    return (date_to - date_from).days + 1


def elapsed_days(date_from: date, date_to: date, today: date) -> int:
    """Days of the period already over or under way on ``today`` (today counts as elapsed).

    >>> elapsed_days(date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 10))
    10
    >>> elapsed_days(date(2026, 1, 1), date(2026, 1, 31), date(2025, 12, 31))
    0
    >>> elapsed_days(date(2026, 1, 1), date(2026, 1, 31), date(2026, 3, 1))
    31
    """
    if today < date_from:
        return 0
    if today > date_to:
        return period_days(date_from, date_to)
    return (today - date_from).days + 1


def expected_to_date(target: float, date_from: date, date_to: date, today: date) -> float:
    """Part of ``target`` that a linear pace reaches by the end of ``today``.

    >>> expected_to_date(3100.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 10))
    1000.0
    """
    total = period_days(date_from, date_to)
    if total <= 0:
        return 0.0
    return target * elapsed_days(date_from, date_to, today) / total


def attainment(actual: float, target: float, direction: str = "higher") -> float:
    """Attainment in percent.

    Higher is better: actual / target. Lower is better: target / actual (reaching half the
    allowed value is 200 %). A zero target is attained at 100 % when nothing is required.

    >>> attainment(750.0, 1000.0)
    75.0
    >>> attainment(50.0, 100.0, "lower")
    200.0
    >>> attainment(0.0, 0.0)
    100.0
    """
    if direction == "lower":
        if actual <= 0:
            return 100.0
        return target / actual * 100.0
    if target <= 0:
        return 100.0 if actual >= 0 else 0.0
    return actual / target * 100.0


def gap(actual: float, target: float, direction: str = "higher") -> float:
    """What is still missing to reach the target; 0 once it is reached (see ``surplus``).

    >>> gap(750.0, 1000.0)
    250.0
    >>> gap(120.0, 100.0, "lower")
    20.0
    >>> gap(1200.0, 1000.0)
    0.0
    """
    missing = actual - target if direction == "lower" else target - actual
    return max(missing, 0.0)


def surplus(actual: float, target: float, direction: str = "higher") -> float:
    """How far the target is beaten; 0 while it is not.

    >>> surplus(1200.0, 1000.0)
    200.0
    >>> surplus(80.0, 100.0, "lower")
    20.0
    >>> surplus(750.0, 1000.0)
    0.0
    """
    beaten = target - actual if direction == "lower" else actual - target
    return max(beaten, 0.0)


def run_rate_needed(actual: float, target: float, date_from: date, date_to: date,
                    today: date, direction: str = "higher") -> float:
    """Amount per remaining day (today included) still needed to reach the target.

    Zero once the target is reached, once the period is over, and for lower-is-better
    targets (a ceiling needs no run-rate).

    >>> run_rate_needed(1000.0, 3100.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 11))
    100.0
    """
    if direction == "lower" or today > date_to:
        return 0.0
    missing = target - actual
    if missing <= 0:
        return 0.0
    start = max(today, date_from)
    return missing / period_days(start, date_to)


def status(actual: float, target: float, date_from: date, date_to: date, today: date,
           direction: str = "higher", on_track_pct: float = 95.0,
           at_risk_pct: float = 80.0, expected: float | None = None) -> str:
    """Status of a target on ``today``.

    Before the period: ``not_started``. After it: ``achieved`` or ``missed``. During it, a higher-is-better target
    already reached is ``achieved``; otherwise the actual is compared with the linear
    expectation: at least ``on_track_pct`` % of it is ``on_track``, at least
    ``at_risk_pct`` % is ``at_risk``, below that ``off_track``. For lower-is-better targets
    the ratio is expected / actual, and a ceiling already exceeded is ``off_track``.
    ``expected`` replaces the linear expectation (see ``expected_with_segments``).

    >>> d1, d2 = date(2026, 1, 1), date(2026, 1, 31)
    >>> status(1000.0, 3100.0, d1, d2, date(2026, 1, 10))
    'on_track'
    >>> status(850.0, 3100.0, d1, d2, date(2026, 1, 10))
    'at_risk'
    >>> status(500.0, 3100.0, d1, d2, date(2026, 1, 10))
    'off_track'
    >>> status(3000.0, 3100.0, d1, d2, date(2026, 2, 1))
    'missed'
    >>> status(0.0, 3100.0, d1, d2, date(2025, 12, 31))
    'not_started'
    """
    if today < date_from:
        return NOT_STARTED
    if today > date_to:
        if direction == "lower":
            return ACHIEVED if actual <= target else MISSED
        return ACHIEVED if actual >= target else MISSED
    if direction == "lower":
        if actual > target:
            return OFF_TRACK
    elif actual >= target and target > 0:
        return ACHIEVED
    if expected is None:
        expected = expected_to_date(target, date_from, date_to, today)
    if direction == "lower":
        ratio = 100.0 if actual <= 0 else expected / actual * 100.0
    else:
        ratio = 100.0 if expected <= 0 else actual / expected * 100.0
    if ratio >= on_track_pct:
        return ON_TRACK
    if ratio >= at_risk_pct:
        return AT_RISK
    return OFF_TRACK


def evaluate(actual: float, target: float, date_from: date, date_to: date, today: date,
             direction: str = "higher", on_track_pct: float = 95.0,
             at_risk_pct: float = 80.0, segments=None) -> dict:
    """Every measured figure of a target at once, as stored on ``sales.target``.

    ``segments`` (see ``value_segments``) are the values in force over the period when the
    target was adjusted: the expected-to-date (hence the status) then follows them;
    ``target`` is the value in force today, which attainment, gap and run-rate use.

    >>> r = evaluate(1000.0, 3100.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 10))
    >>> r["expected_value"], r["status"], round(r["attainment"], 2)
    (1000.0, 'on_track', 32.26)
    >>> r = evaluate(3250.0, 6000.0, date(2026, 1, 1), date(2026, 1, 30), date(2026, 1, 20),
    ...              segments=[(date(2026, 1, 1), 3000.0), (date(2026, 1, 11), 6000.0)])
    >>> r["expected_value"], r["status"], r["run_rate_needed"]
    (3500.0, 'at_risk', 250.0)
    """
    if segments:
        expected = expected_with_segments(segments, date_from, date_to, today)
    else:
        expected = expected_to_date(target, date_from, date_to, today)
    return {
        "attainment": attainment(actual, target, direction),
        "expected_value": expected,
        "gap_value": gap(actual, target, direction),
        "run_rate_needed": run_rate_needed(actual, target, date_from, date_to, today, direction),
        "status": status(actual, target, date_from, date_to, today, direction,
                         on_track_pct, at_risk_pct, expected=expected),
    }


def stored_figures(actual: float, target: float, date_from: date, date_to: date, today: date, *,
                   direction: str = "higher", on_track_pct: float = 95.0, at_risk_pct: float = 80.0,
                   good: float = 100.0, bad: float = 80.0, rate: bool = False, measured: bool = True,
                   segments=None) -> dict:
    """Every figure stored on a target from its actual, as the refresh writes them: the
    pacing (``evaluate``, or ``evaluate_rate`` for a ``rate`` KPI, which an empty denominator
    leaves not ``measured``) and the traffic light (``None`` for a rate not measured, or
    before the period starts).

    >>> r = stored_figures(0.0, 3100.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 10))
    >>> r["expected_value"], r["status"], r["traffic_light"]
    (1000.0, 'off_track', 'bad')
    >>> stored_figures(0.0, 3100.0, date(2026, 2, 1), date(2026, 2, 28), date(2026, 1, 10))["traffic_light"]
    >>> r = stored_figures(0.0, 30.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 10), rate=True,
    ...                    measured=False)
    >>> r["attainment"], r["traffic_light"]
    (0.0, None)
    """
    if rate:
        figures = evaluate_rate(actual, target, date_from, date_to, today, direction=direction,
                                on_track_pct=on_track_pct, at_risk_pct=at_risk_pct, measured=measured)
    else:
        figures = evaluate(actual, target, date_from, date_to, today, direction=direction,
                           on_track_pct=on_track_pct, at_risk_pct=at_risk_pct, segments=segments)
    paced = light_attainment(actual, target, figures["expected_value"], date_to, today, direction)
    started = today >= date_from
    figures["traffic_light"] = (measured or not rate) and traffic_light(paced, good, bad, started=started) or None
    return figures


# ---------------------------------------------------------------------- adjusted targets
def value_segments(initial: float, date_from: date, changes) -> list:
    """The values in force over a period, as ``[(first day, value), ...]`` sorted by day.

    ``initial`` is in force from ``date_from``; ``changes`` are ``(effective day, new
    value)`` in the order they were applied. A change rules from its effective day on and
    replaces whatever earlier changes said about those days (a later, retroactive change
    wins); a change effective before ``date_from`` counts from ``date_from``.

    >>> d = date(2026, 1, 1)
    >>> value_segments(3000.0, d, [(date(2026, 1, 11), 6000.0)])
    [(datetime.date(2026, 1, 1), 3000.0), (datetime.date(2026, 1, 11), 6000.0)]
    >>> value_segments(3000.0, d, [(date(2026, 1, 11), 6000.0), (date(2026, 1, 5), 4500.0)])
    [(datetime.date(2026, 1, 1), 3000.0), (datetime.date(2026, 1, 5), 4500.0)]
    >>> value_segments(3000.0, d, [(d, 6000.0)])
    [(datetime.date(2026, 1, 1), 6000.0)]
    """
    segments = [(date_from, initial)]
    for day, value in changes:
        day = max(day, date_from)
        segments = [s for s in segments if s[0] < day] + [(day, value)]
    return segments


def value_in_force(segments, day: date) -> float:
    """The value of the last segment starting on or before ``day`` (the first one before).

    >>> segs = [(date(2026, 1, 1), 3000.0), (date(2026, 1, 11), 6000.0)]
    >>> value_in_force(segs, date(2026, 1, 10)), value_in_force(segs, date(2026, 1, 11))
    (3000.0, 6000.0)
    """
    value = segments[0][1]
    for start, segment_value in segments:
        if start > day:
            break
        value = segment_value
    return value


def expected_with_segments(segments, date_from: date, date_to: date, today: date) -> float:
    """Expected-to-date of a target whose value changed during its period.

    The rule: days before a change keep the pace they had (what was expected by the eve
    of the change stays expected), and from its effective day the pace is the one that
    reaches the new value at the end of the period, starting from what was expected on
    the eve. So the expectation ends on the value in force, and a single segment is the
    plain linear pace. A new value below what was already expected is expected in full
    from its effective day (never more than the value in force).

    A 30-day target of 3000 raised to 6000 from day 11: 100 a day for days 1-10 (1000 on
    day 10), then (6000 - 1000) / 20 days = 250 a day, so 3500 on day 20 and 6000 on day 30.

    >>> segs = [(date(2026, 1, 1), 3000.0), (date(2026, 1, 11), 6000.0)]
    >>> [expected_with_segments(segs, date(2026, 1, 1), date(2026, 1, 30), date(2026, 1, d))
    ...  for d in (10, 11, 20, 30)]
    [1000.0, 1250.0, 3500.0, 6000.0]
    >>> expected_with_segments([(date(2026, 1, 1), 3000.0), (date(2026, 1, 11), 500.0)],
    ...                        date(2026, 1, 1), date(2026, 1, 30), date(2026, 1, 20))
    500.0
    >>> expected_with_segments([(date(2026, 1, 1), 3100.0)], date(2026, 1, 1), date(2026, 1, 31),
    ...                        date(2026, 1, 10))
    1000.0
    """
    if today < date_from:
        return 0.0
    today = min(today, date_to)
    expected, start, value = 0.0, date_from, segments[0][1]
    for day, next_value in segments[1:]:
        if day > today:  # today is within the period: later changes do not count yet
            break
        # what the current segment expects by the eve of the change
        expected = _expected_in_segment(expected, value, start, date_to, day - _DAY)
        start, value = day, next_value
    return _expected_in_segment(expected, value, start, date_to, today)


def _expected_in_segment(base: float, value: float, start: date, date_to: date, day: date) -> float:
    """Expectation on ``day`` of a segment starting on ``start`` with ``base`` already
    expected on its eve and ``value`` due at ``date_to``."""
    if value <= base:
        return value
    return base + (value - base) * elapsed_days(start, date_to, day) / period_days(start, date_to)


# ---------------------------------------------------------------------- traffic lights
def traffic_light(attainment: float, good: float, bad: float, started: bool = True) -> str:
    """``"good"`` from ``good`` % of attainment, ``"bad"`` under ``bad`` %, ``"warning"``
    in between; ``""`` while the period has not ``started``. Attainment already follows
    the direction (100 % is on target for lower-is-better KPIs too).

    >>> [traffic_light(a, 100.0, 80.0) for a in (100.0, 99.99, 80.0, 79.99)]
    ['good', 'warning', 'warning', 'bad']
    >>> traffic_light(120.0, 100.0, 80.0, started=False)
    ''
    """
    if not started:
        return ""
    if attainment >= good:
        return "good"
    return "bad" if attainment < bad else "warning"


def light_attainment(actual: float, target: float, expected: float, date_to: date, today: date,
                     direction: str = "higher") -> float:
    """The attainment a traffic light reads: against what is expected to date while the
    period runs (half-way through its period, half of the target is on pace), against the
    target once the period is over.

    >>> d = date(2026, 1, 31)
    >>> light_attainment(500.0, 1000.0, 500.0, d, date(2026, 1, 16))
    100.0
    >>> light_attainment(500.0, 1000.0, 500.0, d, date(2026, 2, 1))
    50.0
    """
    if today <= date_to and expected:
        return attainment(actual, expected, direction)
    return attainment(actual, target, direction)


def evaluate_rate(actual: float, target: float, date_from: date, date_to: date, today: date,
                  direction: str = "higher", on_track_pct: float = 95.0, at_risk_pct: float = 80.0,
                  measured: bool = True) -> dict:
    """``evaluate`` for a rate or an average (a ratio KPI): it does not accumulate over the
    period, so what is expected to date is the target itself and no run-rate is needed.

    A rate whose denominator is empty (no deal won, no order) is not ``measured``: its actual
    of 0 is no figure (an average sales cycle of 0 days is not a record), so it attains 0 %,
    leaves no gap, and stays ``not_started`` until something is measured (on the first days of
    a month nobody has closed a deal yet: no alert for that), then is ``missed`` if its period
    ended with nothing measured, whatever the direction; it has no traffic light either.

    >>> r = evaluate_rate(40.0, 50.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 10))
    >>> r["expected_value"], r["status"], r["attainment"], r["run_rate_needed"]
    (50.0, 'at_risk', 80.0, 0.0)
    >>> [evaluate_rate(0.0, 8.0, date(2026, 1, 1), date(2026, 1, 31), day, "lower", measured=False)["status"]
    ...  for day in (date(2025, 12, 31), date(2026, 1, 10), date(2026, 2, 1))]
    ['not_started', 'not_started', 'missed']
    >>> r = evaluate_rate(0.0, 8.0, date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 1), "lower", measured=False)
    >>> r["attainment"], r["gap_value"]
    (0.0, 0.0)
    """
    if not measured:
        unmeasured = MISSED if today > date_to else NOT_STARTED
        return {"attainment": 0.0, "expected_value": target, "gap_value": 0.0, "run_rate_needed": 0.0,
                "status": unmeasured}
    return {
        "attainment": attainment(actual, target, direction),
        "expected_value": target,
        "gap_value": gap(actual, target, direction),
        "run_rate_needed": 0.0,
        "status": status(actual, target, date_from, date_to, today, direction, on_track_pct, at_risk_pct,
                         expected=target),
    }
