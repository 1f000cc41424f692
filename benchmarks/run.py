"""storeops benchmarks: every figure a ratio against a baseline timed in the same run, on the same files.

    python benchmarks/run.py                      # N=1,000 projects, 5,000 commits
    python benchmarks/run.py --big                # also N=10,000 (advance ratio, peak RSS of status)
    python benchmarks/run.py --json               # the same figures as JSON on stdout

Every figure times whole processes (what a user or cron waits for): the
storeops command and its baseline are both run as fresh Python or git
processes, each several times after one warm-up run, and the median is kept.
Python keeps bytecode (under the work dir) whatever PYTHONDONTWRITEBYTECODE
says, as an installed storeops has it.
The storeops measured is this checkout's (src/ goes first on PYTHONPATH).
Rows for commands that are not built yet say so instead of failing.

This is the one harness: the history readers (log, timeline, report
cycle-time) and remind that once had scripts of their own are rows here,
timed the same way against the same repo. Rows without a target are
figures to watch, not goals of issue 7.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

BIG = 10_000

# Peak RSS through a small parent: a child's ru_maxrss starts at its parent's RSS (Linux records the
# spawning process's high-water mark at exec), so the harness, which holds generated repos in memory,
# must not be that parent.
PEAK_RSS = """\
import os, sys
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""

