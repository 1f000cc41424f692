"""`storeops init --example`: a demo stores repo with a believable history.

Projects are walked through the real workflow rules (workflow.advance), one
commit per step, by different people at different dates, so that status,
log and remind have something true to show. Finished tasks carry their
documents: one-page specimen PDFs, the sensitive ones encrypted to the demo
team's own age keys, which are kept in the clone's .git folder (never
committed) so that anyone trying the demo can open them as one of the team.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from storeops import gitcmd, vault
from storeops.actions import commit_message, today as team_today
from storeops.config import DEFAULT_POLICIES, Config, Person
from storeops.documents import stored_path
from storeops.errors import EnvError
from storeops.initrepo import initial_files, new_git_repo, person_name_from
from storeops.model import Approval, Archived, Project, Rejection, Task
from storeops.repo import PROJECTS_DIR, StoresRepo, atomic_write_bytes, project_text
from storeops.sop import instantiate, load_library, plan_dues
from storeops.workflow import advance, dependency_order

TEAM = [
    Person("alice", "alice@acme.example", ("ops", "admin")),
    Person("bob", "bob@acme.example", ("ops",)),
    Person("carol", "carol@acme.example", ("finance",)),
    Person("dave", "dave@acme.example", ("legal",)),
    Person("erin", "erin@acme.example", ("lead",)),
]

ENTITY = "ACME Trading Co., Ltd."

KEYS_DIR = "storeops-example-keys"  # under .git/: the demo team's age identities

# (id, sop, site, store, owner, category, days ago started, target in days, how far it got,
#  days from today at which the open tasks were re-planned: negative means they are overdue)
PROJECTS = [
    ("acme-amazon-us", "amazon-us", "us", "ACME Home US", "alice", "home-kitchen", 24, 30, ("preparing", 4), -2),
    ("acme-amazon-de", "amazon-eu", "de", "ACME Home DE", "bob", "home-kitchen", 20, 25, ("appointment", 0), 0),
    ("acme-walmart-us", "walmart-us", "us", "ACME Outdoor", "alice", "sports-outdoors", 40, 10, ("under_review", 0), -2),
    ("acme-shopee-sg", "shopee", "sg", "ACME Living SG", "bob", "home-living", 45, -5, ("approved", 0), -4),
    ("acme-tiktok-uk", "tiktok-shop", "uk", "ACME Beauty UK", "alice", "cosmetics", 35, 5, ("rejected", 0), 0),
    ("acme-lazada-my", "lazada", "my", "ACME Snacks MY", "bob", "food", 8, 40, ("preparing", 1), 1),
    ("acme-amazon-jp", "amazon-jp", "jp", "ACME Home JP", "alice", "home-kitchen", 70, -20, ("opened", 0), None),
    ("acme-temu-us", "temu", "us", "ACME Gadgets", "bob", "electronics", 60, -30, ("abandoned", 3), None),
]


class _Clock:
    """Commit dates that move forward at each step, spread over the project's life, never past now."""

    def __init__(self, start: datetime, now: datetime, steps: int):
        self.moment, self.now = start, now
        self.scale = max(0.2, (now - start).total_seconds() / 3600 * 0.8 / max(steps, 1) / 7)

    def step(self, hours: float) -> datetime:
        self.moment = min(self.moment + timedelta(hours=hours * self.scale), self.now - timedelta(minutes=1))
        return self.moment


@dataclasses.dataclass(frozen=True)
class _Commit:
    who: Person
    when: datetime
    message: str
    files: dict[str, bytes]


