"""storeops diff, forge / init --forge, and the pre-commit hooks this repository ships."""

import json
import re
from pathlib import Path

from conftest import git, run_cli
from gitflow import cli_as, hand_edit

from storeops import yamlio
from vault_fixtures import LICENCE, act, keys, write  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent


def test_diff_of_a_range_in_domain_words(stores, mini):
    git(stores, "tag", "base")
    cli_as("bob", stores, "advance", mini, "licence")
    cli_as("carol", stores, "schedule", mini, "bank", "--due", "2026-12-05")
    result = run_cli("-C", str(stores), "diff", "base..HEAD")
    assert result.exit_code == 0
    assert result.stdout == ("mini-us (projects/mini-us.yaml, modified)\n"
                             "  licence: todo → in_progress\n"
                             "  due of bank 2026-11-07 → 2026-12-05\n")


def test_diff_with_three_dots_starts_at_the_merge_base(stores, mini):
    git(stores, "checkout", "-qb", "pr")
    cli_as("bob", stores, "advance", mini, "licence")
    git(stores, "checkout", "-q", "main")
    cli_as("carol", stores, "schedule", mini, "bank", "--due", "2026-12-05")
    payload = json.loads(run_cli("-C", str(stores), "diff", "main...pr", "--format", "json").stdout)
    assert [c["text"] for p in payload["projects"] for c in p["changes"]] == ["licence: todo → in_progress"]
    assert payload["version"] == 1 and payload["projects"][0]["status"] == "modified"
    assert payload["base"] == git(stores, "merge-base", "main", "pr").strip()


def test_diff_without_arguments_shows_uncommitted_edits(stores, mini):
    path = stores / "projects" / f"{mini}.yaml"
    path.write_text(path.read_text().replace("target: null", "target: '2027-01-31'"))
    new = stores / "projects" / "other.yaml"
    new.write_text(path.read_text().replace(f"id: {mini}", "id: other"))
    payload = json.loads(run_cli("-C", str(stores), "diff", "--json").stdout)
    assert [(p["project"], p["status"], [c["text"] for c in p["changes"]]) for p in payload["projects"]] == [
        ("mini-us", "modified", ["target none → 2027-01-31"]),
        ("other", "added", ["project created from mini@2026.1 (Mini Store)"]),
    ]
    assert payload["head"] is None


