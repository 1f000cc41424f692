"""Keys, attach and open: encrypted documents for their readers only."""

import json
import stat

from conftest import git, run_cli
from vault_fixtures import LICENCE, STATEMENT, act, attach, document, keys, make_identity, write  # noqa: F401

from storeops import yamlio


# ---- keys and people ----

def test_keygen_writes_a_private_identity_and_prints_its_recipient(isolated_home):
    result = run_cli("keygen")
    assert result.exit_code == 0, result.stderr
    recipient = result.stdout.strip()
    assert recipient.startswith("age1")
    path = isolated_home / ".config" / "storeops" / "identity.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert f"# public key: {recipient}\n" in text and "AGE-SECRET-KEY-1" in text
    assert f"storeops person key NAME --age-recipient {recipient}" in result.stderr


def test_keygen_never_overwrites_without_force(isolated_home):
    first = run_cli("keygen").stdout.strip()
    again = run_cli("keygen")
    assert again.exit_code == 2
    assert "identity.txt already exists" in again.stderr and first in again.stderr
    assert first in (isolated_home / ".config" / "storeops" / "identity.txt").read_text()
    forced = run_cli("keygen", "--force")
    assert forced.exit_code == 0 and forced.stdout.strip() != first


def test_keygen_output_and_storeops_identity(stores, mini, tmp_path, monkeypatch):
    path = tmp_path / "elsewhere" / "me.txt"
    path.parent.mkdir()
    result = run_cli("-C", str(stores), "keygen", "--output", str(path))
    assert result.exit_code == 0 and f"STOREOPS_IDENTITY={path}" in result.stderr
    assert "storeops person key alice --age-recipient" in result.stderr
    run_cli("-C", str(stores), "person", "key", "alice", "--age-recipient", result.stdout.strip())
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    no_identity = run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout")
    assert no_identity.exit_code == 3 and "no identity to decrypt with" in no_identity.stderr
    monkeypatch.setenv("STOREOPS_IDENTITY", str(path))
    assert run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout").stdout == LICENCE.decode()


def test_person_add_with_a_key_and_list_shows_who_has_one(stores, tmp_path):
    recipient = make_identity(tmp_path / "erin.txt")
    result = run_cli("-C", str(stores), "person", "add", "erin", "--email", "erin@example.com", "--role", "ops",
                     "--age-recipient", recipient)
    assert result.exit_code == 0, result.stderr
    ssh = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHlT4Wl0sYk8Z0ZlXQ3V5VYqZ0Ew2e3F0dN3x2o0pXfI frank@laptop")
    assert run_cli("-C", str(stores), "person", "add", "frank", "--email", "frank@example.com",
                   "--ssh-key", ssh).exit_code == 0
    config = yamlio.load(stores / "storeops.yaml")
    assert [p.get("age") for p in config["people"] if p["name"] in ("erin", "frank")] == [recipient, ssh]
    listing = run_cli("-C", str(stores), "person", "list")
    assert "erin   erin@example.com   ops          age" in listing.stdout
    assert "frank  frank@example.com  -            ssh-ed25519" in listing.stdout
    people = json.loads(run_cli("-C", str(stores), "person", "list", "--json").stdout)["people"]
    assert {p["name"]: p["has_key"] for p in people} == {
        "alice": False, "bob": False, "carol": False, "dave": False, "erin": True, "frank": True}


def test_person_key_sets_and_replaces(stores, tmp_path):
    first = make_identity(tmp_path / "a.txt")
    second = make_identity(tmp_path / "b.txt")
    result = run_cli("-C", str(stores), "person", "key", "carol", "--age-recipient", first)
    assert result.exit_code == 0 and "set carol's key" in result.stderr and "storeops rekey" in result.stderr
    result = run_cli("-C", str(stores), "person", "key", "carol", "--age-recipient", second)
    assert result.exit_code == 0 and "replaced carol's key" in result.stderr
    assert git(stores, "log", "-1", "--format=%s") == "person key carol: replace age key\n"
    taken = run_cli("-C", str(stores), "person", "key", "dave", "--age-recipient", second)
    assert taken.exit_code == 2 and "this key already belongs to carol" in taken.stderr


def test_person_key_refuses_bad_and_private_keys_without_echoing_them(stores):
    secret_key = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
    private = run_cli("-C", str(stores), "person", "key", "bob", "--age-recipient", secret_key)
    assert private.exit_code == 2
    assert "that is a private key; give the public one" in private.stderr and secret_key not in private.stderr
    bad = run_cli("-C", str(stores), "person", "key", "bob", "--age-recipient", "age1notakey")
    assert bad.exit_code == 2 and "is not a valid age recipient" in bad.stderr
    ecdsa = run_cli("-C", str(stores), "person", "key", "bob", "--ssh-key", "ecdsa-sha2-nistp256 AAAA bob@x")
    assert ecdsa.exit_code == 2 and "ecdsa-sha2-nistp256 keys are not supported by age" in ecdsa.stderr
    both = run_cli("-C", str(stores), "person", "key", "bob", "--age-recipient", "age1x", "--ssh-key", "ssh-ed25519 A")
    assert both.exit_code == 2 and "give --age-recipient or --ssh-key, not both" in both.stderr
    assert "\n  age:" not in (stores / "storeops.yaml").read_text()


