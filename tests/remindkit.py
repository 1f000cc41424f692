"""Shared set-up for the remind tests: a project with a known git history, edits at chosen dates."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import DATA, git, run_cli

from storeops import gitcmd
from storeops.repo import StoresRepo

CREATED = "2026-11-02T10:00:00+08:00"


@pytest.fixture
def shop(stores, monkeypatch) -> Path:
    """stores + project mini-us (tests/data/mini.yaml, owner bob, start 2026-11-02), committed on CREATED.

    Plan: brand (optional, dave) due 11-03, licence (bob) 11-04, bank (bob, finance gate) 11-07,
    video (bob, appointment, remind_before 3d) 11-12, review (bob, external, check_every 7d) 11-19.
    """
    (stores / "sop" / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    git(stores, "add", "sop/mini.yaml")
    git(stores, "commit", "-qm", "add mini SOP")
    monkeypatch.setenv("GIT_AUTHOR_DATE", CREATED)
    monkeypatch.setenv("GIT_COMMITTER_DATE", CREATED)
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Mini Store", "--owner", "bob",
                     "--id", "mini-us", "--start", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return stores


def load(root: Path, project_id: str = "mini-us"):
    return StoresRepo.open(root).load_project(project_id)


def save(root: Path, project, when: str) -> None:
    """Write the project and commit it with author and committer date `when`."""
    repo = StoresRepo.open(root)
    rel = repo.write_project(project)
    gitcmd.commit_paths(root, [rel], f"test: edit {project.id}",
                        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def edit(root: Path, when: str, tasks: dict | None = None, project_id: str = "mini-us", **fields) -> None:
    """Change task fields ({task id: {field: value}}) and project fields, committed on `when`."""
    project = load(root, project_id)
    for task_id, changes in (tasks or {}).items():
        project = project.with_task(dataclasses.replace(project.task(task_id), **changes))
    save(root, dataclasses.replace(project, **fields), when)


def done(*task_ids: str) -> dict:
    return {t: {"state": "done"} for t in task_ids}


def remind(root: Path, *args: str):
    return run_cli("-C", str(root), "remind", *args)


def items(root: Path, *args: str) -> list[dict]:
    result = remind(root, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["items"] if result.stdout else []


def kinds(found: list[dict]) -> list[tuple]:
    """(kind, project/task/document or sop, days, recipients) per item: enough to read a test at a glance."""
    out = []
    for item in found:
        subject = "/".join(x for x in (item["project"], item["task"], item["document"]) if x) or f"sop:{item['sop']}"
        out.append((item["kind"], subject, item["days"], item["recipients"]))
    return out


def d(text: str) -> date:
    return date.fromisoformat(text)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)
