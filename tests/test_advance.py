"""storeops advance / assign / schedule: the workflow rules, one commit each."""

import json
import subprocess
import sys

from conftest import git, run_cli

from storeops import yamlio


def state_of(stores, project, task):
    data = yamlio.load(stores / "projects" / f"{project}.yaml")
    return next(t for t in data["tasks"] if t["id"] == task)


def advance(stores, *args):
    return run_cli("-C", str(stores), "advance", *args)


def test_advance_moves_one_step_and_commits_with_trailers(stores, mini):
    result = advance(stores, mini, "licence")
    assert result.exit_code == 0, result.stderr
    assert "licence todo → in_progress" in result.stderr
    assert state_of(stores, mini, "licence")["state"] == "in_progress"
    message = git(stores, "log", "-1", "--format=%B")
    assert message.startswith("advance mini-us: licence todo → in_progress\n")
    assert "Storeops-Project: mini-us\nStoreops-Action: advance" in message
    assert git(stores, "log", "-1", "--format=%ae") == "alice@example.com\n"


def test_advance_follows_the_chain(stores, mini):
    for expected in ("in_progress", "submitted", "done"):
        assert advance(stores, mini, "licence").exit_code == 0
        assert state_of(stores, mini, "licence")["state"] == expected
    result = advance(stores, mini, "licence")
    assert result.exit_code == 2 and "nothing to advance" in result.stderr


def test_advance_refuses_before_dependencies_are_done(stores, mini):
    result = advance(stores, mini, "bank")
    assert result.exit_code == 2
    assert "bank waits for licence (not done yet)" in result.stderr
    assert state_of(stores, mini, "bank")["state"] == "todo"


def test_advance_refuses_illegal_transition(stores, mini):
    result = advance(stores, mini, "licence", "--to", "done")
    assert result.exit_code == 2
    assert "cannot go todo → done" in result.stderr


def test_in_progress_to_done_is_allowed_for_ungated_tasks(stores, mini):
    advance(stores, mini, "licence")
    assert advance(stores, mini, "licence", "--to", "done").exit_code == 0


def test_gated_task_stays_submitted_without_approval(stores, mini):
    advance(stores, mini, "licence")
    advance(stores, mini, "licence", "--to", "done")
    advance(stores, mini, "bank")
    assert advance(stores, mini, "bank", "--to", "done").exit_code == 2
    advance(stores, mini, "bank")
    result = advance(stores, mini, "bank")
    assert result.exit_code == 2
    assert "needs an approval by someone with the finance role" in result.stderr
    assert state_of(stores, mini, "bank")["state"] == "submitted"


def test_skip_only_optional_tasks(stores, mini):
    assert advance(stores, mini, "brand", "--to", "skipped").exit_code == 0
    result = advance(stores, mini, "licence", "--to", "skipped")
    assert result.exit_code == 2 and "not optional" in result.stderr


def test_rejected_goes_back_to_in_progress(stores, mini):
    advance(stores, mini, "licence")
    advance(stores, mini, "licence")
    assert advance(stores, mini, "licence", "--to", "rejected").exit_code == 0
    status = json.loads(run_cli("-C", str(stores), "status", "--json").stdout)["projects"][0]
    assert status["status"] == "rejected"
    assert advance(stores, mini, "licence").exit_code == 0
    assert state_of(stores, mini, "licence")["state"] == "in_progress"


def test_note_is_kept_on_the_task(stores, mini):
    assert advance(stores, mini, "licence", "--to", "blocked", "--note", "waiting for the notary").exit_code == 0
    task = state_of(stores, mini, "licence")
    assert task["state"] == "blocked"
    assert task["notes"][0]["by"] == "alice" and task["notes"][0]["text"] == "waiting for the notary"


def test_unknown_project_and_task_suggest(stores, mini):
    result = advance(stores, "mini-uss", "licence")
    assert result.exit_code == 2 and "unknown project 'mini-uss'" in result.stderr and "did you mean mini-us" in result.stderr
    result = advance(stores, mini, "licenc")
    assert result.exit_code == 2 and "no task 'licenc'" in result.stderr and "did you mean licence" in result.stderr


def test_bad_state_name_is_refused(stores, mini):
    result = advance(stores, mini, "licence", "--to", "finished")
    assert result.exit_code == 2 and "not a state" in result.stderr


def test_advance_leaves_the_users_staged_work_alone(stores, mini):
    (stores / "mine.txt").write_text("draft\n")
    git(stores, "add", "mine.txt")
    assert advance(stores, mini, "licence").exit_code == 0
    assert git(stores, "show", "--name-only", "--format=", "HEAD").split() == ["projects/mini-us.yaml"]
    assert git(stores, "diff", "--cached", "--name-only").split() == ["mine.txt"]


