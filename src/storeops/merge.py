"""Three-way merge of project files by field: git's `storeops` merge driver.

Two people advancing different tasks of one project edit different lines of
one file, often close enough for git's line merge to conflict. Merging the
parsed records instead: tasks and documents are matched by id, approvals,
notes, rejections and lists of ids merge as unions, and only a field changed
two different ways is a conflict, named by project, task and field.
"""

from __future__ import annotations

import difflib
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storeops import gitcmd, yamlio
from storeops.errors import DataError
from storeops.repo import PROJECT_MODELINE, project_text
from storeops.model import FieldError, Project
from storeops.workflow import task_problems

DRIVER = "storeops"
DRIVER_NAME = "storeops: merge project files field by field"

_KEYED = ("tasks", "documents")                     # lists of records matched by `id`
_UNION = ("approvals", "notes", "rejections", "depends_on", "readers")
_MISSING = object()


@dataclass(frozen=True)
class Conflict:
    where: tuple            # ("tasks", "bank", "due"): ids, not indexes
    base: Any
    ours: Any
    theirs: Any

    def describe(self, project: str, ours: str = "ours", theirs: str = "theirs") -> str:
        return (f"{project}: {place(self.where)}: {ours} {_shown(self.ours)}, {theirs} {_shown(self.theirs)} "
                f"(was {_shown(self.base)})")


def place(where: tuple) -> str:
    parts, rest = [], list(where)
    while rest:
        key = rest.pop(0)
        if key in _KEYED and rest:
            parts.append(f"{'task' if key == 'tasks' else 'document'} {rest.pop(0)}")
        else:
            parts.append(str(key))
    return ", ".join(parts) if parts else "the whole file"


def _shown(value: Any) -> str:
    if value is _MISSING or value is None:
        return "none"
    if isinstance(value, dict) and "id" in value:
        return f"{value['id']} (edited)"
    if isinstance(value, (dict, list)):
        return "(edited)"
    return str(value)


@dataclass(frozen=True)
class RuleBreak:
    """Two sides that each keep a workflow rule, merged into a project that breaks it: one side reassigns
    a task the other marked done on an approval by the new assignee, one reopens a task the other's next
    step depends on. No field changed two ways, yet the result is wrong: a conflict all the same."""
    task: str
    message: str
    tasks: tuple            # the task and its dependencies: the records each side's version replaces whole
    ours: tuple             # "task.field" each side changed among them
    theirs: tuple

    def describe(self, project: str, ours: str = "ours", theirs: str = "theirs") -> str:
        return (f"{project}: task {self.task}: once merged, {self.message} ({ours} changed "
                f"{', '.join(self.ours) or 'nothing here'}; {theirs} changed "
                f"{', '.join(self.theirs) or 'nothing here'}); keep one side's version")


@dataclass
class Outcome:
    text: str
    conflicts: list[Conflict]
    project: str


def merge_texts(base: str, ours: str, theirs: str, source: str = "project",
                sides: tuple[str, str] = ("ours", "theirs")) -> Outcome:
    """Merge three versions of a project file; raises DataError when one does not parse.

    On conflict the text is the merge with git-style markers around the
    conflicting lines only (everything that merged cleanly is already in).
    """
    o = _canonical(base, f"{source} (base)") if base.strip() else {}
    a = _canonical(ours, f"{source} ({sides[0]})")
    b = _canonical(theirs, f"{source} ({sides[1]})")
    conflicts: list[Conflict] = []
    merged = _merge(o, a, b, (), conflicts, pick="ours")
    project = a.get("id", source)
    if not conflicts:
        breaks = _rule_breaks(o, a, b, merged)
        if not breaks:
            return Outcome(_dump(merged), [], project)
        involved = {task_id for rule in breaks for task_id in rule.tasks}
        return Outcome(_marked(_dump(_with_tasks(merged, a, involved)), _dump(_with_tasks(merged, b, involved)),
                               *sides), breaks, project)
    theirs_pick = _merge(o, a, b, (), [], pick="theirs")
    return Outcome(_marked(_dump(merged), _dump(theirs_pick), *sides), conflicts, project)


def _canonical(text: str, source: str) -> dict:
    data = yamlio.loads(text, source)
    try:
        return Project.from_dict(data).to_dict()
    except FieldError as error:
        where = yamlio.locate(text, error.path) or (None, None)
        raise DataError(source, error.message, line=where[0], col=where[1], field=error.dotted or None) from None


def _dump(data: dict) -> str:
    try:
        return project_text(Project.from_dict(data))
    except FieldError:
        return PROJECT_MODELINE + yamlio.dumps(data)  # still written, `storeops check` will say what is wrong


