"""Shell completion through the protocol bash, zsh and fish speak to storeops (a real subprocess each)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import example_repo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return example_repo(tmp_path_factory, "completion")


def complete(shell: str, line: str, cwd) -> list[str]:
    """What storeops offers for the last word of `line` (empty when it ends with a space)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMP_", "_TYPER", "_STOREOPS"))}
    env["_STOREOPS_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        words = line.split()
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([sys.executable, "-m", "storeops"], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    out = done.stdout
    if shell == "zsh":  # _arguments '*: :(("bob" "bobby"))'
        inner = out[out.find("((") + 2: out.rfind("))")] if "((" in out else ""
        return [w.strip('"').split(":")[0] for w in inner.split() if w.strip('"')]
    return [w.split("\t")[0] for w in out.split()]


CASES = [
    ("storeops -C demo advance acme-amazon-us bank", ["bank-statement"]),
    ("storeops -C demo status --owner b", ["bob"]),
    ("storeops -C demo board --platform amazon-", ["amazon-eu", "amazon-jp", "amazon-us"]),
    ("storeops -C demo status --status under", ["under_review"]),
    ("storeops -C demo reject acme-amazon-us --reason video", ["video-face-mismatch"]),
    ("storeops -C demo attach acme-amazon-us scan.pdf --doc bank-", ["bank-account-declaration", "bank-statement"]),
    ("storeops -C demo open acme-amazon-us utility", ["utility-bill"]),
    ("storeops -C demo advance acme-amazon-us legal-rep-id --to sub", ["submitted"]),
    ("storeops -C demo person remove car", ["carol"]),
    ("storeops -C demo person add --role fin", ["finance"]),
    ("storeops -C demo new amazon-u", ["amazon-us"]),
    ("storeops -C demo log acme-tik", ["acme-tiktok-uk"]),
    ("storeops -C demo secret set acme-amazon-us pin --readers finance,ca", ["finance,carol"]),
    ("storeops -C demo handover car", ["carol"]),
    ("storeops -C demo handover bob --to da", ["dave"]),
    ("storeops -C demo handover bob --to carol --project acme-tik", ["acme-tiktok-uk"]),
    ("storeops -C demo sop templates amazon-us --copy-to x --project acme-amazon-u", ["acme-amazon-us"]),
]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line, expected", CASES, ids=[c[0].split(" ", 3)[3] for c in CASES])
def test_arguments_and_options_complete_from_the_repo_named_by_dash_c(demo, shell, line, expected):
    assert complete(shell, line, demo.parent) == expected


def test_completion_outside_a_stores_repo_offers_nothing_and_does_not_fail(tmp_path):
    assert complete("bash", "storeops advance ", tmp_path) == []


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o"), ("zsh", "#compdef storeops"),
                                           ("fish", "complete --command storeops")])
def test_show_completion_prints_the_named_shells_script(shell, marker):
    done = subprocess.run([sys.executable, "-m", "storeops", "--show-completion", shell], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and marker in done.stdout
