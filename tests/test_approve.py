"""storeops approve: a cross-review by someone holding the role who is not the assignee."""

from conftest import git, run_cli
from gitflow import cli_as

from storeops import yamlio


def task(stores, project, task_id):
    data = yamlio.load(stores / "projects" / f"{project}.yaml")
    return next(t for t in data["tasks"] if t["id"] == task_id)


def submit_bank(stores, mini, assignee="bob"):
    for args in (("licence",), ("licence", "--to", "done")):
        assert cli_as("bob", stores, "advance", mini, *args).exit_code == 0
    if assignee != "bob":
        assert cli_as("alice", stores, "assign", mini, "bank", assignee).exit_code == 0
    for _ in range(2):
        result = cli_as(assignee, stores, "advance", mini, "bank")
        assert result.exit_code == 0, result.stderr
    assert task(stores, mini, "bank")["state"] == "submitted"


def test_approve_records_who_role_when_and_note_in_the_approvers_commit(stores, mini):
    submit_bank(stores, mini)
    result = cli_as("carol", stores, "approve", mini, "bank", "--note", "name matches the licence")
    assert result.exit_code == 0, result.stderr
    assert "mini-us: bank approved by carol (finance)" in result.stderr
    [approval] = task(stores, mini, "bank")["approvals"]
    assert approval["by"] == "carol" and approval["role"] == "finance"
    assert approval["note"] == "name matches the licence" and len(approval["at"]) == 10
    assert git(stores, "log", "-1", "--format=%ae%n%s") == "carol@example.com\napprove mini-us: bank (finance)\n"
    assert "Storeops-Action: approve" in git(stores, "log", "-1", "--format=%B")
    assert cli_as("bob", stores, "advance", mini, "bank", "--to", "done").exit_code == 0


def test_approve_is_refused_for_the_assignee(stores, mini):
    submit_bank(stores, mini, assignee="carol")
    head = git(stores, "rev-parse", "HEAD")
    result = cli_as("carol", stores, "approve", mini, "bank")
    assert result.exit_code == 2
    assert "error: carol is the assignee of bank and cannot approve their own work" in result.stderr
    assert "hint: ask another person with the finance role (cross-review)" in result.stderr
    assert task(stores, mini, "bank").get("approvals") is None
    assert git(stores, "rev-parse", "HEAD") == head


def test_approve_is_refused_without_the_role(stores, mini):
    submit_bank(stores, mini)
    result = cli_as("dave", stores, "approve", mini, "bank")
    assert result.exit_code == 2
    assert "error: dave does not hold the finance role that bank needs" in result.stderr
    assert "hint: ask someone with finance: carol" in result.stderr
    assert task(stores, mini, "bank").get("approvals") is None


def test_approve_is_refused_for_someone_not_on_the_team(stores, mini):
    submit_bank(stores, mini)
    from gitflow import acting

    with acting("mallory", "mallory@elsewhere.example"):
        result = run_cli("-C", str(stores), "approve", mini, "bank")
    assert result.exit_code == 2 and "mallory@elsewhere.example is not on the team" in result.stderr


def test_approve_needs_a_gate_and_submitted_work(stores, mini):
    result = cli_as("carol", stores, "approve", mini, "licence")
    assert result.exit_code == 2 and "licence has no approval gate" in result.stderr
    result = cli_as("carol", stores, "approve", mini, "bank")
    assert result.exit_code == 2 and "bank is todo; approvals are given to submitted work" in result.stderr


def test_approving_twice_is_refused(stores, mini):
    submit_bank(stores, mini)
    assert cli_as("carol", stores, "approve", mini, "bank").exit_code == 0
    result = cli_as("carol", stores, "approve", mini, "bank")
    assert result.exit_code == 2 and "carol already approved bank" in result.stderr


def test_gated_task_cannot_be_done_until_approved(stores, mini):
    submit_bank(stores, mini)
    result = cli_as("bob", stores, "advance", mini, "bank", "--to", "done")
    assert result.exit_code == 2 and "needs an approval by someone with the finance role" in result.stderr
