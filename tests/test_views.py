"""storeops board and the shared project filters (status, board, timeline, reports)."""

import json

import pytest
from conftest import run_cli
from edit_helpers import at_review, edit, set_states

import storeops.render


def cli(stores, *args):
    return run_cli("-C", str(stores), *args)


@pytest.fixture
def several(stores, mini):
    """mini-us (amazon-us, bob, under review), other-us (amazon-us, alice, preparing),
    shop-sg (shopee-sg, alice, rejected), old-us (amazon-us, bob, archived 2026-11-10)."""
    for pid, sop, site, owner in (("other-us", "mini", "us", "alice"), ("shop-sg", "shopee", "sg", "alice"),
                                  ("old-us", "mini", "us", "bob")):
        result = cli(stores, "new", sop, "--store", pid.upper(), "--owner", owner, "--id", pid, "--site", site,
                     "--start", "2026-11-02")
        assert result.exit_code == 0, result.stderr
    at_review(stores, mini)
    set_states(stores, "shop-sg", {"business-license": "rejected"})
    edit(stores, "old-us", lambda d: d.update(archived={"at": "2026-11-10", "outcome": "abandoned", "reason": "x"}))
    return ["mini-us", "other-us", "shop-sg", "old-us"]


def board_json(stores, *args):
    result = cli(stores, "board", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ids_by_column(data):
    return {c["status"]: [p["id"] for p in c["projects"]] for c in data["columns"]}


def test_board_json_has_a_column_per_status(stores, several):
    data = board_json(stores)
    assert data["version"] == 1
    assert ids_by_column(data) == {"preparing": ["other-us"], "under_review": ["mini-us"], "approved": [],
                                   "rejected": ["shop-sg"], "archived": ["old-us"]}
    assert [c["label"] for c in data["columns"]] == ["preparing", "under review", "approved", "rejected", "archived"]


def test_board_labels_follow_the_team_language(stores, several):
    data = json.loads(run_cli("--lang", "zh", "-C", str(stores), "board", "--json").stdout)
    assert [c["label"] for c in data["columns"]] == ["待提交", "审核中", "已通过", "被拒", "已归档"]
    text = run_cli("--lang", "zh", "-C", str(stores), "board").stdout
    assert text.splitlines()[0] == "待提交 (1)"


def test_board_plain_when_piped(stores, several):
    result = cli(stores, "board")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "preparing (1)"
    assert lines[1].split()[:5] == ["other-us", "OTHER-US", "amazon-us", "alice", "0/5"]
    assert "under review (1)" in lines and "approved (0)" in lines and "archived (1)" in lines
    archived_row = lines[lines.index("archived (1)") + 1]
    assert archived_row.split()[:6] == ["old-us", "OLD-US", "amazon-us", "bob", "0/5", "abandoned"]
    assert "\x1b[" not in result.stdout


def test_board_columns_on_a_terminal(stores, several, monkeypatch):
    monkeypatch.setattr(storeops.render, "fancy", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "120")
    result = cli(stores, "board")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[0]
    for label in ("preparing (1)", "under review (1)", "approved (0)", "rejected (1)", "archived (1)"):
        assert label in header
    assert "mini-us" in result.stdout and "→ 11-19 review" in result.stdout


@pytest.mark.parametrize("args, expected", [
    (("--platform", "shopee"), ["shop-sg"]),
    (("--site", "us"), ["mini-us", "old-us", "other-us"]),
    (("--owner", "alice"), ["other-us", "shop-sg"]),
    (("--status", "rejected"), ["shop-sg"]),
    (("--since", "2026-11-11"), ["mini-us", "other-us", "shop-sg"]),
    (("--since", "2026-11-10"), ["mini-us", "old-us", "other-us", "shop-sg"]),
    (("--platform", "amazon", "--owner", "bob", "--status", "archived"), ["old-us"]),
])
def test_filters_select_the_same_projects_everywhere(stores, several, args, expected):
    status = sorted(p["id"] for p in json.loads(cli(stores, "status", "--json", *args).stdout)["projects"])
    board = sorted(p["id"] for c in board_json(stores, *args)["columns"] for p in c["projects"])
    timeline = sorted(p["id"] for p in json.loads(cli(stores, "timeline", "--json", *args).stdout)["projects"])
    workload = json.loads(cli(stores, "report", "workload", "--json", *args).stdout)
    assert status == board == timeline == expected
    assert {t["project"] for r in workload["people"] for t in r["tasks"]} == set(expected) - {"old-us"}


def test_board_with_one_status_shows_one_column(stores, several):
    assert [c["status"] for c in board_json(stores, "--status", "archived")["columns"]] == ["archived"]


@pytest.mark.parametrize("command", [("status",), ("board",), ("timeline",), ("report", "workload"),
                                     ("report", "rejections")])
def test_bad_filter_values_are_refused_the_same_way(stores, mini, command):
    result = cli(stores, *command, "--status", "waiting")
    assert result.exit_code == 2 and "--status 'waiting' is not a status" in result.stderr
    result = cli(stores, *command, "--since", "last week")
    assert result.exit_code == 2 and "--since: 'last week' is not a date" in result.stderr


def test_board_says_when_nothing_matches(stores, mini):
    result = cli(stores, "board", "--platform", "ebay")
    assert result.exit_code == 0 and result.stdout == "" and "no projects match" in result.stderr


def test_board_renders_user_text_inert(stores, mini, monkeypatch):
    edit(stores, mini, lambda d: d.update(store="[bold red]Evil\x1b[31m<script>", owner="bob"))
    plain = cli(stores, "board").stdout
    monkeypatch.setattr(storeops.render, "fancy", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "250")
    fancy = cli(stores, "board").stdout
    for out in (plain, fancy):
        assert "\x1b" not in out
        assert "[bold red]Evil\\x1b[31m<script>" in out
    assert json.loads(cli(stores, "board", "--json").stdout)["columns"][0]["projects"][0]["store"].startswith(
        "[bold red]Evil\x1b[31m")
