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


def run(root: Path, *args: str, input: str | bytes | None = None, check: bool = True,
        env: dict | None = None, text: bool = True) -> subprocess.CompletedProcess:
    # git's messages in English whatever the user's locale: we recognise some of them
    full_env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "", **(env or {})}
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


def commit_paths(root: Path, paths: list[str], message: str, env: dict | None = None) -> str:
    """Commit exactly `paths` (added, changed or removed); other staged work is left alone."""
    # storeops writes only ciphertext under attachments/: its pre-commit guard (hook.py) is for hand-made
    # commits, and skipping it spares every write command a Python start-up
    env = {**(env or {}), "STOREOPS_COMMIT": "1"}
    existing = [p for p in paths if (root / p).exists()]
    removed = [p for p in paths if not (root / p).exists()]
    env = {"GIT_LITERAL_PATHSPECS": "1", **(env or {})}  # a path is a path: no :(magic) or globs
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
