"""The meaning of a change: two versions of a project in, domain events out. No I/O.

`compare(old, new)` is the one place that turns "this YAML became that YAML"
into words a team uses ("bank: submitted → done", "approved bank (finance)").
`log`, `diff`, `check --base` and the merge driver's messages all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from storeops.model import ACCOUNT_KEYS, ISOLATION_KEYS, Approval, Document, Note, Project, Rejection, Task

# What a change is, named after the command that makes it on purpose; a hand
# edit that has the same effect gets the same name.
ACTIONS = ("new", "delete", "rename", "advance", "assign", "schedule", "approve", "attach", "reject", "note",
           "archive", "reopen", "link", "secret", "edit")

_SIMPLE_FIELDS = ("sop", "platform", "site", "store", "entity", "category", "owner", "start", "target", "notes")
_TASK_FIELDS = ("title", "role", "depends_on", "optional", "requires_approval", "remind_before", "external",
                "check_every")


@dataclass(frozen=True)
class Change:
    action: str
    text: str                       # domain words, English, not yet escaped for display
    task: str | None = None
    field: str | None = None        # dotted: "state", "due", "documents.bank-statement", "account.seller_id"
    old: Any = None                 # JSON-ready values (ISO strings, lists, dicts)
    new: Any = None
    by: str | None = None           # the person named inside the data (approver, note author)
    path: tuple = ()                # where it lives in the newer version (for file:line)

    @property
    def key(self) -> tuple:
        """Identity of the change, for comparing changes across a merge's parents."""
        return (self.action, self.task, self.field, _frozen(self.new))

    def to_dict(self) -> dict:
        return {"action": self.action, "task": self.task, "field": self.field, "from": self.old, "to": self.new,
                "by": self.by, "text": self.text}


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, tuples as lists, records as dicts."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


def shown(value: Any) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    return plain(value) if isinstance(value, (date, datetime)) else str(value)


def short(text: str | None, limit: int = 72) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare(old: Project | None, new: Project | None) -> list[Change]:
    """Everything that changed from `old` to `new` (either may be None: created, deleted)."""
    if old is None and new is None:
        return []
    if old is None:
        return [Change("new", f"project created from {new.sop} ({new.store})", field="id", new=new.id,
                       path=("id",))]
    if new is None:
        return [Change("delete", f"project {old.id} deleted", field="id", old=old.id)]
    if old == new:
        return []
    out: list[Change] = []
    if old.id != new.id:
        out.append(Change("rename", f"project renamed {old.id} → {new.id}", field="id", old=old.id, new=new.id,
                          path=("id",)))
    _project_fields(old, new, out)
    _tasks(old, new, out)
    _rejections(old, new, out)
    _archive(old, new, out)
    return out


def created(new: Project) -> list[Change]:
    """A project that appears in a range: its creation, then what it already holds beyond a fresh
    `storeops new` (tasks moved on from todo, approvals, notes, documents attached, appointments, account,
    isolation and compliance facts, rejections, archive), as changes from that fresh state."""
    fresh = replace(
        new, rejections=(), secrets={}, archived=None,
        account=dict.fromkeys(ACCOUNT_KEYS[:-1]) | {"payout_bound": False}, isolation=dict.fromkeys(ISOLATION_KEYS), compliance=dict.fromkeys(new.compliance),
        tasks=tuple(replace(task, state="todo", approvals=(), notes=(), appointment=None,
                            documents=tuple(replace(doc, file=None, sha256=None, issued=None)
                                            for doc in task.documents))
                    for task in new.tasks))
    return compare(None, new) + compare(fresh, new)