def test_a_failing_commit_puts_the_file_back(stores, mini):
    before = (stores / "projects" / "mini-us.yaml").read_text()
    hook = stores / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by hook >&2\nexit 1\n")
    hook.chmod(0o755)
    result = advance(stores, mini, "licence")
    assert result.exit_code == 3
    assert "refused by hook" in result.stderr
    assert (stores / "projects" / "mini-us.yaml").read_text() == before


def test_assign(stores, mini):
    result = run_cli("-C", str(stores), "assign", mini, "licence", "carol")
    assert result.exit_code == 0, result.stderr
    assert state_of(stores, mini, "licence")["assignee"] == "carol"
    assert git(stores, "log", "-1", "--format=%s") == "assign mini-us: licence bob → carol\n"
    result = run_cli("-C", str(stores), "assign", mini, "licence", "nobody")
    assert result.exit_code == 2 and "unknown person" in result.stderr


def test_schedule_due_and_appointment_in_team_timezone(stores, mini):
    assert run_cli("-C", str(stores), "schedule", mini, "bank", "--due", "2026-12-05").exit_code == 0
    assert state_of(stores, mini, "bank")["due"] == "2026-12-05"
    result = run_cli("-C", str(stores), "schedule", mini, "video", "--appointment", "2026-12-10T10:00")
    assert result.exit_code == 0, result.stderr
    task = state_of(stores, mini, "video")
    assert task["appointment"] == "2026-12-10T10:00:00+08:00"  # Asia/Shanghai
    assert task["due"] == "2026-12-10"


def test_schedule_refuses_appointment_on_ordinary_task_and_bad_dates(stores, mini):
    result = run_cli("-C", str(stores), "schedule", mini, "bank", "--appointment", "2026-12-10T10:00")
    assert result.exit_code == 2 and "not an appointment task" in result.stderr
    assert run_cli("-C", str(stores), "schedule", mini, "bank", "--due", "12/05/2026").exit_code == 2
    assert run_cli("-C", str(stores), "schedule", mini, "bank").exit_code == 2


def _advance_many(root, project, task, count):
    code = (
        "import sys\n"
        "from storeops.cli.main import main\n"
        "for i in range(int(sys.argv[4])):\n"
        "    try:\n"
        "        main(['-C', sys.argv[1], 'advance', sys.argv[2], sys.argv[3], '--to', 'blocked' if i % 2 == 0 else 'todo'])\n"
        "    except SystemExit as e:\n"
        "        assert e.code in (0, None), e.code\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(root), project, task, str(count)],
                            stderr=subprocess.PIPE, text=True)


def test_concurrent_advances_lose_no_update(stores):
    (stores / "sop" / "mini.yaml").write_text((__import__("conftest").DATA / "mini.yaml").read_text())
    ids = []
    for n in range(4):
        result = run_cli("-C", str(stores), "new", "mini", "--store", f"Shop {n}", "--owner", "bob", "--id", "shared" if n == 0 else f"p{n}")
        ids.append(result.stdout.strip())
    # 4 processes x 20 advances, each on its own task of ONE project file
    tasks = ["licence", "bank", "video", "review"]
    data = yamlio.load(stores / "projects" / "shared.yaml")
    start = len(git(stores, "log", "--format=%H").split())
    procs = [_advance_many(stores, "shared", task, 20) for task in tasks]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    data = yamlio.load(stores / "projects" / "shared.yaml")
    assert all(t["state"] == "todo" for t in data["tasks"] if t["id"] in tasks)  # 20 moves: blocked/todo pairs
    commits = git(stores, "log", "--format=%s").splitlines()
    assert len(commits) - start == 80
    for task in tasks:
        assert sum(1 for c in commits if f"shared: {task} " in c) == 20
    assert git(stores, "status", "--porcelain", "projects") == ""
    assert not any(p.name.endswith(".tmp") for p in (stores / "projects").iterdir())


def test_a_refused_move_lists_only_the_targets_that_task_may_take(stores, mini):
    required = advance(stores, mini, "licence", "--to", "submitted")
    assert (required.exit_code, required.stderr) == (
        2, "error: licence cannot go todo → submitted (from todo: blocked, in_progress)\n")
    optional = advance(stores, mini, "brand", "--to", "submitted")
    assert optional.stderr == "error: brand cannot go todo → submitted (from todo: blocked, in_progress, skipped)\n"
