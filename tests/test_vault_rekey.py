"""rekey: after the team changes, HEAD is readable by the current readers only; no plaintext in any git object."""

import json

import pytest
from conftest import git, run_cli
from vault_fixtures import LICENCE, STATEMENT, act, all_objects, attach, document, keys, write  # noqa: F401

from storeops import vault, yamlio

PASSWORD = "seller-central-password-9f3k2"
ID_NUMBER = "110101198001015678"


def head_bytes(stores, rel):
    import subprocess

    return subprocess.run(["git", "-C", str(stores), "show", f"HEAD:{rel}"], capture_output=True, check=True).stdout


def can_decrypt(identity_path, data: bytes) -> bool:
    try:
        vault.decrypt(data, vault.load_identities(identity_path), "test")
        return True
    except vault.CannotDecrypt:
        return False


def head_secret(stores, project, key) -> bytes:
    text = head_bytes(stores, f"projects/{project}.yaml").decode()
    return yamlio.loads(text)["secrets"][key]["age"].encode()


@pytest.fixture
def filled(stores, mini, keys, act, tmp_path):
    """bank-statement readable by finance (carol); a secret readable by carol and alice by name."""
    assert attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement",
                  "--issued", "2026-11-01").exit_code == 0
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    result = run_cli("-C", str(stores), "secret", "set", mini, "bank_login", "--readers", "carol,alice",
                     input=PASSWORD)
    assert result.exit_code == 0, result.stderr
    return mini


def test_rekey_after_removing_a_person_locks_them_out_of_head(stores, filled, keys):
    statement = "attachments/mini-us/bank-statement.pdf.age"
    assert can_decrypt(keys.paths["carol"], head_bytes(stores, statement))
    assert can_decrypt(keys.paths["carol"], head_secret(stores, filled, "bank_login"))
    assert run_cli("-C", str(stores), "person", "remove", "carol").exit_code == 0
    result = run_cli("-C", str(stores), "rekey")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "mini-us/licence-scan → bob, alice",
        "mini-us/bank-statement → bob, alice",
        "mini-us secret bank_login → alice",
    ]
    assert not can_decrypt(keys.paths["carol"], head_bytes(stores, statement))
    assert not can_decrypt(keys.paths["carol"], head_secret(stores, filled, "bank_login"))
    for reader in ("alice", "bob"):
        assert can_decrypt(keys.paths[reader], head_bytes(stores, statement))
    assert can_decrypt(keys.paths["alice"], head_secret(stores, filled, "bank_login"))
    secret = yamlio.load(stores / "projects" / f"{filled}.yaml")["secrets"]["bank_login"]
    assert secret["readers"] == ["alice"] and secret["hint"] == "****"
    assert run_cli("-C", str(stores), "check").exit_code == 0


def test_rekey_is_one_commit_of_every_encrypted_file(stores, filled):
    before = git(stores, "rev-parse", "HEAD").strip()
    result = run_cli("-C", str(stores), "rekey")
    assert result.exit_code == 0
    assert git(stores, "rev-list", "--count", f"{before}..HEAD") == "1\n"
    assert git(stores, "show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "rekey: 2 attachment(s), 1 secret(s) in 1 project(s)", "",
        "attachments/mini-us/bank-statement.pdf.age", "attachments/mini-us/licence-scan.pdf.age",
        "projects/mini-us.yaml"]
    assert "mini-us/bank-statement → bob, carol, alice" in git(stores, "log", "-1", "--format=%b")
    assert git(stores, "status", "--porcelain") == ""


