"""YAML hazards through the CLI, in project files, team SOPs and storeops.yaml.

tests/test_yamlio.py holds the loader-level versions; here each hazard goes
through real commands: a clear `error: FILE:LINE:COL: ...` and exit 2 (exit 1 with
the same place from `check`), or, for the harmless ones, the value kept as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import git, run_subprocess
from reliability_support import run_fast, team  # noqa: F401  (team is a fixture)

from storeops import yamlio

PROJECT = "projects/mini-us.yaml"
SOP = "sop/mini.yaml"
CONFIG = "storeops.yaml"
# a project file by name: the listing skips a broken one and goes on (exit 1); asked for by name it is an error
COMMAND = {PROJECT: ("status", "mini-us"), SOP: ("sop", "list"), CONFIG: ("status",)}
ERROR_PLACE = re.compile(r"^error: [^:]+:(\d+):")


def cli(team, *args):
    return run_fast("-C", str(team), *args)


def edit(team, name, change):
    path = team / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def first_line(result) -> str:
    return result.stderr.splitlines()[0] if result.stderr else ""


def assert_refused(team, name, message_part: str, line: int | None = None):
    """The file's reader exits 2 naming FILE:LINE; check exits 1 with the same place."""
    result = cli(team, *COMMAND[name])
    assert result.exit_code == 2, result.stdout + result.stderr
    first = first_line(result)
    prefix = f"error: {name}:{line}:" if line else f"error: {name}:"
    assert first.startswith(prefix) and message_part in first, first
    assert "Traceback" not in result.stderr
    checked = cli(team, "check", "--json")
    assert checked.exit_code == 1
    problems = [p for p in json.loads(checked.stdout)["problems"] if p["path"] == name]
    where = ERROR_PLACE.match(first)
    assert problems and problems[0]["line"] == int(where.group(1)), (first, problems)
    return first


# ---- values that YAML 1.1 would change stay as written ----

@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "No", "OFF"])
def test_yaml_1_1_booleans_stay_text_in_every_file_kind(team, word):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", f"store: {word}"))
    edit(team, CONFIG, lambda t: t.replace("team: Test Team", f"team: {word}"))
    edit(team, SOP, lambda t: t.replace("en: Minimal test SOP", f"en: {word}"))
    shown = cli(team, "status", "mini-us", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["project"]["store"] == word
    assert json.loads(cli(team, "sop", "show", "mini", "--json").stdout)["sop"]["title"]["en"] == word
    assert cli(team, "fmt").exit_code == 0
    assert f"store: '{word}'\n" in (team / PROJECT).read_text()  # quoted for YAML 1.1 readers too
    assert json.loads(cli(team, "status", "mini-us", "--json").stdout)["project"]["store"] == word
    git(team, "commit", "-qam", "hand edits", "--no-verify")  # storeops commits only its own changes
    assert cli(team, "person", "add", "erin", "--email", "erin@example.com").exit_code == 0
    assert f"team: '{word}'\n" in (team / CONFIG).read_text()
    assert cli(team, "check").exit_code == 0


def test_dates_and_times_stay_text(team):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", "store: 2026-01-01") + "notes: 10:30\n")
    project = json.loads(cli(team, "status", "mini-us", "--json").stdout)["project"]
    assert project["store"] == "2026-01-01" and project["start"] == "2026-11-02"
    assert yamlio.load(team / PROJECT)["notes"] == "10:30"
    sops = json.loads(cli(team, "sop", "list", "--json").stdout)["sops"]
    assert next(s for s in sops if s["id"] == "mini")["reviewed"] == "2026-10-01"


def test_a_timestamp_where_a_date_belongs_names_the_field(team):
    edit(team, PROJECT, lambda t: t.replace("due: 2026-11-04", "due: 2026-11-04 10:00:00", 1))
    first = assert_refused(team, PROJECT, "expected a date YYYY-MM-DD, got '2026-11-04 10:00:00'")
    assert "tasks[0].due" in first


# ---- refused with file:line ----

def test_duplicate_keys_are_refused_in_every_file_kind(team):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store\n", "store: Mini Store\nstore: Other\n"))
    assert_refused(team, PROJECT, "duplicate key 'store' (first at line 6)", line=7)
    git(team, "checkout", "--", PROJECT)
    edit(team, CONFIG, lambda t: t + "team: Again\n")
    assert_refused(team, CONFIG, "duplicate key 'team'")
    git(team, "checkout", "--", CONFIG)
    edit(team, SOP, lambda t: t.replace("platform: amazon\n", "platform: amazon\nplatform: ebay\n"))
    assert_refused(team, SOP, "duplicate key 'platform' (first at line 3)", line=4)


def test_aliases_are_refused(team):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", "store: &s Mini Store")
         .replace("entity: null", "entity: *s"))
    assert_refused(team, PROJECT, "aliases (*ref) are not allowed")


def test_billion_laughs_is_refused_at_once_in_a_separate_process(team):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    (team / CONFIG).write_text("\n".join(lines) + "\n")
    # in its own process: a hang or a memory blow-up fails here instead of stalling pytest
    result = run_subprocess("-C", str(team), "status", cwd=Path.cwd())
    assert result.returncode == 2
    # the place is the anchor (&a): the parser has already merged each alias into it
    assert result.stderr.startswith("error: storeops.yaml:1:4: aliases (*ref) are not allowed")


