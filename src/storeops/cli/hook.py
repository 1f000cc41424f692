"""storeops hook install / pre-commit: the git guard against committing plaintext documents."""

from __future__ import annotations

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

    path, status = install_hook(open_repo(ctx).root)
    if status in ("kept", "shared"):
        why = "is another tool's hook" if status == "kept" else "is shared with other repositories (core.hooksPath)"
        render.warn(f"{path} {why}; left alone. Add this line to it: storeops hook pre-commit")
        raise typer.Exit(1)
    render.message(f"{status} {path}" if status != "current" else f"{path} is up to date")


@hook_app.command("pre-commit", hidden=True)
def pre_commit(ctx: typer.Context) -> None:
    """Refuse a commit with plaintext under attachments/.

    Git runs it before each commit; a refusal exits 1.

    Example:
      storeops hook pre-commit
    """
    from storeops import render
    from storeops.errors import EnvError
    from storeops.hook import problems

    try:
        repo = open_repo(ctx)
    except EnvError:
        return  # a shared hook running in a repository that is not a stores repo: nothing to guard
    found = problems(repo.root)
    if not found:
        return
    render.error("commit refused: it would store plaintext that must be encrypted")
    for line in found:
        render.message("  " + render.clean(line))
    render.message("hint: unstage it (git restore --staged PATH), delete the plaintext, and use "
                   "`storeops attach PROJECT FILE` (it encrypts); then `git gc --prune=now` drops the staged copy",
                   "dim")
    raise typer.Exit(1)


ORDER = 95


def register(app: typer.Typer) -> None:
    app.add_typer(hook_app, name="hook")