def _merge(o: Any, a: Any, b: Any, where: tuple, conflicts: list, pick: str) -> Any:
    if a == b:
        return a
    if _same(a, o):
        return b
    if _same(b, o):
        return a
    name = where[-1] if where else None
    if isinstance(a, dict) and isinstance(b, dict) and not _whole(where):
        return _merge_mapping(o if isinstance(o, dict) else {}, a, b, where, conflicts, pick)
    if isinstance(a, list) and isinstance(b, list):
        base = o if isinstance(o, list) else []
        if name in _KEYED:
            return _merge_keyed(base, a, b, where, conflicts, pick)
        if name in _UNION:
            return _union(base, a, b)
    conflicts.append(Conflict(where, None if o is _MISSING else o, a, b))
    return a if pick == "ours" else b


def _rule_breaks(o: dict, a: dict, b: dict, merged: dict) -> list[RuleBreak]:
    try:
        ours, theirs, both = (Project.from_dict(x) for x in (a, b, merged))
    except FieldError:
        return []  # `storeops check` reports a file that does not load

    def problems(project: Project) -> set:
        return {(t.id, message) for t in project.tasks for _, message, _ in task_problems(project, t)}

    kept = problems(ours) | problems(theirs)
    found = []
    for task in both.tasks:
        for _, message, _ in task_problems(both, task):
            if (task.id, message) not in kept:
                ids = (task.id, *task.depends_on)
                found.append(RuleBreak(task.id, message, ids, _changed(o, a, ids), _changed(o, b, ids)))
    return found


def _tasks_by_id(data: dict) -> dict:
    return {t["id"]: t for t in data.get("tasks") or [] if isinstance(t, dict) and "id" in t}


def _changed(base: dict, side: dict, ids: tuple) -> tuple:
    before, after = _tasks_by_id(base), _tasks_by_id(side)
    return tuple(f"{task_id}.{key}" for task_id in ids
                 for key in sorted(set(before.get(task_id, {})) | set(after.get(task_id, {})))
                 if before.get(task_id, {}).get(key) != after.get(task_id, {}).get(key))


def _with_tasks(merged: dict, side: dict, ids: set) -> dict:
    """`merged` with the tasks in `ids` as `side` has them."""
    chosen = _tasks_by_id(side)
    return {**merged, "tasks": [chosen.get(t["id"], t) if t["id"] in ids else t for t in merged["tasks"]]}


def _whole(where: tuple) -> bool:
    """Records that only make sense whole: one secret (hint + ciphertext), the archive record, a title."""
    return (len(where) == 2 and where[0] == "secrets") or where[-1:] in (("archived",), ("title",))


def _same(x: Any, y: Any) -> bool:
    return x is y or (x is not _MISSING and y is not _MISSING and x == y)


def _merge_mapping(o: dict, a: dict, b: dict, where: tuple, conflicts: list, pick: str) -> dict:
    out: dict = {}
    for key in list(a) + [k for k in b if k not in a]:
        value = _merge(o.get(key, _MISSING), a.get(key, _MISSING), b.get(key, _MISSING), where + (key,),
                       conflicts, pick)
        if value is not _MISSING:
            out[key] = value
    return out


def _merge_keyed(o: list, a: list, b: list, where: tuple, conflicts: list, pick: str) -> list:
    by_o = {item["id"]: item for item in o}
    by_a = {item["id"]: item for item in a}
    by_b = {item["id"]: item for item in b}
    order = [item["id"] for item in a]
    for k, item in enumerate(b):  # theirs' new items go after their predecessor in theirs
        if item["id"] not in by_a and item["id"] not in by_o:
            before = next((b[j]["id"] for j in range(k - 1, -1, -1) if b[j]["id"] in order), None)
            order.insert(order.index(before) + 1 if before else 0, item["id"])
    out = []
    for item_id in order + [i for i in by_b if i not in order and i in by_o]:
        value = _merge(by_o.get(item_id, _MISSING), by_a.get(item_id, _MISSING), by_b.get(item_id, _MISSING),
                       where + (item_id,), conflicts, pick)
        if value is not _MISSING:
            out.append(value)
    return out


def _union(o: list, a: list, b: list) -> list:
    """Ours in order, less what theirs removed, then what theirs added."""
    kept = [x for x in a if not (x in o and x not in b)]
    return kept + [x for x in b if x not in o and x not in a]


def _marked(ours: str, theirs: str, ours_label: str = "ours", theirs_label: str = "theirs") -> str:
    """`ours` with git-style conflict markers around the lines where `theirs` differs."""
    a, b = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += a[i1:i2]
        else:
            out += [f"<<<<<<< {ours_label}\n", *a[i1:i2], "=======\n", *b[j1:j2], f">>>>>>> {theirs_label}\n"]
    return "".join(out)


# ---- the git side: driver entry point and registration ----

def labels() -> tuple[str, str]:
    """How to call the two sides in messages; `storeops sync` sets these (in a rebase, ours is the remote)."""
    return (os.environ.get("STOREOPS_MERGE_OURS") or "ours", os.environ.get("STOREOPS_MERGE_THEIRS") or "theirs")


