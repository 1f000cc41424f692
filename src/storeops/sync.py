"""`storeops sync`: fetch, replay local commits on the remote's (merge driver on), push.

Never loses work: a conflict aborts the rebase or merge, so the branch, the
work tree and the remote are exactly as they were, and says which project,
task and field collided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storeops import gitcmd, merge
from storeops.errors import DataError, EnvError, UsageError
from storeops.repo import PROJECTS_DIR, StoresRepo, parse_project

PUSH_ATTEMPTS = 3


@dataclass
class SyncResult:
    remote: str
    branch: str
    pulled: int = 0
    pushed: int = 0
    conflicts: list[str] = field(default_factory=list)
    driver_registered: bool = False


def sync(repo: StoresRepo, remote: str | None = None, strategy: str = "rebase") -> SyncResult:
    if strategy not in ("rebase", "merge"):
        raise UsageError(f"unknown strategy {strategy!r}", hint="rebase or merge")
    root = repo.root
    with repo.lock(check_state=False):  # sync finishes or reports its own rebase (see _require_clean)
        registered = _ensure_driver(root)
        branch = _branch(root)
        remote, remote_branch = _upstream(root, branch, remote)
        _require_clean(root)
        fetched = gitcmd.run(root, "fetch", "--quiet", remote, check=False)
        if fetched.returncode != 0:
            raise EnvError(f"git fetch {remote} failed: {_last_line(fetched.stderr)}",
                           hint="check the network and your access to the remote; nothing was changed")
        result = SyncResult(remote=remote, branch=branch, driver_registered=registered)
        tracking = f"refs/remotes/{remote}/{remote_branch}"
        for _ in range(PUSH_ATTEMPTS):
            if _exists(root, tracking):
                ahead, behind = _counts(root, tracking)
                if behind:
                    conflicts = _integrate(root, tracking, _strategy_for(root, tracking, strategy))
                    if conflicts:
                        result.conflicts = conflicts
                        return result
                    result.pulled += behind
                ahead, _ = _counts(root, tracking)
            else:
                ahead = int(gitcmd.run(root, "rev-list", "--count", "HEAD").stdout.strip())
            if not ahead:
                return result
            _require_readable(root, tracking if _exists(root, tracking) else None)
            pushed = gitcmd.run(root, "push", "--quiet", "-u", remote, f"HEAD:refs/heads/{remote_branch}",
                                check=False)
            if pushed.returncode == 0:
                result.pushed = ahead
                return result
            _refused(remote, pushed.stderr)
            if "rejected" not in pushed.stderr and "fetch first" not in pushed.stderr:
                raise EnvError(f"git push {remote} failed: {_last_line(pushed.stderr)}",
                               hint="your commits are safe locally; fix access and run storeops sync again")
            gitcmd.run(root, "fetch", "--quiet", remote)  # someone pushed meanwhile: integrate again
        raise EnvError(f"{remote} kept changing while pushing", hint="run storeops sync again")


# another push updated the branch between the remote's check and its ref update: fetch and try again
RACES = ("cannot lock ref", "failed to update ref", "but expected")


def _refused(remote: str, stderr: str) -> None:
    """The remote itself refused the push (a hook, a checked-out branch of a non-bare repository):
    fetching again cannot help, so say git's own reason instead of retrying."""
    lines = [line.strip() for line in stderr.splitlines()]
    refusal = next((line for line in lines if "[remote rejected]" in line), None)
    if refusal is None or any(race in refusal for race in RACES):
        return
    said = [line.removeprefix("remote:").strip().removeprefix("error:").strip() for line in lines
            if line.startswith("remote:") and "error:" in line]
    reason = said[0] if said else refusal.rpartition("(")[2].rstrip(")")
    if "checked out" in refusal or "checked out" in reason:
        raise EnvError(f"git push {remote} was refused: {reason}",
                       hint="the remote is a working copy with that branch checked out: push to a bare repository "
                            "(git clone --bare) instead; your commits are safe locally")
    raise EnvError(f"git push {remote} was refused: {reason}",
                   hint="your commits are safe locally; fix what the remote says and run storeops sync again")


def _ensure_driver(root: Path) -> bool:
    command = merge.registered_driver(root)
    if command and merge.driver_runnable(command):
        return False
    merge.register_driver(root)
    return True


