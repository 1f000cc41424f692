"""storeops remind: every kind of reminder, reproducible with --as-of, and quiet when nothing is due."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from conftest import run_cli, run_subprocess
from remindkit import done, edit, items, kinds, load, moment, remind, shop  # noqa: F401 (shop is a fixture)

import storeops.dates
from storeops import remind as domain
from storeops.model import Archived


def _set_policy(root, **values):
    text = (root / "storeops.yaml").read_text()
    for key, value in values.items():
        text = text.replace(f"{key}: ", f"{key}: {value} #", 1)
    (root / "storeops.yaml").write_text(text)


def _set_timezone(root, name):
    text = (root / "storeops.yaml").read_text()
    (root / "storeops.yaml").write_text(text.replace("timezone: Asia/Shanghai", f"timezone: {name}"))


# ---- quiet ----

def test_nothing_due_prints_nothing_and_exits_0(shop):
    result = remind(shop, "--as-of", "2026-10-25")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_nothing_due_is_quiet_in_every_format_and_with_fail_if_due(shop):
    for fmt in ("text", "json", "markdown", "ics"):
        result = remind(shop, "--as-of", "2026-10-25", "--format", fmt, "--fail-if-due")
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), fmt


def test_nothing_due_is_quiet_as_a_real_process(shop):
    proc = run_subprocess("remind", "--as-of", "2026-10-25", cwd=shop)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_output_file_is_written_even_when_nothing_is_due(shop, tmp_path):
    target = tmp_path / "remind.json"  # into an existing folder: a missing one is refused (test_sharp_edges)
    result = remind(shop, "--as-of", "2026-10-25", "--json", "--output", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(target.read_text())["items"] == []


# ---- deadlines ----

def test_overdue_tasks_name_the_person_and_the_days(shop):
    found = items(shop, "--as-of", "2026-11-05")
    assert kinds(found) == [("overdue", "mini-us/brand", -2, ["dave"]), ("overdue", "mini-us/licence", -1, ["bob"])]
    licence = found[1]
    assert licence["date"] == "2026-11-04" and licence["person"] == "bob"
    assert licence["message"] == ("mini-us/licence (Prepare business licence): overdue by 1 day (due 2026-11-04); "
                                  "holds up bank, video")


def test_tasks_waiting_for_unfinished_dependencies_are_not_reminded(shop):
    # bank (due 11-07) cannot start before licence is done: only licence is chased
    found = items(shop, "--as-of", "2026-11-08")
    assert [i["task"] for i in found] == ["brand", "licence"]


def test_due_soon_uses_days_or_the_team_policy(shop):
    default = items(shop, "--as-of", "2026-11-01")   # policies.remind_days is 3
    assert kinds(default) == [("due_soon", "mini-us/brand", 2, ["dave"]), ("due_soon", "mini-us/licence", 3, ["bob"])]
    assert default[0]["message"] == "mini-us/brand (Brand authorisation): due in 2 days (2026-11-03)"
    assert kinds(items(shop, "--as-of", "2026-11-01", "--days", "2")) == [("due_soon", "mini-us/brand", 2, ["dave"])]
    _set_policy(shop, remind_days=1)
    assert items(shop, "--as-of", "2026-11-01") == []


def test_due_today_and_tomorrow_read_naturally(shop):
    found = items(shop, "--as-of", "2026-11-03")
    assert [i["message"].split(": ", 1)[1] for i in found] == ["due today (2026-11-03)", "due tomorrow (2026-11-04)"]


def test_finished_and_skipped_tasks_are_never_due(shop):
    edit(shop, "2026-11-03T09:00:00+08:00", {"licence": {"state": "done"}, "brand": {"state": "skipped"}})
    assert items(shop, "--as-of", "2026-11-05", "--days", "1") == []


def test_a_submitted_gated_task_goes_to_the_approvers(shop):
    edit(shop, "2026-11-06T09:00:00+08:00", {**done("licence"), "bank": {"state": "submitted"},
                                              "brand": {"state": "skipped"}})
    [bank] = items(shop, "--as-of", "2026-11-08")
    assert (bank["kind"], bank["person"], bank["role"], bank["recipients"]) == ("overdue", None, "finance", ["carol"])
    assert bank["message"].endswith("(due 2026-11-07); waiting for approval by finance; holds up video")


# ---- appointments ----

def _booked(root, when="2026-11-12T10:00:00+08:00"):
    edit(root, "2026-11-06T09:00:00+08:00", {**done("licence", "bank"), "brand": {"state": "skipped"},
                                             "video": {"appointment": moment(when)}})


def test_appointment_within_remind_before_with_local_time(shop):
    _booked(shop)
    [video] = items(shop, "--as-of", "2026-11-09")
    assert (video["kind"], video["days"], video["date"], video["at"]) == (
        "appointment", 3, "2026-11-12", "2026-11-12T10:00:00+08:00")
    assert video["remind_before"] == "3d" and video["recipients"] == ["bob"]
    assert video["message"] == ("mini-us/video (Video verification): appointment in 3 days, "
                                "2026-11-12 10:00 Asia/Shanghai")


def test_appointment_outside_remind_before_is_not_shown_and_never_doubles_as_due_soon(shop):
    _booked(shop)
    assert items(shop, "--as-of", "2026-11-08") == []       # 4 days ahead, remind_before 3d
    assert [i["kind"] for i in items(shop, "--as-of", "2026-11-11")] == ["appointment"]


def test_appointment_booked_with_another_offset_shows_team_local_time(shop):
    _booked(shop, "2026-11-12T03:00:00+01:00")  # 10:00 in Shanghai
    [video] = items(shop, "--as-of", "2026-11-10")
    assert video["at"] == "2026-11-12T10:00:00+08:00" and "10:00 Asia/Shanghai" in video["message"]


def test_booking_task_not_yet_booked_says_so(shop):
    edit(shop, "2026-11-06T09:00:00+08:00", {**done("licence", "bank"), "brand": {"state": "skipped"}})
    [video] = items(shop, "--as-of", "2026-11-10")
    assert video["kind"] == "due_soon" and video["message"].endswith("(2026-11-12); not booked yet")


# ---- timezones around midnight ----

def test_appointment_just_after_midnight_counts_in_the_team_timezone(shop):
    _booked(shop, "2026-11-12T00:30:00+08:00")  # 2026-11-11 16:30 UTC
    [shanghai] = items(shop, "--as-of", "2026-11-09")
    assert (shanghai["date"], shanghai["days"], shanghai["at"]) == ("2026-11-12", 3, "2026-11-12T00:30:00+08:00")
    assert items(shop, "--as-of", "2026-11-08") == []
    _set_timezone(shop, "UTC")
    [utc] = items(shop, "--as-of", "2026-11-08")
    assert (utc["date"], utc["days"], utc["at"]) == ("2026-11-11", 3, "2026-11-11T16:30:00+00:00")


def test_default_as_of_is_today_in_the_team_timezone(shop, monkeypatch):
    # 17:00 UTC on 11-08 is already 01:00 on 11-09 in Shanghai
    monkeypatch.setattr(storeops.dates, "_now", lambda: datetime(2026, 11, 8, 17, 0, tzinfo=timezone.utc))
    _booked(shop, "2026-11-12T00:30:00+08:00")
    shanghai = json.loads(remind(shop, "--json").stdout)
    assert shanghai["as_of"] == "2026-11-09" and [i["kind"] for i in shanghai["items"]] == ["appointment"]
    _set_timezone(shop, "UTC")
    utc = json.loads(remind(shop, "--json").stdout)
    assert utc["as_of"] == "2026-11-08" and [i["days"] for i in utc["items"]] == [3]


def test_local_today_switches_at_local_midnight():
    before = datetime(2026, 11, 8, 15, 59, tzinfo=timezone.utc)
    after = datetime(2026, 11, 8, 16, 0, tzinfo=timezone.utc)
    assert domain.local_today("Asia/Shanghai", before).isoformat() == "2026-11-08"
    assert domain.local_today("Asia/Shanghai", after).isoformat() == "2026-11-09"
    assert domain.local_today("UTC", after).isoformat() == "2026-11-08"


def test_commit_times_are_counted_in_the_team_timezone(shop):
    # committed 00:30 Shanghai on 11-13 = 16:30 UTC on 11-12
    edit(shop, "2026-11-13T00:30:00+08:00", {**done("licence", "bank", "video"), "brand": {"state": "skipped"},
                                             "review": {"state": "submitted"}})
    assert [i["date"] for i in items(shop, "--as-of", "2026-11-20")] == ["2026-11-13"]
    _set_timezone(shop, "UTC")
    [follow_up] = items(shop, "--as-of", "2026-11-19")
    assert (follow_up["kind"], follow_up["date"], follow_up["days"]) == ("external_stale", "2026-11-12", -7)


# ---- documents ----

def _statement(root, issued, state="in_progress"):
    project = load(root)
    bank = project.task("bank")
    statement = bank.document("bank-statement")
    import dataclasses

    documents = tuple(dataclasses.replace(statement, file="attachments/mini-us/bank.pdf.age",
                                          issued=issued) if d.id == "bank-statement" else d for d in bank.documents)
    edit(root, "2026-11-04T09:00:00+08:00", {**done("licence"), "brand": {"state": "skipped"},
                                             "bank": {"state": state, "documents": documents}})


def test_expired_document_before_its_step_is_done(shop):
    _statement(shop, moment("2026-10-01T00:00:00").date())  # valid 30 days: expired after 10-31
    [doc] = items(shop, "--as-of", "2026-11-05", "--days", "1")
    assert (doc["kind"], doc["task"], doc["document"], doc["date"], doc["days"]) == (
        "document_expired", "bank", "bank-statement", "2026-10-31", -5)
    assert doc["message"] == ("mini-us/bank (Bank statement): document bank-statement expired 5 days ago "
                              "(2026-10-31); get a fresh one before submitting")


def test_document_expiring_before_the_step_is_due(shop):
    _statement(shop, moment("2026-10-07T00:00:00").date())  # expires 11-06, bank is due 11-07
    [doc] = items(shop, "--as-of", "2026-11-01", "--days", "1")
    assert (doc["kind"], doc["date"], doc["days"]) == ("document_expiring", "2026-11-06", 5)
    assert doc["message"].endswith("expires in 5 days (2026-11-06), before the step is due (2026-11-07)")


def test_document_expiring_within_days_after_the_due_date(shop):
    _statement(shop, moment("2026-10-10T00:00:00").date())  # expires 11-09, after the due date 11-07
    assert [i["kind"] for i in items(shop, "--as-of", "2026-11-05", "--days", "3")] == ["due_soon"]
    assert [i["kind"] for i in items(shop, "--as-of", "2026-11-06", "--days", "3")] == [
        "due_soon", "document_expiring"]


def test_documents_of_finished_steps_may_expire_quietly(shop):
    _statement(shop, moment("2026-10-01T00:00:00").date(), state="done")
    assert [i["kind"] for i in items(shop, "--as-of", "2026-11-05")] == []


# ---- platform reviews ----

def _in_review(root, when="2026-11-13T09:00:00+08:00"):
    edit(root, when, {**done("licence", "bank", "video"), "brand": {"state": "skipped"},
                      "review": {"state": "submitted"}})


def test_external_step_without_news_for_check_every(shop):
    _in_review(shop)
    assert items(shop, "--as-of", "2026-11-19") == []   # 6 days, and the plan's due date does not count
    [review] = items(shop, "--as-of", "2026-11-20")
    assert (review["kind"], review["task"], review["date"], review["days"], review["recipients"]) == (
        "external_stale", "review", "2026-11-13", -7, ["bob"])
    assert review["message"] == ("mini-us/review (Platform review): no change for 7 days (check every 7d); "
                                 "look in the seller centre and record what the platform says")


def test_later_commits_do_not_count_for_an_earlier_as_of(shop):
    _in_review(shop)
    edit(shop, "2026-11-25T09:00:00+08:00", notes="news from the platform")
    assert [i["kind"] for i in items(shop, "--as-of", "2026-11-20")] == ["external_stale"]
    assert items(shop, "--as-of", "2026-11-26") == []


def test_a_quiet_review_is_one_reminder_not_two(shop):
    _in_review(shop)
    found = items(shop, "--as-of", "2026-11-28")   # 15 days: past stale_after_days (14) too
    assert [i["kind"] for i in found] == ["external_stale"]


# ---- projects ----

def test_project_past_its_target(shop):
    edit(shop, "2026-11-03T09:00:00+08:00", target=moment("2026-11-10T00:00:00").date())
    found = [i for i in items(shop, "--as-of", "2026-11-12") if i["kind"] == "project_past_target"]
    assert kinds(found) == [("project_past_target", "mini-us", -2, ["bob"])]
    assert found[0]["message"] == "mini-us: past its target date 2026-11-10 by 2 days, 5 task(s) still open"
    assert found[0]["title"] == "Mini Store"


def test_finished_project_is_not_chased_for_its_target_or_inactivity(shop):
    edit(shop, "2026-11-03T09:00:00+08:00", {**done("licence", "bank", "video", "review"), "brand": {"state": "skipped"}},
         target=moment("2026-11-10T00:00:00").date())
    assert items(shop, "--as-of", "2026-12-30") == []


def test_project_without_a_commit_for_stale_after_days(shop):
    assert "project_inactive" not in [i["kind"] for i in items(shop, "--as-of", "2026-11-15")]
    [idle] = [i for i in items(shop, "--as-of", "2026-11-16") if i["kind"] == "project_inactive"]
    assert (idle["date"], idle["days"], idle["recipients"]) == ("2026-11-02", -14, ["bob"])
    assert idle["message"] == "mini-us: no change for 14 days (last on 2026-11-02)"
    _set_policy(shop, stale_after_days=0)   # 0 turns the check off
    assert "project_inactive" not in [i["kind"] for i in items(shop, "--as-of", "2026-11-16")]


def test_archived_projects_produce_nothing(shop):
    edit(shop, "2026-11-03T09:00:00+08:00", target=moment("2026-11-04T00:00:00").date(),
         archived=Archived(at=moment("2026-11-03T00:00:00").date(), outcome="abandoned"))
    assert items(shop, "--as-of", "2027-06-01") == []


# ---- SOP templates ----

def test_stale_sop_once_per_template_to_its_maintainer_role(shop):
    run_cli("-C", str(shop), "new", "mini", "--store", "Second", "--owner", "alice", "--id", "mini-two",
            "--start", "2026-11-02")
    # mini.yaml was reviewed 2026-10-01; the policy allows 180 days
    assert not [i for i in items(shop, "--as-of", "2027-03-30") if i["kind"] == "sop_stale"]
    stale = [i for i in items(shop, "--as-of", "2027-03-31") if i["kind"] == "sop_stale"]
    assert kinds(stale) == [("sop_stale", "sop:mini", -181, ["alice"])]
    assert (stale[0]["role"], stale[0]["person"], stale[0]["project"]) == ("lead", None, None)
    assert stale[0]["message"] == ("SOP mini: last reviewed 2026-10-01, 181 days ago (team policy: 180 days); "
                                   "check it against the platform's current rules")


def test_built_in_sop_hint_and_unused_templates_stay_quiet(stores):
    run_cli("-C", str(stores), "new", "amazon-us", "--store", "ACME", "--owner", "alice", "--id", "acme-us",
            "--start", "2026-11-02")
    stale = [i for i in items(stores, "--as-of", "2027-06-01") if i["kind"] == "sop_stale"]
    assert [i["sop"] for i in stale] == ["amazon-us"]   # eleven built-ins, one in use
    assert stale[0]["message"].endswith("(built-in: copy it to sop/amazon-us.yaml to keep your own)")


def test_sop_policy_zero_turns_the_check_off(shop):
    _set_policy(shop, sop_max_age_days=0)
    assert not [i for i in items(shop, "--as-of", "2028-01-01") if i["kind"] == "sop_stale"]


# ---- options ----

def test_fail_if_due_exits_1_and_still_prints(shop):
    result = remind(shop, "--as-of", "2026-11-05", "--fail-if-due")
    assert result.exit_code == 1 and "overdue" in result.stdout
    assert remind(shop, "--as-of", "2026-11-05").exit_code == 0


def test_owner_and_platform_filters(shop):
    run_cli("-C", str(shop), "new", "walmart-us", "--store", "W", "--owner", "alice", "--id", "w-us",
            "--start", "2026-11-02")
    assert {i["project"] for i in items(shop, "--as-of", "2026-11-30")} == {"mini-us", "w-us"}
    assert {i["project"] for i in items(shop, "--as-of", "2026-11-30", "--owner", "bob")} == {"mini-us"}
    assert {i["project"] for i in items(shop, "--as-of", "2026-11-30", "--platform", "walmart")} == {"w-us"}


def test_unknown_owner_or_platform_is_a_usage_error(shop):
    result = remind(shop, "--owner", "bobby")
    assert result.exit_code == 2 and "--owner 'bobby' is not on the team" in result.stderr and "did you mean bob" in result.stderr
    result = remind(shop, "--platform", "amazn")
    assert result.exit_code == 2 and "--platform 'amazn' is neither a platform nor an SOP id" in result.stderr
    assert "did you mean amazon" in result.stderr


def test_bad_options_exit_2(shop):
    assert "not a date" in remind(shop, "--as-of", "2026-13-01").stderr
    assert remind(shop, "--as-of", "the day after").exit_code == 2
    assert remind(shop, "--days", "-1").exit_code == 2
    result = remind(shop, "--format", "xml")
    assert result.exit_code == 2 and "one of text, json, markdown, ics" in result.stderr
    assert remind(shop, "--group-by", "team").exit_code == 2


def test_outside_a_stores_repo_exits_3(tmp_path):
    result = run_cli("-C", str(tmp_path), "remind")
    assert result.exit_code == 3 and "not a stores repo" in result.stderr


# ---- text and Markdown ----

def test_text_digest_grouped_by_person(shop):
    result = remind(shop, "--as-of", "2026-11-05")
    assert result.stdout == (
        "Reminders for Test Team on 2026-11-05 (Asia/Shanghai): 2\n"
        "\n"
        "bob (1)\n"
        "  [overdue] mini-us/licence (Prepare business licence): overdue by 1 day (due 2026-11-04); holds up bank, video\n"
        "\n"
        "dave (1)\n"
        "  [overdue] mini-us/brand (Brand authorisation): overdue by 2 days (due 2026-11-03)\n"
    )


def test_group_by_project_puts_templates_last(shop):
    result = remind(shop, "--as-of", "2027-04-01", "--group-by", "project")
    titles = [line for line in result.stdout.splitlines() if line and not line.startswith(("  ", "Reminders"))]
    assert titles[0].startswith("mini-us (") and titles[-1] == "SOP templates (1)"


def test_markdown_escapes_user_text(shop):
    edit(shop, "2026-11-03T09:00:00+08:00", {"licence": {"title": {"en": "Scan *all* [pages](http://x) <b>"}}})
    result = remind(shop, "--as-of", "2026-11-05", "--format", "markdown")
    assert "# Reminders for Test Team on 2026-11-05 (Asia/Shanghai): 2" in result.stdout
    assert "## bob (1)" in result.stdout
    assert r"- **overdue** mini-us/licence (Scan \*all\* \[pages\](http://x) \<b\>): overdue by 1 day" in result.stdout


def test_terminal_control_characters_in_titles_are_escaped(shop):
    edit(shop, "2026-11-03T09:00:00+08:00", {"licence": {"title": {"en": "Licence\x1b[31m red\nsecond line"}}})
    result = remind(shop, "--as-of", "2026-11-05")
    assert "\x1b" not in result.stdout and "Licence\\x1b[31m red ⏎ second line" in result.stdout


def test_chinese_digest(shop):
    result = run_cli("-C", str(shop), "--lang", "zh", "remind", "--as-of", "2026-11-05")
    assert "Test Team 提醒 2026-11-05（Asia/Shanghai）：共 2 项" in result.stdout
    assert "[已逾期] mini-us/licence (准备营业执照)：已逾期 1 天（截止 2026-11-04），阻塞 bank, video" in result.stdout


def test_json_shape(shop):
    result = remind(shop, "--as-of", "2026-11-05", "--json")
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("version", "as_of", "timezone", "team", "days", "count")} == {
        "version": 1, "as_of": "2026-11-05", "timezone": "Asia/Shanghai", "team": "Test Team", "days": 3, "count": 2}
    assert list(data["items"][0]) == ["kind", "key", "project", "platform", "task", "document", "sop", "title",
                                      "person", "role", "recipients", "date", "days", "at", "remind_before", "message"]
    assert data["items"][0]["key"] == "mini-us/brand/due"


# ---- the domain API directly ----

def test_collect_without_git_or_library_skips_those_kinds(shop):
    from storeops.repo import StoresRepo

    repo = StoresRepo.open(shop)
    project = load(shop)
    found = domain.collect([project], repo.config, as_of=moment("2027-06-01T00:00:00").date())
    assert [(i.kind, i.task) for i in found] == [("overdue", "brand"), ("overdue", "licence")]


def test_last_changes_reads_one_git_log_for_all_projects(shop, monkeypatch):
    import subprocess

    run_cli("-C", str(shop), "new", "mini", "--store", "Second", "--owner", "alice", "--id", "mini-two")
    calls = []
    real = subprocess.Popen

    def spy(args, **kwargs):
        calls.append(args)
        return real(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    changes = domain.last_changes(shop, "Asia/Shanghai", moment("2030-01-01T00:00:00").date(),
                                  {"mini-us", "mini-two", "never-committed"})
    assert len(calls) == 1 and set(changes) == {"mini-us", "mini-two"}
    assert changes["mini-us"].isoformat() == "2026-11-02"


def test_last_changes_in_a_repo_without_commits(tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert domain.last_changes(tmp_path, "UTC", moment("2030-01-01T00:00:00").date(), {"a"}) == {}