def _project_fields(old: Project, new: Project, out: list) -> None:
    for name in _SIMPLE_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            text = f"{name} {shown(a)} → {shown(b)}" if name != "notes" else "project notes changed"
            out.append(Change("edit", text, field=name, old=plain(a), new=plain(b), path=(name,)))
    for key in sorted(set(old.account) | set(new.account)):
        a, b = old.account.get(key), new.account.get(key)
        if a != b:
            text = (("payout bound" if b else "payout unbound") if key == "payout_bound"
                    else f"account.{key} {shown(a)} → {shown(b)}")
            out.append(Change("link", text, field=f"account.{key}", old=a, new=b, path=("account", key)))
    for key in sorted(set(old.isolation) | set(new.isolation)):
        a, b = old.isolation.get(key), new.isolation.get(key)
        if a != b:
            out.append(Change("edit", f"isolation.{key} {shown(a)} → {shown(b)}", field=f"isolation.{key}",
                              old=a, new=b, path=("isolation", key)))
    # tax numbers and the like: say that they changed, not what they are
    for key in sorted(set(old.compliance) | set(new.compliance)):
        a, b = old.compliance.get(key), new.compliance.get(key)
        if a != b:
            verb = "set" if a is None else ("cleared" if b is None else "changed")
            out.append(Change("edit", f"compliance.{key} {verb}", field=f"compliance.{key}",
                              path=("compliance", key)))
    for key in sorted(set(old.secrets) | set(new.secrets)):
        a, b = old.secrets.get(key), new.secrets.get(key)
        if a != b:
            verb = "added" if a is None else ("removed" if b is None else "changed")
            hint = (b or {}).get("hint")
            out.append(Change("secret", f"secret {key} {verb}" + (f" (hint {hint})" if hint and b else ""),
                              field=f"secrets.{key}", new=hint if b else None, path=("secrets", key)))


def _tasks(old: Project, new: Project, out: list) -> None:
    before = {t.id: t for t in old.tasks}
    after_ids = {t.id for t in new.tasks}
    for index, task in enumerate(new.tasks):
        at = ("tasks", index)
        previous = before.get(task.id)
        if previous is None:
            out.append(Change("edit", f"task {task.id} added ({task.state})", task=task.id, field="id",
                              new=task.id, path=at))
        elif previous != task:
            _task(previous, task, at, out)
    for task in old.tasks:
        if task.id not in after_ids:
            out.append(Change("edit", f"task {task.id} removed", task=task.id, field="id", old=task.id))


def _task(a: Task, b: Task, at: tuple, out: list) -> None:
    tid = b.id
    if a.state != b.state:
        out.append(Change("advance", f"{tid}: {a.state} → {b.state}", task=tid, field="state", old=a.state,
                          new=b.state, path=at + ("state",)))
    if a.assignee != b.assignee:
        out.append(Change("assign", f"assignee of {tid} {shown(a.assignee)} → {shown(b.assignee)}", task=tid,
                          field="assignee", old=a.assignee, new=b.assignee, path=at + ("assignee",)))
    if a.due != b.due:
        out.append(Change("schedule", f"due of {tid} {shown(a.due)} → {shown(b.due)}", task=tid, field="due",
                          old=plain(a.due), new=plain(b.due), path=at + ("due",)))
    if a.appointment != b.appointment:
        if a.appointment is None:
            text = f"appointment for {tid} booked {shown(b.appointment)}"
        elif b.appointment is None:
            text = f"appointment for {tid} cancelled (was {shown(a.appointment)})"
        else:
            text = f"appointment for {tid} moved {shown(a.appointment)} → {shown(b.appointment)}"
        out.append(Change("schedule", text, task=tid, field="appointment", old=plain(a.appointment),
                          new=plain(b.appointment), path=at + ("appointment",)))
    for name in _TASK_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            text = (f"approval gate of {tid} {shown(x)} → {shown(y)}" if name == "requires_approval"
                    else f"{name} of {tid} {shown(x)} → {shown(y)}")
            out.append(Change("edit", text, task=tid, field=name, old=plain(x), new=plain(y), path=at + (name,)))
    if a.booking != b.booking:
        out.append(Change("edit", f"{tid} {'is' if b.booking else 'is no longer'} an appointment task", task=tid,
                          field="appointment", path=at))
    _approvals(a, b, at, out)
    _notes(a, b, at, out)
    _documents(a, b, at, out)


def _approvals(a: Task, b: Task, at: tuple, out: list) -> None:
    added = [(k, x) for k, x in enumerate(b.approvals) if x not in a.approvals]
    removed = [x for x in a.approvals if x not in b.approvals]
    if removed and not b.approvals:
        out.append(Change("approve", f"approvals of {b.id} cleared", task=b.id, field="approvals",
                          old=[x.to_dict() for x in removed], new=[], path=at))
    else:
        for x in removed:
            out.append(Change("approve", f"approval of {b.id} ({x.role}) by {x.by} withdrawn", task=b.id,
                              field="approvals", old=x.to_dict(), by=x.by, path=at))
    for k, x in added:
        out.append(approval_change(b.id, x, at + ("approvals", k)))


