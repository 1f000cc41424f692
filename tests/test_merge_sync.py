"""The merge driver, doctor and sync: several clones of one stores repo and a bare remote."""

import json
import os
import subprocess
import sys
import venv

import pytest
from conftest import git, run_cli
from gitflow import acting, bare_remote, cli_as, clone, use_this_checkout

from storeops.repo import PROJECT_MODELINE
from storeops import merge, yamlio


@pytest.fixture(autouse=True)
def _driver_runs_this_code(monkeypatch):
    use_this_checkout(monkeypatch)


@pytest.fixture
def team(stores, mini, tmp_path):
    """A bare remote and two fresh clones: bob's and carol's (merge driver registered by doctor)."""
    remote = bare_remote(stores, tmp_path)
    clones = {}
    for name in ("bob", "carol"):
        root = clone(remote, tmp_path / name)
        assert run_cli("-C", str(root), "doctor").exit_code == 0
        clones[name] = root
    return remote, clones


def project(root, mini="mini-us"):
    return yamlio.load(root / "projects" / f"{mini}.yaml")


def task(data, task_id):
    return next(t for t in data["tasks"] if t["id"] == task_id)


# ---- the merge itself ----

def test_merge_texts_keeps_both_sides_changes_to_different_tasks(stores, mini):
    base = (stores / "projects" / f"{mini}.yaml").read_text()
    ours = base.replace("  state: todo\n", "  state: in_progress\n", 1)               # licence
    theirs = base.replace("  due: 2026-11-07\n", "  due: 2026-12-05\n")              # bank
    outcome = merge.merge_texts(base, ours, theirs)
    assert outcome.conflicts == []
    merged = yamlio.loads(outcome.text)
    assert task(merged, "licence")["state"] == "in_progress" and task(merged, "bank")["due"] == "2026-12-05"
    assert outcome.text == PROJECT_MODELINE + yamlio.dumps(merged)  # canonical


def test_merge_texts_unions_notes_and_respects_removals(stores, mini):
    base_data = project(stores)
    task(base_data, "bank")["approvals"] = [{"by": "carol", "role": "finance", "at": "2026-11-20"}]
    base = yamlio.dumps(base_data)
    ours_data, theirs_data = yamlio.loads(base), yamlio.loads(base)
    task(ours_data, "licence")["notes"] = [{"at": "2026-11-21", "by": "bob", "text": "scanned"}]
    task(theirs_data, "licence")["notes"] = [{"at": "2026-11-22", "by": "carol", "text": "colour please"}]
    del task(theirs_data, "bank")["approvals"]  # rework cleared the approval on their side
    outcome = merge.merge_texts(base, yamlio.dumps(ours_data), yamlio.dumps(theirs_data))
    merged = yamlio.loads(outcome.text)
    assert outcome.conflicts == []
    assert [n["text"] for n in task(merged, "licence")["notes"]] == ["scanned", "colour please"]
    assert "approvals" not in task(merged, "bank")


def test_merge_texts_reports_the_same_field_changed_two_ways(stores, mini):
    base = (stores / "projects" / f"{mini}.yaml").read_text()
    ours = base.replace("  due: 2026-11-07\n", "  due: 2026-12-05\n").replace("store: Mini Store", "store: Ours")
    theirs = base.replace("  due: 2026-11-07\n", "  due: 2026-12-07\n")
    outcome = merge.merge_texts(base, ours, theirs, sides=("yours", "the remote"))
    assert [c.describe(outcome.project, "yours", "the remote") for c in outcome.conflicts] == [
        "mini-us: task bank, due: yours 2026-12-05, the remote 2026-12-07 (was 2026-11-07)"]
    assert "<<<<<<< yours\n  due: 2026-12-05\n=======\n  due: 2026-12-07\n>>>>>>> the remote\n" in outcome.text
    assert outcome.text.count("<<<<<<<") == 1 and "store: Ours" in outcome.text


def test_merge_texts_adds_tasks_from_both_sides_in_place(stores, mini):
    base_data = project(stores)
    ours_data, theirs_data = yamlio.loads(yamlio.dumps(base_data)), yamlio.loads(yamlio.dumps(base_data))
    extra = {"id": "extra", "state": "todo", "assignee": None, "due": None, "depends_on": []}
    theirs_data["tasks"].insert(1, extra)
    del ours_data["tasks"][2]  # brand, optional, dropped on our side
    outcome = merge.merge_texts(yamlio.dumps(base_data), yamlio.dumps(ours_data), yamlio.dumps(theirs_data))
    ids = [t["id"] for t in yamlio.loads(outcome.text)["tasks"]]
    assert ids == ["licence", "extra", "bank", "video", "review"]


