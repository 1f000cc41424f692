"""The audit trail: git history read back as domain events.

One `git log` process lists the commits and, per commit, which project files
changed with their blob ids (`--raw -z`); one `git cat-file --batch` process
returns the blobs. Each version is parsed (yamlio + model) and consecutive
versions are compared (changes.compare): the YAML is the truth, commit
trailers only say whether storeops made the commit. Reading git is gitlog.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storeops.changes import Change, compare
from storeops.config import Config
from storeops.gitlog import PROJECTS, Blobs, Commit, FileChange, Unreadable, Versions, read_commits, stream_commits
from storeops.model import Project

@dataclass(frozen=True)
class Event:
    commit: Commit
    project: str
    path: str
    change: Change
    who: str                       # person name when the author's email is on the team, else the git name
    person: str | None
    via: str                       # "storeops" (trailer), "hand" (no trailer) or "merge"

    @property
    def action(self) -> str:
        return self.change.action

    def to_dict(self, timezone: str) -> dict:
        from zoneinfo import ZoneInfo

        return {
            "commit": self.commit.sha,
            "date": self.commit.date.astimezone(ZoneInfo(timezone)).isoformat(),
            "who": self.who,
            "person": self.person,
            "author": {"name": self.commit.author_name, "email": self.commit.author_email},
            "project": self.project,
            "path": self.path,
            **self.change.to_dict(),
            "via": self.via,
            "subject": self.commit.subject,
        }


def project_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def is_project_path(path: str | None) -> bool:
    return bool(path) and path.startswith(PROJECTS) and path.endswith(".yaml") and path.count("/") == 1


def file_changes(commit: Commit, change: FileChange, versions: Versions) -> list[Change]:
    """What one commit did to one project file; for a merge, only what neither parent had."""
    old = readable_before(change, versions)
    new = versions.get(change.new_blob)
    if isinstance(new, Unreadable):
        return [Change("edit", f"the file does not parse here: {new.message}", field=None)]
    changes = compare(old, new)
    if change.status == "R" and not any(c.action == "rename" for c in changes):
        changes.insert(0, Change("rename", f"file moved {change.old_path} → {change.new_path}", field="path",
                                 old=change.old_path, new=change.new_path))
    if commit.is_merge:
        for parent in commit.parents[1:]:
            other = versions.get(f"{parent}:{change.path}")
            if other is None or isinstance(other, Unreadable):
                continue
            theirs = {c.key for c in compare(other, new)}
            changes = [c for c in changes if c.key in theirs]
    return changes


def readable_before(change: FileChange, versions: Versions) -> Project | None:
    """The version a change started from; past versions that did not parse, the last one that did."""
    blob = change.old_blob
    old = versions.get(blob)
    seen: set = set()
    # a broken intermediate version: compare with the last version that parsed
    while isinstance(old, Unreadable) and blob not in seen:
        seen.add(blob)
        blob = versions.earlier.get(blob)
        old = versions.get(blob)
    return old if isinstance(old, Project) else None


@dataclass
class LogQuery:
    project: str | None = None
    since: date | None = None
    until: date | None = None
    author: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class Step:
    """One commit's change to one project file: the version it left, and what changed."""
    commit: Commit
    path: str
    project: str
    new: Project | Unreadable | None      # None: the commit deleted the file
    changes: tuple[Change, ...]

    @property
    def via(self) -> str:
        return "merge" if self.commit.is_merge else ("storeops" if self.commit.actions else "hand")


def walk(root: Path, project: str | None = None, select=None, own_path: bool = False) -> list[Step]:
    """Every commit's change to each project file, in git's order (newest first); one git log, one cat-file.

    `project` keeps that project's steps, following renames back; `own_path`
    reads the history of its file alone, which is faster in a big repository
    but starts at the last rename. `select(commit)` leaves commits out before
    any blob is read.
    """
    path_spec = f"{PROJECTS}{project}.yaml"
    steps: list[Step] = []
    with Blobs(root) as blobs:
        versions = Versions(blobs)
        chosen = None
        if project:
            # the file's own history is much faster to read than all of projects/; it is the whole story
            # unless the file was renamed into (then the full read follows the rename back)
            chosen, oldest = _choose(root, path_spec, path_spec, select, versions)
            if not own_path and oldest is not None and _renamed_into(root, oldest, path_spec):
                chosen = None
        if chosen is None:
            chosen, _ = _choose(root, PROJECTS, path_spec if project else None, select, versions)
        for commit, change in chosen:
            steps.append(Step(commit=commit, path=change.path, project=_project_id(change, versions),
                              new=versions.get(change.new_blob),
                              changes=tuple(file_changes(commit, change, versions))))
    return steps


