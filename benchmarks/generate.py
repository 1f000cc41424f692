"""Make a realistic stores repo for the benchmarks, fast.

N projects across every built-in SOP, walked through the real workflow rules
(`workflow.advance`, `sop.instantiate`) into every state: preparing at every
depth, blocked, waiting for an approval, video call booked, under review,
rejected (with the platform's reason and evidence), resubmitted, approved,
and archived as opened, abandoned or failed. Documents get files and issued
dates as their tasks progress; gated tasks carry approvals by someone other
than the assignee. The result passes `storeops check` with no problem.

History: M commits in all. One busy project has up to 1,000 commits of its
own (for `storeops log`); the other commits are spread over the other
projects (first and last state of each, then random steps in between; steps
that get no commit of their own land in the next one, like a batch of hand
edits). When M is smaller than N, projects are imported a few per commit, as
a team migrating from a spreadsheet would.

Nothing here runs the CLI: the files are rendered in-process and the commits
are written with one `git fast-import`, then checked out.

    python benchmarks/generate.py /tmp/stores --projects 1000 --commits 5000
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from storeops import yamlio  # noqa: E402
from storeops.actions import commit_message  # noqa: E402
from storeops.config import DEFAULT_POLICIES, Config, Person  # noqa: E402
from storeops.initrepo import GITATTRIBUTES, KEEP  # noqa: E402
from storeops.model import Approval, Archived, Project, Rejection, Task  # noqa: E402
from storeops.repo import CONFIG_FILE, config_text, project_text  # noqa: E402
from storeops.sop import Sop, instantiate, load_library, plan_dues  # noqa: E402
from storeops.workflow import FINISHED, advance, dependency_order  # noqa: E402

GENERATOR_VERSION = 3
MANIFEST = "storeops-bench.json"  # kept in .git/, so it is no part of the repo's content
HOT_COMMITS = 1000

TEAM = [
    Person("ava", "ava@agency.example", ("ops", "admin")),
    Person("ben", "ben@agency.example", ("ops",)),
    Person("chen", "chen@agency.example", ("ops",)),
    Person("dina", "dina@agency.example", ("ops",)),
    Person("eli", "eli@agency.example", ("ops",)),
    Person("fang", "fang@agency.example", ("ops",)),
    Person("gus", "gus@agency.example", ("finance",)),
    Person("hana", "hana@agency.example", ("finance",)),
    Person("ivan", "ivan@agency.example", ("legal",)),
    Person("jun", "jun@agency.example", ("legal",)),
    Person("kai", "kai@agency.example", ("lead",)),
    Person("lin", "lin@agency.example", ("lead", "admin")),
]
OPS = [p.name for p in TEAM if "ops" in p.roles]

BRANDS = ["acme", "zenith", "nova", "lumen", "orchid", "harbor", "maple", "summit", "pixel", "tidal",
          "ember", "aurora", "cobalt", "willow", "atlas", "quill", "saffron", "vertex", "juniper", "kestrel"]
CATEGORIES = ["home-kitchen", "home-living", "sports-outdoors", "electronics", "apparel", "garden",
              "pet-supplies", "office", "automotive", "toys-baby", "cosmetics", "food"]
ENTITIES = ["{} Trading Co., Ltd.", "{} E-commerce (Shenzhen) Co., Ltd.", "{} Global Ltd.", "{} Brands HK Ltd."]

# How far a project got, with how often it happens in a real agency's repo.
MODES = [
    ("preparing", 30), ("waiting_approval", 5), ("appointment", 6), ("under_review", 12), ("rejected", 8),
    ("resubmitted", 5), ("approved", 12), ("opened", 15), ("abandoned", 4), ("failed", 3),
]
ARCHIVED_MODES = ("opened", "abandoned", "failed")

PDF = b"%PDF-1.4\n% storeops benchmark placeholder document\n%%EOF\n"
# a real age file (to a throwaway key): `check` parses every .age header (issue 14)
AGE = (b"-----BEGIN AGE ENCRYPTED FILE-----\n"
       b"YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSB3dXJVN3NxTGhSell6Wk45\n"
       b"YytDV0JrMGVZSEpSMWM5Vmo1ZGZDYjd1ckY0Ckk0NERnKzMyTFNyYm5Xb0d1YzhT\n"
       b"cTI1akJzcy8zWUh3c0xXYzlleXQ1cEkKLT4gSC1ncmVhc2UgKyEndiROUC8gKG4j\n"
       b"TmMgdwpqYWsycEZXRXJneGJIa3dlSDF6b1hHZVR0Z1dEYzRDcjdaOFRiRlNlbjM4\n"
       b"bWNOYkVleEdwdDE0bmJqbFFhVThWCjZWVDRHNFJFaDF6a1dlM2pWcGVsN2QwUDQx\n"
       b"QmJ5Vk1MNTNEY2w0VWlTOGpJCi0tLSArME9wc09yZnc3SWZmd2p6OEkvMGM3UTV0\n"
       b"ZHQ2amw3RUUvVlEvQzNSNEJVCg85BbUCNfZr+fS2Wzg5CTKNLrhYNxkR68jT2dkq\n"
       b"i3TESyXf88dRSwOxSuUeEtF7XK7/51SIknUqDUtrnra6h+Fk4QDJ3NHb5g==\n"
       b"-----END AGE ENCRYPTED FILE-----\n")


@dataclass
class Event:
    when: datetime
    who: str
    subject: str
    action: str
    project: Project
    files: list[str] = field(default_factory=list)  # attachments first referenced here


@dataclass
class Commit:
    when: datetime
    who: str
    message: str
    files: list[tuple[str, bytes | str]]  # (path, yaml text) or (path, b"pdf"/b"age" placeholder key)


class _Clock:
    """Event times moving forward through the project's life, never past `end`."""

    def __init__(self, rng: random.Random, start: datetime, end: datetime, steps: int):
        self.rng, self.moment, self.end = rng, start, end
        self.mean = max(timedelta(minutes=20), (end - start) / max(steps, 1))

    def step(self) -> datetime:
        gap = self.mean * self.rng.uniform(0.3, 1.7)
        self.moment = min(self.moment + gap, self.end - timedelta(minutes=1))
        return self.moment


