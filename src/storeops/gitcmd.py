"""Thin subprocess wrapper around git plumbing.

Plain `git` processes are faster to start than GitPython's object layer and
give us exact control over which paths a commit touches.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from storeops import faults
from storeops.errors import EnvError

# Set by journal.begin while a write is journalled: called with (old, new) just before HEAD moves from old
# to new (new "" when it did not move after all). A hook, so that gitcmd need not import the journal.
before_ref_move = None

# how long a write waits for a lock file of another git process (an editor's
# background `git status`, say) to go away before calling it stale
GIT_LOCK_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


class GitFailed(EnvError):
    def __init__(self, args: list[str], stderr: str, stdout: str = ""):
        lines = [line.strip() for line in (stderr.strip() or stdout).splitlines() if line.strip()]
        # git puts the reason on its fatal:/error: line; what follows is advice
        reason = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1] if lines else None)
        super().__init__(f"git {args[0]} failed: {reason or '(no message)'}")
        self.stderr = stderr


class GitLocked(EnvError):
    """Lock files that a killed (or still running) git process left in the repository."""

    def __init__(self, root: Path, files: list[Path]):
        shown = [_shown(root, f) for f in files]
        super().__init__(
            f"git's lock file {', '.join(shown)} is in the way: a git command is running in this repo, "
            "or one was killed and left it behind",
            hint=f"if no git command is running here, delete it and retry: rm {' '.join(shown)} "
                 "(storeops changed nothing)",
        )
        self.files = files


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


_LOCK_EXISTS = re.compile(r"Unable to create '([^']+\.lock)': File exists")


def _git_binary() -> str:
    path = shutil.which("git")
    if path is None:
        raise EnvError("git is not installed or not on PATH", hint="install git, e.g. apt-get install git")
    return path


# git's messages in English whatever the user's locale: we recognise some of them
NEUTRAL_ENV = {"LC_ALL": "C", "LANGUAGE": ""}


def run(root: Path, *args: str, input: str | bytes | None = None, check: bool = True,
        env: dict | None = None, text: bool = True) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **NEUTRAL_ENV, **(env or {})}
    try:
        proc = subprocess.run(
            [_git_binary(), "-C", str(root), *args],
            input=input,
            capture_output=True,
            text=text,
            env=full_env,
            encoding="utf-8" if text else None,
            errors="replace" if text else None,
        )
    except OSError as error:
        raise EnvError(f"cannot run git: {error.strerror or error}", hint="check the git installation") from None
    if check and proc.returncode != 0:
        stderr = proc.stderr if text else proc.stderr.decode("utf-8", "replace")
        locked = _LOCK_EXISTS.search(stderr)
        if locked:
            raise GitLocked(root, [Path(locked.group(1))])
        stdout = proc.stdout if text else proc.stdout.decode("utf-8", "replace")
        raise GitFailed(list(args), stderr, stdout)
    return proc


def is_work_tree(path: Path) -> bool:
    proc = run(path, "rev-parse", "--is-inside-work-tree", check=False)
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def toplevel(path: Path) -> Path:
    return Path(run(path, "rev-parse", "--show-toplevel").stdout.strip())


def git_dir(path: Path) -> Path:
    out = run(path, "rev-parse", "--absolute-git-dir").stdout.strip()
    return Path(out)


def identity(root: Path) -> Identity:
    """The author git would use for a commit here (config or GIT_AUTHOR_* env)."""
    proc = run(root, "var", "GIT_AUTHOR_IDENT", check=False)
    if proc.returncode != 0:
        raise EnvError(
            "git does not know who you are",
            hint='run: git config --global user.name "Your Name" && git config --global user.email you@example.com',
        )
    ident = proc.stdout.strip()
    name, _, rest = ident.partition(" <")
    email = rest.split(">", 1)[0]
    return Identity(name=name.strip(), email=email.strip())


COMMIT_HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")
# a commit only `git commit` can conclude (and refuses to make of single files): git's way, git's message
IN_PROGRESS = ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD")
# the first lines of storeops's own pre-commit guard (hook.py): up to the line where it lets our commits through
OWN_HOOK_MARK = "# storeops pre-commit hook"
OWN_HOOK_PASS = '[ "${STOREOPS_COMMIT:-}" = 1 ] && exit 0'


def commit_paths(root: Path, paths: list[str], message: str, env: dict | None = None) -> str:
    """Commit exactly `paths` (added, changed or removed); other staged work is left alone.

    `git commit --only` refreshes, reads and rewrites the whole index several
    times: at 10,000 projects (and their attachments) that is most of the cost
    of a one-line change. So the commit is built with plumbing instead: hash
    the files, edit only the trees on their paths, commit-tree, move HEAD with
    a compare-and-swap, update the index entries of these paths. Repos with
    commit hooks (which expect `git commit`; storeops's own guard excepted, it
    lets storeops's commits through unread), a merge in progress, no first
    commit, or paths that are not plain files take the porcelain way.
    """
    # storeops writes only ciphertext under attachments/: its pre-commit guard (hook.py) is for hand-made
    # commits, and skipping it spares every write command a Python start-up
    env = {"GIT_LITERAL_PATHSPECS": "1", **(env or {}), "STOREOPS_COMMIT": "1"}  # a path is a path: no globs
    head, prefix, git_paths = _head_and_paths(root)
    if (head is None or any(git_paths[name].exists() for name in IN_PROGRESS) or _has_commit_hooks(git_paths["hooks"])
            or any((root / p).is_symlink() or (root / p).is_dir() for p in paths)):
        return _commit_porcelain(root, paths, message, env)
    faults.crash_point("before-add")
    existing = [p for p in paths if (root / p).exists()]
    blobs = dict(zip(existing, run(root, "hash-object", "-w", "--", *existing, env=env).stdout.split())) if existing else {}
    changes = {prefix + p: ((_file_mode(root / p), blobs[p]) if p in blobs else None) for p in paths}
    tree, before = _edit_tree(root, head, changes)
    faults.crash_point("before-commit")
    # git's own order: hold index.lock for the whole commit, build the new index in it, move HEAD from the
    # old commit (a compare-and-swap), then rename the lock over the index. A writer killed half-way leaves
    # the lock (and storeops's journal) behind, never an index that disagrees with HEAD unseen.
    index = git_paths["index"]
    lock = _take_index_lock(root, index)
    try:
        _stage(root, index, lock, paths, env)
        if tree == before:  # the files are back to what HEAD holds (a hand edit undone): already recorded
            os.replace(lock, index)
            return head
        sign = ["-S"] if run(root, "config", "--type=bool", "--get", "commit.gpgsign", check=False).stdout.strip() == "true" else []
        cleaned = stripspace(message)
        commit = run(root, "commit-tree", *sign, tree, "-p", head, "-F", "-", input=cleaned, env=env).stdout.strip()
        subject = cleaned.split("\n", 1)[0]
        expect = before_ref_move
        if expect is not None:
            expect(head, commit)
        faults.crash_point("before-ref")
        moved = run(root, "update-ref", "-m", f"commit: {subject}", "HEAD", commit, head, env=env, check=False)
        if moved.returncode != 0:
            _drop(lock)
            locked = _LOCK_EXISTS.search(moved.stderr)
            if locked:
                raise GitLocked(root, [Path(locked.group(1))])
            if expect is not None:
                expect(head, "")  # not this commit after all
            # HEAD moved under us (a commit made by hand meanwhile): git commit builds on the new HEAD
            return _commit_porcelain(root, paths, message, env)
        faults.crash_point("after-ref")
        os.replace(lock, index)  # releases the lock: index and HEAD agree again
    except BaseException:
        _drop(lock)
        raise
    faults.crash_point("after-commit")
    run(root, "gc", "--auto", "--quiet", check=False)  # as git commit does: loose objects get packed in time
    return commit


def _take_index_lock(root: Path, index: Path) -> Path:
    """Create index.lock as git does (O_CREAT|O_EXCL), waiting briefly for a git command that holds it."""
    lock = index.with_name(index.name + ".lock")
    deadline = time.monotonic() + GIT_LOCK_WAIT_SECONDS
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise GitLocked(root, [lock]) from None
            time.sleep(0.05)
            continue
        except OSError as error:
            raise EnvError(f"cannot create {_shown(root, lock)}: {os.strerror(error.errno)}",
                           hint="free disk space or fix permissions; storeops changed nothing") from None
        os.close(fd)
        return lock


def _drop(lock: Path) -> None:
    try:
        lock.unlink()
    except OSError:
        pass


def _stage(root: Path, index: Path, lock: Path, paths: list[str], env: dict) -> None:
    """The index with exactly these paths updated, written into the lock file (a temporary index)."""
    try:
        data = index.read_bytes()
    except FileNotFoundError:
        data = b""
    with open(lock, "wb") as handle:  # no fsync: git does not sync its index either (core.fsync)
        handle.write(data)
    proc = run(root, "update-index", "--add", "--remove", "--", *paths, env={**env, "GIT_INDEX_FILE": str(lock)},
               check=False)
    if proc.returncode != 0:
        raise GitFailed(["update-index"], proc.stderr, proc.stdout)


def _commit_porcelain(root: Path, paths: list[str], message: str, env: dict) -> str:
    existing = [p for p in paths if (root / p).exists()]
    removed = [p for p in paths if not (root / p).exists()]
    faults.crash_point("before-add")
    if existing:
        run(root, "add", "--", *existing, env=env)
    if removed:
        run(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *removed, env=env)
    faults.crash_point("before-commit")
    proc = run(root, "commit", "--quiet", "-F", "-", "--only", "--", *paths, input=message, env=env, check=False)
    if proc.returncode != 0:
        if not proc.stderr.strip() and ("nothing to commit" in proc.stdout or "no changes added" in proc.stdout):
            # the files are back to what HEAD holds (a hand edit undone): already recorded
            return run(root, "rev-parse", "HEAD").stdout.strip()
        locked = _LOCK_EXISTS.search(proc.stderr)
        if locked:
            raise GitLocked(root, [Path(locked.group(1))])
        if "cannot do a partial commit during a merge" in proc.stderr:
            raise EnvError("a git merge is in progress here, and git allows no commit of single files during a merge",
                           hint="finish the merge (git commit) or abort it (git merge --abort), then retry; "
                                "storeops changed nothing")
        raise GitFailed(["commit"], proc.stderr, proc.stdout)
    faults.crash_point("after-commit")
    return run(root, "rev-parse", "HEAD").stdout.strip()


def _head_and_paths(root: Path) -> tuple[str | None, str, dict[str, Path]]:
    """HEAD's commit id (None before the first commit), where `root` is inside the work tree ("" at its
    top, else "folder/"), and where the hooks, the index and IN_PROGRESS files are."""
    names = ("hooks", "index", *IN_PROGRESS)
    args = [arg for name in names for arg in ("--git-path", name)]
    proc = run(root, "rev-parse", "--show-prefix", *args, "-q", "--verify", "HEAD^{commit}", check=False)
    lines = proc.stdout.split("\n")
    if len(lines) < len(names) + 2:
        raise GitFailed(["rev-parse"], proc.stderr, proc.stdout)
    prefix, lines = lines[0], lines[1:]
    paths = {name: root / line for name, line in zip(names, lines)}  # absolute lines stay absolute
    head = lines[len(names)] if proc.returncode == 0 and lines[len(names)] else None
    return head, prefix, paths


def _has_commit_hooks(hooks: Path) -> bool:
    return any(os.access(hooks / name, os.X_OK) and (hooks / name).is_file() and not _own_guard(hooks / name)
               for name in COMMIT_HOOKS)


def _own_guard(hook: Path) -> bool:
    """storeops's pre-commit guard, which exits at once for storeops's commits (nothing before that line)."""
    try:
        text = hook.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    head, found, _rest = text.partition("\n" + OWN_HOOK_PASS + "\n")
    lines = head.split("\n")
    return (bool(found) and lines[0].startswith("#!") and len(lines) > 1 and lines[1].startswith(OWN_HOOK_MARK)
            and all(line.startswith("#") for line in lines[1:]))


def _file_mode(path: Path) -> str:
    return "100755" if os.access(path, os.X_OK) else "100644"


def _edit_tree(root: Path, head: str, changes: dict[str, tuple[str, str] | None]) -> tuple[str, str]:
    """(new, old) root tree ids: HEAD's tree with `changes` applied (path → (mode, blob) or None to remove).

    Only the trees on the changed paths are read and rewritten, so the cost
    follows the size of those folders, not of the repository.
    """
    folders = {""}
    for path in changes:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    order = sorted(folders, key=lambda f: (f.count("/") + (f != ""), f), reverse=True)  # deepest first
    raws, before, id_bytes = _read_trees(root, head, order)
    edits: dict[str, dict[bytes, bytes | None]] = {f: {} for f in order}
    for path, change in changes.items():
        parent, _, name = path.rpartition("/")
        edits[parent][name.encode()] = _entry(*change, name, id_bytes) if change else None
    new_id = before
    for folder in order:
        raw = _apply(raws[folder], edits[folder], id_bytes)
        new_id = _write_tree(root, raw) if raw else None
        if folder:
            parent, _, name = folder.rpartition("/")
            edits[parent][name.encode()] = _entry("40000", new_id, name, id_bytes) if new_id else None
    return new_id or _write_tree(root, b""), before


def _entry(mode: str, oid: str, name: str, id_bytes: int) -> bytes:
    return mode.lstrip("0").encode() + b" " + name.encode() + b"\0" + bytes.fromhex(oid)[:id_bytes]


def _read_trees(root: Path, head: str, folders: list[str]) -> tuple[dict[str, bytes], str, int]:
    """The raw tree object of each folder in HEAD (b"" where HEAD has none), the root tree id, the id length."""
    names = [f"{head}^{{tree}}" if not f else f"{head}:{f}" for f in folders]
    out = run(root, "cat-file", "--batch", input=("\n".join(names) + "\n").encode(), text=False).stdout
    raws, pos, root_id = {}, 0, ""
    for folder in folders:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            raws[folder] = b""
            continue
        size = int(header[2])
        raws[folder] = out[pos:pos + size] if header[1] == b"tree" else b""
        pos += size + 1
        if not folder:
            root_id = header[0].decode()
    return raws, root_id, len(root_id) // 2


def _apply(raw: bytes, edits: dict[bytes, bytes | None], id_bytes: int) -> bytes:
    """A raw tree with entries replaced, added (in git's order) or removed (None)."""
    if not edits:
        return raw
    spans = [_find_entry(raw, name, id_bytes) for name in edits]
    if all(spans):
        # each name found: splice, no need to read the other (thousands of) entries
        out, last = [], 0
        for (start, end), name in sorted(zip(spans, edits)):
            out += [raw[last:start], edits[name] or b""]
            last = end
        return b"".join(out) + raw[last:]
    entries: dict[bytes, bytes] = {}
    for match in re.finditer(rb"[0-7]+ ([^\0]+)\0.{%d}" % id_bytes, raw, re.S):
        entries[match.group(1)] = match.group(0)
    for name, entry in edits.items():
        if entry is None:
            entries.pop(name, None)
        else:
            entries[name] = entry
    # git's order: a folder's name sorts as if it ended in "/"
    return b"".join(value for _, value in sorted(
        entries.items(), key=lambda item: item[0] + (b"/" if item[1].startswith(b"40000 ") else b"")))


def _find_entry(raw: bytes, name: bytes, id_bytes: int) -> tuple[int, int] | None:
    """(start, end) of the entry called `name`, or None (not there, or not certain: then the caller parses all)."""
    at = raw.find(b" " + name + b"\0")
    if at < 0 or raw.find(b" " + name + b"\0", at + 1) >= 0:
        return None
    if raw[max(0, at - 6):at] in (b"100644", b"100755", b"120000", b"160000"):
        start = at - 6
    elif raw[max(0, at - 5):at] == b"40000":
        start = at - 5
    else:  # not preceded by an entry's mode
        return None
    return start, at + len(name) + 2 + id_bytes


def _write_tree(root: Path, raw: bytes) -> str:
    return run(root, "hash-object", "-t", "tree", "-w", "--stdin", input=raw, text=False).stdout.decode().strip()


def stripspace(message: str) -> str:
    """What `git commit -F` does to a message: no trailing blanks, no runs of blank lines, one final newline."""
    lines = [line.rstrip() for line in message.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def lock_files(git_dir: Path) -> list[Path]:
    """The lock files a commit here needs free: the index, HEAD and the current branch."""
    candidates = [git_dir / "index.lock", git_dir / "HEAD.lock"]
    common = git_dir
    commondir = git_dir / "commondir"  # linked worktrees keep refs in the main git dir
    if commondir.is_file():
        common = (git_dir / commondir.read_text(encoding="utf-8", errors="replace").strip()).resolve()
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        head = ""
    if head.startswith("ref: refs/"):
        candidates.append(common / (head[5:] + ".lock"))
    return [path for path in candidates if path.exists()]


def wait_for_git_locks(root: Path, git_dir: Path) -> None:
    """Wait briefly for git's lock files to go; if they stay, say which and how to recover.

    storeops does not delete them itself: a lock file may belong to a git command
    that is still running (a commit waiting in an editor), and removing it would
    let two writers corrupt the index.
    """
    deadline = time.monotonic() + GIT_LOCK_WAIT_SECONDS
    while True:
        found = lock_files(git_dir)
        if not found:
            return
        if time.monotonic() >= deadline:
            raise GitLocked(root, found)
        time.sleep(0.05)


def commit_message(subject: str, action: str, project_id: str | None = None, body: str | None = None) -> str:
    """A storeops commit message: the subject, an optional body, and the trailers `log` and `diff` read."""
    trailers = ([f"Storeops-Project: {project_id}"] if project_id else []) + [f"Storeops-Action: {action}"]
    return subject + "\n\n" + (body.strip() + "\n\n" if body else "") + "\n".join(trailers) + "\n"
