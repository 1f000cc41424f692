"""storeops check --base: every commit of a pull request, as CI checks it."""

import json
import shutil
import subprocess

import pytest
from conftest import git, run_cli
from gitflow import acting, cli_as, hand_edit, set_task_field

from storeops import yamlio


@pytest.fixture
def pr(stores, mini):
    """`main` is the base; work happens on the branch `pr`."""
    git(stores, "checkout", "-qb", "pr")
    return mini


def check_base(stores, *extra):
    return run_cli("-C", str(stores), "check", "--base", "main", *extra)


def line_of(stores, project, needle):
    lines = (stores / "projects" / f"{project}.yaml").read_text().split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def submit_bank(stores, mini):
    for args in (("licence",), ("licence", "--to", "done"), ("bank",), ("bank",)):
        assert cli_as("bob", stores, "advance", mini, *args).exit_code == 0


def forge_approval(stores, mini, by="carol", role="finance", who="bob"):
    hand_edit(stores, f"projects/{mini}.yaml", "    valid_days: 30\n",
              f"    valid_days: 30\n  approvals:\n  - by: {by}\n    role: {role}\n    at: '2026-11-20'\n",
              "approve bank", who=who)


def test_a_pull_request_made_with_storeops_commands_passes(stores, pr):
    submit_bank(stores, pr)
    assert cli_as("carol", stores, "approve", pr, "bank").exit_code == 0
    assert cli_as("bob", stores, "advance", pr, "bank", "--to", "done").exit_code == 0
    result = check_base(stores)
    assert (result.exit_code, result.stdout) == (0, "")


def test_check_base_catches_a_forged_approval(stores, pr):
    submit_bank(stores, pr)
    forge_approval(stores, pr)
    sha = git(stores, "rev-parse", "--short=9", "HEAD").strip()
    result = check_base(stores)
    assert result.exit_code == 1
    line = line_of(stores, pr, "  - by: carol")
    assert result.stdout == (
        f"projects/mini-us.yaml:{line}: commit {sha} by Bob Ops <bob@example.com>: approval of bank by carol "
        "(finance) was committed by bob@example.com (bob); only carol may record it "
        "(storeops approve mini-us bank, as carol)\n")
    assert "1 problem(s)" in result.stderr


