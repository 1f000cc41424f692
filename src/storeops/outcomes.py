"""What the platform answers and how a project ends: reject, link, isolation, archive, reopen.

Each function is one pass down the write path (lock → load → change →
validate → atomic write → one commit) and refuses archived projects.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storeops import gitcmd
from storeops import dates
from storeops.actions import _restoring, _writable, actor, commit_message, save_project, today, validate_project
from storeops.errors import UsageError, did_you_mean
from storeops.model import ACCOUNT_KEYS, ISOLATION_KEYS, OUTCOMES, Archived, Project, Rejection, Task
from storeops.repo import ATTACHMENTS_DIR, StoresRepo, atomic_write_bytes, refuse_links
from storeops.workflow import advance as advance_task
from storeops.workflow import find_task, project_status

EVIDENCE_MAX_BYTES = 25 * 1024 * 1024  # a screenshot or a saved mail; larger files belong elsewhere
REJECTABLE = ("in_progress", "submitted")


@dataclass(frozen=True)
class Rejected:
    project: Project
    task_before: Task
    rejection: Rejection
    warning: str | None = None


# ---- reject ----

def reject(repo: StoresRepo, project_id: str, reason: str, *, task_id: str | None = None,
           message: str | None = None, evidence: Path | None = None, at: str | None = None,
           sensitive: bool | None = None) -> Rejected:
    """Record the platform's rejection and send the rejected task back for rework."""
    when = dates.user_date(at, "--at", repo.config.timezone)  # any year: the future is refused below
    if evidence is not None:
        _check_evidence(evidence)
    with repo.lock():
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        day = today(repo.config)
        when = when or day
        if when > day:
            raise UsageError(f"--at {when.isoformat()} is in the future", hint=f"today is {day.isoformat()}")
        if when < project.start:
            raise UsageError(f"--at {when.isoformat()} is before {project.id} started ({project.start.isoformat()})")
        _check_reason(repo, project, reason)
        task = find_task(project, task_id) if task_id else default_rejected_task(project)
        changed, old, _new = advance_task(project, task.id, "rejected", who.name, day)
        rel = repo.rel(repo.project_path(project.id))
        kept, data, warning = (prepare_evidence(repo, changed, task, evidence, when, sensitive)
                               if evidence is not None else (None, b"", None))
        rejection = Rejection(at=when, task=task.id, reason=reason, message=message or None, evidence=kept)
        changed = dataclasses.replace(changed, rejections=changed.rejections + (rejection,))
        validate_project(changed, rel)
        refuse_links(repo.root, [rel])
        paths = [rel] + ([kept] if kept else [])
        # the evidence is written inside the transaction: a crash before the commit takes it away again
        with _restoring(repo, paths):
            if kept:
                (repo.root / kept).parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(repo.root / kept, data)
            repo.write_project(changed)
            subject = f"reject {project.id}: {task.id} {old.state} → rejected ({reason})"
            gitcmd.commit_paths(repo.root, paths, commit_message(subject, "reject", project.id, body=_quote(message)))
        return Rejected(changed, old, rejection, warning)


def default_rejected_task(project: Project) -> Task:
    """The platform review step that is waiting for an answer: external and submitted or in progress."""
    waiting = [t for t in project.tasks if t.external and t.state in REJECTABLE]
    if len(waiting) == 1:
        return waiting[0]
    if waiting:
        raise UsageError(f"{project.id} has several review steps waiting: {', '.join(t.id for t in waiting)}",
                         hint="pass --task TASK for the one the platform rejected")
    reviews = [t.id for t in project.tasks if t.external]
    raise UsageError(f"no platform review step of {project.id} is submitted or in progress"
                     + (f" ({', '.join(reviews)})" if reviews else ""),
                     hint="pass --task TASK for the step the platform rejected")


