"""Document templates filled from a project and storeops.yaml (`sop templates --copy-to DIR --project ID`).

A template's `{{name}}` placeholders take their values from the project
(store, platform, site, entity, its owner as operator), today's date, and
the `entities:` entry of storeops.yaml whose name is the project's entity
(legal_rep, address, registration_number, ... any key it has). A placeholder
nothing fills is replaced by a marker that is easy to find and hard to miss
in a printed letter.
"""

from __future__ import annotations

import re
from datetime import date

from storeops.config import Config
from storeops.model import Project

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
MISSING = "[[MISSING: {name}]]"


def values(project: Project, config: Config, today: date) -> dict[str, str]:
    """What a template can say about `project`: project fields first, then its entity's entry."""
    owner = config.person(project.owner)
    out = {
        "store": project.store,
        "platform": project.platform,
        "site": project.site,
        "project": project.id,
        "date": today.isoformat(),
        "operator": project.owner,
    }
    if project.category:
        out["category"] = project.category
    if project.entity:
        out["entity"] = project.entity
    if owner is not None:
        out["contact_email"] = owner.email
    entity = config.entity(project.entity)
    if entity:
        out.update({k: v for k, v in entity.items() if k != "name" and v.strip()})
    return out


def fill(text: str, known: dict[str, str]) -> tuple[str, list[str]]:
    """`text` with its placeholders filled; the names left missing, in order of first use."""
    missing: list[str] = []

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in known:
            return known[name]
        if name not in missing:
            missing.append(name)
        return MISSING.format(name=name)

    return PLACEHOLDER.sub(one, text), missing
