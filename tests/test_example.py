"""storeops init --example: the demo the README's first command shows."""

import json
from datetime import date

import pytest
from conftest import git, run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("ex") / "demo"
    result = run_cli("init", "--example", str(root))
    assert result.exit_code == 0, result.stderr
    return root


def test_example_has_every_status_on_many_platforms(demo):
    projects = json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]
    assert len(projects) >= 8
    assert len({p["platform"] for p in projects}) >= 5
    assert {p["status"] for p in projects} == {"preparing", "under_review", "approved", "rejected", "archived"}
    assert any(p["overdue"] for p in projects)


def test_example_has_an_appointment_in_the_next_days(demo):
    today = date.fromisoformat(json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["today"])
    upcoming = []
    for pid in json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]:
        detail = json.loads(run_cli("-C", str(demo), "status", pid["id"], "--json").stdout)["project"]
        for task in detail["tasks"]:
            if task["appointment"]:
                upcoming.append((date.fromisoformat(task["appointment"][:10]) - today).days)
    assert any(0 <= days <= 3 for days in upcoming)


def test_example_team_holds_every_gate_role(demo):
    people = json.loads(run_cli("-C", str(demo), "person", "list", "--json").stdout)["people"]
    roles = {r for p in people for r in p["roles"]}
    assert {"ops", "finance", "legal", "lead"} <= roles


def test_example_history_has_several_authors_and_dates(demo):
    lines = git(demo, "log", "--format=%ae %ad", "--date=short").splitlines()
    assert len(lines) > 50
    assert len({l.split()[0] for l in lines}) >= 4
    assert len({l.split()[1] for l in lines}) >= 15
    assert git(demo, "status", "--porcelain") == ""


def test_example_passes_check(demo):
    result = run_cli("-C", str(demo), "check")
    assert result.exit_code == 0, result.stdout


def test_example_refuses_an_existing_stores_repo(demo):
    assert run_cli("init", "--example", str(demo)).exit_code == 2
