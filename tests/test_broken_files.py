"""One broken project file never silences the team: readers show the rest, name the file, exit 1."""

from __future__ import annotations

import json

import pytest

from conftest import example_repo, git, isolate, run_cli

BROKEN = "projects/acme-amazon-de.yaml"
SKIPPED_LINE = f"{BROKEN}:10:1: start: '2026-12-33' is not a calendar date (skipped; run storeops check)"
SEVEN = {"acme-amazon-jp", "acme-amazon-us", "acme-lazada-my", "acme-shopee-sg", "acme-temu-us", "acme-tiktok-uk",
         "acme-walmart-us"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The example repo's eight projects, one with `start: 2026-12-33` (line 10)."""
    root = example_repo(tmp_path_factory, "broken")
    path = root / BROKEN
    lines = path.read_text().splitlines(keepends=True)
    assert lines[9].startswith("start: ")
    lines[9] = "start: 2026-12-33\n"
    path.write_text("".join(lines))
    return root


@pytest.fixture
def cli(demo, tmp_path_factory, monkeypatch):
    isolate(monkeypatch, tmp_path_factory.mktemp("home"))
    return lambda *args: run_cli("-C", str(demo), *args)


def _named_once(result) -> None:
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count(SKIPPED_LINE) == 1, result.stderr


PROBLEM = {"path": BROKEN, "line": 10, "col": 1, "message": "start: '2026-12-33' is not a calendar date"}


def test_status_shows_the_other_seven_and_names_the_broken_one(cli):
    result = cli("status")
    _named_once(result)
    assert all(pid in result.stdout for pid in SEVEN) and "acme-amazon-de" not in result.stdout


def test_status_json_has_the_seven_and_a_problems_list(cli):
    result = cli("status", "--json")
    _named_once(result)
    data = json.loads(result.stdout)
    assert {p["id"] for p in data["projects"]} == SEVEN
    assert data["problems"] == [PROBLEM]


def test_board_shows_the_other_seven(cli):
    result = cli("board", "--json")
    _named_once(result)
    data = json.loads(result.stdout)
    assert {p["id"] for column in data["columns"] for p in column["projects"]} == SEVEN
    assert data["problems"] == [PROBLEM]
    text = cli("board")
    _named_once(text)
    assert "acme-walmart-us" in text.stdout


def test_remind_json_keeps_the_reminders_and_lists_the_problem(cli):
    result = cli("remind", "--as-of", "2026-12-05", "--format", "json")
    _named_once(result)
    data = json.loads(result.stdout)
    assert data["count"] > 0 and data["problems"] == [PROBLEM]
    projects = {item["project"] for item in data["items"]}
    assert "acme-amazon-de" not in projects and "acme-amazon-us" in projects


def test_remind_text_and_markdown_carry_an_item_of_their_own(cli):
    for fmt in ("text", "markdown"):
        result = cli("remind", "--as-of", "2026-12-05", "--format", fmt)
        _named_once(result)
        assert ("1 project file cannot be read: projects/acme-amazon-de.yaml:10:1: start: '2026-12-33' is not a "
                "calendar date") in result.stdout.replace("\\", "")
        assert "acme-amazon-us" in result.stdout


def test_remind_ics_stays_a_calendar(cli):
    result = cli("remind", "--as-of", "2026-12-05", "--format", "ics")
    _named_once(result)
    assert "cannot be read" not in result.stdout and "acme-amazon-de" not in result.stdout
    assert "BEGIN:VCALENDAR" in result.stdout


def test_remind_on_a_quiet_day_still_says_a_file_cannot_be_read(cli):
    result = cli("remind", "--as-of", "2026-12-05", "--days", "0", "--owner", "carol")
    _named_once(result)
    assert "1 project file cannot be read" in result.stdout


def test_reports_count_the_seven(cli):
    for report in ("workload", "rejections", "cycle-time"):
        result = cli("report", report, "--json")
        _named_once(result)
        assert json.loads(result.stdout)["problems"] == [PROBLEM]
    _named_once(cli("report", "workload"))


def test_timeline_and_isolation_read_the_rest(cli):
    result = cli("timeline", "--json")
    _named_once(result)
    ids = {lane["id"] for lane in json.loads(result.stdout)["projects"]}
    assert "acme-amazon-us" in ids and ids <= SEVEN
    result = cli("isolation", "--json")
    _named_once(result)
    assert json.loads(result.stdout)["problems"] == [PROBLEM]


def test_the_skipped_line_is_chinese_under_zh(cli):
    result = cli("--lang", "zh", "status")
    assert result.exit_code == 1
    assert f"{BROKEN}:10:1: start: '2026-12-33' 不是有效的日期 （已跳过；运行 storeops check）" in result.stderr
    result = cli("--lang", "zh", "remind", "--as-of", "2026-12-05")
    assert "1 个项目文件无法读取" in result.stdout


def test_log_and_export_are_not_stopped_by_another_broken_file(cli, tmp_path):
    assert cli("log", "acme-amazon-us", "--json").exit_code == 0
    assert cli("export", "acme-amazon-us", "-o", str(tmp_path / "out")).exit_code == 0


def test_writing_project_a_is_not_blocked_by_broken_project_b(demo, cli):
    result = cli("assign", "acme-amazon-us", "payout-account", "bob")
    assert result.exit_code == 0, result.stderr
    assert "acme-amazon-us" in git(demo, "log", "-1", "--format=%s")
    git(demo, "reset", "--quiet", "--soft", "HEAD~1")  # the module's other tests expect the example as it was
    git(demo, "checkout", "HEAD", "--", "projects/acme-amazon-us.yaml")
    assert "2026-12-33" in (demo / BROKEN).read_text()
    refused = cli("assign", "acme-amazon-de", "payout-account", "bob")  # the broken file itself is not written
    assert refused.exit_code == 2 and f"{BROKEN}:10:1" in refused.stderr


def test_a_broken_storeops_yaml_stops_the_team_commands_but_not_check_doctor_or_sop(demo, cli):
    config = demo / "storeops.yaml"
    saved = config.read_text()
    try:
        config.write_text(saved + "people: 3\n")
        for args in (("status",), ("board",), ("remind",), ("report", "workload")):
            result = cli(*args)
            assert result.exit_code == 2 and "storeops.yaml:" in result.stderr, args
        assert cli("check").exit_code == 1
        assert cli("doctor").exit_code in (0, 1)
        assert cli("sop", "list").exit_code == 0
        assert cli("sop", "show", "amazon-us").exit_code == 0
    finally:
        config.write_text(saved)


def test_check_on_the_broken_file_does_not_make_the_readers_trust_it(cli):
    assert cli("check").exit_code == 1  # check builds what it can of the broken file, for its own rules only
    result = cli("status", "--json")
    _named_once(result)
    assert {p["id"] for p in json.loads(result.stdout)["projects"]} == SEVEN


def test_fmt_formats_the_others_and_names_the_broken_one(cli):
    result = cli("fmt", "--check")
    assert result.exit_code == 1 and SKIPPED_LINE in result.stderr


def test_the_site_is_built_from_the_other_seven(cli, tmp_path):
    result = cli("site", "-o", str(tmp_path / "site"))
    _named_once(result)
    assert "for 7 projects" in result.stderr


def test_an_empty_listing_says_why_it_is_empty(stores, project):
    assert "no projects match" in run_cli("-C", str(stores), "status", "--owner", "bob").stderr
    path = stores / "projects" / f"{project}.yaml"
    path.write_text(path.read_text().replace("start: 2026-11-02", "start: 2026-12-33"))
    result = run_cli("-C", str(stores), "status")
    assert result.exit_code == 1
    assert "no project file could be read (named above)" in result.stderr
    assert "(skipped; run storeops check)" in result.stderr
