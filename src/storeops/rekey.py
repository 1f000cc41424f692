"""`storeops rekey`: re-encrypt every attachment and secret to its current readers.

Run after people, keys or roles change. Roles are resolved to today's holders
and people who left are dropped from reader lists, so at HEAD only current
readers can decrypt. (Old commits keep their old ciphertext: rotate what a
departed person may have seen.)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from storeops import loading, vault
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
    evidence: int | None = None    # index into project.rejections


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
        for i, rejection in enumerate(project.rejections):
            if rejection.evidence and rejection.evidence.endswith(vault.SUFFIX):
                found.append(Item(project.id, f"{project.id} evidence {rejection.at.isoformat()}", evidence=i))
        for key in sorted(project.secrets):
            found.append(Item(project.id, f"{project.id} secret {key}", secret=key))
    return found


def rekey(repo: StoresRepo, dry_run: bool = False, progress=None,
          keyring: vault.Keyring | None = None) -> Report:
    identities = (keyring or vault.Keyring()).identities  # no identity: say so before any work
    with repo.lock():
        work = _Rekey(repo, identities, {p.id: p for p in loading.all_projects(repo)})
        todo = items(list(work.projects.values()))
        for item in (progress(todo) if progress else todo):
            work.run(item)
        report = work.report
        if dry_run or not report.rekeyed:
            return report
        secrets = sum(1 for label, _ in report.rekeyed if label in work.secret_labels)
        subject = (f"rekey: {len(report.rekeyed) - secrets} attachment(s), {secrets} secret(s) "
                   f"in {len(work.done_in)} project(s)")
        body = "\n".join(f"{label} → {', '.join(people)}" for label, people in report.rekeyed)
        report.commit = commit_changes(repo, [work.projects[pid] for pid in sorted(work.touched)], work.files,
                                       subject, "rekey", body=body)
        return report


class _Rekey:
    """One pass over the items: new ciphertext in `files`, changed projects in `projects`."""

    def __init__(self, repo: StoresRepo, identities: list, projects: dict[str, Project]):
        self.repo, self.config, self.identities, self.projects = repo, repo.config, identities, projects
        self.files: dict[str, bytes] = {}
        self.touched: set[str] = set()      # projects whose file changes
        self.done_in: set[str] = set()
        self.secret_labels: set[str] = set()
        self.report = Report()

    def run(self, item: Item) -> None:
        project = self.projects[item.project_id]
        try:
            if item.secret is not None:
                people = self._secret(project, item)
                self.secret_labels.add(item.label)
            elif item.evidence is not None:
                people = self._evidence(project, item)
            else:
                people = self._document(project, item)
        except (vault.CannotDecrypt, UsageError) as error:
            self.report.unreadable.append((item.label, error.message))
            return
        self.report.rekeyed.append((item.label, people))
        self.done_in.add(item.project_id)

    def _readers(self, names: tuple[str, ...], fallback: tuple[str, ...]) -> tuple[str, ...]:
        # people who left are dropped; an emptied list would silently mean "the defaults", so write those out
        return vault.known_readers(self.config, names) or fallback

    def _decrypt_file(self, rel: str) -> bytes:
        from storeops.repo import refuse_links

        refuse_links(self.repo.root, [rel])
        try:
            data = (self.repo.root / rel).read_bytes()
        except OSError:
            raise vault.CannotDecrypt(f"{rel} is missing from the work tree") from None
        return vault.decrypt(data, self.identities, rel)

    def _secret(self, project: Project, item: Item) -> tuple[str, ...]:
        secret = project.secrets[item.secret]
        names = self._readers(tuple(secret.get("readers") or ()), vault.secret_default_readers(project))
        recipients = vault.recipients_for(self.config, names, project.owner, item.label)
        value = vault.decrypt(secret["age"].encode("ascii", "replace"), self.identities, item.label)
        entry = {**secret, "age": vault.encrypt_armored(value, recipients.keys), "readers": list(names)}
        self.projects[project.id] = dataclasses.replace(project, secrets={**project.secrets, item.secret: entry})
        self.touched.add(project.id)
        return recipients.people

    def _evidence(self, project: Project, item: Item) -> tuple[str, ...]:
        rejection = project.rejections[item.evidence]
        recipients = vault.recipients_for(self.config, vault.evidence_readers(project, rejection), project.owner,
                                         item.label)
        self.files[rejection.evidence] = vault.encrypt(self._decrypt_file(rejection.evidence), recipients.keys)
        return recipients.people

    def _document(self, project: Project, item: Item) -> tuple[str, ...]:
        task = project.task(item.task_id)
        doc = task.document(item.doc_id)
        names = self._readers(doc.readers, vault.default_readers(project, task))
        recipients = vault.recipients_for(self.config, names, project.owner, item.label)
        plaintext = self._decrypt_file(doc.file)
        if doc.sha256 and vault.sha256(plaintext) != doc.sha256:
            self.report.warnings.append(f"{doc.file} does not match its recorded sha256 (re-encrypted as it is)")
        self.files[doc.file] = vault.encrypt(plaintext, recipients.keys)
        if names != doc.readers:
            changed = dataclasses.replace(task, documents=tuple(
                dataclasses.replace(d, readers=names) if d.id == doc.id else d for d in task.documents))
            self.projects[project.id] = project.with_task(changed)
            self.touched.add(project.id)
        return recipients.people
