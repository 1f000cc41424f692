"""storeops reject / link / archive / reopen: the platform's answer, the account, the project's end."""

import json

import pytest
from conftest import git, run_cli
from edit_helpers import at_review, edit, project_data, set_states, status_of, today


def cli(stores, *args, input=None):
    return run_cli("-C", str(stores), *args, input=input)


# ---- reject ----

def test_reject_defaults_to_the_waiting_review_and_commits(stores, mini):
    at_review(stores, mini)
    result = cli(stores, "reject", mini, "--reason", "video-face-mismatch", "--message", "Face does not match.")
    assert result.exit_code == 0, result.stderr
    assert "mini-us: review submitted → rejected (video-face-mismatch)" in result.stderr
    data = project_data(stores, mini)
    assert next(t for t in data["tasks"] if t["id"] == "review")["state"] == "rejected"
    assert data["rejections"] == [{"at": today(stores), "task": "review", "reason": "video-face-mismatch",
                                   "message": "Face does not match.", "evidence": None}]
    message = git(stores, "log", "-1", "--format=%B")
    assert message.startswith("reject mini-us: review submitted → rejected (video-face-mismatch)\n")
    assert "> Face does not match." in message and "Storeops-Action: reject" in message
    assert status_of(stores, mini) == "rejected"


def test_reject_keeps_the_platforms_words_verbatim(stores, mini):
    at_review(stores, mini)
    words = "Dear seller,\n\n  We could not verify: [ID] *mismatch* <b>.\tRef #42\n"
    result = cli(stores, "reject", mini, "--reason", "other", "--message", "-", input=words)
    assert result.exit_code == 0, result.stderr
    assert project_data(stores, mini)["rejections"][0]["message"] == words.removesuffix("\n")


def test_reject_shows_the_sops_advice_for_the_reason(stores, project):
    set_states(stores, project, {"video-verification": "submitted"})
    result = cli(stores, "reject", project, "--reason", "video-face-mismatch", "--task", "video-verification")
    assert result.exit_code == 0, result.stderr
    assert "advice: The person named on the ID must attend in person" in result.stderr


def test_reject_refuses_a_reason_not_in_the_sop(stores, mini):
    at_review(stores, mini)
    result = cli(stores, "reject", mini, "--reason", "video-face-mismatc")
    assert result.exit_code == 2
    assert "error: --reason 'video-face-mismatc' is not a rejection reason of mini" in result.stderr
    assert "did you mean video-face-mismatch?" in result.stderr
    assert project_data(stores, mini)["rejections"] == []


def test_reject_without_a_waiting_review_asks_for_the_task(stores, mini):
    result = cli(stores, "reject", mini, "--reason", "other")
    assert result.exit_code == 2
    assert "no platform review step of mini-us is submitted or in progress (review)" in result.stderr
    assert "pass --task TASK" in result.stderr


def test_reject_an_explicit_task_in_progress(stores, mini):
    assert cli(stores, "advance", mini, "licence").exit_code == 0
    result = cli(stores, "reject", mini, "--reason", "other", "--task", "licence", "--at", "2026-11-03")
    assert result.exit_code == 0, result.stderr
    assert project_data(stores, mini)["rejections"][0]["at"] == "2026-11-03"
    assert status_of(stores, mini) == "rejected"


def test_reject_refuses_a_task_that_is_not_under_way(stores, mini):
    result = cli(stores, "reject", mini, "--reason", "other", "--task", "licence")
    assert result.exit_code == 2
    assert "licence cannot go todo → rejected" in result.stderr


@pytest.mark.parametrize("at, expected", [("2999-01-01", "is in the future"), ("2026-11-01", "is before mini-us started"),
                                          ("2026-13-01", "is not a date")])
def test_reject_checks_the_date(stores, mini, at, expected):
    at_review(stores, mini)
    result = cli(stores, "reject", mini, "--reason", "other", "--at", at)
    assert result.exit_code == 2 and expected in result.stderr


def test_reject_evidence_is_copied_and_committed_with_the_rejection(stores, mini, tmp_path):
    at_review(stores, mini)
    shot = tmp_path / "Notice.PNG"
    shot.write_bytes(b"\x89PNG fake screenshot")
    for _ in range(2):
        assert cli(stores, "reject", mini, "--reason", "other", "--evidence", str(shot), "--at", "2026-11-20").exit_code == 0
        set_states(stores, mini, {"review": "submitted"})
    first, second = [r["evidence"] for r in project_data(stores, mini)["rejections"]]
    assert first == "attachments/mini-us/rejection-2026-11-20.png"
    assert second == "attachments/mini-us/rejection-2026-11-20-2.png"
    assert (stores / first).read_bytes() == b"\x89PNG fake screenshot"
    committed = git(stores, "show", "--name-only", "--format=", "HEAD~1").split()
    assert sorted(committed) == ["attachments/mini-us/rejection-2026-11-20-2.png", "projects/mini-us.yaml"]
    assert cli(stores, "check").exit_code == 0


