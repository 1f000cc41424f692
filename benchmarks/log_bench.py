"""`storeops log PROJECT --json` over 1,000 commits vs `git log -p` on the same file.

Builds a stores repo with one project and COMMITS commits that change it
(states, due dates, assignees, notes, by four people), written with
`git fast-import` so that building takes a second, then times both commands
end to end (process start included) and prints the ratio.

    python benchmarks/log_bench.py [COMMITS]
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import storeops
from storeops import yamlio
from storeops.config import Config, Person
from storeops.initrepo import init_repo
from storeops.model import Note
from storeops.sop import instantiate, load_library

PEOPLE = [Person("alice", "alice@example.com", ("admin", "lead")), Person("bob", "bob@example.com", ("ops",)),
          Person("carol", "carol@example.com", ("finance",)), Person("dave", "dave@example.com", ("legal",))]
PROJECT = "bench-amazon-us"
RUNS = 5
STATES = ("todo", "in_progress", "submitted", "done")


def build(root: Path, commits: int) -> None:
    env = {"GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": PEOPLE[0].email, "GIT_COMMITTER_NAME": "Alice",
           "GIT_COMMITTER_EMAIL": PEOPLE[0].email}
    os.environ.update(env)
    init_repo(root, team="bench", timezone="UTC", language="en", people=list(PEOPLE))
    project = instantiate(load_library(None)["amazon-us"], project_id=PROJECT, store="Bench US", owner="alice",
                          site="us", start=date(2026, 1, 5), target=None, category=None, entity=None,
                          config=Config(team="bench", people=tuple(PEOPLE)))
    branch = _git(root, "symbolic-ref", "HEAD")
    parent = _git(root, "rev-parse", "HEAD")
    stream = bytearray()
    moment = 1767600000  # 2026-01-05
    for i in range(commits):
        if i:
            project = _change(project, i)
        who = PEOPLE[i % len(PEOPLE)]
        text = yamlio.dumps(project.to_dict()).encode()
        message = f"change {i} of {PROJECT}\n".encode()
        stream += f"commit {branch}\n".encode()
        stream += f"author {who.name} <{who.email}> {moment + i * 600} +0000\n".encode()
        stream += f"committer {who.name} <{who.email}> {moment + i * 600} +0000\n".encode()
        stream += f"data {len(message)}\n".encode() + message
        if i == 0:
            stream += f"from {parent}\n".encode()
        stream += f"M 100644 inline projects/{PROJECT}.yaml\ndata {len(text)}\n".encode() + text + b"\n"
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", branch], check=True)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def _change(project, i: int):
    """One realistic edit: a state, a due date, an assignee or a note; the file stays about the same size."""
    task = project.tasks[i % len(project.tasks)]
    kind = (i // len(project.tasks)) % 4
    if kind == 0:
        state = STATES[(STATES.index(task.state) + 1) % len(STATES)] if task.state in STATES else "todo"
        task = dataclasses.replace(task, state=state, approvals=())
    elif kind == 1:
        task = dataclasses.replace(task, due=(task.due or date(2026, 2, 1)) + timedelta(days=1))
    elif kind == 2:
        others = [p.name for p in PEOPLE if p.name != task.assignee]
        task = dataclasses.replace(task, assignee=others[i % len(others)])
    else:
        note = Note(at=date(2026, 1, 5) + timedelta(days=i // 20), by="bob", text=f"call {i}: waiting on the bank")
        task = dataclasses.replace(task, notes=(task.notes + (note,))[-2:])
    return project.with_task(task)


def best_of(command: list[str], env: dict | None = None) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return min(times)


def in_process(root: Path) -> float:
    """The history read alone (no interpreter start, no CLI): history.log + the JSON it prints."""
    import json

    from storeops import history
    from storeops.repo import StoresRepo

    repo = StoresRepo.open(root)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        events = history.log(repo.root, repo.config, history.LogQuery(project=PROJECT))
        json.dumps([e.to_dict(repo.config.timezone) for e in events], ensure_ascii=False, indent=2)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    commits = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(os.environ.get("LOG_BENCH_DIR") or tmp) / "stores"
        started = time.perf_counter()
        build(root, commits)
        built = time.perf_counter() - started
        count = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD", "--", f"projects/{PROJECT}.yaml"],
                               capture_output=True, text=True, check=True).stdout.strip()
        env = dict(os.environ, PYTHONPATH=str(Path(storeops.__file__).resolve().parents[1]))
        ours = best_of([sys.executable, "-m", "storeops", "-C", str(root), "log", PROJECT, "--json"], env)
        events = subprocess.run([sys.executable, "-m", "storeops", "-C", str(root), "log", PROJECT, "--json"],
                                capture_output=True, text=True, env=env).stdout.count('"commit":')
        theirs = best_of(["git", "-C", str(root), "log", "-p", "--", f"projects/{PROJECT}.yaml"])
        startup = best_of([sys.executable, "-m", "storeops", "--version"], env)
        inside = in_process(root)
        print(f"repo: {count} commits on projects/{PROJECT}.yaml (built in {built:.1f}s), {events} events")
        print(f"storeops log {PROJECT} --json   {ours * 1000:7.0f} ms  (best of {RUNS}; "
              f"python start + imports {startup * 1000:.0f} ms)")
        print(f"git log -p -- projects/{PROJECT}.yaml  {theirs * 1000:7.0f} ms  (best of {RUNS})")
        print(f"history.log in process            {inside * 1000:7.0f} ms  (best of {RUNS}; no interpreter start, no CLI)")
        print(f"ratio storeops/git: {ours / theirs:.2f}x end to end, {inside / theirs:.2f}x for the history read")


if __name__ == "__main__":
    main()
