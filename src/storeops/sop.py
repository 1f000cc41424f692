"""The SOP library: built-in templates plus the team's own, and project creation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from storeops import yamlio
from storeops.config import Config
from storeops.errors import UsageError, did_you_mean
from storeops.model import Document, Project, Task, span_days
from storeops.resources import data_dir


@dataclass(frozen=True)
class Sop:
    data: dict
    source: str          # file path as shown to users
    origin: str          # "built-in" or "team"

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def version(self) -> str:
        return str(self.data["version"])

    @property
    def pin(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def platform(self) -> str:
        return self.data["platform"]

    @property
    def sites(self) -> list[str]:
        return list(self.data.get("sites", []))

    @property
    def tasks(self) -> list[dict]:
        return list(self.data.get("tasks", []))

    def task(self, task_id: str) -> dict | None:
        return next((t for t in self.tasks if t.get("id") == task_id), None)

    def title(self, language: str) -> str:
        title = self.data.get("title") or {}
        return title.get(language) or title.get("en") or self.id

    def reviewed(self) -> date | None:
        try:
            return date.fromisoformat(self.data.get("reviewed", ""))
        except (TypeError, ValueError):
            return None

    def rejection_codes(self) -> list[str]:
        return [r["code"] for r in self.data.get("rejection_reasons", [])]


def builtin_dir() -> Path:
    return data_dir("sop")


def _read_sop(path: Path, source: str, origin: str) -> Sop:
    from storeops.errors import DataError

    text = yamlio.read_bytes(path, source)
    data = yamlio.loads(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise DataError(source, "an SOP is a mapping with an `id`", line=1, hint="see `storeops sop show amazon-us`")
    if origin == "team":
        _validate(data, text, source)
    return Sop(data=data, source=source, origin=origin)


def _validate(data: dict, text: str, source: str) -> None:
    """A team's SOP must pass its schema before anything uses it (built-ins are checked by the test suite)."""
    from storeops import schema
    from storeops.errors import DataError
    from storeops.model import FieldError

    for doc_path, message in schema.errors("sop", data)[:1]:
        line, col = yamlio.locate(text, doc_path) or (None, None)
        raise DataError(source, message, line=line, col=col, field=FieldError(doc_path, message).dotted or None,
                        hint="fix the SOP, then run `storeops check`")


def sop_files(team_root: Path | None) -> list[tuple[Path, str, str]]:
    """(path, shown source, origin) for every SOP file; team files come last."""
    files = [(p, f"sop/{p.name} (built-in)", "built-in") for p in sorted(builtin_dir().glob("*.yaml"))]
    if team_root is not None and (team_root / "sop").is_dir() and not (team_root / "sop").is_symlink():
        # links are never followed (`check` reports them): a pull request could point one outside the repo
        files += [(p, f"sop/{p.name}", "team") for p in sorted((team_root / "sop").glob("*.yaml")) if not p.is_symlink()]
    return files


def load_library(team_root: Path | None, skip_broken: bool = False) -> dict[str, Sop]:
    """All SOPs by id; a team's sop/<id>.yaml overrides the built-in with that id.

    A broken team SOP is an error, or with `skip_broken` (for `check`, which
    reports it on its own) left out.
    """
    from storeops.errors import DataError

    library: dict[str, Sop] = {}
    for path, source, origin in sop_files(team_root):
        try:
            sop = _read_sop(path, source, origin)
        except DataError:
            if skip_broken:
                continue
            raise
        library[sop.id] = sop
    return dict(sorted(library.items()))


def changing_categories(sop: Sop) -> dict[str, list[str]]:
    """category → the tasks of `sop` only a project of that category gets (its `when_category`)."""
    found: dict[str, list[str]] = {}
    for task in sop.tasks:
        for category in task.get("when_category") or ():
            found.setdefault(category, []).append(task["id"])
    return dict(sorted(found.items()))