def _branch(root: Path) -> str:
    proc = gitcmd.run(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    if proc.returncode != 0:
        raise UsageError("HEAD is detached: sync works on a branch", hint="git switch main")
    return proc.stdout.strip()


def _upstream(root: Path, branch: str, remote: str | None) -> tuple[str, str]:
    configured = gitcmd.run(root, "config", "--get", f"branch.{branch}.remote", check=False).stdout.strip()
    merge_ref = gitcmd.run(root, "config", "--get", f"branch.{branch}.merge", check=False).stdout.strip()
    remotes = gitcmd.run(root, "remote").stdout.split()
    chosen = remote or configured or ("origin" if "origin" in remotes else (remotes[0] if len(remotes) == 1 else None))
    if not remotes:
        raise EnvError("this stores repo has no remote to sync with",
                       hint="git remote add origin URL (the team's shared repository)")
    if chosen not in remotes:
        raise UsageError(f"no remote named {chosen!r}" if chosen else "several remotes and no upstream",
                         hint="remotes: " + ", ".join(remotes) + "; pass --remote NAME")
    remote_branch = merge_ref.removeprefix("refs/heads/") if merge_ref and chosen == configured else branch
    return chosen, remote_branch


def _require_clean(root: Path) -> None:
    status = gitcmd.run(root, "status", "--porcelain", "--untracked-files=no").stdout.splitlines()
    if status:
        files = ", ".join(line[3:] for line in status[:5]) + (" ..." if len(status) > 5 else "")
        raise UsageError(f"uncommitted changes in {files}; nothing was synced",
                         hint="commit them (or git stash), then run storeops sync again")


def _require_readable(root: Path, tracking: str | None) -> None:
    """Refuse to push a project file that does not parse: a merge committed with its conflict markers
    would otherwise reach every clone."""
    if tracking:
        changed = gitcmd.run(root, "diff", "--name-only", "--diff-filter=AM", "-z", tracking, "HEAD",
                             "--", f"{PROJECTS_DIR}/").stdout
    else:  # the first push: everything is outgoing
        changed = gitcmd.run(root, "ls-tree", "-r", "--name-only", "-z", "HEAD", "--", f"{PROJECTS_DIR}/").stdout
    for rel in (p for p in changed.split("\0") if p.endswith(".yaml")):
        text = gitcmd.run(root, "show", f"HEAD:{rel}").stdout
        markers = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(("<<<<<<< ", ">>>>>>> "))]
        if markers:
            raise DataError(rel, "conflict markers committed (<<<<<<< ... >>>>>>>); nothing was pushed",
                            line=markers[0], hint="keep one value between the markers, delete the marker lines, "
                                                  "git commit, and storeops sync again")
        try:
            parse_project(text, rel)
        except DataError as error:
            raise DataError(error.source, f"{error.detail} (in your last commit); nothing was pushed",
                            line=error.line, col=error.col, field=error.field,
                            hint="fix it (storeops check), git commit, and storeops sync again") from None


def _exists(root: Path, ref: str) -> bool:
    return gitcmd.run(root, "rev-parse", "--verify", "--quiet", ref, check=False).returncode == 0


def _counts(root: Path, tracking: str) -> tuple[int, int]:
    out = gitcmd.run(root, "rev-list", "--left-right", "--count", f"HEAD...{tracking}").stdout.split()
    return int(out[0]), int(out[1])


def _strategy_for(root: Path, tracking: str, asked: str) -> str:
    """Merge when your commits hold a merge: a rebase would drop it, and with it the conflict resolution
    it records, and stop at the same conflict again."""
    merges = gitcmd.run(root, "rev-list", "--merges", "--count", f"{tracking}..HEAD").stdout.strip()
    return "merge" if merges != "0" else asked


def _integrate(root: Path, tracking: str, strategy: str) -> list[str]:
    """Rebase onto (or merge) the remote; on conflict undo it and return what collided."""
    # in a rebase git's "ours" is the remote and "theirs" the local commit being replayed
    sides = ("the remote", "yours") if strategy == "rebase" else ("yours", "the remote")
    env = {"STOREOPS_MERGE_OURS": sides[0], "STOREOPS_MERGE_THEIRS": sides[1], "GIT_EDITOR": "true"}
    before = gitcmd.run(root, "rev-parse", "HEAD").stdout.strip()
    if strategy == "rebase":
        proc = gitcmd.run(root, "rebase", "--quiet", tracking, env=env, check=False)
    else:
        proc = gitcmd.run(root, "merge", "--quiet", "--no-edit", tracking, env=env, check=False)
    if proc.returncode == 0:
        return []
    conflicts = _conflict_lines(proc.stdout + "\n" + proc.stderr)
    gitcmd.run(root, strategy, "--abort", check=False)
    if gitcmd.run(root, "rev-parse", "HEAD").stdout.strip() != before:
        gitcmd.run(root, "reset", "--quiet", "--keep", before)
    if strategy == "rebase":
        # a rebase stops at the first commit that conflicts; the merge the user is told to make meets them all
        conflicts = _trial_merge(root, tracking, env) or conflicts
    return conflicts or [_last_line(proc.stderr) or f"git {strategy} stopped"]


def _trial_merge(root: Path, tracking: str, env: dict) -> list[str]:
    """Every conflict of merging the two branches, from a merge in memory (git >= 2.38; else [])."""
    # the remote's side first, as in the rebase, so both name the sides in the same order
    proc = gitcmd.run(root, "merge-tree", "--write-tree", "--name-only", tracking, "HEAD", env=env, check=False)
    return _conflict_lines(proc.stdout + "\n" + proc.stderr) if proc.returncode == 1 else []


def _conflict_lines(output: str) -> list[str]:
    ours = [line.split("conflict: ", 1)[1] for line in output.splitlines() if line.startswith("storeops: conflict: ")]
    gits = [line.strip() for line in output.splitlines() if line.startswith("CONFLICT")]
    # git also reports the files our driver already described; keep its lines for the others
    described = {line.split(":", 1)[0] for line in ours}
    return ours + [line for line in gits if not any(path in line for path in described)]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""
