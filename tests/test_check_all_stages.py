"""`storeops check` runs every stage on every file and reports all findings in one run, by file and line."""

from __future__ import annotations

import json

from conftest import run_cli
from storeops import yamlio


def _break(stores, project_id: str, change) -> list[str]:
    """Change the canonical file's data, write it back (as fmt would) and return its lines."""
    path = stores / "projects" / f"{project_id}.yaml"
    data = yamlio.load(path)
    change(data)
    text = path.read_text().splitlines(keepends=True)[0] + yamlio.dumps(data)
    path.write_text(text)
    return text.splitlines()


def _line(lines: list[str], text: str, after: int = 0) -> int:
    return next(i for i, line in enumerate(lines, 1) if i > after and line.strip() == text)


def test_five_different_problems_in_one_file_are_all_reported_in_one_run(stores, project):
    def change(data):
        data["owner"] = "zed"                                  # people: not on the team
        data["tasks"][0]["state"] = "finished"                 # schema: not a state
        data["tasks"][1]["due"] = "2026-02-30"                 # dates: no such day
        data["tasks"][2]["assignee"] = "nobody2"               # people: not on the team
        data["tasks"][3]["depends_on"] = ["no-such-task"]      # workflow: unknown dependency

    lines = _break(stores, project, change)
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1
    source = f"projects/{project}.yaml"
    tasks = _line(lines, "tasks:")
    starts = [i for i, line in enumerate(lines, 1) if i > tasks and line.startswith("- id: ")]
    expected = [
        f"{source}:{_line(lines, 'owner: zed')}:1: owner: 'zed' is not a person in storeops.yaml",
        f"{source}:{_line(lines, 'state: finished')}:3: tasks[0].state: 'finished' is not one of",
        f"{source}:{_line(lines, 'due: 2026-02-30')}:3: tasks[1].due: '2026-02-30' is not a calendar date",
        f"{source}:{_line(lines, 'assignee: nobody2')}:3: tasks[2].assignee: 'nobody2' is not a person in storeops.yaml",
        f"{source}:{_line(lines, '- no-such-task')}:5: tasks[3].depends_on[0]: depends on unknown task 'no-such-task'",
    ]
    found = result.stdout.splitlines()
    assert len(found) == 5, result.stdout
    for line, wanted in zip(found, expected):
        assert line.startswith(wanted), (line, wanted)
    assert starts  # the file is laid out as expected
    assert "5 problem(s)" in result.stderr


def test_findings_of_all_files_are_sorted_by_file_and_line(stores, project):
    run_cli("-C", str(stores), "new", "amazon-us", "--store", "Other", "--owner", "alice", "--id", "b-us",
            "--start", "2026-11-02")
    _break(stores, "b-us", lambda d: d.update(owner="zed"))
    _break(stores, project, lambda d: (d.update(owner="zed"), d["tasks"][0].update(state="finished")))
    data = json.loads(run_cli("-C", str(stores), "check", "--json").stdout)
    keys = [(p["path"], p["line"] or 0) for p in data["problems"]]
    assert keys == sorted(keys) and {p["path"] for p in data["problems"]} == {
        "projects/b-us.yaml", f"projects/{project}.yaml"}


def test_a_file_that_is_not_yaml_stops_only_its_own_later_stages(stores, project):
    run_cli("-C", str(stores), "new", "amazon-us", "--store", "Other", "--owner", "alice", "--id", "b-us",
            "--start", "2026-11-02")
    (stores / "projects" / "b-us.yaml").write_text("id: b-us\ntasks: [unclosed\n")
    _break(stores, project, lambda d: d.update(owner="zed"))
    result = run_cli("-C", str(stores), "check")
    found = result.stdout.splitlines()
    assert len([f for f in found if f.startswith("projects/b-us.yaml")]) == 1
    assert any(f.startswith(f"projects/{project}.yaml") and "'zed' is not a person" in f for f in found)


def test_a_broken_field_is_not_reported_twice_by_a_later_stage(stores, project):
    _break(stores, project, lambda d: d.update(owner="Not A Name"))
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1 and "owner:" in result.stdout


def test_every_broken_field_of_storeops_yaml_is_reported_in_one_run(stores):
    path = stores / "storeops.yaml"
    text = path.read_text()
    text = text.replace("timezone: Asia/Shanghai", "timezone: Mars/Base").replace("name: bob", "name: Bob Smith")
    path.write_text(text)
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code == 1
    found = [line for line in result.stdout.splitlines() if line.startswith("storeops.yaml:")]
    assert any("timezone: 'Mars/Base'" in line for line in found), result.stdout
    assert any("name:" in line and "Bob Smith" in line for line in found), result.stdout
