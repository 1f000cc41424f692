"""The tour does not lock you out: the line init --example prints works from where you are, and
replacing your own key says how to rekey with the old one, which `rekey --identity` takes."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

from conftest import run_cli


def test_printed_open_line_writes_beside_you_and_rekey_reads_with_old_and_new_keys(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    built = run_cli("init", "--example", "demo", cwd=work)
    assert built.exit_code == 0, built.stderr
    line = next(line for line in built.stderr.splitlines() if " open acme-amazon-us " in line)
    command = line[line.index("STOREOPS_IDENTITY="):]
    assignment, rest = command.split(" ", 1)
    env = dict(os.environ, STOREOPS_IDENTITY=assignment.split("=", 1)[1])
    args = shlex.split(rest)
    assert args[0] == "storeops" and "-o" in args
    done = subprocess.run([sys.executable, "-m", "storeops", *args[1:]], cwd=work, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (work / "statement.pdf").read_bytes().startswith(b"%PDF")  # here, not inside demo/
    assert not (work / "demo" / "statement.pdf").exists()

    demo = work / "demo"
    new_key = tmp_path / "new-key.txt"
    monkeypatch.setenv("STOREOPS_IDENTITY", str(new_key))
    made = run_cli("keygen", "--output", str(new_key))
    recipient = re.search(r"age1\w+", made.stdout + made.stderr).group()
    replaced = run_cli("person", "key", "--age-recipient", recipient, cwd=demo)
    assert replaced.exit_code == 0, replaced.stderr
    hint = re.search(r"next: storeops rekey --identity (\S+)", replaced.stderr)
    assert hint and hint.group(1).startswith(".git/storeops-example-keys/"), replaced.stderr
    locked = run_cli("rekey", "--dry-run", cwd=demo)  # the new key alone cannot open the old documents
    assert locked.exit_code == 3
    rekeyed = run_cli("rekey", "--identity", hint.group(1), cwd=demo)
    assert rekeyed.exit_code == 0, rekeyed.stderr
    assert "not rekeyed" not in rekeyed.stderr
    opened = run_cli("open", "acme-amazon-us", "bank-statement", "-o", str(tmp_path / "again.pdf"), cwd=demo)
    assert opened.exit_code == 0, opened.stderr  # with the new key alone now


def test_rekey_identity_must_exist(stores):
    result = run_cli("-C", str(stores), "rekey", "--identity", "/nonexistent/old.txt")
    assert result.exit_code == 3 and "no such identity file" in result.stderr