# ---- attach and open ----

def test_attach_encrypts_to_default_readers_and_records_the_document(stores, mini, keys, act, tmp_path):
    source = write(tmp_path, "Licence Scan.PDF", LICENCE)
    result = attach(stores, mini, str(source), "--doc", "licence-scan", "--issued", "2026-10-01")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("attached mini-us/licence/licence-scan: attachments/mini-us/licence-scan.pdf.age "
                             "(encrypted for bob, alice)\n")
    stored = (stores / "attachments" / mini / "licence-scan.pdf.age").read_bytes()
    assert stored.startswith(b"age-encryption.org/v1\n") and LICENCE not in stored
    import hashlib

    assert document(stores, mini, "licence-scan") == {
        "id": "licence-scan", "title": {"en": "Licence scan", "zh": "营业执照扫描件"}, "sensitive": True,
        "file": "attachments/mini-us/licence-scan.pdf.age", "issued": "2026-10-01", "valid_days": None,
        "sha256": hashlib.sha256(LICENCE).hexdigest(), "readers": ["owner", "ops", "admin"]}
    assert git(stores, "show", "--name-only", "--format=%s", "HEAD").split("\n")[:4] == [
        "attach mini-us: licence/licence-scan (encrypted)", "",
        "attachments/mini-us/licence-scan.pdf.age", "projects/mini-us.yaml"]
    assert git(stores, "status", "--porcelain") == ""