class _Story:
    """One project's life as a list of events, each a full snapshot."""

    def __init__(self, rng, project: Project, sop: Sop, config: Config, clock: _Clock):
        self.rng, self.project, self.sop, self.config, self.clock = rng, project, sop, config, clock
        self.events: list[Event] = []

    def emit(self, who: str, subject: str, action: str, files: list[str] | None = None) -> None:
        self.events.append(Event(self.clock.step(), who, subject, action, self.project, files or []))

    @property
    def today(self) -> date:
        return self.clock.moment.date()

    # ---- workflow steps ----
    def move(self, task_id: str, to: str, note: str | None = None) -> None:
        task = self.project.task(task_id)
        who = task.assignee or self.project.owner
        self.project, old, new = advance(self.project, task_id, to, who, self.today, note)
        self.emit(who, f"advance {self.project.id}: {task_id} {old.state} → {new.state}", "advance")

    def attach(self, task_id: str) -> None:
        task = self.project.task(task_id)
        docs, files = [], []
        for doc in task.documents:
            if doc.file is None and (not doc.optional or self.rng.random() < 0.5):
                name = f"attachments/{self.project.id}/{doc.id}.pdf" + (".age" if doc.sensitive else "")
                issued = self.today - timedelta(days=self.rng.randint(0, 20))
                doc = dataclasses.replace(doc, file=name, issued=issued)
                files.append(name)
            docs.append(doc)
        if not files:
            return
        self.project = self.project.with_task(dataclasses.replace(task, documents=tuple(docs)))
        names = ", ".join(f.rsplit("/", 1)[1] for f in files)
        self.emit(task.assignee or self.project.owner, f"attach {self.project.id}: {task_id} ({names})", "attach", files)

    def approve(self, task_id: str) -> None:
        task = self.project.task(task_id)
        who = next(p.name for p in self.config.holders(task.requires_approval) if p.name != task.assignee)
        approval = Approval(by=who, role=task.requires_approval, at=self.today,
                            note=self.rng.choice([None, "checked against the originals", "ok", "names match"]))
        self.project = self.project.with_task(dataclasses.replace(task, approvals=task.approvals + (approval,)))
        self.emit(who, f"approve {self.project.id}: {task_id} ({task.requires_approval})", "approve")

    def book(self, task_id: str, days_ahead: int) -> None:
        task = self.project.task(task_id)
        local = datetime.combine(self.today + timedelta(days=days_ahead), datetime.min.time()).replace(
            hour=self.rng.choice([9, 10, 14, 16]), tzinfo=timezone(timedelta(hours=8)))
        self.project = self.project.with_task(dataclasses.replace(task, appointment=local, due=local.date()))
        self.emit(task.assignee or self.project.owner,
                  f"schedule {self.project.id}: {task_id} appointment {local.isoformat()}", "schedule")

    def reject(self, task_id: str) -> None:
        self.move(task_id, "rejected")
        codes = [c for c in self.sop.rejection_codes() if c != "other"] or ["other"]
        code = self.rng.choice(codes + ["other"])
        evidence = f"attachments/{self.project.id}/rejection-{self.today.isoformat()}.png.age"
        if any(r.evidence == evidence for r in self.project.rejections):
            evidence = evidence.replace(".png.age", f"-{len(self.project.rejections)}.png.age")
        rejection = Rejection(at=self.today, task=task_id, reason=code, evidence=evidence,
                              message=self.rng.choice(REJECTION_MESSAGES))
        self.project = dataclasses.replace(self.project, rejections=self.project.rejections + (rejection,))
        self.emit(self.project.owner, f"reject {self.project.id}: {code}", "reject", [evidence])

    def finish(self, task: Task) -> None:
        if task.optional and self.rng.random() < 0.5:
            self.move(task.id, "skipped", note="not needed for this store")
            return
        self.move(task.id, "in_progress")
        self.attach(task.id)
        if task.booking:
            self.book(task.id, self.rng.randint(1, 5))
        if task.requires_approval or task.external:
            self.move(task.id, "submitted")
            if task.requires_approval:
                self.approve(task.id)
        self.move(task.id, "done")

    # ---- churn: the small edits a long-running project collects ----
    def churn(self) -> bool:
        """One reschedule, reassignment or block/unblock; False when nothing is open."""
        open_tasks = [t for t in self.project.tasks if t.state not in FINISHED]
        if not open_tasks:
            return False
        task = self.rng.choice(open_tasks)
        roll = self.rng.random()
        if roll < 0.5 and not task.appointment:
            due = (task.due or self.today) + timedelta(days=self.rng.choice([-2, -1, 1, 2, 3, 5, 7]))
            self.project = self.project.with_task(dataclasses.replace(task, due=due))
            old = task.due.isoformat() if task.due else "none"
            self.emit(self.project.owner, f"schedule {self.project.id}: {task.id} due {old} → {due.isoformat()}",
                      "schedule")
        elif roll < 0.75 and task.state in ("todo", "in_progress", "blocked") and not task.approvals:
            person = self.rng.choice([p for p in OPS if p != task.assignee])
            self.project = self.project.with_task(dataclasses.replace(task, assignee=person))
            self.emit(self.project.owner, f"assign {self.project.id}: {task.id} {task.assignee or 'nobody'} → "
                                          f"{person}", "assign")
        elif task.state in ("todo", "in_progress"):
            self.move(task.id, "blocked", note=self.rng.choice([None, None, "waiting for the client's documents"]))
        elif task.state == "blocked":
            back = "in_progress" if all(self.project.task(d).state in FINISHED for d in task.depends_on) else "todo"
            self.move(task.id, back)
        elif task.state == "submitted" and task.external and self.rng.random() < 0.3:
            self.reject(task.id)
            self.move(task.id, "in_progress")
            self.move(task.id, "submitted")
        else:
            due = (task.due or self.today) + timedelta(days=7)
            self.project = self.project.with_task(dataclasses.replace(task, due=due, appointment=None)
                                                  if task.appointment else dataclasses.replace(task, due=due))
            self.emit(self.project.owner, f"schedule {self.project.id}: {task.id} moved a week", "schedule")
        return True

    def replan(self, base: date) -> None:
        """Open tasks' due dates follow on from `base`, as an owner does mid-project."""
        open_ids = {t.id for t in self.project.tasks if t.state not in FINISHED and not t.appointment}
        if not open_ids:
            return
        plan = plan_dues([{"id": t.id, "duration": (self.sop.task(t.id) or {}).get("duration", "3d"),
                           "depends_on": [d for d in t.depends_on if d in open_ids]}
                          for t in self.project.tasks if t.id in open_ids], base)
        project = self.project
        for task in project.tasks:
            if task.id in plan:
                project = project.with_task(dataclasses.replace(task, due=plan[task.id]))
        self.project = project
        self.emit(self.project.owner, f"schedule {self.project.id}: re-plan open tasks from {base.isoformat()}",
                  "schedule")