def test_reject_with_missing_evidence_changes_nothing(stores, mini, tmp_path):
    at_review(stores, mini)
    head = git(stores, "rev-parse", "HEAD")
    result = cli(stores, "reject", mini, "--reason", "other", "--evidence", str(tmp_path / "nope.png"))
    assert result.exit_code == 2 and "--evidence" in result.stderr and "no such file" in result.stderr
    assert git(stores, "rev-parse", "HEAD") == head


def test_failed_commit_leaves_no_evidence_behind(stores, mini, tmp_path, monkeypatch):
    import storeops.gitcmd

    at_review(stores, mini)
    shot = tmp_path / "n.png"
    shot.write_bytes(b"x")
    monkeypatch.setattr(storeops.gitcmd, "commit_paths", lambda *a, **k: (_ for _ in ()).throw(
        storeops.gitcmd.GitFailed(["commit"], "refused by hook")))
    result = cli(stores, "reject", mini, "--reason", "other", "--evidence", str(shot))
    assert result.exit_code == 3 and "git commit failed: refused by hook" in result.stderr
    assert not (stores / "attachments" / "mini-us").exists() or not list((stores / "attachments" / "mini-us").iterdir())
    assert project_data(stores, mini)["rejections"] == []


def test_rejection_rework_resubmission_completion_cycle(stores, mini):
    at_review(stores, mini)
    assert status_of(stores, mini) == "under_review"
    assert cli(stores, "reject", mini, "--reason", "video-face-mismatch").exit_code == 0
    assert status_of(stores, mini) == "rejected"
    result = cli(stores, "advance", mini, "review")  # rework starts
    assert result.exit_code == 0 and "review rejected → in_progress" in result.stderr
    assert status_of(stores, mini) == "rejected"  # still rejected until it is submitted again
    board = json.loads(cli(stores, "board", "--json").stdout)
    assert [c["status"] for c in board["columns"] if c["projects"]] == ["rejected"]
    assert cli(stores, "advance", mini, "review").exit_code == 0  # resubmitted
    assert status_of(stores, mini) == "under_review"
    assert cli(stores, "advance", mini, "review").exit_code == 0  # ungated: done without an approval
    assert status_of(stores, mini) == "approved"
    assert len(project_data(stores, mini)["rejections"]) == 1


# ---- link ----

def test_link_records_the_account_and_status_shows_payout(stores, mini):
    result = cli(stores, "link", mini, "--seller-id", "A1B2C3", "--login-email", "ops+mini@example.com",
                 "--store-url", "https://www.amazon.com/sp?seller=A1B2C3", "--payout-bound")
    assert result.exit_code == 0, result.stderr
    assert "mini-us: seller_id none → A1B2C3" in result.stderr
    assert "mini-us: payout_bound no → yes" in result.stderr
    assert project_data(stores, mini)["account"] == {
        "seller_id": "A1B2C3", "login_email": "ops+mini@example.com",
        "store_url": "https://www.amazon.com/sp?seller=A1B2C3", "payout_bound": True}
    assert git(stores, "log", "-1", "--format=%s").startswith("link mini-us: seller_id none → A1B2C3, ")
    shown = cli(stores, "status", mini).stdout
    assert "payout bound" in shown and "seller id A1B2C3" in shown
    assert json.loads(cli(stores, "status", "--json").stdout)["projects"][0]["payout_bound"] is True


def test_link_can_unbind_and_clear(stores, mini):
    cli(stores, "link", mini, "--seller-id", "A1", "--payout-bound")
    assert cli(stores, "link", mini, "--seller-id", "", "--no-payout-bound").exit_code == 0
    account = project_data(stores, mini)["account"]
    assert account["seller_id"] is None and account["payout_bound"] is False
    assert "payout not bound" in cli(stores, "status", mini).stdout


@pytest.mark.parametrize("args, expected", [
    ((), "nothing to change"),
    (("--login-email", "not-an-email"), "--login-email: 'not-an-email' is not an email address"),
    (("--store-url", "amazon.com/shop"), "--store-url: 'amazon.com/shop' is not a web address"),
    (("--seller-id", "A1 B2"), "--seller-id: 'A1 B2' contains spaces"),
])
def test_link_refuses_bad_values(stores, mini, args, expected):
    result = cli(stores, "link", mini, *args)
    assert result.exit_code == 2 and expected in result.stderr


def test_link_refuses_a_change_that_changes_nothing(stores, mini):
    cli(stores, "link", mini, "--seller-id", "A1")
    result = cli(stores, "link", mini, "--seller-id", "A1")
    assert result.exit_code == 2 and "account already says that" in result.stderr


