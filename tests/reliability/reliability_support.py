"""Shared helpers for the reliability tests: team repos with several projects, soundness checks."""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path

from conftest import DATA, git, run_cli

from storeops import yamlio

MINI_TASKS = ("licence", "bank", "brand", "video", "review")


def add_mini_sop(stores: Path) -> None:
    (stores / "sop" / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    git(stores, "add", "sop/mini.yaml")
    git(stores, "commit", "-qm", "add mini SOP")


def new_mini(stores: Path, project_id: str, owner: str = "bob") -> str:
    result = run_cli("-C", str(stores), "new", "mini", "--store", f"Store {project_id}", "--owner", owner,
                     "--id", project_id, "--start", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    return project_id


def project_file(stores: Path, project_id: str) -> Path:
    return stores / "projects" / f"{project_id}.yaml"


def task_of(stores: Path, project_id: str, task_id: str) -> dict:
    data = yamlio.load(project_file(stores, project_id))
    return next(t for t in data["tasks"] if t["id"] == task_id)


def lock_is_free(stores: Path) -> bool:
    """True when storeops's flock can be taken at once (a dead holder never keeps it)."""
    with open(stores / ".git" / "storeops.lock", "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return True


def leftover_temp_files(stores: Path) -> list[str]:
    return sorted(p.relative_to(stores).as_posix() for p in stores.rglob(".*.tmp") if ".git" not in p.parts)


def assert_repo_sound(stores: Path) -> None:
    """Nothing half done: check passes, git is consistent, no lock or temp file left, nothing uncommitted."""
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    fsck = subprocess.run(["git", "-C", str(stores), "fsck", "--strict", "--no-dangling"],
                          capture_output=True, text=True)
    assert fsck.returncode == 0 and fsck.stdout == "", fsck.stdout + fsck.stderr
    assert not (stores / ".git" / "index.lock").exists()
    assert lock_is_free(stores)
    assert leftover_temp_files(stores) == []
    assert git(stores, "status", "--porcelain") == ""