def merge_file(base: Path, ours: Path, theirs: Path, shown: str) -> list[str]:
    """Run as git's merge driver: result in `ours`; returns conflict descriptions (empty: clean)."""
    sides = labels()
    try:
        texts = [p.read_text("utf-8") if p.exists() else "" for p in (base, ours, theirs)]
        outcome = merge_texts(*texts, source=shown, sides=sides)
    except (DataError, UnicodeDecodeError) as error:
        return _line_merge(base, ours, theirs, shown, getattr(error, "message", "not UTF-8"))
    ours.write_text(outcome.text, "utf-8")
    return [f"{shown}: " + c.describe(outcome.project, *sides) for c in outcome.conflicts]


def _line_merge(base: Path, ours: Path, theirs: Path, shown: str, why: str) -> list[str]:
    ours_label, theirs_label = labels()
    proc = subprocess.run(["git", "merge-file", "-L", ours_label, "-L", "base", "-L", theirs_label,
                           str(ours), str(base), str(theirs)], capture_output=True, text=True)
    if proc.returncode == 0:
        return []
    return [f"{shown}: cannot merge by field ({why}); merged line by line with conflict markers"]


# The registered command: `sh -c SCRIPT PYTHON %O %A %B %P`. It runs this storeops through the absolute
# interpreter, so it works whatever PATH git has (a GUI client, an IDE, a venv not activated). When that
# cannot run (the interpreter or its storeops gone: exit 127, or 1 without storeops importable), git's own
# line merge runs instead, with conflict markers in %A and a non-zero exit, so the other side's change is
# never silently dropped. `git merge-file CURRENT BASE OTHER` writes into CURRENT (%A) and exits with the
# number of conflicts.
_SCRIPT = ('"$0" -m storeops merge-file "$1" "$2" "$3" "$4"; s=$?; '
           '[ "$s" = 0 ] && exit 0; '
           '[ "$s" = 1 ] && "$0" -c "import storeops.merge" 2>/dev/null && exit 1; '
           'echo "storeops: $4: {message}" >&2; '
           'git merge-file -L "${{STOREOPS_MERGE_OURS:-ours}}" -L base -L "${{STOREOPS_MERGE_THEIRS:-theirs}}" '
           '"$2" "$1" "$3"')
_ARGS = ["%O", "%A", "%B", "%P"]


def driver_command(python: str | None = None) -> str:
    """The merge driver for git's config: this interpreter's storeops, with git's line merge as a fallback."""
    from storeops.messages import say

    python = os.path.abspath(python or sys.executable)
    message = say("storeops cannot run here, so git merged this file line by line")
    script = _SCRIPT.format(message=message.replace("\\", "").replace('"', "").replace("$", "").replace("`", ""))
    return shlex.join(["sh", "-c", script, python, *_ARGS])


def driver_interpreter(command: str) -> str | None:
    """The interpreter a driver registered by driver_command() runs (None: not such a driver)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    before, after = _SCRIPT.format(message="\0").split("\0")
    if (len(words) == 8 and words[:2] == ["sh", "-c"] and words[2].startswith(before) and words[2].endswith(after)
            and words[4:] == _ARGS):
        return words[3]
    return None


def registered_driver(root: Path) -> str | None:
    proc = gitcmd.run(root, "config", "--local", "--get", f"merge.{DRIVER}.driver", check=False)
    return proc.stdout.strip() or None


def register_driver(root: Path) -> str:
    """Write the local git config entries (they are not versioned: each clone needs them)."""
    command = driver_command()
    gitcmd.run(root, "config", "--local", f"merge.{DRIVER}.name", DRIVER_NAME)
    gitcmd.run(root, "config", "--local", f"merge.{DRIVER}.driver", command)
    return command


def driver_problem(command: str | None) -> str | None:
    """Why a registered driver would not merge with storeops whatever PATH git has (None: it would)."""
    if command is None:
        return "was missing"
    python = driver_interpreter(command)
    if python is None:
        try:
            program = shlex.split(command)[0]
        except (ValueError, IndexError):
            program = command
        if os.path.basename(program) == "storeops":
            return "bare storeops depends on git's PATH and has no line-merge fallback"
        return f"{program} is not storeops's driver with a line-merge fallback"
    if not (os.path.isabs(python) and os.path.isfile(python) and os.access(python, os.X_OK)):
        return f"interpreter {python} is missing"
    if os.path.realpath(python) != os.path.realpath(sys.executable):
        found = subprocess.run([python, "-c", "import storeops.merge"], capture_output=True)
        if found.returncode != 0:
            return f"interpreter {python} has no storeops"
    return None


def driver_runnable(command: str) -> bool:
    return driver_problem(command) is None


def attributes_ok(root: Path) -> bool:
    proc = gitcmd.run(root, "check-attr", "merge", "--", "projects/any.yaml", check=False)
    return proc.stdout.strip().endswith(f": merge: {DRIVER}")
