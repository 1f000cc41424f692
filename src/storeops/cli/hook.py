"""storeops hook install / pre-commit: the git guard against committing plaintext documents."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from storeops.cli.common import open_repo

hook_app = typer.Typer(help="Guard commits against plaintext sensitive documents.\n\n"
                            "Example: storeops hook install", no_args_is_help=True)


@hook_app.command("install")
def install(ctx: typer.Context) -> None:
    """Install the pre-commit guard in this clone.

    `storeops init` does it for new repos. Git does not copy hooks when cloning: every clone runs this once. An
    existing hook that is not storeops's is left alone.

    Example:
      storeops hook install
    """
    from storeops import render
    from storeops.hook import install as install_hook
    from storeops.hook import is_chained

    path, status = install_hook(open_repo(ctx).root)
    if status in ("kept", "shared"):
        why = "is another tool's hook" if status == "kept" else "is shared with other repositories (core.hooksPath)"
        render.warn(f"{path} {why}; left alone. Add this line to it: storeops hook pre-commit")
        raise typer.Exit(1)
    chained = " (run by pre-commit's hook)" if is_chained(path) else ""
    render.message(f"{status} {path}{chained}" if status != "current" else f"{path} is up to date{chained}")


@hook_app.command("pre-commit", hidden=True)
def pre_commit(ctx: typer.Context) -> None:
    """Refuse a commit with plaintext under attachments/.

    Git runs it before each commit; a refusal exits 1.

    Example:
      storeops hook pre-commit
    """
    from storeops import render
    from storeops.cli.common import state
    from storeops.errors import StoreopsError
    from storeops.hook import guarded_roots, problems

    try:
        top, roots = guarded_roots(state(ctx).directory or Path.cwd())
    except StoreopsError:
        return  # not run by git in a work tree: nothing staged to guard
    # a stores repo may be a folder of a larger repository: name files from the top, as git does
    found = [f"{'' if root == top else root.relative_to(top).as_posix() + '/'}{line}"
             for root in roots for line in problems(root)]
    if not found:
        return
    render.error("commit refused: it would store plaintext that must be encrypted")
    for line in found:
        render.message("  " + render.clean(line))
    render.message("hint: unstage it (git restore --staged PATH), delete the plaintext, and use "
                   "`storeops attach PROJECT FILE` (it encrypts); then `git gc --prune=now` drops the staged copy",
                   "dim")
    raise typer.Exit(1)


@hook_app.command("run")
def run(
    ctx: typer.Context,
    what: str = typer.Argument(..., metavar="check|fmt", help="check, or fmt (as fmt --check)."),
    files: Optional[List[Path]] = typer.Argument(None, metavar="FILE", help="Changed files, as pre-commit passes them."),
) -> None:
    """Run check or fmt --check in the stores repos FILEs belong to.

    The entry of the hooks in storeops's .pre-commit-hooks.yaml. pre-commit runs hooks at the top of
    the git repository and passes the changed files, so a stores repo in a folder of a larger
    repository is found from its files. Without FILE: the stores repo here (or -C DIR). Exits with
    the worst exit code of the runs.

    Example:
      storeops hook run check ops/stores/projects/acme-amazon-us.yaml
    """
    import os
    import subprocess
    import sys

    from storeops import render
    from storeops.cli.common import state
    from storeops.errors import UsageError
    from storeops.hook import stores_roots

    commands = {"check": ["check"], "fmt": ["fmt", "--check"]}
    if what not in commands:
        raise UsageError(f"{what!r}: run check or fmt")
    if os.environ.get("STOREOPS_COMMIT") == "1":
        return  # storeops's own commit: it validated and wrote canonical form before committing
    here = (state(ctx).directory or Path.cwd()).resolve()
    roots = stores_roots(here, [str(f) for f in files]) if files else [open_repo(ctx).root]
    worst = 0
    for root in roots:
        if root != here:
            render.message(f"{what}: {root.relative_to(here).as_posix() if root.is_relative_to(here) else root}/")
        worst = max(worst, subprocess.run([sys.executable, "-m", "storeops", "-C", str(root),
                                           *commands[what]]).returncode)
    if worst:
        raise typer.Exit(worst)


ORDER = 95


def register(app: typer.Typer) -> None:
    app.add_typer(hook_app, name="hook")
