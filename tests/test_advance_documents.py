"""storeops advance warns when a task is handed in without its documents, or with an expired one."""

from conftest import git, run_cli
from vault_fixtures import LICENCE, STATEMENT, act, attach, keys, write  # noqa: F401 (fixtures)

from storeops import yamlio


def advance(stores, *args):
    return run_cli("-C", str(stores), "advance", *args)


def test_submitting_without_a_required_document_warns_and_still_moves(stores, mini):
    advance(stores, mini, "licence")
    result = advance(stores, mini, "licence")
    assert result.exit_code == 0, result.stderr
    assert "licence in_progress → submitted" in result.stderr
    assert ("warning: licence: document licence-scan is not attached; "
            "storeops attach mini-us FILE --task licence --doc licence-scan") in result.stderr


def test_starting_a_task_does_not_warn_about_documents(stores, mini):
    result = advance(stores, mini, "licence")
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_an_attached_document_silences_the_warning(stores, mini, act, tmp_path):
    assert attach(stores, mini, str(write(tmp_path, "licence.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    advance(stores, mini, "licence")
    result = advance(stores, mini, "licence")
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_an_expired_document_is_named_with_its_expiry_date(stores, mini, act, tmp_path):
    project = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(project)
    for task in data["tasks"]:
        if task["id"] in ("licence", "bank"):
            task["state"] = "done" if task["id"] == "licence" else "in_progress"
    project.write_text(yamlio.dumps(data))
    git(stores, "commit", "-qm", "licence done, bank started", str(project))
    result = attach(stores, mini, str(write(tmp_path, "statement.pdf", STATEMENT)), "--doc", "bank-statement",
                    "--issued", "2020-01-01")
    assert result.exit_code == 0, result.stderr
    result = advance(stores, mini, "bank")
    assert result.exit_code == 0, result.stderr
    assert "warning: bank: document bank-statement expired on 2020-01-31" in result.stderr


def test_the_warning_speaks_chinese(stores, mini):
    advance(stores, mini, "licence")
    result = run_cli("--lang", "zh", "-C", str(stores), "advance", mini, "licence")
    assert result.exit_code == 0, result.stderr
    assert ("警告：licence: 资料 licence-scan 还没有附上；"
            "storeops attach mini-us FILE --task licence --doc licence-scan") in result.stderr
