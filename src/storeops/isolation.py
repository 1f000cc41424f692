"""Linked-account risk: active stores that share what a platform uses to tie accounts together.

Marketplaces close every account they find linked to a suspended one, and
refuse a second seller account per legal entity per marketplace. Linking is
a platform's own judgement, so sharing a network with a store on another
platform is no risk; within one platform it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from storeops.model import Project

# (kind, where the value lives in the project file)
SHARED = (
    ("network", ("isolation", "network")),
    ("device", ("isolation", "device")),
    ("phone", ("isolation", "phone")),
    ("payout_account", ("isolation", "payout_account")),
    ("login_email", ("account", "login_email")),
)
KINDS = tuple(kind for kind, _ in SHARED) + ("entity",)


@dataclass(frozen=True)
class Conflict:
    kind: str                  # one of KINDS
    field: tuple[str, ...]     # path of the value in each project file
    value: str                 # as written in the first project
    platform: str
    site: str | None           # set for `entity`: one account per entity per marketplace (platform + site)
    projects: tuple[str, ...]
    values: tuple[str, ...] = ()  # each project's own spelling, in the order of `projects`

    def message_for(self, project_id: str) -> str:
        others = ", ".join(p for p in self.projects if p != project_id)
        value = self.values[self.projects.index(project_id)] if self.values else self.value
        if self.kind == "entity":
            return (f"{value!r} already has a store on {self.platform}-{self.site}: {others} "
                    "(one seller account per entity per marketplace)")
        return f"{value!r} is shared with {others} on {self.platform} (linked-account risk)"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "field": ".".join(self.field), "value": self.value, "platform": self.platform,
                "site": self.site, "projects": list(self.projects)}


def _same(kind: str, value: str) -> str:
    """The form two values are compared in: case, spacing and punctuation do not hide a match."""
    value = value.strip().casefold()
    if kind == "phone":
        return "".join(ch for ch in value if ch.isdigit())
    if kind == "entity":
        return "".join(ch for ch in value if ch.isalnum())
    return value


def _value(project: Project, field: tuple[str, ...]) -> str | None:
    section, key = field
    value = getattr(project, section).get(key)
    return value if isinstance(value, str) and value.strip() else None


def conflicts(projects: list[Project]) -> list[Conflict]:
    """Every value shared by two or more active (non-archived) stores where it is a risk."""
    groups: dict[tuple, list[tuple[Project, str]]] = defaultdict(list)
    for project in projects:
        if project.archived is not None:
            continue
        for kind, field in SHARED:
            value = _value(project, field)
            if value is not None and _same(kind, value):
                groups[(kind, field, project.platform, None, _same(kind, value))].append((project, value))
        if project.entity and _same("entity", project.entity):
            key = ("entity", ("entity",), project.platform, project.site, _same("entity", project.entity))
            groups[key].append((project, project.entity))
    found = []
    for (kind, field, platform, site, _norm), members in groups.items():
        if len(members) > 1:
            members.sort(key=lambda m: m[0].id)
            found.append(Conflict(kind, field, members[0][1], platform, site, tuple(p.id for p, _ in members),
                                  tuple(v for _, v in members)))
    return sorted(found, key=lambda c: (c.projects, KINDS.index(c.kind)))


def unrecorded(projects: list[Project]) -> list[str]:
    """Active projects with no isolation data at all (nothing to compare yet)."""
    return [p.id for p in projects if p.archived is None and not any(_value(p, f) for _, f in SHARED[:4])]
