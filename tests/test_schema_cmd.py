"""Editor support: modelines in written files, the schema copy, `storeops schema`."""

import json

from conftest import git, run_cli


def test_project_and_config_files_start_with_a_modeline(stores, mini):
    first = (stores / "projects" / "mini-us.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../.storeops/schemas/project.schema.json"
    assert (stores / ".storeops" / "schemas" / "project.schema.json").is_file()
    assert (stores / ".storeops" / "schemas" / "platforms" / "amazon.schema.json").is_file()
    assert (stores / "storeops.yaml").read_text().startswith(
        "# yaml-language-server: $schema=.storeops/schemas/config.schema.json\n")


def test_schema_path_and_print():
    path = run_cli("schema", "path", "project").stdout.strip()
    assert path.endswith("project.schema.json")
    data = json.loads(run_cli("schema", "print", "platforms/amazon").stdout)
    assert data["$schema"].endswith("2020-12/schema")
    result = run_cli("schema", "print", "projet")
    assert result.exit_code == 2 and "did you mean project" in result.stderr


def test_schema_install_refreshes_stale_copies(stores):
    copy = stores / ".storeops" / "schemas" / "project.schema.json"
    copy.write_text("{}\n")
    git(stores, "commit", "-qam", "stale")
    result = run_cli("-C", str(stores), "schema", "install")
    assert result.exit_code == 0 and "updated 1 schema file" in result.stderr
    assert json.loads(copy.read_text())["title"] == "storeops project"
    assert run_cli("-C", str(stores), "schema", "install").stderr.strip() == "schemas are up to date"
