"""The guards: the pre-commit hook against plaintext under attachments/, and `storeops check`'s vault rules."""

import json
import os
import subprocess

from conftest import git, run_cli
from vault_fixtures import LICENCE, act, attach, keys, write  # noqa: F401

from storeops.repo import PROJECT_MODELINE
from storeops import yamlio
from storeops.hook import MARK


def commit(root, *args):
    return subprocess.run(["git", "-C", str(root), "commit", *args], capture_output=True, text=True)


def check_json(stores):
    result = run_cli("-C", str(stores), "check", "--json")
    return result.exit_code, [(p["code"], p["message"]) for p in json.loads(result.stdout)["problems"]]


# ---- the pre-commit hook ----

def test_init_installs_the_hook(stores):
    hook = stores / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    text = hook.read_text()
    assert MARK in text and "-m storeops hook pre-commit" in text
    again = run_cli("-C", str(stores), "hook", "install")
    assert again.exit_code == 0 and again.stderr == f"{hook} is up to date\n"


def test_init_keeps_an_existing_hook(tmp_path):
    root = tmp_path / "stores"
    root.mkdir()
    git(root, "init", "-q")
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    result = run_cli("init", str(root))
    assert result.exit_code == 0
    assert f"warning: {hook} already exists and is not storeops's: the guard against committing" in result.stderr
    assert hook.read_text() == "#!/bin/sh\nexit 0\n"
    install = run_cli("-C", str(root), "hook", "install")
    assert install.exit_code == 1 and "Add this line to it: storeops hook pre-commit" in install.stderr


def test_hook_refuses_plaintext_under_attachments(stores, mini):
    (stores / "attachments" / mini).mkdir()
    (stores / "attachments" / mini / "bank-statement.pdf").write_bytes(b"statement")
    git(stores, "add", "attachments")
    result = commit(stores, "-m", "add statement")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "error: commit refused: it would store plaintext that must be encrypted",
        "  attachments/mini-us/bank-statement.pdf: plaintext (no document of the project declares it plain "
        "(`storeops attach --plain`))"]
    assert git(stores, "log", "-1", "--format=%s") != "add statement\n"


def test_hook_refuses_a_sensitive_document_made_plain_by_hand(stores, mini):
    rel = "attachments/mini-us/licence-scan.pdf"
    (stores / "attachments" / mini).mkdir()
    (stores / rel).write_bytes(b"licence")
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    data["tasks"][0]["documents"][0]["file"] = rel
    path.write_text(yamlio.dumps(data))
    git(stores, "add", "-A")
    result = commit(stores, "-m", "hand attach")
    assert result.returncode == 1
    assert f"  {rel}: plaintext (licence-scan is a sensitive document)" in result.stderr


def test_hook_refuses_fake_age_files_and_plaintext_secrets(stores, mini):
    (stores / "attachments" / mini).mkdir()
    (stores / "attachments" / mini / "licence-scan.pdf.age").write_bytes(b"not encrypted at all")
    git(stores, "add", "attachments")
    result = commit(stores, "-m", "fake")
    assert result.returncode == 1 and "attachments/mini-us/licence-scan.pdf.age: named .age but not age ciphertext" in result.stderr
    git(stores, "reset", "-q")
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    data["secrets"] = {"seller_password": {"hint": "****", "age": "hunter2"}}
    path.write_text(yamlio.dumps(data))
    result = commit(stores, "-am", "secret by hand")
    assert result.returncode == 1
    assert "projects/mini-us.yaml: secrets.seller_password is not age ciphertext (use `storeops secret set`)" in result.stderr


def test_hook_lets_declared_plain_documents_and_ciphertext_through(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "logo.png", b"logo")), "--task", "brand", "--doc", "logo", "--plain")
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    (stores / "attachments" / mini / "logo.png").write_bytes(b"logo v2")
    age_file = stores / "attachments" / mini / "licence-scan.pdf.age"
    age_file.write_bytes(age_file.read_bytes())
    result = commit(stores, "-am", "new logo")
    assert result.returncode == 0, result.stderr


# ---- check ----

def test_check_reports_a_plain_file_whose_hash_changed(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "logo.png", b"logo")), "--task", "brand", "--doc", "logo", "--plain")
    assert check_json(stores) == (0, [])
    (stores / "attachments" / mini / "logo.png").write_bytes(b"tampered")
    code, problems = check_json(stores)
    assert code == 1
    assert problems == [("hash", "tasks[2].documents[0].sha256: attachments/mini-us/logo.png does not match "
                                 "its recorded sha256 (changed outside storeops?)")]


def test_check_verifies_encrypted_files_it_can_decrypt(stores, mini, keys, act, tmp_path, monkeypatch):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    stored = stores / "attachments" / mini / "licence-scan.pdf.age"
    from storeops import vault

    stored.write_bytes(vault.encrypt(b"swapped", (keys.recipients["alice"],)))
    code, problems = check_json(stores)
    assert code == 1 and [c for c, _ in problems] == ["hash"]
    act("carol")  # not a recipient: cannot tell, says nothing
    assert check_json(stores) == (0, [])
    monkeypatch.delenv("STOREOPS_IDENTITY")  # CI without any identity
    assert check_json(stores) == (0, [])


def test_check_reports_unencrypted_sensitive_files_fake_age_and_unknown_readers(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    (stores / "attachments" / mini / "licence-scan.pdf.age").write_bytes(b"plain bytes")
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    data["tasks"][0]["documents"][0]["readers"] = ["bob", "zed"]
    data["tasks"][1]["documents"][0]["file"] = "attachments/mini-us/bank.pdf"
    (stores / "attachments" / mini / "bank.pdf").write_bytes(b"statement")
    path.write_text(PROJECT_MODELINE + yamlio.dumps(data))
    code, problems = check_json(stores)
    assert code == 1
    assert problems == [
        ("sensitive", "tasks[0].documents[0].file: attachments/mini-us/licence-scan.pdf.age is named .age "
                      "but is not age ciphertext"),
        ("readers", "tasks[0].documents[0].readers[1]: reader 'zed' is neither a role, `owner` nor a person on the team "
                    "(run `storeops rekey` after removing people)"),
        ("sensitive", "tasks[1].documents[0].file: bank-statement is sensitive but stored unencrypted"),
    ]


def test_a_shared_hooks_path_is_left_alone(tmp_path, isolated_home):
    shared = tmp_path / "global-hooks"
    subprocess.run(["git", "config", "--global", "core.hooksPath", str(shared)], check=True)
    root = tmp_path / "stores"
    result = run_cli("init", str(root))
    assert result.exit_code == 0
    assert f"warning: {shared / 'pre-commit'} is shared with other repositories" in result.stderr
    assert not shared.exists()


def test_the_hook_command_passes_outside_a_stores_repo(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    assert run_cli("-C", str(other), "hook", "pre-commit").exit_code == 0
