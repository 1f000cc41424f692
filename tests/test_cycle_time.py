"""storeops report cycle-time and the timeline's actual bars, against a history written at fixed dates.

The history (team timezone Asia/Shanghai, every commit at +08:00), and what it adds up to by hand:

a-us (mini, amazon)  created 03-02 06:00
    licence  in_progress 03-02 10:00, done 03-04 10:00                       2.0 days
    bank     in_progress 03-05 10:00, done 03-08 10:00 (both hand edits)     3.0
    brand    skipped 03-08 11:00                                             (never started)
    video    in_progress 03-09 10:00, done 03-10 10:00                       1.0
    review   in_progress 03-10 12:00, submitted 03-11 12:00,
             rejected 03-15 12:00 (storeops reject)                          wait 5.0
             in_progress 03-16 12:00, submitted 03-17 12:00,
             done 03-20 12:00                                                wait 4.0, step 10.0
    approved 03-20 12:00: created → approved 18.25; archived opened 03-25 06:00: → archived 23.0
b-us (mini, amazon)  created 03-03 09:00
    licence  in_progress 03-04 09:00, done 03-08 09:00                       4.0
    bank     in_progress 03-09 09:00, still so when archived (abandoned, by hand) 03-13 09:00: → archived 10.0
c-us (mini, amazon)  created 03-05 09:00
    licence  in_progress 03-05 12:00, done 03-06 00:00                       0.5
    bank     in_progress 03-06 12:00; one hand edit at 03-12 09:00: bank done (5.875), video done
             (never started), review submitted (still waiting)
d-sg (shopee)        created 03-01 09:00
    business-license in_progress 03-01 21:00, done 03-03 09:00               1.5
    archived failed (by hand) 03-11 09:00: → archived 10.0

amazon  licence [0.5, 2.0, 4.0]: median 2.0, p90 2.0 + 0.8 × 2.0 = 3.6
        bank [3.0, 5.875]: median 4.4375, p90 3.0 + 0.9 × 2.875 = 5.5875; open 0 (b-us is archived)
        video [1.0]; review [10.0], open 1 (c-us)
        review wait [4.0, 5.0]: median 4.5, p90 4.9, waiting 1 (c-us)
        → approved [18.25]; → archived [10.0, 23.0]: median 16.5, p90 10 + 0.9 × 13 = 21.7
        archived 2: opened 1, abandoned 1, failed 0
all     → archived [10.0, 10.0, 23.0]: median 10.0, p90 10 + 0.8 × 13 = 20.4; opened, abandoned, failed 1 of 3 each
"""

import csv
import io
import json

import pytest
from conftest import DATA, git, isolate, make_stores, run_cli
from edit_helpers import edit, today

import storeops.render
from storeops import cycletime


