"""examples/: what a reader browses on the forge stays valid, and is what `init --example` lays down."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import git, run_cli
from storeops import yamlio
from storeops.actions import today
from storeops.example import ANCHOR, _shifted, source_dir
from storeops.repo import StoresRepo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_check_passes_on_examples_stores(tmp_path):
    copy = tmp_path / "stores"
    shutil.copytree(EXAMPLES / "stores", copy)
    result = run_cli("-C", str(copy), "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "8 project file(s)" in result.stdout + result.stderr


def test_the_package_reads_the_example_from_examples_stores():
    assert source_dir().resolve() == (EXAMPLES / "stores").resolve()


def test_init_example_lays_down_examples_stores_with_dates_moved(tmp_path):
    demo = tmp_path / "demo"
    assert run_cli("init", "--example", str(demo)).exit_code == 0
    days = (today(StoresRepo(demo).config) - ANCHOR).days
    for source in sorted((EXAMPLES / "stores" / "projects").glob("*.yaml")):
        expected = _shifted(yamlio.load(source), days)
        laid = yamlio.load(demo / "projects" / source.name)
        for data in (expected, laid):  # the demo adds what cannot be committed here: documents and their keys
            for task in data["tasks"]:
                task["documents"] = [{k: v for k, v in d.items() if k not in ("file", "issued", "sha256", "readers")}
                                     for d in task.get("documents", [])]
        assert laid == expected, source.name
    config = yamlio.load(demo / "storeops.yaml")
    source_config = yamlio.load(EXAMPLES / "stores" / "storeops.yaml")
    assert config["entities"] == source_config["entities"]
    assert [p["name"] for p in source_config["people"]] == [p["name"] for p in config["people"]][:5]
    assert int(git(demo, "rev-list", "--count", "HEAD")) > 150  # a history, not one commit


def test_team_sop_example_makes_a_project_that_passes_check(stores):
    (stores / "sop" / "coupang-kr.yaml").write_text((EXAMPLES / "sop" / "coupang-kr.yaml").read_text("utf-8"))
    git(stores, "add", "sop")
    git(stores, "commit", "-qm", "team SOP: coupang-kr")
    made = run_cli("-C", str(stores), "new", "coupang-kr", "--store", "ACME Home KR", "--owner", "bob")
    assert made.exit_code == 0, made.stderr
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 0, result.stdout + result.stderr


INSTALL = "storeops @ git+https://github.com/ORG/storeops@COMMIT"


def example_team(tmp_path, monkeypatch):
    """examples/stores committed in a repository of its own, with alice (an admin) at the keyboard."""
    stores = tmp_path / "stores"
    shutil.copytree(EXAMPLES / "stores", stores)
    git(stores.parent, "init", "-q", "-b", "main", str(stores))
    git(stores, "add", "-A")
    git(stores, "commit", "-qm", "the example team")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "alice@acme.example")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "alice@acme.example")
    return stores


def test_generated_workflow_and_schedules_are_what_storeops_prints(tmp_path, monkeypatch):
    stores = example_team(tmp_path, monkeypatch)
    forged = run_cli("-C", str(stores), "forge", "github", "--install", INSTALL)
    assert forged.exit_code == 0, forged.stderr
    for name in ("workflows/storeops.yml", "CODEOWNERS"):
        example = (EXAMPLES / "forge" / "github" / name).read_text("utf-8")
        assert example == (stores / ".github" / name).read_text("utf-8"), name
    printed = run_cli("-C", str(stores), "cron-example", "--install", INSTALL).stdout
    remind = (EXAMPLES / "forge" / "github" / "workflows" / "storeops-remind.yml").read_text("utf-8")
    assert remind in printed
    crontab = (EXAMPLES / "remind" / "crontab").read_text("utf-8")
    assert "storeops remind" in crontab and "CRON_TZ=Asia/Shanghai" in crontab
    timer = (EXAMPLES / "remind" / "storeops-remind.timer").read_text("utf-8")
    service = (EXAMPLES / "remind" / "storeops-remind.service").read_text("utf-8")
    assert "OnCalendar=Mon..Fri *-*-* 08:30:00 Asia/Shanghai" in timer and "Persistent=true" in timer
    assert "storeops remind" in service and "EnvironmentFile=" in service


@pytest.mark.parametrize("path", sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.y*ml")))
def test_every_example_yaml_parses(path):
    assert yamlio.load(EXAMPLES / path) is not None


def test_tracker_sheet_imports_into_the_example_team(tmp_path, monkeypatch):
    stores = example_team(tmp_path, monkeypatch)
    tracker, mapping = EXAMPLES / "import" / "tracker.csv", EXAMPLES / "import" / "mapping.yaml"
    imported = run_cli("-C", str(stores), "import", str(tracker), "--sop", "amazon-us", "--map", str(mapping))
    assert imported.exit_code == 0, imported.stderr
    assert git(stores, "log", "-1", "--format=%s").strip() == "import 3 project(s) from tracker.csv"
    garden = yamlio.load(stores / "projects" / "acme-garden-amazon-us.yaml")
    assert {t["id"]: t["state"] for t in garden["tasks"]}["business-license"] == "done"
    checked = run_cli("-C", str(stores), "check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
