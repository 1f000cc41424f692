"""`storeops timeline PROJECT` (with actual bars from history) and `report cycle-time` on a big history.

Builds a stores repo with PROJECTS projects and COMMITS commits in all (each
commit changes one project: states, due dates, assignees, notes, round
robin), written with `git fast-import`, then times end to end (process start
included):

- `timeline PROJECT --json`: reads only that project file's history;
- the same chart's history read alone, in process (cycletime.trails);
- `report cycle-time --json`: reads the whole history once.

    python benchmarks/cycle_bench.py [PROJECTS] [COMMITS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import log_bench  # noqa: E402  (the same people, edits and timing helpers)

import storeops  # noqa: E402
from storeops import yamlio  # noqa: E402
from storeops.config import Config  # noqa: E402
from storeops.initrepo import init_repo  # noqa: E402
from storeops.sop import instantiate, load_library  # noqa: E402


def build(root: Path, projects: int, commits: int) -> None:
    os.environ.update({"GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": log_bench.PEOPLE[0].email,
                       "GIT_COMMITTER_NAME": "Alice", "GIT_COMMITTER_EMAIL": log_bench.PEOPLE[0].email})
    init_repo(root, team="bench", timezone="UTC", language="en", people=list(log_bench.PEOPLE))
    sop = load_library(None)["amazon-us"]
    config = Config(team="bench", people=tuple(log_bench.PEOPLE))
    current = [instantiate(sop, project_id=f"bench-{n:04d}", store=f"Bench {n}", owner="alice", site="us",
                           start=date(2026, 1, 5), target=None, category=None, entity=None, config=config)
               for n in range(projects)]
    branch = log_bench._git(root, "symbolic-ref", "HEAD")
    parent = log_bench._git(root, "rev-parse", "HEAD")
    stream = bytearray()
    moment = 1767600000  # 2026-01-05
    for i in range(commits):
        n = i % projects
        if i >= projects:
            current[n] = log_bench._change(current[n], i // projects)
        who = log_bench.PEOPLE[i % len(log_bench.PEOPLE)]
        text = yamlio.dumps(current[n].to_dict()).encode()
        message = f"change {i} of {current[n].id}\n".encode()
        stream += f"commit {branch}\n".encode()
        stream += f"author {who.name} <{who.email}> {moment + i * 600} +0000\n".encode()
        stream += f"committer {who.name} <{who.email}> {moment + i * 600} +0000\n".encode()
        stream += f"data {len(message)}\n".encode() + message
        if i == 0:
            stream += f"from {parent}\n".encode()
        stream += f"M 100644 inline projects/{current[n].id}.yaml\ndata {len(text)}\n".encode() + text + b"\n"
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", branch], check=True)


def in_process(root: Path, project: str | None) -> float:
    from storeops import cycletime

    times = []
    for _ in range(log_bench.RUNS):
        start = time.perf_counter()
        cycletime.trails(root, project)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    projects = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "stores"
        started = time.perf_counter()
        build(root, projects, commits)
        built = time.perf_counter() - started
        env = dict(os.environ, PYTHONPATH=str(Path(storeops.__file__).resolve().parents[1]))
        storeops_cmd = [sys.executable, "-m", "storeops", "-C", str(root)]
        one = "bench-0000"
        timeline = log_bench.best_of(storeops_cmd + ["timeline", one, "--json"], env)
        status = log_bench.best_of(storeops_cmd + ["status", one, "--json"], env)
        report = log_bench.best_of(storeops_cmd + ["report", "cycle-time", "--json"], env)
        print(f"repo: {projects} projects, {commits} commits (built in {built:.1f}s)")
        print(f"storeops status {one} --json        {status * 1000:7.0f} ms  (no history: the baseline)")
        print(f"storeops timeline {one} --json      {timeline * 1000:7.0f} ms  "
              f"(its history alone, in process: {in_process(root, one) * 1000:.0f} ms)")
        print(f"storeops report cycle-time --json  {report * 1000:7.0f} ms  "
              f"(the whole history, in process: {in_process(root, None) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
