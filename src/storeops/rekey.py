"""`storeops rekey`: re-encrypt every attachment and secret to its current readers.

Run after people, keys or roles change. Roles are resolved to today's holders
and people who left are dropped from reader lists, so at HEAD only current
readers can decrypt. (Old commits keep their old ciphertext: rotate what a
departed person may have seen.)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from storeops import vault
from storeops.config import Config
from storeops.documents import commit_changes
from storeops.errors import UsageError
from storeops.model import Project
from storeops.repo import StoresRepo


@dataclass(frozen=True)
class Item:
    project_id: str
    label: str                     # "acme-us/bank-statement" or "acme-us secret ein"
    task_id: str | None = None
    doc_id: str | None = None
    secret: str | None = None


@dataclass
class Report:
    rekeyed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)   # (label, people)
    unreadable: list[tuple[str, str]] = field(default_factory=list)            # (label, why)
    warnings: list[str] = field(default_factory=list)
    commit: str | None = None

    @property
    def complete(self) -> bool:
        return not self.unreadable


def items(projects: list[Project]) -> list[Item]:
    found = []
    for project in projects:
        for task in project.tasks:
            for doc in task.documents:
                if doc.file and doc.file.endswith(vault.SUFFIX):
                    found.append(Item(project.id, f"{project.id}/{doc.id}", task_id=task.id, doc_id=doc.id))
        for key in sorted(project.secrets):
            found.append(Item(project.id, f"{project.id} secret {key}", secret=key))
    return found


def _current_readers(config: Config, names: tuple[str, ...], fallback: tuple[str, ...]) -> tuple[str, ...]:
    kept = vault.known_readers(config, names)
    # an emptied list would silently mean "the defaults"; write the defaults out instead
    return kept or fallback


def rekey(repo: StoresRepo, dry_run: bool = False, progress=None,
          keyring: vault.Keyring | None = None) -> Report:
    keyring = keyring or vault.Keyring()
    identities = keyring.identities  # no identity: nothing can be rekeyed, say so before any work
    report = Report()
    with repo.lock():
        config = repo.config
        projects = {p.id: p for p in repo.load_projects()}
        todo = items(list(projects.values()))
        files: dict[str, bytes] = {}
        touched: set[str] = set()
        lines = []
        done_in: set[str] = set()
        secrets = 0
        for item in (progress(todo) if progress else todo):
            project = projects[item.project_id]
            try:
                if item.secret is not None:
                    people = _secret(config, project, item, identities, projects, touched)
                else:
                    people = _document(repo, config, project, item, identities, projects, touched, files, report)
            except (vault.CannotDecrypt, UsageError) as error:
                report.unreadable.append((item.label, error.message))
                continue
            report.rekeyed.append((item.label, people))
            lines.append(f"{item.label} → {', '.join(people)}")
            done_in.add(item.project_id)
            secrets += item.secret is not None
        if dry_run or not report.rekeyed:
            return report
        changed = [projects[pid] for pid in sorted(touched)]
        subject = (f"rekey: {len(report.rekeyed) - secrets} attachment(s), {secrets} secret(s) "
                   f"in {len(done_in)} project(s)")
        report.commit = commit_changes(repo, changed, files, subject, "rekey", body="\n".join(lines))
        return report


def _secret(config, project, item, identities, projects, touched) -> tuple[str, ...]:
    secret = project.secrets[item.secret]
    names = _current_readers(config, tuple(secret.get("readers") or ()), vault.secret_default_readers(project))
    recipients = vault.recipients_for(config, names, item.label)
    value = vault.decrypt(secret["age"].encode("ascii", "replace"), identities, item.label)
    entry = {**secret, "age": vault.encrypt_armored(value, recipients.keys), "readers": list(names)}
    projects[project.id] = dataclasses.replace(project, secrets={**project.secrets, item.secret: entry})
    touched.add(project.id)
    return recipients.people


def _document(repo, config, project, item, identities, projects, touched, files, report) -> tuple[str, ...]:
    task = project.task(item.task_id)
    doc = task.document(item.doc_id)
    names = _current_readers(config, doc.readers, vault.default_readers(project, task))
    recipients = vault.recipients_for(config, names, item.label)
    try:
        data = (repo.root / doc.file).read_bytes()
    except OSError:
        raise vault.CannotDecrypt(f"{doc.file} is missing from the work tree") from None
    plaintext = vault.decrypt(data, identities, doc.file)
    if doc.sha256 and vault.sha256(plaintext) != doc.sha256:
        report.warnings.append(f"{doc.file} does not match its recorded sha256 (re-encrypted as it is)")
    files[doc.file] = vault.encrypt(plaintext, recipients.keys)
    if names != doc.readers:
        changed_task = dataclasses.replace(task, documents=tuple(
            dataclasses.replace(d, readers=names) if d.id == doc.id else d for d in task.documents))
        projects[project.id] = project.with_task(changed_task)
        touched.add(project.id)
    return recipients.people
