"""kill -9 a writer at chosen and at random points: every file is old or new, the next command recovers.

Points (see src/storeops/faults.py for the ones inside storeops):
  mid-write, before-rename          during the write (temp file half or fully written)
  before-add, before-commit         between the write and the commit
  after-commit                      after git committed
  in-commit                         git's pre-commit hook kills storeops and git together (index.lock left)
  in-ref-update                     git's reference-transaction hook kills them while the branch is locked
  random                            the whole process group killed after a random delay

The default run tries CRASHES points; `pytest -m slow` tries 200.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import random
import re
import signal
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from conftest import git, run_cli
from reliability_support import (add_mini_sop, assert_repo_sound, leftover_temp_files, lock_is_free, new_mini,
                                 project_file)

from storeops.repo import project_text
from storeops import faults, gitcmd
from storeops import repo as repo_module
from storeops.repo import StoresRepo, parse_project

CRASHES = 60
HOOK_POINTS = ("in-commit", "in-ref-update")
PLUMBING_ONLY = ("before-ref", "after-ref")  # the loop below has commit hooks, so git commit (porcelain)
PORCELAIN_POINTS = tuple(p for p in faults.POINTS if p not in PLUMBING_ONLY)
KINDS = (*PORCELAIN_POINTS, *HOOK_POINTS, "random", "random", "random")
PEOPLE = ("alice", "bob", "carol", "dave")
TASKS = ("licence", "bank", "brand", "video", "review")

HOOKS = {
    "pre-commit": '[ "$STOREOPS_TEST_KILL" = in-commit ] && kill -9 0\nexit 0\n',
    "reference-transaction": '[ "$STOREOPS_TEST_KILL" = in-ref-update ] && [ "$1" = prepared ] && kill -9 0\nexit 0\n',
}


def _install_hooks(stores: Path) -> None:
    for name, body in HOOKS.items():
        hook = stores / ".git" / "hooks" / name
        hook.write_text("#!/bin/sh\n" + body)
        hook.chmod(0o755)


def _operation(text: str, project_id: str, n: int) -> tuple[list[str], str]:
    """A command that changes the project, and the canonical text it must produce."""
    project = parse_project(text, project_id)
    task = project.tasks[[t.id for t in project.tasks].index(TASKS[n % len(TASKS)])]
    kind = n % 3
    if kind == 0:
        due = f"2028-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        if task.due and task.due.isoformat() == due:
            due = f"2029-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        argv = ["schedule", project_id, task.id, "--due", due]
        changed = dataclasses.replace(task, due=date.fromisoformat(due))
    elif kind == 1:
        person = PEOPLE[(PEOPLE.index(task.assignee) + 1) % len(PEOPLE)]
        argv = ["assign", project_id, task.id, person]
        changed = dataclasses.replace(task, assignee=person)
    else:
        to = "todo" if task.state == "blocked" else "blocked"
        argv = ["advance", project_id, task.id, "--to", to]
        changed = dataclasses.replace(task, state=to)
    return argv, project_text(project.with_task(changed))


def _crash(stores: Path, argv: list[str], kind: str, rng: random.Random, window: float) -> int:
    """Run one writer in a forked process (its own process group) and kill it; returns its exit status."""
    pid = os.fork()
    if pid == 0:  # the writer: the real CLI entry point, then never back into pytest
        code = 70
        try:
            os.setpgid(0, 0)
            sink = os.open(os.devnull, os.O_WRONLY)
            os.dup2(sink, 1)
            os.dup2(sink, 2)
            sys.stdout = sys.stderr = open(os.devnull, "w")
            if kind in faults.POINTS:
                os.environ["STOREOPS_FAULT"] = kind
            elif kind in HOOK_POINTS:
                os.environ["STOREOPS_TEST_KILL"] = kind
            from storeops.cli.main import main

            main(["-C", str(stores), *argv])
            code = 0
        except SystemExit as exit:
            code = exit.code or 0
        finally:
            os._exit(code)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # also here: the kill below must not race the child's own setpgid
    if kind == "random":
        time.sleep(rng.uniform(0, 1.2 * window))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)  # the writer and any git it is running
    _, status = os.waitpid(pid, 0)
    _wait_group_gone(pid)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _wait_group_gone(pgid: int) -> None:
    """Wait until no live process of the killed group is left (an orphaned git would race the next command)."""
    for _ in range(500):
        if not _live_members(pgid):
            return
        time.sleep(0.01)
    raise AssertionError(f"processes of the killed writer are still running: {_live_members(pgid)}")


def _live_members(pgid: int) -> list[int]:
    """Processes of group `pgid` that are not zombies (killed children wait for init to reap them)."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            live.append(int(stat.parent.name))
    return live


