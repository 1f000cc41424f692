"""storeops report rejections / workload, checked against hand-computed fixtures."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from conftest import run_cli
from edit_helpers import edit, today

import storeops.render


def cli(stores, *args):
    return run_cli("-C", str(stores), *args)


def rejection(at, reason, message, task="review"):
    return {"at": at, "task": task, "reason": reason, "message": message, "evidence": None}


@pytest.fixture
def history(stores, mini):
    """Six rejections on three projects (hand-counted below):

    amazon  mini-us   2026-11-05 video-face-mismatch "Face mismatch A"
    amazon  mini-us   2026-11-12 video-face-mismatch "Face mismatch B"
    amazon  mini-us   2026-11-20 other               "Other words"
    amazon  other-us  2026-11-08 video-face-mismatch (no message)
    shopee  shop-sg   2026-11-15 linked-account      "=HYPERLINK(\"http://x\")"
    shopee  shop-sg   2026-11-16 linked-account      "a | b <script>*x*</script>"
    """
    for pid, sop, site in (("other-us", "mini", "us"), ("shop-sg", "shopee", "sg")):
        result = cli(stores, "new", sop, "--store", pid, "--owner", "alice", "--id", pid, "--site", site,
                     "--start", "2026-11-02")
        assert result.exit_code == 0, result.stderr
    edit(stores, mini, lambda d: d.update(rejections=[
        rejection("2026-11-05", "video-face-mismatch", "Face mismatch A"),
        rejection("2026-11-12", "video-face-mismatch", "Face mismatch B"),
        rejection("2026-11-20", "other", "Other words")]))
    edit(stores, "other-us", lambda d: d.update(rejections=[rejection("2026-11-08", "video-face-mismatch", None)]))
    edit(stores, "shop-sg", lambda d: d.update(rejections=[
        rejection("2026-11-15", "linked-account", '=HYPERLINK("http://x")', "platform-review"),
        rejection("2026-11-16", "linked-account", "a | b <script>*x*</script>", "platform-review")]))
    return stores


def report(stores, *args):
    result = cli(stores, "report", "rejections", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def counts(data):
    return {p["platform"]: {r["code"]: r["count"] for r in p["reasons"]} for p in data["platforms"]}


def test_rejections_counted_by_platform_and_reason(history):
    data = report(history)
    assert data["version"] == 1 and data["total"] == 6
    assert [p["platform"] for p in data["platforms"]] == ["amazon", "shopee"]
    assert [p["total"] for p in data["platforms"]] == [4, 2]
    assert counts(data) == {"amazon": {"video-face-mismatch": 3, "other": 1}, "shopee": {"linked-account": 2}}
    assert [(r["code"], r["count"]) for r in data["reasons"]] == [
        ("video-face-mismatch", 3), ("linked-account", 2), ("other", 1)]
    face = data["platforms"][0]["reasons"][0]
    assert face["last"] == "2026-11-12" and face["projects"] == ["mini-us", "other-us"]
    assert [e["message"] for e in face["examples"]] == ["Face mismatch B", "Face mismatch A"]
    assert face["title"]["en"] == "Face does not match the ID"


def test_rejections_since_and_platform(history):
    data = report(history, "--since", "2026-11-10")
    assert data["total"] == 4 and data["since"] == "2026-11-10"
    assert counts(data) == {"amazon": {"video-face-mismatch": 1, "other": 1}, "shopee": {"linked-account": 2}}
    data = report(history, "--platform", "shopee")
    assert data["total"] == 2 and counts(data) == {"shopee": {"linked-account": 2}}
    assert report(history, "--since", "2026-11-21")["total"] == 0


def test_rejections_plain_table_when_piped(history):
    result = cli(history, "report", "rejections")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["platform", "reason", "count", "last", "example"]
    assert lines[1].split()[:4] == ["amazon", "video-face-mismatch", "3", "2026-11-12"]
    assert lines[1].endswith("Face mismatch B")
    assert [line.split()[1] for line in lines[1:]] == ["video-face-mismatch", "other", "linked-account"]


def test_rejections_chart_on_a_terminal(history, monkeypatch):
    monkeypatch.setattr(storeops.render, "fancy", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "200")
    out = cli(history, "report", "rejections").stdout
    assert "Rejections by platform and reason: 6" in out
    face = next(line for line in out.splitlines() if "video-face-mismatch" in line)
    other = next(line for line in out.splitlines() if "  other " in line)
    assert face.count("█") == 30 and other.count("█") == 10  # 3 and 1 of a 30-wide bar
    assert "2026-11-12 mini-us: “Face mismatch B”" in out
    assert "<script>*x*</script>" in out and "\x1b" not in out


def test_rejections_csv_is_spreadsheet_safe(history):
    result = cli(history, "report", "rejections", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["platform"], r["reason"], r["count"]) for r in rows] == [
        ("amazon", "video-face-mismatch", "3"), ("amazon", "other", "1"), ("shopee", "linked-account", "2")]
    assert rows[0]["example"] == "Face mismatch B" and rows[0]["example_project"] == "mini-us"
    report_all = report(history)
    assert report_all["platforms"][1]["reasons"][0]["examples"][1]["message"] == '=HYPERLINK("http://x")'
    assert rows[2]["example"] == "a | b <script>*x*</script>"


def test_csv_never_starts_a_cell_with_a_formula(history):
    edit(history, "shop-sg", lambda d: d.update(rejections=[
        rejection("2026-11-15", "linked-account", '=HYPERLINK("http://x")', "platform-review")]))
    rows = list(csv.reader(io.StringIO(cli(history, "report", "rejections", "--format", "csv").stdout)))
    assert rows[-1][5] == "'=HYPERLINK(\"http://x\")"


def test_rejections_markdown_escapes_user_text(history):
    result = cli(history, "report", "rejections", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "### Rejections by platform and reason"
    assert lines[2] == "rejections: 6"
    assert lines[4] == "| platform | reason | count | last | example |"
    table = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    assert len(table) == 3 and all(line.count(" | ") == 4 for line in table)  # a | in a message does not add a cell
    assert table[2] == ("| shopee | Linked to another seller account (`linked-account`) | 2 | 2026-11-16 | "
                        "a \\| b &lt;script&gt;\\*x\\*&lt;/script&gt; (shop-sg) |")


def test_rejections_in_chinese(history):
    result = run_cli("--lang", "zh", "-C", str(history), "report", "rejections", "--format", "markdown")
    assert "视频人脸与证件不符" in result.stdout and "| 平台 | 原因 | 次数 | 最近 | 示例 |" in result.stdout


def test_rejections_refuses_unknown_format(history):
    result = cli(history, "report", "rejections", "--format", "pdf")
    assert result.exit_code == 2 and "--format 'pdf' is not a format" in result.stderr


def test_no_rejections(stores, mini):
    result = cli(stores, "report", "rejections")
    assert result.exit_code == 0 and result.stdout == "" and "no rejections recorded" in result.stderr


# ---- workload ----

@pytest.fixture
def work(stores, mini):
    """Hand-set tasks (today = T):

    mini-us   licence done; bank in_progress due 2026-11-03 (bob, overdue); brand todo far (dave);
              video todo T+1 (bob, due soon); review todo far (bob)
    other-us  licence in_progress due 2026-11-03 (alice, overdue); bank todo no due (alice); brand skipped;
              video todo far (nobody); review todo far (carol)
    old-us    archived: its open tasks do not count
    """
    soon = (date.fromisoformat(today(stores)) + timedelta(days=1)).isoformat()
    for pid in ("other-us", "old-us"):
        assert cli(stores, "new", "mini", "--store", pid, "--owner", "alice", "--id", pid).exit_code == 0
    far = "2099-01-01"  # dates are bounded to 2000-2100 (issue 14)

    def plan(states):
        def change(data):
            for task in data["tasks"]:
                task.update(states.get(task["id"], {}))
        return change
    edit(stores, mini, plan({"licence": {"state": "done"}, "bank": {"state": "in_progress", "due": "2026-11-03"},
                             "brand": {"due": far}, "video": {"due": soon}, "review": {"due": far}}))
    edit(stores, "other-us", plan({"licence": {"state": "in_progress", "due": "2026-11-03"}, "bank": {"due": None},
                                   "brand": {"state": "skipped"}, "video": {"due": far, "assignee": None},
                                   "review": {"due": far, "assignee": "carol"}}))
    assert cli(stores, "archive", "old-us", "--outcome", "failed", "--reason", "x").exit_code == 0
    return stores


def test_workload_per_person(work):
    result = cli(work, "report", "workload", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = [(r["person"], r["open"], r["overdue"], r["due_soon"], r["in_progress"]) for r in data["people"]]
    assert rows == [("bob", 3, 1, 1, 1), ("alice", 2, 1, 0, 1), ("carol", 1, 0, 0, 0), ("dave", 1, 0, 0, 0),
                    (None, 1, 0, 0, 0)]
    assert data["open"] == 8 and data["overdue"] == 2
    bob = data["people"][0]
    assert [(t["project"], t["task"]) for t in bob["tasks"]] == [("mini-us", "bank"), ("mini-us", "video"),
                                                                ("mini-us", "review")]


def test_workload_plain_table(work):
    lines = cli(work, "report", "workload").stdout.splitlines()
    assert lines[0].split() == ["person", "open", "overdue", "due", "≤3d"]
    assert [line.split() for line in lines[1:]] == [["bob", "3", "1", "1"], ["alice", "2", "1", "0"],
                                                    ["carol", "1", "0", "0"], ["dave", "1", "0", "0"],
                                                    ["(unassigned)", "1", "0", "0"]]


def test_workload_bars_on_a_terminal(work, monkeypatch):
    monkeypatch.setattr(storeops.render, "fancy", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "200")
    out = cli(work, "report", "workload").stdout
    bob = next(line for line in out.splitlines() if " bob " in line)
    carol = next(line for line in out.splitlines() if " carol " in line)
    assert bob.count("█") == 30 and carol.count("█") == 10
    monkeypatch.setenv("COLUMNS", "90")  # narrow: bars shrink to a sixth of the width
    out = cli(work, "report", "workload").stdout
    assert next(line for line in out.splitlines() if " bob " in line).count("█") == 15


def test_workload_filters_projects(work):
    data = json.loads(cli(work, "report", "workload", "--owner", "bob", "--json").stdout)
    assert {r["person"]: r["open"] for r in data["people"]} == {"alice": 0, "bob": 3, "carol": 0, "dave": 1}


def test_rejection_messages_are_inert_in_every_format(history, monkeypatch):
    evil = "[bold red]x\x1b[2J\x1b]0;pwned\x07 <img src=x onerror=alert(1)>"
    edit(history, "other-us", lambda d: d.update(rejections=[rejection("2026-11-25", "other", evil)]))
    outputs = [cli(history, "report", "rejections", "--format", fmt).stdout for fmt in ("text", "csv", "markdown")]
    monkeypatch.setattr(storeops.render, "fancy", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "250")
    outputs.append(cli(history, "report", "rejections").stdout)
    for out in outputs:
        assert "\x1b" not in out and "\x07" not in out
    assert "[bold red]x\\x1b[2J" in outputs[0] and "[bold red]x\\x1b[2J" in outputs[3]
    assert "&lt;img src=x onerror=alert(1)&gt;" in outputs[2] and "<img" not in outputs[2]
    assert json.loads(cli(history, "report", "rejections", "--json").stdout)["total"] == 6  # replaced one