@pytest.mark.parametrize("name", [PROJECT, SOP, CONFIG])
def test_a_50_mb_file_is_refused_by_its_size(team, name):
    with open(team / name, "r+b") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = cli(team, *COMMAND[name])
    assert result.exit_code == 2
    assert first_line(result) == f"error: {name}: file is 52428800 bytes, more than the 5242880 allowed"
    checked = json.loads(cli(team, "check", "--json").stdout)
    assert {"path": name, "line": None, "col": None, "code": "yaml",
            "message": "file is 52428800 bytes, more than the 5242880 allowed"} in checked["problems"]


@pytest.mark.parametrize("name", [PROJECT, SOP, CONFIG])
def test_tab_indentation_names_line_and_column(team, name):
    edit(team, name, lambda t: t.replace("\n  ", "\n\t", 1))
    assert_refused(team, name, "a tab character where YAML needs spaces")


@pytest.mark.parametrize("name", [PROJECT, SOP, CONFIG])
def test_non_utf8_bytes_name_the_line(team, name):
    path = team / name
    lines = path.read_bytes().split(b"\n")
    lines[3] += b" caf\xe9"
    path.write_bytes(b"\n".join(lines))
    assert_refused(team, name, "not UTF-8 (byte 0xe9)", line=4)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\ufffe"])
def test_raw_control_characters_name_line_and_column(team, char):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", f"store: Mini{char}Store"))
    first = assert_refused(team, PROJECT, f"character U+{ord(char):04X} is not allowed in YAML", line=6)
    assert first.startswith(f"error: {PROJECT}:6:12:")


@pytest.mark.parametrize("tagged", ["!!python/object/apply:os.system ['touch pwned']", "!!binary aGVsbG8=",
                                    "!!timestamp 2026-01-01", "!!set {a}", "!custom x"])
def test_tags_are_refused(team, tagged):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", f"store: {tagged}"))
    assert_refused(team, PROJECT, "is not allowed; write a plain value", line=6)
    assert not (team / "pwned").exists()


def test_a_value_that_does_not_fit_its_tag_is_refused(team):
    edit(team, PROJECT, lambda t: t.replace("valid_days: 30", "valid_days: !!int thirty"))
    assert_refused(team, PROJECT, "'thirty' is not a valid !!int")


def test_a_lone_surrogate_escape_is_refused(team):
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", 'store: "Mini \\ud800 Store"'))
    assert_refused(team, PROJECT, "found invalid Unicode character escape code", line=6)


def test_deep_nesting_is_refused_without_crashing_the_parser(team):
    # libyaml's composer recurses in C: 100,000 levels used to overflow the stack (a segfault)
    edit(team, PROJECT, lambda t: t.replace("store: Mini Store", "store: " + "[" * 100_000 + "]" * 100_000))
    result = run_subprocess("-C", str(team), "status", "mini-us", cwd=Path.cwd())
    assert result.returncode == 2, result.returncode
    # our own limit, or PyYAML >= 6.0.4's which may trip first: either way one line naming the place
    assert re.match(rf"error: {re.escape(PROJECT)}:6:\d+: (nested more than 64 levels deep|exceeded maximum "
                    r"nesting depth)", result.stderr), result.stderr


def test_an_empty_file_names_line_1(team):
    (team / PROJECT).write_text("")
    result = cli(team, *COMMAND[PROJECT])
    assert first_line(result) == (f"error: {PROJECT}:1:1: a project file is a mapping of fields, got null")
    checked = json.loads(cli(team, "check", "--json").stdout)
    assert {"path": PROJECT, "line": 1, "col": 1, "code": "yaml",
            "message": "expected a mapping of fields (key: value); the file holds nothing"} in checked["problems"]


def test_out_of_range_numbers_are_refused_not_overflowed(team):
    edit(team, PROJECT, lambda t: t.replace("valid_days: 30", "valid_days: 1000000000000000000000")
         .replace("issued: null", "issued: 2026-01-01"))
    assert_refused(team, PROJECT, "expected 1 to 36500 days, got 1000000000000000000000")


def test_an_sop_duration_past_the_calendar_is_refused(team):
    edit(team, SOP, lambda t: t.replace("duration: 2d", "duration: 99999999999999d"))
    assert_refused(team, SOP, "tasks[0].duration")
    git(team, "checkout", "--", SOP)
    result = cli(team, "new", "mini", "--store", "Late", "--owner", "bob", "--start", "9999-12-30")
    assert result.exit_code == 2
    assert first_line(result) == "error: --start: '9999-12-30' is outside the years 2000–2100"


# ---- accepted, and put into canonical form by fmt ----

@pytest.mark.parametrize("hazard", ["bom", "crlf"])
def test_bom_and_crlf_are_read_and_fmt_removes_them(team, hazard):
    path = team / PROJECT
    canonical = path.read_text()
    path.write_bytes(("\ufeff" + canonical).encode() if hazard == "bom" else canonical.replace("\n", "\r\n").encode())
    assert cli(team, "status", "mini-us").exit_code == 0
    checked = json.loads(cli(team, "check", "--json").stdout)
    assert checked["problems"] == [{"path": PROJECT, "line": None, "col": None, "code": "fmt",
                                    "message": "not in canonical form (run `storeops fmt`)"}]
    assert cli(team, "fmt").exit_code == 0
    assert path.read_bytes() == canonical.encode()
    for name in (SOP, CONFIG):
        other = team / name
        text = other.read_text()
        other.write_bytes(("\ufeff" + text).encode() if hazard == "bom" else text.replace("\n", "\r\n").encode())
    assert cli(team, "sop", "list").exit_code == 0
    assert cli(team, "status").exit_code == 0
