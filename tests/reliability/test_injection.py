"""Hostile text and ids: markup, terminal escapes and newlines stay inert; ids never become paths.

User text is rendered both plain (piped) and through rich (FORCE_COLOR, as on a
terminal). In rich output the only escape sequences allowed are rich's own colour
codes (SGR); the user's ESC, OSC, BEL, C1 and bidi controls must show up as
visible escapes, markup as literal brackets, newlines as ⏎.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import git
from reliability_support import run_fast, team  # noqa: F401  (team is a fixture)

from storeops import yamlio

PAYLOADS = {
    "markup": "[bold red]LOUD[/] [link=http://evil.example]click[/link]",
    "csi": "\x1b[31mRED\x1b[0m\x1b[2J",
    "osc": "\x1b]0;pwned title\x07\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "c1": "\x9b31mC1\x9dx\x9c",
    "newline": "first\nFAKE: second line\r\nthird",
    "controls": "bell\x07back\x08\x08cr\rdel\x7f",
    "bidi": "abc\u202egnp.exe\u2066x\u2069",
}
# what each payload must look like on screen (a part of it, enough to prove it was escaped)
SHOWN = {
    "markup": "[bold red]LOUD[/] [link=http://evil.example]click[/link]",
    "csi": "\\x1b[31mRED\\x1b[0m\\x1b[2J",
    "osc": "\\x1b]0;pwned title\\x07",
    "c1": "\\x9b31mC1",
    "newline": "first ⏎ FAKE: second line ⏎ third",
    "controls": "bell\\x07back\\x08\\x08cr\\x0ddel\\x7f",
    "bidi": "abc\\u202egnp.exe\\u2066x\\u2069",
}
SGR = re.compile(r"\x1b\[[0-9;]*m")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def cli(root, *args):
    return run_fast("-C", str(root), *args)


def plant(root: Path, payload: str) -> None:
    """Put the payload everywhere a project, an SOP and storeops.yaml carry free text."""
    path = root / "projects" / "mini-us.yaml"
    data = yamlio.load(path)
    data["store"] = data["entity"] = data["site"] = payload
    data["notes"] = payload
    data["compliance"]["ein"] = payload
    task = data["tasks"][0]
    task["title"] = {"en": payload, "zh": payload}
    task["assignee"] = payload
    task["notes"] = [{"at": "2026-11-03", "by": payload, "text": payload}]
    task["approvals"] = [{"by": payload, "role": "finance", "at": "2026-11-03", "note": payload}]
    in_folder = "attachments/mini-us/" + payload.replace("/", "_").replace("\\", "_")  # a file name, not a path
    task["documents"][0]["file"] = in_folder
    data["rejections"] = [{"at": "2026-11-05", "task": "licence", "reason": payload, "message": payload,
                           "evidence": in_folder}]
    path.write_text(yamlio.dumps(data))
    sop = root / "sop" / "mini.yaml"
    sop_data = yamlio.load(sop)
    sop_data["title"]["en"] = payload
    sop_data["tasks"][0]["title"]["en"] = payload
    sop_data["tasks"][0]["guide"]["en"] = payload
    sop.write_text(yamlio.dumps(sop_data))
    config = root / "storeops.yaml"
    config.write_text(config.read_text().replace("email: bob@example.com", f"email: {json.dumps(payload)}"))


READERS = [("status",), ("status", "mini-us"), ("status", "mini-us", "licence"), ("sop", "show", "mini"),
           ("sop", "list"), ("person", "list"), ("check",)]


def assert_inert(text: str, name: str, rich: bool) -> None:
    visible = SGR.sub("", text) if rich else text
    assert "\x1b" not in visible, f"{name}: a raw escape sequence reached the terminal"
    assert not RAW_CONTROL.search(visible.replace("\n", "")), f"{name}: a raw control character reached the terminal"
    assert not any(line.lstrip(" │┃|").startswith("FAKE") for line in visible.splitlines()), name


@pytest.mark.parametrize("rich", [False, True], ids=["plain", "rich"])
@pytest.mark.parametrize("name", list(PAYLOADS))
def test_user_text_renders_inert(team, monkeypatch, name, rich):
    if rich:
        monkeypatch.setenv("FORCE_COLOR", "1")  # rich output as on a terminal
        monkeypatch.setenv("COLUMNS", "1000")  # long enough that nothing wraps
    plant(team, PAYLOADS[name])
    seen = ""
    for args in READERS:
        result = cli(team, *args)
        assert result.exit_code in (0, 1), (args, result.stderr)  # check finds problems with these values
        assert_inert(result.stdout + result.stderr, f"{name} in {' '.join(args)}", rich)
        seen += SGR.sub("", result.stdout)
    assert SHOWN[name] in seen
    if rich:
        assert SGR.search(cli(team, "status", "mini-us").stdout), "FORCE_COLOR did not give rich output"


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_user_text_survives_json_exactly_and_inert(team, name):
    payload = PAYLOADS[name]
    plant(team, payload)
    for args in (("status", "--json"), ("status", "mini-us", "--json"), ("status", "mini-us", "licence", "--json"),
                 ("sop", "show", "mini", "--json"), ("person", "list", "--json"), ("check", "--json")):
        result = cli(team, *args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert not RAW_CONTROL.search(result.stdout.replace("\n", "")), f"raw control character in {args}"
        json.loads(result.stdout)
    project = json.loads(cli(team, "status", "mini-us", "--json").stdout)["project"]
    assert project["store"] == project["entity"] == payload
    assert project["rejections"][0]["message"] == payload
    assert project["tasks"][0]["notes"][0]["text"] == payload
    task = json.loads(cli(team, "status", "mini-us", "licence", "--json").stdout)["task"]
    assert task["guide"]["en"] == payload and task["approvals"][0]["note"] == payload
    people = json.loads(cli(team, "person", "list", "--json").stdout)["people"]
    assert payload in [p["email"] for p in people]


def test_messages_on_stderr_are_inert_too(team):
    result = cli(team, "person", "add", "erin", "--email", "erin\x1b]0;pwned\x07@example.com")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "erin\\x1b]0;pwned\\x07@example.com" in result.stderr
    result = cli(team, "advance", "mini-us", "[bold]x\x1b[2J")
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "[bold]x" in result.stderr


# ---- ids are ids, never paths or shell words ----

BAD_IDS = ["../x", "../../etc/passwd", "/etc/passwd", "a/b", "..", ".", ".hidden", "x\\y", "$(touch pwned)",
           "`touch pwned`", "x;touch pwned", "x|touch pwned", "x&&touch pwned", "x\ny", "x\x00y", "", " x",
           "x" * 300, "x y", "*", "~root"]


def _commands(bad: str) -> list[tuple[str, ...]]:
    """Every command and option that takes an id, with `bad` in that place."""
    return [
        ("status", bad), ("status", "mini-us", bad), ("status", "--owner", bad), ("status", "--platform", bad),
        ("advance", bad, "licence"), ("advance", "mini-us", bad),
        ("assign", bad, "licence", "bob"), ("assign", "mini-us", bad, "bob"), ("assign", "mini-us", "licence", bad),
        ("schedule", bad, "licence", "--due", "2027-01-01"), ("schedule", "mini-us", bad, "--due", "2027-01-01"),
        ("new", bad, "--store", "X", "--owner", "bob"), ("new", "mini", "--store", "X", "--owner", bad),
        ("new", "mini", "--store", "X", "--owner", "bob", "--id", bad),
        ("new", "mini", "--store", "X", "--owner", "bob", "--category", bad),
        ("person", "add", bad, "--email", "x@example.com"), ("person", "remove", bad),
        ("sop", "show", bad), ("sop", "templates", bad),
    ]


@pytest.mark.parametrize("bad", BAD_IDS, ids=[repr(b)[1:-1][:20] for b in BAD_IDS])
def test_bad_ids_are_refused_everywhere_and_touch_nothing(team, tmp_path, monkeypatch, bad):
    monkeypatch.chdir(tmp_path)
    head = git(team, "rev-parse", "HEAD")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts)
    for args in _commands(bad):
        result = cli(team, *args)
        assert result.exit_code == 2, (args, result.exit_code, result.stdout, result.stderr)
        assert result.stderr.startswith("error: "), (args, result.stderr)
        assert "\x1b" not in result.stderr and "\x00" not in result.stderr
    assert git(team, "rev-parse", "HEAD") == head
    assert git(team, "status", "--porcelain") == ""
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts)
    assert after == before
    assert not list(Path("/").glob("pwned")) and not (Path.home() / "pwned").exists()


@pytest.mark.parametrize("outside", ["/etc/passwd", "..", "../stores-other/projects/x.yaml", ".git/config"])
def test_check_refuses_paths_that_are_not_project_files_instead_of_passing(team, outside):
    (team.parent / "stores-other" / "projects").mkdir(parents=True)
    (team.parent / "stores-other" / "projects" / "x.yaml").write_text("id: x\n")
    result = run_fast("-C", str(team), "check", str(team / outside) if not outside.startswith("/") else outside)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "is not a project file of the stores repo" in result.stderr


def test_check_takes_project_files_and_folders(team):
    result = run_fast("-C", str(team), "check", str(team / "projects"), str(team / "projects" / "mini-us.yaml"),
                      str(team / "storeops.yaml"), str(team / "sop"))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_uppercase_is_a_person_name_but_not_a_project_id(team):
    assert cli(team, "new", "mini", "--store", "X", "--owner", "bob", "--id", "Shop").stderr.startswith(
        "error: 'Shop' is not a valid project id")
    assert cli(team, "status", "Shop").exit_code == 2


def test_an_sop_template_name_cannot_reach_outside_the_folder(team, tmp_path):
    sop = team / "sop" / "mini.yaml"
    escaping = "    sensitive: true\n    template: ../../../../evil.txt\n"
    sop.write_text(sop.read_text().replace("    sensitive: true\n", escaping, 1))
    result = cli(team, "sop", "templates", "mini", "--copy-to", str(tmp_path / "out" / "a" / "b"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: sop/mini.yaml:")
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("path", ["attachments/mini-us/../../../etc/passwd", "/etc/passwd", "../secrets.pdf",
                                  "attachments/other/x.pdf", "attachments/mini-us/..", "attachments/mini-us/a\\..\\b"])
def test_document_paths_outside_the_projects_attachments_are_refused(team, path):
    project = team / "projects" / "mini-us.yaml"
    data = yamlio.load(project)
    data["tasks"][0]["documents"][0]["file"] = path
    project.write_text(yamlio.dumps(data))
    checked = json.loads(cli(team, "check", "--json").stdout)
    assert any(p["message"].startswith("tasks[0].documents[0].file: ") for p in checked["problems"]), checked
    result = cli(team, "status", "mini-us")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: projects/mini-us.yaml:") and "tasks[0].documents[0].file" in result.stderr
