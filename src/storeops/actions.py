"""Commands that change data, each one pass down the write path.

lock → load → change → validate → atomic write → one git commit of its own
paths. If the commit fails, the files are put back: nothing half done.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storeops import dates, gitcmd, loading, yamlio
from storeops.gitcmd import commit_message  # noqa: F401 (re-exported: writers import it from here)
from storeops.config import Config, Person
from storeops.errors import DataError, StoreopsError, UsageError, did_you_mean
from storeops.model import EARLIEST_YEAR, PERSON_RE, ROLES, Approval, FieldError, Project
from storeops.repo import (CONFIG_FILE, WRITE_ERRORS, StoresRepo, atomic_write, atomic_write_bytes, check_id,
                           config_text, refuse_links, write_refused)
from storeops.workflow import advance as advance_task
from storeops.workflow import find_task


@dataclass(frozen=True)
class Actor:
    name: str           # person name when known, else the git author name
    email: str
    person: Person | None


def actor(repo: StoresRepo) -> Actor:
    ident = gitcmd.identity(repo.root)
    person = repo.config.person_by_email(ident.email)
    return Actor(name=person.name if person else ident.name, email=ident.email, person=person)


def today(config: Config) -> date:
    return dates.today(config.timezone)




@contextlib.contextmanager
def _restoring(repo: StoresRepo, paths: list[str], made: tuple[str, ...] = ()):
    """The write of `paths` as a transaction: finished, or put back as it was (journal.py).

    Refuses up front when a path has edits the command did not make (`made`: files the
    command itself already wrote). Records the journal, lets the caller write and commit,
    then removes the journal. If anything below fails (commit refused, Ctrl-C), the files
    are put back, or, if HEAD did move, the index and files are brought up to HEAD. If a
    file cannot be put back (the disk that refused the commit is full), the error says so
    and the journal stays: the next storeops command finishes the undo.
    """
    from storeops import journal

    try:
        tx = journal.begin(repo.root, repo.git_dir, paths, made)
    except OSError as failure:
        if failure.errno in WRITE_ERRORS:
            raise write_refused(repo.root / paths[0], failure) from None  # its journal could not be written
        raise
    saved = {p: (repo.root / p).read_bytes() if (repo.root / p).exists() and p not in made else None for p in paths}
    try:
        yield
    except BaseException as error:
        try:
            head = journal.current_head(repo.root)
        except StoreopsError:
            head = tx.old
        if head is not None and head != tx.old:
            # HEAD holds the change: never "nothing was changed"; bring the index and files up to HEAD
            try:
                journal.recover(repo.root, repo.git_dir, wait=0, clear_locks=False)
                note = f"the change was committed ({head[:12]}); the index and files now match it"
            except (OSError, StoreopsError):
                note = f"the change was committed ({head[:12]}); the next storeops command brings the index up to it"
            if isinstance(error, StoreopsError):
                error.hint = note
            raise
        stuck = []
        for rel, content in saved.items():
            target = repo.root / rel
            try:
                if content is None:
                    target.unlink(missing_ok=True)
                elif not target.exists() or target.read_bytes() != content:
                    atomic_write_bytes(target, content)
            except (OSError, StoreopsError) as failure:
                stuck.append((rel, getattr(failure, "reason", None) or getattr(failure, "strerror", None) or failure))
        if not stuck:
            with contextlib.suppress(OSError, StoreopsError):
                journal.recover(repo.root, repo.git_dir, wait=0, clear_locks=False)  # index entries to HEAD's
            journal.end(tx)
        if stuck and isinstance(error, StoreopsError):
            error.hint = "; ".join(
                f"{rel} could not be put back ({reason}): it holds the change, not committed; once the problem "
                f"is fixed, commit it with git or run `git checkout -- {rel}`" for rel, reason in stuck)
        elif isinstance(error, StoreopsError) and error.hint is None:
            error.hint = "the files were put back: nothing was changed"
        raise
    else:
        journal.end(tx)


def validate_project(project: Project, source: str) -> None:
    """Schema check of what we are about to write (a bug guard as much as an input check)."""
    from storeops import schema

    data = project.to_dict()
    for name in ("project", f"platforms/{project.platform}"):
        for path, message in schema.errors(name, data):
            raise DataError(source, message, field=FieldError(path, message).dotted or None,
                            hint="nothing was written")


def save_project(repo: StoresRepo, project: Project, subject: str, action: str, who: Actor) -> str:
    rel = repo.rel(repo.project_path(project.id))
    validate_project(project, rel)
    refuse_links(repo.root, [rel])
    with _restoring(repo, [rel]):
        repo.write_project(project)
        return gitcmd.commit_paths(repo.root, [rel], commit_message(subject, action, project.id))


def save_config(repo: StoresRepo, config: Config, subject: str, action: str) -> str:
    refuse_links(repo.root, [CONFIG_FILE])
    with _restoring(repo, [CONFIG_FILE]):
        atomic_write(repo.root / CONFIG_FILE, config_text(config))
        return gitcmd.commit_paths(repo.root, [CONFIG_FILE], commit_message(subject, action))


def _writable(project: Project) -> None:
    if project.archived is not None:
        raise UsageError(f"{project.id} is archived and read-only", hint=f"storeops reopen {project.id} first")


def require_person(config: Config, name: str) -> Person:
    person = config.person(name)
    if person is None:
        names = [p.name for p in config.people]
        raise UsageError(f"unknown person {name!r}",
                         hint=did_you_mean(name, names) or "add them with `storeops person add`")
    return person


# ---- projects and tasks ----

def new_project(repo: StoresRepo, sop_id: str, *, store: str, owner: str, project_id: str | None,
                site: str | None, start: str | None, target: str | None, category: str | None,
                entity: str | None) -> tuple[Project, list[str]]:
    """Create projects/<id>.yaml from an SOP; returns the project and warnings."""
    from storeops.sop import check_category, get_sop, load_library

    timezone = repo.config.timezone
    start_date = dates.user_date(start, "--start", timezone, earliest=EARLIEST_YEAR)
    target_date = dates.user_date(target, "--target", timezone, earliest=EARLIEST_YEAR)
    if category is not None:
        check_id(category, "category (like home-kitchen)")
    with repo.lock():
        config = repo.config
        who = actor(repo)
        require_person(config, owner)
        library = load_library(repo.root)
        sop = get_sop(library, sop_id)
        if category is not None:
            check_category(category, library, config.categories)
        site = site or sop.sites[0]
        if site not in sop.sites:
            raise UsageError(f"--site {site!r} is not a site of {sop.id}", hint="sites: " + ", ".join(sop.sites))
        if not store.strip():
            raise UsageError("--store must not be empty")
        project_id = check_id(_slug(f"{store}-{sop.platform}-{site}") if project_id is None else project_id)
        if repo.project_path(project_id).exists():
            raise UsageError(f"project {project_id!r} already exists", hint="choose another --id")
        project = sop_instantiate(sop, project_id, store, owner, site, start_date or today(config),
                                  target_date, category, entity, config)
        warnings = []
        if target_date and target_date < project.start:
            raise UsageError(f"--target {target_date.isoformat()} is before the start {project.start.isoformat()}")
        for role, gated in _gates_without_holders(project, config).items():
            warnings.append(f"nobody on the team holds the {role} role, which must approve {', '.join(gated)} "
                            f"(storeops person add NAME --email E --role {role})")
        last_due = max((t.due for t in project.tasks if t.due), default=None)
        if target_date and last_due and last_due > target_date:
            warnings.append(f"the plan ends {last_due.isoformat()}, after the target {target_date.isoformat()}")
        save_project(repo, project, f"new {project.id}: {sop.pin} for {store}", "new", who)
        return project, warnings


def _gates_without_holders(project: Project, config: Config) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for task in project.tasks:
        role = task.requires_approval
        if role and not any(p.name != task.assignee for p in config.holders(role)):
            missing.setdefault(role, []).append(task.id)
    return missing


def sop_instantiate(sop, project_id, store, owner, site, start, target, category, entity, config):
    from storeops.sop import instantiate

    return instantiate(sop, project_id=project_id, store=store, owner=owner, site=site, start=start,
                       target=target, category=category, entity=entity, config=config)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def _romanized(text: str) -> str:
    """Chinese characters as pinyin words: "ACME 极客厨房" -> "ACME jike chufang".

    pypinyin knows the readings but segments only its phrase list, so runs of
    single characters are grouped two by two (most Chinese words are two
    characters; an odd run's first word takes three: 深圳市 -> shenzhenshi).
    """
    import re

    if not re.search(f"[{_HAN}]", text):
        return text
    from pypinyin import Style, lazy_pinyin
    from pypinyin.seg.mmseg import seg

    def words(run: str) -> list[str]:
        out: list[str] = []
        singles: list[str] = []

        def flush() -> None:
            first = 3 if len(singles) % 2 and len(singles) > 1 else 2
            chunks = [singles[:first]] + [singles[i:i + 2] for i in range(first, len(singles), 2)]
            out.extend("".join(c) for c in chunks if c)
            singles.clear()

        for word in seg.cut(run):
            if len(word) == 1:
                singles.append(word)
            else:
                flush()
                out.append(word)
        flush()
        return ["".join(lazy_pinyin(w, style=Style.NORMAL)) for w in out]

    return re.sub(f"[{_HAN}]+", lambda m: " " + " ".join(words(m.group())) + " ", text)


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", _romanized(text)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = re.sub(r"-+", "-", slug)[:60].strip("-")
    if not slug or not slug[0].isalnum():
        raise UsageError(f"cannot make an id from {text!r}", hint="pass --id")
    return slug


def advance(repo: StoresRepo, project_id: str, task_id: str, to: str | None, note: str | None):
    with repo.lock():
        project = repo.load_project(project_id)
        who = actor(repo)
        changed, old, new = advance_task(project, task_id, to, who.name, today(repo.config), note)
        save_project(repo, changed, f"advance {project.id}: {task_id} {old.state} → {new.state}", "advance", who)
        return old, new


def assign(repo: StoresRepo, project_id: str, task_id: str, person: str):
    with repo.lock():
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        require_person(repo.config, person)
        task = find_task(project, task_id)
        if task.assignee == person:
            raise UsageError(f"{task_id} is already assigned to {person}")
        changed = project.with_task(dataclasses.replace(task, assignee=person))
        save_project(repo, changed, f"assign {project.id}: {task_id} {task.assignee or 'nobody'} → {person}", "assign", who)
        return task.assignee


def schedule(repo: StoresRepo, project_id: str, task_id: str, due: str | None, appointment: str | None):
    if due is None and appointment is None:
        raise UsageError("nothing to change", hint="pass --due DATE and/or --appointment DATETIME")
    due_date = dates.user_date(due, "--due", repo.config.timezone, earliest=EARLIEST_YEAR)
    moment = None
    if appointment is not None:
        moment = dates.user_datetime(appointment, "--appointment", repo.config.timezone)
    with repo.lock():
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        task = find_task(project, task_id)
        changes: dict = {}
        parts = []
        if due_date is not None:
            changes["due"] = due_date
            parts.append(f"due {task.due.isoformat() if task.due else 'none'} → {due_date.isoformat()}")
        if moment is not None:
            if not task.booking:
                raise UsageError(f"{task_id} is not an appointment task",
                                 hint="only tasks like video-verification take --appointment")
            changes["appointment"] = moment
            if due_date is None:
                changes["due"] = moment.date()
            parts.append(f"appointment {moment.isoformat()}")
        if all(getattr(task, name) == value for name, value in changes.items()):
            raise UsageError(f"{task_id} is already scheduled like that", hint="nothing to change")
        changed = project.with_task(dataclasses.replace(task, **changes))
        save_project(repo, changed, f"schedule {project.id}: {task_id} " + ", ".join(parts), "schedule", who)
        return changed.task(task_id)


def approve(repo: StoresRepo, project_id: str, task_id: str, note: str | None) -> Approval:
    """Record the actor's approval on a gated task (cross-review: never the assignee's own)."""
    with repo.lock():
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        task = find_task(project, task_id)
        role = task.requires_approval
        if role is None:
            raise UsageError(f"{task_id} has no approval gate", hint="only tasks with requires_approval take approvals")
        if who.person is None:
            raise UsageError(f"{who.email} is not on the team, so it cannot approve",
                             hint="an admin adds you with `storeops person add NAME --email EMAIL --role ROLE`")
        if role not in who.person.roles:
            holders = ", ".join(p.name for p in repo.config.holders(role)) or "nobody yet"
            raise UsageError(f"{who.name} does not hold the {role} role that {task_id} needs",
                             hint=f"ask someone with {role}: {holders}")
        if task.assignee == who.name:
            raise UsageError(f"{who.name} is the assignee of {task_id} and cannot approve their own work",
                             hint=f"ask another person with the {role} role (cross-review)")
        if task.state != "submitted":
            raise UsageError(f"{task_id} is {task.state}; approvals are given to submitted work",
                             hint=f"the assignee runs `storeops advance {project.id} {task_id} --to submitted` first")
        if any(a.by == who.name and a.role == role for a in task.approvals):
            raise UsageError(f"{who.name} already approved {task_id}")
        approval = Approval(by=who.name, role=role, at=today(repo.config), note=note or None)
        changed = project.with_task(dataclasses.replace(task, approvals=task.approvals + (approval,)))
        save_project(repo, changed, f"approve {project.id}: {task_id} ({role})", "approve", who)
        return approval


# ---- formatting ----

def fmt(repo: StoresRepo, check_only: bool) -> tuple[list[str], list]:
    """Rewrite project files into canonical form; returns the files that were (or would be) changed, and
    the problems.Problem of each file left alone because it does not load (it is fixed by hand first)."""
    from storeops.problems import Problem
    from storeops.repo import project_text

    with (contextlib.nullcontext() if check_only else repo.lock()):
        changed: dict[str, str] = {}
        problems = []
        for pid in repo.project_ids():
            try:
                project, text, source = repo.load_project_and_text(pid)
            except DataError as error:
                problems.append(Problem.from_error(error, repo.rel(repo.project_path(pid))))
                continue
            canonical = project_text(project)
            if canonical != text:
                changed[source] = canonical
        if changed and not check_only:
            from storeops import journal

            who = actor(repo)
            refuse_links(repo.root, list(changed))
            # a file with uncommitted edits (yours) is rewritten in place and left for you to commit:
            # storeops commits only changes it made itself
            edited = set(journal.dirty_paths(repo.root, journal.current_head(repo.root), list(changed)))
            for source in sorted(edited):
                atomic_write(repo.root / source, changed[source])
            clean = [source for source in changed if source not in edited]
            if clean:
                with _restoring(repo, clean):
                    for source in clean:
                        atomic_write(repo.root / source, changed[source])
                    gitcmd.commit_paths(repo.root, clean, commit_message(
                        f"fmt: canonical form for {len(clean)} project file(s)", "fmt",
                        body=f"Rewritten by {who.name}."))
        return list(changed), problems


# ---- people ----

def add_person(repo: StoresRepo, name: str, email: str, roles: list[str], key: str | None = None) -> Person:
    """Add someone; `key` is their age recipient or SSH public key (checked before anything is written)."""
    if key is not None:
        from storeops.vault import normalize_key

        key = normalize_key(key)
    if not PERSON_RE.match(name):
        raise UsageError(f"{name!r} is not a valid person name", hint="letters, digits, '.', '_' and '-'")
    if "@" not in email or any(c.isspace() for c in email):
        raise UsageError(f"--email {email!r} is not an email address")
    for role in roles:
        if role not in ROLES:
            raise UsageError(f"--role {role!r} is not a role", hint="roles: " + ", ".join(ROLES))
    with repo.lock():
        config = repo.config
        actor(repo)
        if config.person(name):
            raise UsageError(f"{name} is already on the team")
        if config.person_by_email(email):
            raise UsageError(f"{email} already belongs to {config.person_by_email(email).name}")
        _key_unused(config, key, name)
        person = Person(name=name, email=email, roles=tuple(dict.fromkeys(roles)), age=key)
        save_config(repo, config.with_people([*config.people, person]),
                    f"person add {name}" + (f" ({', '.join(person.roles)})" if person.roles else ""), "person-add")
        return person


def set_person_key(repo: StoresRepo, name: str | None, key: str) -> tuple[Person, str | None]:
    """Set or replace someone's public key (yours without a name); returns the person and their previous key."""
    from storeops.vault import key_kind, normalize_key

    key = normalize_key(key)
    with repo.lock():
        config = repo.config
        who = actor(repo)
        if name is None:
            if who.person is None:
                raise UsageError(f"you ({who.email}) are not on the team in storeops.yaml",
                                 hint="name the person: storeops person key NAME ...")
            name = who.person.name
        person = require_person(config, name)
        if person.age == key:
            raise UsageError(f"{name} already has this key")
        _key_unused(config, key, name)
        changed = dataclasses.replace(person, age=key)
        save_config(repo, config.with_people([changed if p.name == name else p for p in config.people]),
                    f"person key {name}: {'replace' if person.age else 'set'} {key_kind(key)} key", "person-key")
        return changed, person.age


