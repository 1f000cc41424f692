"""Interop with the real `age` command-line tool, both ways."""

import shutil
import subprocess

import pytest
from conftest import git, run_cli
from vault_fixtures import LICENCE, act, attach, document, keys, write  # noqa: F401

from storeops import yamlio

pytestmark = pytest.mark.skipif(shutil.which("age") is None,
                                reason="the `age` binary is not installed (Debian/Ubuntu: apt-get install age)")

needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")


def age(*args, input=None) -> bytes:
    return subprocess.run(["age", *args], input=input, capture_output=True, check=True).stdout


def test_files_written_by_storeops_decrypt_with_age(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    stored = stores / "attachments" / mini / "licence-scan.pdf.age"
    for reader in ("bob", "alice"):
        assert age("-d", "-i", str(keys.paths[reader]), str(stored)) == LICENCE
    with pytest.raises(subprocess.CalledProcessError):
        age("-d", "-i", str(keys.paths["carol"]), str(stored))


def test_secrets_written_by_storeops_decrypt_with_age(stores, mini, keys, act):
    run_cli("-C", str(stores), "secret", "set", mini, "seller_password", input="p4ss-w0rd")
    armored = yamlio.load(stores / "projects" / f"{mini}.yaml")["secrets"]["seller_password"]["age"]
    assert age("-d", "-i", str(keys.paths["bob"]), input=armored.encode()) == b"p4ss-w0rd"


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
def test_files_encrypted_with_age_are_opened_by_storeops(stores, mini, keys, act, tmp_path, armor):
    attach(stores, mini, str(write(tmp_path, "l.pdf", b"placeholder")), "--doc", "licence-scan")
    target = stores / "attachments" / mini / "licence-scan.pdf.age"
    source = write(tmp_path, "from-age.pdf", LICENCE)
    flags = ["-a"] if armor else []
    age("-e", *flags, "-r", keys.recipients["bob"], "-o", str(target), str(source))
    git(stores, "commit", "-qam", "a colleague's file, encrypted with age")  # the pre-commit guard accepts age files
    act("bob")
    result = run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.encode() == LICENCE
    assert "does not match its recorded sha256" in result.stderr  # the placeholder's hash was recorded


def test_attaching_an_age_file_reencrypts_it_to_the_readers(stores, mini, keys, act, tmp_path):
    source = tmp_path / "inbox" / "scan.pdf.age"
    source.parent.mkdir()
    age("-e", "-r", keys.recipients["alice"], "-o", str(source), input=LICENCE)
    result = attach(stores, mini, str(source), "--doc", "licence-scan")
    assert result.exit_code == 0, result.stderr
    doc = document(stores, mini, "licence-scan")
    assert doc["file"] == "attachments/mini-us/licence-scan.pdf.age"
    import hashlib

    assert doc["sha256"] == hashlib.sha256(LICENCE).hexdigest()
    assert age("-d", "-i", str(keys.paths["bob"]), str(stores / doc["file"])) == LICENCE


@needs_ssh_keygen
def test_ssh_keys_work_both_ways(stores, mini, keys, act, tmp_path):
    key = tmp_path / "ssh" / "id_ed25519"
    key.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bob@laptop", "-f", str(key)], check=True)
    public = (tmp_path / "ssh" / "id_ed25519.pub").read_text()
    assert run_cli("-C", str(stores), "person", "key", "bob", "--ssh-key", public).exit_code == 0
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    stored = stores / "attachments" / mini / "licence-scan.pdf.age"
    assert age("-d", "-i", str(key), str(stored)) == LICENCE
    act("bob", key)
    assert run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout").stdout.encode() == LICENCE
    age("-e", "-R", str(tmp_path / "ssh" / "id_ed25519.pub"), "-o", str(stored), input=b"from age -R")
    assert run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout").stdout == "from age -R"


@pytest.mark.skipif(shutil.which("age-keygen") is None, reason="age-keygen is not installed")
def test_keygen_identity_is_an_age_identity(tmp_path):
    path = tmp_path / "me.txt"
    result = run_cli("keygen", "--output", str(path))
    recipient = result.stdout.strip()
    assert subprocess.run(["age-keygen", "-y", str(path)], capture_output=True, text=True,
                          check=True).stdout.strip() == recipient
    assert age("-d", "-i", str(path), input=age("-e", "-r", recipient, input=b"hello")) == b"hello"