def approval_change(task_id: str, approval: Approval, path: tuple = ()) -> Change:
    return Change("approve", f"approved {task_id} ({approval.role})", task=task_id, field="approvals",
                  new=approval.to_dict(), by=approval.by, path=path)


def _notes(a: Task, b: Task, at: tuple, out: list) -> None:
    for k, note in enumerate(b.notes):
        if note not in a.notes:
            out.append(_note_change(b.id, note, at + ("notes", k)))
    for note in a.notes:
        if note not in b.notes:
            out.append(Change("note", f"note on {b.id} removed: {short(note.text)}", task=b.id, field="notes",
                              old=note.to_dict(), by=note.by, path=at))


def _note_change(task_id: str, note: Note, path: tuple) -> Change:
    return Change("note", f"note on {task_id}: {short(note.text)}", task=task_id, field="notes", new=note.to_dict(),
                  by=note.by, path=path)


def _documents(a: Task, b: Task, at: tuple, out: list) -> None:
    before = {d.id: d for d in a.documents}
    after_ids = {d.id for d in b.documents}
    for k, doc in enumerate(b.documents):
        path = at + ("documents", k)
        field = f"documents.{doc.id}"
        prior = before.get(doc.id)
        if prior is None:
            out.append(Change("attach" if doc.file else "edit",
                              f"document {doc.id} added" if doc.file else f"document slot {doc.id} added to {b.id}",
                              task=b.id, field=field, new=doc.file, path=path))
            continue
        if prior == doc:
            continue
        _document(b.id, prior, doc, field, path, out)
    for doc in a.documents:
        if doc.id not in after_ids:
            out.append(Change("edit", f"document slot {doc.id} removed from {b.id}", task=b.id,
                              field=f"documents.{doc.id}", old=doc.file))


def _document(task_id: str, a: Document, b: Document, field: str, path: tuple, out: list) -> None:
    if (a.file, a.sha256) != (b.file, b.sha256):
        if a.file is None:
            text, action = f"document {b.id} added", "attach"
        elif b.file is None:
            text, action = f"document {b.id} removed", "attach"
        else:
            text, action = f"document {b.id} replaced", "attach"
        out.append(Change(action, text, task=task_id, field=field, old=a.file, new=b.file, path=path + ("file",)))
    if a.issued != b.issued:
        out.append(Change("attach", f"issue date of {b.id} {shown(a.issued)} → {shown(b.issued)}", task=task_id,
                          field=field + ".issued", old=plain(a.issued), new=plain(b.issued), path=path + ("issued",)))
    if a.readers != b.readers:
        out.append(Change("attach", f"readers of {b.id} {shown(a.readers)} → {shown(b.readers)}", task=task_id,
                          field=field + ".readers", old=list(a.readers), new=list(b.readers), path=path + ("readers",)))
    for name in ("sensitive", "valid_days", "optional", "template", "title"):
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            out.append(Change("edit", f"{name} of document {b.id} {shown(x)} → {shown(y)}", task=task_id,
                              field=f"{field}.{name}", old=plain(x), new=plain(y), path=path + (name,)))


def _rejections(old: Project, new: Project, out: list) -> None:
    if old.rejections == new.rejections:  # most versions: the very same records (history reuses them)
        return
    for k, rejection in enumerate(new.rejections):
        if rejection not in old.rejections:
            out.append(_rejection_change(rejection, "added", ("rejections", k)))
    for rejection in old.rejections:
        if rejection not in new.rejections:
            out.append(_rejection_change(rejection, "removed", ()))


def _rejection_change(rejection: Rejection, verb: str, path: tuple) -> Change:
    where = f" on {rejection.task}" if rejection.task else ""
    value = rejection.to_dict()
    return Change("reject", f"rejection {verb}: {rejection.reason}{where}", task=rejection.task, field="rejections",
                  old=None if verb == "added" else value, new=value if verb == "added" else None, path=path)


def _archive(old: Project, new: Project, out: list) -> None:
    a, b = old.archived, new.archived
    if a == b:
        return
    if b is None:
        out.append(Change("reopen", "reopened", field="archived", old=a.to_dict(), path=("archived",)))
    else:
        reason = f": {short(b.reason)}" if b.reason else ""
        out.append(Change("archive", f"archived ({b.outcome}){reason}", field="archived",
                          old=a.to_dict() if a else None, new=b.to_dict(), path=("archived",)))