REJECTION_MESSAGES = [
    "We were unable to verify your identity. The person in the video call does not match the ID provided.",
    "The document you provided is illegible or incomplete. Please upload a clear colour copy of all pages.",
    "The address you entered does not match the address on the document you provided.",
    "Your application could not be approved at this time.",
    "The business name on your registration does not match the name on your bank statement.",
    None,
]


def _new_project(rng, index: int, sop: Sop, config: Config, start: date, target_days: int) -> Project:
    brand = BRANDS[index % len(BRANDS)]
    site = rng.choice(sop.sites)
    category = rng.choice(CATEGORIES)
    project = instantiate(
        sop, project_id=f"{brand}-{sop.id}-{site}-{index:05d}", store=f"{brand.title()} {category.split('-')[0].title()} "
        f"{site.upper()} {index}", owner=rng.choice(OPS), site=site, start=start,
        target=start + timedelta(days=target_days), category=category,
        entity=rng.choice(ENTITIES).format(f"{brand.title()} {index}"), config=config)  # one entity per store (check: isolation)
    return dataclasses.replace(
        project,
        account=dict(project.account, login_email=f"ops+{project.id}@agency.example"),
        isolation=dict(project.isolation, network=f"proxy-{site}-{index:05d}", device=f"vps-{index:05d}"),
    )