def _recover(stores: Path, argv: list[str], monkeypatch) -> tuple[int, list[str]]:
    """Run the next command: the journal finishes or undoes what the killed writer left, no `rm` needed."""
    monkeypatch.setattr(gitcmd, "GIT_LOCK_WAIT_SECONDS", 0.05)
    result = run_cli("-C", str(stores), *argv)
    assert result.exit_code == 0, result.stderr
    return result.exit_code, []


def _assert_recovered(stores: Path, target: str, before: str, after: str, what: str) -> str:
    """A reader (status) recovers the killed write: file, index and HEAD agree on the old or the new text."""
    result = run_cli("-C", str(stores), "status")
    assert result.exit_code == 0, result.stderr
    now = project_file(stores, target).read_text()
    assert now in (before, after), f"{what}: partial or foreign content in {target}"
    assert git(stores, "show", f"HEAD:projects/{target}.yaml") == now, f"{what}: index/HEAD diverge"
    assert git(stores, "status", "--porcelain") == "", f"{what}: not clean after recovery"
    assert gitcmd.lock_files(stores / ".git") == [], f"{what}: a stale lock is left"
    assert not (stores / ".git" / "storeops" / "journal").exists(), what
    return now


def _calibrate(stores: Path, project_id: str, rng: random.Random) -> float:
    """How long one uninterrupted command takes here (random kills land inside that window)."""
    argv, after = _operation(project_file(stores, project_id).read_text(), project_id, 0)
    started = time.monotonic()
    assert _crash(stores, argv, "none", rng, 0) == 0
    assert project_file(stores, project_id).read_text() == after
    return time.monotonic() - started


def _crash_loop(stores: Path, monkeypatch, count: int) -> Counter:
    add_mini_sop(stores)
    projects = [new_mini(stores, "crash-a"), new_mini(stores, "crash-b")]
    _install_hooks(stores)
    rng = random.Random(8)
    window = _calibrate(stores, projects[0], rng)
    outcomes: Counter = Counter()
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        target = projects[n % 2]
        others = {p: project_file(stores, p).read_text() for p in projects if p != target}
        before = project_file(stores, target).read_text()
        argv, after = _operation(before, target, n)
        code = _crash(stores, argv, kind, rng, window)
        if kind != "random":
            assert code == -signal.SIGKILL, (kind, code)

        now = project_file(stores, target).read_text()
        assert now in (before, after), f"{kind}: partial or foreign content in {target}"
        parse_project(now, target)
        assert {p: project_file(stores, p).read_text() for p in others} == others
        assert lock_is_free(stores), "a killed writer kept the storeops lock"
        left_locks = gitcmd.lock_files(stores / ".git")
        temp = leftover_temp_files(stores)
        # readers are not disturbed by what the dead writer left: they finish or undo it first
        now = _assert_recovered(stores, target, before, after, kind)
        outcomes[(kind if kind != "random" else f"random ({'killed' if code == -9 else 'finished'})",
                  "new" if now == after else "old",
                  "git locks left" if left_locks else "no git lock")] += 1

        # recovery: the next command on the same project works (after the user follows the hint)
        next_argv, next_after = _operation(now, target, n + 1)
        _recover(stores, next_argv, monkeypatch)
        assert project_file(stores, target).read_text() == next_after
        assert git(stores, "show", f"HEAD:projects/{target}.yaml") == next_after
        assert git(stores, "status", "--porcelain") == "", f"after {kind}: {temp}"
    assert_repo_sound(stores)
    return outcomes


def test_killed_writers_leave_old_or_new_and_the_next_command_recovers(stores, monkeypatch):
    outcomes = _crash_loop(stores, monkeypatch, CRASHES)
    assert sum(outcomes.values()) == CRASHES
    hit = {kind for kind, *_ in outcomes}
    assert set(PORCELAIN_POINTS) | set(HOOK_POINTS) <= hit


