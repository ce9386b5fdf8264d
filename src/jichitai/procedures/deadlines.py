"""標準処理期間: the due date of an application counted in the organization's open days.

Closed are Saturdays, Sundays, national holidays (``jpholiday``), 年末年始 (12月29日〜1月3日,
地方自治法第4条の2) and the days the organization itself declares closed (``ClosedDay``).
The days an application waits in 差戻し for its applicant do not count: when it comes back, its
due date is counted again from that day with the open days that were left (``open_days_between``
the return and the former due date)."""

from collections.abc import Collection
from datetime import date, timedelta

import jpholiday

# Within this many calendar days of its due date an open application is marked 期限間近.
DUE_SOON_DAYS = 3


def is_year_end_holiday(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_closed(day: date, closed_days: Collection[date] = ()) -> bool:
    return (
        day.weekday() >= 5
        or jpholiday.is_holiday(day)
        or is_year_end_holiday(day)
        or day in closed_days
    )


def add_open_days(start: date, days: int, closed_days: Collection[date] = ()) -> date:
    """The ``days``-th open day after ``start`` (the day of receipt is not counted); before it
    when ``days`` is negative."""
    day = start
    step = timedelta(days=1 if days >= 0 else -1)
    counted = 0
    while counted < abs(days):
        day += step
        if not is_closed(day, closed_days):
            counted += 1
    return day


def open_days_between(start: date, end: date, closed_days: Collection[date] = ()) -> int:
    """The open days after ``start`` up to and including ``end``; negative when ``end`` comes
    first (the open days after ``end`` up to ``start``)."""
    if end < start:
        return -open_days_between(end, start, closed_days)
    return sum(
        not is_closed(start + timedelta(days=offset), closed_days)
        for offset in range(1, (end - start).days + 1)
    )


def mark(due_date: date | None, today: date) -> str:
    """ "overdue", "soon" or "" for an application still waiting for the organization."""
    if due_date is None:
        return ""
    if due_date < today:
        return "overdue"
    if (due_date - today).days <= DUE_SOON_DAYS:
        return "soon"
    return ""