def simulate(index: int, library: dict[str, Sop], config: Config, now: datetime, seed: int,
             want_events: int | None = None, mode: str | None = None) -> list[Event]:
    """The life of project number `index`, with at least `want_events` events when it can be stretched."""
    rng = random.Random(seed * 1_000_003 + index)
    sop_ids = sorted(library)
    sop = library[sop_ids[index % len(sop_ids)]]
    mode = mode or rng.choices([m for m, _ in MODES], weights=[w for _, w in MODES])[0]
    today = now.date()
    if mode in ARCHIVED_MODES:
        start = today - timedelta(days=rng.randint(150, 720))
        end = datetime.combine(start + timedelta(days=rng.randint(40, 120)), datetime.min.time(), tzinfo=timezone.utc)
    else:
        start = today - timedelta(days=rng.randint(5, 140) if want_events is None or want_events < 200 else 300)
        end = now
    project = _new_project(rng, index, sop, config, start, rng.randint(30, 90))
    steps = max(len(project.tasks) * 3, want_events or 0)
    clock = _Clock(rng, datetime.combine(start, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=9), end,
                   steps)
    story = _Story(rng, project, sop, config, clock)
    story.emit(project.owner, f"new {project.id}: {sop.pin} for {project.store}", "new")

    order = dependency_order(story.project)
    external = next((t for t in order if t.external), None)
    booking = next((t for t in order if t.booking), None)
    gated = next((t for t in order if t.requires_approval), None)
    stop = {
        "preparing": order[rng.randint(0, max(0, len(order) - 3))],
        "waiting_approval": gated,
        "appointment": booking or external,
        "under_review": external, "rejected": external, "resubmitted": external, "failed": external,
        "abandoned": order[rng.randint(0, max(0, len(order) - 3))],
        "approved": None, "opened": None,
    }[mode]
    held: set[str] = set()  # approved: what comes after the platform's review is still to do
    for task in order:
        if stop is not None and task.id == stop.id:
            break
        if mode == "approved" and external and task is not external and (
                external.id in task.depends_on or held.intersection(task.depends_on)):
            held.add(task.id)
            continue
        story.finish(story.project.task(task.id))
    if stop is not None:
        story.move(stop.id, "in_progress")
        story.attach(stop.id)
        if mode == "preparing" and rng.random() < 0.15:
            story.move(stop.id, "blocked", note=rng.choice([None, "waiting for the client's licence renewal"]))
        elif mode == "waiting_approval":
            story.move(stop.id, "submitted")
        elif mode == "appointment" and stop.booking:
            story.book(stop.id, rng.randint(1, 10))
        elif mode in ("appointment", "under_review", "rejected", "resubmitted", "failed"):
            story.move(stop.id, "submitted")
            if mode != "under_review":
                story.reject(stop.id)
            if mode == "resubmitted":
                story.move(stop.id, "in_progress")
                story.move(stop.id, "submitted")
    if mode not in ARCHIVED_MODES and rng.random() < 0.6:
        story.replan(today + timedelta(days=rng.randint(-3, 4)))
    while want_events is not None and len(story.events) < want_events - (mode in ARCHIVED_MODES):
        if not story.churn():
            break
    if mode in ARCHIVED_MODES:
        outcome = "opened" if mode == "opened" else mode
        if outcome == "opened":
            story.project = dataclasses.replace(story.project, account=dict(
                story.project.account, seller_id=f"A{index:07d}EX", payout_bound=True))
        reason = {"opened": "store live, first listings published",
                  "abandoned": "category closed to new sellers; budget moved elsewhere",
                  "failed": "appeal refused by the platform"}[outcome]
        story.project = dataclasses.replace(story.project, archived=Archived(at=story.today, outcome=outcome,
                                                                              reason=reason))
        story.emit(story.project.owner, f"archive {story.project.id}: {outcome}", "archive")
    return story.events


