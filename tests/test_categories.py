"""Categories come from a vocabulary (the SOPs' when_category and storeops.yaml's categories:), never a silent typo."""

from __future__ import annotations

import json

from conftest import git, run_cli

from storeops import yamlio


def cli(root, *args):
    return run_cli("-C", str(root), *args)


def add_team_categories(stores, *names):
    data = yamlio.load(stores / "storeops.yaml")
    data["categories"] = list(names)
    (stores / "storeops.yaml").write_text(yamlio.dumps(data))
    git(stores, "commit", "-qam", "categories")


def test_a_category_typo_is_refused_with_the_right_suggestion(stores):
    result = cli(stores, "new", "amazon-us", "--store", "Glow", "--owner", "alice", "--category", "cosmetic")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: --category 'cosmetic' is not a category of the team\n"
                             "hint: did you mean cosmetics?\n")
    assert not list((stores / "projects").glob("*.yaml"))


def test_the_right_category_keeps_the_regulated_task(stores):
    result = cli(stores, "new", "amazon-us", "--store", "Glow", "--owner", "alice", "--category", "cosmetics")
    assert result.exit_code == 0, result.stderr
    tasks = [t["id"] for t in yamlio.load(stores / "projects" / "glow-amazon-us.yaml")["tasks"]]
    assert "compliance-review" in tasks


def test_the_team_list_in_storeops_yaml_extends_the_vocabulary(stores):
    unknown = cli(stores, "new", "amazon-us", "--store", "Pots", "--owner", "alice", "--category", "home-kitchen")
    assert unknown.exit_code == 2
    assert "add it under categories: in storeops.yaml (known: cosmetics, dietary-supplements, food" in unknown.stderr
    add_team_categories(stores, "home-kitchen", "electronics")
    result = cli(stores, "new", "amazon-us", "--store", "Pots", "--owner", "alice", "--category", "home-kitchen")
    assert result.exit_code == 0, result.stderr
    typo = cli(stores, "new", "amazon-us", "--store", "Gadgets", "--owner", "alice", "--category", "electronic")
    assert typo.exit_code == 2 and "did you mean electronics?" in typo.stderr


def test_a_bad_team_category_is_a_config_error(stores):
    add_team_categories(stores, "Home Kitchen")
    result = cli(stores, "status")
    assert result.exit_code == 2
    assert "categories[0]" in result.stderr and "is not a category id" in result.stderr


def test_check_flags_a_project_whose_category_is_not_in_the_vocabulary(stores, project):
    add_team_categories(stores, "home-kitchen")
    path = stores / "projects" / f"{project}.yaml"
    text = path.read_text()
    assert "category: null" in text
    path.write_text(text.replace("category: null", "category: home-kitchn"))
    result = cli(stores, "check")
    assert result.exit_code == 1
    line = next(i for i, l in enumerate(path.read_text().splitlines(), 1) if l.startswith("category:"))
    assert result.stdout.startswith(f"projects/{project}.yaml:{line}:1: category: 'home-kitchn' is not a category "
                                    "of the team (did you mean home-kitchen")
    path.write_text(text.replace("category: null", "category: home-kitchen"))
    assert cli(stores, "check").exit_code == 0


def test_sop_show_lists_the_categories_that_change_it(stores):
    result = cli(stores, "sop", "show", "amazon-us")
    assert result.exit_code == 0
    assert "cosmetics, dietary-supplements, food, medical-devices, toys-baby (+compliance-review)" in result.stdout
    data = json.loads(cli(stores, "sop", "show", "amazon-us", "--json").stdout)
    assert data["categories"]["food"] == ["compliance-review"]
    assert set(data["categories"]) == {"cosmetics", "dietary-supplements", "food", "medical-devices", "toys-baby"}


def test_the_demo_passes_check_with_its_categories(tmp_path):
    result = run_cli("init", "--example", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.stderr
    assert "categories" in yamlio.load(tmp_path / "demo" / "storeops.yaml")
    assert cli(tmp_path / "demo", "check").exit_code == 0