# ---- git merges with the driver, across clones ----

def test_doctor_registers_the_merge_driver_in_a_fresh_clone(stores, mini, tmp_path):
    remote = bare_remote(stores, tmp_path)
    fresh = clone(remote, tmp_path / "fresh")
    missing = subprocess.run(["git", "-C", str(fresh), "config", "--get", "merge.storeops.driver"],
                             capture_output=True, text=True)
    assert missing.returncode == 1
    result = run_cli("-C", str(fresh), "doctor", "--json")
    assert result.exit_code == 0
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["merge-driver"]["status"] == "fixed"
    assert merge.driver_interpreter(git(fresh, "config", "--get", "merge.storeops.driver").strip()) == sys.executable
    again = {c["name"]: c["status"] for c in json.loads(run_cli("-C", str(fresh), "doctor", "--json").stdout)["checks"]}
    assert again["merge-driver"] == "ok" and again["attributes"] == "ok"


def test_two_clones_editing_different_tasks_merge_with_nothing_lost(team):
    remote, clones = team
    bob, carol = clones["bob"], clones["carol"]
    assert cli_as("bob", bob, "advance", "mini-us", "licence", "--note", "scan requested").exit_code == 0
    assert cli_as("bob", bob, "assign", "mini-us", "brand", "bob").exit_code == 0
    with acting("bob"):
        git(bob, "push", "-q")
    assert cli_as("carol", carol, "schedule", "mini-us", "bank", "--due", "2026-12-05").exit_code == 0
    assert cli_as("carol", carol, "schedule", "mini-us", "video", "--due", "2026-12-12").exit_code == 0
    with acting("carol"):
        git(carol, "pull", "-q", "--no-rebase", "--no-edit")
    merged = project(carol)
    assert task(merged, "licence")["state"] == "in_progress"
    assert [n["text"] for n in task(merged, "licence")["notes"]] == ["scan requested"]
    assert task(merged, "brand")["assignee"] == "bob"
    assert task(merged, "bank")["due"] == "2026-12-05" and task(merged, "video")["due"] == "2026-12-12"
    assert run_cli("-C", str(carol), "check").exit_code == 0


def test_notes_added_by_both_clones_to_one_task_merge_as_a_union(team, tmp_path):
    remote, clones = team
    bob, carol = clones["bob"], clones["carol"]
    assert cli_as("bob", bob, "advance", "mini-us", "licence", "--note", "from bob").exit_code == 0
    with acting("bob"):
        git(bob, "push", "-q")
    assert cli_as("carol", carol, "advance", "mini-us", "licence", "--note", "from carol").exit_code == 0
    # without the driver git's line merge conflicts here: both insert at the same place
    plain = clone(remote, tmp_path / "plain")
    git(plain, "fetch", "-q", str(carol), "main:carol")
    with acting("alice"):
        line_merge = subprocess.run(["git", "-C", str(plain), "merge", "-q", "--no-edit", "carol"],
                                    capture_output=True, text=True)
    assert line_merge.returncode == 1 and "CONFLICT (content)" in line_merge.stdout
    with acting("carol"):
        git(carol, "pull", "-q", "--no-rebase", "--no-edit")
    notes = task(project(carol), "licence")["notes"]
    assert sorted(n["text"] for n in notes) == ["from bob", "from carol"]


def test_the_same_field_changed_in_two_clones_is_a_readable_conflict(team):
    remote, clones = team
    bob, carol = clones["bob"], clones["carol"]
    assert cli_as("bob", bob, "schedule", "mini-us", "bank", "--due", "2026-12-05").exit_code == 0
    with acting("bob"):
        git(bob, "push", "-q")
    assert cli_as("carol", carol, "schedule", "mini-us", "bank", "--due", "2026-12-07").exit_code == 0
    with acting("carol"):
        git(carol, "fetch", "-q")
        proc = subprocess.run(["git", "-C", str(carol), "merge", "--no-edit", "origin/main"],
                              capture_output=True, text=True)
    assert proc.returncode == 1
    assert ("storeops: conflict: projects/mini-us.yaml: mini-us: task bank, due: ours 2026-12-07, "
            "theirs 2026-12-05 (was 2026-11-07)") in proc.stderr
    text = (carol / "projects" / "mini-us.yaml").read_text()
    assert "<<<<<<< ours\n  due: 2026-12-07\n=======\n  due: 2026-12-05\n>>>>>>> theirs\n" in text