def _pick(rng: random.Random, events: list[Event], quota: int) -> list[int]:
    """Which events get a commit: the first and the last, then random ones in between."""
    if quota >= len(events):
        return list(range(len(events)))
    if quota == 1:
        return [len(events) - 1]
    middle = rng.sample(range(1, len(events) - 1), quota - 2)
    return sorted([0, *middle, len(events) - 1])


def _project_commits(events: list[Event], chosen: list[int]) -> list[Commit]:
    out, previous = [], -1
    for j in chosen:
        event = events[j]
        files = [f for e in events[previous + 1: j + 1] for f in e.files]
        if previous == -1 and j > 0:  # only the last state: an import
            subject, action = f"import {event.project.id} ({event.project.sop})", "import"
        else:
            subject, action = event.subject, event.action
        text = project_text(event.project)
        out.append(Commit(event.when, event.who, commit_message(subject, action, event.project.id),
                          [(f"projects/{event.project.id}.yaml", text), *[(f, _placeholder(f)) for f in files]]))
        previous = j
    return out


def _placeholder(path: str) -> bytes:
    return b"age" if path.endswith(".age") else b"pdf"


def _quotas(rng: random.Random, budget: int, count: int) -> list[int]:
    base, extra = divmod(budget, count)
    quotas = [base] * count
    for i in rng.sample(range(count), extra):
        quotas[i] += 1
    return quotas