def test_check_base_catches_an_illegal_jump_in_one_commit(stores, pr):
    set_task_field(stores, pr, "licence", "state", "done", "licence finished")
    result = check_base(stores, "--json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["code"] == "transition"
    assert problem["path"] == "projects/mini-us.yaml" and problem["line"] == line_of(stores, pr, "  state: done")
    assert problem["message"].endswith("licence cannot go todo → done (from todo: blocked, in_progress)")


def test_check_base_checks_each_commit_not_only_the_result(stores, pr):
    set_task_field(stores, pr, "licence", "state", "done", "jump")
    set_task_field(stores, pr, "licence", "state", "in_progress", "and back")
    result = check_base(stores)
    assert result.exit_code == 1 and "licence cannot go todo → done" in result.stdout
    assert len(result.stdout.splitlines()) == 1  # done → in_progress is a legal reopening


def test_check_base_catches_unmet_dependencies_and_a_missing_approval(stores, pr):
    set_task_field(stores, pr, "bank", "state", "in_progress", "start the bank early")
    set_task_field(stores, pr, "licence", "state", "in_progress", "licence")
    set_task_field(stores, pr, "licence", "state", "done", "licence done")
    set_task_field(stores, pr, "bank", "state", "submitted", "bank submitted")
    set_task_field(stores, pr, "bank", "state", "done", "bank done")
    out = check_base(stores).stdout
    assert "bank waits for licence (not done yet)" in out
    assert "bank needs an approval by someone with the finance role other than the assignee" in out
    assert len(out.splitlines()) == 2


def test_an_approval_may_not_come_from_a_role_granted_in_the_same_pull_request(stores, pr):
    submit_bank(stores, pr)
    hand_edit(stores, "storeops.yaml", "  - ops\n", "  - ops\n  - finance\n", "bob does finance now", who="bob")
    forge_approval(stores, pr, by="bob", who="bob")
    out = check_base(stores).stdout
    assert "bob approved bank as finance but does not hold that role" in out


def test_check_base_refuses_edits_of_an_archived_project(stores, mini):
    hand_edit(stores, f"projects/{mini}.yaml", "archived: null",
              "archived:\n  at: '2026-12-01'\n  outcome: abandoned\n  reason: budget", "archive", who="alice")
    git(stores, "checkout", "-qb", "pr")
    hand_edit(stores, f"projects/{mini}.yaml", "store: Mini Store", "store: Mini Store 2", "rename store")
    out = check_base(stores).stdout
    assert "mini-us is archived and read-only; reopen it in its own commit first (storeops reopen mini-us)" in out


def test_check_base_allows_reopening_an_archived_project(stores, mini):
    hand_edit(stores, f"projects/{mini}.yaml", "archived: null",
              "archived:\n  at: '2026-12-01'\n  outcome: abandoned\n  reason: budget", "archive", who="alice")
    git(stores, "checkout", "-qb", "pr")
    hand_edit(stores, f"projects/{mini}.yaml",
              "archived:\n  at: '2026-12-01'\n  outcome: abandoned\n  reason: budget", "archived: null", "reopen")
    assert check_base(stores).exit_code == 0


def test_check_base_catches_plaintext_of_a_sensitive_document(stores, pr):
    folder = stores / "attachments" / pr
    folder.mkdir(parents=True)
    (folder / "licence-scan.pdf").write_bytes(b"%PDF-1.4 licence")
    (folder / "licence-scan.pdf.age").write_bytes(b"age-encryption.org/v1\n...")
    (folder / "shop-photo.jpg").write_bytes(b"\xff\xd8 not a document")
    git(stores, "add", "attachments")
    with acting("bob"):  # the local pre-commit guard would refuse; CI must catch a bypass
        git(stores, "commit", "--no-verify", "-qm", "scans")
    result = check_base(stores, "--json")
    found = {p["path"]: p for p in json.loads(result.stdout)["problems"]}
    problem = found["attachments/mini-us/licence-scan.pdf"]
    assert problem["code"] == "plaintext"
    assert "plaintext of the sensitive document licence-scan is now in git history" in problem["message"]
    # and what no project declares, or names .age without being ciphertext (issue 14)
    assert found["attachments/mini-us/licence-scan.pdf.age"]["code"] == "plaintext"
    assert found["attachments/mini-us/shop-photo.jpg"]["code"] == "plaintext"
    assert len(found) == 3


def test_check_base_refuses_a_changed_approval_gate(stores, pr):
    hand_edit(stores, f"projects/{pr}.yaml", "  requires_approval: finance\n", "", "no gate")
    out = check_base(stores).stdout
    assert "approval gate of bank finance → none: approval gates come from the SOP" in out


def test_a_new_project_in_a_pull_request_starts_with_tasks_todo(stores, pr):
    text = (stores / "projects" / f"{pr}.yaml").read_text()
    (stores / "projects" / "copy.yaml").write_text(
        text.replace(f"id: {pr}", "id: copy").replace("state: todo", "state: done", 1))
    git(stores, "add", "projects/copy.yaml")
    with acting("bob"):
        git(stores, "commit", "-qm", "import")
    out = check_base(stores).stdout
    assert "projects/copy.yaml:" in out
    assert "new project: licence cannot go todo → done" in out


def test_check_base_names_an_unknown_base(stores, mini):
    result = run_cli("-C", str(stores), "check", "--base", "origin/nope")
    assert result.exit_code == 2 and "unknown revision 'origin/nope'" in result.stderr


def test_require_signed_needs_base(stores):
    result = run_cli("-C", str(stores), "check", "--require-signed")
    assert result.exit_code == 2 and "--require-signed goes with --base REF" in result.stderr


def _ssh_key(tmp_path, name):
    key = tmp_path / f"{name}_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@example.com", "-f", str(key)],
                   check=True)
    return key


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen for ssh commit signing")
def test_require_signed_wants_the_approvers_own_signature(stores, pr, tmp_path):
    carol, bob = _ssh_key(tmp_path, "carol"), _ssh_key(tmp_path, "bob")
    allowed = tmp_path / "allowed_signers"
    allowed.write_text("".join(f"{n}@example.com {(k.with_suffix('.pub')).read_text()}" for n, k in
                               (("carol", carol), ("bob", bob))))
    git(stores, "config", "gpg.format", "ssh")
    git(stores, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    submit_bank(stores, pr)
    assert cli_as("carol", stores, "approve", pr, "bank").exit_code == 0
    result = check_base(stores, "--require-signed")
    assert result.exit_code == 1
    assert "approval of bank by carol: the commit is not signed or its signature does not verify" in result.stdout

    git(stores, "reset", "-q", "--hard", "HEAD~1")
    git(stores, "config", "commit.gpgsign", "true")
    git(stores, "config", "user.signingkey", str(bob))
    assert cli_as("carol", stores, "approve", pr, "bank").exit_code == 0
    out = check_base(stores, "--require-signed").stdout
    assert "the commit is signed by 'bob@example.com', not by carol@example.com" in out

    git(stores, "reset", "-q", "--hard", "HEAD~1")
    git(stores, "config", "user.signingkey", str(carol))
    assert cli_as("carol", stores, "approve", pr, "bank").exit_code == 0
    result = check_base(stores, "--require-signed")
    assert (result.exit_code, result.stdout) == (0, "")
    assert yamlio.load(stores / "projects" / f"{pr}.yaml")["tasks"][1]["approvals"][0]["by"] == "carol"


# ---- merges: a merge is judged by what it changes itself, the commits it brings in by their own authors ----

def work_on_main_after_pr_branched(stores):
    """main moves on after `pr` branched: a new project (born, advanced, approved by carol) and mini-us's licence."""
    git(stores, "checkout", "-q", "main")
    assert cli_as("alice", stores, "new", "mini", "--store", "Biz Store", "--owner", "bob", "--id", "biz-us",
                  "--start", "2026-11-03").exit_code == 0
    submit_bank(stores, "biz-us")
    assert cli_as("carol", stores, "approve", "biz-us", "bank").exit_code == 0
    assert cli_as("bob", stores, "advance", "biz-us", "bank", "--to", "done").exit_code == 0
    for args in (("licence",), ("licence", "--to", "done")):
        assert cli_as("bob", stores, "advance", "mini-us", *args).exit_code == 0
    git(stores, "checkout", "-q", "pr")


def work_on_pr(stores):
    """On the branch, dave takes the video task of the same project file main changes."""
    assert cli_as("bob", stores, "assign", "mini-us", "video", "dave").exit_code == 0


def merge(stores, ref, who="bob", *extra):
    with acting(who):
        git(stores, "merge", "-q", "--no-ff", "--no-edit", *extra, ref)


@pytest.fixture
def driver_runs_this_code(monkeypatch):
    from gitflow import use_this_checkout

    use_this_checkout(monkeypatch)


def test_merging_main_into_a_branch_blames_no_one_for_what_main_brings_in(stores, pr, driver_runs_this_code):
    work_on_pr(stores)
    work_on_main_after_pr_branched(stores)
    merge(stores, "main")
    merged = yamlio.load(stores / "projects" / "mini-us.yaml")
    assert [t["state"] for t in merged["tasks"]][0] == "done"   # main's licence, merged by field
    assert [t.get("assignee") for t in merged["tasks"] if t["id"] == "video"] == ["dave"]
    result = check_base(stores)
    assert (result.exit_code, result.stdout) == (0, "")


def test_commits_a_merge_brings_in_from_inside_the_range_are_judged_by_their_authors(stores, pr,
                                                                                     driver_runs_this_code):
    start = git(stores, "rev-parse", "HEAD").strip()
    work_on_pr(stores)
    work_on_main_after_pr_branched(stores)
    git(stores, "checkout", "-q", "main")
    forge_approval(stores, "mini-us", by="carol", who="dave")   # on main, in the file the branch changes too
    git(stores, "checkout", "-q", "pr")
    merge(stores, "main")
    forged = git(stores, "rev-parse", "--short=9", "main").strip()
    result = run_cli("-C", str(stores), "check", "--base", start)
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith("projects/mini-us.yaml:") and f"commit {forged} by Dave Legal <dave@example.com>" in line
    assert "approval of bank by carol (finance) was committed by dave@example.com" in line
    assert "new project" not in result.stdout and "Bob Ops" not in result.stdout


def test_merging_the_branch_into_main_judges_the_branchs_commits_not_the_merger(stores, pr, driver_runs_this_code):
    submit_bank(stores, pr)
    forge_approval(stores, pr, who="bob")
    forged = git(stores, "rev-parse", "--short=9", "HEAD").strip()
    work_on_main_after_pr_branched(stores)
    git(stores, "checkout", "-q", "main")
    before = git(stores, "rev-parse", "HEAD").strip()
    merge(stores, "pr", "alice")
    assert len(git(stores, "show", "-s", "--format=%P", "HEAD").split()) == 2
    result = run_cli("-C", str(stores), "check", "--base", before)
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert f"commit {forged} by Bob Ops <bob@example.com>: approval of bank by carol (finance)" in line
    assert "Alice" not in result.stdout


def test_a_forged_approval_hidden_in_a_merge_resolution_is_blamed_on_the_merger(stores, pr, driver_runs_this_code):
    submit_bank(stores, pr)
    work_on_main_after_pr_branched(stores)
    with acting("bob"):
        git(stores, "merge", "-q", "--no-ff", "--no-commit", "main")
    path = stores / "projects" / "mini-us.yaml"
    text = path.read_text()
    assert "    valid_days: 30\n" in text
    path.write_text(text.replace("    valid_days: 30\n", "    valid_days: 30\n  approvals:\n  - by: carol\n"
                                 "    role: finance\n    at: '2026-11-20'\n", 1))
    git(stores, "add", "projects/mini-us.yaml")
    with acting("bob"):
        git(stores, "commit", "-q", "--no-edit")
    merge_sha = git(stores, "rev-parse", "--short=9", "HEAD").strip()
    result = check_base(stores)
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line == (f"projects/mini-us.yaml:{line_of(stores, pr, '  - by: carol')}: commit {merge_sha} by Bob Ops "
                    "<bob@example.com>: approval of bank by carol (finance) was committed by bob@example.com (bob); "
                    "only carol may record it (storeops approve mini-us bank, as carol)")


def test_a_project_forged_whole_inside_a_merge_is_judged_as_new(stores, pr, driver_runs_this_code):
    work_on_pr(stores)
    work_on_main_after_pr_branched(stores)
    with acting("bob"):
        git(stores, "merge", "-q", "--no-ff", "--no-commit", "main")
    text = (stores / "projects" / "mini-us.yaml").read_text()
    (stores / "projects" / "copy.yaml").write_text(
        text.replace("id: mini-us", "id: copy").replace("state: todo", "state: done", 1))
    git(stores, "add", "projects/copy.yaml")
    with acting("bob"):
        git(stores, "commit", "-q", "--no-edit")
    out = check_base(stores).stdout
    assert out.startswith("projects/copy.yaml:") and "by Bob Ops" in out
    assert "projects/biz-us.yaml" not in out


def add_plaintext_scan(stores, project, name="licence-scan.pdf"):
    folder = stores / "attachments" / project
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"%PDF-1.4 licence")
    git(stores, "add", "attachments")


def test_plaintext_a_merge_brings_in_from_the_base_is_not_the_mergers_but_one_it_adds_is(stores, pr,
                                                                                        driver_runs_this_code):
    work_on_pr(stores)
    git(stores, "checkout", "-q", "main")
    add_plaintext_scan(stores, "mini-us")
    with acting("dave"):
        git(stores, "commit", "--no-verify", "-qm", "scan, already on main")
    git(stores, "checkout", "-q", "pr")
    merge(stores, "main")
    assert check_base(stores).exit_code == 0

    git(stores, "reset", "-q", "--hard", "HEAD~1")
    with acting("bob"):
        git(stores, "merge", "-q", "--no-ff", "--no-commit", "main")
    add_plaintext_scan(stores, "mini-us", "licence-scan.jpg")
    with acting("bob"):
        git(stores, "commit", "--no-verify", "-q", "--no-edit")
    result = check_base(stores, "--json")
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["path"] == "attachments/mini-us/licence-scan.jpg" and problem["code"] == "plaintext"
    assert "by bob@example.com" in problem["message"]
