"""remind --format ics: appointments keep their UTC offset across DST in every calendar program.

Two parsers read the feed back: icalendar (building the zone from the file's VTIMEZONE, not from its
name) and vobject; under `-m slow` a third, ical.js (what Thunderbird and many web calendars use), fetched
with npm. With the old RDATE-list VTIMEZONE, vobject read 2027-03-15 10:00 America/New_York as UTC−5.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import vobject
from remindkit import edit, moment, remind, shop  # noqa: F401 (shop is a fixture)

H = timedelta(hours=1)
APPOINTMENT = "mini-us/video/appointment@storeops"
CASES = [  # zone, the appointment's wall-clock time there, its UTC offset
    ("America/New_York", "2027-03-15T10:00", -4 * H),   # the report: daylight time, a day after the change
    ("America/New_York", "2027-03-13T10:00", -5 * H),   # the day before the change
    ("America/New_York", "2027-11-08T10:00", -5 * H),   # back to standard time
    ("America/New_York", "2027-01-15T10:00", -5 * H),   # before any change of the year
    ("Europe/Berlin", "2027-03-29T10:00", 2 * H),       # summer time began 2027-03-28
    ("Europe/Berlin", "2027-03-26T10:00", 1 * H),
    ("Europe/Berlin", "2027-10-31T10:00", 1 * H),       # summer time ended that night
    ("Europe/Berlin", "2027-07-01T10:00", 2 * H),
    ("Australia/Sydney", "2027-01-10T10:00", 11 * H),   # southern summer
    ("Asia/Shanghai", "2027-03-15T10:00", 8 * H),       # no daylight time
]


def feed(root: Path, zone: str, wall: str) -> bytes:
    text = (root / "storeops.yaml").read_text()
    (root / "storeops.yaml").write_text(text.replace("timezone: Asia/Shanghai", f"timezone: {zone}"))
    local = datetime.fromisoformat(wall)
    from zoneinfo import ZoneInfo

    at = local.replace(tzinfo=ZoneInfo(zone))
    edit(root, "2026-11-04T09:00:00+08:00", {"video": {"appointment": moment(at.isoformat())}})
    result = remind(root, "--as-of", (local - timedelta(days=1)).date().isoformat(), "--format", "ics")
    assert result.exit_code == 0, result.stderr
    return result.stdout.encode()


def icalendar_offset(data: bytes) -> timedelta:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == APPOINTMENT]
    start = event["DTSTART"]
    if start.dt.tzinfo is timezone.utc or start.to_ical().endswith(b"Z"):
        return timedelta(0)
    [zone] = [z for z in calendar.walk("VTIMEZONE") if str(z["TZID"]) == start.params["TZID"]]
    tz = zone.to_tz(lookup_tzid=False)   # the file's rules, not the system's zone of that name
    return start.dt.replace(tzinfo=tz).utcoffset()


def vobject_start(data: bytes) -> datetime:
    [event] = [e for e in vobject.readOne(data.decode()).vevent_list if e.uid.value == APPOINTMENT]
    return event.dtstart.value


@pytest.mark.parametrize("zone, wall, offset", CASES, ids=[f"{z}-{w[:10]}" for z, w, _ in CASES])
def test_two_parsers_read_the_appointment_at_its_utc_offset(shop, zone, wall, offset):
    data = feed(shop, zone, wall)
    assert icalendar_offset(data) == offset
    start = vobject_start(data)
    assert start.replace(tzinfo=None) == datetime.fromisoformat(wall) and start.utcoffset() == offset


def test_vtimezone_is_a_yearly_rule_not_a_list_of_dates(shop):
    data = feed(shop, "America/New_York", "2027-03-15T10:00")
    [zone] = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    parts = {part.name: part for part in zone.subcomponents}
    assert set(parts) == {"DAYLIGHT", "STANDARD"} and b"RDATE" not in data
    assert parts["DAYLIGHT"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"
    assert parts["STANDARD"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"
    # the rule starts the year before the first event, so the offset before its first change is defined
    assert parts["DAYLIGHT"].decoded("DTSTART") == datetime(2026, 3, 8, 2, 0)
    assert b"DTSTART;TZID=America/New_York:20270315T100000" in data


def test_a_zone_without_a_yearly_rule_gets_utc_times_and_the_zone_in_words(shop):
    # Morocco leaves +01 for +00 around Ramadan, which moves every year: no RRULE says that
    data = feed(shop, "Africa/Casablanca", "2027-03-15T10:00")
    assert b"BEGIN:VTIMEZONE" not in data and b"DTSTART:20270315T090000Z" in data
    [event] = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if str(e["UID"]) == APPOINTMENT]
    assert str(event["DESCRIPTION"]).endswith("(2027-03-15 10:00 Africa/Casablanca)")
    assert vobject_start(data) == datetime(2027, 3, 15, 9, 0, tzinfo=timezone.utc)


ICALJS = """
const ICAL = require("ical.js");
const fs = require("fs");
const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[2], "utf8")));
for (const vtz of comp.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtz);
}
const event = comp.getAllSubcomponents("vevent").find(e => e.getFirstPropertyValue("uid") === process.argv[3]);
const start = event.getFirstPropertyValue("dtstart");
console.log(JSON.stringify({offset: start.utcOffset(), wall: start.toString()}));
"""


@pytest.fixture(scope="session")
def icaljs(tmp_path_factory):
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed")
    where = tmp_path_factory.mktemp("icaljs")
    got = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "ical.js@2"], cwd=where,
                         capture_output=True, text=True, timeout=600)
    if got.returncode != 0:
        pytest.skip("ical.js cannot be fetched: " + got.stderr[-300:])
    (where / "offset.js").write_text(ICALJS)
    return where


@pytest.mark.slow
@pytest.mark.parametrize("zone, wall, offset", CASES[:2] + CASES[4:6], ids=[f"{z}-{w[:10]}" for z, w, _ in
                                                                            CASES[:2] + CASES[4:6]])
def test_ical_js_agrees(shop, icaljs, tmp_path, zone, wall, offset):
    target = tmp_path / "remind.ics"
    target.write_bytes(feed(shop, zone, wall))
    shown = subprocess.run(["node", "offset.js", str(target), APPOINTMENT], cwd=icaljs, capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    read = json.loads(shown.stdout)
    assert read["offset"] == offset.total_seconds() and read["wall"].startswith(wall)
