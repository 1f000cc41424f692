"""The pre-commit guard: no plaintext of a sensitive document in a commit.

`storeops init` (or `storeops hook install`) writes a small shell hook that
runs `storeops hook pre-commit`; the rules live here. What is checked is the
index the commit is made from (GIT_INDEX_FILE during `git commit --only`),
never the work tree.

Under attachments/<project>/ a file may be committed when it is age
ciphertext, or when the staged project file records it as a document that is
not sensitive (or as rejection evidence). Anything else is refused: a file
nobody declared plain is treated as sensitive.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from storeops import gitcmd, vault, yamlio
from storeops.errors import DataError
from storeops.repo import ATTACHMENTS_DIR, PROJECTS_DIR

MARK = "# storeops pre-commit hook"

SCRIPT = """#!/bin/sh
{mark} (installed by `storeops init`; reinstall with `storeops hook install`)
# Refuses commits with plaintext of sensitive documents under attachments/.
# storeops's own commits hold only ciphertext; commits that stage nothing under
# attachments/ or projects/ have nothing to check: both skip the Python start-up.
[ "${{STOREOPS_COMMIT:-}}" = 1 ] && exit 0
git diff --cached --quiet --diff-filter=ACMR -- attachments/ projects/ && exit 0
# the storeops that installed this hook: its Python and the folder its package lives in
STOREOPS_PYTHON={python}
STOREOPS_PATH={package_parent}
if [ -x "$STOREOPS_PYTHON" ] && [ -d "$STOREOPS_PATH/storeops" ]; then
    PYTHONPATH="$STOREOPS_PATH${{PYTHONPATH:+:$PYTHONPATH}}" exec "$STOREOPS_PYTHON" -m storeops hook pre-commit
fi
if command -v storeops >/dev/null 2>&1; then
    exec storeops hook pre-commit
fi
echo "storeops pre-commit hook: storeops is not installed; cannot check attachments/ (commit refused)" >&2
exit 1
"""


def hook_path(root: Path) -> Path:
    # --git-path honours core.hooksPath and worktrees
    out = gitcmd.run(root, "rev-parse", "--git-path", "hooks/pre-commit").stdout.strip()
    path = Path(out)
    return path if path.is_absolute() else root / path


def install(root: Path) -> tuple[Path, str]:
    """Install the hook; returns (path, status).

    status: "installed", "updated", "current", "kept" (another tool's hook is there) or "shared"
    (core.hooksPath points outside this repository: installing would affect other repositories).
    """
    import os

    path = hook_path(root)
    common = Path(gitcmd.run(root, "rev-parse", "--git-common-dir").stdout.strip())
    common = common if common.is_absolute() else root / common
    if not any(path.resolve().is_relative_to(p.resolve()) for p in (root, common)):
        return path, "shared"
    import storeops

    script = SCRIPT.format(mark=MARK, python=shlex.quote(sys.executable),
                           package_parent=shlex.quote(str(Path(storeops.__file__).resolve().parent.parent)))
    if path.exists():
        current = path.read_text("utf-8", "replace")
        if MARK not in current:
            return path, "kept"
        if current == script:
            return path, "current"
        status = "updated"
    else:
        status = "installed"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script, encoding="utf-8")
    os.chmod(path, 0o755)
    return path, status


def _staged(root: Path) -> list[str]:
    out = gitcmd.run(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--",
                     f"{ATTACHMENTS_DIR}/", f"{PROJECTS_DIR}/").stdout
    return [p for p in out.split("\0") if p]


def _blobs(root: Path, paths: list[str]) -> dict[str, bytes]:
    """The staged content of `paths`, through one `git cat-file --batch`."""
    if not paths:
        return {}
    request = "".join(f":{p}\n" for p in paths).encode("utf-8")
    out = gitcmd.run(root, "cat-file", "--batch", input=request, text=False).stdout
    blobs, pos = {}, 0
    for path in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        blobs[path] = out[pos:pos + size]
        pos += size + 1
    return blobs


def _plain_allowed(project_text: bytes | None, rel: str) -> tuple[bool, str]:
    """(allowed, reason) for a non-age file under attachments/<project>/."""
    if project_text is None:
        return False, "no staged project file declares it"
    try:
        data = yamlio.loads(project_text.decode("utf-8"), rel)
    except (DataError, UnicodeDecodeError):
        return False, "its project file cannot be read to tell whether it is sensitive"
    if not isinstance(data, dict):
        return False, "its project file cannot be read to tell whether it is sensitive"
    for task in data.get("tasks") or []:
        for doc in (task.get("documents") or []) if isinstance(task, dict) else []:
            if isinstance(doc, dict) and doc.get("file") == rel:
                if doc.get("sensitive") is False:
                    return True, ""
                return False, f"{doc.get('id')} is a sensitive document"
    for rejection in data.get("rejections") or []:
        if isinstance(rejection, dict) and rejection.get("evidence") == rel:
            return True, ""
    return False, "no document of the project declares it plain (`storeops attach --plain`)"


def _secret_problems(rel: str, text: bytes) -> list[str]:
    try:
        data = yamlio.loads(text.decode("utf-8"), rel)
    except (DataError, UnicodeDecodeError):
        return []  # `storeops check` reports broken files; here only plaintext matters
    secrets = data.get("secrets") if isinstance(data, dict) else None
    problems = []
    for key, secret in (secrets.items() if isinstance(secrets, dict) else []):
        value = secret.get("age") if isinstance(secret, dict) else secret
        if not (isinstance(value, str) and value.lstrip().startswith(vault.ARMOR_BEGIN)):
            problems.append(f"{rel}: secrets.{key} is not age ciphertext (use `storeops secret set`)")
    return problems


def problems(root: Path) -> list[str]:
    """What the commit being made would leak, one line each (empty: fine)."""
    staged = _staged(root)
    attachments = [p for p in staged if p.startswith(f"{ATTACHMENTS_DIR}/") and p.count("/") >= 2]
    projects = {p.split("/", 2)[1] for p in attachments}
    project_files = [f"{PROJECTS_DIR}/{pid}.yaml" for pid in sorted(projects)]
    staged_projects = [p for p in staged if p.startswith(f"{PROJECTS_DIR}/") and p.endswith(".yaml")]
    blobs = _blobs(root, list(dict.fromkeys(attachments + project_files + staged_projects)))
    found = []
    for rel in attachments:
        content = blobs.get(rel, b"")
        if rel.endswith(vault.SUFFIX):
            if not vault.is_age(content):
                found.append(f"{rel}: named .age but not age ciphertext")
            continue
        allowed, why = _plain_allowed(blobs.get(f"{PROJECTS_DIR}/{rel.split('/', 2)[1]}.yaml"), rel)
        if not allowed:
            found.append(f"{rel}: plaintext ({why})")
    for rel in staged_projects:
        found += _secret_problems(rel, blobs.get(rel, b""))
    return found