# ---- the driver whatever PATH git has ----

def both_add_a_note(team):
    """bob pushes a note on licence; carol adds one at the same place (git's line merge conflicts there)."""
    remote, clones = team
    bob, carol = clones["bob"], clones["carol"]
    assert cli_as("bob", bob, "advance", "mini-us", "licence", "--note", "from bob").exit_code == 0
    with acting("bob"):
        git(bob, "push", "-q")
    assert cli_as("carol", carol, "advance", "mini-us", "licence", "--note", "from carol").exit_code == 0
    return carol


def pull_with_a_bare_path(root, **env):
    """`git pull` as a GUI client or an IDE runs it: storeops and the venv not on PATH."""
    env = {**os.environ, "PATH": "/usr/bin:/bin", **env}
    with acting("carol"):
        env.update({k: os.environ[k] for k in os.environ if k.startswith("GIT_")})
        return subprocess.run(["git", "-C", str(root), "pull", "--no-rebase", "--no-edit"], capture_output=True,
                              text=True, env={k: v for k, v in env.items() if v is not None})


def test_a_pull_without_storeops_on_path_merges_through_the_registered_interpreter(team):
    carol = both_add_a_note(team)
    proc = pull_with_a_bare_path(carol)
    assert proc.returncode == 0, proc.stderr
    assert "not found" not in proc.stderr
    notes = task(project(carol), "licence")["notes"]
    assert sorted(n["text"] for n in notes) == ["from bob", "from carol"]


def test_a_driver_whose_interpreter_is_gone_falls_back_to_conflict_markers_and_loses_nothing(team, tmp_path):
    carol = both_add_a_note(team)
    gone = str(tmp_path / "deleted-venv" / "bin" / "python")
    git(carol, "config", "merge.storeops.driver", merge.driver_command(gone))
    proc = pull_with_a_bare_path(carol)
    assert proc.returncode != 0
    assert "storeops cannot run here, so git merged this file line by line" in proc.stderr
    text = (carol / "projects" / "mini-us.yaml").read_text()
    assert "<<<<<<< ours\n" in text and "=======\n" in text and ">>>>>>> theirs\n" in text
    assert "from bob" in text and "from carol" in text
    assert git(carol, "status", "--porcelain", "projects/mini-us.yaml").startswith("UU ")

    git(carol, "merge", "--abort")
    checks = {c["name"]: c for c in json.loads(run_cli("-C", str(carol), "doctor", "--json").stdout)["checks"]}
    assert checks["merge-driver"]["status"] == "fixed"
    assert f"interpreter {gone} is missing" in checks["merge-driver"]["message"]
    assert merge.driver_interpreter(git(carol, "config", "merge.storeops.driver").strip()) == sys.executable
    assert pull_with_a_bare_path(carol).returncode == 0
    assert sorted(n["text"] for n in task(project(carol), "licence")["notes"]) == ["from bob", "from carol"]


def test_an_interpreter_without_storeops_falls_back_to_conflict_markers(team, tmp_path):
    carol = both_add_a_note(team)
    bare = tmp_path / "bare-venv"
    venv.create(bare, with_pip=False)
    git(carol, "config", "merge.storeops.driver", merge.driver_command(str(bare / "bin" / "python")))
    proc = pull_with_a_bare_path(carol, PYTHONPATH=None)
    assert proc.returncode != 0
    text = (carol / "projects" / "mini-us.yaml").read_text()
    assert "<<<<<<< ours\n" in text and "from bob" in text and "from carol" in text


def test_doctor_replaces_a_bare_storeops_driver(stores, mini):
    git(stores, "config", "merge.storeops.driver", "storeops merge-file %O %A %B %P")
    finding = {c["name"]: c for c in json.loads(run_cli("-C", str(stores), "doctor", "--json").stdout)["checks"]}
    assert finding["merge-driver"]["status"] == "fixed"
    assert "bare storeops depends on git's PATH" in finding["merge-driver"]["message"]
    assert merge.driver_interpreter(git(stores, "config", "merge.storeops.driver").strip()) == sys.executable


# ---- sync ----

