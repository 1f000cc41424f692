"""JSON Schemas: loaded once, compiled once per process, errors as (path, message)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from storeops.resources import data_dir

NAMES = ("config", "project", "sop")


def schema_path(name: str) -> Path:
    """`project` → schemas/project.schema.json; `platforms/amazon` → its platform file."""
    return data_dir("schemas") / f"{name}.schema.json"


def platform_names() -> list[str]:
    return sorted(p.name.removesuffix(".schema.json") for p in (data_dir("schemas") / "platforms").glob("*.schema.json"))


@cache
def load(name: str):
    """The schema as data, or None when no such schema exists."""
    path = schema_path(name)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def validator(name: str):
    """The compiled jsonschema validator for a schema, or None when no such schema exists."""
    schema = load(name)
    if schema is None:
        return None
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def quick_check(name: str):
    """A fast valid-or-not function for a schema (see fastschema.py), or None."""
    from storeops.fastschema import compile_schema

    schema = load(name)
    return None if schema is None else compile_schema(schema)


def _message(error) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "contains" and error.schema.get("description"):
        return error.schema["description"]
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("if", "then", "required") and description:
        return f"{error.message} — {description}"
    return error.message


def errors(name: str, instance) -> list[tuple[tuple, str]]:
    """Every violation of schema `name` as (path into the document, message)."""
    quick = quick_check(name)
    if quick is not None and quick(instance):
        return []  # valid: jsonschema would find nothing to say
    compiled = validator(name)
    if compiled is None:
        return []
    out = []
    for error in sorted(compiled.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        # oneOf failures hide the useful message in their context
        best = error
        if error.context:
            best = min(error.context, key=lambda e: (-len(e.absolute_path), str(e.message)))
            if best.absolute_path == error.absolute_path and best.validator == "type":
                best = error
        out.append((tuple(best.absolute_path), _message(best)))
    return out
