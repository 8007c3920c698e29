"""Working days: weekdays that are not bank holidays in the board's jurisdiction.

The holidays come from the maintained ``holidays`` library (it knows Jersey's Liberation Day
and each UK nation's own bank holidays), never from a hand-written list.
"""

from datetime import date, timedelta
from functools import cache

import holidays

from reviews.frameworks import Jurisdiction

_CALENDARS = {
    Jurisdiction.ENGLAND: ("GB", "ENG"),
    Jurisdiction.WALES: ("GB", "WLS"),
    Jurisdiction.SCOTLAND: ("GB", "SCT"),
    Jurisdiction.NORTHERN_IRELAND: ("GB", "NIR"),
    Jurisdiction.JERSEY: ("JE", None),
}


@cache
def _holidays(jurisdiction: str, year: int) -> frozenset[date]:
    country, subdivision = _CALENDARS[Jurisdiction(jurisdiction)]
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def is_working_day(day: date, jurisdiction: str) -> bool:
    """Whether ``day`` is a weekday and not a bank holiday; raises ValueError if unknown place."""
    return day.weekday() < 5 and day not in _holidays(jurisdiction, day.year)


def add_working_days(start: date, days: int, jurisdiction: str) -> date:
    """The date ``days`` working days after ``start`` (before it, for a negative count)."""
    step = timedelta(days=1 if days >= 0 else -1)
    remaining, day = abs(days), start
    while remaining:
        day += step
        if is_working_day(day, jurisdiction):
            remaining -= 1
    return day
