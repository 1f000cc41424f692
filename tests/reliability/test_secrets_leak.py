"""No plaintext of a sensitive document or a secret value ever leaves the vault.

One scenario, as a team would live it: documents attached (one of them
already age-encrypted, one replaced), secrets set through stdin (one
replaced), a rejection with screenshot evidence, a key rotated, everything
rekeyed, projects exported without --decrypt (a folder and a zip). Then
every place a byte could escape to is searched for every marker, raw and as
hex or base64: every git object (before and after `git gc`), every file
under the stores repo (.git included: index, COMMIT_EDITMSG, logs), HOME,
the temp folder, the exports, the output of every reading command, and the
messages (and `--debug` tracebacks) of the errors a user can provoke.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import tempfile
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import git, run_cli
from edit_helpers import at_review
from gitflow import use_this_checkout
from vault_fixtures import act, all_objects, keys, make_identity, write  # noqa: F401

from storeops import vault, yamlio
from storeops.repo import PROJECT_MODELINE

# distinctive bytes inside each document; the documents carry binary noise around them as real scans do
DOC_MARKERS = {
    "licence": b"LEAKMARK-licence-91310000MA1FL2XQ7K-first-scan",
    "licence-v2": b"LEAKMARK-licence-v2-recoloured-91310000MA1FL2XQ7K",
    "statement": b"LEAKMARK-statement-6222021234567890-bal-88123.45",
    "passport": b"LEAKMARK-passport-E12345678-LI-WEI-19900307",
    "bill": b"LEAKMARK-utility-bill-already-age-encrypted-by-alice",
    "notice": b"LEAKMARK-notice-face-mismatch-110101199003071234",
}
SECRETS = {
    "seller_password (replaced)": "LEAKMARK-pw-first-Tr0ub4dor&3-horse",
    "seller_password": "LEAKMARK-pw-second-correct-battery-staple",
    "legal_rep_id_number": "110101199003079876",          # number-like: its hint shows the last four digits
    "bank_pin": "LEAKMARK-密码-银行卡-zh-secret-4417",
    "refused multi-line": "LEAKMARK-multiline-first-line-of-two",
    "refused from argv": "LEAKMARK-argv-Pa55w0rd-typed-as-argument",
}


def document(name: str) -> bytes:
    return b"%PDF-1.4\n\x00\x01\xfe\xff" + DOC_MARKERS[name] + b"\n\x00trailing scan bytes\x80\x81\n"


def forms(marker: bytes) -> list[bytes]:
    """The marker raw, in hex, and in base64 at each of the three alignments (the middle part, which only
    the marker's bytes determine): plaintext that was merely encoded is still plaintext."""
    found = [marker, marker.hex().encode(), marker.hex().upper().encode()]
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + marker)
        found.append(encoded[4:-4])
    return found


def needles() -> dict[str, list[bytes]]:
    out = {f"document {name}": forms(marker) for name, marker in DOC_MARKERS.items()}
    for name, value in SECRETS.items():
        # the hint may show a number-like value's last four digits, by design: search for everything before
        out[f"secret {name}"] = forms(value.encode("utf-8")[:-4])
    return out


NEEDLES = needles()


def leaks(where: str, data: bytes | str) -> list[str]:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return [f"{what} in {where}" for what, found in NEEDLES.items() if any(n in data for n in found)]


def tree_leaks(root: Path, label: str) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found += leaks(f"{label}/{path.relative_to(root)}", path.read_bytes())
    return found


@dataclass
class Scene:
    stores: Path
    tmp: Path
    temp_dir: Path
    home: Path
    export: Path
    outputs: list[tuple[str, str]] = field(default_factory=list)

    def run(self, *args: str, input: str | None = None, expect: tuple[int, ...] = (0,)) -> str:
        result = run_cli("-C", str(self.stores), *args, input=input)
        label = "storeops " + " ".join(args)
        text = result.stdout + result.stderr
        if result.exception is not None:
            text += "".join(traceback.format_exception(result.exception))
        assert result.exit_code in expect, f"{label}: exit {result.exit_code}\n{text}"
        self.outputs.append((label, text))
        return text


