"""storeops handover: a person's active projects and open tasks move to another, in one commit."""

from __future__ import annotations

from conftest import git, run_cli
from storeops import yamlio


def project(stores, pid):
    return yamlio.load(stores / "projects" / f"{pid}.yaml")


def assignees(stores, pid):
    return {t["id"]: t["assignee"] for t in project(stores, pid)["tasks"]}


def new_mini(stores, pid, owner="bob"):
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Mini " + pid, "--owner", owner, "--id", pid,
                     "--start", "2026-11-02")
    assert result.exit_code == 0, result.stderr


def test_handover_moves_owned_projects_and_open_tasks_in_one_commit(stores, mini):
    for _ in range(3):
        assert run_cli("-C", str(stores), "advance", mini, "licence").exit_code == 0
    head = git(stores, "rev-parse", "HEAD").strip()
    result = run_cli("-C", str(stores), "handover", "bob", "--to", "carol")
    assert result.exit_code == 0, result.stderr
    assert project(stores, mini)["owner"] == "carol"
    tasks = assignees(stores, mini)
    assert tasks["licence"] == "bob"  # done: stays as history
    assert tasks["bank"] == tasks["video"] == tasks["review"] == "carol"
    assert tasks["brand"] == "dave"
    assert git(stores, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert "Storeops-Action: handover" in git(stores, "log", "-1", "--format=%B")
    lines = result.stderr.splitlines()
    assert f"{mini}: owner bob → carol" in lines and f"{mini}: bank bob → carol" in lines
    assert f"{mini}: licence bob → carol" not in lines
    assert run_cli("-C", str(stores), "check").exit_code == 0


def test_handover_leaves_archived_projects_as_history(stores, mini):
    new_mini(stores, "old-us")
    assert run_cli("-C", str(stores), "archive", "old-us", "--outcome", "abandoned", "--reason", "budget").exit_code == 0
    assert run_cli("-C", str(stores), "handover", "bob", "--to", "alice").exit_code == 0
    assert project(stores, "old-us")["owner"] == "bob"
    assert assignees(stores, "old-us")["bank"] == "bob"
    assert project(stores, mini)["owner"] == "alice"
    named = run_cli("-C", str(stores), "handover", "alice", "--to", "bob", "--project", "old-us")
    assert named.exit_code == 2 and "archived" in named.stderr


def test_dry_run_lists_the_moves_and_changes_nothing(stores, mini):
    head = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "handover", "bob", "--to", "carol", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"{mini}: owner bob → carol" in result.stderr and "nothing changed" in result.stderr
    assert git(stores, "rev-parse", "HEAD") == head
    assert project(stores, mini)["owner"] == "bob"


def test_project_option_limits_the_handover(stores, mini):
    new_mini(stores, "two-us")
    result = run_cli("-C", str(stores), "handover", "bob", "--to", "alice", "--project", "two-us")
    assert result.exit_code == 0, result.stderr
    assert project(stores, "two-us")["owner"] == "alice"
    assert project(stores, mini)["owner"] == "bob"


def test_gated_tasks_the_new_assignee_cannot_approve_are_named(stores, mini):
    result = run_cli("-C", str(stores), "handover", "bob", "--to", "carol")
    assert result.exit_code == 0
    assert "warning: mini-us: bank needs a finance approval from someone other than carol" in result.stderr
    # cross-review stays enforced: carol, now the assignee, cannot approve it
    for _ in range(2):
        run_cli("-C", str(stores), "advance", mini, "licence")
    git(stores, "config", "user.email", "carol@example.com")
    approve = run_cli("-C", str(stores), "approve", mini, "bank")
    assert approve.exit_code == 2
    other = run_cli("-C", str(stores), "handover", "carol", "--to", "alice", "--dry-run")
    assert "warning" not in other.stderr  # alice holds no finance role


def test_person_remove_points_to_handover_and_works_after_it(stores, mini):
    refused = run_cli("-C", str(stores), "person", "remove", "bob")
    assert refused.exit_code == 2 and "storeops handover bob --to PERSON" in refused.stderr
    assert run_cli("-C", str(stores), "handover", "bob", "--to", "alice").exit_code == 0
    assert run_cli("-C", str(stores), "person", "remove", "bob").exit_code == 0


def test_bad_handovers_exit_2_and_change_nothing(stores, mini):
    head = git(stores, "rev-parse", "HEAD")
    for args, words in ((["bob", "--to", "bob"], "themselves"), (["bob", "--to", "nobody"], "unknown person"),
                        (["bobb", "--to", "carol"], "did you mean bob"),
                        (["bob", "--to", "carol", "--project", "nosuch"], "nosuch")):
        result = run_cli("-C", str(stores), "handover", *args)
        assert result.exit_code == 2 and words in result.stderr, (args, result.stderr)
    assert git(stores, "rev-parse", "HEAD") == head
    nothing = run_cli("-C", str(stores), "handover", "dave", "--to", "carol", "--project", "mini-us")
    assert nothing.exit_code == 0


def test_handover_speaks_chinese(stores, mini):
    result = run_cli("-C", str(stores), "--lang", "zh", "handover", "bob", "--to", "carol", "--dry-run")
    assert "负责人 bob → carol" in result.stderr and "试运行" in result.stderr and "交叉审核" in result.stderr
