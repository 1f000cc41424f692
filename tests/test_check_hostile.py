"""`storeops check` against a hostile pull request: files nobody declares, symlinks, damaged ciphertext,
a team file with duplicate emails or keys that are not keys (issue 14 §4)."""

from __future__ import annotations

import json

from conftest import git, run_cli
from gitflow import acting
from vault_fixtures import LICENCE, act, attach, document, keys, write  # noqa: F401

from storeops import yamlio

SECRET_OUTSIDE = "runner-credential-AKIA-do-not-print"


def check(stores, *extra):
    return run_cli("-C", str(stores), "check", "--json", *extra)


def problems(result) -> list[dict]:
    return json.loads(result.stdout)["problems"]


def commit_by_hand(stores, message="hand commit"):
    git(stores, "add", "-A")
    with acting("bob"):
        git(stores, "commit", "--no-verify", "-qm", message)


# ---- plaintext under names no project declares ----

def test_plaintext_under_attachments_that_no_project_declares_is_a_finding(stores, mini):
    folder = stores / "attachments" / mini
    folder.mkdir(parents=True)
    (folder / "passport-copy.pdf").write_bytes(b"%PDF-1.4 passport of the legal representative")
    commit_by_hand(stores)
    result = check(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["path"] == f"attachments/{mini}/passport-copy.pdf" and found["code"] == "plaintext"


def test_a_file_in_projects_that_is_not_a_project_file_is_a_finding(stores, mini):
    (stores / "projects" / "scan-copy.pdf").write_bytes(b"%PDF-1.4 scan")
    commit_by_hand(stores)
    result = check(stores)
    assert result.exit_code == 1
    assert [p["path"] for p in problems(result)] == ["projects/scan-copy.pdf"]


def test_plaintext_named_age_that_no_project_declares_is_a_finding(stores, mini):
    folder = stores / "attachments" / mini
    folder.mkdir(parents=True)
    (folder / "bank-statement.pdf.age").write_bytes(b"%PDF-1.4 bank statement, not encrypted")
    commit_by_hand(stores)
    result = check(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["code"] == "plaintext" and "not age ciphertext" in found["message"]


def test_declared_attachments_are_not_findings(stores, mini, keys, act, tmp_path):
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    assert check(stores).exit_code == 0


# ---- symlinks: findings, never followed; writers refuse them ----

def test_a_symlinked_project_file_is_a_finding_and_its_target_is_never_printed(stores, mini, tmp_path):
    outside = tmp_path / "credentials"
    outside.write_text(f"token: {SECRET_OUTSIDE}\nnot: [valid yaml\n")
    (stores / "projects" / "creds.yaml").symlink_to(outside)
    commit_by_hand(stores)
    for args in (("check",), ("check", "--json"), ("status",), ("board",), ("check", "--base", "HEAD~1")):
        result = run_cli("-C", str(stores), *args)
        assert SECRET_OUTSIDE not in result.stdout + result.stderr, args
        assert result.exception is None, (args, result.exception)
    result = check(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["path"] == "projects/creds.yaml" and found["code"] == "symlink"


def test_a_symlinked_sop_and_attachment_folder_are_findings(stores, mini, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.yaml").write_text(f"id: evil\n{SECRET_OUTSIDE}: [\n")
    (stores / "sop" / "evil.yaml").symlink_to(outside / "evil.yaml")
    (stores / "attachments").mkdir(exist_ok=True)
    (stores / "attachments" / mini).symlink_to(outside, target_is_directory=True)
    commit_by_hand(stores)
    result = check(stores)
    assert result.exit_code == 1 and SECRET_OUTSIDE not in result.stdout + result.stderr
    assert sorted(p["path"] for p in problems(result)) == [f"attachments/{mini}", "sop/evil.yaml"]


def test_a_symlinked_storeops_yaml_is_never_read(stores, mini, tmp_path):
    outside = tmp_path / "team.yaml"
    outside.write_text((stores / "storeops.yaml").read_text() + f"# {SECRET_OUTSIDE}\nbroken: [\n")
    (stores / "storeops.yaml").unlink()
    (stores / "storeops.yaml").symlink_to(outside)
    result = run_cli("-C", str(stores), "check")
    assert result.exit_code in (1, 3)
    assert "storeops.yaml" in result.stdout + result.stderr and "symbolic link" in result.stdout + result.stderr
    assert SECRET_OUTSIDE not in result.stdout + result.stderr


def test_attach_refuses_to_write_through_a_symlinked_folder(stores, mini, keys, act, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (stores / "attachments").mkdir(exist_ok=True)
    (stores / "attachments" / mini).symlink_to(outside, target_is_directory=True)
    head = git(stores, "rev-parse", "HEAD")
    result = attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert "symbolic link" in result.stderr
    assert list(outside.iterdir()) == []
    assert git(stores, "rev-parse", "HEAD") == head


def test_writers_refuse_a_symlinked_project_file(stores, mini, tmp_path):
    target = tmp_path / "elsewhere.yaml"
    path = stores / "projects" / f"{mini}.yaml"
    target.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(target)
    before = target.read_bytes()
    result = run_cli("-C", str(stores), "assign", mini, "licence", "carol")
    assert result.exit_code in (2, 3) and "Traceback" not in result.stderr
    assert target.read_bytes() == before


# ---- damaged ciphertext ----

def _flip(path, offset=-5):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_flipped_byte_is_a_finding_for_a_reader(stores, mini, keys, act, tmp_path):
    act("bob")
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    rel = document(stores, mini, "licence-scan")["file"]
    _flip(stores / rel)
    commit_by_hand(stores, "flip")
    result = check(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["code"] == "damaged" and "cannot be decrypted by its readers" in found["message"]


def test_without_an_identity_a_broken_age_header_is_a_finding(stores, mini, keys, act, tmp_path, monkeypatch):
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    rel = document(stores, mini, "licence-scan")["file"]
    data = (stores / rel).read_bytes()
    (stores / rel).write_bytes(data.replace(b"\n---", b"\n-x-", 1))
    commit_by_hand(stores, "break the header")
    monkeypatch.setenv("STOREOPS_IDENTITY", str(tmp_path / "no-such-identity.txt"))
    result = check(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["code"] == "damaged" and "not a valid age file" in found["message"]


def test_without_an_identity_a_sound_ciphertext_passes(stores, mini, keys, act, tmp_path, monkeypatch):
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    monkeypatch.setenv("STOREOPS_IDENTITY", str(tmp_path / "no-such-identity.txt"))
    assert check(stores).exit_code == 0


# ---- the team: duplicate emails, keys that are not keys ----

def _edit_team(stores, change):
    config = yamlio.load(stores / "storeops.yaml")
    change(config["people"])
    (stores / "storeops.yaml").write_text(yamlio.dumps(config))


def test_two_people_with_the_same_email_are_a_finding(stores):
    def same(people):
        next(p for p in people if p["name"] == "carol")["email"] = "BOB@example.com"
    _edit_team(stores, same)
    result = check(stores)
    assert result.exit_code == 1
    assert any("bob@example.com" in p["message"].lower() and p["path"] == "storeops.yaml" for p in problems(result))


def test_an_age_key_that_is_not_a_recipient_is_a_finding(stores):
    def bad(people):
        people[0]["age"] = "age1notakey"
    _edit_team(stores, bad)
    result = check(stores)
    assert result.exit_code == 1
    assert any("age1notakey" in p["message"] for p in problems(result))


def test_person_add_refuses_an_email_already_on_the_team(stores):
    result = run_cli("-C", str(stores), "person", "add", "eve", "--email", "Bob@Example.com", "--role", "ops")
    assert result.exit_code == 2 and "bob" in result.stderr


# ---- check --base: every commit's blobs, and who may change an encrypted document ----

def _branch(stores):
    git(stores, "checkout", "-qb", "pr")


def check_base(stores):
    return run_cli("-C", str(stores), "check", "--base", "main", "--json")


def test_check_base_finds_plaintext_named_age_even_when_a_later_commit_replaces_it(stores, mini, keys, act, tmp_path):
    _branch(stores)
    folder = stores / "attachments" / mini
    folder.mkdir(parents=True)
    (folder / "bank-statement.pdf.age").write_bytes(b"%PDF-1.4 bank statement in the clear")
    commit_by_hand(stores, "statement")
    (folder / "bank-statement.pdf.age").unlink()
    commit_by_hand(stores, "oops, removed")
    assert check(stores).exit_code == 0  # the head is clean
    result = check_base(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["code"] == "plaintext" and found["path"] == f"attachments/{mini}/bank-statement.pdf.age"


def test_check_base_finds_undeclared_plaintext_and_files_in_projects(stores, mini):
    _branch(stores)
    folder = stores / "attachments" / mini
    folder.mkdir(parents=True)
    (folder / "passport-copy.pdf").write_bytes(b"%PDF-1.4 passport")
    (stores / "projects" / "scan-copy.pdf").write_bytes(b"%PDF-1.4 scan")
    commit_by_hand(stores, "scans")
    git(stores, "rm", "-q", f"attachments/{mini}/passport-copy.pdf", "projects/scan-copy.pdf")
    commit_by_hand(stores, "removed again")
    result = check_base(stores)
    assert result.exit_code == 1
    assert sorted((p["path"], p["code"]) for p in problems(result)) == [
        (f"attachments/{mini}/passport-copy.pdf", "plaintext"), ("projects/scan-copy.pdf", "stray")]


def test_check_base_finds_a_symlink_added_in_the_range(stores, mini, tmp_path):
    _branch(stores)
    (stores / "projects" / "creds.yaml").symlink_to(tmp_path / "anywhere")
    commit_by_hand(stores, "link")
    result = check_base(stores)
    assert result.exit_code == 1
    assert [(p["path"], p["code"]) for p in problems(result)] == [("projects/creds.yaml", "symlink")]


def _readers_edit(stores, mini, who):
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    doc = next(d for t in data["tasks"] for d in t.get("documents", []) if d["id"] == "licence-scan")
    doc["readers"] = ["owner", "admin", who]
    path.write_text(yamlio.dumps(data))
    with acting(who):
        git(stores, "commit", "--no-verify", "-qam", f"{who} reads the licence too")


def test_a_non_reader_who_adds_themself_to_readers_is_a_finding_of_check_base(stores, mini, keys, act, tmp_path):
    act("bob")
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    _branch(stores)
    _readers_edit(stores, mini, "dave")
    result = check_base(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["code"] == "access" and "licence-scan" in found["message"] and "dave" in found["message"]


def test_a_reader_or_an_admin_may_change_readers(stores, mini, keys, act, tmp_path):
    act("bob")
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    _branch(stores)
    _readers_edit(stores, mini, "alice")   # an admin
    assert check_base(stores).exit_code == 0, check_base(stores).stdout


def test_a_non_reader_who_replaces_the_ciphertext_keeping_the_sha256_is_a_finding(stores, mini, keys, act, tmp_path):
    import pyrage
    from pyrage import x25519

    act("bob")
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    _branch(stores)
    rel = document(stores, mini, "licence-scan")["file"]
    (stores / rel).write_bytes(pyrage.encrypt(b"%PDF forged licence", [x25519.Recipient.from_str(keys.recipients["dave"])]))
    with acting("dave"):
        git(stores, "commit", "--no-verify", "-qam", "better scan")
    result = check_base(stores)
    assert result.exit_code == 1
    [found] = problems(result)
    assert found["code"] == "access" and found["path"] == rel and "dave" in found["message"]


def test_a_replaced_ciphertext_is_found_even_when_the_same_commit_edits_the_project_file(stores, mini, keys, act,
                                                                                          tmp_path):
    import pyrage
    from pyrage import x25519

    act("bob")
    assert attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan").exit_code == 0
    _branch(stores)
    rel = document(stores, mini, "licence-scan")["file"]
    (stores / rel).write_bytes(pyrage.encrypt(b"%PDF forged", [x25519.Recipient.from_str(keys.recipients["dave"])]))
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    data["store"] = data["store"] + " Ltd"
    path.write_text(yamlio.dumps(data))
    with acting("dave"):
        git(stores, "commit", "--no-verify", "-qam", "rename the store, better scan")
    result = check_base(stores)
    assert result.exit_code == 1
    assert [(p["path"], p["code"]) for p in problems(result)] == [(rel, "access")]