@pytest.fixture(autouse=True)
def _subprocesses_run_this_code(monkeypatch):
    use_this_checkout(monkeypatch)


@pytest.fixture
def scene(stores, mini, keys, act, tmp_path, monkeypatch, isolated_home) -> Scene:
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp_dir))
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))
    s = Scene(stores, tmp_path, temp_dir, isolated_home, tmp_path / "export")
    s.run("new", "amazon-us", "--store", "ACME Home US", "--owner", "alice", "--id", "acme-us",
          "--start", "2026-11-02")

    act("bob")  # owner of mini-us
    s.run("attach", "mini-us", str(write(tmp_path, "licence.pdf", document("licence"))), "--doc", "licence-scan",
          "--issued", "2026-10-01")
    s.run("secret", "set", "mini-us", "seller_password", input=SECRETS["seller_password (replaced)"] + "\n")
    s.run("secret", "set", "mini-us", "legal_rep_id_number", input=SECRETS["legal_rep_id_number"] + "\r\n")
    s.run("attach", "mini-us", str(write(tmp_path, "licence2.pdf", document("licence-v2"))),
          "--doc", "licence-scan", "--issued", "2026-11-01")
    s.run("secret", "set", "mini-us", "seller_password", input=SECRETS["seller_password"])

    act("carol")  # finance: the bank statement
    s.run("attach", "mini-us", str(write(tmp_path, "statement.pdf", document("statement"))),
          "--doc", "bank-statement", "--issued", "2026-11-15")

    act("alice")  # owner of acme-us
    s.run("attach", "acme-us", str(write(tmp_path, "passport.jpg", document("passport"))),
          "--doc", "legal-rep-id-scan", "--issued", "2026-09-01")
    sealed = vault.encrypt(document("bill"), (keys.recipients["alice"],))
    s.run("attach", "acme-us", str(write(tmp_path, "bill.pdf.age", sealed)), "--doc", "utility-bill",
          "--issued", "2026-11-10")
    s.run("secret", "set", "acme-us", "bank_pin", input=SECRETS["bank_pin"] + "\n")

    at_review(stores, mini)
    act("bob")
    s.run("reject", "mini-us", "--reason", "video-face-mismatch", "--at", "2026-11-20",
          "--message", "We could not verify your identity.",
          "--evidence", str(write(tmp_path, "notice.png", document("notice"))))

    act("alice")  # carol's laptop was replaced: new key, then everything is rekeyed
    new_carol = make_identity(tmp_path / "keys" / "carol-new.txt")
    s.run("person", "key", "carol", "--age-recipient", new_carol)
    s.run("rekey")
    s.run("export", "mini-us", "-o", str(s.export))
    s.run("export", "acme-us", "-o", str(tmp_path / "acme-us.zip"), "--format", "zip", "--json")
    return s