BARE_PARSE = """\
import yaml
from pathlib import Path
for path in sorted(Path("projects").glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Timing:
    median: float
    runs: list[float]
    peak_rss_kb: int
    exit_codes: list[int]


@dataclass
class Case:
    cmd: list[str]
    before: object = None  # called before each run (e.g. drop the cache)
    ok: tuple = (0,)


@dataclass
class Row:
    name: str
    storeops: float | None = None
    baseline: float | None = None
    baseline_name: str = ""
    target: float | None = None
    stretch: float | None = None
    peak_rss_mb: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.storeops is None or not self.baseline:
            return None
        return self.storeops / self.baseline

    @property
    def verdict(self) -> str:
        if self.ratio is None or self.target is None:
            return "-"
        if self.stretch is not None and self.ratio <= self.stretch:
            return "met (stretch)"
        return "met" if self.ratio <= self.target else "MISSED"

    def to_dict(self) -> dict:
        out = asdict(self)
        out["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        out["verdict"] = self.verdict
        return out


class Runner:
    def __init__(self, repeat: int, quiet: bool, pycache: Path):
        self.repeat, self.quiet = repeat, quiet
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("STOREOPS_")}
        # bytecode kept (as an installed package has it), in the work dir so that src/ stays clean;
        # with PYTHONDONTWRITEBYTECODE=1 every run would compile storeops' sources again
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(pycache)
        self.env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
        self.env["NO_COLOR"] = "1"

    def log(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def storeops(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "storeops", *args]

    def once(self, cmd: list[str], cwd: Path) -> tuple[float, int]:
        """(seconds, exit code) of one whole process."""
        began = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        return time.perf_counter() - began, proc.returncode

    def peak_rss_kb(self, cmd: list[str], cwd: Path, before=None) -> int:
        """Peak RSS (KiB) of one run of `cmd`, measured by a minimal parent process."""
        if before:
            before(0)
        proc = subprocess.run([sys.executable, "-S", "-c", PEAK_RSS, *cmd], cwd=cwd, env=self.env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return int(proc.stderr.strip().splitlines()[-1])

    def rounds(self, cases: dict[str, Case], cwd: Path, repeat: int | None = None) -> dict[str, Timing]:
        """Time every case once per round, the cases taking turns (one round first as a warm-up):
        load from other jobs on a shared machine then hits a command and its baseline alike."""
        runs: dict[str, list[float]] = {name: [] for name in cases}
        codes: dict[str, list[int]] = {name: [] for name in cases}
        for i in range(-1, repeat or self.repeat):
            for name, case in cases.items():
                if case.before:
                    case.before(i)
                elapsed, code = self.once(case.cmd, cwd)
                if code not in case.ok:
                    raise SystemExit(f"{' '.join(case.cmd)} exited {code} in {cwd}")
                if i >= 0:
                    runs[name].append(elapsed)
                    codes[name].append(code)
        return {name: Timing(statistics.median(runs[name]), runs[name], 0, codes[name]) for name in cases}

    def time(self, cmd: list[str], cwd: Path, before=None, ok=(0,), repeat: int | None = None,
             warmup: bool = True) -> Timing:
        runs, codes = [], []
        for i in range(-1 if warmup else 0, repeat or self.repeat):
            if before:
                before(i)
            elapsed, code = self.once(cmd, cwd)
            if code not in ok:
                raise SystemExit(f"{' '.join(cmd)} exited {code} in {cwd}")
            if i >= 0:
                runs.append(elapsed)
                codes.append(code)
        return Timing(statistics.median(runs), runs, 0, codes)


def attempt(measure) -> tuple[float | None, str]:
    """(seconds, "") or (None, why): a command that fails still leaves the other figures."""
    try:
        return measure(), ""
    except SystemExit as error:
        return None, f"failed: {error}"


def commands_built(runner: Runner, cwd: Path) -> set[str]:
    """Command names listed by `storeops --help` (log and remind may not exist yet on this branch)."""
    proc = subprocess.run(runner.storeops("--help"), cwd=cwd, env=runner.env, capture_output=True, text=True)
    names, listing = set(), False
    for line in proc.stdout.splitlines():
        if line.strip().lower().startswith("commands"):
            listing = True
            continue
        match = re.match(r"^\s{1,4}([a-z][a-z0-9-]*)(\s|$)", line) if listing else None
        if match:
            names.add(match.group(1))
    return names


def ensure_repo(workdir: Path, projects: int, commits: int, seed: int, runner: Runner) -> tuple[Path, dict]:
    path = workdir / f"stores-n{projects}-m{commits}-s{seed}"
    manifest = generate.read_manifest(path)
    from datetime import datetime, timezone

    if manifest and manifest.get("generator") == generate.GENERATOR_VERSION and \
            manifest.get("today") == datetime.now(timezone.utc).date().isoformat():
        runner.log(f"reusing {path}")
        return path, manifest
    if path.exists():
        shutil.rmtree(path)
    runner.log(f"generating {projects} projects, {commits} commits in {path} ...")
    manifest = generate.generate(path, projects, commits, seed, quiet=runner.quiet)
    runner.log(f"  generated in {manifest['seconds']}s")
    return path, manifest


def cache_dir(repo: Path) -> Path:
    return repo / ".git" / "storeops" / "cache"


def drop_cache(repo: Path):
    def before(_i):
        shutil.rmtree(cache_dir(repo), ignore_errors=True)
    return before


def bench_reads(runner: Runner, repo: Path, label: str, rows: list[Row]) -> float:
    """status and check against the bare parse, with the cache dropped before every run (cold) and kept (warm).

    Returns the bare parse's median (the baseline of other rows)."""
    status, check, bare = runner.storeops("status", "--json"), runner.storeops("check"), [sys.executable, "-c", BARE_PARSE]
    t = runner.rounds({
        "bare parse": Case(bare),
        "status cold": Case(status, drop_cache(repo)),
        "status warm": Case(status),  # right after the cold run, which filled the cache
        "check cold": Case(check, drop_cache(repo), (0, 1)),
        "check warm": Case(check, None, (0, 1)),
    }, repo)
    rss = {"bare parse": runner.peak_rss_kb(bare, repo),
           "status cold": runner.peak_rss_kb(status, repo, drop_cache(repo)),
           "status warm": runner.peak_rss_kb(status, repo)}
    for name, timing in t.items():
        runner.log(f"  {name}: {timing.median:.2f}s" + (f", {rss[name] / 1024:.0f} MiB" if name in rss else ""))
    bare_median = t["bare parse"].median
    bare_note = {"baseline_peak_rss_mb": round(rss["bare parse"] / 1024, 1)}
    for temp, text in (("cold", "no cache"), ("warm", "warm cache")):
        rows.append(Row(f"status --json{label}, {text}", t[f"status {temp}"].median, bare_median, "bare parse",
                        3.0, 2.0, rss[f"status {temp}"] / 1024, extra=bare_note))
    found = "" if t["check cold"].exit_codes[0] == 0 else "found problems (generator bug?)"
    rows.append(Row(f"check{label}, no cache", t["check cold"].median, bare_median, "bare parse", 5.0, None,
                    note=found))
    rows.append(Row(f"check{label}, warm cache", t["check warm"].median, bare_median, "bare parse", 5.0, None))
    return bare_median


def bench_advance(runner: Runner, repos: list[tuple[Path, dict]]) -> list[Timing]:
    """Alternate `--to blocked` / `--to in_progress` on one task (every run a real move and commit),
    taking turns between the repos so that drift on a shared machine hits them alike."""
    states = ["blocked", "in_progress"]
    runs: list[list[float]] = [[] for _ in repos]
    for i in range(-2, 4 * runner.repeat):
        for k, (repo, manifest) in enumerate(repos):
            project, task = manifest["advance_project"], manifest["advance_task"]
            elapsed, code = runner.once(runner.storeops("advance", project, task, "--to", states[i % 2]), repo)
            if code != 0:
                raise SystemExit(f"advance {project} {task} --to {states[i % 2]} exited {code} in {repo}")
            if i >= 0:
                runs[k].append(elapsed)
    return [Timing(statistics.median(r), r, 0, [0] * len(r)) for r in runs]


