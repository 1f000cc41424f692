"""remind --format ics: a feed the icalendar parser reads back, with stable UIDs and alarms."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from remindkit import done, edit, moment, remind, shop  # noqa: F401 (shop is a fixture)


def _feed(root, tmp_path, as_of: str, *args: str) -> icalendar.Calendar:
    target = tmp_path / f"remind-{as_of}.ics"
    result = remind(root, "--as-of", as_of, "--format", "ics", "--output", str(target), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    return icalendar.Calendar.from_ical(target.read_bytes())


def _events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _scenario(root):
    """licence done; bank in progress, due 11-07; video booked 11-12 10:00 Shanghai; brand overdue."""
    edit(root, "2026-11-04T09:00:00+08:00", {**done("licence"), "bank": {"state": "in_progress"},
                                             "video": {"appointment": moment("2026-11-12T10:00:00+08:00")}})


def test_due_dates_are_all_day_events_with_stable_uids(shop, tmp_path):
    _scenario(shop)
    events = _events(_feed(shop, tmp_path, "2026-11-05"))
    assert set(events) == {"mini-us/brand/due@storeops", "mini-us/bank/due@storeops"}
    bank = events["mini-us/bank/due@storeops"]
    assert bank.decoded("DTSTART") == date(2026, 11, 7) and not isinstance(bank.decoded("DTSTART"), datetime)
    assert bank.decoded("DTEND") == date(2026, 11, 8)
    assert str(bank["SUMMARY"]) == "[due soon] mini-us/bank Bank statement"
    assert str(bank["DESCRIPTION"]) == "mini-us/bank (Bank statement): due in 2 days (2026-11-07)"
    assert not bank.walk("VALARM")


def test_appointment_is_a_timed_event_with_an_alarm_at_remind_before(shop, tmp_path):
    _scenario(shop)
    calendar = _feed(shop, tmp_path, "2026-11-09")
    video = _events(calendar)["mini-us/video/appointment@storeops"]
    start = video.decoded("DTSTART")
    assert start == datetime(2026, 11, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert video["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert video.decoded("DTEND") - start == timedelta(hours=1)
    [alarm] = video.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(days=-3)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_uid_stays_when_due_soon_turns_overdue_so_a_reimport_updates(shop, tmp_path):
    _scenario(shop)
    before = _events(_feed(shop, tmp_path, "2026-11-05"))["mini-us/bank/due@storeops"]
    after = _events(_feed(shop, tmp_path, "2026-11-09"))["mini-us/bank/due@storeops"]
    assert str(before["SUMMARY"]).startswith("[due soon]") and str(after["SUMMARY"]).startswith("[overdue]")


def test_same_run_gives_the_same_file(shop, tmp_path):
    _scenario(shop)
    first = remind(shop, "--as-of", "2026-11-09", "--format", "ics").stdout
    second = remind(shop, "--as-of", "2026-11-09", "--format", "ics").stdout
    assert first == second and "DTSTAMP:20261108T160000Z" in first   # 11-09 00:00 in Shanghai


def test_quiet_day_writes_an_empty_calendar_so_old_events_disappear(shop, tmp_path):
    calendar = _feed(shop, tmp_path, "2026-10-20")
    assert calendar.walk("VEVENT") == [] and str(calendar["PRODID"]) == "-//storeops//remind//EN"


def test_stale_reminders_sit_on_the_day_of_the_run(shop, tmp_path):
    events = _events(_feed(shop, tmp_path, "2026-11-20"))
    idle = events["mini-us/inactive@storeops"]
    assert idle.decoded("DTSTART") == date(2026, 11, 20)