def test_sync_pulls_and_pushes_through_the_driver(team, tmp_path):
    remote, clones = team
    bob, carol = clones["bob"], clones["carol"]
    assert cli_as("bob", bob, "advance", "mini-us", "licence", "--note", "from bob").exit_code == 0
    result = cli_as("bob", bob, "sync")
    assert result.exit_code == 0, result.stderr
    assert "synced with origin/main: nothing to pull, pushed 1 commit(s)" in result.stderr
    assert cli_as("carol", carol, "advance", "mini-us", "licence", "--note", "from carol").exit_code == 0
    result = cli_as("carol", carol, "sync")
    assert result.exit_code == 0, result.stderr
    assert "pulled 1 commit(s), pushed 1 commit(s)" in result.stderr
    check = clone(remote, tmp_path / "check")
    notes = [n["text"] for n in task(project(check), "licence")["notes"]]
    assert sorted(notes) == ["from bob", "from carol"]
    assert git(check, "log", "--format=%ae", "-2").split() == ["carol@example.com", "bob@example.com"]


def test_sync_stops_on_a_conflict_and_loses_nothing(team):
    remote, clones = team
    bob, carol = clones["bob"], clones["carol"]
    assert cli_as("bob", bob, "schedule", "mini-us", "bank", "--due", "2026-12-05").exit_code == 0
    assert cli_as("bob", bob, "sync").exit_code == 0
    assert cli_as("carol", carol, "schedule", "mini-us", "bank", "--due", "2026-12-07").exit_code == 0
    before = git(carol, "rev-parse", "HEAD")
    result = cli_as("carol", carol, "sync")
    assert result.exit_code == 1
    assert "error: sync stopped: your commits and origin/main change the same thing" in result.stderr
    assert ("projects/mini-us.yaml: mini-us: task bank, due: the remote 2026-12-05, yours 2026-12-07 "
            "(was 2026-11-07)") in result.stderr
    assert "nothing was lost" in result.stderr
    assert git(carol, "rev-parse", "HEAD") == before
    assert git(carol, "status", "--porcelain") == ""
    assert task(project(carol), "bank")["due"] == "2026-12-07"
    assert git(remote, "log", "-1", "--format=%ae", "main").strip() == "bob@example.com"
    assert not (carol / ".git" / "rebase-merge").exists()

    # the hint's way out: merge by hand, keep one value, sync again
    with acting("carol"):
        merged = subprocess.run(["git", "-C", str(carol), "merge", "origin/main"], capture_output=True, text=True)
        assert merged.returncode == 1
        path = carol / "projects" / "mini-us.yaml"
        text = path.read_text()
        start, end = text.index("<<<<<<< ours\n"), text.index(">>>>>>> theirs\n") + len(">>>>>>> theirs\n")
        path.write_text(text[:start] + "  due: 2026-12-05\n" + text[end:])
        git(carol, "commit", "-qam", "merge: keep bob's date")
    result = cli_as("carol", carol, "sync")
    assert result.exit_code == 0 and "nothing to pull, pushed 2 commit(s)" in result.stderr
    assert run_cli("-C", str(carol), "check").exit_code == 0


def test_sync_refuses_uncommitted_changes(team):
    _, clones = team
    carol = clones["carol"]
    path = carol / "projects" / "mini-us.yaml"
    path.write_text(path.read_text().replace("store: Mini Store", "store: Draft"))
    result = cli_as("carol", carol, "sync")
    assert result.exit_code == 2
    assert "uncommitted changes in projects/mini-us.yaml; nothing was synced" in result.stderr
    assert "store: Draft" in path.read_text()


def test_sync_without_a_remote_says_how_to_add_one(stores, mini):
    result = run_cli("-C", str(stores), "sync")
    assert result.exit_code == 3 and "has no remote to sync with" in result.stderr


def test_a_push_that_lost_a_race_on_the_remote_is_retried_not_reported():
    from storeops import sync

    raced = (" ! [remote rejected] HEAD -> main (cannot lock ref 'refs/heads/main': is at 7d2bbf5 but expected "
             "4c1c9af)\nerror: failed to push some refs to '/srv/stores.git'\n")
    sync._refused("origin", raced)  # returns: sync fetches and tries again
    hooked = " ! [remote rejected] HEAD -> main (pre-receive hook declined)\n"
    with pytest.raises(sync.EnvError, match="was refused: pre-receive hook declined"):
        sync._refused("origin", hooked)
