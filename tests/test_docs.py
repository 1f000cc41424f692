"""Docs stay true to the code: the generated SOP reference, links, sop copy."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import git, run_cli

from storeops import yamlio

ROOT = Path(__file__).resolve().parent.parent


def test_sop_reference_is_generated_from_the_schema():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_reference.py"), "--check"])
    assert result.returncode == 0, "docs/sop-guide.md is stale: run python docs/gen_reference.py"


def test_links_between_docs_resolve():
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_sop_copy_makes_a_team_override(stores):
    result = run_cli("-C", str(stores), "sop", "copy", "ebay", "--as", "ebay-ours")
    assert result.exit_code == 0, result.stderr
    data = yamlio.load(stores / "sop" / "ebay-ours.yaml")
    assert data["id"] == "ebay-ours" and data["platform"] == "ebay"
    assert git(stores, "log", "-1", "--format=%s").startswith("sop copy ebay@")
    assert run_cli("-C", str(stores), "check").exit_code == 0
    again = run_cli("-C", str(stores), "sop", "copy", "ebay", "--as", "ebay-ours")
    assert again.exit_code == 2 and "already exists" in again.stderr
