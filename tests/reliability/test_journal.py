"""Crash-safe commits (issue 14): the write journal, git's index.lock order, no foreign edits, no writes mid-merge.

The crash harness here puts a `git` wrapper first on PATH that counts git's invocations
and kills the whole process group (storeops and its git) just before the K-th one, for
every K a write command makes: every step of its plumbing. After each kill a reader
(`status`) must finish or undo the change, and then:
  - 0 index/HEAD divergences: `git status --porcelain` is empty, HEAD moved by 0 or 1 commit;
  - 0 changes folded into another commit: `check` passes and the next command commits its own file only;
  - 0 stale locks needing a manual `rm`: no lock file, no journal is left.
The default run kills `attach` and `reject` (a file beside the project) at every step; `pytest -m slow`
fourteen write commands (see SETUPS).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import git, run_cli
from reliability_support import two_sides_of_sop_readme
from vault_fixtures import LICENCE, act, keys, make_identity, write  # noqa: F401 (fixtures)

from storeops import gitcmd

WRAPPER = """#!/bin/sh
n=$(cat "$STOREOPS_TEST_COUNTER" 2>/dev/null || echo 0)
n=$((n + 1))
echo $n > "$STOREOPS_TEST_COUNTER"
if [ "$n" = "${STOREOPS_TEST_DIE_AT:-0}" ]; then kill -9 0; fi
if [ -n "${STOREOPS_TEST_FAIL:-}" ] && [ "$3" = "$STOREOPS_TEST_FAIL" ]; then
  echo "fatal: unable to write new index file" >&2; exit 128
