"""Local days in UTC: documents store UTC datetimes, targets count local days and months."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def utc_bounds(date_from: date, date_to: date, tz: str) -> tuple[datetime, datetime]:
    """``(start, end)``: the naive UTC datetimes from the first instant of ``date_from`` to the
    first instant after ``date_to`` in the time zone ``tz`` (end excluded).

    >>> utc_bounds(date(2026, 4, 1), date(2026, 4, 30), "Asia/Shanghai")
    (datetime.datetime(2026, 3, 31, 16, 0), datetime.datetime(2026, 4, 30, 16, 0))
    >>> utc_bounds(date(2026, 3, 1), date(2026, 3, 31), "America/New_York")  # summer time from 8 March
    (datetime.datetime(2026, 3, 1, 5, 0), datetime.datetime(2026, 4, 1, 4, 0))
    >>> utc_bounds(date(2026, 1, 1), date(2026, 1, 1), "UTC")
    (datetime.datetime(2026, 1, 1, 0, 0), datetime.datetime(2026, 1, 2, 0, 0))
    """
    zone = ZoneInfo(tz or "UTC")

    def utc(day):
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)

    return utc(date_from), utc(date_to + timedelta(days=1))


def local_today(tz: str, now: datetime | None = None) -> date:
    """The date in the time zone ``tz`` at ``now`` (naive UTC, default: now).

    >>> local_today("Asia/Shanghai", datetime(2026, 3, 31, 18, 30))
    datetime.date(2026, 4, 1)
    >>> local_today("America/New_York", datetime(2026, 4, 1, 3, 30))
    datetime.date(2026, 3, 31)
    """
    moment = (now or datetime.now(timezone.utc).replace(tzinfo=None)).replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(tz or "UTC")).date()
