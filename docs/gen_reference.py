"""Generate the template reference in docs/sop-guide.md from schemas/sop.schema.json.

Run: python docs/gen_reference.py   (tests/test_docs.py fails when the guide is out of date)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "sop-guide.md"
BEGIN = "<!-- BEGIN GENERATED REFERENCE -->"
END = "<!-- END GENERATED REFERENCE -->"


def _type(spec: dict, defs: dict) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        if name == "text":
            return "`{en, zh}` text"
        if name in ("task", "document"):
            return name
        return _type(target, defs)
    if "enum" in spec:
        return " \\| ".join(f"`{v}`" for v in spec["enum"])
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), defs)}"
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "string" and "pattern" in spec:
        return f"text matching `{spec['pattern']}`".replace("|", "\\|")  # a table cell
    return kind or "any"


def _describe(spec: dict, defs: dict) -> str:
    if "description" in spec:
        return spec["description"]
    if "$ref" in spec:
        return defs.get(spec["$ref"].rsplit("/", 1)[-1], {}).get("description", "")
    return ""


def _table(title: str, node: dict, defs: dict) -> list[str]:
    required = set(node.get("required", []))
    lines = [f"### {title}", "", "| field | required | type | meaning |", "|---|---|---|---|"]
    for name, spec in node["properties"].items():
        lines.append(f"| `{name}` | {'yes' if name in required else ''} | {_type(spec, defs)} | {_describe(spec, defs)} |")
    return lines + [""]


def reference() -> str:
    schema = json.loads((ROOT / "schemas" / "sop.schema.json").read_text("utf-8"))
    defs = schema["$defs"]
    lines = [BEGIN, "", "Generated from `schemas/sop.schema.json`.", ""]
    lines += _table("Template (top level)", schema, defs)
    lines += _table("Task", defs["task"], defs)
    lines += _table("Document", defs["document"], defs)
    lines += ["Spans (`duration`, `remind_before`, `check_every`) are a number of days or weeks: `3d`, `2w`.", "", END]
    return "\n".join(lines)


def updated(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + reference() + text[end:]


if __name__ == "__main__":
    current = GUIDE.read_text("utf-8")
    new = updated(current)
    if "--check" in sys.argv:
        sys.exit(0 if new == current else 1)
    GUIDE.write_text(new, "utf-8")
