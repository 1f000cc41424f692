"""JSON Schemas: loaded once, compiled once per process, errors as (path, message)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from storeops.fastschema import python_pattern
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
    cls = jsonschema.validators.extend(cls, {"pattern": _pattern_keyword})
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _pattern_keyword(validator, pattern, instance, schema):
    import re

    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and re.search(python_pattern(pattern), instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# what a pattern means, for messages (a regex is no help to the person who wrote the file)
PATTERN_WORDS = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date YYYY-MM-DD",
    "^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$": "a date YYYY-MM-DD in the years 2000–2100",
    "^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$": "a date YYYY-MM-DD in the years 1900–2100",
    "^[0-9]{1,4}[dw]$": "a span of days or weeks like 3d or 2w (at most 4 digits)",
    "^[a-z0-9][a-z0-9-]*$": "an id of lowercase letters, digits and '-'",
    "^[A-Za-z0-9][A-Za-z0-9._-]*$": "a person name (letters, digits, '.', '_', '-')",
    "^[a-z][a-z0-9_]*$": "a lower_snake_case key",
}


def _unknown_fields(error) -> list[str]:
    allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []


@cache
def quick_check(name: str):
    """A fast valid-or-not function for a schema (see fastschema.py), or None."""
    from storeops.fastschema import compile_schema

    schema = load(name)
    return None if schema is None else compile_schema(schema)


def _message(error) -> str:
    if error.validator == "pattern" and error.validator_value in PATTERN_WORDS:
        return f"expected {PATTERN_WORDS[error.validator_value]}, got {error.instance!r}"
    if error.validator == "additionalProperties":
        extra = _unknown_fields(error)
        if extra:
            from storeops.errors import did_you_mean

            allowed = list(error.schema.get("properties", {}))
            hint = did_you_mean(extra[0], allowed)
            return f"unknown field {extra[0]!r}" + (f" ({hint})" if hint else f"; expected one of {', '.join(allowed)}")
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "enum" and isinstance(error.validator_value, list):
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "contains" and error.schema.get("description"):
        return error.schema["description"]
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("if", "then", "required") and description:
        return f"{error.message} — {description}"
    return error.message


def _document_order(error) -> list:
    # tasks[2] before tasks[10]: indexes compare as numbers, keys as text
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def errors(name: str, instance) -> list[tuple[tuple, str]]:
    """Every violation of schema `name` as (path into the document, message)."""
    quick = quick_check(name)
    if quick is not None and quick(instance):
        return []  # valid: jsonschema would find nothing to say
    compiled = validator(name)
    if compiled is None:
        return []
    out = []
    for error in sorted(compiled.iter_errors(instance), key=_document_order):
        # oneOf failures hide the useful message in their context
        best = error
        if error.context:
            best = min(error.context, key=lambda e: (-len(e.absolute_path), str(e.message)))
            if best.absolute_path == error.absolute_path and best.validator == "type":
                best = error
        path = tuple(best.absolute_path)
        if best.validator == "additionalProperties" and _unknown_fields(best):
            path += (_unknown_fields(best)[0],)  # point at the offending key's line
        out.append((path, _message(best)))
    return out
