"""The stores repo on disk: finding it, reading and writing its files, the lock.

Write path: lock → load → change → validate → atomic write → one commit.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from storeops import yamlio
# the atomic writes live below repo and journal (which both use them); named here as they always were
from storeops.atomic import (TEMP_MARK, WRITE_ERRORS, _umask, atomic_write, atomic_write_bytes,  # noqa: F401
                             write_refused)
from storeops.config import Config
from storeops.errors import DataError, EnvError, LockBusy, UsageError, did_you_mean
from storeops.model import ID_RE, FieldError, Project

CONFIG_FILE = "storeops.yaml"
PROJECTS_DIR = "projects"
ATTACHMENTS_DIR = "attachments"
SOP_DIR = "sop"
LOCK_WAIT_SECONDS = 60.0
SCHEMA_COPY_DIR = ".storeops/schemas"

# Editors (VS Code YAML, Neovim yamlls) complete and validate fields from this line.
PROJECT_MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_COPY_DIR}/project.schema.json\n"
CONFIG_MODELINE = f"# yaml-language-server: $schema={SCHEMA_COPY_DIR}/config.schema.json\n"


def project_text(project: Project) -> str:
    """The canonical text of a project file."""
    return PROJECT_MODELINE + yamlio.dumps(project.to_dict())


def config_text(config: Config) -> str:
    return CONFIG_MODELINE + yamlio.dumps(config.to_dict())


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


def linked(root: Path, relative: str, folders: dict | None = None) -> str | None:
    """The first component of `relative` (a path inside the repo) that is a symlink, as a repo path; else None.

    `folders`: a cache of folder → linked(folder) for one run over many files (a check of every attachment).
    """
    parts = [p for p in str(relative).replace(os.sep, "/").split("/") if p not in ("", ".")]
    base = os.fspath(root)
    for i in range(len(parts)):
        prefix = "/".join(parts[:i + 1])
        if folders is not None and i < len(parts) - 1:
            if prefix not in folders:
                folders[prefix] = os.path.islink(os.path.join(base, prefix))
            found = folders[prefix]
        else:
            found = os.path.islink(os.path.join(base, prefix))
        if found:
            return prefix
    return None


def refuse_links(root: Path, paths) -> None:
    """Storeops never reads or writes through a symlink inside the stores repo: a pull request could point
    one at a file outside it (the CI runner's credentials, a folder to write into)."""
    for rel in paths:
        link = linked(root, str(rel))
        if link is not None:
            raise EnvError(f"{link} is a symbolic link: storeops does not read or write through links in the "
                           "stores repo",
                           hint="replace it with a real file or folder (`storeops check` lists every link); "
                                "nothing was changed")


@dataclass
class StoresRepo:
    root: Path

    @classmethod
    def open(cls, start: Path) -> StoresRepo:
        """The stores repo at or above `start`; a write a killed storeops left half done is finished or undone
        first (journal.py), so that no command reads or commits what it left."""
        repo = cls(find_root(start))
        repo.recover()
        return repo

    # ---- the write journal ----
    recovered: list = None  # what recover() finished or undid (journal.Recovered), for the CLI to say

    def recover(self) -> None:
        from storeops import journal

        try:
            git_dir = self.git_dir
        except EnvError:
            return
        if not journal.pending(git_dir) or journal.owner_alive(git_dir):
            return  # none, or a writer at work: readers do not wait for it, writers do (in lock())
        try:
            with self.lock(wait=journal.LIVE_WAIT_SECONDS, check_state=False):
                pass  # lock() recovers inside
        except LockBusy:
            return  # another command holds the lock: it recovers before it writes
        except EnvError:
            return  # a lock file of some other git command: recovery is done, the writer reports the lock

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
        if self._git_dir is None:
            self._git_dir = self._find_git_dir()
        return self._git_dir

    _git_dir: Path | None = None

    def _find_git_dir(self) -> Path:
        dot_git = self.root / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # worktree or submodule: "gitdir: <path>"
            text = dot_git.read_text(encoding="utf-8", errors="replace")
            if text.startswith("gitdir:"):
                return (self.root / text.split(":", 1)[1].strip()).resolve()
        from storeops import gitcmd

        # a stores repo may also be a folder inside a bigger repository
        if gitcmd.is_work_tree(self.root):
            return gitcmd.git_dir(self.root)
        raise EnvError(f"{self.root}: the stores repo is not a git repository",
                       hint="run `git init` there (or `git clone` the team's stores repo)")

    # ---- config ----
    _config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            path = self.root / CONFIG_FILE
            refuse_links(self.root, [CONFIG_FILE])
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
        if self.projects_dir.is_symlink():
            return []  # never followed; `check` reports the link
        return sorted(p.name[:-5] for p in self.projects_dir.iterdir()
                      if p.name.endswith(".yaml") and not p.name.startswith(".") and not p.is_symlink())

    def read_project_text(self, project_id: str) -> tuple[str, str]:
        path = self.project_path(project_id)
        source = self.rel(path)
        refuse_links(self.root, [source])
        if not path.is_file():
            raise UsageError(f"unknown project {project_id!r}", hint=did_you_mean(project_id, self.project_ids()))
        return yamlio.read_bytes(path, source), source

    def load_project(self, project_id: str) -> Project:
        return self.load_project_and_text(project_id)[0]

    def load_project_and_text(self, project_id: str) -> tuple[Project, str, str]:
        """The project, the text it was read from, and its file as shown to users."""
        text, source = self.read_project_text(project_id)
        return self.project_from_text(project_id, text, source), text, source

    def project_from_text(self, project_id: str, text: str, source: str) -> Project:
        project = parse_project(text, source)
        if project.id != project_id:
            where = yamlio.locate(text, ("id",)) or (None, None)
            raise DataError(source, f"id is {project.id!r} but the file is named {project_id}.yaml",
                            line=where[0], col=where[1], field="id", hint="rename the file or fix the id")
        return project

    @property
    def cache_dir_root(self) -> Path | None:
        """The git dir where the cache lives, or None when this is not a git repository."""
        try:
            return self.git_dir
        except EnvError:
            return None

    def write_project(self, project: Project) -> str:
        path = self.project_path(project.id)
        atomic_write(path, project_text(project))
        return self.rel(path)

    # ---- lock ----
    @contextlib.contextmanager
    def lock(self, wait: float | None = None, check_state: bool = True):
        """Exclusive lock for the write path (flock: released by the kernel if we die).

        Inside the lock, temp files of writers that were killed are swept, a write a killed
        writer left half done is finished or undone (journal.py, which also clears the lock
        files that writer left), writes are refused while git is in the middle of a merge,
        rebase, cherry-pick, revert or bisect (`check_state`), and the lock files git itself
        leaves behind when it is killed are reported (see gitcmd.wait_for_git_locks) before
        anything is changed.
        """
        import fcntl

        from storeops import gitcmd

        wait = LOCK_WAIT_SECONDS if wait is None else wait
        path = self.git_dir / "storeops.lock"
        try:
            handle = open(path, "a+b", buffering=0)  # unbuffered: nothing left to flush when we close
        except OSError as error:
            raise EnvError(f"cannot lock the stores repo: {path}: {os.strerror(error.errno)}",
                           hint="is the file system read-only, or the repo not yours? nothing was changed") from None
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().decode("utf-8", "replace").strip() or "another process"
                        raise LockBusy(f"the stores repo is busy ({holder} holds {path})",
                                       hint="wait for it to finish and retry") from None
                    time.sleep(0.02)
            with contextlib.suppress(OSError):  # the note only names us to waiters: a full disk may refuse it
                handle.truncate(0)
                handle.write(f"storeops pid {os.getpid()}".encode())
            self._config = None  # another writer may have changed it while we waited
            self._sweep_temp_files()
            from storeops import journal

            done = journal.recover(self.root, self.git_dir)
            if done is not None:
                self.recovered = [*(self.recovered or []), done]
            if check_state:
                journal.refuse_in_progress(self.git_dir)
            gitcmd.wait_for_git_locks(self.root, self.git_dir)
            yield
        finally:
            with contextlib.suppress(OSError):
                handle.truncate(0)
            with contextlib.suppress(OSError):
                handle.close()

    def _sweep_temp_files(self) -> None:
        """Remove temp files of writers that died before their rename (we hold the lock: none is live)."""
        pattern = re.compile(rf"\..*\.yaml{re.escape(TEMP_MARK)}.*\.tmp")  # as mkstemp names them in atomic_write
        for folder in (self.root, self.projects_dir):
            try:
                # names only: a glob builds a Path per entry, at 10,000 projects a cost every write paid
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if name.startswith(".") and pattern.fullmatch(name):
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(folder, name))