def _choose(root: Path, paths: str, followed_path: str | None, select, versions: Versions):
    """The (commit, change) pairs of project files in the history of `paths` (only those of `followed_path`,
    back through its renames, when given), each batch's blobs read and parsed while git lists the next;
    and the oldest commit listed."""
    followed = {followed_path} if followed_path else None
    chosen: list[tuple[Commit, FileChange]] = []
    oldest = None
    for batch in stream_commits(root, ["HEAD"], [paths]):
        names: list[str] = []
        for commit in batch:
            oldest = commit
            for change in commit.files:
                if not (is_project_path(change.new_path) or is_project_path(change.old_path)):
                    continue
                if change.new_blob and change.old_blob and not commit.is_merge:
                    versions.earlier.setdefault(change.new_blob, change.old_blob)
                if followed is not None:
                    if change.new_path not in followed and change.old_path not in followed:
                        continue
                    if change.status == "R":
                        followed.add(change.old_path)  # the project's history before a rename
                if select is None or select(commit):
                    chosen.append((commit, change))
                    names += [change.old_blob, change.new_blob]
                    if commit.is_merge:
                        names += [f"{parent}:{change.path}" for parent in commit.parents[1:]]
        versions.load(names)
    return chosen, oldest


def _renamed_into(root: Path, oldest: Commit, path: str) -> bool:
    """Whether the oldest commit of `path`'s own history moved another file there (seen alone, a rename is an add)."""
    change = next((c for c in oldest.files if c.new_path == path), None)
    if change is None:  # not seen in its own oldest commit: read it all to be safe
        return True
    if change.status != "A":  # an edit: nothing older to find (a shallow clone ends there)
        return False
    [commit] = read_commits(root, ["-1", oldest.sha], [PROJECTS]) or [oldest]
    return any(c.new_path == path and c.status in "RC" for c in commit.files)


def is_shallow(root: Path) -> bool:
    """A shallow clone: its oldest commits stand for everything before them (a project shows as created there)."""
    from storeops import gitcmd

    found = gitcmd.run(root, "rev-parse", "--is-shallow-repository", check=False)
    return found.returncode == 0 and found.stdout.strip() == "true"


def log(root: Path, config: Config, query: LogQuery) -> list[Event]:
    """Events newest first, from every commit that touched projects/ (hand edits and merges included)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(config.timezone)
    events: list[Event] = []
    for step in walk(root, query.project, lambda commit: _selected(commit, config, zone, query)):
        person = config.person_by_email(step.commit.author_email)
        for item in step.changes:
            if query.action and item.action != query.action:
                continue
            events.append(Event(commit=step.commit, project=step.project, path=step.path, change=item,
                                who=person.name if person else step.commit.author_name,
                                person=person.name if person else None, via=step.via))
    # newest first by when it was written; ties keep git's order (children before parents)
    return sorted(events, key=lambda e: e.commit.date, reverse=True)


def _project_id(change: FileChange, versions: Versions) -> str:
    new = versions.get(change.new_blob)
    if isinstance(new, Project):
        return new.id
    return project_of(change.path)


def _selected(commit: Commit, config: Config, zone, query: LogQuery) -> bool:
    day = commit.date.astimezone(zone).date()
    if query.since and day < query.since:
        return False
    if query.until and day > query.until:
        return False
    if query.author:
        wanted = query.author.lower()
        person = config.person_by_email(commit.author_email)
        names = {commit.author_name.lower(), commit.author_email.lower()} | ({person.name.lower()} if person else set())
        if wanted not in names:
            return False
    return True