def test_no_plaintext_at_rest_in_git_objects_files_or_exports(scene, keys, act):
    # the control: the markers really are in what storeops keeps, and the scanner finds them there
    act("bob")
    assert DOC_MARKERS["licence-v2"] in _open(scene, "mini-us", "licence-scan")
    evidence = scene.stores.joinpath(_evidence(scene)).read_bytes()
    assert DOC_MARKERS["notice"] in vault.decrypt(evidence, vault.load_identities(keys.paths["bob"]), "evidence")
    assert run_cli("-C", str(scene.stores), "secret", "get", "mini-us", "seller_password").stdout == (
        SECRETS["seller_password"] + "\n")
    act("carol", scene.tmp / "keys" / "carol-new.txt")
    assert DOC_MARKERS["statement"] in _open(scene, "mini-us", "bank-statement")
    act("alice")
    assert DOC_MARKERS["bill"] in _open(scene, "acme-us", "utility-bill")
    assert run_cli("-C", str(scene.stores), "secret", "get", "acme-us", "bank_pin").stdout == (
        SECRETS["bank_pin"] + "\n")
    assert leaks("a reader's output", _open(scene, "acme-us", "legal-rep-id-scan")) == [
        "document passport in a reader's output"]

    objects = all_objects(scene.stores)
    assert objects.count(b"-----BEGIN AGE ENCRYPTED FILE-----") >= 4  # the secrets' ciphertext is in there
    found = leaks("git objects", objects)
    found += tree_leaks(scene.stores, "stores")       # work tree and .git (index, COMMIT_EDITMSG, logs)
    found += tree_leaks(scene.home, "HOME")
    found += tree_leaks(scene.temp_dir, "TMPDIR")
    found += tree_leaks(scene.export, "export")
    with zipfile.ZipFile(scene.tmp / "acme-us.zip") as package:  # deflated: read what an unzip would give
        names = package.namelist()
        found += [leak for name in names for leak in leaks(f"acme-us.zip/{name}", package.read(name))]
    git(scene.stores, "gc", "--quiet", "--aggressive", "--prune=now")
    assert not list((scene.stores / ".git" / "objects").glob("??/*"))  # all packed now
    found += leaks("git objects after gc", all_objects(scene.stores))
    found += tree_leaks(scene.stores / ".git", "stores/.git after gc")
    assert found == []
    assert sorted(p.name for p in scene.export.iterdir()) == ["documents", "evidence", "index.md", "manifest.json"]
    assert "manifest.json" in names and len([n for n in names if n.endswith(".age")]) == 2


def _open(scene: Scene, project: str, doc: str) -> bytes:
    from storeops.documents import open_document
    from storeops.repo import StoresRepo

    return open_document(StoresRepo.open(scene.stores), project, doc).data


def _evidence(scene: Scene) -> str:
    data = json.loads(run_cli("-C", str(scene.stores), "status", "mini-us", "--json").stdout)
    return data["project"]["rejections"][0]["evidence"]


READING = [
    ("status",), ("status", "--json"), ("status", "mini-us"), ("status", "mini-us", "--json"),
    ("status", "acme-us"), ("status", "acme-us", "--json"),
    ("status", "mini-us", "licence"), ("status", "mini-us", "licence", "--json"),
    ("status", "mini-us", "bank", "--json"), ("status", "mini-us", "review"), ("status", "mini-us", "review", "--json"),
    ("status", "acme-us", "legal-rep-id"), ("status", "acme-us", "proof-of-address", "--json"),
    ("log",), ("log", "--json"), ("log", "mini-us"), ("log", "acme-us", "--json"), ("log", "--action", "secret"),
    ("diff",), ("diff", "--json"), ("diff", "ROOT..HEAD"), ("diff", "ROOT..HEAD", "--format", "markdown"),
    ("diff", "ROOT..HEAD", "--json"),
    ("board",), ("board", "--json"),
    ("remind", "--as-of", "2026-12-20"), ("remind", "--as-of", "2026-12-20", "--json"),
    ("remind", "--as-of", "2026-12-20", "--format", "markdown"), ("remind", "--as-of", "2026-12-20", "--format", "ics"),
    ("report", "rejections"), ("report", "rejections", "--json"), ("report", "rejections", "--format", "markdown"),
    ("report", "rejections", "--format", "csv"), ("report", "workload"), ("report", "cycle-time", "--json"),
    ("timeline",), ("timeline", "--json"),
    ("secret", "list", "mini-us"), ("secret", "list", "acme-us", "--json"),
    ("rekey", "--dry-run"), ("rekey", "--dry-run", "--json"),
    ("check",), ("check", "--json"), ("check", "--base", "ROOT"),
    ("isolation",), ("doctor",),
]