def test_diff_markdown_for_a_job_summary_escapes_user_text(stores, mini):
    git(stores, "tag", "base")
    for args in (("licence",), ("licence", "--to", "done"), ("bank",), ("bank",)):
        cli_as("bob", stores, "advance", mini, *args)
    cli_as("carol", stores, "approve", mini, "bank")
    hand_edit(stores, f"projects/{mini}.yaml", "store: Mini Store", "store: '[click](http://evil) <b>'", "x")
    result = run_cli("-C", str(stores), "diff", "base..HEAD", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "### storeops: 1 project(s) changed in `base..HEAD`"
    assert "**mini-us** (modified, 4 changes)" in lines
    assert "- ✅ approved bank (finance) by carol" in lines
    assert r"- store Mini Store → \[click\](http://evil) \<b\>" in lines


def a_pull_request_creating_a_project(stores, act, tmp_path):
    """On branch pr: alice creates biz-us; bob does the licence (scan attached) and submits the bank step; carol
    approves it."""
    git(stores, "checkout", "-qb", "pr")
    assert run_cli("-C", str(stores), "new", "mini", "--store", "Biz Store", "--owner", "bob", "--id", "biz-us",
                   "--start", "2026-11-03").exit_code == 0
    act("bob")
    assert run_cli("-C", str(stores), "advance", "biz-us", "licence").exit_code == 0
    result = run_cli("-C", str(stores), "attach", "biz-us", str(write(tmp_path, "licence.pdf", LICENCE)),
                     "--doc", "licence-scan")
    assert result.exit_code == 0, result.stderr
    for args in (("licence", "--to", "done"), ("bank",), ("bank", "--note", "statement from the bank's app")):
        assert run_cli("-C", str(stores), "advance", "biz-us", *args).exit_code == 0
    act("carol")
    assert run_cli("-C", str(stores), "approve", "biz-us", "bank").exit_code == 0


def test_diff_of_a_pull_request_that_creates_a_project_shows_what_it_already_holds(stores, mini, act, tmp_path):
    a_pull_request_creating_a_project(stores, act, tmp_path)
    result = run_cli("-C", str(stores), "diff", "main...pr", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "**biz-us** (added, 6 changes)" in lines
    start = lines.index("**biz-us** (added, 6 changes)") + 2
    assert lines[start:start + 6] == [
        "- project created from mini@2026.1 (Biz Store)",
        "- licence: todo → done",
        "- document licence-scan added",
        "- bank: todo → submitted",
        "- ✅ approved bank (finance) by carol",
        "- note on bank: statement from the bank's app",
    ]
    text = run_cli("-C", str(stores), "diff", "main...pr").stdout
    assert text.startswith("biz-us (projects/biz-us.yaml, added)\n  project created from mini@2026.1 (Biz Store)\n"
                           "  licence: todo → done\n")
    assert "  approved bank (finance) by carol\n" in text and "  document licence-scan added\n" in text


def test_diff_of_a_created_project_in_chinese(stores, mini, act, tmp_path):
    a_pull_request_creating_a_project(stores, act, tmp_path)
    for fmt in ("text", "markdown"):
        out = run_cli("-C", str(stores), "--lang", "zh", "diff", "main...pr", "--format", fmt).stdout
        lines = [line for line in out.splitlines() if line.strip()]
        assert len(lines) >= 7
        assert all(re.search(r"[\u3000-\u9fff]", line) for line in lines[1:]), out


def test_diff_names_a_bad_revision(stores, mini):
    result = run_cli("-C", str(stores), "diff", "nope..HEAD")
    assert result.exit_code == 2 and "unknown revision 'nope'" in result.stderr


def test_init_with_forge_github_writes_ci_and_codeowners(tmp_path):
    target = tmp_path / "stores"
    result = run_cli("init", str(target), "--forge", "github", "--install", "storeops==0.1.0")
    assert result.exit_code == 0, result.stderr
    workflow = yamlio.loads((target / ".github/workflows/storeops.yml").read_text().replace("on:", "'on':", 1))
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in steps]
    assert "pip install storeops==0.1.0\n" in runs
    assert "storeops check" in runs
    assert any('storeops check --base "origin/$BASE"' in r for r in runs)
    assert any('storeops diff "origin/$BASE...HEAD" --format markdown >> "$GITHUB_STEP_SUMMARY"' in r for r in runs)
    assert all("${{" not in r for r in runs)  # github context reaches scripts through env only
    owners = (target / ".github/CODEOWNERS").read_text()
    assert "# /attachments/**/bank-statement.*" in owners and "@your-org/team-finance" in owners
    assert all(line.startswith("#") for line in owners.splitlines() if line.strip())
    assert git(target, "log", "-1", "--format=%s").strip() == "forge github: CI and CODEOWNERS"
    assert git(target, "config", "--get", "merge.storeops.driver").strip().endswith(" %O %A %B %P")


def test_forge_gitlab_on_an_existing_repo_and_refusing_to_overwrite(stores):
    result = run_cli("-C", str(stores), "forge", "gitlab", "--install", "storeops==0.1.0")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [".gitlab/storeops.gitlab-ci.yml", ".gitlab/CODEOWNERS", ".gitlab-ci.yml"]
    job = yamlio.loads((stores / ".gitlab/storeops.gitlab-ci.yml").read_text())["storeops"]
    assert any("storeops check --base" in line for line in job["script"])
    again = run_cli("-C", str(stores), "forge", "gitlab", "--install", "storeops==0.1.0")
    assert again.exit_code == 0 and "already up to date" in again.stderr
    (stores / ".gitlab/CODEOWNERS").write_text("* @mine\n")
    refused = run_cli("-C", str(stores), "forge", "gitlab", "--install", "storeops==0.1.0")
    assert refused.exit_code == 2 and ".gitlab/CODEOWNERS exists and differs" in refused.stderr
    assert (stores / ".gitlab/CODEOWNERS").read_text() == "* @mine\n"


def test_pre_commit_hooks_run_real_commands(stores, mini):
    hooks = yamlio.loads((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"storeops-check", "storeops-fmt"}
    for hook in hooks:
        args = hook["entry"].split()[1:]
        assert args[:2] in (["hook", "run"],) and args[2] in ("check", "fmt")
        assert run_cli("-C", str(stores), *args).exit_code == 0
        assert hook["language"] == "python" and hook["require_serial"] is True
