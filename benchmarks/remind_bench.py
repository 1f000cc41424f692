"""How much work `storeops remind` does beyond reading the project files.

Builds a stores repo with N projects (default 1,000) from the built-in SOPs in
a temp folder (written through the model and yamlio, committed in one commit),
then times, in this one process:

  bare   yaml.load(text, Loader=yaml.CSafeLoader) of every project file
  remind storeops remind --json --as-of DATE (the whole command, in-process)

and prints both and their ratio, plus where remind's time goes.

    python benchmarks/remind_bench.py [--projects 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

AS_OF = "2026-12-01"
STATES = ("todo", "in_progress", "submitted", "done")


def build(root: Path, count: int) -> None:
    from storeops import gitcmd, yamlio
    from storeops.config import Person
    from storeops.initrepo import init_repo
    from storeops.model import Archived, Document
    from storeops.sop import instantiate, load_library

    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": "2026-11-10T09:00:00+08:00", "GIT_COMMITTER_DATE": "2026-11-10T09:00:00+08:00"}
    people = [Person("alice", "alice@example.com", ("admin", "lead")), Person("bob", "bob@example.com", ("ops",)),
              Person("carol", "carol@example.com", ("finance",)), Person("dave", "dave@example.com", ("legal",))]
    config = init_repo(root, team="Bench", timezone="Asia/Shanghai", language="en", people=people, commit_env=env)
    library = load_library(root)
    sops = list(library.values())
    rng = random.Random(5)
    (root / "projects").mkdir(exist_ok=True)
    for n in range(count):
        sop = sops[n % len(sops)]
        start = date(2026, 9, 1) + timedelta(days=rng.randrange(90))
        project = instantiate(sop, project_id=f"p{n:04d}-{sop.id}", store=f"Store {n}", owner=rng.choice(["alice", "bob"]),
                              site=sop.sites[0], start=start, target=start + timedelta(days=60), category=None,
                              entity=None, config=config)
        # progress: the first k tasks done, the next one moving, documents issued along the way
        k = rng.randrange(len(project.tasks) + 1)
        tasks = []
        for i, task in enumerate(project.tasks):
            state = "done" if i < k else (rng.choice(STATES[1:3]) if i == k else "todo")
            docs = tuple(dataclasses.replace(d, issued=start + timedelta(days=rng.randrange(30)),
                                             file=f"attachments/x/{d.id}.pdf") for d in task.documents)
            changes = {"state": state, "documents": docs}
            if task.booking and i <= k:
                changes["appointment"] = datetime.combine(task.due, datetime.min.time()).replace(
                    hour=10, tzinfo=timezone(timedelta(hours=8)))
            tasks.append(dataclasses.replace(task, **changes))
        project = dataclasses.replace(project, tasks=tuple(tasks))
        if n % 10 == 0:
            project = dataclasses.replace(project, archived=Archived(at=start, outcome="opened"))
        (root / "projects" / f"{project.id}.yaml").write_text(yamlio.dumps(project.to_dict()), encoding="utf-8")
    gitcmd.run(root, "add", "projects", env=env)
    gitcmd.run(root, "commit", "-q", "-m", f"bench: {count} projects", env=env)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(fn, repeat: int) -> tuple[float, float]:
    times = [timed(fn) for _ in range(repeat)]
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import yaml

    from storeops import remind as domain
    from storeops.cli.main import main as cli
    from storeops.repo import StoresRepo
    from storeops.sop import load_library

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "stores"
        os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
        started = time.perf_counter()
        build(root, args.projects)
        print(f"built {args.projects} projects in {time.perf_counter() - started:.1f} s")
        files = sorted((root / "projects").glob("*.yaml"))

        def bare():
            for path in files:
                yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        out = io.StringIO()

        def remind():
            out.seek(0)
            out.truncate()
            with redirect_stdout(out):
                try:
                    cli(["-C", str(root), "remind", "--json", "--as-of", AS_OF])
                except SystemExit as done:
                    if done.code not in (0, None):
                        raise

        remind()  # warm: imports, compiled regexes, the OS page cache
        bare()
        # interleaved, so that a noisy neighbour on the machine hits both sides alike
        bare_times, remind_times = [], []
        for _ in range(args.repeat):
            bare_times.append(timed(bare))
            remind_times.append(timed(remind))
        bare_best, bare_median = min(bare_times), statistics.median(bare_times)
        remind_best, remind_median = min(remind_times), statistics.median(remind_times)
        import json

        count = json.loads(out.getvalue())["count"] if out.getvalue() else 0

        # where remind's time goes
        repo = StoresRepo.open(root)
        as_of = date.fromisoformat(AS_OF)
        load_s, _ = best(lambda: repo.load_projects(), args.repeat)
        projects = [p for p in repo.load_projects() if p.archived is None]
        library_s, _ = best(lambda: load_library(root), args.repeat)
        library = load_library(root)
        git_s, _ = best(lambda: domain.last_changes(root, "Asia/Shanghai", as_of, {p.id for p in projects}),
                        args.repeat)
        changes = domain.last_changes(root, "Asia/Shanghai", as_of, {p.id for p in projects})
        collect_s, _ = best(lambda: domain.collect(projects, repo.config, as_of=as_of, library=library,
                                                   changes=changes), args.repeat)

    print(f"bare CSafeLoader load of {len(files)} files: best {bare_best * 1000:.0f} ms, median {bare_median * 1000:.0f} ms")
    print(f"storeops remind --json --as-of {AS_OF}: best {remind_best * 1000:.0f} ms, "
          f"median {remind_median * 1000:.0f} ms ({count} reminders)")
    print(f"  load + model {load_s * 1000:.0f} ms · SOP library {library_s * 1000:.0f} ms · "
          f"git log {git_s * 1000:.0f} ms · collect {collect_s * 1000:.0f} ms")
    print(f"beyond loading the files (remind - bare): {(remind_best - bare_best) * 1000:.0f} ms")
    print(f"ratio remind / bare load: {remind_best / bare_best:.2f}")


if __name__ == "__main__":
    sys.exit(main())
