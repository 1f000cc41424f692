"""What a generated CI job pip-installs: this storeops, as it was installed here.

No package index serves `storeops==VERSION` for sure (and if someone else held
the name there, their code would run in every stores repo's CI), so the line
is derived from how this copy was installed, which pip records (PEP 610,
direct_url.json in the distribution's metadata):

- no direct_url.json: installed from an index, so `storeops==VERSION` is there;
- vcs_info: `storeops @ git+URL@COMMIT`, pinned to the exact commit;
- archive_info with a remote URL: `storeops @ URL`;
- a local folder, an editable checkout or a local file: nothing a CI runner can
  reach, so refuse and ask for --install SPEC.
"""

from __future__ import annotations

import json
import shlex
from importlib import metadata

from storeops.errors import UsageError

DIST = "storeops"
HINT = ("pass --install SPEC with what CI should pip-install, e.g. "
        "--install 'storeops @ git+https://github.com/ORG/storeops@COMMIT'")


def default_spec(dist: str = DIST) -> str:
    """The pip requirement that reproduces this installation on another machine; UsageError when none does."""
    try:
        found = metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        raise UsageError(f"{dist} is not installed as a package here, so CI cannot install it the same way",
                         hint=HINT) from None
    raw = found.read_text("direct_url.json")
    if raw is None:
        return f"{dist}=={found.version}"
    try:
        direct = json.loads(raw)
        url = direct["url"]
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"cannot tell how {dist} was installed (unreadable direct_url.json)", hint=HINT) from None
    local = url.startswith("file:")
    if "vcs_info" in direct and not local:
        vcs = direct["vcs_info"]
        spec = f"{dist} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
    elif "archive_info" in direct and not local:
        spec = f"{dist} @ {url}"
    else:
        how = "an editable checkout" if direct.get("dir_info", {}).get("editable") else "a local path"
        raise UsageError(f"{dist} was installed from {how} ({url}), which a CI runner cannot install from",
                         hint=HINT)
    if direct.get("subdirectory"):
        spec += f"#subdirectory={direct['subdirectory']}"
    return spec


def checked(spec: str) -> str:
    """A --install value, refused when it cannot be one shell word on one line of a workflow."""
    if not spec.strip():
        raise UsageError("--install is empty", hint=HINT)
    # U+0085, U+2028, U+2029 end a line for YAML 1.1 readers
    if any(ord(c) < 32 or ord(c) == 127 or c in "\u0085\u2028\u2029" for c in spec):
        raise UsageError(f"--install {spec!r}: a pip requirement is one line without control characters")
    if "${{" in spec:
        # GitHub evaluates ${{ }} anywhere in a workflow, inside quotes too
        raise UsageError(f"--install {spec!r}: '${{{{' would be evaluated by GitHub Actions",
                         hint="pass the value through a secret or variable in the workflow by hand")
    return spec


def resolve(spec: str | None) -> str:
    return checked(spec) if spec is not None else default_spec()


def pip_install_line(spec: str) -> str:
    """The shell command, with the requirement as one shell word (quotes, spaces and markers kept)."""
    return f"pip install {shlex.quote(spec)}"
