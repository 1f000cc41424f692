"""Parsed and validated project files, kept between runs in .git/storeops/cache/.

Parsing YAML is most of what `status` costs and JSON Schema validation most
of what `check` costs, and both depend only on a file's bytes (and on this
version of storeops). So results are kept per file content: the key is the
file's git blob id, computed here from the bytes on disk (what `git
hash-object` would print). A hand edit, a checkout, a merge, a file staged or
not: other bytes, another key. Nothing needs invalidating because nothing can
go stale; keys no file has any more are dropped at the next full read.

Each section of the cache is one file, replaced atomically (temp file +
rename): a reader sees a whole old or a whole new one, and concurrent writers
cannot corrupt it (the last rename wins; what the other one computed is
computed again next time).
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
from functools import cache
from pathlib import Path

FORMAT = "storeops-cache-2"
# one file each, so that `status` reads only the small one
SECTIONS = ("summary", "project", "findings")
#   summary:  summary.summary_seed of the project (plain data)
#   project:  the pickled Project
#   findings: check.content_findings (what check finds from the bytes alone)


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
    """The cache of one repo: sections read on first use, written back when changed."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.sections: dict[str, dict] = {}
        self.changed: set[str] = set()
        self.seen: set[str] = set()

    @classmethod
    def open(cls, git_dir: Path | None) -> ProjectCache:
        if git_dir is None or os.environ.get("STOREOPS_NO_CACHE"):
            return cls(None)
        return cls(git_dir / "storeops" / "cache")

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _section(self, name: str) -> dict:
        if name not in self.sections:
            self.sections[name] = _read(self.folder / name, name) if self.enabled else {}
        return self.sections[name]

    def get(self, key: str, section: str):
        self.seen.add(key)
        return self._section(section).get(key)

    def put(self, key: str, section: str, value) -> None:
        if not self.enabled:
            return
        entries = self._section(section)
        if entries.get(key) != value:
            entries[key] = value
            self.changed.add(section)

    def save(self, prune: bool = False) -> None:
        """Write the changed sections; `prune` after reading every file: keep only the keys read."""
        if not self.enabled:
            return
        for name, entries in self.sections.items():
            if prune and any(key not in self.seen for key in entries):
                self.sections[name] = entries = {k: v for k, v in entries.items() if k in self.seen}
                self.changed.add(name)
            if name in self.changed:
                _write(self.folder / name, name, entries)
        self.changed.clear()


def _read(path: Path, name: str) -> dict:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not (isinstance(data, tuple) and len(data) == 4 and data[:3] == (FORMAT, name, fingerprint())
            and isinstance(data[3], dict)):
        return {}  # another version's cache, or not a cache at all
    return data[3]


def _write(path: Path, name: str, entries: dict) -> None:
    """Temp file + rename; a cache that cannot be written (read-only .git, full disk) is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps((FORMAT, name, fingerprint(), entries)))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as git's own files: the team's other accounts may share this clone
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def dump_project(project) -> bytes:
    return pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL)


def load_project(pickled):
    """The Project from its pickle, or None (nothing stored, or a damaged entry: a miss either way)."""
    if not isinstance(pickled, bytes):
        return None
    try:
        return pickle.loads(pickled)
    except Exception:
        return None