def rejection_codes(repo: StoresRepo, project: Project) -> list[str]:
    """The SOP's reason codes, and `other`, which is always allowed."""
    from storeops.sop import load_library

    sop = load_library(repo.root).get(project.sop_id)
    codes = sop.rejection_codes() if sop else []
    return codes + ([] if "other" in codes else ["other"])


def _check_reason(repo: StoresRepo, project: Project, reason: str) -> None:
    codes = rejection_codes(repo, project)
    if reason not in codes:
        raise UsageError(f"--reason {reason!r} is not a rejection reason of {project.sop_id}",
                         hint=did_you_mean(reason, codes) or "reasons: " + ", ".join(codes))


def _check_evidence(path: Path) -> None:
    if not path.is_file():
        raise UsageError(f"--evidence {path}: no such file")
    size = path.stat().st_size
    if size > EVIDENCE_MAX_BYTES:
        raise UsageError(f"--evidence {path}: {size // (1024 * 1024)} MiB is too large (limit 25 MiB)",
                         hint="keep a screenshot or the saved mail, not a whole export")


def _quote(message: str | None) -> str | None:
    if not message:
        return None
    return "Platform's message:\n" + "\n".join(f"> {line}" for line in message.splitlines())


def evidence_name(repo: StoresRepo, project_id: str, source: Path, when: date) -> str:
    """attachments/<project>/rejection-<date>[-n].<ext>, a name not yet taken."""
    suffix = "".join(ch for ch in source.suffix.lower() if ch.isalnum())[:10]
    folder = f"{ATTACHMENTS_DIR}/{project_id}"
    for n in range(1, 1000):
        stem = f"rejection-{when.isoformat()}" + (f"-{n}" if n > 1 else "")
        rel = f"{folder}/{stem}" + (f".{suffix}" if suffix else "")
        if not (repo.root / rel).exists() and not (repo.root / f"{rel}.age").exists():
            return rel
    raise UsageError(f"too many rejection files for {when.isoformat()} in {folder}")


def prepare_evidence(repo: StoresRepo, project: Project, task: Task, source: Path, when: date,
                     sensitive: bool | None) -> tuple[str, bytes, str | None]:
    """What keeping `source` as evidence writes: (path recorded in the rejection, its bytes, warning).

    The one place where evidence bytes are made for the work tree. Notices and
    screenshots often show the legal representative's data, so evidence is
    encrypted to the rejected task's readers whenever one of them has a key;
    `sensitive=False` keeps it plain, `sensitive=True` insists on encryption.
    """
    from storeops import vault

    rel = evidence_name(repo, project.id, source, when)
    refuse_links(repo.root, [rel, rel + ".age"])
    warning = None
    if sensitive is not False:
        try:
            keys = vault.recipients_for(repo.config, vault.default_readers(project, task), project.owner,
                                        f"the evidence for {project.id}").keys
        except UsageError:
            if sensitive:
                raise
            keys = ()
            warning = ("evidence stored unencrypted: none of its readers has an age key "
                       "(add keys with `storeops person key`)")
        if keys:
            return rel + ".age", vault.encrypt(source.read_bytes(), keys), None
    return rel, source.read_bytes(), warning


# ---- account and isolation ----

def link(repo: StoresRepo, project_id: str, **values) -> tuple[Project, dict]:
    """Set the platform account fields (seller_id, login_email, store_url, payout_bound).

    Text values of "" clear a field. Returns the project and {field: (old, new)}.
    """
    wanted = {k: v for k, v in values.items() if v is not None}
    unknown = set(wanted) - set(ACCOUNT_KEYS)
    if unknown:
        raise UsageError(f"unknown account field(s): {', '.join(sorted(unknown))}")
    for key, value in wanted.items():
        if key != "payout_bound":
            wanted[key] = _account_value(key, value)
    return _set_fields(repo, project_id, "account", wanted, "link", "pass --seller-id, --login-email, "
                       "--store-url or --payout-bound/--no-payout-bound")


