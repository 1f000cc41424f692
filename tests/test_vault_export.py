"""export: the document package, encrypted as stored or decrypted for a reader, with manifest and index."""

import hashlib
import json
import stat
import zipfile

import pytest
from conftest import git, run_cli
from vault_fixtures import LICENCE, STATEMENT, act, attach, keys, write  # noqa: F401

from storeops import yamlio

EVIDENCE = b"\x89PNG screenshot of the rejection notice"


@pytest.fixture
def package(stores, mini, keys, act, tmp_path):
    """Two encrypted documents, a secret, and a rejection with (plain) evidence committed by hand."""
    attach(stores, mini, str(write(tmp_path, "l.pdf", LICENCE)), "--doc", "licence-scan", "--issued", "2026-10-01")
    attach(stores, mini, str(write(tmp_path, "s.pdf", STATEMENT)), "--doc", "bank-statement", "--issued", "2000-01-01")
    run_cli("-C", str(stores), "secret", "set", mini, "legal_rep_id_number", input="110101198001011234")
    evidence = "attachments/mini-us/rejection-2026-12-20.png"
    (stores / evidence).write_bytes(EVIDENCE)
    path = stores / "projects" / f"{mini}.yaml"
    data = yamlio.load(path)
    data["rejections"] = [{"at": "2026-12-20", "task": "review", "reason": "video-face-mismatch",
                           "message": "The person in the video did not match the ID.", "evidence": evidence}]
    path.write_text(yamlio.dumps(data))
    git(stores, "add", evidence, f"projects/{mini}.yaml")
    git(stores, "commit", "-qm", "record the rejection")  # passes the pre-commit guard: evidence is declared
    return mini


def export(stores, *args):
    return run_cli("-C", str(stores), "export", *args)


def files_in(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_export_without_decrypt_keeps_documents_encrypted(stores, package, tmp_path):
    out = tmp_path / "audit"
    result = export(stores, package, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"exported 2 document(s) to {out}"
    files = files_in(out)
    assert sorted(files) == ["documents/bank/bank-statement.pdf.age", "documents/licence/licence-scan.pdf.age",
                             "evidence/1-rejection-2026-12-20.png", "index.md", "manifest.json"]
    assert files["documents/licence/licence-scan.pdf.age"] == (stores / "attachments/mini-us/licence-scan.pdf.age").read_bytes()
    for plaintext in (LICENCE, STATEMENT, b"110101198001011234"):
        assert not any(plaintext in data for data in files.values())
    manifest = json.loads(files["manifest.json"])
    assert manifest["decrypted"] is False and manifest["exported_by"] == "alice"
    assert manifest["project"]["id"] == "mini-us" and manifest["project"]["status"] == "preparing"
    assert manifest["documents"][0] == {
        "task": "licence", "id": "licence-scan", "title": {"en": "Licence scan", "zh": "营业执照扫描件"},
        "sensitive": True, "optional": False, "source": "attachments/mini-us/licence-scan.pdf.age",
        "file": "documents/licence/licence-scan.pdf.age", "encrypted": True, "issued": "2026-10-01",
        "valid_days": None, "expires": None, "validity": "valid", "sha256": hashlib.sha256(LICENCE).hexdigest(),
        "sha256_verified": None, "readers": ["bob", "alice"]}
    statement = manifest["documents"][1]
    assert (statement["expires"], statement["validity"]) == ("2000-01-31", "expired")
    assert manifest["rejections"] == [{
        "at": "2026-12-20", "task": "review", "reason": "video-face-mismatch",
        "message": "The person in the video did not match the ID.",
        "evidence": "attachments/mini-us/rejection-2026-12-20.png",
        "evidence_file": "evidence/1-rejection-2026-12-20.png", "evidence_encrypted": False}]
    assert manifest["secrets"] == [{"key": "legal_rep_id_number", "hint": "****1234"}]
    index = files["index.md"].decode()
    assert index.startswith("# Mini Store — amazon us\n")
    assert ("| bank | bank-statement (Bank statement) | 2000-01-01 | 2000-01-31 | expired "
            "| [documents/bank/bank-statement.pdf.age](documents/bank/bank-statement.pdf.age) 🔒 "
            f"| `{hashlib.sha256(STATEMENT).hexdigest()}` |") in index
    assert "- 2026-12-20 review `video-face-mismatch`: The person in the video did not match the ID.. Evidence:" in index
    assert "- legal_rep_id_number: ****1234" in index


def test_export_decrypts_only_what_the_exporter_may_read(stores, package, act, tmp_path):
    act("carol")
    out = tmp_path / "submit"
    result = export(stores, package, "-o", str(out), "--decrypt")
    assert result.exit_code == 0, result.stderr
    assert "warning: kept encrypted (you are not a reader, or your identity cannot open them): licence/licence-scan" in result.stderr
    assert result.stderr.splitlines()[-1] == f"exported 2 document(s), 1 decrypted to {out}"
    files = files_in(out)
    assert files["documents/bank/bank-statement.pdf"] == STATEMENT
    assert "documents/licence/licence-scan.pdf.age" in files and not any(LICENCE in d for d in files.values())
    manifest = json.loads(files["manifest.json"])
    assert manifest["decrypted"] is True
    assert [(d["id"], d["encrypted"], d["sha256_verified"]) for d in manifest["documents"][:2]] == [
        ("licence-scan", True, None), ("bank-statement", False, True)]
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "documents/bank/bank-statement.pdf").stat().st_mode) == 0o600


def test_export_zip(stores, package, tmp_path):
    out = tmp_path / "acme.zip"
    result = export(stores, package, "-o", str(out), "--format", "zip", "--decrypt")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["documents/bank/bank-statement.pdf", "documents/licence/licence-scan.pdf",
                                              "evidence/1-rejection-2026-12-20.png", "index.md", "manifest.json"]
        assert archive.read("documents/licence/licence-scan.pdf") == LICENCE
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = export(stores, package, "-o", str(out), "--format", "zip")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_export_refuses_targets_inside_the_repo_or_not_empty(stores, package, tmp_path):
    inside = export(stores, package, "-o", str(stores / "out"), "--decrypt")
    assert inside.exit_code == 2 and "is inside the stores repo" in inside.stderr
    assert not (stores / "out").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    result = export(stores, package, "-o", str(busy))
    assert result.exit_code == 2 and "exists and is not an empty folder" in result.stderr
    bad = export(stores, package, "-o", str(tmp_path / "x"), "--format", "tar")
    assert bad.exit_code == 2 and "--format 'tar' is not one of dir, zip" in bad.stderr


def test_export_json_gives_the_manifest(stores, package, tmp_path):
    result = export(stores, package, "-o", str(tmp_path / "j"), "--json")
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["path"] == str(tmp_path / "j")
    assert data["manifest"] == json.loads((tmp_path / "j" / "manifest.json").read_text())
