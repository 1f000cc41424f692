"""Edges of the write path the harness ran into: a change that changes nothing, git's own messages."""

from __future__ import annotations

from conftest import git, run_cli

from storeops import gitcmd


def test_scheduling_the_same_due_date_again_is_a_usage_error_not_a_git_failure(stores, mini):
    assert run_cli("-C", str(stores), "schedule", mini, "licence", "--due", "2027-02-14").exit_code == 0
    head = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "schedule", mini, "licence", "--due", "2027-02-14")
    assert result.exit_code == 2
    assert result.stderr == "error: licence is already scheduled like that\nhint: nothing to change\n"
    assert git(stores, "rev-parse", "HEAD") == head


def test_a_commit_with_nothing_in_it_is_reported_as_nothing_to_change(stores, mini):
    try:
        gitcmd.commit_paths(stores, ["projects/mini-us.yaml"], "empty\n")
    except gitcmd.NothingToCommit as error:
        assert error.exit_code == 2
        assert str(error) == "nothing to change: the files are already like that"
    else:
        raise AssertionError("an empty commit was made")


def test_git_failures_show_git_s_reason_not_its_advice(stores):
    error = gitcmd.GitFailed(["add"], "fatal: pathspec 'x' did not match any files\n"
                                      "hint: Use 'git add --force' to add it anyway\n")
    assert str(error) == "git add failed: fatal: pathspec 'x' did not match any files"
