"""Dates people type: every date option reads today, +3d, fri, ... in the team's timezone, and refuses guesses."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from vault_fixtures import STATEMENT, act, attach, document, keys, write  # noqa: F401

import storeops.dates
from conftest import run_cli
from storeops import dates, yamlio

# The stores fixture's team is in Asia/Shanghai (UTC+8). 15:59 UTC on Friday 2026-12-04 is 23:59 that Friday
# there; a minute later it is 00:00 on Saturday 2026-12-05 in Shanghai while UTC is still on Friday.
BEFORE_MIDNIGHT = datetime(2026, 12, 4, 15, 59, tzinfo=timezone.utc)
AFTER_MIDNIGHT = datetime(2026, 12, 4, 16, 0, tzinfo=timezone.utc)

FORMS = [  # (typed, due the Friday evening, due the Saturday just after midnight)
    ("today", "2026-12-04", "2026-12-05"),
    ("tomorrow", "2026-12-05", "2026-12-06"),
    ("yesterday", "2026-12-03", "2026-12-04"),
    ("+3d", "2026-12-07", "2026-12-08"),
    ("-2d", "2026-12-02", "2026-12-03"),
    ("+2w", "2026-12-18", "2026-12-19"),
    ("-1w", "2026-11-27", "2026-11-28"),
    ("+1m", "2027-01-04", "2027-01-05"),
    ("+1y", "2027-12-04", "2027-12-05"),
    ("fri", "2026-12-04", "2026-12-11"),       # the coming Friday, today included
    ("Monday", "2026-12-07", "2026-12-07"),
    ("next mon", "2026-12-07", "2026-12-07"),  # Monday of next week (weeks start on Monday)
    ("next fri", "2026-12-11", "2026-12-11"),
    ("last fri", "2026-11-27", "2026-11-27"),
    ("2026-12-24", "2026-12-24", "2026-12-24"),
]


def due_after(stores, mini, monkeypatch, now, typed):
    monkeypatch.setattr(storeops.dates, "_now", lambda: now)
    result = run_cli("-C", str(stores), "schedule", mini, "licence", "--due", typed)
    assert result.exit_code == 0, result.stderr
    task = next(t for t in yamlio.load(stores / "projects" / f"{mini}.yaml")["tasks"] if t["id"] == "licence")
    return task["due"]


@pytest.mark.parametrize("typed, friday, saturday", FORMS)
def test_each_form_is_counted_from_today_in_the_team_timezone_around_midnight(stores, mini, monkeypatch,
                                                                             typed, friday, saturday):
    assert due_after(stores, mini, monkeypatch, BEFORE_MIDNIGHT, typed) == friday
    if saturday != friday:
        assert due_after(stores, mini, monkeypatch, AFTER_MIDNIGHT, typed) == saturday


def test_a_month_later_than_january_31_is_the_last_day_of_february():
    assert dates.resolve("+1m", date(2027, 1, 31)) == date(2027, 2, 28)


def test_looking_back_options_read_a_bare_weekday_as_the_last_one():
    saturday = date(2026, 12, 5)
    assert dates.resolve("fri", saturday, back=True) == date(2026, 12, 4)
    assert dates.resolve("sat", saturday, back=True) == saturday
    assert dates.resolve("fri", saturday) == date(2026, 12, 11)


def test_since_yesterday_reads_the_team_calendar(stores, mini, monkeypatch):
    monkeypatch.setattr(storeops.dates, "_now", lambda: AFTER_MIDNIGHT)
    result = run_cli("-C", str(stores), "status", "--since", "yesterday", "--json")
    assert result.exit_code == 0, result.stderr
    log = run_cli("-C", str(stores), "log", "--since", "-1w", "--until", "today", "--json")
    assert log.exit_code == 0, log.stderr


def test_month_day_or_day_month_is_refused_with_both_readings(stores, mini):
    result = run_cli("-C", str(stores), "schedule", mini, "licence", "--due", "12/05")
    year = dates.today("Asia/Shanghai").year
    assert result.exit_code == 2
    assert result.stderr == (f"error: --due: '12/05' is ambiguous\nhint: {year}-12-05 (month/day) or "
                             f"{year}-05-12 (day/month); write YYYY-MM-DD\n")
    one_way = run_cli("-C", str(stores), "schedule", mini, "licence", "--due", "25/12/2026")
    assert one_way.exit_code == 2
    assert one_way.stderr == ("error: --due: '25/12/2026' is not a date\n"
                              "hint: did you mean 2026-12-25? write YYYY-MM-DD\n")


@pytest.mark.parametrize("option", ["--due", "--start", "--target", "--issued", "--at", "--as-of", "--since",
                                    "--until"])
def test_nonsense_is_exit_2_with_the_accepted_forms(stores, mini, option, tmp_path):
    command = {
        "--due": ["schedule", mini, "licence"],
        "--start": ["new", "mini", "--store", "X", "--owner", "bob"],
        "--target": ["new", "mini", "--store", "X", "--owner", "bob"],
        "--issued": ["attach", mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement"],
        "--at": ["reject", mini, "--reason", "other"],
        "--as-of": ["remind"],
        "--since": ["report", "workload"],
        "--until": ["log"],
    }[option]
    result = run_cli("-C", str(stores), *command, option, "soonish")
    assert result.exit_code == 2
    assert result.stderr == (f"error: {option}: 'soonish' is not a date\n"
                             "hint: write one of YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w, +1m, fri, next mon\n")


@pytest.mark.parametrize("typed", ["2026-12-10 10:00", "2026-12-10T10:00", "2026-12-10T10:00:00+08:00",
                                   "2026-12-10 02:00Z"])
def test_appointments_take_a_space_or_a_t_in_the_team_timezone(stores, mini, typed):
    result = run_cli("-C", str(stores), "schedule", mini, "video", "--appointment", typed)
    assert result.exit_code == 0, result.stderr
    task = next(t for t in yamlio.load(stores / "projects" / f"{mini}.yaml")["tasks"] if t["id"] == "video")
    moment = datetime.fromisoformat(task["appointment"])
    assert moment == datetime(2026, 12, 10, 2, 0, tzinfo=timezone.utc)


def test_appointment_with_a_relative_day(stores, mini, monkeypatch):
    monkeypatch.setattr(storeops.dates, "_now", lambda: AFTER_MIDNIGHT)
    result = run_cli("-C", str(stores), "schedule", mini, "video", "--appointment", "tomorrow 09:30")
    assert result.exit_code == 0, result.stderr
    task = next(t for t in yamlio.load(stores / "projects" / f"{mini}.yaml")["tasks"] if t["id"] == "video")
    assert task["appointment"] == "2026-12-06T09:30:00+08:00"
    bad = run_cli("-C", str(stores), "schedule", mini, "video", "--appointment", "tomorrow at noon")
    assert bad.exit_code == 2 and "is not a date and time" in bad.stderr


def test_attach_refuses_an_issue_date_in_the_future(stores, mini, keys, tmp_path):
    result = attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement",
                    "--issued", "+1d")
    assert result.exit_code == 2
    tomorrow = dates.resolve("tomorrow", dates.today("Asia/Shanghai")).isoformat()
    assert result.stderr.startswith(f"error: --issued {tomorrow} is in the future\n")
    assert document(stores, mini, "bank-statement")["file"] is None


def test_attach_warns_about_a_document_already_expired_by_its_validity(stores, mini, keys, tmp_path):
    old = attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement",
                 "--issued", "-40d")
    assert old.exit_code == 0, old.stderr
    issued = document(stores, mini, "bank-statement")["issued"]
    expired = date.fromisoformat(issued).toordinal() + 30
    assert (f"warning: bank-statement issued {issued} expired on {date.fromordinal(expired).isoformat()} "
            "(valid 30 days): get a fresh one before submitting") in old.stderr
    fresh = attach(stores, mini, str(write(tmp_path, "s2.pdf", STATEMENT + b"2")), "--doc", "bank-statement",
                   "--issued", "today")
    assert fresh.exit_code == 0 and "expired" not in fresh.stderr


def test_reading_dates_does_not_load_the_write_path():
    import subprocess
    import sys

    code = ("import sys, storeops.filters, storeops.dates; "
            "print(sorted(m for m in ('storeops.actions', 'storeops.initrepo') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
