"""storeops init, -C and repo discovery, person add/list/remove."""

import json

from conftest import git, run_cli

from storeops import yamlio


def test_init_makes_a_git_repo_with_config_folders_and_one_commit(tmp_path):
    root = tmp_path / "stores"
    result = run_cli("init", str(root), "--name", "ACME Ops", "--timezone", "Asia/Shanghai", "--language", "zh")
    assert result.exit_code == 0, result.stderr
    config = yamlio.load(root / "storeops.yaml")
    assert config["team"] == "ACME Ops"
    assert config["timezone"] == "Asia/Shanghai"
    assert config["language"] == "zh"
    assert config["people"] == [{"name": "alice", "email": "alice@example.com", "roles": ["admin", "lead"]}]
    for folder in ("projects", "attachments", "sop"):
        assert (root / folder).is_dir()
    assert "*.age binary" in (root / ".gitattributes").read_text()
    log = git(root, "log", "--format=%s%n%b")
    assert log.startswith("init stores repo for ACME Ops")
    assert "Storeops-Action: init" in log
    assert git(root, "status", "--porcelain") == ""


def test_init_defaults_to_the_current_folder(tmp_path):
    result = run_cli("init", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "storeops.yaml").is_file()


def test_init_refuses_to_reinitialise(stores):
    before = (stores / "storeops.yaml").read_text()
    result = run_cli("init", str(stores))
    assert result.exit_code == 2
    assert "already a stores repo" in result.stderr
    assert (stores / "storeops.yaml").read_text() == before


def test_init_refuses_unknown_timezone_and_language_without_writing(tmp_path):
    assert run_cli("init", str(tmp_path / "a"), "--timezone", "Mars/Base").exit_code == 2
    assert run_cli("init", str(tmp_path / "b"), "--language", "fr").exit_code == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_init_in_an_existing_git_repo_keeps_its_history(tmp_path):
    root = tmp_path / "existing"
    root.mkdir()
    git(root, "init", "-q")
    (root / "notes.txt").write_text("hello\n")
    git(root, "add", "notes.txt")
    git(root, "commit", "-qm", "first")
    assert run_cli("init", str(root)).exit_code == 0
    assert git(root, "log", "--format=%s").splitlines() == ["init stores repo for existing", "first"]


def test_init_without_git_identity_exits_3_and_writes_nothing(tmp_path, isolated_home, monkeypatch):
    (isolated_home / ".gitconfig").write_text("[user]\n\tuseConfigOnly = true\n")
    monkeypatch.setenv("EMAIL", "")
    result = run_cli("init", str(tmp_path / "x"))
    assert result.exit_code == 3
    assert "git does not know who you are" in result.stderr
    assert not (tmp_path / "x").exists()


def test_commands_outside_a_stores_repo_exit_3_with_a_hint(tmp_path):
    result = run_cli("-C", str(tmp_path), "status")
    assert result.exit_code == 3
    assert "not a stores repo" in result.stderr
    assert "storeops init" in result.stderr


def test_repo_is_found_from_a_subfolder(stores):
    result = run_cli("person", "list", "--json", cwd=stores / "projects")
    assert result.exit_code == 0, result.stderr
    assert [p["name"] for p in json.loads(result.stdout)["people"]] == ["alice", "bob", "carol", "dave"]


def test_person_add_commits_only_storeops_yaml(stores):
    (stores / "scratch.txt").write_text("user's own work\n")
    git(stores, "add", "scratch.txt")
    result = run_cli("-C", str(stores), "person", "add", "erin", "--email", "erin@example.com", "--role", "lead")
    assert result.exit_code == 0, result.stderr
    assert git(stores, "show", "--name-only", "--format=", "HEAD").split() == ["storeops.yaml"]
    assert "A  scratch.txt" in git(stores, "status", "--porcelain")  # still staged, not swept in


def test_person_list_json_shape(stores):
    data = json.loads(run_cli("-C", str(stores), "person", "list", "--json").stdout)
    assert data["version"] == 1
    assert data["people"][2] == {"name": "carol", "email": "carol@example.com", "roles": ["finance"], "has_key": False}


def test_person_add_refuses_duplicates_and_bad_roles(stores):
    assert run_cli("-C", str(stores), "person", "add", "bob", "--email", "b2@example.com").exit_code == 2
    result = run_cli("-C", str(stores), "person", "add", "zed", "--email", "bob@example.com")
    assert result.exit_code == 2 and "already belongs to bob" in result.stderr
    result = run_cli("-C", str(stores), "person", "add", "zed", "--email", "z@example.com", "--role", "boss")
    assert result.exit_code == 2 and "not a role" in result.stderr


def test_person_remove_refuses_while_they_hold_work(stores, mini):
    result = run_cli("-C", str(stores), "person", "remove", "bob")
    assert result.exit_code == 2
    assert "still has work" in result.stderr and "mini-us (owner)" in result.stderr
    assert run_cli("-C", str(stores), "person", "remove", "carol").exit_code == 0
    names = [p["name"] for p in yamlio.load(stores / "storeops.yaml")["people"]]
    assert "carol" not in names


def test_person_remove_unknown_suggests(stores):
    result = run_cli("-C", str(stores), "person", "remove", "bobb")
    assert result.exit_code == 2
    assert "did you mean bob" in result.stderr


def test_version_and_help(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("storeops ")
    assert cli("--help").exit_code == 0


def test_init_in_a_repo_without_commits_leaves_staged_files_alone(tmp_path):
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "-q")
    (root / "mine.txt").write_text("draft\n")
    git(root, "add", "mine.txt")
    assert run_cli("init", str(root)).exit_code == 0
    assert "mine.txt" not in git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert git(root, "diff", "--cached", "--name-only").split() == ["mine.txt"]


def test_writes_without_git_identity_exit_3_and_change_nothing(stores, mini, isolated_home, monkeypatch):
    before = (stores / "projects" / "mini-us.yaml").read_text()
    (isolated_home / ".gitconfig").write_text("[user]\n\tuseConfigOnly = true\n")
    monkeypatch.setenv("EMAIL", "")
    result = run_cli("-C", str(stores), "advance", mini, "licence")
    assert result.exit_code == 3 and "git does not know who you are" in result.stderr
    assert (stores / "projects" / "mini-us.yaml").read_text() == before
