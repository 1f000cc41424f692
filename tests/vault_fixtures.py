"""Shared by the tests/test_vault*.py files: a team with age keys, and acting as one of them.

Import the fixtures into a test module (`from vault_fixtures import keys, act`) so pytest sees them.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import git, run_cli

from storeops import yamlio

PEOPLE = ("alice", "bob", "carol", "dave")
LICENCE = b"%PDF-1.4 licence scan: ACME Trading Co. reg no 91310000MA1FL2XQ7K \x00\x01\x02 unique-licence-bytes\n"
STATEMENT = b"%PDF-1.4 bank statement: account 6222 0212 3456 7890 balance 88,123.45 unique-statement-bytes\n"


@dataclass
class Keys:
    paths: dict[str, Path]       # identity file per person
    recipients: dict[str, str]   # age1... per person


def make_identity(path: Path) -> str:
    from pyrage import x25519

    identity = x25519.Identity.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# public key: {identity.to_public()}\n{identity}\n")
    os.chmod(path, 0o600)
    return str(identity.to_public())


@pytest.fixture
def keys(stores, tmp_path) -> Keys:
    """Every person of the `stores` team gets an age identity in tmp_path/keys and their key in storeops.yaml."""
    paths, recipients = {}, {}
    for name in PEOPLE:
        paths[name] = tmp_path / "keys" / f"{name}.txt"
        recipients[name] = make_identity(paths[name])
    # one commit instead of four `storeops person key` runs (tested on their own in test_vault.py)
    config = yamlio.load(stores / "storeops.yaml")
    for person in config["people"]:
        person["age"] = recipients[person["name"]]
    (stores / "storeops.yaml").write_text(yamlio.dumps(config))
    git(stores, "commit", "-qm", "keys for everyone", "storeops.yaml")
    return Keys(paths, recipients)


@pytest.fixture
def act(monkeypatch, keys):
    """act("bob"): later commands run as bob (git identity and age identity)."""
    def become(name: str, identity: Path | None = None) -> None:
        for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
            monkeypatch.setenv(var, name.title())
        for var in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
            monkeypatch.setenv(var, f"{name}@example.com")
        monkeypatch.setenv("STOREOPS_IDENTITY", str(identity or keys.paths[name]))

    become("alice")
    return become


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "inbox" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def document(stores: Path, project: str, doc_id: str) -> dict:
    data = yamlio.load(stores / "projects" / f"{project}.yaml")
    return next(d for t in data["tasks"] for d in t.get("documents", []) if d["id"] == doc_id)


def all_objects(root: Path) -> bytes:
    """Every object in the repository, decompressed: what a push or a clone could carry."""
    return subprocess.run(["git", "-C", str(root), "cat-file", "--batch-all-objects", "--batch"],
                          capture_output=True, check=True).stdout


def attach(stores: Path, *args: str):
    return run_cli("-C", str(stores), "attach", *args)