class _Writer:
    """The history, kept in memory and written at the end with one `git fast-import`."""

    def __init__(self, config: Config):
        self.config = config
        self.commits: list[_Commit] = []

    def commit(self, project: Project, who: str, when: datetime, subject: str, action: str,
               files: dict[str, bytes] | None = None, project_id: str | None = None) -> None:
        changed = {f"{PROJECTS_DIR}/{project.id}.yaml": project_text(project).encode("utf-8"), **(files or {})}
        self.commits.append(_Commit(self.config.person(who), when,
                                    commit_message(subject, action, project_id or project.id), changed))

    def stream(self):
        """The fast-import stream, one chunk per commit (the first has no parent: a new branch)."""
        for commit in self.commits:
            ident = (f"{commit.who.name.title()} <{commit.who.email}> {int(commit.when.timestamp())} +0000"
                     .encode("utf-8"))
            message = commit.message.encode("utf-8")
            parts = [b"commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n"
                     % (ident, ident, len(message), message)]
            for rel, data in commit.files.items():
                parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (rel.encode("utf-8"), len(data), data))
            yield b"".join(parts)

    def write(self, root: Path) -> None:
        import subprocess

        proc = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet", "--done"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for chunk in self.stream():
                proc.stdin.write(chunk)
            proc.stdin.write(b"done\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass
        error = proc.stderr.read().decode("utf-8", "replace")
        if proc.wait() != 0:
            raise EnvError(f"git fast-import failed: {error.strip().splitlines()[-1] if error.strip() else 'no reason given'}")
        gitcmd.run(root, "reset", "--quiet", "--hard", "main")


def _approver(config: Config, task: Task) -> str:
    return next(p.name for p in config.holders(task.requires_approval) if p.name != task.assignee)


def _move(w: _Writer, project: Project, task_id: str, to: str, clock: _Clock, note: str | None = None) -> Project:
    task = project.task(task_id)
    who = task.assignee or project.owner
    when = clock.step(7)
    changed, old, new = advance(project, task_id, to, who, when.date(), note)
    w.commit(changed, who, when, f"advance {project.id}: {task_id} {old.state} → {new.state}", "advance")
    return changed


def _approve(w: _Writer, project: Project, task_id: str, clock: _Clock) -> Project:
    task = project.task(task_id)
    who = _approver(w.config, task)
    when = clock.step(5)
    approval = Approval(by=who, role=task.requires_approval, at=when.date(), note="checked against the originals")
    project = project.with_task(dataclasses.replace(task, approvals=task.approvals + (approval,)))
    w.commit(project, who, when, f"approve {project.id}: {task_id} ({task.requires_approval})", "approve")
    return project


def _attach(w: _Writer, project: Project, task: Task, clock: _Clock) -> Project:
    """Attach the task's documents, one commit each, as `storeops attach --issued` would."""
    for doc in task.documents:
        task = project.task(task.id)
        when = clock.step(2)
        issued = when.date() - timedelta(days=5)
        data = specimen_pdf([
            "SPECIMEN - storeops example data, not a real document",
            "",
            (doc.title or {}).get("en") or doc.id,
            f"{ENTITY}, for {project.store}",
            f"project {project.id}, task {task.id}",
            f"issued {issued.isoformat()}",
        ])
        readers = vault.default_readers(project, task) if doc.sensitive else ()
        payload = data
        if doc.sensitive:
            keys = vault.recipients_for(w.config, readers, project.owner, f"{project.id}/{doc.id}").keys
            payload = vault.encrypt(data, keys)
        changed = dataclasses.replace(doc, file=stored_path(project, task, doc.id, f"{doc.id}.pdf", doc.sensitive),
                                      issued=issued, sha256=vault.sha256(data), readers=readers)
        project = project.with_task(dataclasses.replace(
            task, documents=tuple(changed if d.id == doc.id else d for d in task.documents)))
        subject = f"attach {project.id}: {task.id}/{doc.id}" + (" (encrypted)" if doc.sensitive else "")
        w.commit(project, task.assignee or project.owner, when, subject, "attach", {changed.file: payload})
    return project


def _finish(w: _Writer, project: Project, task: Task, clock: _Clock) -> Project:
    if task.optional:
        return _move(w, project, task.id, "skipped", clock, note="not needed for this store")
    project = _move(w, project, task.id, "in_progress", clock)
    project = _attach(w, project, project.task(task.id), clock)
    if task.requires_approval or task.external:
        project = _move(w, project, task.id, "submitted", clock)
        if task.requires_approval:
            project = _approve(w, project, task.id, clock)
    return _move(w, project, task.id, "done", clock)


def _play(w: _Writer, project: Project, plan: tuple, clock: _Clock, today: date) -> Project:
    mode, extra = plan
    order = dependency_order(project)
    external = next((t for t in order if t.external), None)
    booking = next((t for t in order if t.booking), None)
    stop_at = {
        "preparing": order[extra] if extra < len(order) else None,
        "appointment": booking or external,
        "under_review": external,
        "rejected": external,
        "approved": None,
        "opened": None,
        "abandoned": order[extra] if extra < len(order) else None,
    }[mode]
    for task in order:
        if stop_at is not None and task.id == stop_at.id:
            break
        if mode == "approved" and task.depends_on and external and external.id in task.depends_on and task is not external:
            break  # approved: the store is open for business but payout not bound yet
        project = _finish(w, project, project.task(task.id), clock)
    if mode in ("preparing", "abandoned") and stop_at is not None:
        project = _move(w, project, stop_at.id, "in_progress", clock)
    if mode == "appointment" and stop_at is not None:
        project = _move(w, project, stop_at.id, "in_progress", clock)
        task = project.task(stop_at.id)
        from zoneinfo import ZoneInfo

        local = datetime.combine(today + timedelta(days=2), datetime.min.time()).replace(
            hour=10, tzinfo=ZoneInfo(w.config.timezone))
        local = datetime.fromisoformat(local.isoformat())  # a fixed offset, as the file stores it
        when = clock.step(3)
        project = project.with_task(dataclasses.replace(task, appointment=local, due=local.date()))
        w.commit(project, task.assignee, when, f"schedule {project.id}: {task.id} appointment {local.isoformat()}", "schedule")
    if mode in ("under_review", "rejected") and stop_at is not None:
        project = _move(w, project, stop_at.id, "in_progress", clock)
        project = _move(w, project, stop_at.id, "submitted", clock)
    if mode == "rejected" and stop_at is not None:
        project = _move(w, project, stop_at.id, "rejected", clock)
        sop = load_library(None).get(project.sop_id)
        code = next((c for c in sop.rejection_codes() if c != "other"), "other")
        when = clock.step(2)
        rejection = Rejection(at=when.date(), task=stop_at.id, reason=code,
                              message="We were unable to verify your identity. The person in the video call does "
                                      "not match the identification document provided.")
        project = dataclasses.replace(project, rejections=project.rejections + (rejection,))
        w.commit(project, project.owner, when, f"reject {project.id}: {code}", "reject")
    if mode in ("opened", "abandoned"):
        when = clock.step(24)
        outcome = "opened" if mode == "opened" else "abandoned"
        reason = ("store live, first listings published" if outcome == "opened"
                  else "category closed to new sellers; budget moved to TikTok Shop")
        if outcome == "opened":
            project = dataclasses.replace(project, account=dict(project.account, seller_id="A3EXAMPLE7JP", payout_bound=True))
        project = dataclasses.replace(project, archived=Archived(at=when.date(), outcome=outcome, reason=reason))
        w.commit(project, project.owner, when, f"archive {project.id}: {outcome}", "archive")
    return project


def _replan(w: _Writer, project: Project, sop, base: date, clock: _Clock) -> Project:
    """Move the open tasks' due dates to follow on from `base`, as an owner does mid-project."""
    open_ids = {t.id for t in project.tasks if t.state not in ("done", "skipped")}
    plan = plan_dues([{"id": t.id, "duration": sop.task(t.id)["duration"],
                       "depends_on": [d for d in t.depends_on if d in open_ids]}
                      for t in project.tasks if t.id in open_ids], base - timedelta(days=2))
    for task in project.tasks:
        if task.id in plan and not task.appointment:
            project = project.with_task(dataclasses.replace(task, due=plan[task.id]))
    w.commit(project, project.owner, clock.step(2), f"schedule {project.id}: re-plan open tasks from {base.isoformat()}",
             "schedule")
    return project


def specimen_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` in Helvetica: small, valid, and plainly not a real document."""
    def escaped(line: str) -> str:
        line = line.encode("ascii", "replace").decode("ascii")  # the standard fonts have no CJK glyphs
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 13 Tf 72 770 Td 20 TL " + " ".join(f"({escaped(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    table = f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n"
    return out + (table + trailer).encode("ascii")


def _own_key() -> str | None:
    """The age recipient of the identity this user already decrypts with, if any (SSH keys do not tell theirs)."""
    try:
        keys = vault.public_keys(vault.load_identities())
    except EnvError:
        return None
    return keys[0] if keys else None


@dataclasses.dataclass(frozen=True)
class Example:
    projects: int
    keys: Path          # the folder with the demo team's identities, NAME.txt each
    you: str | None     # your name on the demo team (None without a git identity)
    own_key: bool       # you joined with the key you already had


def build_example(path: Path) -> Example:
    """Create the demo stores repo at `path`.

    Everyone on the demo team gets a new age key, written to .git/storeops-example-keys/NAME.txt;
    you join the team as an admin, with your own key when you have one.
    """
    from pyrage import x25519

    own_key = you = None
    identities = {p.name: x25519.Identity.generate() for p in TEAM}
    team = [dataclasses.replace(p, age=str(identities[p.name].to_public())) for p in TEAM]
    try:
        ident = gitcmd.identity(next(p for p in (path.resolve(), *path.resolve().parents) if p.exists()))
        name = person_name_from(ident.name, ident.email)
        if all(p.email != ident.email for p in team):
            if any(p.name == name for p in team):
                name = "you"
            own_key = _own_key()
            if own_key is None:
                identities[name] = x25519.Identity.generate()
            key = own_key or str(identities[name].to_public())
            team.append(Person(name, ident.email, ("ops", "admin"), age=key))
        you = next(p.name for p in team if p.email == ident.email)
    except Exception:  # no identity: the demo still works, you just act as a guest
        pass
    now = datetime.now(timezone.utc).replace(microsecond=0)
    first = now - timedelta(days=max(p[6] for p in PROJECTS) + 2)
    config = Config(team="ACME Ops (example)", timezone="Asia/Shanghai", language="en", people=tuple(team),
                    policies=dict(DEFAULT_POLICIES))
    new_git_repo(path)
    repo = StoresRepo(path.resolve())
    keys = repo.git_dir / KEYS_DIR
    _keep_keys(keys, identities)
    library = load_library(None)
    writer = _Writer(config)
    writer.commits.append(_Commit(config.person("alice"), first,
                                  commit_message(f"init stores repo for {config.team}", "init"), initial_files(config)))
    today = team_today(config)
    for pid, sop_id, site, store, owner, category, days_ago, target_in, plan, replan in PROJECTS:
        start = today - timedelta(days=days_ago)
        project = instantiate(library[sop_id], project_id=pid, store=store, owner=owner, site=site, start=start,
                              target=today + timedelta(days=target_in), category=category, entity=ENTITY,
                              config=config)
        until = now if plan[0] not in ("opened", "abandoned") else now + timedelta(days=target_in)
        clock = _Clock(datetime.combine(start, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=9), until,
                       steps=len(project.tasks) * 3)
        writer.commit(project, owner, clock.step(0), f"new {pid}: {library[sop_id].pin} for {store}", "new")
        project = _play(writer, project, plan, clock, today)
        if replan is not None:
            _replan(writer, project, library[sop_id], today + timedelta(days=replan), clock)
    writer.write(repo.root)
    return Example(projects=len(PROJECTS), keys=keys, you=you, own_key=own_key is not None)


def _keep_keys(folder: Path, identities: dict) -> None:
    folder.mkdir(mode=0o700, exist_ok=True)
    for name, identity in identities.items():
        public = identity.to_public()
        atomic_write_bytes(folder / f"{name}.txt", f"# demo key of {name}\n# public key: {public}\n{identity}\n"
                           .encode("ascii"), mode=0o600)
