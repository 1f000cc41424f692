"""Dates people type, read one way for every date option.

Every option that takes a day (--due, --start, --target, --issued, --at, --as-of,
--since, --until) reads it here: `YYYY-MM-DD`, `today`, `tomorrow`, `yesterday`,
`+3d`/`-2w`/`+1m`/`+1y` (calendar arithmetic with dateutil's relativedelta: one
month after 01-31 is the month's last day), and weekday names (`fri`, `next mon`,
`last fri`), all counted from today in the team's timezone. Forms like `12/05`
are refused: month/day or day/month is a guess, and a wrong guess is a wrong
due date nobody notices. Appointments take a day and a time (`2026-12-10 10:00`,
`2026-12-10T10:00`, `fri 14:30`), in the team's timezone unless an offset is given.

Nothing here knows about the write path or the CLI: `actions` and `filters` both use it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone as _utc_zone

from storeops.errors import UsageError

FORMS = "YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w, +1m, fri, next mon"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET = re.compile(r"^([+-])(\d{1,4})([dwmy])$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")
_DATETIME = re.compile(r"^(.+?)[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}
# the options that look back: a bare weekday there means the last one (today included), not the coming one
LOOKING_BACK = frozenset({"--since", "--until", "--at", "--issued"})


def _now() -> datetime:
    return datetime.now(_utc_zone.utc)


def today(timezone: str, now: datetime | None = None) -> date:
    """Today in the team's timezone (a cron at 01:00 in Shanghai is already tomorrow's date, not UTC's)."""
    from zoneinfo import ZoneInfo

    return (now or _now()).astimezone(ZoneInfo(timezone)).date()


def _weekday(word: str) -> int | None:
    word = word.lower()
    for i, (short, long) in enumerate(zip(WEEKDAYS, _LONG)):
        if word == short or (len(word) >= 3 and long.startswith(word)):
            return i
    return None


