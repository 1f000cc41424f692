"""VTIMEZONE components that calendar programs read the same way (RFC 5545 §3.6.5).

icalendar's own VTIMEZONE lists every transition since 1970 as RDATEs; vobject
and ical.js misread those (an appointment at 2027-03-15 10:00 America/New_York,
daylight time, came out at UTC−5). Every program understands a yearly RRULE
("second Sunday of March at 02:00"), so the rule is derived here from the
zone's real transitions in the years the events need, and written as one
STANDARD and one DAYLIGHT component. A zone whose transitions follow no such
rule in those years (Morocco's Ramadan breaks, Israel's "Friday before the last
Sunday", a rule changed in between) gets no VTIMEZONE: its events are written
in UTC, which every program reads right (see remind_format.ics).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UTC = timezone.utc


@dataclass(frozen=True)
class Onset:
    """One transition: the wall-clock time it happens at (in the offset before it) and the offsets."""
    local: datetime           # naive, in `before`
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    def shape(self) -> tuple:
        """What must repeat every year for a yearly rule: month, weekday, wall time, offsets, week."""
        last = self.local.day + 7 > calendar.monthrange(self.local.year, self.local.month)[1]
        return (self.daylight, self.local.month, self.local.weekday(), self.local.time(), self.before,
                self.after, self.name, (self.local.day - 1) // 7 + 1, last)


def transitions(tz: ZoneInfo, start: datetime, end: datetime) -> list[Onset]:
    """The zone's offset changes between two UTC instants, to the second."""
    found: list[Onset] = []
    step = timedelta(hours=6)  # shorter than any gap between two transitions of a real zone
    moment, offset = start, start.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + step
        if following.astimezone(tz).utcoffset() != offset:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            after = high.astimezone(tz)
            found.append(Onset(local=(high + offset).replace(tzinfo=None), before=offset,
                               after=after.utcoffset(), name=after.tzname() or "",
                               # by the clocks, not zoneinfo's dst(): Dublin's winter time is its "daylight"
                               daylight=after.utcoffset() > offset))
            offset = after.utcoffset()
        moment = following
    return found


def _byday(onsets: list[Onset]) -> str | None:
    """The RRULE BYDAY that gives every onset's date ("2SU", "-1SU"), or None when none does."""
    weekday = WEEKDAYS[onsets[0].local.weekday()]
    weeks = {o.shape()[7] for o in onsets}
    week = next(iter(weeks)) if len(weeks) == 1 else None
    # where a few years fit both, real rules say "first/second/third" or "last", seldom "fourth"
    if week is not None and week <= 3:
        return f"{week}{weekday}"
    if all(o.shape()[8] for o in onsets):
        return f"-1{weekday}"
    return f"{week}{weekday}" if week == 4 else None


def vtimezone(name: str, years: range):
    """An icalendar Timezone for `name` valid over `years`, or None when the zone follows no yearly rule there."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    tz = ZoneInfo(name)
    first = datetime(years.start - 1, 1, 1, tzinfo=UTC)  # the year before: the offset at the first event is defined
    onsets = transitions(tz, first, datetime(years.stop, 1, 1, tzinfo=UTC))
    component = Timezone()
    component.add("tzid", name)
    if not onsets:
        standard = TimezoneStandard()
        offset = first.astimezone(tz)
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset.utcoffset())
        standard.add("tzoffsetto", offset.utcoffset())
        standard.add("tzname", offset.tzname() or name)
        component.add_component(standard)
        return component
    span = years.stop - first.year
    for daylight in (True, False):
        these = [o for o in onsets if o.daylight == daylight]
        byday = _byday(these) if these else None
        if (len(these) != span or byday is None or {o.local.year for o in these} != set(range(first.year, years.stop))
                or len({o.shape()[:7] for o in these}) != 1):
            return None
        onset = these[0]
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("dtstart", onset.local)
        part.add("tzoffsetfrom", onset.before)
        part.add("tzoffsetto", onset.after)
        part.add("tzname", onset.name)
        part.add("rrule", {"freq": "yearly", "bymonth": onset.local.month, "byday": byday})
        component.add_component(part)
    return component
