"""Shared helpers for the reliability tests: team repos with several projects, soundness checks."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, Result, git, run_cli

from storeops import yamlio

MINI_TASKS = ("licence", "bank", "brand", "video", "review")


@functools.cache
def _click_command():
    import typer.main

    from storeops.cli.main import app

    return typer.main.get_command(app)


def run_fast(*args: str) -> Result:
    """run_cli for thousands of calls: the click command (same error boundary) is built once, not per call.

    typer rebuilds its click command (signatures, type hints, pydantic adapters) on every
    CliRunner.invoke; a process runs one command, a fuzzer thousands.
    """
    out, err = io.StringIO(), io.StringIO()
    code, exception = 0, None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            _click_command().main(args=list(args), prog_name="storeops")
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except Exception as error:  # the error boundary should have caught it: the test will say so
            code, exception = 1, error
    return Result(code, out.getvalue(), err.getvalue(), exception)


def two_sides_of_sop_readme(stores: Path) -> None:
    """Branch `other` and main each change sop/README.md: merging, rebasing or cherry-picking one onto the other
    stops with a conflict."""
    git(stores, "checkout", "-q", "-b", "other")
    (stores / "sop" / "README.md").write_text("other side\n")
    git(stores, "commit", "-qam", "other side")
    git(stores, "checkout", "-q", "main")
    (stores / "sop" / "README.md").write_text("main side\n")
    git(stores, "commit", "-qam", "main side")


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


_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def team(tmp_path, tmp_path_factory) -> Path:
    """conftest's `stores` + `mini` (alice, bob, carol, dave; project mini-us), built once and copied per test.

    Import it into a test module to use it; the copy is a few milliseconds, the build most of a second.
    """
    if "mini" not in _TEMPLATE:
        built = tmp_path_factory.mktemp("template") / "stores"
        assert run_cli("init", str(built), "--name", "Test Team", "--timezone", "Asia/Shanghai").exit_code == 0
        for name, role in (("bob", "ops"), ("carol", "finance"), ("dave", "legal")):
            result = run_cli("-C", str(built), "person", "add", name, "--email", f"{name}@example.com", "--role", role)
            assert result.exit_code == 0, result.stderr
        add_mini_sop(built)
        result = run_cli("-C", str(built), "new", "mini", "--store", "Mini Store", "--owner", "bob",
                         "--id", "mini-us", "--start", "2026-11-02")
        assert result.exit_code == 0, result.stderr
        _TEMPLATE["mini"] = built
    root = tmp_path / "stores"
    shutil.copytree(_TEMPLATE["mini"], root, symlinks=True)
    return root
