"""`storeops init --example`: the demo stores repo of examples/stores, with a believable history.

examples/stores/ (storeops.yaml and the project files) is the one source of
the demo: it is how the demo team's projects stand on ANCHOR. `init
--example` moves every date by the days since, so the demo is always
current, and plays each project from its first commit to that state through
the real workflow rules (workflow.advance), one commit per step, by the
people of the file at dates spread over the project's life. Finished tasks
get their documents: one-page specimen PDFs, the sensitive ones encrypted to
the demo team's own age keys, which are kept in the clone's .git folder
(never committed) so that anyone trying the demo can open them as one of the
team. The history is built in memory and written with one `git fast-import`.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from storeops import gitcmd, vault, yamlio
from storeops.actions import commit_message, today as team_today
from storeops.config import Config, Person
from storeops.documents import stored_path
from storeops.errors import EnvError
from storeops.initrepo import initial_files, new_git_repo, person_name_from
from storeops.model import Project, Task
from storeops.repo import CONFIG_FILE, PROJECTS_DIR, StoresRepo, atomic_write_bytes, project_text
from storeops.workflow import advance, dependency_order

ANCHOR = date(2026, 12, 6)  # the day examples/stores describes: dates there move by (today - ANCHOR)

KEYS_DIR = "storeops-example-keys"  # under .git/: the demo team's age identities

_DATE_KEYS = {"start", "target", "due", "at", "issued", "appointment"}
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")


def source_dir() -> Path:
    """examples/stores: in the checkout, or inside the installed package."""
    from storeops.resources import data_dir

    return data_dir("examples") / "stores"


def _shifted(value, days: int):
    """Every date (and date-time) under the date fields of a project or config, `days` later."""
    if isinstance(value, dict):
        return {k: (_shift_one(v, days) if k in _DATE_KEYS else _shifted(v, days)) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, days) for v in value]
    return value


def _shift_one(value, days: int):
    if isinstance(value, str) and (match := _ISO.match(value)):
        return (date.fromisoformat(match.group(1)) + timedelta(days=days)).isoformat() + match.group(2)
    return value


def load_source(today: date) -> tuple[dict, list[Project]]:
    """examples/stores as of `today`: the config's data and the projects, dates moved."""
    root = source_dir()
    days = (today - ANCHOR).days
    config = yamlio.load(root / CONFIG_FILE)
    projects = [Project.from_dict(_shifted(yamlio.load(path), days))
                for path in sorted((root / PROJECTS_DIR).glob("*.yaml"))]
    return config, projects


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


def _move(w: _Writer, project: Project, task_id: str, to: str, clock: _Clock, final: Task | None = None) -> Project:
    """Advance a task; `final`: the example file's task, whose notes this move writes (as `--note` would)."""
    task = project.task(task_id)
    who = task.assignee or project.owner
    when = clock.step(7)
    note = final.notes[-1].text if final is not None and final.notes else None
    changed, old, new = advance(project, task_id, to, who, when.date(), note)
    if note is not None:
        changed = changed.with_task(dataclasses.replace(changed.task(task_id), notes=final.notes))
    w.commit(changed, who, when, f"advance {project.id}: {task_id} {old.state} → {new.state}", "advance")
    return changed


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
            f"{project.entity or project.store}, for {project.store}",
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


def _blank(final: Project) -> Project:
    """The project as `storeops new` made it: every task to do, nothing attached, approved or recorded."""
    tasks = tuple(dataclasses.replace(
        t, state="todo", approvals=(), notes=(), appointment=None,
        documents=tuple(dataclasses.replace(d, file=None, issued=None, sha256=None, readers=()) for d in t.documents))
        for t in final.tasks)
    return dataclasses.replace(final, tasks=tasks, rejections=(), archived=None, account=_blank_account(final.account))


def _blank_account(account: dict) -> dict:
    return {k: (False if isinstance(v, bool) else None) for k, v in account.items()}


def _play_task(w: _Writer, project: Project, final: Task, clock: _Clock) -> Project:
    """Walk one task from todo to its state in the example file, as its people would have."""
    state = final.state
    if state == "todo":
        return project
    if state == "skipped":
        return _move(w, project, final.id, "skipped", clock, final)
    project = _move(w, project, final.id, "in_progress", clock)
    if state == "in_progress":
        return project
    if state == "blocked":
        return _move(w, project, final.id, "blocked", clock, final)
    if state == "done":
        project = _attach(w, project, project.task(final.id), clock)
    if state in ("submitted", "rejected") or final.requires_approval or final.external:
        project = _move(w, project, final.id, "submitted", clock)
    for approval in final.approvals:
        task = project.task(final.id)
        when = clock.step(5)
        project = project.with_task(dataclasses.replace(task, approvals=task.approvals + (approval,)))
        w.commit(project, approval.by, when, f"approve {project.id}: {final.id} ({approval.role})", "approve")
    if state == "rejected":
        project = _move(w, project, final.id, "rejected", clock)
    elif state == "done":
        project = _move(w, project, final.id, "done", clock)
    return project


