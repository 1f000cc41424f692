"""A broken environment: a clear message, exit 3, and nothing half written.

git missing, not a repo, detached HEAD, the user's own staged work, a merge in
progress, a read-only file system, a full disk, no git identity. The read-only and
disk-full cases run for real in a private mount namespace (`unshare -rm`: a
read-only bind mount, a tiny tmpfs) where the kernel allows it, and are simulated
in-process (EROFS / ENOSPC from the write) everywhere.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git
from reliability_support import (assert_repo_sound, leftover_temp_files, run_fast, team,  # noqa: F401
                                  two_sides_of_sop_readme)

PROJECT = "projects/mini-us.yaml"


def cli(root, *args):
    return run_fast("-C", str(root), *args)


def first_line(result) -> str:
    return result.stderr.splitlines()[0] if result.stderr else ""


def snapshot(root: Path) -> tuple[str, str]:
    return (root / PROJECT).read_text(), git(root, "rev-parse", "HEAD")


# ---- git itself ----

def test_git_missing_is_exit_3_and_writes_nothing(team, tmp_path, monkeypatch):
    before = snapshot(team)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = cli(team, "advance", "mini-us", "licence")
    assert result.exit_code == 3
    assert result.stderr == ("error: git is not installed or not on PATH\n"
                             "hint: install git, e.g. apt-get install git\n")
    assert cli(team, "init", str(tmp_path / "new")).exit_code == 3
    assert not (tmp_path / "new").exists()
    assert cli(team, "status").exit_code == 0  # reading needs no git
    monkeypatch.undo()
    assert snapshot(team) == before


def test_git_missing_in_a_real_process(team, tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # the interpreter is called by its full path
    proc = subprocess.run([sys.executable, "-m", "storeops", "-C", str(team), "assign", "mini-us", "licence", "carol"],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 3 and proc.stderr.startswith("error: git is not installed or not on PATH")


def test_not_a_stores_repo_or_not_a_git_repo(team, tmp_path):
    nowhere = cli(tmp_path / "missing", "status")
    assert nowhere.exit_code == 3 and first_line(nowhere) == f"error: {tmp_path / 'missing'}: no such directory"
    plain = tmp_path / "plain"
    plain.mkdir()
    result = cli(plain, "status")
    assert result.exit_code == 3
    assert first_line(result) == f"error: {plain}: not a stores repo (no storeops.yaml here or in any parent folder)"
    shutil.rmtree(team / ".git")
    before = (team / PROJECT).read_text()
    result = cli(team, "advance", "mini-us", "licence")
    assert result.exit_code == 3
    assert first_line(result) == f"error: {team}: the stores repo is not a git repository"
    assert (team / PROJECT).read_text() == before
    assert cli(team, "status").exit_code == 0


def test_a_stores_repo_inside_a_bigger_repository_commits_there(tmp_path):
    outer = tmp_path / "company"
    outer.mkdir()
    git(outer, "init", "-q")
    assert cli(outer / "ops" / "stores", "init", str(outer / "ops" / "stores")).exit_code == 0
    shutil.rmtree(outer / "ops" / "stores" / ".git")  # as if the folder had been copied into the company repo
    git(outer, "add", "ops")
    git(outer, "commit", "-qm", "stores folder")
    result = cli(outer / "ops" / "stores", "person", "add", "bob", "--email", "bob@example.com", "--role", "ops")
    assert result.exit_code == 0, result.stderr
    assert git(outer, "log", "-1", "--format=%s") == "person add bob (ops)\n"
    assert git(outer, "show", "--name-only", "--format=", "HEAD").split() == ["ops/stores/storeops.yaml"]
    assert (outer / ".git" / "storeops.lock").exists()


def test_detached_head_still_writes_and_commits(team):
    git(team, "checkout", "-q", "--detach")
    result = cli(team, "advance", "mini-us", "licence")
    assert result.exit_code == 0, result.stderr
    assert git(team, "log", "-1", "--format=%s") == "advance mini-us: licence todo → in_progress\n"
    assert subprocess.run(["git", "-C", str(team), "symbolic-ref", "-q", "HEAD"]).returncode == 1  # still detached
    assert_repo_sound(team)


def test_the_users_staged_and_unstaged_work_is_left_alone(team):
    (team / "notes.txt").write_text("mine, staged\n")
    (team / "sop" / "README.md").write_text("edited and staged\n")
    git(team, "add", "notes.txt", "sop/README.md")
    git(team, "rm", "-q", "--cached", "attachments/README.md")  # a staged deletion
    (team / "projects" / "README.md").write_text("edited, not staged\n")
    staged = git(team, "diff", "--cached")
    result = cli(team, "advance", "mini-us", "licence")
    assert result.exit_code == 0, result.stderr
    assert git(team, "show", "--name-only", "--format=", "HEAD").split() == [PROJECT]
    assert git(team, "diff", "--cached") == staged
    assert git(team, "diff", "--name-only").split() == ["projects/README.md"]


def test_a_merge_in_progress_is_a_clear_exit_3(team):
    two_sides_of_sop_readme(team)
    subprocess.run(["git", "-C", str(team), "merge", "-q", "other"], capture_output=True)  # conflicts
    before = snapshot(team)
    result = cli(team, "advance", "mini-us", "licence")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: git is in the middle of a merge here: storeops writes nothing until it is over\n"
        "hint: finish it (git commit) or abort it (git merge --abort), then retry; storeops changed nothing\n")
    assert snapshot(team) == before
    assert "state: in_progress" not in git(team, "diff", "--cached")  # nothing staged behind the refusal
    git(team, "merge", "--abort")
    assert git(team, "status", "--porcelain") == ""


def test_no_git_identity_is_exit_3_and_writes_nothing(team, isolated_home):
    (isolated_home / ".gitconfig").write_text("[user]\n\tuseConfigOnly = true\n")
    before = snapshot(team)
    result = cli(team, "advance", "mini-us", "licence")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: git does not know who you are\n"
        'hint: run: git config --global user.name "Your Name" && git config --global user.email you@example.com\n')
    assert snapshot(team) == before
    assert leftover_temp_files(team) == []


def test_an_empty_author_name_is_no_identity_either(team, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    result = cli(team, "assign", "mini-us", "licence", "carol")
    assert result.exit_code == 3 and first_line(result) == "error: git does not know who you are"


# ---- the file system refuses the write ----

@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES])
@pytest.mark.parametrize("where", ["replace", "fsync"])
def test_a_refused_write_is_exit_3_and_leaves_the_old_file(team, monkeypatch, code, where):
    before = snapshot(team)

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, where, refuse)  # the rename, or the flush to disk, fails
    result = cli(team, "advance", "mini-us", "licence")
    monkeypatch.undo()
    assert result.exit_code == 3
    assert first_line(result) == f"error: {team / PROJECT}: cannot write ({os.strerror(code)})"
    assert result.stderr.splitlines()[1] == "hint: free disk space or fix permissions; nothing was changed"
    assert snapshot(team) == before
    assert_repo_sound(team)


def test_when_the_commit_fails_and_the_file_cannot_be_put_back_the_message_says_so(team, monkeypatch):
    from storeops import actions, gitcmd

    def restore_fails(path, data, mode=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # the disk filled up after the write

    def commit_fails(*args, **kwargs):
        raise gitcmd.GitFailed(["commit"], "fatal: unable to write new index file\n")

    monkeypatch.setattr(actions, "atomic_write_bytes", restore_fails)
    monkeypatch.setattr(gitcmd, "commit_paths", commit_fails)
    result = cli(team, "assign", "mini-us", "licence", "carol")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: git commit failed: fatal: unable to write new index file\n"
        "hint: projects/mini-us.yaml could not be put back (No space left on device): it holds the change, "
        "not committed; once the problem is fixed, commit it with git or run `git checkout -- projects/mini-us.yaml`\n")


# ---- for real, in a private mount namespace ----

def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces_work(),
                                      reason="unshare -rm (user and mount namespaces) not allowed here")


def _in_namespace(script: str, **values: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PY=sys.executable, **values)
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=120)


@needs_namespaces
def test_a_read_only_repo_is_exit_3_for_writes_and_readable(team):
    before = snapshot(team)
    proc = _in_namespace('mount --bind -o ro "$REPO" "$REPO" && '
                         '"$PY" -m storeops -C "$REPO" status >/dev/null && '
                         'exec "$PY" -m storeops -C "$REPO" advance mini-us licence', REPO=str(team))
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith(f"error: cannot lock the stores repo: {team / '.git' / 'storeops.lock'}: "
                                  "Read-only file system")
    assert snapshot(team) == before


@needs_namespaces
def test_read_only_project_files_with_a_writable_git_dir(team):
    before = snapshot(team)
    proc = _in_namespace('mount --bind -o ro "$REPO/projects" "$REPO/projects" && '
                         'exec "$PY" -m storeops -C "$REPO" advance mini-us licence', REPO=str(team))
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith(f"error: {team / PROJECT}: cannot write (Read-only file system)")
    assert snapshot(team) == before
    assert_repo_sound(team)


FREE_KIB = [0, 4, 8, 16, 24, 32, 64]


@needs_namespaces
@pytest.mark.parametrize("free", FREE_KIB)
def test_a_full_disk_for_real(team, tmp_path, free):
    """A 4 MiB tmpfs filled up to `free` KiB: the command works or says why; the repo stays sound."""
    before_text, before_head = snapshot(team)
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    proc = _in_namespace(
        'mount -t tmpfs -o size=4m tmpfs "$MNT" && cp -a "$REPO" "$MNT/stores" && '
        'avail=$(df -k --output=avail "$MNT" | tail -1); '
        'dd if=/dev/zero of="$MNT/fill" bs=1k count=$((avail - FREE)) 2>/dev/null; '
        '"$PY" -m storeops -C "$MNT/stores" advance mini-us licence >"$OUT/stdout" 2>"$OUT/stderr"; '
        'echo $? >"$OUT/rc"; cp -a "$MNT/stores" "$OUT/stores"',
        MNT=str(mount), REPO=str(team), OUT=str(out), FREE=str(free))
    assert proc.returncode == 0, proc.stderr
    code, stderr, after = int((out / "rc").read_text()), (out / "stderr").read_text(), out / "stores"
    assert code in (0, 3), stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    text = (after / PROJECT).read_text()
    if code == 3:
        assert any(word in stderr for word in ("No space left on device", "cannot write", "Out of diskspace")), stderr
        assert git(after, "rev-parse", "HEAD") == before_head
        if text != before_text:  # written, but the commit failed and the file could not be put back
            assert "it holds the change, not committed" in stderr
            git(after, "checkout", "--", PROJECT)
        else:
            assert stderr.endswith("hint: free disk space or fix permissions; nothing was changed\n") or \
                stderr.endswith("hint: the files were put back: nothing was changed\n"), stderr
    else:
        assert "licence todo → in_progress" in stderr
        assert git(after, "show", f"HEAD:{PROJECT}") == text
    # with space again (out of the tmpfs), the repo is sound and the command works
    git(after, "reset", "-q")
    for stale in (after / ".git").glob("*.lock"):
        stale.unlink()  # git may leave its own lock files when the disk fills under it
    assert cli(after, "advance", "mini-us", "licence").exit_code in (0, 2)
    assert_repo_sound(after)
