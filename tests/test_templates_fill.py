"""sop templates --copy-to DIR --project ID: the copies are filled from the project and storeops.yaml."""

from __future__ import annotations

from conftest import git, run_cli
from storeops import yamlio

ENTITY = """entities:
- name: ACME Trading Co., Ltd.
  legal_rep: Zhang Wei
  address: 1 Science Park Rd, Shenzhen
  registration_number: 91440300MA5TEST
  country: China
"""


def new_project(stores, *extra):
    result = run_cli("-C", str(stores), "new", "amazon-us", "--store", "ACME Home US", "--owner", "bob",
                     "--id", "acme-us", *extra)
    assert result.exit_code == 0, result.stderr


def add_entities(stores):
    with open(stores / "storeops.yaml", "a") as config:
        config.write(ENTITY)
    git(stores, "commit", "-qam", "entities")


def test_placeholders_are_filled_from_the_project_and_its_entity(stores, tmp_path):
    new_project(stores, "--entity", "ACME Trading Co., Ltd.")
    add_entities(stores)
    assert run_cli("-C", str(stores), "check").exit_code == 0
    result = run_cli("-C", str(stores), "sop", "templates", "amazon-us", "--copy-to", str(tmp_path / "letters"),
                     "--project", "acme-us")
    assert result.exit_code == 0, result.stderr
    letter = (tmp_path / "letters" / "authorization-letter.en.md").read_text()
    assert '"ACME Home US"' in letter and "**ACME Trading Co., Ltd.**" in letter
    assert "registered in China under registration number\n**91440300MA5TEST**" in letter
    assert "1 Science Park Rd, Shenzhen" in letter and "**Zhang Wei**" in letter
    assert "{{store}}" not in letter and "{{legal_rep}}" not in letter and "{{date}}" not in letter
    assert "[[MISSING: operator_id_number]]" in letter  # nothing says it: marked, not guessed
    assert "authorization-letter.en.md: not filled: operator_id_number" in result.stderr


def test_missing_entity_data_is_marked_and_the_hint_says_where_to_add_it(stores, tmp_path):
    new_project(stores, "--entity", "ACME Trading Co., Ltd.")
    result = run_cli("-C", str(stores), "sop", "templates", "amazon-us", "--copy-to", str(tmp_path / "letters"),
                     "--project", "acme-us")
    assert result.exit_code == 0
    letter = (tmp_path / "letters" / "legal-rep-declaration.md").read_text()
    assert "[[MISSING: legal_rep]]" in letter and "ACME Trading Co., Ltd." in letter
    assert "under entities: in storeops.yaml" in result.stderr
    bare = tmp_path / "bare"
    new_id = run_cli("-C", str(stores), "new", "amazon-us", "--store", "Other", "--owner", "bob", "--id", "other-us")
    assert new_id.exit_code == 0
    plain = run_cli("-C", str(stores), "sop", "templates", "amazon-us", "--copy-to", str(bare), "--project", "other-us")
    assert "[[MISSING: entity]]" in (bare / "legal-rep-declaration.md").read_text()
    assert "names no entity" in plain.stderr


def test_project_without_copy_to_or_unknown_project_exits_2(stores, tmp_path):
    assert run_cli("-C", str(stores), "sop", "templates", "amazon-us", "--project", "x").exit_code == 2
    unknown = run_cli("-C", str(stores), "sop", "templates", "amazon-us", "--copy-to", str(tmp_path / "l"),
                      "--project", "nosuch")
    assert unknown.exit_code == 2 and not (tmp_path / "l").exists()


def test_entities_survive_commands_that_rewrite_storeops_yaml_and_bad_ones_are_findings(stores):
    add_entities(stores)
    assert run_cli("-C", str(stores), "person", "add", "erin", "--email", "erin@example.com").exit_code == 0
    assert yamlio.load(stores / "storeops.yaml")["entities"][0]["legal_rep"] == "Zhang Wei"
    text = (stores / "storeops.yaml").read_text().replace("  legal_rep: Zhang Wei\n", "  legal_rep: 42\n")
    (stores / "storeops.yaml").write_text(text)
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code in (1, 2) and "entities" in result.stdout + result.stderr
