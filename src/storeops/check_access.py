"""`check --base`: who may change an encrypted document or a secret, and who may change who reads it.

Only one of its readers (as the reader list stood before the change) or an admin may replace an
encrypted document's ciphertext, its recorded sha256, its file or its `readers`, or change a secret.
A pull request by anyone else could add its author to `readers`, or swap the ciphertext for one it
made itself while keeping the recorded sha256. People come from storeops.yaml at the base.
"""

from __future__ import annotations

from storeops import vault
from storeops.config import Config
from storeops.model import Project


def _who(team: Config, email: str):
    return team.person_by_email(email)


def _name(team: Config, email: str) -> str:
    person = _who(team, email)
    return person.name if person else f"{email} (not on the team)"


def allowed(team: Config, email: str, names: tuple[str, ...], owner: str) -> bool:
    person = _who(team, email)
    if person is None:
        return False
    if "admin" in person.roles:
        return True
    return person.name in {p.name for p in vault.reader_people(team, names, owner)}


def _encrypted_docs(project: Project) -> dict[tuple[str, str], tuple]:
    """(task id, document id) → (document, task) for documents stored encrypted."""
    return {(task.id, doc.id): (doc, task) for task in project.tasks for doc in task.documents
            if doc.file and doc.file.endswith(vault.SUFFIX)}


def _entry_changed(new: Project | None, task_id: str, doc) -> bool:
    task = new.task(task_id) if new is not None else None
    now = task.document(doc.id) if task is not None else None
    return now is None or any(getattr(now, f) != getattr(doc, f) for f in ("file", "sha256", "readers"))


def project_changes(team: Config, email: str, old: Project | None, new: Project | None) -> list[tuple[tuple, str]]:
    """(document path, message) for each encrypted document or secret the author may not have changed."""
    if old is None or new is None:
        return []
    found = []
    before = _encrypted_docs(old)
    kept = {(task.id, doc.id) for task in new.tasks for doc in task.documents}
    for (task_id, doc_id), (old_doc, old_task) in before.items():
        if (task_id, doc_id) not in kept:
            names = vault.document_readers(old, old_task, old_doc)
            if not allowed(team, email, names, old.owner):
                found.append(((), f"{doc_id}: removed by {_name(team, email)}, who is neither one of its readers "
                                  f"({vault.describe_readers(team, names, old.owner)}) nor an admin"))
    for ti, task in enumerate(new.tasks):
        for di, doc in enumerate(task.documents):
            was = before.get((task.id, doc.id))
            if was is None:
                continue  # a new document: whoever attaches it chooses its readers
            old_doc, old_task = was
            changed = [f for f in ("file", "sha256", "readers") if getattr(old_doc, f) != getattr(doc, f)]
            if not changed:
                continue
            names = vault.document_readers(old, old_task, old_doc)
            if not allowed(team, email, names, old.owner):
                found.append((("tasks", ti, "documents", di, changed[-1]),
                              f"{doc.id}: {', '.join(changed)} changed by {_name(team, email)}, who is neither one of its readers "
                              f"({vault.describe_readers(team, names, old.owner)}) nor an admin"))
    for key, secret in new.secrets.items():
        previous = old.secrets.get(key)
        if previous is None or previous == secret:
            continue
        names = vault.secret_readers(old, previous)
        if not allowed(team, email, names, old.owner):
            found.append((("secrets", key),
                          f"secret {key} changed by {_name(team, email)}, who is neither one of its readers "
                          f"({vault.describe_readers(team, names, old.owner)}) nor an admin"))
    return found


def ciphertext_change(team: Config, email: str, path: str, old: Project | None, new: Project | None) -> str | None:
    """A changed `.age` file under attachments/ whose project entry stayed the same (sha256 kept): the
    ciphertext was replaced behind the project's back. The message, or None when allowed or not such a case."""
    if old is None:
        return None
    for task in old.tasks:
        for doc in task.documents:
            if doc.file != path:
                continue
            if _entry_changed(new, task.id, doc):
                return None  # project_changes reports the change of the entry, with its author
            names = vault.document_readers(old, task, doc)
            if allowed(team, email, names, old.owner):
                return None
            return (f"the ciphertext of {doc.id} was replaced by {_name(team, email)}, who is neither one of its readers "
                    f"({vault.describe_readers(team, names, old.owner)}) nor an admin")
    for rejection in old.rejections:
        if rejection.evidence == path:
            names = vault.evidence_readers(old, rejection)
            if allowed(team, email, names, old.owner):
                return None
            return (f"the rejection evidence was replaced by {_name(team, email)}, who is neither one of its readers "
                    f"({vault.describe_readers(team, names, old.owner)}) nor an admin")
    return None
