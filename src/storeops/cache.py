"""Parsed and validated project files, kept between runs in .git/storeops/cache/.

Parsing YAML is most of what `status` costs and JSON Schema validation most
of what `check` costs, and both depend only on a file's bytes (and on this
version of storeops). So results are kept per file content: the key is the
file's git blob id, computed here from the bytes on disk (what `git
hash-object` would print). A hand edit, a checkout, a merge, a file staged or
not: other bytes, another key. Nothing needs invalidating because nothing can
go stale; keys no file has any more are dropped at the next full read.

The cache is one file, replaced atomically (temp file + rename): a reader sees
a whole old or a whole new one, and concurrent writers cannot corrupt it (the
last rename wins; what the other one computed is computed again next time).
A file that does not load (truncated, garbage, written by another storeops or
Python) is ignored and replaced. STOREOPS_NO_CACHE=1 turns it off.

The entries hold pickles: only someone who can already write to .git (and so
install hooks) can plant one.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FORMAT = "storeops-cache-1"
FILE_NAME = "projects"


@dataclass(frozen=True)
class Entry:
    """What is known about one file content. None: not computed yet."""

    project: bytes | None = None   # pickled Project (None also when the file is not a valid project)
    summary: dict | None = None    # views.summary_seed
    findings: tuple | None = None  # check's content-only findings, see check.content_findings

    def merged(self, newer: Entry) -> Entry:
        return Entry(newer.project if newer.project is not None else self.project,
                     newer.summary if newer.summary is not None else self.summary,
                     newer.findings if newer.findings is not None else self.findings)

    def as_tuple(self) -> tuple:
        return (self.project, self.summary, self.findings)


def blob_id(raw: bytes) -> str:
    """The git (SHA-1) blob id of these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


@cache
def fingerprint() -> str:
    """Changes with anything that shapes an entry: storeops' code and schemas, the Python version."""
    from storeops import __version__
    from storeops.resources import data_dir

    digest = hashlib.sha1(f"{FORMAT}\0{__version__}\0{sys.version}".encode())
    package = Path(__file__).resolve().parent
    sources = sorted(package.glob("*.py")) + sorted(data_dir("schemas").rglob("*.json"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ProjectCache:
    def __init__(self, path: Path | None, entries: dict[str, tuple]):
        self.path = path
        self.entries = entries
        self.changed = False
        self.seen: set[str] = set()

    @classmethod
    def open(cls, git_dir: Path | None) -> ProjectCache:
        if git_dir is None or os.environ.get("STOREOPS_NO_CACHE"):
            return cls(None, {})
        path = git_dir / "storeops" / "cache" / FILE_NAME
        return cls(path, _read(path))

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def get(self, key: str) -> Entry | None:
        self.seen.add(key)
        found = self.entries.get(key)
        if not isinstance(found, tuple) or len(found) != 3:
            return None
        return Entry(*found)

    def put(self, key: str, entry: Entry) -> Entry:
        if not self.enabled:
            return entry
        old = self.get(key)
        entry = old.merged(entry) if old else entry
        if old is None or old != entry:
            self.entries[key] = entry.as_tuple()
            self.changed = True
        return entry

    def save(self, prune: bool = False) -> None:
        """Write the cache if anything changed; `prune` after reading every file: keep only what was read."""
        if not self.enabled:
            return
        if prune and len(self.seen) < len(self.entries):
            self.entries = {k: v for k, v in self.entries.items() if k in self.seen}
            self.changed = True
        if self.changed:
            _write(self.path, self.entries)
            self.changed = False


def _read(path: Path) -> dict[str, tuple]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not (isinstance(data, tuple) and len(data) == 3 and data[0] == FORMAT and data[1] == fingerprint()
            and isinstance(data[2], dict)):
        return {}  # another version's cache, or not a cache at all
    return data[2]


def _write(path: Path, entries: dict[str, tuple]) -> None:
    """Temp file + rename; a cache that cannot be written (read-only .git, full disk) is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps((FORMAT, fingerprint(), entries)))
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def dump_project(project) -> bytes:
    return pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL)


def read_projects(repo, want: str) -> list:
    """Every project of `repo` in id order: Project records (want="project") or summary seeds ("summary").

    Errors are those of repo.load_project: a file that does not parse raises
    its DataError, whether or not a cache is there.
    """
    from storeops import yamlio
    from storeops.views import summary_seed

    store = ProjectCache.open(repo.cache_dir_root)
    out = []
    for pid in repo.project_ids():
        path = repo.project_path(pid)
        source = repo.rel(path)
        raw = yamlio.read_raw(path, source)
        key = blob_id(raw)
        value = _cached(store.get(key), want)
        if value is None:
            project = repo.project_from_text(pid, yamlio.decode(raw, source), source)
            entry = store.put(key, Entry(project=dump_project(project), summary=summary_seed(project)))
            value = project if want == "project" else entry.summary
        elif (value.id if want == "project" else value["id"]) != pid:
            repo.load_project(pid)  # the same content under another name: raises the id mismatch, with its line
        out.append(value)
    store.save(prune=True)
    return out


def _cached(entry: Entry | None, want: str):
    if entry is None:
        return None
    if want == "summary":
        return entry.summary if isinstance(entry.summary, dict) else None
    return load_project(entry)


def load_project(entry: Entry | None):
    """The entry's Project, or None (none stored, or a damaged entry: a miss either way)."""
    if entry is None or entry.project is None:
        return None
    try:
        return pickle.loads(entry.project)
    except Exception:
        return None
