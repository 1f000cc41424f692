"""Edges of the write path the harness ran into: a change that changes nothing, git's own messages."""

from __future__ import annotations

import json

from conftest import git, run_cli

from storeops import gitcmd, yamlio


def test_scheduling_the_same_due_date_again_is_a_usage_error_not_a_git_failure(stores, mini):
    assert run_cli("-C", str(stores), "schedule", mini, "licence", "--due", "2027-02-14").exit_code == 0
    head = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "schedule", mini, "licence", "--due", "2027-02-14")
    assert result.exit_code == 2
    assert result.stderr == "error: licence is already scheduled like that\nhint: nothing to change\n"
    assert git(stores, "rev-parse", "HEAD") == head


def test_a_hand_edit_of_the_file_a_writer_would_commit_is_refused_not_folded_in(stores, mini):
    path = stores / "projects" / "mini-us.yaml"
    committed = path.read_text()
    edited = committed.replace("assignee: bob", "assignee: carol", 1)
    path.write_text(edited)  # a hand edit, not committed
    head = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "assign", mini, "bank", "dave")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: projects/mini-us.yaml has changes that are not committed, and storeops commits only its own changes\n"
        "hint: see them with `git diff -- projects/mini-us.yaml`; commit them (git commit) or drop them "
        "(git checkout -- projects/mini-us.yaml), then retry; storeops changed nothing\n")
    assert path.read_text() == edited
    assert git(stores, "rev-parse", "HEAD") == head
    assert not (stores / ".git" / "storeops" / "journal").exists()


def test_fmt_of_a_hand_edited_file_rewrites_it_and_leaves_the_commit_to_you(stores, mini):
    path = stores / "projects" / "mini-us.yaml"
    committed = path.read_text()
    edited = committed.replace("assignee: bob", "assignee: carol", 1)
    path.write_text(json.dumps(yamlio.loads(edited)))  # a hand edit, reformatted, not committed
    head = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "fmt")
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == edited
    assert git(stores, "rev-parse", "HEAD") == head
    assert git(stores, "status", "--porcelain").splitlines() == [" M projects/mini-us.yaml"]


def test_fmt_of_a_committed_reformatted_file_puts_it_in_canonical_form(stores, mini):
    path = stores / "projects" / "mini-us.yaml"
    committed = path.read_text()
    path.write_text(json.dumps(yamlio.loads(committed)))
    git(stores, "commit", "-qam", "reformatted by hand")
    result = run_cli("-C", str(stores), "fmt")
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == committed
    assert git(stores, "status", "--porcelain") == ""


def test_git_failures_show_git_s_reason_not_its_advice(stores):
    error = gitcmd.GitFailed(["add"], "fatal: pathspec 'x' did not match any files\n"
                                      "hint: Use 'git add --force' to add it anyway\n")
    assert str(error) == "git add failed: fatal: pathspec 'x' did not match any files"