def at(monkeypatch, moment: str) -> None:
    """Commits made from now on carry this date (author and committer)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", moment)
    monkeypatch.setenv("GIT_COMMITTER_DATE", moment)


def step(mp, stores, moment, *args):
    at(mp, f"2026-{moment}:00+08:00")
    result = run_cli("-C", str(stores), *args)
    assert result.exit_code == 0, result.stderr


def hand(mp, stores, moment, project, change):
    at(mp, f"2026-{moment}:00+08:00")
    edit(stores, project, change)


def states(**wanted):
    def change(data):
        for task in data["tasks"]:
            if task["id"] in wanted:
                task["state"] = wanted[task["id"]]
                if wanted[task["id"]] == "done" and task.get("requires_approval") == "finance":
                    task["approvals"] = [{"by": "carol", "role": "finance", "at": "2026-03-08"}]
    return change


def archived(day, outcome):
    return lambda data: data.update(archived={"at": day, "outcome": outcome, "reason": "retrospective fixture"})


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The history described at the top of this file, built once (every test here only reads it)."""
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp_path_factory.mktemp("home"))
        stores = make_stores(tmp_path_factory.mktemp("cycle") / "stores")
        (stores / "sop" / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
        git(stores, "add", "sop/mini.yaml")
        git(stores, "commit", "-qm", "add mini SOP")
        step(mp, stores, "03-01T09:00", "new", "shopee", "--store", "D", "--owner", "bob", "--id", "d-sg",
             "--site", "sg", "--start", "2026-03-01")
        step(mp, stores, "03-01T21:00", "advance", "d-sg", "business-license")
        step(mp, stores, "03-03T09:00", "advance", "d-sg", "business-license", "--to", "done")
        for pid, moment in (("a-us", "03-02T06:00"), ("b-us", "03-03T09:00"), ("c-us", "03-05T09:00")):
            step(mp, stores, moment, "new", "mini", "--store", pid.upper(), "--owner", "bob", "--id", pid,
                 "--start", "2026-03-02")
        step(mp, stores, "03-02T10:00", "advance", "a-us", "licence")
        step(mp, stores, "03-04T09:00", "advance", "b-us", "licence")
        step(mp, stores, "03-04T10:00", "advance", "a-us", "licence", "--to", "done")
        hand(mp, stores, "03-05T10:00", "a-us", states(bank="in_progress"))
        step(mp, stores, "03-05T12:00", "advance", "c-us", "licence")
        step(mp, stores, "03-06T00:00", "advance", "c-us", "licence", "--to", "done")
        step(mp, stores, "03-06T12:00", "advance", "c-us", "bank")
        hand(mp, stores, "03-08T10:00", "a-us", states(bank="done"))
        step(mp, stores, "03-08T09:00", "advance", "b-us", "licence", "--to", "done")
        step(mp, stores, "03-08T11:00", "advance", "a-us", "brand", "--to", "skipped")
        step(mp, stores, "03-09T09:00", "advance", "b-us", "bank")
        step(mp, stores, "03-09T10:00", "advance", "a-us", "video")
        step(mp, stores, "03-10T10:00", "advance", "a-us", "video", "--to", "done")
        step(mp, stores, "03-10T12:00", "advance", "a-us", "review")
        hand(mp, stores, "03-11T09:00", "d-sg", archived("2026-03-11", "failed"))
        step(mp, stores, "03-11T12:00", "advance", "a-us", "review")
        hand(mp, stores, "03-12T09:00", "c-us", states(bank="done", brand="skipped", video="done",
                                                       review="submitted"))
        hand(mp, stores, "03-13T09:00", "b-us", archived("2026-03-13", "abandoned"))
        step(mp, stores, "03-15T12:00", "reject", "a-us", "--reason", "video-face-mismatch", "--at", "2026-03-15",
             "--message", "Face does not match")
        step(mp, stores, "03-16T12:00", "advance", "a-us", "review")
        step(mp, stores, "03-17T12:00", "advance", "a-us", "review")
        step(mp, stores, "03-20T12:00", "advance", "a-us", "review")
        step(mp, stores, "03-25T06:00", "archive", "a-us", "--outcome", "opened", "--reason", "live")
    return stores


def cli(stores, *args):
    return run_cli("-C", str(stores), *args)


def report(stores, *args):
    result = cli(stores, "report", "cycle-time", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def platform(data, name):
    return next(p for p in data["platforms"] if p["platform"] == name)


def test_days_per_step_median_and_p90(history):
    amazon = platform(report(history), "amazon")
    assert amazon["projects"] == 3
    assert amazon["steps"] == [
        {"task": "licence", "count": 3, "median": 2.0, "p90": 3.6, "open": 0},
        {"task": "bank", "count": 2, "median": 4.44, "p90": 5.59, "open": 0},
        {"task": "video", "count": 1, "median": 1.0, "p90": 1.0, "open": 0},
        {"task": "review", "count": 1, "median": 10.0, "p90": 10.0, "open": 1},
    ]


def test_platform_review_waits_count_each_round_of_a_rejection_and_rework(history):
    amazon = platform(report(history), "amazon")
    assert amazon["review_wait"] == {"count": 2, "median": 4.5, "p90": 4.9, "waiting": 1}


def test_project_days_and_outcome_rates(history):
    data = report(history)
    amazon, shopee = platform(data, "amazon"), platform(data, "shopee")
    assert amazon["to_approval"] == {"count": 1, "median": 18.25, "p90": 18.25}
    assert amazon["to_archive"] == {"count": 2, "median": 16.5, "p90": 21.7}
    assert amazon["outcomes"] == {"archived": 2, "opened": 1, "abandoned": 1, "failed": 0,
                                  "rates": {"opened": 0.5, "abandoned": 0.5, "failed": 0.0}}
    assert shopee["steps"] == [{"task": "business-license", "count": 1, "median": 1.5, "p90": 1.5, "open": 0}]
    assert shopee["outcomes"]["rates"] == {"opened": 0.0, "abandoned": 0.0, "failed": 1.0}
    overall = data["overall"]
    assert "steps" not in overall and overall["projects"] == 4
    assert overall["to_archive"] == {"count": 3, "median": 10.0, "p90": 20.4}
    assert overall["review_wait"]["count"] == 2
    assert overall["outcomes"]["rates"] == {"opened": 0.3333, "abandoned": 0.3333, "failed": 0.3333}


def test_since_keeps_what_ended_on_or_after_the_date(history):
    data = report(history, "--since", "2026-03-12")
    assert data["since"] == "2026-03-12" and data["filters"]["since"] == "2026-03-12"
    assert [p["platform"] for p in data["platforms"]] == ["amazon"]  # d-sg was archived on 03-11
    amazon = data["platforms"][0]
    assert [(s["task"], s["count"]) for s in amazon["steps"]] == [("licence", 0), ("bank", 1), ("video", 0),
                                                                    ("review", 1)]
    assert amazon["steps"][1]["median"] == 5.88  # c-us: 03-06 12:00 → 03-12 09:00
    assert amazon["review_wait"]["count"] == 2 and amazon["to_archive"]["count"] == 2


def test_filters_are_the_listing_filters(history):
    assert [p["platform"] for p in report(history, "--platform", "shopee")["platforms"]] == ["shopee"]
    assert report(history, "--status", "archived")["overall"]["projects"] == 3
    data = report(history, "--owner", "alice")
    assert data["platforms"] == [] and data["filters"]["owner"] == "alice"
    result = cli(history, "report", "cycle-time", "--owner", "alice")
    assert result.exit_code == 0 and result.stdout == "" and "no projects match" in result.stderr


def test_plain_tables_when_piped(history):
    result = cli(history, "report", "cycle-time", "--platform", "amazon")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Cycle time in days (median, p90)"
    assert lines[1].split() == ["platform", "step", "n", "median", "p90", "open"]
    assert lines[2].split() == ["amazon", "licence", "3", "2.0", "3.6", "0"]
    assert lines[6].split() == ["amazon", "review", "wait", "2", "4.5", "4.9", "1"]
    assert lines[7].split() == ["amazon", "created", "→", "approved", "1", "18.2", "18.2"]
    assert lines[8].split() == ["amazon", "created", "→", "archived", "2", "16.5", "21.7"]
    assert lines[10].split() == ["platform", "archived", "opened", "abandoned", "failed"]
    assert lines[11].split() == ["amazon", "2", "1", "(50%)", "1", "(50%)", "0", "(0%)"]


def test_bars_on_a_terminal(history, monkeypatch):
    monkeypatch.setattr(storeops.render, "fancy", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "200")
    out = cli(history, "report", "cycle-time").stdout
    lines = out.splitlines()
    assert lines[0].strip() == "Cycle time in days (median, p90)"
    review = next(line for line in lines if " review " in line)
    # steps share one scale: review's median (10.0) is the longest, 30 cells wide with no p90 tail
    assert review.count("█") == 30 and review.count("░") == 0 and "1 open" in review
    licence = next(line for line in lines if " licence " in line)
    assert licence.count("█") == 6 and licence.count("░") == 5  # 2.0 and 3.6 of 10.0
    assert "(all) · 4 projects" in out and "shopee · 1 project" in out
    assert "opened 1 (50%) · abandoned 1 (50%)" in out and "\x1b" not in out


def test_csv_one_row_per_platform_and_measure(history):
    rows = list(csv.DictReader(io.StringIO(cli(history, "report", "cycle-time", "--format", "csv").stdout)))
    assert list(rows[0]) == ["platform", "measure", "item", "count", "median_days", "p90_days", "open", "share"]
    amazon = [r for r in rows if r["platform"] == "amazon"]
    assert [(r["measure"], r["item"]) for r in amazon] == [
        ("step", "licence"), ("step", "bank"), ("step", "video"), ("step", "review"), ("review_wait", ""),
        ("to_approval", ""), ("to_archive", ""), ("outcome", "opened"), ("outcome", "abandoned"),
        ("outcome", "failed")]
    assert amazon[1] == {"platform": "amazon", "measure": "step", "item": "bank", "count": "2", "median_days": "4.44",
                         "p90_days": "5.59", "open": "0", "share": ""}
    assert amazon[-3]["share"] == "0.5" and amazon[-3]["count"] == "1"
    assert {r["platform"] for r in rows} == {"amazon", "shopee", "(all)"}


def test_markdown_tables(history):
    result = cli(history, "report", "cycle-time", "--format", "markdown", "--platform", "amazon")
    lines = result.stdout.splitlines()
    assert lines[0] == "### Cycle time in days (median, p90)"
    assert lines[2] == "| platform | step | n | median | p90 | open |"
    assert lines[3] == "|---|---|---:|---:|---:|---:|"
    assert lines[4] == "| amazon | licence | 3 | 2.0 | 3.6 | 0 |"
    assert "| amazon | created → approved | 1 | 18.2 | 18.2 |  |" in lines
    assert "| amazon | 2 | 1 (50%) | 1 (50%) | 0 (0%) |" in lines


def test_cycle_time_in_chinese(history):
    out = run_cli("--lang", "zh", "-C", str(history), "report", "cycle-time", "--format", "markdown").stdout
    assert "| 平台 | 步骤 | 次数 | 中位数 | P90 | 未完成 |" in out
    assert "平台审核等待" in out and "（全部）" in out


def test_unknown_format_is_refused(history):
    result = cli(history, "report", "cycle-time", "--format", "pdf")
    assert result.exit_code == 2 and "--format 'pdf' is not a format" in result.stderr


# ---- the timeline's actual bars ----

def actual_bars(stores, project):
    result = cli(stores, "timeline", project, "--json")
    assert result.exit_code == 0, result.stderr
    return {t["id"]: t["actual"] for t in json.loads(result.stdout)["projects"][0]["tasks"]}


def test_timeline_actuals_run_from_first_in_progress_to_done(history):
    assert actual_bars(history, "a-us") == {
        "licence": {"start": "2026-03-02", "end": "2026-03-04"},
        "bank": {"start": "2026-03-05", "end": "2026-03-08"},
        "video": {"start": "2026-03-09", "end": "2026-03-10"},
        "review": {"start": "2026-03-10", "end": "2026-03-20"},  # rejected and reworked in between
    }


def test_timeline_actuals_of_open_and_archived_work(history):
    c = actual_bars(history, "c-us")
    assert c["review"] == {"start": "2026-03-12", "end": today(history)}  # still with the platform
    assert c["video"] is None  # done by a hand edit that never started it: no run to draw
    assert actual_bars(history, "b-us")["bank"] == {"start": "2026-03-09", "end": "2026-03-13"}  # until archived


def test_timeline_actuals_in_mermaid_and_for_all_projects(history):
    out = cli(history, "timeline", "a-us", "--format", "mermaid").stdout
    assert "    ↳ Bank statement (actual) :done, t2a, 2026-03-05, 2026-03-08" in out
    assert "    ↳ Platform review (actual) :done, t4a, 2026-03-10, 2026-03-20" in out
    data = json.loads(cli(history, "timeline", "--json").stdout)
    lanes = {lane["id"]: {t["id"]: t["actual"] for t in lane["tasks"]} for lane in data["projects"]}
    assert lanes["a-us"]["licence"] == {"start": "2026-03-02", "end": "2026-03-04"}
    assert lanes["d-sg"]["business-license"] == {"start": "2026-03-01", "end": "2026-03-03"}


# ---- the trail itself ----

def test_a_change_made_on_two_branches_finishes_the_task_when_it_first_arrived():
    from datetime import datetime, timezone

    def t(day):
        return datetime(2026, 3, day, tzinfo=timezone.utc)

    entries = [(t(1), "todo"), (t(2), "in_progress"), (t(4), "done"), (t(6), "done")]
    assert cycletime.started(entries) == t(2) and cycletime.finished(entries) == t(4)
    assert cycletime.finished(entries + [(t(7), "in_progress")]) is None
    rounds, waiting = cycletime.review_waits([(t(1), "submitted"), (t(3), "rejected"), (t(4), "in_progress"),
                                              (t(5), "todo"), (t(6), "submitted")])
    assert rounds == [(t(1), t(3))] and waiting == t(6)  # taken back to todo: that round is not a wait


def test_percentile_is_linear_between_ranks():
    assert cycletime.percentile([4.0, 0.5, 2.0], 0.9) == pytest.approx(3.6)
    assert cycletime.percentile([7.0], 0.9) == 7.0
    assert cycletime.stats([]) == {"count": 0, "median": None, "p90": None}


def test_a_step_made_on_a_branch_counts_at_its_own_date_not_the_merges(stores, monkeypatch):
    (stores / "sop" / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    git(stores, "add", "sop/mini.yaml")
    git(stores, "commit", "-qm", "add mini SOP")
    step(monkeypatch, stores, "04-01T09:00", "new", "mini", "--store", "M", "--owner", "bob", "--id", "m-us",
         "--start", "2026-04-01")
    git(stores, "checkout", "-qb", "side")
    step(monkeypatch, stores, "04-02T09:00", "advance", "m-us", "licence")
    step(monkeypatch, stores, "04-03T09:00", "advance", "m-us", "licence", "--to", "done")
    git(stores, "checkout", "-q", "main")
    hand(monkeypatch, stores, "04-04T09:00", "m-us", lambda d: d.update(notes="kept on main"))
    at(monkeypatch, "2026-04-08T09:00:00+08:00")
    git(stores, "merge", "-q", "--no-ff", "-m", "merge side", "side")
    assert actual_bars(stores, "m-us")["licence"] == {"start": "2026-04-02", "end": "2026-04-03"}
    licence = platform(report(stores), "amazon")["steps"][0]
    assert licence == {"task": "licence", "count": 1, "median": 1.0, "p90": 1.0, "open": 0}
