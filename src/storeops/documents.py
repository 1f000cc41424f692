"""Attaching and opening a project's documents.

A sensitive file is read into memory, encrypted there, and only the
ciphertext is written under attachments/<project>/: the plaintext never
touches the work tree, so it can never reach a git object.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from storeops import dates, gitcmd, vault
from storeops.actions import _restoring, _writable, actor, commit_message, validate_project
from storeops.errors import DataError, UsageError, did_you_mean
from storeops.model import EARLIEST_ISSUED_YEAR, Document, Project, Task
from storeops.repo import ATTACHMENTS_DIR, StoresRepo, atomic_write_bytes, check_id, refuse_links

_SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,10}\Z")


@dataclass(frozen=True)
class Attached:
    project: Project
    task: Task
    doc: Document
    added: bool                    # a document the project did not list yet
    replaced: str | None           # the previous file, when there was one
    encrypted_to: tuple[str, ...]  # people who can decrypt it
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Opened:
    doc: Document
    data: bytes
    name: str                      # a file name for the plaintext (no .age)
    warnings: tuple[str, ...]


def find_document(project: Project, doc_id: str | None, task_id: str | None) -> tuple[Task, Document | None]:
    """(task, document); the document is None when `doc_id` is new to the task."""
    from storeops.workflow import find_task

    if task_id is not None:
        task = find_task(project, task_id)
        if doc_id is None:
            if len(task.documents) == 1:
                return task, task.documents[0]
            listed = ", ".join(d.id for d in task.documents) or "none yet"
            raise UsageError(f"which document of {task.id}? pass --doc", hint=f"its documents: {listed}")
        return task, task.document(doc_id)
    if doc_id is None:
        raise UsageError("which document? pass --doc DOC_ID (and --task for a new one)",
                         hint="documents: " + ", ".join(_all_doc_ids(project)))
    holders = [t for t in project.tasks if t.document(doc_id)]
    if not holders:
        raise UsageError(f"{project.id} has no document {doc_id!r}",
                         hint=did_you_mean(doc_id, _all_doc_ids(project)) or "pass --task T to add it to a task")
    if len(holders) > 1:
        raise UsageError(f"{doc_id!r} is a document of several tasks", hint="pass --task: "
                         + ", ".join(t.id for t in holders))
    return holders[0], holders[0].document(doc_id)


def _all_doc_ids(project: Project) -> list[str]:
    return [d.id for t in project.tasks for d in t.documents]


def _read_source(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{source} is a folder; attach one file at a time") from None
    except OSError as error:
        raise UsageError(f"{source}: cannot read ({error.strerror})") from None


def stored_path(project: Project, task: Task, doc_id: str, source_name: str, encrypted: bool) -> str:
    suffix = Path(source_name).suffix.lower()
    ending = (suffix if _SUFFIX_RE.match(suffix) else "") + (vault.SUFFIX if encrypted else "")
    taken = {d.file for t in project.tasks for d in t.documents if not (t.id == task.id and d.id == doc_id)}
    rel = f"{ATTACHMENTS_DIR}/{project.id}/{doc_id}{ending}"
    if rel in taken:  # the same document id in two tasks
        rel = f"{ATTACHMENTS_DIR}/{project.id}/{task.id}-{doc_id}{ending}"
    return rel


def tracked(repo: StoresRepo, rel: str) -> bool:
    return gitcmd.run(repo.root, "ls-files", "--error-unmatch", "--", rel, check=False).returncode == 0


def commit_changes(repo: StoresRepo, projects: list[Project], files: dict[str, bytes | None],
                   subject: str, action: str, project_id: str | None = None, body: str | None = None) -> str:
    """Write files (None = delete) and projects, then one commit of exactly those paths."""
    sources = [repo.rel(repo.project_path(p.id)) for p in projects]
    for project, source in zip(projects, sources):
        validate_project(project, source)
    paths = sources + [rel for rel, data in files.items() if data is not None or tracked(repo, rel)]
    refuse_links(repo.root, sources + list(files))
    with _restoring(repo, sources + list(files)):
        for rel, data in files.items():
            if data is None:
                (repo.root / rel).unlink(missing_ok=True)
            else:
                atomic_write_bytes(repo.root / rel, data)
        for project in projects:
            repo.write_project(project)
        return gitcmd.commit_paths(repo.root, paths, commit_message(subject, action, project_id, body))


def attach(repo: StoresRepo, project_id: str, source: Path, *, task_id: str | None = None,
           doc_id: str | None = None, issued: str | None = None, sensitive: bool | None = None,
           readers: str | None = None) -> Attached:
    """Record `source` as a document of the project; sensitive ones are stored encrypted."""
    issued_date = dates.user_date(issued, "--issued", repo.config.timezone, earliest=EARLIEST_ISSUED_YEAR)
    if doc_id is not None:
        check_id(doc_id, "document id")
    data = _read_source(source)
    source_name = source.name
    with repo.lock():
        config = repo.config
        day = dates.today(config.timezone)
        if issued_date is not None and issued_date > day:
            raise UsageError(f"--issued {issued_date.isoformat()} is in the future", hint=f"today is {day.isoformat()}")
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        task, doc = find_document(project, doc_id, task_id)
        added = doc is None
        if doc is None:
            doc = Document(id=doc_id, sensitive=sensitive is not False)
        if sensitive is False and doc.sensitive and not added:
            raise UsageError(f"{doc.id} is marked sensitive; it is always stored encrypted",
                             hint="drop --plain")
        encrypted = doc.sensitive or bool(sensitive)
        warnings: list[str] = []
        if vault.is_age(data):
            if not encrypted:
                raise UsageError(f"{source} is age-encrypted; a plain document must be the file itself",
                                 hint="decrypt it first, or attach it as --sensitive")
            # re-encrypted below to the document's readers; the plaintext stays in memory
            data = vault.decrypt(data, vault.Keyring().identities, str(source))
            source_name = source_name.removesuffix(vault.SUFFIX)
        elif encrypted and _inside(source, repo.root):
            warnings.append(f"{source} is plaintext inside the stores repo: delete it (it was not committed)")
        digest = vault.sha256(data)
        chosen = vault.parse_readers(config, readers)
        names = chosen or vault.known_readers(config, doc.readers) or vault.default_readers(project, task)
        encrypted_to: tuple[str, ...] = ()
        if encrypted:
            recipients = vault.recipients_for(config, names, project.owner, f"{project.id}/{doc.id}")
            payload = vault.encrypt(data, recipients.keys)
            encrypted_to = recipients.people
            if recipients.keyless:
                warnings.append(f"{', '.join(recipients.keyless)} cannot open it until they have a key "
                                "(`storeops person key`) and someone runs `storeops rekey`")
            if who.person is None or who.person.name not in recipients.people:
                warnings.append("you are not among its readers: you will not be able to open it")
        else:
            payload = data
        keep_issued = doc.issued if doc.sha256 == digest else None
        changed = dataclasses.replace(
            doc, sensitive=encrypted, file=stored_path(project, task, doc.id, source_name, encrypted),
            issued=issued_date or keep_issued, sha256=digest, readers=names if encrypted else ())
        expires = changed.expires()
        if issued_date is not None and expires is not None and expires < day:
            warnings.append(f"{doc.id} issued {issued_date.isoformat()} expired on {expires.isoformat()} "
                            f"(valid {changed.valid_days} days): get a fresh one before submitting")
        if changed.valid_days and changed.issued is None:
            warnings.append(f"{doc.id} is valid {doc.valid_days} days from issue: pass --issued DATE "
                            "so storeops can tell when it expires")
        documents = task.documents + (changed,) if added else tuple(
            changed if d.id == doc.id else d for d in task.documents)
        new_task = dataclasses.replace(task, documents=documents)
        new_project = project.with_task(new_task)
        files: dict[str, bytes | None] = {changed.file: payload}
        replaced = doc.file
        if replaced and replaced != changed.file:
            files[replaced] = None
        verb = "replace" if replaced else "attach"
        commit_changes(repo, [new_project], files, f"{verb} {project.id}: {task.id}/{doc.id}"
                       + (" (encrypted)" if encrypted else ""), "attach", project.id)
        return Attached(new_project, new_task, changed, added, replaced, encrypted_to, tuple(warnings))


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def open_document(repo: StoresRepo, project_id: str, doc_id: str, task_id: str | None = None,
                  keyring: vault.Keyring | None = None) -> Opened:
    """The plaintext of a document, for one of its readers."""
    project = repo.load_project(project_id)
    task, doc = find_document(project, doc_id, task_id)
    if doc is None:
        raise UsageError(f"{task.id} has no document {doc_id!r}",
                         hint=did_you_mean(doc_id, [d.id for d in task.documents]))
    if not doc.file:
        raise UsageError(f"nothing is attached for {project.id}/{doc.id} yet",
                         hint=f"storeops attach {project.id} FILE --doc {doc.id}")
    path = repo.root / doc.file
    refuse_links(repo.root, [doc.file])
    try:
        data = path.read_bytes()
    except OSError:
        raise DataError(doc.file, "the attached file is missing from the work tree",
                        hint="restore it with `git checkout -- " + doc.file + "`") from None
    name = Path(doc.file).name.removesuffix(vault.SUFFIX)
    warnings = []
    if doc.file.endswith(vault.SUFFIX) or vault.is_age(data):
        who = actor(repo)
        names = vault.document_readers(project, task, doc)
        vault.require_reader(repo.config, who.person, who.name, names, project.owner, f"{project.id}/{doc.id}")
        data = vault.decrypt(data, (keyring or vault.Keyring()).identities, doc.file)
    if doc.sha256 and vault.sha256(data) != doc.sha256:
        warnings.append(f"{doc.file} does not match its recorded sha256: it changed outside storeops")
    return Opened(doc, data, name, tuple(warnings))
