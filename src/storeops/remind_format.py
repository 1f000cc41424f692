"""Reminders as text, Markdown, JSON and iCalendar.

Every user-written string (task titles, store names) reaches a reader through
one of these, so each escapes for its medium: `clean` for terminals and mail,
Markdown escapes for chat, icalendar's own escaping for .ics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from storeops.labels import REMIND_TEXT, remind_kind, remind_text
from storeops.model import span_days
from storeops.remind import STALE_KINDS, Group, Item
from storeops.render import clean

APPOINTMENT_LENGTH = timedelta(hours=1)  # bookings have a start time only; calendars need an end


@dataclass(frozen=True)
class Header:
    team: str
    timezone: str
    as_of: date
    days: int
    lang: str
    problems: tuple = ()  # problems.Problem of the project files skipped: an item of their own, never in ICS

    def line(self, count: int) -> str:
        return remind_text(REMIND_TEXT, "header", self.lang, team=clean(self.team), date=self.as_of.isoformat(),
                           tz=self.timezone, count=count)

    def unreadable(self) -> str | None:
        """"1 project file cannot be read: projects/x.yaml:10:1: ..." (None when every file was read)."""
        if not self.problems:
            return None
        from storeops.messages import say

        files = "; ".join(clean(say(str(p), self.lang)) for p in self.problems)
        count = len(self.problems)
        return remind_text(REMIND_TEXT, "unreadable_one" if count == 1 else "unreadable", self.lang,
                           count=count, files=files)


def group_title(group: Group, by: str, lang: str) -> str:
    if group.key:
        return group.key
    return remind_text(REMIND_TEXT, "nobody" if by == "person" else "sops", lang)


# ---- plain text ----

def text_lines(group: Group, lang: str, limit: int | None = None) -> list[str]:
    shown = group.items if limit is None else group.items[:limit]
    lines = [f"  [{remind_kind(i.kind, lang)}] {clean(i.message)}" for i in shown]
    if len(group.items) > len(shown):
        lines.append("  " + remind_text(REMIND_TEXT, "more", lang, count=len(group.items) - len(shown)))
    return lines


def text(groups: list[Group], header: Header, by: str, count: int) -> str:
    out = [header.line(count)]
    if header.problems:
        out += ["", f"  [!] {header.unreadable()}"]
    for g in groups:
        out += ["", f"{clean(group_title(g, by, header.lang))} ({len(g.items)})", *text_lines(g, header.lang)]
    return "\n".join(out) + "\n"


# ---- Markdown ----

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def md_escape(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(value))


def markdown_lines(group: Group, lang: str, limit: int | None = None) -> list[str]:
    shown = group.items if limit is None else group.items[:limit]
    lines = [f"- **{md_escape(remind_kind(i.kind, lang))}** {md_escape(i.message)}" for i in shown]
    if len(group.items) > len(shown):
        lines.append("- " + md_escape(remind_text(REMIND_TEXT, "more", lang, count=len(group.items) - len(shown))))
    return lines


def markdown(groups: list[Group], header: Header, by: str, count: int) -> str:
    out = [f"# {md_escape(header.line(count))}"]
    if header.problems:
        out += ["", f"- **!** {md_escape(header.unreadable())}"]
    for g in groups:
        out += ["", f"## {md_escape(group_title(g, by, header.lang))} ({len(g.items)})", "", *markdown_lines(g, header.lang)]
    return "\n".join(out) + "\n"


# ---- JSON ----

def payload(items: list[Item], header: Header) -> dict:
    """The shape behind `remind --json` (emit_json adds "version")."""
    return {
        "as_of": header.as_of.isoformat(),
        "timezone": header.timezone,
        "team": header.team,
        "days": header.days,
        "count": len(items),
        "items": [i.to_dict() for i in items],
        "problems": [p.to_dict() for p in header.problems],
    }


# ---- iCalendar ----

def uid(item: Item) -> str:
    """Stable per thing reminded about, not per kind: when 'due soon' turns 'overdue', a re-import updates it."""
    return f"{item.key}@storeops"


def ics(items: list[Item], header: Header) -> bytes:
    """A calendar feed: deadlines as all-day events, appointments as timed events with an alarm."""
    from icalendar import Alarm, Calendar, Event

    tz = ZoneInfo(header.timezone)
    # DTSTAMP from --as-of, not the clock: the same run gives the same file
    stamp = datetime.combine(header.as_of, time(), tz).astimezone(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", "-//storeops//remind//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"storeops · {clean(header.team)}")
    calendar.add("x-wr-timezone", header.timezone)
    zones = _timezones(items)
    for zone in zones.values():
        if zone is not None:
            calendar.add_component(zone)
    seen: set[str] = set()
    for item in items:
        if uid(item) in seen:
            continue
        seen.add(uid(item))
        event = Event()
        event.add("uid", uid(item))
        event.add("dtstamp", stamp)
        event.add("summary", _summary(item, header.lang))
        description = clean(item.message)
        if item.kind == "appointment" and item.at is not None and zones.get(_zone_name(item.at)) is None:
            # no VTIMEZONE that every program reads alike: the instant in UTC, the wall clock in words
            description += f" ({item.at:%Y-%m-%d %H:%M} {_zone_name(item.at)})"
        event.add("description", description)
        event.add("categories", [item.kind])
        if item.kind == "appointment" and item.at is not None:
            start = item.at if zones.get(_zone_name(item.at)) is not None else item.at.astimezone(timezone.utc)
            event.add("dtstart", start)
            event.add("dtend", start + APPOINTMENT_LENGTH)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _summary(item, header.lang))
            alarm.add("trigger", -timedelta(days=span_days(item.remind_before or "1d")))
            event.add_component(alarm)
        else:
            # what has gone quiet is shown on the day of the run: that is when to follow up
            day = header.as_of if item.kind in STALE_KINDS else item.date
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _zone_name(at: datetime) -> str:
    return str(getattr(at.tzinfo, "key", None) or at.tzname())


def _timezones(items: list[Item]) -> dict:
    """zone name → its VTIMEZONE (ics_tz), or None where events must be written in UTC instead."""
    from storeops.ics_tz import vtimezone

    years: dict[str, set[int]] = {}
    for item in items:
        if item.kind == "appointment" and item.at is not None:
            years.setdefault(_zone_name(item.at), set()).update({item.at.year, (item.at + APPOINTMENT_LENGTH).year})
    zones = {}
    for name, seen in sorted(years.items()):
        try:
            zones[name] = vtimezone(name, range(min(seen), max(seen) + 1))
        except (ValueError, LookupError):  # not an IANA name (a fixed offset): UTC it is
            zones[name] = None
    return zones


def _summary(item: Item, lang: str) -> str:
    where = item.project or f"SOP {item.sop}"
    if item.task:
        where += f"/{item.task}"
    if item.document:
        where += f"/{item.document}"
    title = f" {item.title}" if item.title and item.title not in (item.task, item.project) else ""
    return clean(f"[{remind_kind(item.kind, lang)}] {where}{title}")