fi
exec "$STOREOPS_TEST_REAL_GIT" "$@"
"""
PROJECT = "projects/mini-us.yaml"


@pytest.fixture
def wrapper(tmp_path) -> Path:
    folder = tmp_path / "wrapper"
    folder.mkdir()
    (folder / "git").write_text(WRAPPER)
    (folder / "git").chmod(0o755)
    return folder


def _run(stores: Path, wrapper: Path, argv: list[str], die_at: int = 0, stdin: str | None = None,
         fail: str | None = None) -> tuple[int, int]:
    """storeops in its own process group behind the wrapper; (exit status, git calls made)."""
    counter = wrapper.parent / "counter"
    counter.write_text("0")
    env = {**os.environ, "PATH": f"{wrapper}:{os.environ['PATH']}", "STOREOPS_TEST_COUNTER": str(counter),
           "STOREOPS_TEST_DIE_AT": str(die_at), "STOREOPS_TEST_REAL_GIT": shutil.which("git"),
           "STOREOPS_TEST_FAIL": fail or ""}
    proc = subprocess.run([sys.executable, "-m", "storeops", "-C", str(stores), *argv], env=env, input=stdin,
                          capture_output=True, text=True, start_new_session=True, timeout=120)
    return proc.returncode, int(counter.read_text().strip() or 0)


def _check_after(stores: Path, old_head: str, check_before: int = 0, paths_of_next: str = PROJECT) -> Counter:
    """What the next commands find after a kill, as counts of the defects the issue names (all should be 0)."""
    found: Counter = Counter()
    status = run_cli("-C", str(stores), "status")
    found["reader failed"] += status.exit_code != 0
    found["stale locks"] += len(gitcmd.lock_files(stores / ".git"))
    found["journal left"] += (stores / ".git" / "storeops" / "journal").exists()
    found["divergences"] += git(stores, "status", "--porcelain") != ""
    head = git(stores, "rev-parse", "HEAD")
    found["divergences"] += head != old_head and git(stores, "rev-parse", "HEAD^") != old_head
    found["check failed"] += run_cli("-C", str(stores), "check").exit_code not in (0, check_before)
    result = run_cli("-C", str(stores), "assign", "mini-us", "bank", "dave")
    if result.exit_code != 0:
        found["next command failed"] += 1
    else:
        files = git(stores, "show", "--name-only", "--format=", "HEAD").split()
        found["folded"] += files != [paths_of_next]
        found["divergences"] += git(stores, "status", "--porcelain") != ""
    return found


def _setup_assign(stores, tmp_path):
    return ["assign", "mini-us", "licence", "carol"], None


def _setup_attach(stores, tmp_path):
    scan = write(tmp_path, "business-license-scan.pdf", LICENCE)
    return ["attach", "mini-us", str(scan), "--task", "licence", "--doc", "business-license-scan"], None


def _setup_secret(stores, tmp_path):
    return ["secret", "set", "mini-us", "legal_rep_id_number"], "110101199003071234\n"


def _setup_person_key(stores, tmp_path):
    return ["person", "key", "bob", "--age-recipient", make_identity(tmp_path / "new-bob.txt")], None


def _setup_rekey(stores, tmp_path):
    scan = write(tmp_path, "business-license-scan.pdf", LICENCE)
    assert run_cli("-C", str(stores), "attach", "mini-us", str(scan), "--task", "licence",
                   "--doc", "business-license-scan").exit_code == 0
    make = make_identity(tmp_path / "newer-bob.txt")
    assert run_cli("-C", str(stores), "person", "key", "bob", "--age-recipient", make).exit_code == 0
    return ["rekey"], None


def _setup_fmt(stores, tmp_path):
    import json

    from storeops import yamlio

    path = stores / PROJECT
    path.write_text(json.dumps(yamlio.loads(path.read_text())))
    git(stores, "commit", "-qam", "reformatted by hand")
    return ["fmt"], None


def _setup_advance(stores, tmp_path):
    return ["advance", "mini-us", "licence"], None


def _setup_new(stores, tmp_path):
    return ["new", "mini", "--store", "Crash Shop", "--owner", "bob", "--id", "crash-shop"], None


def _setup_schedule(stores, tmp_path):
    return ["schedule", "mini-us", "licence", "--due", "2026-12-20"], None


def _setup_reject(stores, tmp_path):
    notice = write(tmp_path, "notice.png", b"\x89PNG\r\n\x1a\n the platform's notice")
    assert run_cli("-C", str(stores), "advance", "mini-us", "licence").exit_code == 0
    return ["reject", "mini-us", "--task", "licence", "--reason", "other", "--message", "documents unclear",
            "--evidence", str(notice)], None


def _setup_link(stores, tmp_path):
    return ["link", "mini-us", "--seller-id", "A1B2C3D4E5"], None


def _setup_handover(stores, tmp_path):
    return ["handover", "bob", "--to", "carol"], None


def _setup_person_add(stores, tmp_path):
    return ["person", "add", "erin", "--email", "erin@example.com"], None


def _setup_import(stores, tmp_path):
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("store,owner,start\nCrash One,bob,2026-11-20\nCrash Two,carol,2026-11-21\n")
    return ["import", str(sheet), "--sop", "mini"], None


SETUPS = {"assign": _setup_assign, "attach": _setup_attach, "secret set": _setup_secret,
          "person key": _setup_person_key, "rekey": _setup_rekey, "fmt": _setup_fmt, "advance": _setup_advance,
          "new": _setup_new, "schedule": _setup_schedule, "reject": _setup_reject, "link": _setup_link,
          "handover": _setup_handover, "person add": _setup_person_add, "import": _setup_import}


def _kill_everywhere(name: str, stores: Path, tmp_path: Path, wrapper: Path) -> Counter:
    argv, stdin = SETUPS[name](stores, tmp_path)
    check_before = run_cli("-C", str(stores), "check").exit_code  # fmt starts from a finding it fixes
    template = tmp_path / "template"
    shutil.copytree(stores, template, symlinks=True)
    code, calls = _run(stores, wrapper, argv, stdin=stdin)
    assert code == 0 and calls > 3, (name, code, calls)
    totals: Counter = Counter()
    for k in range(1, calls + 1):
        shutil.rmtree(stores)
        shutil.copytree(template, stores, symlinks=True)
        old_head = git(stores, "rev-parse", "HEAD")
        code, _ = _run(stores, wrapper, argv, die_at=k, stdin=stdin)
        totals["kills"] += code == -signal.SIGKILL
        found = _check_after(stores, old_head, check_before)
        assert not +found, (name, k, dict(found))  # the first defect stops here, with where it happened
        totals.update(found)
    return totals


@pytest.mark.parametrize("name", ["attach", "reject"])
def test_a_writer_killed_before_any_git_step_is_finished_or_undone_by_the_next_command(
        name, stores, mini, act, tmp_path, wrapper, capsys):
    totals = _kill_everywhere(name, stores, tmp_path, wrapper)
    assert totals["kills"] >= 8
    with capsys.disabled():
        print(f"\n  {name}: {totals['kills']} kills, {totals['divergences']} divergences, "
              f"{totals['folded']} folded, {totals['stale locks']} stale locks")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETUPS))
def test_every_write_command_killed_at_every_git_step(name, stores, mini, act, tmp_path, wrapper, capsys):
    totals = _kill_everywhere(name, stores, tmp_path, wrapper)
    with capsys.disabled():
        print(f"\n  {name}: {totals['kills']} kills, {totals['divergences']} divergences, "
              f"{totals['folded']} folded, {totals['stale locks']} stale locks")


# ---- the reproductions of issue 14 ----

def test_a_failing_index_update_changes_nothing_and_says_so_truthfully(stores, mini, wrapper):
    head, before = git(stores, "rev-parse", "HEAD"), (stores / PROJECT).read_text()
    code, _ = _run(stores, wrapper, ["assign", "mini-us", "licence", "carol"], fail="update-index")
    assert code == 3
    assert git(stores, "rev-parse", "HEAD") == head  # the index is built before HEAD moves
    assert (stores / PROJECT).read_text() == before
    assert git(stores, "status", "--porcelain") == ""
    assert gitcmd.lock_files(stores / ".git") == []
    assert not (stores / ".git" / "storeops" / "journal").exists()


def test_a_killed_attach_is_undone_not_folded_into_the_next_commit(stores, mini, act, tmp_path, monkeypatch):
    scan = write(tmp_path, "business-license-scan.pdf", LICENCE)
    env = {**os.environ, "STOREOPS_FAULT": "before-add"}
    proc = subprocess.run([sys.executable, "-m", "storeops", "-C", str(stores), "attach", "mini-us", str(scan),
                           "--task", "licence", "--doc", "business-license-scan"], env=env, capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert (stores / "attachments" / "mini-us" / "business-license-scan.pdf.age").exists()  # the half change
    result = run_cli("-C", str(stores), "assign", "mini-us", "bank", "dave")
    assert result.exit_code == 0, result.stderr
    assert "an interrupted storeops change was undone" in result.stderr
    assert git(stores, "show", "--name-only", "--format=", "HEAD").split() == [PROJECT]
    assert git(stores, "status", "--porcelain") == ""
    assert not (stores / "attachments" / "mini-us" / "business-license-scan.pdf.age").exists()
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(stores), str(clone))
    assert run_cli("-C", str(clone), "check").exit_code == 0


def test_a_commit_killed_after_head_moved_is_completed_by_the_next_command(stores, mini, monkeypatch):
    env = {**os.environ, "STOREOPS_FAULT": "after-ref"}
    proc = subprocess.run([sys.executable, "-m", "storeops", "-C", str(stores), "assign", "mini-us", "licence",
                           "carol"], env=env, capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert (stores / ".git" / "index.lock").exists()  # visible, not a silent divergence
    assert "assignee: carol" in git(stores, "show", f"HEAD:{PROJECT}")
    result = run_cli("-C", str(stores), "doctor")
    assert "an interrupted storeops change was completed" in result.stderr
    assert not (stores / ".git" / "index.lock").exists()
    assert git(stores, "status", "--porcelain") == ""
    assert git(stores, "diff", "--cached", "--name-only") == ""


def test_a_journal_of_a_live_writer_is_waited_for_not_cleared(stores, mini, monkeypatch):
    import json

    from storeops import journal

    monkeypatch.setattr(journal, "LIVE_WAIT_SECONDS", 0.2)
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        path = stores / ".git" / "storeops" / "journal"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"version": 1, "pid": sleeper.pid, "started": 0, "old": None, "new": None,
                                    "paths": {PROJECT: None}}))
        result = run_cli("-C", str(stores), "assign", "mini-us", "licence", "carol")
        assert result.exit_code == 3
        assert result.stderr.startswith(f"error: another storeops command (pid {sleeper.pid}) is writing")
        assert path.exists() and (stores / PROJECT).exists()
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize("operation, start, finish", [
    ("a rebase", ["rebase", "main", "other"], "git rebase --abort"),
    ("a cherry-pick", ["cherry-pick", "other"], "git cherry-pick --abort"),
    ("a revert", ["revert", "--no-edit", "HEAD~1"], "git revert --abort"),
])
def test_no_write_while_git_is_in_the_middle_of_something(stores, mini, operation, start, finish):
    two_sides_of_sop_readme(stores)
    if operation == "a revert":
        (stores / "sop" / "README.md").write_text("a third text\n")
        git(stores, "commit", "-qam", "third")
    subprocess.run(["git", "-C", str(stores), *start], capture_output=True)  # stops on the conflict
    before = (stores / PROJECT).read_text()
    result = run_cli("-C", str(stores), "advance", "mini-us", "licence")
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith(f"error: git is in the middle of {operation} here: storeops writes nothing")
    assert finish in result.stderr
    assert (stores / PROJECT).read_text() == before
    assert PROJECT not in git(stores, "diff", "--cached", "--name-only")


def test_no_write_during_a_bisect(stores, mini):
    git(stores, "bisect", "start")
    result = run_cli("-C", str(stores), "advance", "mini-us", "licence")
    assert result.exit_code == 3
    assert result.stderr.endswith("hint: end it (git bisect reset), then retry; storeops changed nothing\n")