@pytest.mark.slow
def test_two_hundred_kills(stores, monkeypatch, capsys):
    outcomes = _crash_loop(stores, monkeypatch, 200)
    assert sum(outcomes.values()) == 200
    with capsys.disabled():
        for key, count in sorted(outcomes.items()):
            print(f"  {count:4d}  {' / '.join(key)}")


@pytest.mark.parametrize("point", faults.POINTS)
def test_a_writer_killed_on_the_plumbing_path_leaves_old_or_new_and_the_next_command_recovers(
        stores, monkeypatch, point):
    # no commit hooks here (the loop above installs some): storeops commits with plumbing, not git commit
    add_mini_sop(stores)
    target = new_mini(stores, "plumb-a")

    def porcelain(*args):
        raise AssertionError("took git commit")

    monkeypatch.setattr(gitcmd, "_commit_porcelain", porcelain)  # also in the forked writer
    before = project_file(stores, target).read_text()
    argv, after = _operation(before, target, 0)
    assert _crash(stores, argv, point, random.Random(1), 0) == -signal.SIGKILL
    now = _assert_recovered(stores, target, before, after, point)
    next_argv, next_after = _operation(now, target, 1)
    _recover(stores, next_argv, monkeypatch)
    assert project_file(stores, target).read_text() == next_after
    assert git(stores, "show", f"HEAD:projects/{target}.yaml") == next_after
    assert git(stores, "status", "--porcelain") == ""
    assert_repo_sound(stores)


def test_the_lock_is_released_by_the_kernel_when_its_holder_dies(stores, mini):
    argv, _ = _operation(project_file(stores, mini).read_text(), mini, 0)
    assert _crash(stores, argv, "before-add", random.Random(1), 0) == -signal.SIGKILL
    assert "storeops pid" in (stores / ".git" / "storeops.lock").read_text()  # the dead holder's note stays
    with StoresRepo.open(stores).lock(wait=0):  # ...but the flock went with the process
        pass


def test_a_busy_lock_names_its_holder_and_exits_3(stores, mini, monkeypatch):
    monkeypatch.setattr(repo_module, "LOCK_WAIT_SECONDS", 0.1)
    before = project_file(stores, mini).read_text()
    with StoresRepo.open(stores).lock():
        result = run_cli("-C", str(stores), "advance", mini, "licence")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: the stores repo is busy (storeops pid {os.getpid()} holds ")
    assert project_file(stores, mini).read_text() == before


def test_a_stale_git_index_lock_is_reported_with_the_way_out(stores, mini, monkeypatch):
    monkeypatch.setattr(gitcmd, "GIT_LOCK_WAIT_SECONDS", 0.1)
    (stores / ".git" / "index.lock").write_text("")
    before, head = project_file(stores, mini).read_text(), git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "advance", mini, "licence")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: git's lock file .git/index.lock is in the way: a git command is running in this repo, "
        "or one was killed and left it behind\n"
        "hint: if no git command is running here, delete it and retry: rm .git/index.lock (storeops changed nothing)\n")
    assert project_file(stores, mini).read_text() == before
    assert git(stores, "rev-parse", "HEAD") == head


def test_a_git_lock_that_goes_away_quickly_is_waited_for(stores, mini):
    lock = stores / ".git" / "index.lock"
    lock.write_text("")
    remover = threading.Timer(0.3, lock.unlink)  # like an editor's background `git status`
    remover.start()
    try:
        result = run_cli("-C", str(stores), "advance", mini, "licence")
    finally:
        remover.join()
    assert result.exit_code == 0, result.stderr


def test_temp_files_of_dead_writers_are_invisible_and_swept(stores, mini):
    argv, _ = _operation(project_file(stores, mini).read_text(), mini, 0)
    assert _crash(stores, argv, "mid-write", random.Random(1), 0) == -signal.SIGKILL
    [leftover] = leftover_temp_files(stores)
    assert leftover.startswith(f"projects/.{mini}.yaml.storeops-")
    assert run_cli("-C", str(stores), "check").exit_code == 0
    assert run_cli("-C", str(stores), "status", "--json").exit_code == 0
    assert run_cli("-C", str(stores), "advance", mini, "licence").exit_code == 0
    assert leftover_temp_files(stores) == []
