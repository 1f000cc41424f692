"""8 writers × 25 mixed advance/assign/schedule on one clone at once: nothing lost, nothing stale.

Each writer is its own process driving the real CLI entry point. Writers own disjoint
(project, task) pairs but share project files, so a lost update (a writer saving a
project it read before another writer's commit) shows up as a commit that changes
more than its own line, or as a wrong final value.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import git
from reliability_support import MINI_TASKS, add_mini_sop, assert_repo_sound, new_mini, task_of

WORKER = Path(__file__).with_name("concurrency_worker.py")
PEOPLE = ("alice", "bob", "carol", "dave")
PROJECTS = ("shared", "second", "third", "fourth")
WRITERS, OPERATIONS = 8, 25


def _plans(stores: Path) -> tuple[list[list[list[str]]], dict, dict]:
    """Per writer its command lines; per (project, task) the expected commits and final fields."""
    pairs = [(p, t) for p in PROJECTS for t in MINI_TASKS]
    now = {pair: {k: task_of(stores, *pair)[k] for k in ("state", "assignee", "due")} for pair in pairs}
    plans, commits = [], defaultdict(list)
    for writer in range(WRITERS):
        owned = pairs[writer::WRITERS]  # pairs in two or three different project files
        plan = []
        for step in range(OPERATIONS):
            project, task = pair = owned[step % len(owned)]
            fields = now[pair]
            kind = ("advance", "assign", "schedule")[(step + writer) % 3]
            if kind == "advance":
                to = "todo" if fields["state"] == "blocked" else "blocked"
                argv = ["advance", project, task, "--to", to]
                subject = f"advance {project}: {task} {fields['state']} → {to}"
                field, value = "state", to
            elif kind == "assign":
                person = PEOPLE[(PEOPLE.index(fields["assignee"]) + 1) % len(PEOPLE)]
                argv = ["assign", project, task, person]
                subject = f"assign {project}: {task} {fields['assignee']} → {person}"
                field, value = "assignee", person
            else:
                due = f"2027-{writer + 1:02d}-{step + 1:02d}"  # unique per writer and step
                argv = ["schedule", project, task, "--due", due]
                subject = f"schedule {project}: {task} due {fields['due']} → {due}"
                field, value = "due", due
            fields[field] = value
            plan.append(["-C", str(stores), *argv])
            commits[pair].append((subject, f"projects/{project}.yaml", f"{field}: {value}"))
        plans.append(plan)
    return plans, commits, now


def _commits_since(stores: Path, start: str) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(subject, files, removed lines, added lines) per commit, oldest first."""
    log = git(stores, "log", "--reverse", "-p", "--unified=0", "--format=@@commit %s", f"{start}..HEAD")
    out = []
    for chunk in log.split("@@commit ")[1:]:
        subject, _, body = chunk.partition("\n")
        lines = body.splitlines()
        files = [line[6:] for line in lines if line.startswith("+++ b/")]
        removed = [line[1:].strip() for line in lines if line.startswith("-") and not line.startswith("---")]
        added = [line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")]
        out.append((subject, files, removed, added))
    return out


def _run_writers(stores: Path, tmp_path: Path, mode: str) -> None:
    for project in PROJECTS:
        new_mini(stores, project)
    start = git(stores, "rev-parse", "HEAD").strip()
    plans, expected, final = _plans(stores)
    procs = []
    for n, plan in enumerate(plans):
        plan_file = tmp_path / f"plan-{n}.json"
        plan_file.write_text(json.dumps(plan))
        procs.append(subprocess.Popen([sys.executable, str(WORKER), str(plan_file), mode],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert json.loads(out) == [0] * OPERATIONS, err

    commits = _commits_since(stores, start)
    assert len(commits) == WRITERS * OPERATIONS
    seen = defaultdict(list)
    for subject, files, removed, added in commits:
        project, task = subject.split(" ", 2)[1].rstrip(":"), subject.split(" ")[2]
        assert len(files) == 1 and len(removed) == 1 and len(added) == 1, (subject, files, removed, added)
        seen[(project, task)].append((subject, files[0], added[0]))
    # every change is in git, in each writer's order, each commit changing only its own line
    assert dict(seen) == dict(expected)
    for pair, fields in final.items():
        assert {k: task_of(stores, *pair)[k] for k in fields} == fields, pair
    assert_repo_sound(stores)


def test_eight_writers_on_one_clone_lose_nothing(stores, tmp_path):
    add_mini_sop(stores)
    _run_writers(stores, tmp_path, "inprocess")


@pytest.mark.slow
def test_eight_writers_each_command_its_own_process(stores, tmp_path):
    add_mini_sop(stores)
    _run_writers(stores, tmp_path, "subprocess")
