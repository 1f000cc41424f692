"""Rejection evidence is encrypted to the rejected task's readers when they have keys."""

import subprocess

from conftest import git, run_cli
from edit_helpers import at_review, project_data
from vault_fixtures import act, keys, write  # noqa: F401

from storeops import vault

NOTICE = b"\x89PNG notice: legal rep Li Wei ID 110101199003071234 unique-notice-bytes"


def reject(stores, project, *extra):
    return run_cli("-C", str(stores), "reject", project, "--reason", "other", "--at", "2026-11-20", *extra)


def test_evidence_is_encrypted_and_never_reaches_git_in_plaintext(stores, mini, keys, act, tmp_path):
    at_review(stores, mini)
    result = reject(stores, mini, "--evidence", str(write(tmp_path, "notice.png", NOTICE)))
    assert result.exit_code == 0, result.stderr
    [rejection] = project_data(stores, mini)["rejections"]
    assert rejection["evidence"] == "attachments/mini-us/rejection-2026-11-20.png.age"
    stored = (stores / rejection["evidence"]).read_bytes()
    assert vault.decrypt(stored, vault.load_identities(keys.paths["bob"]), "evidence") == NOTICE
    objects = subprocess.run(["git", "-C", str(stores), "cat-file", "--batch-all-objects", "--batch"],
                             capture_output=True).stdout
    assert b"unique-notice-bytes" not in objects
    assert run_cli("-C", str(stores), "check").exit_code == 0


def test_plain_evidence_on_request(stores, mini, keys, act, tmp_path):
    at_review(stores, mini)
    assert reject(stores, mini, "--plain", "--evidence", str(write(tmp_path, "n.png", b"public notice"))).exit_code == 0
    assert project_data(stores, mini)["rejections"][0]["evidence"] == "attachments/mini-us/rejection-2026-11-20.png"


def test_without_keys_evidence_stays_plain_with_a_warning_or_is_refused_when_sensitive(stores, mini, tmp_path):
    at_review(stores, mini)
    shot = write(tmp_path, "n.png", b"notice")
    head = git(stores, "rev-parse", "HEAD")
    refused = reject(stores, mini, "--sensitive", "--evidence", str(shot))
    assert refused.exit_code == 2 and "has a key" in refused.stderr
    assert git(stores, "rev-parse", "HEAD") == head
    kept = reject(stores, mini, "--evidence", str(shot))
    assert kept.exit_code == 0 and "evidence stored unencrypted" in kept.stderr