def bench_history(runner: Runner, repo: Path, manifest: dict, built: set[str]) -> list[Row]:
    """timeline PROJECT (one file's history) and report cycle-time (the whole history) against the
    git log -p that reads the same history: figures to watch (no target in issue 7)."""
    hot, rows = manifest["hot_project"], []
    one_file = ["git", "log", "-p", "--", f"projects/{hot}.yaml"]
    whole = ["git", "log", "-p", "--", "projects/"]
    for name, command, baseline, baseline_name, needs in (
            (f"timeline PROJECT --json ({manifest['hot_commits']:,} commits)", ("timeline", hot, "--json"),
             one_file, "git log -p -- projects/<id>.yaml", "timeline"),
            (f"report cycle-time --json ({manifest['commits']:,} commits)", ("report", "cycle-time", "--json"),
             whole, "git log -p -- projects/", "report")):
        row = Row(name, None, None, baseline_name, None, note="n/a (command not built yet)")
        if needs in built:
            try:
                timings = runner.rounds({"git": Case(baseline), "storeops": Case(runner.storeops(*command))}, repo,
                                        repeat=max(3, runner.repeat // 2))
            except SystemExit as error:  # a failing command still leaves the other figures
                row.note = f"failed: {error}"
            else:
                row.baseline, row.storeops, row.note = timings["git"].median, timings["storeops"].median, ""
        rows.append(row)
    return rows


INIT_BASELINE = ("git init -q {d} && cd {d} && echo team: x > storeops.yaml && git add storeops.yaml && "
                 "git -c user.name=B -c user.email=b@example.com commit -qm init")


def bench_init_example(runner: Runner, workdir: Path) -> Row:
    """`init --example`, the first command a newcomer runs, against `git init` + one commit; target: under 2 s."""
    import shutil

    target = workdir / "init-example"

    def fresh(_i):
        shutil.rmtree(target, ignore_errors=True)

    t = runner.rounds({"git": Case(["sh", "-c", INIT_BASELINE.format(d=target)], before=fresh),
                       "example": Case(runner.storeops("init", "--example", str(target)), before=fresh)}, workdir)
    fresh(0)
    base = t["git"].median
    return Row("init --example (~200 commits, specimen PDFs)", t["example"].median, base,
               "git init + one commit", 2.0 / base if base else None, note="target: under 2 s")


def run(args) -> dict:
    workdir = Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="storeops-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    runner = Runner(args.repeat, args.quiet, workdir / "pycache")
    began = time.perf_counter()
    rows: list[Row] = []
    try:
        repo, manifest = ensure_repo(workdir, args.projects, args.commits, args.seed, runner)
        big_repo = big_manifest = None
        if args.big:
            big_repo, big_manifest = ensure_repo(workdir, BIG, args.commits, args.seed, runner)
        built = commands_built(runner, repo)
        label = f" (N={args.projects:,})"

        runner.log(f"reads at N={args.projects:,} ...")
        bare_median = bench_reads(runner, repo, label, rows)

        runner.log("init --example ...")
        rows.append(bench_init_example(runner, workdir))

        runner.log("startup ...")
        t = runner.rounds({"typer": Case([sys.executable, "-c", "import typer"]),
                           "--help": Case(runner.storeops("--help")),
                           "--version": Case(runner.storeops("--version"))}, repo, repeat=4 * args.repeat)
        for flag in ("--help", "--version"):
            rows.append(Row(f"storeops {flag}", t[flag].median, t["typer"].median, "python -c 'import typer'", 1.5))

        if big_repo is not None:
            advance_small, advance_big = bench_advance(runner, [(repo, manifest), (big_repo, big_manifest)])
            runner.log(f"advance: {advance_small.median:.3f}s at N={args.projects:,}, "
                       f"{advance_big.median:.3f}s at N={BIG:,}")
            rows.append(Row(f"advance at N={BIG:,} vs N={args.projects:,}", advance_big.median, advance_small.median,
                            f"advance at N={args.projects:,}", 1.3))
        else:
            advance_small, = bench_advance(runner, [(repo, manifest)])
            runner.log(f"advance: {advance_small.median:.3f}s at N={args.projects:,}")
            rows.append(Row(f"advance at N={BIG:,} vs N={args.projects:,}", None, advance_small.median,
                            f"advance at N={args.projects:,}", 1.3, note="skipped: needs --big"))

        hot = manifest["hot_project"]
        log_row = Row(f"log PROJECT ({manifest['hot_commits']:,} commits)", None, None,
                      "git log -p -- projects/<id>.yaml", 3.0, note="n/a (command not built yet)")
        if "log" in built:
            log_row.baseline = runner.time(["git", "log", "-p", "--", f"projects/{hot}.yaml"], repo).median
            log_row.storeops, log_row.note = attempt(lambda: runner.time(runner.storeops("log", hot), repo).median)
        rows.append(log_row)

        runner.log("history readers ...")
        rows += bench_history(runner, repo, manifest, built)

        remind_row = Row(f"remind{label}", None, None, "bare parse", 3.0, note="n/a (command not built yet)")
        if "remind" in built:
            remind_row.baseline = bare_median
            remind_row.storeops, remind_row.note = attempt(
                lambda: runner.time(runner.storeops("remind"), repo, ok=(0, 1)).median)
        rows.append(remind_row)

        # the whole static site: every page, the reports and one walk of the history
        site_row = Row(f"site{label}", None, None, "bare parse", 3.0, note="n/a (command not built yet)")
        if "site" in built:
            site_row.baseline = bare_median
            site_out = workdir / "site-out"
            site_row.storeops, site_row.note = attempt(
                lambda: runner.time(runner.storeops("site", "-o", str(site_out)), repo).median)
        rows.append(site_row)

        if big_repo is not None:
            big_label = f" (N={BIG:,})"
            runner.log(f"reads at N={BIG:,} ...")
            big_runner = Runner(max(3, args.repeat // 2), runner.quiet, workdir / "pycache")
            bench_reads(big_runner, big_repo, big_label, rows)
            rss_at = big_label
            rss_row = next(r for r in rows if r.name == f"status --json{big_label}, no cache")
        else:
            rss_at = label
            rss_row = next(r for r in rows if r.name == f"status --json{label}, no cache")
        peak = {"status": f"status --json{rss_at}", "peak_rss_mb": round(rss_row.peak_rss_mb, 1),
                "seconds": round(rss_row.storeops, 3),
                "bare_parse_peak_rss_mb": rss_row.extra["baseline_peak_rss_mb"]}
    finally:
        if not args.workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return {
        "version": 1,
        "projects": args.projects,
        "commits": manifest["commits"],
        "big": args.big,
        "repeat": args.repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "rows": [r.to_dict() for r in rows],
        "peak_rss": peak,
        "seconds": round(time.perf_counter() - began, 1),
        "workdir": str(workdir) if (args.workdir or args.keep) else None,
    }


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(result: dict) -> str:
    headers = ["measure", "storeops", "baseline", "ratio", "target", "result"]
    lines = []
    for r in result["rows"]:
        target = "-" if r["target"] is None else f"≤ {r['target']:g}×" + (f" (≤ {r['stretch']:g}×)" if r["stretch"] else "")
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        storeops = fmt_seconds(r["storeops"]) + (f", {r['peak_rss_mb']:.0f} MiB" if r["peak_rss_mb"] else "")
        baseline = f"{fmt_seconds(r['baseline'])} ({r['baseline_name']})" if r["baseline"] else r["baseline_name"]
        lines.append([r["name"], storeops, baseline, ratio, target, r["note"] or r["verdict"]])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(headers)]
    out = ["| " + " | ".join(h.ljust(widths[i]) for i, h in enumerate(headers)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(line)) + " |" for line in lines]
    peak = result["peak_rss"]
    out.append("")
    out.append(f"peak RSS of `{peak['status']}`: {peak['peak_rss_mb']} MiB ({fmt_seconds(peak['seconds'])}); "
               f"the bare parse of the same files: {peak['bare_parse_peak_rss_mb']} MiB")
    out.append(f"{result['projects']:,} projects, {result['commits']:,} commits; median of {result['repeat']} runs "
               f"after a warm-up; {result['machine']['cpus']} CPUs, Python {result['machine']['python']}; "
               f"whole benchmark {result['seconds']:.0f} s")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="storeops benchmarks (ratios against same-run baselines)")
    parser.add_argument("--projects", type=int, default=1000, help="Projects in the generated repo (default 1000).")
    parser.add_argument("--commits", type=int, default=5000, help="Commits in its history (default 5000).")
    parser.add_argument("--big", action="store_true", help=f"Also generate N={BIG:,}: advance ratio, peak RSS there.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per figure; the median is kept (default 5).")
    parser.add_argument("--seed", type=int, default=7, help="Generator seed (default 7).")
    parser.add_argument("--workdir", help="Keep generated repos here and reuse them (same day, same settings).")
    parser.add_argument("--keep", action="store_true", help="Do not delete the temporary repos at the end.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON on stdout.")
    parser.add_argument("--quiet", action="store_true", help="No progress on stderr.")
    args = parser.parse_args(argv)
    result = run(args)
    print(json.dumps(result, indent=2) if args.json else table(result))


if __name__ == "__main__":
    main()
