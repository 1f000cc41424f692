"""Generate docs/json.md: the shape of every `--json` output, taken from real runs on the example repo.

Run: python docs/gen_json.py            (rewrites docs/json.md)
     python docs/gen_json.py --check    (exit 1 when docs/json.md is out of date; tests/test_docs.py runs it)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "json.md"

# (command line after `storeops`, what it is for)
COMMANDS = [
    (["status"], "All projects, one summary each (the same summary appears in `board`)."),
    (["status", "acme-amazon-us"], "One project with its tasks, documents, approvals and notes."),
    (["status", "acme-amazon-us", "bank-statement"], "One task in full, with its how-to guide."),
    (["board"], "Projects in columns by status."),
    (["timeline", "acme-amazon-us"], "Planned (and actual) task intervals."),
    (["log", "acme-amazon-us"], "Semantic events from git history, newest first."),
    (["diff", "HEAD~3..HEAD"], "The semantic change of a range (`--format json` is the same)."),
    (["check"], "Problems found (empty list and `ok: true` when clean)."),
    (["doctor"], "The clone's setup checks."),
    (["isolation"], "Values shared between stores that could link their accounts."),
    (["remind", "--days", "7"], "What is due (`--format json` is the same)."),
    (["report", "rejections"], "Rejections by platform and reason."),
    (["report", "workload"], "Open and overdue tasks per person."),
    (["report", "cycle-time"], "Days per step and platform from git history, review waits, lead times, outcomes."),
    (["rekey", "--dry-run"], "What `rekey` re-encrypts (or would, with `--dry-run`)."),
    (["secret", "list", "acme-amazon-us"], "A project's secrets: hints and readers, never values."),
    (["sop", "list"], "The SOP library."),
    (["sop", "show", "amazon-us"], "One SOP as data (fields: see docs/sop-guide.md)."),
    (["sop", "templates", "amazon-us"], "The document templates an SOP uses."),
    (["person", "list"], "The team."),
]

MAX_DEPTH = 6


def _kind(value) -> str:
    return {bool: "bool", int: "int", float: "number", str: "str", type(None): "null"}.get(type(value), "?")


def shape(values: list, depth: int = 0):
    """The union shape of several JSON values: dict → {key: shape}, list → [shape], else a type name."""
    dicts = [v for v in values if isinstance(v, dict)]
    lists = [v for v in values if isinstance(v, list)]
    scalars = sorted({_kind(v) for v in values if not isinstance(v, (dict, list))})
    parts = []
    if dicts:
        if depth >= MAX_DEPTH:
            parts.append("{...}")
        else:
            keys = list(dict.fromkeys(k for d in dicts for k in d))
            parts.append({k: shape([d[k] for d in dicts if k in d], depth + 1) for k in keys})
    if lists:
        items = [item for v in lists for item in v]
        parts.append([shape(items, depth + 1)] if items else [])
    parts += scalars
    return parts[0] if len(parts) == 1 else tuple(parts)  # a tuple is a union


# the example repo has no broken file: the shape of `problems` is written down here (see loading.py)
PROBLEMS = {"path": "str", "line": ("int", "null"), "col": ("int", "null"), "message": "str"}
CHECK_PROBLEMS = {**PROBLEMS, "code": "str"}  # check's findings also say which rule found them


def render(node, indent: int = 0, problems: dict = PROBLEMS) -> str:
    pad = "  " * indent
    if isinstance(node, dict):
        if not node:
            return "{}"
        inner = [f'{pad}  "{k}": {render([problems] if k == "problems" and v == [] else v, indent + 1, problems)}'
                 for k, v in node.items()]
        return "{\n" + ",\n".join(inner) + f"\n{pad}}}"
    if isinstance(node, tuple):
        return " | ".join(render(n, indent, problems) for n in node)
    if isinstance(node, list):
        return "[" + render(node[0], indent, problems) + "]" if node else "[]"
    return str(node)


def _storeops(demo: Path, args: list[str], env: dict, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storeops", "-C", str(demo), *args], input=input,
                          capture_output=True, text=True, env=env)


def _setup(demo: Path, env: dict) -> None:
    """A key for whoever runs this, and one secret, so the vault's outputs have content."""
    public = _storeops(demo, ["keygen", "--output", env["STOREOPS_IDENTITY"]], env).stdout.strip()
    for args, text in ((["person", "key", "--age-recipient", public], None),
                       (["secret", "set", "acme-amazon-us", "seller_password"], "demo-password-1234\n")):
        proc = _storeops(demo, args, env, text)
        if proc.returncode:
            raise SystemExit(f"storeops {' '.join(args)}: {proc.stderr}")


def _run(demo: Path, args: list[str], env: dict) -> dict:
    proc = _storeops(demo, [*args, "--json"], env)
    if not proc.stdout.strip():
        raise SystemExit(f"storeops {' '.join(args)} --json printed nothing: {proc.stderr}")
    return json.loads(proc.stdout)


def page() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "storeops", "init", "--example", str(demo)], check=True,
                       capture_output=True)
        env = dict(os.environ, NO_COLOR="1", STOREOPS_IDENTITY=str(Path(tmp) / "key.txt"))
        _setup(demo, env)
        lines = [
            "# JSON output reference",
            "",
            "Every command that reads has `--json`: one object on stdout, messages on stderr. Each object carries",
            '`"version": 1`; a change that removes or renames a field raises it. New fields may appear in any',
            "version. Dates are `YYYY-MM-DD`, times ISO 8601 with an offset. `a | b` means either; `[x]` a list of x.",
            "",
            "Errors are not JSON: a command that fails prints nothing on stdout, one `error: ...` line (and maybe a",
            "`hint: ...` line) on stderr, and exits 2 (bad input) or 3 (environment). Check the exit code first.",
            "",
            "A broken project file does not stop the readers (`status`, `board`, `timeline`, `remind`, `report`,",
            "`isolation`): they skip it, show every other project, and list what they skipped in a top-level",
            "`problems` list beside the normal result, one entry per file: `path` (as in the repo), `line` and",
            "`col` (1-based, `null` when unknown) and `message` (`start: '2026-12-33' is not a calendar date`).",
            "It is `[]` when every file was read. The exit status is then 1 (findings), with the JSON complete on",
            "stdout; `storeops check` shows every problem of every file.",
            "",
            "This page is generated from real runs on the example repo (`python docs/gen_json.py`).",
            "",
        ]
        for args, what in COMMANDS:
            lines += [f"## `storeops {' '.join(args)} --json`", "", what, "", "```",
                      render(shape([_run(demo, args, env)]), problems=CHECK_PROBLEMS if args == ["check"] else PROBLEMS),
                      "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    new = page()
    if "--check" in sys.argv:
        sys.exit(0 if PAGE.exists() and PAGE.read_text("utf-8") == new else 1)
    PAGE.write_text(new, "utf-8")
