"""Helpers for tests with several people and clones: acting as someone, a bare remote, clones."""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import storeops
from conftest import git, run_cli

SRC = Path(storeops.__file__).resolve().parents[1]
NAMES = {"alice": "Alice Admin", "bob": "Bob Ops", "carol": "Carol Finance", "dave": "Dave Legal"}


def use_this_checkout(monkeypatch) -> None:
    """git runs `storeops merge-file` itself: make that process import the code under test."""
    monkeypatch.setenv("PYTHONPATH", str(SRC))


@contextmanager
def acting(name: str, email: str | None = None):
    """Commits made inside are authored and committed by `name`."""
    email = email or f"{name}@example.com"
    keys = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")
    saved = {k: os.environ.get(k) for k in keys}
    full = NAMES.get(name, name)
    os.environ.update({"GIT_AUTHOR_NAME": full, "GIT_AUTHOR_EMAIL": email,
                       "GIT_COMMITTER_NAME": full, "GIT_COMMITTER_EMAIL": email})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def cli_as(name: str, root: Path, *args: str):
    with acting(name):
        return run_cli("-C", str(root), *args)


def hand_edit(root: Path, rel: str, old: str, new: str, message: str, who: str = "bob", count: int = 1) -> None:
    """Edit a file in a text editor and `git commit` it, no storeops involved."""
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count))
    with acting(who):
        git(root, "commit", "-qam", message)


def set_task_field(root: Path, project: str, task: str, field: str, value: str, message: str,
                   who: str = "bob") -> None:
    """Hand edit of one task's field (the line after `- id: TASK` that starts with `  FIELD:`)."""
    rel = f"projects/{project}.yaml"
    lines = (root / rel).read_text().split("\n")
    start = lines.index(f"- id: {task}")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("- id: "):
            break
        if lines[i].startswith(f"  {field}:"):
            lines[i] = f"  {field}: {value}"
            (root / rel).write_text("\n".join(lines))
            with acting(who):
                git(root, "commit", "-qam", message)
            return
    raise AssertionError(f"{task}.{field} not found")


def bare_remote(stores: Path, tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(stores), str(remote)], check=True)
    git(stores, "remote", "add", "origin", str(remote))
    git(stores, "fetch", "-q", "origin")
    git(stores, "branch", "-q", "--set-upstream-to=origin/main", "main")
    return remote


def clone(remote: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(dest)], check=True)
    return dest
