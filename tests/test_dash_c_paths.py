"""-C DIR works like git -C: every relative path a command takes is read from DIR, not from where you stand."""

import pytest
from conftest import run_cli
from edit_helpers import at_review
from vault_fixtures import LICENCE, act, keys  # noqa: F401 (fixtures)


@pytest.fixture
def elsewhere(tmp_path):
    """A folder two levels away from the stores repo, so '../x' means different places from each."""
    path = tmp_path / "a" / "b"
    path.mkdir(parents=True)
    return path


def run_in(elsewhere, stores, *args):
    result = run_cli("-C", str(stores), *args, cwd=elsewhere)
    assert result.exit_code == 0, result.stderr
    return result


def test_reports_and_templates_are_written_relative_to_the_C_directory(stores, mini, elsewhere, tmp_path):
    run_in(elsewhere, stores, "remind", "--as-of", "2030-01-01", "--output", "../reminders.txt")
    run_in(elsewhere, stores, "timeline", "--format", "mermaid", "--output", "../timeline.md")
    run_in(elsewhere, stores, "sop", "templates", "amazon-us", "--copy-to", "../letters")
    for name in ("reminders.txt", "timeline.md", "letters"):
        assert (tmp_path / name).exists(), name
        assert not (tmp_path / "a" / name).exists(), name


def test_documents_come_from_and_go_to_the_C_directory(stores, mini, act, elsewhere, tmp_path):
    (tmp_path / "licence.pdf").write_bytes(LICENCE)
    run_in(elsewhere, stores, "attach", mini, "../licence.pdf", "--doc", "licence-scan")
    run_in(elsewhere, stores, "open", mini, "licence-scan", "-o", "../opened.pdf")
    assert (tmp_path / "opened.pdf").read_bytes() == LICENCE
    run_in(elsewhere, stores, "export", mini, "-o", "../package")
    assert (tmp_path / "package" / "manifest.json").exists()
    run_in(elsewhere, stores, "keygen", "--output", "../new-key.txt")
    assert (tmp_path / "new-key.txt").exists()


def test_evidence_of_a_rejection_is_read_from_the_C_directory(stores, mini, elsewhere, tmp_path):
    (tmp_path / "notice.txt").write_text("the platform says no\n")
    at_review(stores, mini)
    result = run_cli("-C", str(stores), "reject", mini, "--reason", "other", "--evidence", "../notice.txt",
                     "--plain", cwd=elsewhere)
    assert result.exit_code == 0, result.stderr
