"""The write journal: every storeops write is finished or undone, even when the writer is killed.

The idea of SQLite's rollback journal. Before a writer touches the work tree it
records, in `.git/storeops/journal` (JSON, fsync + rename), the paths it will
change, their pre-images (blob id and mode as HEAD holds them, or absent), the
old HEAD and its pid; just before it moves HEAD it adds the commit it expects
HEAD to become. When the write is done, the journal is removed.

A journal that is still there when a command starts belongs to a writer that
died (or failed half-way). `recover` then:
  - HEAD is the recorded new commit (or, for a commit made with `git commit`, a
    child of the old HEAD): roll forward: the index entries and the work-tree
    files of those paths are set to HEAD's;
  - HEAD is still the old commit: roll back: the pre-images are restored in the
    work tree and the index entries set to HEAD's;
and removes the lock files git or storeops left after the journal was written
(the dead writer's). A journal of a live process is waited for, never cleared.

Writers also refuse to commit a path whose work-tree file differs from HEAD's
blob before they touch it (edits they did not make), and refuse every write
while git is in the middle of a merge, rebase, cherry-pick, revert or bisect.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from storeops import gitcmd
from storeops.atomic import sync_folder
from storeops.errors import EnvError

JOURNAL_NAME = "storeops/journal"
# how long a command waits for the journal of a live writer (one that does not hold the storeops lock:
# `storeops init`, the example builder) before giving up
LIVE_WAIT_SECONDS = 2.0

# (marker in the git dir, what git is doing, how to finish, how to abort)
IN_PROGRESS = (
    ("rebase-merge", "a rebase", "git rebase --continue", "git rebase --abort"),
    ("rebase-apply", "a rebase", "git rebase --continue", "git rebase --abort"),
    ("MERGE_HEAD", "a merge", "git commit", "git merge --abort"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue", "git cherry-pick --abort"),
    ("REVERT_HEAD", "a revert", "git revert --continue", "git revert --abort"),
    ("BISECT_LOG", "a bisect", "git bisect reset", "git bisect reset"),
)

# the one transaction this process has open (storeops writes one at a time, under its lock)
_active: Transaction | None = None


def path_of(git_dir: Path) -> Path:
    return git_dir / JOURNAL_NAME


def refuse_in_progress(git_dir: Path) -> None:
    """Exit 3 before anything is touched while git is in the middle of an operation."""
    for marker, what, finish, abort in IN_PROGRESS:
        if (git_dir / marker).exists():
            if marker == "BISECT_LOG":
                how = f"end it ({finish})"
            else:
                how = f"finish it ({finish}) or abort it ({abort})"
            raise EnvError(f"git is in the middle of {what} here: storeops writes nothing until it is over",
                           hint=f"{how}, then retry; storeops changed nothing")


def _atomic_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    sync_folder(path.parent)


def current_head(root: Path) -> str | None:
    """HEAD's commit id, or None in a repository with no commit yet."""
    proc = gitcmd.run(root, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def head_entries(root: Path, rev: str | None, paths: list[str]) -> dict[str, tuple[str, str]]:
    """path → (mode, blob id) of the paths that `rev` holds (paths relative to root)."""
    if rev is None or not paths:
        return {}
    out = gitcmd.run(root, "ls-tree", "-z", rev, "--", *paths).stdout
    found = {}
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, _, name = entry.partition("\t")
        mode, kind, oid = meta.split()
        if kind == "blob":
            found[name] = (mode, oid)
    # ls-tree names paths relative to the current folder, as we asked for them
    return found


def _blob_id(data: bytes, length: int) -> str:
    algo = hashlib.sha256 if length == 64 else hashlib.sha1
    return algo(b"blob %d\0" % len(data) + data).hexdigest()


def dirty_paths(root: Path, head: str | None, paths: list[str],
                entries: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """The paths whose work-tree file is not what HEAD holds (edited, added or deleted by hand)."""
    if entries is None:
        entries = head_entries(root, head, paths)
    dirty = []
    for rel in paths:
        target = root / rel
        if target.is_symlink() or target.is_dir():  # storeops writes plain files only: not its own
            dirty.append(rel)
            continue
        exists = target.is_file()
        if rel not in entries:
            if exists:
                dirty.append(rel)
            continue
        if not exists:
            dirty.append(rel)
            continue
        oid = entries[rel][1]
        if _blob_id(target.read_bytes(), len(oid)) != oid:
            # git may clean the file first (autocrlf, a filter): ask git before calling it an edit
            hashed = gitcmd.run(root, "hash-object", "--", rel, check=False).stdout.strip()
            if hashed != oid:
                dirty.append(rel)
    return dirty


@dataclass
class Transaction:
    root: Path
    git_dir: Path
    paths: list[str]
    old: str | None
    pre: dict[str, tuple[str, str]]
    started: float = field(default_factory=time.time)
    new: str | None = None

    def _data(self) -> dict:
        return {"version": 1, "pid": os.getpid(), "started": self.started, "old": self.old, "new": self.new,
                "paths": {p: (list(self.pre[p]) if p in self.pre else None) for p in self.paths}}

    def write(self) -> None:
        _atomic_json(path_of(self.git_dir), self._data())

    def expect(self, old: str, new: str) -> None:
        """Called by gitcmd.commit_paths just before it moves HEAD from `old` to `new`."""
        if old == self.old:
            self.new = new
            self.write()

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            path_of(self.git_dir).unlink()


def begin(root: Path, git_dir: Path, paths: list[str], made: tuple[str, ...] = ()) -> Transaction:
    """Refuse edits the command did not make, then record the journal; the caller writes the files next."""
    global _active
    head = current_head(root)
    entries = head_entries(root, head, paths)
    dirty = dirty_paths(root, head, [p for p in paths if p not in made], entries)
    if dirty:
        shown = " ".join(dirty)
        raise EnvError(f"{', '.join(dirty)} has changes that are not committed, and storeops commits only "
                       "its own changes",
                       hint=f"see them with `git diff -- {shown}`; commit them (git commit) or drop them "
                            f"(git checkout -- {shown}), then retry; storeops changed nothing")
    tx = Transaction(root, git_dir, list(dict.fromkeys(paths)), head, entries)
    tx.write()
    _active = tx
    gitcmd.before_ref_move = tx.expect  # gitcmd tells the journal where HEAD goes (it does not import us)
    return tx


def end(tx: Transaction) -> None:
    global _active
    tx.close()
    if _active is tx:
        _active = None
        gitcmd.before_ref_move = None


def active() -> Transaction | None:
    return _active


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) is dead for our purpose
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


@dataclass
class Recovered:
    action: str                 # "forward", "back" or "left" (HEAD moved elsewhere: nothing touched)
    paths: list[str]
    locks: list[str]


def pending(git_dir: Path) -> bool:
    return path_of(git_dir).exists()


def owner_alive(git_dir: Path) -> bool:
    """Whether the process that wrote the journal is still running (then it is not ours to recover)."""
    try:
        data = json.loads(path_of(git_dir).read_text(encoding="utf-8"))
        return _alive(int(data.get("pid") or 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return False


def recover(root: Path, git_dir: Path, wait: float | None = None, clear_locks: bool = True) -> Recovered | None:
    """Finish or undo the write a dead writer left (see the module docstring); None when there is none.

    `clear_locks=False`: the writer itself undoing its failed write (its own locks are gone already)."""
    journal = path_of(git_dir)
    deadline = time.monotonic() + (LIVE_WAIT_SECONDS if wait is None else wait)
    while True:
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
            with contextlib.suppress(OSError):  # a journal cut short: its writer died before touching anything
                journal.unlink()
            return None
        if not _alive(int(data.get("pid") or 0)):
            break
        if time.monotonic() >= deadline:
            raise EnvError(f"another storeops command (pid {data.get('pid')}) is writing to this repo",
                           hint="wait for it to finish and retry")
        time.sleep(0.05)
    started = float(data.get("started") or 0)
    locks = []
    for lock in gitcmd.lock_files(git_dir) if clear_locks else ():  # the dead writer's: made after its journal
        try:
            if lock.stat().st_mtime >= started - 1:
                lock.unlink()
                locks.append(gitcmd._shown(root, lock))
        except OSError:
            pass
    paths = list(data["paths"])
    old, new, head = data.get("old"), data.get("new"), current_head(root)
    if head is not None and (head == new or (new is None and head != old and _parent(root, head) == old)):
        action = "forward"
        wanted = head_entries(root, head, paths)
    elif head == old:
        action = "back"
        wanted = {p: tuple(v) for p, v in data["paths"].items() if v}
    else:
        journal.unlink(missing_ok=True)
        return Recovered("left", paths, locks)
    _restore(root, paths, wanted)
    if head is not None:
        gitcmd.run(root, "reset", "-q", "HEAD", "--", *paths, env={"GIT_LITERAL_PATHSPECS": "1"})
        gitcmd.run(root, "update-index", "-q", "--refresh", check=False)
    journal.unlink(missing_ok=True)
    return Recovered(action, paths, locks)


def _parent(root: Path, commit: str) -> str | None:
    proc = gitcmd.run(root, "rev-parse", "-q", "--verify", f"{commit}^1", check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def _restore(root: Path, paths: list[str], wanted: dict[str, tuple[str, str]]) -> None:
    from storeops.atomic import atomic_write_bytes

    for rel in paths:
        target = root / rel
        if rel not in wanted:
            if target.is_file() or target.is_symlink():
                target.unlink()
            continue
        mode, oid = wanted[rel]
        data = gitcmd.run(root, "cat-file", "blob", oid, text=False).stdout
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            continue
        atomic_write_bytes(target, data, mode=0o777 & ~_umask() if mode == "100755" else 0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