def test_no_plaintext_in_the_output_of_any_reading_command(scene, act):
    root = git(scene.stores, "rev-list", "--max-parents=0", "HEAD").strip()
    for who in ("alice", "dave"):  # a reader of everything and a reader of nothing see the same hints
        act(who)
        for command in READING:
            args = [root if a == "ROOT" else a.replace("ROOT", root) for a in command]
            scene.run(*args, expect=(0, 1, 3))
    assert len(scene.outputs) > 2 * len(READING)
    hints = "\n".join(text for label, text in scene.outputs if label.startswith("storeops status mini-us"))
    assert "****9876" in hints  # hints are shown, values are not
    assert run_cli("-C", str(scene.stores), "check").exit_code == 0
    assert [leak for label, text in scene.outputs for leak in leaks(label, text)] == []


def test_no_plaintext_in_error_messages_or_tracebacks(scene, keys, act):
    stores = scene.stores
    make_identity(scene.tmp / "keys" / "stranger.txt")
    stranger = scene.tmp / "keys" / "stranger.txt"

    def provoke(who: str, identity: Path | None, *args: str, expect: int, input: str | None = None) -> None:
        """In-process, then again with --debug in a real process: a traceback, if any, is output too."""
        act(who, identity)
        scene.run(*args, input=input, expect=(expect,))
        proc = subprocess.run([sys.executable, "-m", "storeops", "--debug", *args], cwd=stores, input=input or "",
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode != 0, args  # an exception left uncaught on purpose exits 1
        scene.outputs.append(("storeops --debug " + " ".join(args), proc.stdout + proc.stderr))

    # a reader with the wrong identity, non-readers, a rotated-away key
    provoke("bob", stranger, "open", "mini-us", "licence-scan", "--stdout", expect=3)
    provoke("bob", stranger, "secret", "get", "mini-us", "seller_password", expect=3)
    provoke("bob", None, "secret", "get", "acme-us", "bank_pin", expect=3)
    provoke("dave", None, "open", "mini-us", "bank-statement", "--stdout", expect=3)
    provoke("carol", keys.paths["carol"], "open", "mini-us", "bank-statement", "--stdout", expect=3)
    provoke("bob", None, "rekey", "--dry-run", expect=3)   # bob cannot open acme-us: listed, not decrypted
    provoke("bob", None, "open", "mini-us", "licence-scan", "-o", str(stores / "licence.pdf"), expect=2)
    # an age file the attacher cannot open, a secret refused for its shape or its channel
    sealed = write(scene.tmp, "sealed.pdf.age", vault.encrypt(document("passport"), (keys.recipients["alice"],)))
    provoke("bob", None, "attach", "mini-us", str(sealed), "--doc", "licence-scan", expect=3)
    provoke("bob", None, "secret", "set", "mini-us", "pin", expect=2,
            input=SECRETS["refused multi-line"] + "\nsecond line\n")
    provoke("bob", None, "secret", "set", "mini-us", "pin", SECRETS["refused from argv"], expect=2)

    # damaged ciphertext in the work tree: a flipped payload byte, a truncated file, a broken armored secret
    licence = stores / "attachments" / "mini-us" / "licence-scan.pdf.age"
    sealed_bytes = licence.read_bytes()
    licence.write_bytes(sealed_bytes[:-20] + bytes([sealed_bytes[-20] ^ 0xFF]) + sealed_bytes[-19:])
    provoke("bob", None, "open", "mini-us", "licence-scan", "--stdout", expect=3)
    licence.write_bytes(sealed_bytes[: len(sealed_bytes) // 2])
    provoke("bob", None, "open", "mini-us", "licence-scan", "--stdout", expect=3)
    provoke("alice", None, "rekey", "--dry-run", expect=3)
    licence.write_bytes(sealed_bytes)
    project_file = stores / "projects" / "mini-us.yaml"
    text = project_file.read_text()
    data = yamlio.loads(text)
    for key in ("legal_rep_id_number", "seller_password"):
        lines = data["secrets"][key]["age"].split("\n")
        # the last base64 line long enough to flip a character in: the payload's end (its length varies)
        i = max(j for j, line in enumerate(lines) if len(line) > 8 and not line.startswith("-----"))
        lines[i] = lines[i][:8] + ("B" if lines[i][8] == "A" else "A") + lines[i][9:]
        data["secrets"][key]["age"] = "\n".join(lines)
    project_file.write_text(PROJECT_MODELINE + yamlio.dumps(data))
    provoke("bob", None, "secret", "get", "mini-us", "legal_rep_id_number", expect=3)
    provoke("bob", None, "secret", "get", "mini-us", "seller_password", expect=3)
    project_file.write_text(text)
    assert git(stores, "status", "--porcelain") == ""

    messages = "\n".join(text for _, text in scene.outputs)
    assert "cannot decrypt" in messages and "is not a reader" in messages  # the errors did happen
    assert ("error: attachments/mini-us/licence-scan.pdf.age is damaged: cut short or altered since it was "
            "encrypted") in messages
    assert "error: mini-us secret seller_password is damaged" in messages
    assert "Traceback" in messages                                        # and --debug showed them
    assert [leak for label, text in scene.outputs for leak in leaks(label, text)] == []
    assert leaks("git objects after errors", all_objects(stores)) == []
    assert tree_leaks(stores, "stores") == []


def test_a_secret_value_is_never_accepted_from_argv(stores, mini, keys, act):
    head = git(stores, "rev-parse", "HEAD")
    value = SECRETS["refused from argv"]
    attempts = [("secret", "set", "mini-us", "seller_password", value),
                ("secret", "set", "mini-us", "seller_password", "--", value),
                ("secret", "set", "--readers", "ops", "mini-us", "seller_password", value),
                ("secret", "set", "mini-us", "seller_password", "--value", value),
                ("secret", "set", "mini-us", "seller_password", f"--value={value}"),
                ("secret", "set", "mini-us", "seller_password", f"--{value}"),
                ("secret", "set", "mini-us", "seller_password", f"-{value}")]
    for args in attempts:
        result = run_cli("-C", str(stores), *args, input="")
        assert result.exit_code == 2, args
        assert leaks(" ".join(args), result.stdout + result.stderr) == [], result.stderr
    assert git(stores, "rev-parse", "HEAD") == head
    assert "seller_password" not in (stores / "projects" / "mini-us.yaml").read_text()


def test_a_fresh_clone_set_up_by_doctor_refuses_to_commit_a_plaintext_document(stores, mini, keys, tmp_path):
    from gitflow import acting, bare_remote, clone

    remote = bare_remote(stores, tmp_path)
    fresh = clone(remote, tmp_path / "fresh")  # git copies no hooks
    result = run_cli("-C", str(fresh), "doctor", "--json")
    guard = next(c for c in json.loads(result.stdout)["checks"] if c["name"] == "pre-commit-guard")
    assert guard["status"] == "fixed"
    leak = fresh / "attachments" / "mini-us" / "licence-scan.pdf"
    leak.parent.mkdir(parents=True)
    leak.write_bytes(document("licence"))
    with acting("bob"):
        git(fresh, "add", str(leak))
        refused = subprocess.run(["git", "-C", str(fresh), "commit", "-qm", "scan"], capture_output=True, text=True)
    assert refused.returncode == 1
    assert "attachments/mini-us/licence-scan.pdf: plaintext" in refused.stderr
    reachable = subprocess.run(["git", "-C", str(fresh), "rev-list", "--objects", "--all"], capture_output=True,
                               text=True).stdout
    assert "attachments/mini-us/licence-scan.pdf" not in reachable  # nothing a push could carry
    again = json.loads(run_cli("-C", str(fresh), "doctor", "--json").stdout)["checks"]
    assert {c["name"]: c["status"] for c in again}["pre-commit-guard"] == "ok"