def _play(w: _Writer, final: Project, now: datetime) -> None:
    """The commits that take `final` from `storeops new` to what the example file says."""
    start = datetime.combine(final.start, time(9), tzinfo=timezone.utc)
    until = (datetime.combine(final.archived.at, time(12), tzinfo=timezone.utc) if final.archived else now)
    clock = _Clock(start, min(until, now), steps=len(final.tasks) * 3)
    project = _blank(final)
    w.commit(project, final.owner, clock.step(0), f"new {final.id}: {final.sop} for {final.store}", "new")
    for task in dependency_order(project):
        project = _play_task(w, project, final.task(task.id), clock)
    for rejection in final.rejections:
        project = dataclasses.replace(project, rejections=project.rejections + (rejection,))
        w.commit(project, final.owner, clock.step(2), f"reject {final.id}: {rejection.reason}", "reject")
    for task in final.tasks:
        if task.appointment is not None:
            project = project.with_task(dataclasses.replace(project.task(task.id), appointment=task.appointment))
            w.commit(project, task.assignee or final.owner, clock.step(3),
                     f"schedule {final.id}: {task.id} appointment {task.appointment.isoformat()}", "schedule")
    if final.account != project.account:
        project = dataclasses.replace(project, account=final.account)
        w.commit(project, final.owner, clock.step(4), f"link {final.id}: account", "link")
    # what the file says besides (notes, re-planned due dates), with the documents just attached
    attached = {(t.id, d.id): d for t in project.tasks for d in t.documents}
    last = dataclasses.replace(final, archived=None, tasks=tuple(
        dataclasses.replace(t, documents=tuple(attached.get((t.id, d.id), d) for d in t.documents))
        for t in final.tasks))
    if last != project:
        project = last
        w.commit(project, final.owner, clock.step(2), f"schedule {final.id}: re-plan open tasks", "schedule")
    if final.archived is not None:
        project = dataclasses.replace(project, archived=final.archived)
        w.commit(project, final.owner, clock.step(24), f"archive {final.id}: {final.archived.outcome}", "archive")


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
    """Create the demo stores repo at `path` from examples/stores.

    Everyone on the demo team gets a new age key, written to .git/storeops-example-keys/NAME.txt;
    you join the team as an admin, with your own key when you have one.
    """
    from pyrage import x25519

    now = datetime.now(timezone.utc).replace(microsecond=0)
    base = Config.from_dict(yamlio.load(source_dir() / CONFIG_FILE))
    own_key = you = None
    identities = {p.name: x25519.Identity.generate() for p in base.people}
    team = [dataclasses.replace(p, age=str(identities[p.name].to_public())) for p in base.people]
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
    config = dataclasses.replace(base, people=tuple(team))
    _, finals = load_source(team_today(config))
    new_git_repo(path)
    repo = StoresRepo(path.resolve())
    keys = repo.git_dir / KEYS_DIR
    _keep_keys(keys, identities)
    writer = _Writer(config)
    first = min(datetime.combine(p.start, time(9), tzinfo=timezone.utc) for p in finals) - timedelta(days=2)
    writer.commits.append(_Commit(config.person(team[0].name), first,
                                  commit_message(f"init stores repo for {config.team}", "init"), initial_files(config)))
    # the projects closed last come last, so that the newest commits close one (as `diff HEAD~3..` shows)
    for final in sorted(finals, key=lambda p: (p.archived is not None, p.archived.at if p.archived else p.start)):
        _play(writer, final, now)
    writer.write(repo.root)
    return Example(projects=len(finals), keys=keys, you=you, own_key=own_key is not None)


def _keep_keys(folder: Path, identities: dict) -> None:
    folder.mkdir(mode=0o700, exist_ok=True)
    for name, identity in identities.items():
        public = identity.to_public()
        atomic_write_bytes(folder / f"{name}.txt", f"# demo key of {name}\n# public key: {public}\n{identity}\n"
                           .encode("ascii"), mode=0o600)
