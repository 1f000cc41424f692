"""storeops status: the table, one project, one task; filters; languages; escaping."""

import json

from conftest import run_cli

from storeops import yamlio


def status(stores, *args):
    return run_cli("-C", str(stores), "status", *args)


def test_table_lists_projects_plain_when_piped(stores, mini):
    result = status(stores)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["project", "platform", "owner", "status", "done", "next", "task", "due", "overdue"]
    assert lines[1].split()[:6] == ["mini-us", "amazon-us", "bob", "preparing", "0/5", "licence"]
    assert "\x1b[" not in result.stdout  # no colour codes when piped


def test_overdue_is_marked(stores, mini):
    # the project started 2026-11-02, so licence (due 2026-11-04) is overdue by now
    row = json.loads(status(stores, "--json").stdout)["projects"][0]
    assert "licence" in row["overdue"]
    lines = status(stores).stdout.splitlines()
    assert lines[0].split()[-1] == "overdue"
    assert lines[1].split()[-1] == str(len(row["overdue"]))  # how many tasks are late


def test_filters(stores, mini):
    run_cli("-C", str(stores), "new", "mini", "--store", "Other", "--owner", "alice", "--id", "other")
    ids = lambda *a: [p["id"] for p in json.loads(status(stores, "--json", *a).stdout)["projects"]]
    assert ids() == ["mini-us", "other"]
    assert ids("--owner", "alice") == ["other"]
    assert ids("--platform", "ebay") == []
    assert ids("--status", "preparing") == ["mini-us", "other"]
    result = status(stores, "--status", "waiting")
    assert result.exit_code == 2 and "not a status" in result.stderr


def test_project_view_shows_tasks_states_and_gates(stores, mini):
    result = status(stores, mini)
    assert result.exit_code == 0
    assert "Mini Store" in result.stdout
    assert "payout not bound" in result.stdout
    assert "bank ⚑finance" in result.stdout
    detail = json.loads(status(stores, mini, "--json").stdout)["project"]
    assert [t["id"] for t in detail["tasks"]] == ["licence", "bank", "brand", "video", "review"]
    bank = detail["tasks"][1]
    assert bank["requires_approval"] == "finance" and bank["approved"] is False
    assert bank["waiting_for"] == ["licence"]


def test_task_view_shows_guide_and_document_validity(stores, mini):
    result = status(stores, mini, "bank")
    assert result.exit_code == 0, result.stderr
    assert "Statement within 30 days" in result.stdout
    assert "bank-statement" in result.stdout and "valid 30 days" in result.stdout
    data = json.loads(status(stores, mini, "bank", "--json").stdout)
    assert data["task"]["guide"]["en"].startswith("Statement within 30 days")
    assert data["task"]["documents"][0]["valid_days"] == 30


def test_task_view_shows_each_documents_issue_date(stores, mini, tmp_path):
    scan = tmp_path / "statement.pdf"
    scan.write_bytes(b"%PDF-1.4 statement")
    attached = run_cli("-C", str(stores), "attach", mini, str(scan), "--task", "bank", "--doc", "bank-letter",
                       "--issued", "2026-11-20", "--plain")
    assert attached.exit_code == 0, attached.stderr
    line = next(line for line in status(stores, mini, "bank").stdout.splitlines() if "bank-letter" in line)
    assert "issued 2026-11-20" in line
    zh = run_cli("--lang", "zh", "-C", str(stores), "status", mini, "bank")
    assert "开具 2026-11-20" in zh.stdout


def test_chinese_labels_and_titles(stores, mini):
    result = run_cli("--lang", "zh", "-C", str(stores), "status")
    assert "待提交" in result.stdout and "负责人" in result.stdout
    result = run_cli("--lang", "zh", "-C", str(stores), "status", mini, "bank")
    assert "30天内的流水" in result.stdout


def test_language_from_storeops_yaml(stores, mini):
    path = stores / "storeops.yaml"
    path.write_text(path.read_text().replace("language: en", "language: zh"))
    assert "待提交" in status(stores).stdout


def test_user_text_is_rendered_inert(stores, mini):
    path = stores / "projects" / "mini-us.yaml"
    data = yamlio.load(path)
    data["store"] = "[bold red]Evil\x1b[31m\nShop"
    data["tasks"][0]["notes"] = [{"at": "2026-11-03", "by": "bob", "text": "\x1b]0;pwned\x07 [link=x]y[/link]"}]
    path.write_text(yamlio.dumps(data))
    out = status(stores, mini).stdout + status(stores, mini, "licence").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold red]Evil\\x1b[31m ⏎ Shop" in out
    assert "[link=x]y[/link]" in out


def test_unknown_project_in_status(stores, mini):
    result = status(stores, "nope")
    assert result.exit_code == 2 and "unknown project 'nope'" in result.stderr


def test_json_text_is_what_json_dumps_writes():
    import json as std

    from storeops.render import json_text

    samples = [{}, [], {"a": [], "b": {}}, {"a": [1, [2, []], {"b": None, "c": True, "d": False}]}, "x", 5, None,
               {"text": "中文 ✓ \u2028 \x00 \x1f \\ \" '", "n": -12, "big": 10**30}, [[[]]],
               {"f": 1.5}, {"f": float("nan")}, {1: "int key"}, {"t": (1, 2)}]
    for value in samples:
        assert json_text(value) == std.dumps(value, ensure_ascii=False, indent=2)
