"""Edges of what a person types: ids with a trailing newline, dates far away, bytes that are not text,
a remote that refuses, a shallow clone."""

from __future__ import annotations

import subprocess

import pytest
from conftest import git, run_cli

from vault_fixtures import act, keys  # noqa: F401

from storeops import yamlio


def _tracked(stores) -> set[str]:
    return set(git(stores, "ls-files").splitlines())


# every argument that names something, fed a trailing newline (Python's `$` matches before it)
ID_ARGUMENTS = [
    ("new", "amazon-us", "--store", "X", "--owner", "alice", "--id", "evil\n", "--start", "2026-11-02"),
    ("new", "amazon-us", "--store", "X", "--owner", "alice", "--category", "home\n", "--start", "2026-11-02"),
    ("person", "add", "eve\n", "--email", "eve@example.com", "--role", "ops"),
    ("person", "key", "bob\n", "--age-recipient", "age1zz"),
    ("person", "remove", "bob\n"),
    ("assign", "acme-us", "bank-statement", "bob\n"),
    ("assign", "acme-us\n", "bank-statement", "bob"),
    ("assign", "acme-us", "bank-statement\n", "bob"),
    ("advance", "acme-us\n", "business-license"),
    ("status", "acme-us\n"),
    ("log", "acme-us\n"),
    ("secret", "set", "acme-us", "pw\n"),
    ("secret", "set", "acme-us\n", "pw"),
    ("attach", "acme-us", "FILE", "--doc", "ok\n"),
    ("new", "amazon-us", "--store", "X", "--owner", "alice\n", "--start", "2026-11-02"),
]


@pytest.mark.parametrize("args", ID_ARGUMENTS, ids=lambda a: " ".join(a).replace("\n", "⏎"))
def test_an_id_with_a_trailing_newline_is_refused_with_exit_2(stores, project, tmp_path, args):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scan\n")
    args = tuple(str(scan) if a == "FILE" else a for a in args)
    before = (_tracked(stores), git(stores, "rev-parse", "HEAD"))
    result = run_cli("-C", str(stores), *args, input="s3cret\n")
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    assert (_tracked(stores), git(stores, "rev-parse", "HEAD")) == before
    assert not any("\n" in p.name for p in stores.rglob("*"))


# the same with keys on the team, so that nothing else stops the command first
KEYED_ARGUMENTS = [
    ("secret", "set", "acme-us", "pw\n"),
    ("attach", "acme-us", "FILE", "--doc", "ok\n"),
    ("attach", "acme-us", "FILE", "--task", "business-license", "--doc", "ok\n"),
    ("attach", "acme-us", "FILE", "--doc", "business-license-scan", "--task", "business-license\n"),
    ("person", "key", "bob\n", "--age-recipient", "KEY"),
]


@pytest.mark.parametrize("args", KEYED_ARGUMENTS, ids=lambda a: " ".join(a).replace("\n", "⏎"))
def test_an_id_with_a_trailing_newline_is_refused_when_nothing_else_would_stop_it(stores, project, keys, act,
                                                                                  tmp_path, args):
    from vault_fixtures import make_identity

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scan\n")
    fresh = make_identity(tmp_path / "fresh.txt")
    args = tuple({"FILE": str(scan), "KEY": fresh}.get(a, a) for a in args)
    before = (git(stores, "rev-parse", "HEAD"), (stores / "projects" / "acme-us.yaml").read_text())
    result = run_cli("-C", str(stores), *args, input="s3cret\n")
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert (git(stores, "rev-parse", "HEAD"), (stores / "projects" / "acme-us.yaml").read_text()) == before


def test_check_finds_an_id_with_a_trailing_newline_in_a_file(stores, project):
    path = stores / "projects" / f"{project}.yaml"
    data = yamlio.load(path)
    data["tasks"][0]["id"] = data["tasks"][0]["id"] + "\n"
    path.write_text(yamlio.dumps(data))
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1, result.stderr
    assert "tasks[0].id" in result.stdout + result.stderr


@pytest.mark.parametrize("field", ["start", "target"])
def test_check_finds_a_plan_date_outside_2000_to_2100(stores, project, field):
    path = stores / "projects" / f"{project}.yaml"
    data = yamlio.load(path)
    data[field] = "9999-12-31"
    path.write_text(yamlio.dumps(data))
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1, result.stderr
    assert "2000" in result.stdout and "9999-12-31" in result.stdout