def resolve(text: str, on: date, back: bool = False) -> date:
    """The day `text` names, counted from `on` (today). Raises ValueError with the message to show.

    `back`: a bare weekday names the last such day (today included) instead of the coming one.
    """
    from dateutil.relativedelta import relativedelta

    word = " ".join(text.strip().lower().split())
    if _ISO.match(word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            raise ValueError("no such day in the calendar") from None
    if word in _WORDS:
        return on + timedelta(days=_WORDS[word])
    offset = _OFFSET.match(word)
    if offset:
        sign, count, unit = offset.groups()
        n = int(count) * (-1 if sign == "-" else 1)
        step = {"d": relativedelta(days=n), "w": relativedelta(weeks=n), "m": relativedelta(months=n),
                "y": relativedelta(years=n)}[unit]
        try:
            return on + step
        except (OverflowError, ValueError):
            raise ValueError("too far away") from None
    parts = word.split(" ")
    if len(parts) in (1, 2) and (len(parts) == 1 or parts[0] in ("next", "last")):
        day = _weekday(parts[-1])
        if day is not None:
            if len(parts) == 2:  # that weekday in next (last) week; weeks start on Monday
                monday = on - timedelta(days=on.weekday()) + timedelta(weeks=1 if parts[0] == "next" else -1)
                return monday + timedelta(days=day)
            ahead = (day - on.weekday()) % 7
            return on - timedelta(days=(7 - ahead) % 7) if back else on + timedelta(days=ahead)
    slashed = _SLASHED.match(word)
    if slashed:
        raise ValueError(_ambiguous(slashed, on))
    raise ValueError("")


def _ambiguous(match: re.Match, on: date) -> str:
    """The message for `12/05`: its readings, so the person picks one and writes it as YYYY-MM-DD."""
    a, b, year = match.groups()
    year_n = on.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    readings = {}
    for how, month, day in (("month/day", a, b), ("day/month", b, a)):
        try:
            readings[how] = date(year_n, int(month), int(day)).isoformat()
        except ValueError:
            pass
    if len(readings) == 2 and readings["month/day"] != readings["day/month"]:
        return f"ambiguous: {readings['month/day']} (month/day) or {readings['day/month']} (day/month); write YYYY-MM-DD"
    if readings:
        return f"reading: did you mean {next(iter(readings.values()))}? write YYYY-MM-DD"
    return ""


def user_date(value: str | None, option: str, timezone: str = "UTC", on: date | None = None,
              earliest: int | None = None) -> date | None:
    """A date option's value (None stays None); `on` is today (default: today in `timezone`).

    `earliest`: the first year allowed (up to model.LATEST_YEAR) for a date that is planned from;
    None: any year (a filter). Bad input is a UsageError naming the option, with the accepted forms as the hint."""
    if value is None:
        return None
    day = on
    if day is None and not _ISO.match(value.strip()):
        day = today(timezone)
    try:
        found = resolve(value, day or date.min, back=option in LOOKING_BACK)
    except ValueError as error:
        raise _refusal(option, value, str(error), f"write one of {FORMS}") from None
    if earliest is not None:
        from storeops.model import LATEST_YEAR

        if not earliest <= found.year <= LATEST_YEAR:
            raise UsageError(f"{option}: {found.isoformat()!r} is outside the years {earliest}–{LATEST_YEAR}",
                             hint=f"dates run from {earliest} to {LATEST_YEAR}")
    return found


def _refusal(option: str, value: str, reason: str, hint: str) -> UsageError:
    if reason.startswith("ambiguous: "):
        return UsageError(f"{option}: {value!r} is ambiguous", hint=reason.removeprefix("ambiguous: "))
    if reason.startswith("reading: "):
        return UsageError(f"{option}: {value!r} is not a date", hint=reason.removeprefix("reading: "))
    if reason:
        return UsageError(f"{option}: {value!r} is not a date ({reason})", hint=hint)
    return UsageError(f"{option}: {value!r} is not a date", hint=hint)


def user_datetime(value: str, option: str, timezone: str, on: date | None = None) -> datetime:
    """A day and a time: `2026-12-10 10:00`, `2026-12-10T10:00`, `fri 14:30`, with an optional offset
    (`+08:00`, `Z`); without one, the time is in the team's timezone. The result carries a fixed offset."""
    from zoneinfo import ZoneInfo

    hint = "write 2026-12-10 10:00 (team timezone), 2026-12-10T10:00+08:00, or a day like fri followed by HH:MM"
    text = " ".join(value.strip().split())
    if text.endswith("Z") and "T" in text:
        text = text[:-1] + "+00:00"
    try:
        exact = datetime.fromisoformat(text)
    except ValueError:
        exact = None
    if exact is not None and exact.tzinfo is not None and ("T" in text or " " in text):
        return _in_years(datetime.fromisoformat(exact.isoformat()), option, value)
    match = _DATETIME.match(text)
    if match is None:
        raise UsageError(f"{option}: {value!r} is not a date and time", hint=hint)
    day_text, clock, offset = match.groups()
    try:
        day = resolve(day_text, on or today(timezone))
        hour, minute, *second = (int(x) for x in clock.split(":"))
        moment = datetime(day.year, day.month, day.day, hour, minute, second[0] if second else 0)
    except ValueError as error:
        if str(error).startswith(("ambiguous: ", "reading: ")):
            raise _refusal(option, value, str(error), hint) from None
        raise UsageError(f"{option}: {value!r} is not a date and time", hint=hint) from None
    if offset:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "") if offset != "Z" else "0000"
        zone = _utc_zone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = moment.replace(tzinfo=zone)
    else:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return _in_years(datetime.fromisoformat(moment.isoformat()), option, value)


def _in_years(moment: datetime, option: str, value: str) -> datetime:
    from storeops.model import EARLIEST_YEAR, LATEST_YEAR

    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise UsageError(f"{option}: {value!r} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR}",
                         hint=f"dates run from {EARLIEST_YEAR} to {LATEST_YEAR}")
    return moment
