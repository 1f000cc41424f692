"""Reading git history fast: one `git log -z --raw` stream of commits, one `git cat-file --batch` for blobs.

Commits come with the files they changed and their blob ids; each blob of a
project file is parsed once (yamlio + model) and kept by blob id, so the
versions of a file cost one parse each however many commits share them.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from storeops import gitcmd, yamlio
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
    new_mode: str = ""          # git's file mode after the change: 120000 is a symlink, 160000 a submodule

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
        _, new_mode, old_blob, new_blob, status = meta[1:].split(" ")[:5]
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
            new_mode=new_mode,
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

    def blob_id(self, name: str) -> str | None:
        """The blob id REV:PATH names (None: no such file there)."""
        if name not in self._by_name:
            self.load([name])
        return self._by_name.get(name)

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
