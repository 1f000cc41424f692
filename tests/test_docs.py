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


def test_json_reference_matches_real_output():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_json.py"), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, "docs/json.md is stale: run python docs/gen_json.py\n" + result.stdout + result.stderr


def _tour_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    tour = readme[readme.index("## A five-minute tour"):readme.index("## Guides")]
    return re.findall(r"```sh\n(.*?)```", tour, flags=re.S)


def test_readme_tour_runs_as_written(tmp_path):
    """The README's tour, block by block, in a fresh folder with the example repo."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "storeops"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m storeops \"$@\"\n")
    shim.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = {**__import__("os").environ, "PATH": f"{bin_dir}:{__import__('os').environ['PATH']}", "NO_COLOR": "1"}
    assert subprocess.run(["storeops", "init", "--example", "demo"], cwd=work, env=env).returncode == 0
    script = "set -e\n" + "\n".join(_tour_blocks())
    result = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Letter" in result.stdout or "letter" in result.stdout.lower()  # `open --stdout | head -3` printed it
    assert "cannot decrypt" not in result.stderr and "not rekeyed" not in result.stderr
    assert "storeops rekey --identity .git/storeops-example-keys/" in result.stderr  # `person key` on yourself
    assert (work / "statement.pdf").read_bytes().startswith(b"%PDF")  # the old document opens with the new key
    assert (work / "letters" / "authorization-letter.en.md").read_text().count("ACME Kitchen US") >= 1
    assert (work / "stores" / "projects" / "acme-home-us-amazon-us.yaml").is_file()
    assert (work / "stores" / ".github" / "workflows" / "storeops.yml").is_file()