def set_isolation(repo: StoresRepo, project_id: str, **values) -> tuple[Project, dict]:
    """Set what keeps this store apart (network, device, phone, payout_account); "" clears."""
    wanted = {k: _plain_value(k, v) for k, v in values.items() if v is not None}
    unknown = set(wanted) - set(ISOLATION_KEYS)
    if unknown:
        raise UsageError(f"unknown isolation field(s): {', '.join(sorted(unknown))}")
    return _set_fields(repo, project_id, "isolation", wanted, "isolation",
                       "pass --network, --device, --phone or --payout-account")


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


def _plain_value(key: str, value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > 200 or any(not ch.isprintable() for ch in value):
        raise UsageError(f"{_option(key)}: {value[:40]!r} is not a plain one-line value (at most 200 characters)")
    return value


def _account_value(key: str, value: str) -> str | None:
    value = _plain_value(key, value)
    if value is None:
        return None
    if any(ch.isspace() for ch in value):
        raise UsageError(f"{_option(key)}: {value!r} contains spaces")
    if key == "login_email" and (value.count("@") != 1 or value.startswith("@") or value.endswith("@")):
        raise UsageError(f"--login-email: {value!r} is not an email address")
    if key == "store_url" and not value.lower().startswith(("https://", "http://")):
        raise UsageError(f"--store-url: {value!r} is not a web address", hint="start it with https://")
    return value


def _set_fields(repo: StoresRepo, project_id: str, section: str, wanted: dict, action: str,
                nothing_hint: str) -> tuple[Project, dict]:
    if not wanted:
        raise UsageError("nothing to change", hint=nothing_hint)
    with repo.lock():
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        current = getattr(project, section)
        changes = {k: (current.get(k), v) for k, v in wanted.items() if current.get(k) != v}
        if not changes:
            raise UsageError(f"{project.id}: {section} already says that")
        changed = dataclasses.replace(project, **{section: {**current, **wanted}})
        parts = ", ".join(f"{k} {shown_value(old)} → {shown_value(new)}" for k, (old, new) in changes.items())
        save_project(repo, changed, f"{action} {project.id}: {parts}", action, who)
        return changed, changes


def shown_value(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# ---- archive and reopen ----

def archive(repo: StoresRepo, project_id: str, outcome: str, reason: str) -> tuple[Project, list[str]]:
    """Close a project (opened, abandoned or failed); it becomes read-only. Returns warnings."""
    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome {outcome!r} is not an outcome", hint="one of " + ", ".join(OUTCOMES))
    if not reason.strip():
        raise UsageError("--reason must say why the project ends", hint='e.g. --reason "store live, payout bound"')
    with repo.lock():
        project = repo.load_project(project_id)
        if project.archived is not None:
            raise UsageError(f"{project.id} is already archived ({project.archived.outcome} on "
                             f"{project.archived.at.isoformat()})", hint=f"storeops reopen {project.id} first")
        who = actor(repo)
        warnings = []
        if outcome == "opened" and project_status(project) != "approved":
            warnings.append(f"{project.id} is archived as opened but its status is {project_status(project)}")
        if outcome == "opened" and not project.account.get("payout_bound"):
            warnings.append(f"{project.id} is archived as opened but its payout is not bound")
        closed = dataclasses.replace(project, archived=Archived(at=today(repo.config), outcome=outcome, reason=reason))
        save_project(repo, closed, f"archive {project.id}: {outcome}", "archive", who)
        return closed, warnings


def reopen(repo: StoresRepo, project_id: str) -> Archived:
    """Make an archived project writable again; returns what the archive said."""
    with repo.lock():
        project = repo.load_project(project_id)
        if project.archived is None:
            raise UsageError(f"{project.id} is not archived")
        who = actor(repo)
        save_project(repo, dataclasses.replace(project, archived=None),
                     f"reopen {project.id}: was {project.archived.outcome}", "reopen", who)
        return project.archived