def test_rekey_dry_run_writes_nothing(stores, filled):
    before = git(stores, "rev-parse", "HEAD")
    files = {p: p.read_bytes() for p in (stores / "attachments" / filled).iterdir()}
    result = run_cli("-C", str(stores), "rekey", "--dry-run", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["commit"] is None and len(data["rekeyed"]) == 3
    assert data["rekeyed"][1] == {"item": "mini-us/bank-statement", "readers": ["bob", "carol", "alice"]}
    assert git(stores, "rev-parse", "HEAD") == before
    assert files == {p: p.read_bytes() for p in (stores / "attachments" / filled).iterdir()}


def test_rekey_lists_what_this_identity_cannot_open_and_does_the_rest(stores, filled, act):
    act("bob")
    result = run_cli("-C", str(stores), "rekey")
    assert result.exit_code == 3
    assert result.stdout.splitlines() == ["mini-us/licence-scan → bob, alice", "mini-us/bank-statement → bob, carol, alice"]
    assert ("warning: not rekeyed: mini-us secret bank_login: your identity cannot decrypt mini-us secret bank_login"
            in result.stderr)
    assert git(stores, "log", "-1", "--format=%s") == "rekey: 2 attachment(s), 0 secret(s) in 1 project(s)\n"


def test_rekey_without_an_identity_exits_3(stores, filled, monkeypatch):
    monkeypatch.delenv("STOREOPS_IDENTITY")
    result = run_cli("-C", str(stores), "rekey")
    assert result.exit_code == 3
    assert "error: no identity to decrypt with" in result.stderr and "storeops keygen" in result.stderr


def test_no_plaintext_reaches_any_git_object(stores, filled, keys, act, tmp_path):
    """Everything a sensitive byte could pass through: attach, replace, secrets, rekey, export, removal."""
    mini = filled
    replacement = b"second licence scan, unique-replacement-bytes 0xCAFE"
    attach(stores, mini, str(write(tmp_path, "l2.png", replacement)), "--doc", "licence-scan")
    run_cli("-C", str(stores), "secret", "set", mini, "legal_rep_id_number", input=ID_NUMBER + "\n")
    run_cli("-C", str(stores), "secret", "set", mini, "bank_login", input=PASSWORD + "-v2")
    run_cli("-C", str(stores), "export", mini, "-o", str(tmp_path / "export"), "--decrypt")
    assert run_cli("-C", str(stores), "assign", mini, "brand", "bob").exit_code == 0
    assert run_cli("-C", str(stores), "person", "remove", "dave").exit_code == 0
    assert run_cli("-C", str(stores), "rekey").exit_code == 0
    exported = b"".join(p.read_bytes() for p in (tmp_path / "export").rglob("*") if p.is_file())
    assert replacement in exported and STATEMENT in exported  # the scan below looks for bytes that exist
    git(stores, "gc", "--quiet")  # packed objects too
    objects = all_objects(stores)
    assert len(objects) > 10_000
    plaintexts = [LICENCE, STATEMENT, replacement, PASSWORD.encode(), ID_NUMBER.encode(),
                  b"unique-licence-bytes", b"unique-statement-bytes", b"unique-replacement-bytes"]
    for plaintext in plaintexts:
        assert plaintext not in objects
    everything = b"".join(p.read_bytes() for p in stores.rglob("*") if p.is_file())
    for plaintext in plaintexts:
        assert plaintext not in everything, "plaintext in the work tree or .git"
    assert git(stores, "status", "--porcelain") == ""


def test_rekey_covers_encrypted_rejection_evidence(stores, filled, keys, tmp_path):
    evidence = "attachments/mini-us/rejection-2026-12-20.png.age"
    (stores / evidence).write_bytes(vault.encrypt(b"notice screenshot", (keys.recipients["alice"],)))
    path = stores / "projects" / f"{filled}.yaml"
    data = yamlio.load(path)
    data["rejections"] = [{"at": "2026-12-20", "task": "video", "reason": "video-face-mismatch",
                           "message": None, "evidence": evidence}]
    path.write_text(yamlio.dumps(data))
    git(stores, "add", evidence, f"projects/{filled}.yaml")
    git(stores, "commit", "-qm", "rejection with encrypted evidence")
    result = run_cli("-C", str(stores), "rekey")
    assert result.exit_code == 0, result.stderr
    assert "mini-us evidence 2026-12-20 → bob, alice" in result.stdout.splitlines()
    assert can_decrypt(keys.paths["bob"], head_bytes(stores, evidence))
    assert run_cli("-C", str(stores), "export", filled, "-o", str(tmp_path / "e"), "--decrypt").exit_code == 0
    assert (tmp_path / "e" / "evidence" / "1-rejection-2026-12-20.png").read_bytes() == b"notice screenshot"


def test_owner_in_reader_lists_follows_a_handover(stores, filled, keys):
    statement = "attachments/mini-us/bank-statement.pdf.age"
    assert document(stores, filled, "bank-statement")["readers"] == ["owner", "finance", "admin"]
    path = stores / "projects" / f"{filled}.yaml"
    path.write_text(path.read_text().replace("owner: bob\n", "owner: dave\n"))
    git(stores, "commit", "-qam", "hand over to dave")
    assert not can_decrypt(keys.paths["dave"], head_bytes(stores, statement))
    result = run_cli("-C", str(stores), "rekey")
    assert "mini-us/bank-statement → dave, carol, alice" in result.stdout.splitlines()
    assert can_decrypt(keys.paths["dave"], head_bytes(stores, statement))
    assert not can_decrypt(keys.paths["bob"], head_bytes(stores, statement))