def _key_unused(config: Config, key: str | None, name: str) -> None:
    # one key per person: a shared key would make "who can read" a lie
    bare = key.split(" ")[:2] if key else None  # an SSH key's comment does not make it another key
    owner = next((p.name for p in config.people if bare and p.age and p.age.split(" ")[:2] == bare
                  and p.name != name), None)
    if owner:
        raise UsageError(f"this key already belongs to {owner}", hint="each person needs their own key")


def remove_person(repo: StoresRepo, name: str) -> list[str]:
    """Remove someone; refuses while they own projects or hold tasks (reassign first)."""
    with repo.lock():
        config = repo.config
        actor(repo)
        require_person(config, name)
        busy = []
        for project in loading.all_projects(repo):
            if project.archived is not None:
                continue
            if project.owner == name:
                busy.append(f"{project.id} (owner)")
            busy += [f"{project.id}/{t.id}" for t in project.tasks
                     if t.assignee == name and t.state not in ("done", "skipped")]
        if busy:
            raise UsageError(f"{name} still has work: {', '.join(busy[:5])}" + (" ..." if len(busy) > 5 else ""),
                             hint=f"move it with `storeops handover {name} --to PERSON` first")
        admins = [p for p in config.people if "admin" in p.roles and p.name != name]
        if "admin" in config.person(name).roles and not admins:
            raise UsageError(f"{name} is the last admin", hint="give someone else the admin role first")
        save_config(repo, config.with_people([p for p in config.people if p.name != name]),
                    f"person remove {name}", "person-remove")
        return busy


