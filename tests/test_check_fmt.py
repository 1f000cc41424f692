"""storeops check (schemas, platform rules, workflow rules) and fmt (canonical form)."""

import json

from conftest import git, run_cli

from storeops import yamlio


def check(stores, *args):
    return run_cli("-C", str(stores), "check", *args)


def edit(stores, project, change):
    path = stores / "projects" / f"{project}.yaml"
    path.write_text(change(path.read_text()))


def test_clean_repo_passes(stores, mini):
    result = check(stores)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_schema_error_names_file_line_and_column(stores, mini):
    edit(stores, mini, lambda t: t.replace("state: todo", "state: finished", 1))
    result = check(stores)
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    text = (stores / "projects" / "mini-us.yaml").read_text().splitlines()
    number = next(i for i, l in enumerate(text, 1) if "state: finished" in l)
    assert line.startswith(f"projects/mini-us.yaml:{number}:3: tasks[0].state: 'finished' is not one of")


def test_yaml_error_is_reported_not_raised(stores, mini):
    edit(stores, mini, lambda t: t + "id: again\n")
    result = check(stores)
    assert result.exit_code == 1
    assert "projects/mini-us.yaml:" in result.stdout and "duplicate key 'id'" in result.stdout


def test_workflow_rules(stores, mini):
    def broken(text):
        data = yamlio.loads(text)
        data["tasks"][1]["state"] = "done"        # bank done: gate without approval, licence not done
        data["tasks"][0]["assignee"] = "zoe"      # not a person
        data["tasks"][0]["documents"][0]["file"] = "attachments/mini-us/licence.pdf"  # sensitive, plain, missing
        return yamlio.dumps(data)

    edit(stores, mini, broken)
    out = check(stores).stdout
    assert "bank is done but its dependency licence is not done" in out
    assert "bank is done without an approval by finance" in out
    assert "'zoe' is not a person in storeops.yaml" in out
    assert "attachments/mini-us/licence.pdf does not exist" in out
    assert "licence-scan is sensitive but stored unencrypted" in out


def test_platform_rules_apply(stores):
    (stores / "sop" / "mini.yaml").write_text((__import__("conftest").DATA / "mini.yaml").read_text())
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Food", "--owner", "bob", "--id", "food",
                     "--category", "food")
    assert result.exit_code == 0

    def drop_review(text):
        data = yamlio.loads(text)
        data["tasks"] = [t for t in data["tasks"] if t["id"] != "compliance-review"]
        return yamlio.dumps(data)

    edit(stores, "food", drop_review)
    out = check(stores).stdout
    assert "projects/food.yaml" in out and "compliance-review" in out


def test_check_json_shape(stores, mini):
    edit(stores, mini, lambda t: t.replace("owner: bob", "owner: zoe"))
    result = check(stores, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["ok"] is False
    problem = data["problems"][0]
    assert set(problem) == {"path", "line", "col", "message", "code"}
    assert problem["path"] == "projects/mini-us.yaml" and problem["code"] == "people"


def test_check_only_given_paths(stores, mini):
    edit(stores, mini, lambda t: t.replace("owner: bob", "owner: zoe"))
    run_cli("-C", str(stores), "new", "mini", "--store", "Other", "--owner", "bob", "--id", "other")
    assert check(stores, str(stores / "projects" / "other.yaml")).exit_code == 0
    assert check(stores, str(stores / "projects" / "mini-us.yaml")).exit_code == 1


def test_bad_config_is_reported(stores):
    path = stores / "storeops.yaml"
    path.write_text(path.read_text().replace("language: en", "language: fr"))
    result = check(stores)
    assert result.exit_code == 1
    assert result.stdout.startswith("storeops.yaml:5:")


def test_broken_team_sop_is_reported(stores):
    (stores / "sop" / "bad.yaml").write_text("id: bad\nversion: '1'\n")
    result = check(stores)
    assert result.exit_code == 1
    assert "sop/bad.yaml" in result.stdout


def test_commands_on_a_broken_file_give_one_line_and_exit_2(stores, mini):
    edit(stores, mini, lambda t: t.replace("state: todo", "state: [1, 2", 1))
    result = run_cli("-C", str(stores), "status", mini)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: projects/mini-us.yaml:")
    assert "Traceback" not in result.stderr + result.stdout


def test_wrong_type_field_names_line_and_field(stores, mini):
    edit(stores, mini, lambda t: t.replace("store: Mini Store", "store: [a, b]"))
    result = run_cli("-C", str(stores), "status")
    assert result.exit_code == 1  # skipped and named: the readers go on
    assert "projects/mini-us.yaml:6:1: store: expected text" in result.stderr


def test_fmt_rewrites_hand_edits_into_canonical_form(stores, mini):
    path = stores / "projects" / "mini-us.yaml"
    canonical = path.read_text()
    data = yamlio.loads(canonical)
    hand = json.dumps(data, indent=1)  # JSON is YAML: valid but far from canonical
    path.write_text(hand)
    git(stores, "commit", "-qam", "hand edit")
    result = run_cli("-C", str(stores), "fmt", "--check")
    assert result.exit_code == 1 and result.stdout.strip() == "projects/mini-us.yaml"
    assert check(stores).exit_code == 1
    assert run_cli("-C", str(stores), "fmt").exit_code == 0
    assert path.read_text() == canonical
    assert git(stores, "log", "-1", "--format=%s").startswith("fmt: canonical form for 1 project file")
    assert run_cli("-C", str(stores), "fmt", "--check").exit_code == 0


def test_canonical_file_round_trips_unchanged(stores, mini):
    path = stores / "projects" / "mini-us.yaml"
    before = path.read_text()
    assert run_cli("-C", str(stores), "fmt").exit_code == 0
    assert path.read_text() == before


def test_a_relative_path_is_read_from_the_C_directory_like_git_does(stores, mini, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    edit(stores, mini, lambda t: t.replace("state: todo", "state: finished", 1))
    result = run_cli("-C", str(stores), "check", "projects/mini-us.yaml", cwd=elsewhere)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("projects/mini-us.yaml:")
    assert "1 problem(s)" in result.stderr
    absolute = run_cli("-C", str(stores), "check", str(stores / "projects" / "mini-us.yaml"), cwd=elsewhere)
    assert absolute.stdout == result.stdout


def test_a_relative_C_directory_and_path_combine(stores, mini):
    result = run_cli("-C", stores.name, "check", "projects/mini-us.yaml", cwd=stores.parent)
    assert result.exit_code == 0, result.stderr
    assert "ok: 1 project file(s)" in result.stderr


def test_findings_come_in_document_order_with_plain_choices(stores, mini):
    def twelve_broken_tasks(text):
        data = yamlio.loads(text)
        template = data["tasks"][0]
        data["tasks"] = [dict(template, id=f"t{i}", depends_on=[], state="finished") for i in range(12)]
        return yamlio.dumps(data)

    edit(stores, mini, twelve_broken_tasks)
    lines = check(stores).stdout.splitlines()
    fields = [line.split(": ")[1] for line in lines if "'finished'" in line]
    assert fields == [f"tasks[{i}].state" for i in range(12)]
    assert lines[0].endswith("'finished' is not one of todo, in_progress, submitted, done, rejected, blocked, skipped")
