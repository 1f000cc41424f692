"""The data model: projects, tasks, documents, rejections. No I/O.

`Project.from_dict` turns a parsed project file into records, refusing wrong
types with the path of the field (the caller maps that path to a line);
`to_dict` gives the canonical form back (stable key order, ISO strings).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

STATES = ("todo", "in_progress", "submitted", "done", "rejected", "blocked", "skipped")
STATUSES = ("preparing", "under_review", "approved", "rejected", "archived")
ROLES = ("ops", "finance", "legal", "lead", "admin")
OUTCOMES = ("opened", "abandoned", "failed")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")
PERSON_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
SPAN_RE = re.compile(r"^([0-9]{1,4})([dw])\Z")  # up to 9999 days or weeks: date arithmetic stays in range
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
PLAIN_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+\Z")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # plans, due dates, appointments: date arithmetic stays far from date.max
EARLIEST_ISSUED_YEAR = 1900  # an issue date may be old (a licence, a passport)
MAX_VALID_DAYS = 36500  # a century: keeps issued + valid_days a real date

ACCOUNT_KEYS = ("seller_id", "login_email", "store_url", "payout_bound")
ISOLATION_KEYS = ("network", "device", "phone", "payout_account")


class FieldError(ValueError):
    """A field has the wrong shape; `path` locates it in the document."""

    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = path
        self.message = message

    @property
    def dotted(self) -> str:
        out = ""
        for part in self.path:
            if not isinstance(part, int) and not PLAIN_KEY_RE.match(str(part)):
                part = repr(part)  # a key with spaces or odd characters stays visible as what it is
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out


def parse_date(value: str, path: tuple = (), earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR) -> date:
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise FieldError(path, f"expected a date YYYY-MM-DD, got {value!r}")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FieldError(path, f"{value!r} is not a calendar date") from None
    _in_years(day, value, path, earliest, latest)
    return day


def _in_years(day: date, value: str, path: tuple, earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR) -> None:
    if not earliest <= day.year <= latest:
        raise FieldError(path, f"{value!r} is outside the years {earliest}–{latest}")


def parse_datetime(value: str, path: tuple = ()) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) and "T" in value else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise FieldError(path, f"expected a date and time with offset like 2026-12-10T10:00:00+08:00, got {value!r}")
    _in_years(moment.date(), value, path)
    return moment


def span_days(value: str) -> int:
    number, unit = SPAN_RE.match(value).groups()
    return int(number) * (7 if unit == "w" else 1)


# ---- field readers: each checks one shape and names the path on failure ----

_MISSING = object()


def _get(data: dict, key: str, kinds, path: tuple, default: Any = _MISSING) -> Any:
    if key not in data:
        if default is _MISSING:
            raise FieldError(path + (key,), "is required")
        return default
    value = data[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _as_tuple(kinds)):
        quote = str in _as_tuple(kinds) and isinstance(value, (int, float, bool))
        raise FieldError(path + (key,), f"expected {_kind_name(kinds)}, got {_describe(value)}"
                                        + (" (put it in quotes to keep it as text)" if quote else ""))
    return value


def _as_tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _kind_name(kinds) -> str:
    names = {str: "text", int: "a number", bool: "true/false", list: "a list", dict: "a mapping", type(None): "null"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kinds))


def _describe(value: Any) -> str:
    return "null" if value is None else f"{_kind_name(type(value))} {value!r}"[:80]


def _text(data: dict, key: str, path: tuple) -> dict | None:
    value = _get(data, key, (dict, type(None)), path, None)
    if value is None:
        return None
    for lang, text in value.items():
        if lang not in ("en", "zh") or not isinstance(text, str):
            raise FieldError(path + (key, lang), "titles are {en: ..., zh: ...} text")
    return dict(value)


def _strings(data: dict, key: str, path: tuple) -> tuple[str, ...]:
    value = _get(data, key, list, path, [])
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise FieldError(path + (key, i), f"expected text, got {_describe(item)}")
    return tuple(value)


def _opt_date(data: dict, key: str, path: tuple, earliest: int = EARLIEST_YEAR) -> date | None:
    value = _get(data, key, (str, type(None)), path, None)
    return None if value is None else parse_date(value, path + (key,), earliest)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _pattern(value: str | None, regex: re.Pattern, path: tuple, what: str) -> None:
    if value is not None and not regex.match(value):
        raise FieldError(path, f"{value!r} is not a valid {what}")


def _enum(value: str | None, allowed: tuple, path: tuple) -> None:
    if value is not None and value not in allowed:
        raise FieldError(path, f"{value!r} is not one of {', '.join(allowed)}")


def _records(data: dict, key: str, path: tuple, build) -> tuple:
    items = _get(data, key, list, path, [])
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise FieldError(path + (key, i), f"expected a mapping, got {_describe(item)}")
        out.append(build(item, path + (key, i)))
    return tuple(out)


# ---- records ----

@dataclass(frozen=True)
class Document:
    id: str
    title: dict | None = None
    sensitive: bool = False
    optional: bool = False
    template: str | None = None
    file: str | None = None
    issued: date | None = None
    valid_days: int | None = None
    sha256: str | None = None
    readers: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict, path: tuple) -> Document:
        doc = cls(
            id=_get(d, "id", str, path),
            title=_text(d, "title", path),
            sensitive=_get(d, "sensitive", bool, path, False),
            optional=_get(d, "optional", bool, path, False),
            template=_get(d, "template", (str, type(None)), path, None),
            file=_get(d, "file", (str, type(None)), path, None),
            issued=_opt_date(d, "issued", path, EARLIEST_ISSUED_YEAR),
            valid_days=_get(d, "valid_days", (int, type(None)), path, None),
            sha256=_get(d, "sha256", (str, type(None)), path, None),
            readers=_strings(d, "readers", path),
        )
        _pattern(doc.id, ID_RE, path + ("id",), "document id")
        if doc.valid_days is not None and not 1 <= doc.valid_days <= MAX_VALID_DAYS:
            raise FieldError(path + ("valid_days",), f"expected 1 to {MAX_VALID_DAYS} days, got {doc.valid_days}")
        return doc

    def expires(self) -> date | None:
        if self.issued is None or self.valid_days is None:
            return None
        try:
            return self.issued + timedelta(days=self.valid_days)
        except OverflowError:  # issued in the year 9999: valid for ever, as far as dates go
            return date.max

    def to_dict(self) -> dict:
        out: dict = {"id": self.id}
        if self.title:
            out["title"] = dict(self.title)
        out["sensitive"] = self.sensitive
        if self.optional:
            out["optional"] = True
        if self.template:
            out["template"] = self.template
        out["file"] = self.file
        out["issued"] = _iso(self.issued)
        out["valid_days"] = self.valid_days
        if self.sha256:
            out["sha256"] = self.sha256
        if self.readers:
            out["readers"] = list(self.readers)
        return out


@dataclass(frozen=True)
class Approval:
    by: str
    role: str
    at: date
    note: str | None = None

    @classmethod
    def from_dict(cls, d: dict, path: tuple) -> Approval:
        approval = cls(
            by=_get(d, "by", str, path),
            role=_get(d, "role", str, path),
            at=parse_date(_get(d, "at", str, path), path + ("at",)),
            note=_get(d, "note", (str, type(None)), path, None),
        )
        _enum(approval.role, ROLES, path + ("role",))
        return approval

    def to_dict(self) -> dict:
        out = {"by": self.by, "role": self.role, "at": _iso(self.at)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Note:
    at: date
    by: str
    text: str

    @classmethod
    def from_dict(cls, d: dict, path: tuple) -> Note:
        return cls(
            at=parse_date(_get(d, "at", str, path), path + ("at",)),
            by=_get(d, "by", str, path),
            text=_get(d, "text", str, path),
        )

    def to_dict(self) -> dict:
        return {"at": _iso(self.at), "by": self.by, "text": self.text}


@dataclass(frozen=True)
class Task:
    id: str
    state: str = "todo"
    title: dict | None = None
    role: str | None = None
    assignee: str | None = None
    due: date | None = None
    depends_on: tuple[str, ...] = ()
    optional: bool = False
    requires_approval: str | None = None
    booking: bool = False  # an appointment task; `appointment` stays None until booked
    appointment: datetime | None = None
    remind_before: str | None = None
    external: bool = False
    check_every: str | None = None
    documents: tuple[Document, ...] = ()
    approvals: tuple[Approval, ...] = ()
    notes: tuple[Note, ...] = ()

    @classmethod
    def from_dict(cls, d: dict, path: tuple, memo: dict | None = None) -> Task:
        appointment = _get(d, "appointment", (str, type(None)), path, None)
        task = cls(
            id=_get(d, "id", str, path),
            state=_get(d, "state", str, path),
            title=_text(d, "title", path),
            role=_get(d, "role", (str, type(None)), path, None),
            assignee=_get(d, "assignee", (str, type(None)), path, None),
            due=_opt_date(d, "due", path),
            depends_on=_strings(d, "depends_on", path),
            optional=_get(d, "optional", bool, path, False),
            requires_approval=_get(d, "requires_approval", (str, type(None)), path, None),
            booking="appointment" in d,
            appointment=None if appointment is None else parse_datetime(appointment, path + ("appointment",)),
            remind_before=_get(d, "remind_before", (str, type(None)), path, None),
            external=_get(d, "external", bool, path, False),
            check_every=_get(d, "check_every", (str, type(None)), path, None),
            documents=_records(d, "documents", path,
                               Document.from_dict if memo is None else _memoized(Document.from_dict, memo)),
            approvals=_records(d, "approvals", path, Approval.from_dict),
            notes=_records(d, "notes", path, Note.from_dict),
        )
        _pattern(task.id, ID_RE, path + ("id",), "task id")
        _enum(task.state, STATES, path + ("state",))
        _enum(task.role, ROLES, path + ("role",))
        _enum(task.requires_approval, ROLES, path + ("requires_approval",))
        _pattern(task.remind_before, SPAN_RE, path + ("remind_before",), "span (like 3d or 2w)")
        _pattern(task.check_every, SPAN_RE, path + ("check_every",), "span (like 3d or 2w)")
        return task

    def title_in(self, language: str) -> str:
        if not self.title:
            return self.id
        return self.title.get(language) or self.title.get("en") or self.id

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def to_dict(self) -> dict:
        out: dict = {"id": self.id}
        if self.title:
            out["title"] = dict(self.title)
        out["state"] = self.state
        if self.role:
            out["role"] = self.role
        out["assignee"] = self.assignee
        out["due"] = _iso(self.due)
        out["depends_on"] = list(self.depends_on)
        if self.optional:
            out["optional"] = True
        if self.requires_approval:
            out["requires_approval"] = self.requires_approval
        if self.booking or self.appointment:
            out["appointment"] = _iso(self.appointment)
        if self.remind_before:
            out["remind_before"] = self.remind_before
        if self.external:
            out["external"] = True
        if self.check_every:
            out["check_every"] = self.check_every
        for name in ("documents", "approvals", "notes"):
            items = getattr(self, name)
            if items:
                out[name] = [item.to_dict() for item in items]
        return out


@dataclass(frozen=True)
class Rejection:
    at: date
    reason: str
    task: str | None = None
    message: str | None = None
    evidence: str | None = None

    @classmethod
    def from_dict(cls, d: dict, path: tuple) -> Rejection:
        return cls(
            at=parse_date(_get(d, "at", str, path), path + ("at",)),
            reason=_get(d, "reason", str, path),
            task=_get(d, "task", (str, type(None)), path, None),
            message=_get(d, "message", (str, type(None)), path, None),
            evidence=_get(d, "evidence", (str, type(None)), path, None),
        )

    def to_dict(self) -> dict:
        return {"at": _iso(self.at), "task": self.task, "reason": self.reason,
                "message": self.message, "evidence": self.evidence}


@dataclass(frozen=True)
class Archived:
    at: date
    outcome: str
    reason: str | None = None

    @classmethod
    def from_dict(cls, d: dict, path: tuple) -> Archived:
        archived = cls(
            at=parse_date(_get(d, "at", str, path), path + ("at",)),
            outcome=_get(d, "outcome", str, path),
            reason=_get(d, "reason", (str, type(None)), path, None),
        )
        _enum(archived.outcome, OUTCOMES, path + ("outcome",))
        return archived

    def to_dict(self) -> dict:
        return {"at": _iso(self.at), "outcome": self.outcome, "reason": self.reason}


def _memoized(build, memo: dict, *extra):
    def cached(item: dict, path: tuple):
        hit = memo.get(id(item))
        if hit is not None and hit[0] is item:  # the entry keeps `item` alive, so its id is not reused
            return hit[1]
        value = build(item, path, *extra)
        memo[id(item)] = (item, value)
        return value
    return cached


def _fixed(data: dict, key: str, keys: tuple, path: tuple) -> dict:
    value = _get(data, key, dict, path, {})
    for k in value:
        if k not in keys:
            raise FieldError(path + (key, k), f"unknown field; expected one of {', '.join(keys)}")
    return {k: value.get(k, False if k == "payout_bound" else None) for k in keys}


def _flat(data: dict, key: str, path: tuple) -> dict:
    value = _get(data, key, dict, path, {})
    for k, v in value.items():
        if not KEY_RE.match(k):
            raise FieldError(path + (key, k), "keys are lower_snake_case")
        if not isinstance(v, (str, type(None))):
            raise FieldError(path + (key, k), f"expected text or null, got {_describe(v)}")
    return dict(value)


def _attachment_path(value: str | None, project_id: str, path: tuple) -> None:
    """Files a project names live in attachments/<its id>/: never a way out of the repo."""
    if value is None:
        return
    folder, _, name = value.rpartition("/")
    if folder != f"attachments/{project_id}" or name in ("", ".", "..") or "\\" in name or "\x00" in name:
        raise FieldError(path, f"expected attachments/{project_id}/<file name>, got {value!r}")


PROJECT_KEYS = ("id", "sop", "platform", "site", "store", "entity", "category", "owner", "start", "target",
                "account", "isolation", "compliance", "tasks", "rejections", "secrets", "notes", "archived")


@dataclass(frozen=True)
class Project:
    id: str
    sop: str
    platform: str
    site: str
    store: str
    owner: str
    start: date
    tasks: tuple[Task, ...]
    entity: str | None = None
    category: str | None = None
    target: date | None = None
    account: dict = field(default_factory=lambda: dict.fromkeys(ACCOUNT_KEYS[:-1]) | {"payout_bound": False})
    isolation: dict = field(default_factory=lambda: dict.fromkeys(ISOLATION_KEYS))
    compliance: dict = field(default_factory=dict)
    rejections: tuple[Rejection, ...] = ()
    secrets: dict = field(default_factory=dict)
    notes: str | None = None
    archived: Archived | None = None

    @classmethod
    def from_dict(cls, d: Any, memo: dict | None = None) -> Project:
        """`memo` (reading many versions of one file): reuse the Task or Rejection built from the very same dict."""
        path: tuple = ()
        if not isinstance(d, dict):
            raise FieldError(path, f"a project file is a mapping of fields, got {_describe(d)}")
        for key in d:
            if key not in PROJECT_KEYS:
                raise FieldError((key,), "unknown field (free text goes into `notes`)")
        archived = _get(d, "archived", (dict, type(None)), path, None)
        secrets = _get(d, "secrets", dict, path, {})
        for name, secret in secrets.items():
            if not isinstance(secret, dict) or not isinstance(secret.get("age"), str):
                raise FieldError(("secrets", name), "a secret is {hint: ..., age: <armored age>}")
        project = cls(
            id=_get(d, "id", str, path),
            sop=_get(d, "sop", str, path),
            platform=_get(d, "platform", str, path),
            site=_get(d, "site", str, path),
            store=_get(d, "store", str, path),
            owner=_get(d, "owner", str, path),
            start=parse_date(_get(d, "start", str, path), ("start",)),
            tasks=_records(d, "tasks", path, Task.from_dict if memo is None else _memoized(Task.from_dict, memo, memo)),
            entity=_get(d, "entity", (str, type(None)), path, None),
            category=_get(d, "category", (str, type(None)), path, None),
            target=_opt_date(d, "target", path),
            account=_fixed(d, "account", ACCOUNT_KEYS, path),
            isolation=_fixed(d, "isolation", ISOLATION_KEYS, path),
            compliance=_flat(d, "compliance", path),
            rejections=_records(d, "rejections", path,
                                Rejection.from_dict if memo is None else _memoized(Rejection.from_dict, memo)),
            secrets={k: dict(v) for k, v in secrets.items()},
            notes=_get(d, "notes", (str, type(None)), path, None),
            archived=None if archived is None else Archived.from_dict(archived, ("archived",)),
        )
        _pattern(project.id, ID_RE, ("id",), "project id (lowercase letters, digits and -)")
        _pattern(project.owner, PERSON_RE, ("owner",), "person name")
        if not project.tasks:
            raise FieldError(("tasks",), "a project has at least one task")
        seen: set = set()
        for i, task in enumerate(project.tasks):
            if task.id in seen:
                raise FieldError(("tasks", i, "id"), f"task id {task.id!r} appears twice")
            seen.add(task.id)
            for k, doc in enumerate(task.documents):
                _attachment_path(doc.file, project.id, ("tasks", i, "documents", k, "file"))
        for i, rejection in enumerate(project.rejections):
            _attachment_path(rejection.evidence, project.id, ("rejections", i, "evidence"))
        return project

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def with_task(self, task: Task) -> Project:
        return dataclasses.replace(self, tasks=tuple(task if t.id == task.id else t for t in self.tasks))

    @property
    def sop_id(self) -> str:
        return self.sop.split("@", 1)[0]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "sop": self.sop,
            "platform": self.platform,
            "site": self.site,
            "store": self.store,
            "entity": self.entity,
            "category": self.category,
            "owner": self.owner,
            "start": _iso(self.start),
            "target": _iso(self.target),
            "account": {k: self.account.get(k) for k in ACCOUNT_KEYS},
            "isolation": {k: self.isolation.get(k) for k in ISOLATION_KEYS},
            "compliance": dict(self.compliance),
            "tasks": [t.to_dict() for t in self.tasks],
            "rejections": [r.to_dict() for r in self.rejections],
            "secrets": {k: dict(v) for k, v in self.secrets.items()},
            **({"notes": self.notes} if self.notes is not None else {}),
            "archived": self.archived.to_dict() if self.archived else None,
        }
