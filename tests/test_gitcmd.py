"""commit_paths: one commit of exactly the given paths, built without rewriting the whole tree."""

import subprocess

import pytest
from conftest import git

from storeops import gitcmd


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for rel, text in (("storeops.yaml", "team: t\n"), ("projects/a.yaml", "id: a\n"), ("projects/b.yaml", "id: b\n"),
                      ("attachments/a/licence.pdf", "pdf\n")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    return root


def changed_in_head(root):
    return git(root, "show", "--name-status", "--format=", "HEAD").split("\n")[:-1]


def test_commits_only_the_paths_and_leaves_staged_work_alone(repo):
    (repo / "projects" / "a.yaml").write_text("id: a\nstate: done\n")
    (repo / "mine.txt").write_text("draft\n")
    git(repo, "add", "mine.txt")
    (repo / "projects" / "b.yaml").write_text("id: b\nedited: by hand\n")  # not ours to commit
    gitcmd.commit_paths(repo, ["projects/a.yaml"], "advance a\n\nStoreops-Action: advance\n")
    assert changed_in_head(repo) == ["M\tprojects/a.yaml"]
    assert git(repo, "show", "HEAD:projects/a.yaml") == "id: a\nstate: done\n"
    assert git(repo, "status", "--porcelain").splitlines() == ["A  mine.txt", " M projects/b.yaml"]


def test_adds_files_in_new_folders_and_removes_files_in_one_commit(repo):
    (repo / "attachments" / "b").mkdir()
    (repo / "attachments" / "b" / "scan.pdf.age").write_text("age\n")
    (repo / "projects" / "b.yaml").unlink()
    (repo / "attachments" / "a" / "licence.pdf").unlink()
    gitcmd.commit_paths(repo, ["attachments/b/scan.pdf.age", "projects/b.yaml", "attachments/a/licence.pdf"], "move\n")
    assert sorted(changed_in_head(repo)) == ["A\tattachments/b/scan.pdf.age", "D\tattachments/a/licence.pdf",
                                             "D\tprojects/b.yaml"]
    assert git(repo, "ls-tree", "--name-only", "HEAD", "attachments/") == "attachments/b\n"  # empty folder gone
    assert git(repo, "status", "--porcelain") == ""
    subprocess.run(["git", "-C", str(repo), "fsck", "--strict", "--no-dangling"], check=True, capture_output=True)


def test_new_entries_keep_gits_tree_order(repo):
    # a folder sorts as if its name ended in "/": "projects" comes after "projects.yaml" and before "projects0"
    for name in ("projects.yaml", "projects0", "a-first.txt"):
        (repo / name).write_text("x\n")
    gitcmd.commit_paths(repo, ["projects.yaml", "projects0", "a-first.txt"], "add\n")
    subprocess.run(["git", "-C", str(repo), "fsck", "--strict", "--no-dangling"], check=True, capture_output=True)
    assert git(repo, "ls-tree", "--name-only", "HEAD").split() == [
        "a-first.txt", "attachments", "projects.yaml", "projects", "projects0", "storeops.yaml"]


def test_unchanged_files_make_no_commit(repo):
    head = git(repo, "rev-parse", "HEAD")
    assert gitcmd.commit_paths(repo, ["projects/a.yaml"], "nothing\n") == head.strip()
    assert git(repo, "rev-parse", "HEAD") == head


def test_message_is_cleaned_like_git_commit_does(repo):
    message = "\n\nsubject  \n\n\n\nbody line\t\n\nStoreops-Action: x\n\n"
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 1\n")
    gitcmd.commit_paths(repo, ["projects/a.yaml"], message)
    expected = subprocess.run(["git", "stripspace"], input=message, capture_output=True, text=True).stdout
    assert git(repo, "log", "-1", "--format=%B") == expected + "\n"


def test_author_comes_from_the_environment_and_the_reflog_reads_like_git_commit(repo):
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 2\n")
    env = {"GIT_AUTHOR_NAME": "Bob", "GIT_AUTHOR_EMAIL": "bob@example.com", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05+0000"}
    gitcmd.commit_paths(repo, ["projects/a.yaml"], "advance a: x\n", env=env)
    assert git(repo, "log", "-1", "--format=%an <%ae> %aI") == "Bob <bob@example.com> 2026-01-02T03:04:05+00:00\n"
    assert git(repo, "reflog", "-1", "--format=%gs") == "commit: advance a: x\n"


def test_executable_bit_is_kept(repo):
    script = repo / "tool.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    gitcmd.commit_paths(repo, ["tool.sh"], "tool\n")
    assert git(repo, "ls-tree", "HEAD", "tool.sh").startswith("100755 blob ")


def test_a_commit_made_meanwhile_is_never_overwritten(repo, monkeypatch):
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 3\n")
    real = gitcmd._read_trees

    def someone_commits_first(root, head, folders):
        (repo / "other.txt").write_text("theirs\n")
        git(repo, "add", "other.txt")
        git(repo, "commit", "-qm", "theirs")
        return real(root, head, folders)

    monkeypatch.setattr(gitcmd, "_read_trees", someone_commits_first)
    gitcmd.commit_paths(repo, ["projects/a.yaml"], "ours\n")
    assert git(repo, "log", "-2", "--format=%s") == "ours\ntheirs\n"  # ours goes on top (git commit's way)
    assert changed_in_head(repo) == ["M\tprojects/a.yaml"]
    assert git(repo, "status", "--porcelain") == ""


def test_commit_hooks_run_through_git_commit(repo):
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.write_text("#!/bin/sh\ntouch hook-ran\n")
    hook.chmod(0o755)
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 4\n")
    gitcmd.commit_paths(repo, ["projects/a.yaml"], "with hook\n")
    assert (repo / "hook-ran").exists()
    assert changed_in_head(repo) == ["M\tprojects/a.yaml"]


def test_tree_edits_splice_exactly_the_named_entry():
    ids = [bytes([0x31] * 20), bytes(range(20)), b" x.yaml\0" + bytes(12)]  # ids that look like text
    raw = b"".join(gitcmd._entry(mode, oid.hex(), name, 20) for mode, oid, name in [
        ("100644", ids[0], "a.yaml"), ("40000", ids[1], "folder"), ("100644", ids[2], "x.yaml")])
    new = gitcmd._entry("100644", "ab" * 20, "x.yaml", 20)
    edited = gitcmd._apply(raw, {b"x.yaml": new}, 20)
    assert edited == raw[: raw.index(b"100644 x.yaml")] + new
    assert gitcmd._apply(raw, {b"folder": None}, 20) == raw.replace(gitcmd._entry("40000", ids[1].hex(), "folder", 20), b"")


def _no_porcelain(monkeypatch):
    def refuse(*args):
        raise AssertionError("took git commit")

    monkeypatch.setattr(gitcmd, "_commit_porcelain", refuse)


def test_storeops_own_guard_hook_does_not_need_git_commit(repo, monkeypatch):
    from storeops import hook

    hook.install(repo)
    _no_porcelain(monkeypatch)
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 5\n")
    gitcmd.commit_paths(repo, ["projects/a.yaml"], "guarded\n")
    assert changed_in_head(repo) == ["M\tprojects/a.yaml"]


def test_a_hook_with_more_before_the_guards_pass_line_goes_through_git_commit(repo):
    from storeops import hook

    path, _ = hook.install(repo)
    text = path.read_text()
    path.write_text(text.replace("\n# Refuses", "\ntouch hook-ran\n# Refuses", 1))
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 6\n")
    gitcmd.commit_paths(repo, ["projects/a.yaml"], "edited hook\n")
    assert (repo / "hook-ran").exists()


def test_a_merge_in_progress_takes_git_commits_refusal(repo):
    git(repo, "checkout", "-qb", "side")
    (repo / "projects" / "b.yaml").write_text("id: b\nside: 1\n")
    git(repo, "commit", "-qam", "side")
    git(repo, "checkout", "-q", "-")
    (repo / "projects" / "b.yaml").write_text("id: b\nmain: 1\n")
    git(repo, "commit", "-qam", "main")
    subprocess.run(["git", "-C", str(repo), "merge", "-q", "side"], capture_output=True)
    head = git(repo, "rev-parse", "HEAD")
    (repo / "projects" / "a.yaml").write_text("id: a\nx: 7\n")
    with pytest.raises(gitcmd.EnvError, match="a git merge is in progress"):
        gitcmd.commit_paths(repo, ["projects/a.yaml"], "during merge\n")
    assert git(repo, "rev-parse", "HEAD") == head
