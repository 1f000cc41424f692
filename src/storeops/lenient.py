"""Lenient loading, for `storeops check` only: every broken field of a file found in one run.

Project.from_dict (and Config.from_dict) stop at the first field that does not load. To report
them all, the field is recorded, taken out of a copy (or replaced with a placeholder where it is
required) and the build is tried again; the later stages of check then run on what is left.
What this builds is never written, cached or shown.
"""

from __future__ import annotations

import copy

from storeops.model import FieldError, Project

# what a required field that is broken is replaced with, so that the later stages can run on the rest
# (a task whose state is broken counts as done: its dependents are not blamed for it)
_PLACEHOLDERS = {"start": "2000-01-01", "state": "done", "at": "2000-01-01", "outcome": "abandoned",
                 "timezone": "UTC", "language": "en"}
MAX_REPAIRS = 200


def project(data: dict) -> tuple[Project | None, list[FieldError], list[tuple]]:
    """The project with every field that does not load set aside: (project or None, the errors, their paths).

    Project.from_dict stops at the first broken field; this records it, takes the value out of a copy
    (or, where the field is required, puts a placeholder in) and tries again, so that every broken field
    is found and the rules can still run on the rest. The project is for `check` only: never written,
    never cached, never shown.
    """
    return build(Project.from_dict, data)


def build(make, data: dict):
    """`make(data)` with each field that raises FieldError set aside in turn (see `project`)."""
    work = copy.deepcopy(data)
    errors: list[FieldError] = []
    tries: dict[tuple, int] = {}
    for _ in range(MAX_REPAIRS):
        try:
            return make(work), errors, list(tries)
        except FieldError as error:
            path = tuple(error.path)
            if path not in tries:
                errors.append(error)
            tries[path] = tries.get(path, 0) + 1
            # taken out, then a placeholder where it is required: a third failure at one place ends it
            if tries[path] > 2 or not _set_aside(work, path, error.message, len(tries)):
                return None, errors, list(tries)
    return None, errors, list(tries)


def _set_aside(data, path: tuple, message: str, n: int) -> bool:
    """Take the value at `path` out of `data` (a placeholder when it is required); False when it cannot be."""
    if not path:
        return False
    parent = data
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return False
    leaf = path[-1]
    if isinstance(parent, list):
        if isinstance(leaf, int) and 0 <= leaf < len(parent):
            parent.pop(leaf)
            return True
        return False
    if not isinstance(parent, dict):
        return False
    if message != "is required" and leaf in parent:
        del parent[leaf]
        return True
    if leaf == "id":
        parent[leaf] = f"unreadable-{n}"
    elif leaf in _PLACEHOLDERS:
        parent[leaf] = _PLACEHOLDERS[leaf]
    elif leaf in ("sop", "platform", "site", "store", "owner", "by", "role", "reason", "title", "team"):
        parent[leaf] = "unknown"
    elif len(path) > 1:  # no stand-in for this field: set aside what holds it (a person without a name)
        return _set_aside(data, path[:-1], "", n)
    else:
        return False
    return True