def test_check_finds_a_due_date_far_away_and_timeline_refuses_it_without_a_crash(stores, project):
    path = stores / "projects" / f"{project}.yaml"
    data = yamlio.load(path)
    data["tasks"][0]["due"] = "9999-12-31"
    path.write_text(yamlio.dumps(data))
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1 and "tasks[0].due" in result.stdout
    for args in (("timeline", project), ("remind", "--as-of", "2026-12-05"), ("status", project)):
        result = run_cli("-C", str(stores), *args)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.exception)
        assert result.exception is None


def test_an_issue_date_may_go_back_to_1900_but_not_before(stores, project):
    path = stores / "projects" / f"{project}.yaml"
    data = yamlio.load(path)
    doc = next(d for t in data["tasks"] for d in t.get("documents", []))
    doc["issued"] = "1950-06-01"
    path.write_text(yamlio.dumps(data))
    assert run_cli("-C", str(stores), "fmt").exit_code == 0
    assert run_cli("-C", str(stores), "check").exit_code == 0
    doc["issued"] = "1850-06-01"
    path.write_text(yamlio.dumps(data))
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1 and "1850-06-01" in result.stdout


def test_dates_at_the_bounds_are_safe_in_every_computation(stores, project):
    path = stores / "projects" / f"{project}.yaml"
    data = yamlio.load(path)
    data["start"], data["target"] = "2000-01-01", "2100-12-31"
    for task in data["tasks"]:
        task["due"] = "2100-12-31"
        task.setdefault("remind_before", "9999w")
    path.write_text(yamlio.dumps(data))
    assert run_cli("-C", str(stores), "check").exit_code in (0, 1)
    for args in (("timeline", project), ("timeline",), ("remind", "--as-of", "2100-12-31"),
                 ("remind", "--as-of", "2000-01-01"), ("status", project), ("board",),
                 ("report", "workload"), ("report", "cycle-time"), ("timeline", project, "--json")):
        result = run_cli("-C", str(stores), *args)
        assert result.exception is None, (args, result.exception)
        assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr)


def test_schedule_refuses_a_date_outside_the_bounds(stores, project):
    result = run_cli("-C", str(stores), "schedule", project, "bank-statement", "--due", "9999-12-31")
    assert result.exit_code == 2 and "2100" in result.stderr
    result = run_cli("-C", str(stores), "schedule", project, "video-verification", "--appointment", "9999-12-10 10:00")
    assert result.exit_code == 2 and "2100" in result.stderr


def test_a_secret_that_is_not_utf8_is_exit_2_with_a_clear_message(stores, project):
    import os

    env = dict(os.environ, PYTHONNOUSERSITE="1")
    import sys

    result = subprocess.run([sys.executable, "-m", "storeops", "-C", str(stores), "secret", "set", project, "k"],
                            input=b"x\xff\n", capture_output=True, env=env, timeout=120)
    assert result.returncode == 2, result.stderr
    assert b"UTF-8" in result.stderr and b"Traceback" not in result.stderr


def test_sync_to_a_non_bare_remote_with_its_branch_checked_out_says_why(stores, project, tmp_path):
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(stores), str(other)], check=True)
    git(other, "config", "user.email", "alice@example.com")
    (other / "README.md").write_text("hello\n")
    git(other, "add", "README.md")
    git(other, "commit", "-qm", "readme")
    result = run_cli("-C", str(other), "sync")
    assert result.exit_code == 3
    assert "kept changing" not in result.stderr
    assert "checked out" in result.stderr and "bare" in result.stderr


def test_log_in_a_shallow_clone_says_the_history_is_shallow(stores, project, tmp_path):
    run_cli("-C", str(stores), "assign", project, "bank-statement", "bob")
    run_cli("-C", str(stores), "assign", project, "bank-statement", "carol")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{stores}", str(shallow)], check=True)
    result = run_cli("-C", str(shallow), "log", project)
    assert result.exit_code == 0, result.stderr
    assert "shallow" in result.stderr and "git fetch --unshallow" in result.stderr
    full = run_cli("-C", str(stores), "log", project)
    assert "shallow" not in full.stderr


def test_import_refuses_a_date_outside_the_bounds(stores, tmp_path):
    import csv

    sheet = tmp_path / "tracker.csv"
    with sheet.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["store", "site", "owner", "start", "target", "category"])
        writer.writerow(["Shop 1", "us", "alice", "2026-11-02", "9999-12-31", "home-kitchen"])
        writer.writerow(["Shop 2", "us", "alice", "2026-11-02", "2027-01-15", "home\n"])
    before = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us")
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert "'9999-12-31' is outside the years 2000–2100" in result.stderr
    assert git(stores, "rev-parse", "HEAD") == before
    assert not any("\n" in p.name for p in stores.rglob("*"))