def init_path_check(path: Path) -> None:
    if (path / CONFIG_FILE).exists():
        raise UsageError(f"{path} is already a stores repo ({CONFIG_FILE} exists)",
                         hint="nothing to do; use `storeops check` to verify it")


def install_schemas(repo: StoresRepo) -> list[str]:
    """Refresh .storeops/schemas/ from the installed package; one commit if anything changed."""
    from storeops.initrepo import install_schemas as copy_schemas

    with repo.lock():
        who = actor(repo)
        paths = copy_schemas(repo.root)
        changed = [p for p in gitcmd.run(repo.root, "status", "--porcelain", "--", *paths).stdout.splitlines()]
        if not changed:
            return []
        gitcmd.commit_paths(repo.root, paths, commit_message(
            "schema install: refresh .storeops/schemas", "schema-install", body=f"Run by {who.name}."))
        return [line[3:] for line in changed]


def copy_sop(repo: StoresRepo, sop_id: str, new_id: str | None) -> str:
    """Copy an SOP into the team's sop/ folder to customise it; returns the path written."""
    from storeops.sop import get_sop, load_library

    with repo.lock():
        who = actor(repo)
        sop = get_sop(load_library(repo.root), sop_id)
        target_id = check_id(new_id or sop.id, "SOP id")
        rel = f"sop/{target_id}.yaml"
        if (repo.root / rel).exists():
            raise UsageError(f"{rel} already exists", hint="edit it, or pass --as NEW_ID")
        data = dict(sop.data, id=target_id)
        refuse_links(repo.root, [rel])
        with _restoring(repo, [rel]):
            atomic_write(repo.root / rel, yamlio.dumps(data))
            gitcmd.commit_paths(repo.root, [rel], commit_message(
                f"sop copy {sop.pin} → {rel}", "sop-copy", body=f"Copied by {who.name} to customise."))
        return rel