# ---- archive and reopen ----

def test_archive_and_reopen(stores, mini):
    result = cli(stores, "archive", mini, "--outcome", "abandoned", "--reason", "category closed")
    assert result.exit_code == 0, result.stderr
    archived = project_data(stores, mini)["archived"]
    assert archived == {"at": today(stores), "outcome": "abandoned", "reason": "category closed"}
    assert git(stores, "log", "-1", "--format=%s") == "archive mini-us: abandoned\n"
    assert status_of(stores, mini) == "archived"
    assert "abandoned: category closed" in cli(stores, "status", mini).stdout
    result = cli(stores, "reopen", mini)
    assert result.exit_code == 0 and f"reopened (was abandoned on {today(stores)})" in result.stderr
    assert project_data(stores, mini)["archived"] is None
    assert status_of(stores, mini) == "preparing"


def test_archive_as_opened_warns_when_not_approved_or_unbound(stores, mini):
    result = cli(stores, "archive", mini, "--outcome", "opened", "--reason", "live")
    assert result.exit_code == 0
    assert "warning: mini-us is archived as opened but its status is preparing" in result.stderr
    assert "warning: mini-us is archived as opened but its payout is not bound" in result.stderr


@pytest.mark.parametrize("args, expected", [
    (("--outcome", "won", "--reason", "x"), "--outcome 'won' is not an outcome"),
    (("--outcome", "failed", "--reason", "  "), "--reason must say why the project ends"),
])
def test_archive_refuses_bad_input(stores, mini, args, expected):
    result = cli(stores, "archive", mini, *args)
    assert result.exit_code == 2 and expected in result.stderr


def test_reopen_refuses_an_open_project(stores, mini):
    result = cli(stores, "reopen", mini)
    assert result.exit_code == 2 and "mini-us is not archived" in result.stderr


@pytest.mark.parametrize("command", [
    ("advance", "{p}", "licence"),
    ("assign", "{p}", "licence", "alice"),
    ("schedule", "{p}", "licence", "--due", "2026-12-01"),
    ("reject", "{p}", "--reason", "other", "--task", "licence"),
    ("link", "{p}", "--seller-id", "A1"),
    ("isolation", "set", "{p}", "--network", "proxy-1"),
    ("archive", "{p}", "--outcome", "failed", "--reason", "again"),
])
def test_archived_projects_are_read_only(stores, mini, command):
    set_states(stores, mini, {"licence": "in_progress"})
    assert cli(stores, "archive", mini, "--outcome", "failed", "--reason", "rejected twice").exit_code == 0
    before = (stores / "projects" / "mini-us.yaml").read_text()
    head = git(stores, "rev-parse", "HEAD")
    result = cli(stores, *[part.format(p=mini) for part in command])
    assert result.exit_code == 2
    assert ("mini-us is archived and read-only" in result.stderr or "mini-us is already archived" in result.stderr)
    assert "storeops reopen mini-us first" in result.stderr
    assert (stores / "projects" / "mini-us.yaml").read_text() == before
    assert git(stores, "rev-parse", "HEAD") == head


def test_commands_name_unknown_projects(stores, mini):
    for args in (("reject", "nope", "--reason", "other"), ("link", "nope", "--seller-id", "x"),
                 ("archive", "nope", "--outcome", "failed", "--reason", "x"), ("reopen", "nope")):
        result = cli(stores, *args)
        assert result.exit_code == 2 and "unknown project 'nope'" in result.stderr, args


def test_hand_edited_rework_is_still_rejected_until_resubmitted(stores, mini):
    def rework(data):
        data["rejections"] = [{"at": "2026-11-20", "task": "video", "reason": "other", "message": None,
                               "evidence": None}]
    edit(stores, mini, rework)
    set_states(stores, mini, {"licence": "done", "bank": "done", "video": "in_progress"})
    assert status_of(stores, mini) == "rejected"
    set_states(stores, mini, {"video": "done"})
    assert status_of(stores, mini) == "preparing"


def test_check_verifies_rejection_evidence(stores, mini):
    edit(stores, mini, lambda d: d.update(rejections=[
        {"at": "2026-11-20", "task": "review", "reason": "other", "message": None,
         "evidence": "attachments/mini-us/gone.png"}]))
    result = cli(stores, "check")
    assert result.exit_code == 1
    assert "rejections[0].evidence: attachments/mini-us/gone.png does not exist" in result.stdout
    edit(stores, mini, lambda d: d.update(rejections=[
        {"at": "2026-11-21", "task": "review", "reason": "other", "message": None,
         "evidence": "attachments/other/x.png"}]))
    result = cli(stores, "check")
    assert result.exit_code == 1
    assert "rejections[0].evidence: expected attachments/mini-us/<file name>" in result.stdout
