"""The stores repo on disk: finding it, reading and writing its files, the lock.

Write path: lock → load → change → validate → atomic write → one commit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from storeops import yamlio
from storeops.config import Config
from storeops.errors import DataError, EnvError, LockBusy, UsageError, did_you_mean
from storeops.model import ID_RE, FieldError, Project

CONFIG_FILE = "storeops.yaml"
PROJECTS_DIR = "projects"
ATTACHMENTS_DIR = "attachments"
SOP_DIR = "sop"
LOCK_WAIT_SECONDS = 60.0


def find_root(start: Path) -> Path:
    """Walk up from `start` to the folder that holds storeops.yaml."""
    start = start.resolve()
    if not start.exists():
        raise EnvError(f"{start}: no such directory")
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise EnvError(
        f"{start}: not a stores repo (no {CONFIG_FILE} here or in any parent folder)",
        hint="run `storeops init` to make one, or pass -C PATH",
    )


def field_error(source: str, text: str, error: FieldError) -> DataError:
    where = yamlio.locate(text, error.path) or (None, None)
    return DataError(source, error.message, line=where[0], col=where[1], field=error.dotted or None,
                     hint="fix the field, then run `storeops check`")


def parse_project(text: str, source: str) -> Project:
    data = yamlio.loads(text, source)
    try:
        return Project.from_dict(data)
    except FieldError as error:
        raise field_error(source, text, error) from None


def check_id(value: str, what: str = "project id") -> str:
    # ids become file names: this is also the path-traversal guard
    if not ID_RE.match(value or ""):
        raise UsageError(f"{value!r} is not a valid {what}",
                         hint="use lowercase letters, digits and '-', starting with a letter or digit")
    return value


def atomic_write(path: Path, text: str) -> None:
    """Write via temp file + fsync + rename: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT):
            raise EnvError(f"{path}: cannot write ({os.strerror(error.errno)})",
                           hint="free disk space or fix permissions; nothing was changed") from None
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@dataclass
class StoresRepo:
    root: Path

    @classmethod
    def open(cls, start: Path) -> StoresRepo:
        return cls(find_root(start))

    # ---- paths ----
    @property
    def projects_dir(self) -> Path:
        return self.root / PROJECTS_DIR

    def project_path(self, project_id: str) -> Path:
        return self.projects_dir / f"{check_id(project_id)}.yaml"

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def git_dir(self) -> Path:
        dot_git = self.root / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # worktree or submodule: "gitdir: <path>"
            target = dot_git.read_text().split(":", 1)[1].strip()
            return (self.root / target).resolve()
        raise EnvError(f"{self.root}: the stores repo is not a git repository", hint="run `git init` there")

    # ---- config ----
    _config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            path = self.root / CONFIG_FILE
            text = yamlio.read_bytes(path, CONFIG_FILE)
            data = yamlio.loads(text, CONFIG_FILE)
            try:
                self._config = Config.from_dict(data)
            except FieldError as error:
                raise field_error(CONFIG_FILE, text, error) from None
        return self._config

    # ---- projects ----
    def project_ids(self) -> list[str]:
        if not self.projects_dir.is_dir():
            return []
        return sorted(p.name[:-5] for p in self.projects_dir.iterdir()
                      if p.name.endswith(".yaml") and not p.name.startswith("."))

    def read_project_text(self, project_id: str) -> tuple[str, str]:
        path = self.project_path(project_id)
        source = self.rel(path)
        if not path.is_file():
            raise UsageError(f"unknown project {project_id!r}", hint=did_you_mean(project_id, self.project_ids()))
        return yamlio.read_bytes(path, source), source

    def load_project(self, project_id: str) -> Project:
        text, source = self.read_project_text(project_id)
        return self.project_from_text(project_id, text, source)

    def project_from_text(self, project_id: str, text: str, source: str) -> Project:
        project = parse_project(text, source)
        if project.id != project_id:
            where = yamlio.locate(text, ("id",)) or (None, None)
            raise DataError(source, f"id is {project.id!r} but the file is named {project_id}.yaml",
                            line=where[0], col=where[1], field="id", hint="rename the file or fix the id")
        return project

    def load_projects(self) -> list[Project]:
        """Every project, in id order (through the cache of parsed files: see cache.py)."""
        from storeops.cache import read_projects

        return read_projects(self, "project")

    @property
    def cache_dir_root(self) -> Path | None:
        """The git dir where the cache lives, or None when this is not a git repository."""
        try:
            return self.git_dir
        except EnvError:
            return None

    def write_project(self, project: Project) -> str:
        path = self.project_path(project.id)
        atomic_write(path, yamlio.dumps(project.to_dict()))
        return self.rel(path)

    # ---- lock ----
    @contextlib.contextmanager
    def lock(self, wait: float = LOCK_WAIT_SECONDS):
        """Exclusive lock for the write path (flock: released by the kernel if we die)."""
        import fcntl

        lock_dir = self.git_dir
        path = lock_dir / "storeops.lock"
        handle = open(path, "a+")
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another process"
                        raise LockBusy(f"the stores repo is busy ({holder} holds {path})",
                                       hint="wait for it to finish and retry") from None
                    time.sleep(0.02)
            handle.seek(0)
            handle.truncate()
            handle.write(f"storeops pid {os.getpid()}")
            handle.flush()
            self._config = None  # another writer may have changed it while we waited
            yield
        finally:
            with contextlib.suppress(OSError):
                handle.truncate(0)
            handle.close()
