"""Fixtures: an isolated HOME and git identity, and real stores repos in tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storeops.cli.main import app

ALICE = ("Alice Admin", "alice@example.com")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    return isolate(monkeypatch, tmp_path_factory.mktemp("home"))


def isolate(monkeypatch, home: Path) -> Path:
    """HOME, git's config and identity (Alice) inside `home`; nothing from the environment leaks in."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "STOREOPS_LANG", "STOREOPS_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text(
        f"[user]\n\tname = {ALICE[0]}\n\temail = {ALICE[1]}\n[init]\n\tdefaultBranch = main\n"
    )
    return home


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None


def run_cli(*args: str, input: str | None = None, cwd: Path | None = None) -> Result:
    """Drive the real CLI in-process (through the same error boundary as the console script)."""
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=True)
    finally:
        os.chdir(old)
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Result(result.exit_code, result.stdout, result.stderr, exception)


def run_subprocess(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "storeops", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def stores(tmp_path) -> Path:
    """A fresh stores repo with a team: alice (admin, lead), bob (ops), carol (finance), dave (legal)."""
    return make_stores(tmp_path / "stores")


def make_stores(root: Path) -> Path:
    assert run_cli("init", str(root), "--name", "Test Team", "--timezone", "Asia/Shanghai").exit_code == 0
    for name, role in (("bob", "ops"), ("carol", "finance"), ("dave", "legal")):
        result = run_cli("-C", str(root), "person", "add", name, "--email", f"{name}@example.com", "--role", role)
        assert result.exit_code == 0, result.stderr
    return root


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def example_repo(tmp_path_factory, name: str) -> Path:
    """`storeops init --example` in a fresh folder, with a home of its own: for module-scoped fixtures."""
    root = tmp_path_factory.mktemp(name) / "demo"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, tmp_path_factory.mktemp("home"))
        result = run_cli("init", "--example", str(root))
    assert result.exit_code == 0, result.stderr
    return root


def snapshot_of_this_checkout(tmp_path: Path) -> tuple[Path, str]:
    """This checkout's files committed in a fresh repository (as a forge serves them): (folder, commit SHA)."""
    import shutil

    source = tmp_path / "storeops-src"
    shutil.copytree(Path(__file__).resolve().parent.parent, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", "build", "dist"))
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "snapshot")
    return source, git(source, "rev-parse", "HEAD").strip()


@pytest.fixture
def project(stores) -> str:
    """An amazon-us project owned by alice, started 2026-11-02."""
    result = run_cli("-C", str(stores), "new", "amazon-us", "--store", "ACME Home US", "--owner", "alice",
                     "--id", "acme-us", "--start", "2026-11-02", "--target", "2027-01-15")
    assert result.exit_code == 0, result.stderr
    return "acme-us"


DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini(stores) -> str:
    """A project from the team SOP tests/data/mini.yaml (licence → bank(finance gate) → video → review)."""
    (stores / "sop" / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    git(stores, "add", "sop/mini.yaml")
    git(stores, "commit", "-qm", "add mini SOP")
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Mini Store", "--owner", "bob",
                     "--id", "mini-us", "--start", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    return "mini-us"
