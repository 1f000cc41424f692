"""Thin subprocess wrapper around git plumbing.

Plain `git` processes are faster to start than GitPython's object layer and
give us exact control over which paths a commit touches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from storeops.errors import EnvError


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


class GitFailed(EnvError):
    def __init__(self, args: list[str], stderr: str):
        first = (stderr.strip().splitlines() or ["(no message)"])[-1]
        super().__init__(f"git {args[0]} failed: {first}")
        self.stderr = stderr


def _git_binary() -> str:
    path = shutil.which("git")
    if path is None:
        raise EnvError("git is not installed or not on PATH", hint="install git, e.g. apt-get install git")
    return path


def run(root: Path, *args: str, input: str | bytes | None = None, check: bool = True,
        env: dict | None = None, text: bool = True) -> subprocess.CompletedProcess:
    full_env = None
    if env:
        full_env = os.environ.copy()
        full_env.update(env)
    proc = subprocess.run(
        [_git_binary(), "-C", str(root), *args],
        input=input,
        capture_output=True,
        text=text,
        env=full_env,
        encoding="utf-8" if text else None,
    )
    if check and proc.returncode != 0:
        raise GitFailed(list(args), proc.stderr if text else proc.stderr.decode("utf-8", "replace"))
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
    if existing:
        run(root, "add", "--", *existing, env=env)
    if removed:
        run(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *removed, env=env)
    run(root, "commit", "--quiet", "-F", "-", "--only", "--", *paths, input=message, env=env)
    return run(root, "rev-parse", "HEAD").stdout.strip()
