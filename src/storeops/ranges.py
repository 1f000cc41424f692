"""`storeops diff`: the net change of project files between two trees, and resolving revisions.

Unlike history.py's log, which walks every commit, a range compares only its
two ends (or HEAD and the work tree, for uncommitted edits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storeops import gitcmd, yamlio
from storeops.changes import Change, compare, created
from storeops.errors import DataError, UsageError
from storeops.gitlog import NEUTRAL, PROJECTS, Blobs, FileChange, Unreadable, Versions, parse_raw
from storeops.history import is_project_path, project_of
from storeops.model import FieldError, Project


@dataclass
class ProjectDiff:
    project: str
    path: str
    status: str                     # added, modified, deleted, renamed
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"project": self.project, "path": self.path, "status": self.status,
                "changes": [c.to_dict() for c in self.changes]}


_STATUS = {"A": "added", "D": "deleted", "R": "renamed", "M": "modified", "T": "modified", "C": "added"}


def resolve(root: Path, revision: str) -> str:
    proc = gitcmd.run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}",
                      check=False)
    if proc.returncode != 0:
        raise UsageError(f"unknown revision {revision!r}",
                         hint="name a branch, tag or commit; in CI fetch it first "
                              "(git fetch origin main, or fetch-depth: 0)")
    return proc.stdout.strip()


def parse_range(root: Path, spec: str | None) -> tuple[str, str | None]:
    """(base commit, head commit or None for the work tree), like `git diff`'s arguments."""
    if not spec:
        return resolve(root, "HEAD"), None
    if "..." in spec:
        left, right = spec.split("...", 1)
        head = resolve(root, right or "HEAD")
        proc = gitcmd.run(root, "merge-base", resolve(root, left or "HEAD"), head, check=False)
        if proc.returncode != 0:
            raise UsageError(f"{left} and {right or 'HEAD'} have no common ancestor")
        return proc.stdout.strip(), head
    if ".." in spec:
        left, right = spec.split("..", 1)
        return resolve(root, left or "HEAD"), resolve(root, right or "HEAD")
    return resolve(root, spec), None


def diff(root: Path, base: str, head: str | None) -> list[ProjectDiff]:
    """Project by project, what changed from `base` to `head` (None: the work tree, uncommitted edits included)."""
    args = ["diff", "--raw", "-z", "--no-abbrev", "-M", "--no-ext-diff", base]
    if head:
        args.append(head)
    proc = gitcmd.run(root, *NEUTRAL, *args, "--", PROJECTS, text=False)
    files, _ = parse_raw(proc.stdout.decode("utf-8", "replace").split("\0"))
    if head is None:
        untracked = gitcmd.run(root, "ls-files", "-z", "--others", "--exclude-standard", "--", PROJECTS)
        files += [FileChange("A", None, p, None, None) for p in untracked.stdout.split("\0") if p]
    files = [f for f in files if is_project_path(f.new_path) or is_project_path(f.old_path)]
    out: list[ProjectDiff] = []
    with Blobs(root) as blobs:
        versions = Versions(blobs)
        versions.load([f.old_blob for f in files] + [f.new_blob for f in files])
        for change in sorted(files, key=lambda f: f.path):
            old = versions.get(change.old_blob)
            new = versions.get(change.new_blob) if head or change.new_path is None else _work_tree(root, change)
            if isinstance(new, Unreadable):
                changes = [Change("edit", f"the file does not parse: {new.message}")]
            else:
                old = old if isinstance(old, Project) else None
                changes = created(new) if old is None and isinstance(new, Project) else compare(old, new)
            if change.status == "R" and not any(c.action == "rename" for c in changes):
                changes.insert(0, Change("rename", f"file moved {change.old_path} → {change.new_path}",
                                         field="path", old=change.old_path, new=change.new_path))
            if changes:
                project = new.id if isinstance(new, Project) else project_of(change.path)
                out.append(ProjectDiff(project, change.path, _STATUS.get(change.status, "modified"), changes))
    return out


def _work_tree(root: Path, change: FileChange) -> Project | Unreadable | None:
    path = root / change.new_path
    if not path.is_file():
        return None
    try:
        text = yamlio.read_bytes(path, change.new_path)
        return Project.from_dict(yamlio.loads(text, change.new_path))
    except DataError as error:
        return Unreadable(error.message)
    except FieldError as error:
        return Unreadable(error.message)