def build_commits(projects: int, commits: int, seed: int, now: datetime) -> tuple[list[Commit], dict]:
    library = load_library(None)
    config = Config(team="Benchmark Agency", timezone="Asia/Shanghai", language="en", people=tuple(TEAM),
                    policies=dict(DEFAULT_POLICIES), categories=tuple(CATEGORIES))
    rng = random.Random(seed)
    hot_commits = min(HOT_COMMITS, max(1, commits // 5))
    budget = commits - 1 - hot_commits  # one for the initial commit
    others = projects - 1
    out: list[Commit] = []
    hot = simulate(0, library, config, now, seed, want_events=hot_commits, mode="resubmitted")
    hot = hot[:hot_commits] if len(hot) > hot_commits else hot
    out += _project_commits(hot, list(range(len(hot))))
    if others and budget >= others:
        for index, quota in enumerate(_quotas(rng, budget, others), start=1):
            events = simulate(index, library, config, now, seed, want_events=quota)
            out += _project_commits(events, _pick(rng, events, quota))
    elif others:
        # fewer commits than projects: import them a few per commit, in the order they reached their state
        finals = sorted((simulate(i, library, config, now, seed)[-1] for i in range(1, projects)),
                        key=lambda e: e.when)
        groups = max(1, min(budget, len(finals)))
        bounds = [round(k * len(finals) / groups) for k in range(groups + 1)]
        for g in range(groups):
            chunk = finals[bounds[g]:bounds[g + 1]]
            files: list[tuple[str, bytes | str]] = []
            for event in chunk:
                files.append((f"projects/{event.project.id}.yaml", project_text(event.project)))
                files += [(f, _placeholder(f)) for f in _files_of(event.project)]
            subject = f"import {len(chunk)} projects from the tracking sheet"
            out.append(Commit(chunk[-1].when, "ava", commit_message(subject, "import"), files))
    out.sort(key=lambda c: c.when)
    first = (out[0].when if out else now) - timedelta(days=1)
    init = Commit(first, "ava", commit_message(f"init stores repo for {config.team}", "init"),
                  [(CONFIG_FILE, config_text(config)), (".gitattributes", GITATTRIBUTES),
                   *[(f"{folder}/README.md", text) for folder, text in KEEP.items()]])
    manifest = {"generator": GENERATOR_VERSION, "projects": projects, "commits": 1 + len(out), "seed": seed,
                "today": now.date().isoformat(), "hot_project": hot[-1].project.id, "hot_commits": len(hot)}
    return [init, *out], manifest


def _files_of(project: Project) -> list[str]:
    files = [d.file for t in project.tasks for d in t.documents if d.file]
    return files + [r.evidence for r in project.rejections if r.evidence]


def _stream(commits: list[Commit], by_name: dict):
    """The fast-import stream, as chunks of bytes."""
    yield b"blob\nmark :1\ndata %d\n%s\n" % (len(PDF), PDF)
    yield b"blob\nmark :2\ndata %d\n%s\n" % (len(AGE), AGE)
    for commit in commits:
        person = by_name[commit.who]
        ident = f"{person.name.title()} <{person.email}> {int(commit.when.timestamp())} +0000".encode()
        message = commit.message.encode()
        parts = [b"commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n" % (ident, ident, len(message), message)]
        for path, content in commit.files:
            if content == b"pdf":
                parts.append(b"M 100644 :1 %s\n" % path.encode())
            elif content == b"age":
                parts.append(b"M 100644 :2 %s\n" % path.encode())
            else:
                data = content.encode() if isinstance(content, str) else content
                parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
        yield b"".join(parts)


def _git(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, **kwargs)


def pick_advance_target(root: Path) -> tuple[str, str]:
    """An open project with a task in progress: `advance --to blocked` and back are both allowed on it."""
    for path in sorted((root / "projects").glob("*.yaml")):
        data = yamlio.load(path)
        if data.get("archived"):
            continue
        for task in data["tasks"]:
            if task["state"] == "in_progress" and not task.get("approvals"):
                return data["id"], task["id"]
    raise SystemExit("no project with a task in progress: generate more projects")


def generate(path: Path, projects: int = 1000, commits: int = 5000, seed: int = 7, quiet: bool = False) -> dict:
    """Create the stores repo at `path` (must not exist yet); returns the manifest."""
    if projects < 1 or commits < 2:
        raise SystemExit("need at least 1 project and 2 commits")
    path = path.resolve()
    if path.exists():
        raise SystemExit(f"{path} already exists")
    began = time.perf_counter()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    history, manifest = build_commits(projects, commits, seed, now)
    built = time.perf_counter()
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(path)], check=True)
    by_name = {p.name: p for p in TEAM}
    proc = subprocess.Popen(["git", "-C", str(path), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    for chunk in _stream(history, by_name):
        proc.stdin.write(chunk)
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    # fast-import's pack deltas run from old to new; git's advice is to repack after an import,
    # which also makes this repo look like one that git gc has kept (recent objects cheap to read)
    _git(path, "repack", "-a", "-d", "-f", "-q")
    _git(path, "reset", "--quiet", "--hard", "main")
    for key, value in (("user.name", "Ava"), ("user.email", "ava@agency.example"), ("gc.auto", "0")):
        _git(path, "config", key, value)
    manifest["advance_project"], manifest["advance_task"] = pick_advance_target(path)
    manifest["seconds"] = round(time.perf_counter() - began, 1)
    (path / ".git" / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if not quiet:
        print(f"{path}: {projects} projects, {manifest['commits']} commits "
              f"(rendered in {built - began:.1f}s, total {manifest['seconds']}s)", file=sys.stderr)
    return manifest


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads((path / ".git" / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="Where to create the stores repo (must not exist).")
    parser.add_argument("--projects", type=int, default=1000, help="Number of projects (default 1000).")
    parser.add_argument("--commits", type=int, default=5000, help="Number of commits (default 5000).")
    parser.add_argument("--seed", type=int, default=7, help="Random seed (same seed, same repo on a given day).")
    args = parser.parse_args(argv)
    manifest = generate(args.path, args.projects, args.commits, args.seed)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