def test_gated_task_readers_include_its_approval_role(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement", "--issued", "2026-11-01")
    assert document(stores, mini, "bank-statement")["readers"] == ["owner", "finance", "admin"]
    act("carol")
    opened = run_cli("-C", str(stores), "open", mini, "bank-statement", "--stdout")
    assert opened.exit_code == 0 and opened.stdout == STATEMENT.decode()


def test_open_round_trip_for_a_reader(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    act("bob")
    out = tmp_path / "out" / "licence.pdf"
    out.parent.mkdir()
    result = run_cli("-C", str(stores), "open", mini, "licence-scan", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == LICENCE
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert result.stderr == f"wrote mini-us/licence-scan to {out}\n"
    again = run_cli("-C", str(stores), "open", mini, "licence-scan", "-o", str(out))
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert run_cli("-C", str(stores), "open", mini, "licence-scan", "-o", str(out), "--force").exit_code == 0


def test_open_refuses_a_non_reader_and_names_the_readers(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    act("carol")
    result = run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "error: carol is not a reader of mini-us/licence-scan; readers: bob (owner, ops), alice (admin)")


def test_reader_whose_key_came_later_needs_a_rekey(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan", "--readers", "ops,admin")
    erin_key = tmp_path / "keys" / "erin.txt"
    result = run_cli("-C", str(stores), "person", "add", "erin", "--email", "erin@example.com", "--role", "ops",
                     "--age-recipient", make_identity(erin_key))
    assert result.exit_code == 0
    act("erin", erin_key)
    before = run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout")
    assert before.exit_code == 3 and "your identity cannot decrypt attachments/mini-us/licence-scan.pdf.age" in before.stderr
    assert "storeops rekey" in before.stderr
    act("alice")
    assert run_cli("-C", str(stores), "rekey").exit_code == 0
    act("erin", erin_key)
    assert run_cli("-C", str(stores), "open", mini, "licence-scan", "--stdout").stdout == LICENCE.decode()


def test_readers_option_chooses_roles_and_people(stores, mini, keys, act, tmp_path):
    result = attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement",
                    "--readers", "finance,dave")
    assert result.exit_code == 0, result.stderr
    assert "encrypted for carol, dave" in result.stderr
    assert "you are not among its readers: you will not be able to open it" in result.stderr
    assert document(stores, mini, "bank-statement")["readers"] == ["finance", "dave"]
    act("bob")
    refused = run_cli("-C", str(stores), "open", mini, "bank-statement", "--stdout")
    assert refused.exit_code == 3 and "readers: carol (finance), dave" in refused.stderr
    bad = attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement",
                 "--readers", "finanse")
    assert bad.exit_code == 2 and "'finanse' is neither a role nor a person" in bad.stderr
    assert "did you mean finance?" in bad.stderr


def test_reattach_replaces_both_paths_in_one_commit(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    first = git(stores, "rev-parse", "HEAD").strip()
    result = attach(stores, mini, str(write(tmp_path, "l.png", b"new scan")), "--doc", "licence-scan")
    assert result.exit_code == 0 and result.stderr.startswith("replaced mini-us/licence/licence-scan")
    assert git(stores, "rev-list", "--count", f"{first}..HEAD") == "1\n"
    assert git(stores, "show", "--name-status", "--format=%s", "HEAD").splitlines() == [
        "replace mini-us: licence/licence-scan (encrypted)", "",
        "D\tattachments/mini-us/licence-scan.pdf.age", "A\tattachments/mini-us/licence-scan.png.age",
        "M\tprojects/mini-us.yaml"]
    assert not (stores / "attachments" / mini / "licence-scan.pdf.age").exists()
    assert git(stores, "cat-file", "-e", f"{first}:attachments/mini-us/licence-scan.pdf.age") == ""


def test_sensitive_document_cannot_be_attached_plain(stores, mini, keys, act, tmp_path):
    result = attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan", "--plain")
    assert result.exit_code == 2
    assert "licence-scan is marked sensitive; it is always stored encrypted" in result.stderr
    assert not list((stores / "attachments" / mini).glob("licence*"))


def test_plain_and_new_documents(stores, mini, keys, act, tmp_path):
    result = attach(stores, mini, str(write(tmp_path, "brand.jpg", b"logo")), "--task", "brand", "--doc",
                    "brand-logo", "--plain")
    assert result.exit_code == 0, result.stderr
    assert (stores / "attachments" / mini / "brand-logo.jpg").read_bytes() == b"logo"
    assert document(stores, mini, "brand-logo")["sensitive"] is False
    assert "readers" not in document(stores, mini, "brand-logo")
    act("dave")
    assert run_cli("-C", str(stores), "open", mini, "brand-logo", "--stdout").stdout == "logo"
    act("alice")
    added = attach(stores, mini, str(write(tmp_path, "tm.pdf", b"tm")), "--task", "brand", "--doc", "trademark")
    assert added.exit_code == 0 and document(stores, mini, "trademark")["file"].endswith(".pdf.age")


def test_attach_asks_which_document(stores, mini, keys, act, tmp_path):
    source = str(write(tmp_path, "x.pdf", b"x"))
    unknown = attach(stores, mini, source, "--doc", "licence-scn")
    assert unknown.exit_code == 2 and "mini-us has no document 'licence-scn'" in unknown.stderr
    assert "did you mean licence-scan?" in unknown.stderr
    neither = attach(stores, mini, source)
    assert neither.exit_code == 2 and "documents: licence-scan, bank-statement" in neither.stderr
    by_task = attach(stores, mini, source, "--task", "bank")
    assert by_task.exit_code == 0 and "bank/bank-statement" in by_task.stderr
    missing = attach(stores, mini, str(tmp_path / "nope.pdf"), "--doc", "licence-scan")
    assert missing.exit_code == 2 and "nope.pdf: no such file" in missing.stderr


def test_attach_without_any_reader_key_is_refused(stores, mini, tmp_path):
    result = attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    assert result.exit_code == 2
    assert "cannot encrypt mini-us/licence-scan: none of its readers (bob (owner, ops), alice (admin)) has a key" in result.stderr
    assert not list((stores / "attachments" / mini).glob("*.age"))


def test_open_never_writes_plaintext_into_the_stores_repo(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    result = run_cli("-C", str(stores), "open", mini, "licence-scan", "-o", str(stores / "licence.pdf"))
    assert result.exit_code == 2 and "is inside the stores repo" in result.stderr
    assert not (stores / "licence.pdf").exists()


def test_valid_days_document_without_issue_date_warns(stores, mini, keys, act, tmp_path):
    result = attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement")
    assert result.exit_code == 0
    assert "bank-statement is valid 30 days from issue: pass --issued DATE" in result.stderr


def test_status_json_shows_no_ciphertext_and_no_plaintext(stores, mini, keys, act, tmp_path):
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    shown = run_cli("-C", str(stores), "status", mini, "licence", "--json").stdout
    doc = json.loads(shown)["task"]["documents"][0]
    assert (doc["file"], doc["readers"]) == ("attachments/mini-us/licence-scan.pdf.age", ["owner", "ops", "admin"])
    assert "unique-licence-bytes" not in shown and "BEGIN AGE" not in shown


def test_archived_project_refuses_attach(stores, mini, keys, act, tmp_path):
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    data["archived"] = {"at": "2026-12-01", "outcome": "abandoned", "reason": None}
    path.write_text(yamlio.dumps(data))
    git(stores, "commit", "-qam", "archive by hand")
    result = attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan")
    assert result.exit_code == 2 and "mini-us is archived and read-only" in result.stderr
