"""Thin subprocess wrapper around git plumbing.

Plain `git` processes are faster to start than GitPython's object layer and
give us exact control over which paths a commit touches.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from storeops.errors import EnvError


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


class GitFailed(EnvError):
    def __init__(self, args: list[str], stderr: str):
        first = (stderr.strip().splitlines() or ["(no message)"])[-1]
        super().__init__(f"git {args[0]} failed: {first}")
        self.stderr = stderr


def _git_binary() -> str:
    path = shutil.which("git")
    if path is None:
        raise EnvError("git is not installed or not on PATH", hint="install git, e.g. apt-get install git")
    return path


def run(root: Path, *args: str, input: str | bytes | None = None, check: bool = True,
        env: dict | None = None, text: bool = True) -> subprocess.CompletedProcess:
    full_env = None
    if env:
        full_env = os.environ.copy()
        full_env.update(env)
    proc = subprocess.run(
        [_git_binary(), "-C", str(root), *args],
        input=input,
        capture_output=True,
        text=text,
        env=full_env,
        encoding="utf-8" if text else None,
    )
    if check and proc.returncode != 0:
        raise GitFailed(list(args), proc.stderr if text else proc.stderr.decode("utf-8", "replace"))
    return proc


def is_work_tree(path: Path) -> bool:
    proc = run(path, "rev-parse", "--is-inside-work-tree", check=False)
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def toplevel(path: Path) -> Path:
    return Path(run(path, "rev-parse", "--show-toplevel").stdout.strip())


def git_dir(path: Path) -> Path:
    out = run(path, "rev-parse", "--absolute-git-dir").stdout.strip()
    return Path(out)


def identity(root: Path) -> Identity:
    """The author git would use for a commit here (config or GIT_AUTHOR_* env)."""
    proc = run(root, "var", "GIT_AUTHOR_IDENT", check=False)
    if proc.returncode != 0:
        raise EnvError(
            "git does not know who you are",
            hint='run: git config --global user.name "Your Name" && git config --global user.email you@example.com',
        )
    ident = proc.stdout.strip()
    name, _, rest = ident.partition(" <")
    email = rest.split(">", 1)[0]
    return Identity(name=name.strip(), email=email.strip())


COMMIT_HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")


def commit_paths(root: Path, paths: list[str], message: str, env: dict | None = None) -> str:
    """Commit exactly `paths` (added, changed or removed); other staged work is left alone.

    `git commit --only` refreshes, reads and rewrites the whole index several
    times: at 10,000 projects (and their attachments) that is most of the cost
    of a one-line change. So the commit is built with plumbing instead: hash
    the files, edit only the trees on their paths, commit-tree, move HEAD with
    a compare-and-swap, update the index entries of these paths. Repos with
    commit hooks (which expect `git commit`) and repos without a first commit
    take the porcelain way.
    """
    head, hooks = _head_and_hooks(root)
    if head is None or _has_commit_hooks(hooks) or any((root / p).is_symlink() for p in paths):
        return _commit_porcelain(root, paths, message, env)
    existing = [p for p in paths if (root / p).exists()]
    blobs = dict(zip(existing, run(root, "hash-object", "-w", "--", *existing).stdout.split())) if existing else {}
    changes = {p: ((_file_mode(root / p), blobs[p]) if p in blobs else None) for p in paths}
    tree, before = _edit_tree(root, head, changes)
    if tree == before:
        raise GitFailed(["commit"], "nothing to commit (the files are unchanged)")
    sign = ["-S"] if run(root, "config", "--type=bool", "--get", "commit.gpgsign", check=False).stdout.strip() == "true" else []
    cleaned = stripspace(message)
    commit = run(root, "commit-tree", *sign, tree, "-p", head, "-F", "-", input=cleaned, env=env).stdout.strip()
    subject = cleaned.split("\n", 1)[0]
    run(root, "update-ref", "-m", f"commit: {subject}", "HEAD", commit, head)
    _update_index(root, paths)
    run(root, "gc", "--auto", "--quiet", check=False)  # as git commit does: loose objects get packed in time
    return commit


def _commit_porcelain(root: Path, paths: list[str], message: str, env: dict | None) -> str:
    existing = [p for p in paths if (root / p).exists()]
    removed = [p for p in paths if not (root / p).exists()]
    if existing:
        run(root, "add", "--", *existing, env=env)
    if removed:
        run(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *removed, env=env)
    run(root, "commit", "--quiet", "-F", "-", "--only", "--", *paths, input=message, env=env)
    return run(root, "rev-parse", "HEAD").stdout.strip()


def _head_and_hooks(root: Path) -> tuple[str | None, Path]:
    proc = run(root, "rev-parse", "--git-path", "hooks", "-q", "--verify", "HEAD^{commit}", check=False)
    lines = proc.stdout.splitlines()
    hooks = root / lines[0] if lines else root / ".git" / "hooks"
    return (lines[1] if proc.returncode == 0 and len(lines) > 1 else None), hooks


def _has_commit_hooks(hooks: Path) -> bool:
    return any(os.access(hooks / name, os.X_OK) and (hooks / name).is_file() for name in COMMIT_HOOKS)


def _file_mode(path: Path) -> str:
    return "100755" if os.access(path, os.X_OK) else "100644"


def _edit_tree(root: Path, head: str, changes: dict[str, tuple[str, str] | None]) -> tuple[str, str]:
    """(new, old) root tree ids: HEAD's tree with `changes` applied (path → (mode, blob) or None to remove).

    Only the trees on the changed paths are read and rewritten, so the cost
    follows the size of those folders, not of the repository.
    """
    folders = {""}
    for path in changes:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    order = sorted(folders, key=lambda f: (f.count("/") + (f != ""), f), reverse=True)  # deepest first
    raws, before, id_bytes = _read_trees(root, head, order)
    edits: dict[str, dict[bytes, bytes | None]] = {f: {} for f in order}
    for path, change in changes.items():
        parent, _, name = path.rpartition("/")
        edits[parent][name.encode()] = _entry(*change, name, id_bytes) if change else None
    new_id = before
    for folder in order:
        raw = _apply(raws[folder], edits[folder], id_bytes)
        new_id = _write_tree(root, raw) if raw else None
        if folder:
            parent, _, name = folder.rpartition("/")
            edits[parent][name.encode()] = _entry("40000", new_id, name, id_bytes) if new_id else None
    return new_id or _write_tree(root, b""), before


def _entry(mode: str, oid: str, name: str, id_bytes: int) -> bytes:
    return mode.lstrip("0").encode() + b" " + name.encode() + b"\0" + bytes.fromhex(oid)[:id_bytes]


def _read_trees(root: Path, head: str, folders: list[str]) -> tuple[dict[str, bytes], str, int]:
    """The raw tree object of each folder in HEAD (b"" where HEAD has none), the root tree id, the id length."""
    names = [f"{head}^{{tree}}" if not f else f"{head}:{f}" for f in folders]
    out = run(root, "cat-file", "--batch", input=("\n".join(names) + "\n").encode(), text=False).stdout
    raws, pos, root_id = {}, 0, ""
    for folder in folders:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            raws[folder] = b""
            continue
        size = int(header[2])
        raws[folder] = out[pos:pos + size] if header[1] == b"tree" else b""
        pos += size + 1
        if not folder:
            root_id = header[0].decode()
    return raws, root_id, len(root_id) // 2


def _apply(raw: bytes, edits: dict[bytes, bytes | None], id_bytes: int) -> bytes:
    """A raw tree with entries replaced, added (in git's order) or removed (None)."""
    if not edits:
        return raw
    spans = [_find_entry(raw, name, id_bytes) for name in edits]
    if all(spans):
        # each name found: splice, no need to read the other (thousands of) entries
        out, last = [], 0
        for (start, end), name in sorted(zip(spans, edits)):
            out += [raw[last:start], edits[name] or b""]
            last = end
        return b"".join(out) + raw[last:]
    entries: dict[bytes, bytes] = {}
    for match in re.finditer(rb"[0-7]+ ([^\0]+)\0.{%d}" % id_bytes, raw, re.S):
        entries[match.group(1)] = match.group(0)
    for name, entry in edits.items():
        if entry is None:
            entries.pop(name, None)
        else:
            entries[name] = entry
    # git's order: a folder's name sorts as if it ended in "/"
    return b"".join(value for _, value in sorted(
        entries.items(), key=lambda item: item[0] + (b"/" if item[1].startswith(b"40000 ") else b"")))


def _find_entry(raw: bytes, name: bytes, id_bytes: int) -> tuple[int, int] | None:
    """(start, end) of the entry called `name`, or None (not there, or not certain: then the caller parses all)."""
    at = raw.find(b" " + name + b"\0")
    if at < 0 or raw.find(b" " + name + b"\0", at + 1) >= 0:
        return None
    if raw[max(0, at - 6):at] in (b"100644", b"100755", b"120000", b"160000"):
        start = at - 6
    elif raw[max(0, at - 5):at] == b"40000":
        start = at - 5
    else:  # not preceded by an entry's mode
        return None
    return start, at + len(name) + 2 + id_bytes


def _write_tree(root: Path, raw: bytes) -> str:
    return run(root, "hash-object", "-t", "tree", "-w", "--stdin", input=raw, text=False).stdout.decode().strip()


def _update_index(root: Path, paths: list[str]) -> None:
    """Stage what was just committed for these paths, as `git commit --only` does."""
    for attempt in range(50):
        proc = run(root, "update-index", "--add", "--remove", "--", *paths, check=False)
        if proc.returncode == 0:
            return
        if "index.lock" not in proc.stderr:
            break
        time.sleep(0.05)  # another git command holds the index for a moment
    raise GitFailed(["update-index"], proc.stderr + "\nthe commit was made; run `git reset -- "
                    + " ".join(paths) + "` to refresh the index")


def stripspace(message: str) -> str:
    """What `git commit -F` does to a message: no trailing blanks, no runs of blank lines, one final newline."""
    lines = [line.rstrip() for line in message.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""
