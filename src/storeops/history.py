"""The audit trail: git history read back as domain events.

One `git log` process lists the commits and, per commit, which project files
changed with their blob ids (`--raw -z`); one `git cat-file --batch` process
returns the blobs. Each version is parsed (yamlio + model) and consecutive
versions are compared (changes.compare): the YAML is the truth, commit
trailers only say whether storeops made the commit.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from storeops import gitcmd, yamlio
from storeops.changes import Change, compare
from storeops.config import Config
from storeops.errors import DataError
from storeops.model import FieldError, Project

NULL_BLOB = "0" * 40
PROJECTS = "projects/"

# %x1e starts a record; fields end with NUL (they cannot contain one), so a
# name or subject holding %x1e cannot forge a record: fields are read by count.
_FORMAT = ("%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%s%x00"
           "%(trailers:key=Storeops-Action,valueonly,separator=%x2C)%x00"
           "%(trailers:key=Storeops-Project,valueonly,separator=%x2C)%x00")
_FIELDS = 8

# settings a user's git config could set that would change the stream we parse
NEUTRAL = ("-c", "log.showSignature=false", "-c", "log.follow=false", "-c", "core.quotePath=false",
            "-c", "diff.renames=true")


@dataclass(frozen=True)
class FileChange:
    status: str                 # A, M, D, R, C, T (git's raw status letter)
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None

    @property
    def path(self) -> str:
        return self.new_path or self.old_path


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    date: datetime
    subject: str
    actions: tuple[str, ...]        # Storeops-Action trailers: a hint that storeops wrote it
    files: tuple[FileChange, ...]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def short(self) -> str:
        return self.sha[:9]


def _log_args(revisions: list[str], paths: list[str], reverse: bool = False) -> list[str]:
    return [*NEUTRAL, "log", "-z", f"--format={_FORMAT}", "--raw", "--no-abbrev", "-M", "--diff-merges=first-parent",
            "--full-history", "--no-color", "--encoding=UTF-8", *(["--reverse"] if reverse else []),
            *revisions, "--", *paths]


def read_commits(root: Path, revisions: list[str], paths: list[str], reverse: bool = False) -> list[Commit]:
    """Commits reachable from `revisions` that touch `paths`, with their changed files (one git process)."""
    proc = gitcmd.run(root, *_log_args(revisions, paths, reverse), check=False, text=False)
    _log_failed(proc.returncode, proc.stderr, revisions)
    return parse_log(proc.stdout.decode("utf-8", "replace"))


def _log_failed(code: int, stderr: bytes, revisions: list[str]) -> None:
    if code == 0:
        return
    message = stderr.decode("utf-8", "replace")
    if revisions == ["HEAD"] and ("does not have any commits" in message or "bad revision 'HEAD'" in message
                                  or "bad default revision" in message):
        return  # a repository without commits has no history yet
    raise gitcmd.GitFailed(["log"], message)


_CHUNK = 1 << 16


def stream_commits(root: Path, revisions: list[str], paths: list[str]) -> Iterator[list[Commit]]:
    """read_commits in batches, as git lists them: the caller's work on one batch overlaps git's on the next."""
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen([gitcmd._git_binary(), "-C", str(root), *_log_args(revisions, paths)],
                                stdout=subprocess.PIPE, stderr=stderr, env={**os.environ, **gitcmd.NEUTRAL_ENV})
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        tokens: list[str] = []
        pending = ""
        try:
            while True:
                chunk = proc.stdout.read1(_CHUNK)
                parts = (pending + decoder.decode(chunk, final=not chunk)).split("\0")
                pending = parts.pop() if chunk else ""
                tokens += parts
                commits, used = _records(tokens, final=not chunk)
                del tokens[:used]
                if commits:
                    yield commits
                if not chunk:
                    break
        finally:
            proc.stdout.close()
            proc.wait()
        stderr.seek(0)
        _log_failed(proc.returncode, stderr.read(), revisions)


def parse_log(stream: str) -> list[Commit]:
    return _records(stream.split("\0"), final=True)[0]


def _records(tokens: list[str], final: bool) -> tuple[list[Commit], int]:
    """The commits in `tokens` and how many tokens they used; unless `final`, a record that reaches the end
    of the tokens may go on in the next part of the stream, so it is left (with what follows) for then."""
    commits: list[Commit] = []
    i = used = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if not token.startswith("\x1e"):
            i += 1
            used = i if final else used
            continue
        if not final and i + _FIELDS >= len(tokens):
            break
        head = [token[1:]] + tokens[i + 1:i + _FIELDS]
        try:
            files, end = parse_raw(tokens, i + _FIELDS)
        except IndexError:  # a raw entry whose paths are still to come
            if final:
                raise
            break
        if not final and end >= len(tokens):
            break
        sha, parents, name, email, when, subject, actions, _projects = head
        commits.append(Commit(sha=sha, parents=tuple(parents.split()), author_name=name, author_email=email,
                              date=datetime.fromisoformat(when), subject=subject,
                              actions=tuple(a.strip() for a in actions.split(",") if a.strip()),
                              files=tuple(files)))
        i = used = end
    return commits, (len(tokens) if final else used)


def parse_raw(tokens: list[str], i: int = 0) -> tuple[list[FileChange], int]:
    """`--raw -z` entries from tokens[i:] up to the next record; returns them and where it stopped."""
    files: list[FileChange] = []
    while i < len(tokens):
        meta = tokens[i].lstrip("\n")
        if meta.startswith("\x1e"):
            break
        i += 1
        if not meta.startswith(":"):
            continue
        _, _, old_blob, new_blob, status = meta[1:].split(" ")[:5]
        letter = status[:1]
        if letter in "RC":
            old_path, new_path = tokens[i], tokens[i + 1]
            i += 2
        else:
            old_path = new_path = tokens[i]
            i += 1
        files.append(FileChange(
            status=letter,
            old_path=None if letter == "A" else old_path,
            new_path=None if letter == "D" else new_path,
            old_blob=None if old_blob == NULL_BLOB else old_blob,
            new_blob=None if new_blob == NULL_BLOB else new_blob,
        ))
    return files, i


class Blobs:
    """One `git cat-file --batch` process for every object a command needs."""

    def __init__(self, root: Path):
        self._proc = subprocess.Popen([gitcmd._git_binary(), "-C", str(root), "cat-file", "--batch"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._lock = threading.Lock()

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.stdout.close()
            self._proc.wait()

    def fetch(self, names: Iterable[str]) -> dict[str, tuple[str, bytes] | None]:
        """name (sha or REV:PATH) → (blob sha, content), or None when missing."""
        names = list(dict.fromkeys(n for n in names if n and "\n" not in n))
        if not names:
            return {}
        with self._lock:
            # a writer thread, so neither side waits on a full pipe
            writer = threading.Thread(target=self._write, args=(names,), daemon=True)
            writer.start()
            out: dict = {}
            read = self._proc.stdout
            for name in names:
                header = read.readline().decode("utf-8", "replace").rstrip("\n")
                parts = header.split(" ")
                if len(parts) != 3 or parts[1] == "missing":
                    out[name] = None
                    continue
                size = int(parts[2])
                content = read.read(size)
                read.read(1)
                out[name] = (parts[0], content) if parts[1] == "blob" else None
            writer.join()
            return out

    def _write(self, names: list[str]) -> None:
        try:
            self._proc.stdin.write("".join(n + "\n" for n in names).encode("utf-8"))
            self._proc.stdin.flush()
        except BrokenPipeError:
            pass


@dataclass(frozen=True)
class Unreadable:
    """A version of a project file that does not parse (a hand edit gone wrong)."""
    message: str


class Versions:
    """Parsed project versions by blob id, each parsed once."""

    def __init__(self, blobs: Blobs):
        self.blobs = blobs
        self._parsed: dict[str, Project | Unreadable] = {}
        self._by_name: dict[str, str | None] = {}
        self._parser = yamlio.SegmentParser()
        self._tasks: dict = {}
        self.earlier: dict[str, str] = {}   # blob → the blob it replaced, to step over broken versions

    def load(self, names: Iterable[str]) -> None:
        wanted = [n for n in names if n and n not in self._by_name and n not in self._parsed]
        for name, found in self.blobs.fetch(wanted).items():
            if found is None:
                self._by_name[name] = None
                continue
            sha, content = found
            self._by_name[name] = sha
            if sha not in self._parsed:
                self._parsed[sha] = self._parse(content, name)

    def get(self, name: str | None) -> Project | Unreadable | None:
        """The version for a blob id or REV:PATH (None: no such file there)."""
        if not name:
            return None
        if name not in self._parsed and name not in self._by_name:
            self.load([name])
        sha = name if name in self._parsed else self._by_name.get(name)
        return self._parsed.get(sha) if sha else None

    def text(self, name: str | None) -> str | None:
        """The raw text of a version (fetched again: only needed to point at a line)."""
        found = self.blobs.fetch([name]).get(name) if name else None
        return found[1].decode("utf-8", "replace") if found else None

    def _parse(self, content: bytes, name: str) -> Project | Unreadable:
        try:
            text = content.decode("utf-8")
            data = self._parser.loads(text, name)
            return Project.from_dict(data, memo=self._tasks)
        except UnicodeDecodeError:
            return Unreadable("not UTF-8")
        except DataError as error:
            return Unreadable(error.message)
        except FieldError as error:
            return Unreadable(f"{error.dotted}: {error.message}" if error.dotted else error.message)


# ---- events ----

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