def category_vocabulary(library: dict[str, Sop], team: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Every category a project may have: those the SOPs name (when_category) and the team's own list
    (storeops.yaml `categories:`). A category outside it is a typo that would silently drop a task."""
    return sorted({c for sop in library.values() for c in changing_categories(sop)} | set(team))


def check_category(category: str, library: dict[str, Sop], team: tuple[str, ...] | list[str] = ()) -> None:
    vocabulary = category_vocabulary(library, team)
    if category not in vocabulary:
        raise UsageError(f"--category {category!r} is not a category of the team",
                         hint=did_you_mean(category, vocabulary)
                         or "add it under categories: in storeops.yaml (known: " + ", ".join(vocabulary) + ")")


def get_sop(library: dict[str, Sop], sop_id: str) -> Sop:
    name = sop_id.split("@", 1)[0]
    if name not in library:
        raise UsageError(f"unknown SOP {sop_id!r}",
                         hint=did_you_mean(name, list(library)) or "see `storeops sop list`")
    return library[name]


def templates_dir() -> Path:
    return builtin_dir() / "templates"


def template_names(sop: Sop) -> list[str]:
    names = []
    for task in sop.tasks:
        for doc in task.get("documents", []):
            if doc.get("template") and doc["template"] not in names:
                names.append(doc["template"])
    return names


# ---- planning and instantiation ----

def plan_dues(tasks: list[dict], start: date) -> dict[str, date]:
    """Due date per task: dependencies' latest due (or start) plus the task's duration."""
    by_id = {t["id"]: t for t in tasks}
    due: dict[str, date] = {}

    def visit(task_id: str, trail: tuple = ()) -> date:
        if task_id in due:
            return due[task_id]
        if task_id in trail:
            raise UsageError(f"SOP tasks depend on each other in a circle: {' → '.join(trail + (task_id,))}")
        task = by_id[task_id]
        begin = max([visit(d, trail + (task_id,)) for d in task.get("depends_on", []) if d in by_id] or [start])
        due[task_id] = begin + timedelta(days=span_days(task.get("duration", "1d")))
        return due[task_id]

    try:
        for task_id in by_id:
            visit(task_id)
    except OverflowError:
        raise UsageError(f"the plan from {start.isoformat()} runs past the year 9999",
                         hint="check --start and the SOP's durations") from None
    return due


def default_assignee(task: dict, owner: str, config: Config) -> str:
    role = task.get("role")
    if role in ("finance", "legal") and task.get("requires_approval") != role:
        holders = [p.name for p in config.holders(role)]
        if holders:
            return holders[0]
    return owner


def instantiate(sop: Sop, *, project_id: str, store: str, owner: str, site: str, start: date,
                target: date | None, category: str | None, entity: str | None, config: Config) -> Project:
    """A new project with the SOP's tasks copied in and due dates planned from `start`."""
    chosen = [t for t in sop.tasks if not t.get("when_category") or category in t["when_category"]]
    kept = {t["id"] for t in chosen}
    chosen = [dict(t, depends_on=[d for d in t.get("depends_on", []) if d in kept]) for t in chosen]
    dues = plan_dues(chosen, start)
    tasks = []
    for t in chosen:
        documents = tuple(
            Document(id=d["id"], title=dict(d["title"]) if d.get("title") else None,
                     sensitive=bool(d.get("sensitive")), optional=bool(d.get("optional")),
                     template=d.get("template"), valid_days=d.get("valid_days"))
            for d in t.get("documents", [])
        )
        tasks.append(Task(
            id=t["id"],
            title=dict(t["title"]) if t.get("title") else None,
            state="todo",
            role=t.get("role"),
            assignee=default_assignee(t, owner, config),
            due=dues[t["id"]],
            depends_on=tuple(t["depends_on"]),
            optional=bool(t.get("optional")),
            requires_approval=t.get("requires_approval"),
            booking=bool(t.get("appointment")),
            remind_before=t.get("remind_before"),
            external=bool(t.get("external")),
            check_every=t.get("check_every"),
            documents=documents,
        ))
    return Project(
        id=project_id, sop=sop.pin, platform=sop.platform, site=site, store=store, owner=owner,
        start=start, target=target, category=category, entity=entity, tasks=tuple(tasks),
        compliance=dict.fromkeys(sop.data.get("compliance", [])),
    )
