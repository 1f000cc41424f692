"""storeops log: git history read back as domain events, hand edits and merges included."""

import json

import pytest
from conftest import git, run_cli
from gitflow import acting, cli_as, hand_edit, set_task_field, use_this_checkout

from storeops import yamlio


@pytest.fixture(autouse=True)
def _driver_runs_this_code(monkeypatch):
    use_this_checkout(monkeypatch)


def log_json(stores, *args):
    result = run_cli("-C", str(stores), "log", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["events"]


def texts(events):
    return [e["text"] for e in events]


def test_log_tells_what_storeops_commands_did_newest_first(stores, mini):
    cli_as("bob", stores, "advance", mini, "licence")
    cli_as("bob", stores, "schedule", mini, "bank", "--due", "2026-12-05")
    events = log_json(stores, mini)
    assert texts(events)[:2] == ["due of bank 2026-11-07 → 2026-12-05", "licence: todo → in_progress"]
    assert texts(events)[-1] == "project created from mini@2026.1 (Mini Store)"
    first = events[0]
    assert (first["who"], first["person"], first["action"], first["via"]) == ("bob", "bob", "schedule", "storeops")
    assert (first["task"], first["field"], first["from"], first["to"]) == ("bank", "due", "2026-11-07", "2026-12-05")
    assert first["author"] == {"name": "Bob Ops", "email": "bob@example.com"}
    assert first["date"].endswith("+08:00")  # the team's timezone


def test_log_reads_a_hand_edit_committed_with_plain_git(stores, mini):
    set_task_field(stores, mini, "licence", "state", "in_progress", "started the licence")
    set_task_field(stores, mini, "licence", "assignee", "carol", "carol takes over")
    events = log_json(stores, mini)
    assert [(e["text"], e["via"], e["who"]) for e in events[:2]] == [
        ("assignee of licence bob → carol", "hand", "bob"),
        ("licence: todo → in_progress", "hand", "bob"),
    ]
    plain = run_cli("-C", str(stores), "log", mini)
    assert "licence: todo → in_progress [hand edit]" in plain.stdout


def test_log_reads_a_merge_and_does_not_repeat_the_sides(stores, mini):
    git(stores, "checkout", "-qb", "side")
    cli_as("bob", stores, "advance", mini, "licence")
    git(stores, "checkout", "-q", "main")
    cli_as("carol", stores, "schedule", mini, "bank", "--due", "2026-12-05")
    with acting("alice"):
        git(stores, "merge", "-q", "--no-edit", "side")
    assert git(stores, "log", "-1", "--format=%P").count(" ") == 1  # a real merge commit
    events = log_json(stores, mini)
    assert sorted(texts(events)[:2]) == ["due of bank 2026-11-07 → 2026-12-05", "licence: todo → in_progress"]
    assert {e["via"] for e in events} == {"storeops"}
    project = yamlio.load(stores / "projects" / f"{mini}.yaml")
    assert project["tasks"][0]["state"] == "in_progress" and project["tasks"][1]["due"] == "2026-12-05"


def test_log_shows_what_a_merge_itself_changed(stores, mini):
    git(stores, "checkout", "-qb", "side")
    cli_as("bob", stores, "advance", mini, "licence")
    git(stores, "checkout", "-q", "main")
    cli_as("carol", stores, "schedule", mini, "bank", "--due", "2026-12-05")
    with acting("alice"):
        git(stores, "merge", "-q", "--no-commit", "side")
        path = stores / "projects" / f"{mini}.yaml"
        path.write_text(path.read_text().replace("store: Mini Store", "store: Mini Store US"))
        git(stores, "commit", "-qam", "merge side, renaming the store")
    events = log_json(stores, mini)
    assert (events[0]["text"], events[0]["via"], events[0]["who"]) == (
        "store Mini Store → Mini Store US", "merge", "alice")
    assert texts(events).count("licence: todo → in_progress") == 1


def test_log_follows_a_rename_and_reports_a_deletion(stores, mini):
    cli_as("bob", stores, "advance", mini, "licence")
    git(stores, "mv", f"projects/{mini}.yaml", "projects/mini-usa.yaml")
    hand_edit(stores, "projects/mini-usa.yaml", f"id: {mini}", "id: mini-usa", "rename the project")
    events = log_json(stores, "mini-usa")
    assert texts(events)[0] == "project renamed mini-us → mini-usa"
    assert "licence: todo → in_progress" in texts(events)
    git(stores, "rm", "-q", "projects/mini-usa.yaml")
    with acting("alice"):
        git(stores, "commit", "-qm", "drop it")
    assert texts(log_json(stores))[0] == "project mini-usa deleted"


def test_log_steps_over_a_version_that_does_not_parse(stores, mini):
    hand_edit(stores, f"projects/{mini}.yaml", "store: Mini Store", "store: [Mini", "oops")
    path = stores / "projects" / f"{mini}.yaml"
    text = path.read_text().replace("store: [Mini", "store: Mini Store")
    path.write_text(text.replace("state: todo", "state: in_progress", 1))
    with acting("bob"):
        git(stores, "commit", "-qam", "fixed, and started the licence")
    events = log_json(stores, mini)
    assert texts(events)[0] == "licence: todo → in_progress"
    assert texts(events)[1].startswith("the file does not parse here: ")


def test_log_filters_by_author_action_and_dates(stores, mini):
    cli_as("bob", stores, "advance", mini, "licence")
    cli_as("carol", stores, "schedule", mini, "bank", "--due", "2026-12-05")
    assert texts(log_json(stores, "--author", "carol")) == ["due of bank 2026-11-07 → 2026-12-05"]
    assert texts(log_json(stores, "--author", "bob@example.com")) == ["licence: todo → in_progress"]
    assert texts(log_json(stores, "--action", "advance")) == ["licence: todo → in_progress"]
    assert log_json(stores, "--since", "2999-01-01") == []
    assert log_json(stores, "--until", "2000-01-01") == []
    assert len(log_json(stores, "--since", "2000-01-01", "--until", "2999-01-01")) == 3


def test_log_names_an_approval_recorded_by_someone_else(stores, mini):
    cli_as("bob", stores, "advance", mini, "licence")
    cli_as("bob", stores, "advance", mini, "licence", "--to", "done")
    cli_as("bob", stores, "advance", mini, "bank")
    cli_as("bob", stores, "advance", mini, "bank")
    rel = f"projects/{mini}.yaml"
    text = (stores / rel).read_text()
    forged = text.replace("    valid_days: 30\n", "    valid_days: 30\n  approvals:\n  - by: carol\n"
                                                   "    role: finance\n    at: '2026-11-20'\n", 1)
    (stores / rel).write_text(forged)
    with acting("bob"):
        git(stores, "commit", "-qam", "approved (trust me)")
    [event] = log_json(stores, mini, "--action", "approve")
    assert (event["who"], event["by"], event["text"]) == ("bob", "carol", "approved bank (finance)")
    result = run_cli("-C", str(stores), "log", mini, "--action", "approve")
    assert "approved bank (finance) — recorded as carol [hand edit]" in result.stdout


def test_log_refuses_unknown_project_and_action(stores, mini):
    result = run_cli("-C", str(stores), "log", "nope")
    assert result.exit_code == 2 and "unknown project 'nope'" in result.stderr
    result = run_cli("-C", str(stores), "log", "--action", "aprove")
    assert result.exit_code == 2 and "did you mean approve" in result.stderr
    result = run_cli("-C", str(stores), "log", "--since", "someday")
    assert result.exit_code == 2 and "--since: 'someday' is not a date" in result.stderr and "next mon" in result.stderr


def test_log_on_a_repo_without_commits_is_empty(tmp_path):
    (tmp_path / "storeops.yaml").write_text("team: t\n")
    git(tmp_path, "init", "-q")
    result = run_cli("-C", str(tmp_path), "log", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["events"] == []


def test_log_escapes_terminal_control_characters(stores, mini):
    hand_edit(stores, f"projects/{mini}.yaml", "store: Mini Store", 'store: "Mini\\e[31m Store"', "colour")
    result = run_cli("-C", str(stores), "log", mini)
    assert "\x1b" not in result.stdout and "Mini\\x1b[31m Store" in result.stdout


SEGMENT_CASES = [
    "a: 1\nb:\n- x: 1\n  y: [1, 2]\n- x: 2\nc: |\n  two\n  lines\n",
    "a: 1\na: 2\n",                       # duplicate key: the full parse's error
    "a:\n- 1\nb: &x 2\nc: *x\n",           # an alias across parts
    "a: 'x\nb: y'\n",                      # a quoted scalar spanning what looks like a key
    "a: [1,\n2]\n",
    "# comment\na: 1\n",
    "# modeline\n# another\na: 1\nb:\n- x\n",
    "# only a comment\n",
    "# comment\n- 1\n",
    "# comment\n\na: 1\n",
    "---\na: 1\n",
    "a:\n  - 1\n- 2\n",
    "- 1\n",
    "a: yes\nb: 2026-01-01\n",
]


@pytest.mark.parametrize("text", SEGMENT_CASES)
def test_segment_parser_gives_exactly_what_loads_gives(text):
    parser = yamlio.SegmentParser()

    def outcome(load):
        try:
            return "ok", load(text, "f.yaml")
        except Exception as error:  # the same error, message and all
            return type(error).__name__, str(error)

    assert outcome(parser.loads) == outcome(yamlio.loads)
    assert outcome(parser.loads) == outcome(yamlio.loads)  # second time from the cache


def test_log_reads_documents_rejections_and_archive_from_hand_edits(stores, mini):
    rel = f"projects/{mini}.yaml"
    first = "    file: attachments/mini-us/licence-scan.pdf.age\n"
    hand_edit(stores, rel, "    file: null\n", first, "attach the licence")
    hand_edit(stores, rel, first, "    file: attachments/mini-us/licence-scan-v2.pdf.age\n", "better scan")
    hand_edit(stores, rel, "rejections: []\n",
              "rejections:\n- at: '2026-12-20'\n  task: video\n  reason: video-face-mismatch\n"
              "  message: null\n  evidence: null\n", "platform said no")
    hand_edit(stores, rel, "archived: null", "archived:\n  at: '2026-12-21'\n  outcome: abandoned\n  reason: budget",
              "stop", who="alice")
    assert texts(log_json(stores, mini))[:4] == [
        "archived (abandoned): budget",
        "rejection added: video-face-mismatch on video",
        "document licence-scan replaced",
        "document licence-scan added",
    ]
    assert [e["action"] for e in log_json(stores, mini)[:4]] == ["archive", "reject", "attach", "attach"]


def test_project_files_are_read_by_segments_after_their_modeline(stores, mini):
    from storeops.repo import PROJECT_MODELINE

    text = (stores / "projects" / f"{mini}.yaml").read_text()
    assert text.startswith(PROJECT_MODELINE)
    parser = yamlio.SegmentParser()
    assert parser.loads(text) == yamlio.loads(text)
    assert parser._keys  # key by key (what makes a long history fast), not the whole-file fallback


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 16])
def test_streamed_commits_are_the_commits_read_at_once_whatever_the_chunks(stores, mini, monkeypatch, chunk):
    from storeops import gitlog

    cli_as("bob", stores, "advance", mini, "licence")
    hand_edit(stores, f"projects/{mini}.yaml", "store: Mini Store", "store: Mini \x1e\u4e2d Store", "odd \x1e subject")
    git(stores, "mv", f"projects/{mini}.yaml", "projects/mini-usa.yaml")
    hand_edit(stores, "projects/mini-usa.yaml", f"id: {mini}", "id: mini-usa", "rename the project")
    whole = gitlog.read_commits(stores, ["HEAD"], ["projects/"])
    monkeypatch.setattr(gitlog, "_CHUNK", chunk)
    streamed = [c for batch in gitlog.stream_commits(stores, ["HEAD"], ["projects/"]) for c in batch]
    assert streamed == whole and len(whole) >= 4
