"""storeops check / fmt: validation for CI and canonical form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from storeops.cli.common import JSON_OPTION, open_repo, user_path


def check(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATH", help="Only these project files or folders."),
    base: Optional[str] = typer.Option(
        None, "--base", metavar="REF",
        help="Instead: check every commit in REF..HEAD (a pull request): legal transitions, approvals committed "
             "by the approver, archived projects untouched, no plaintext of sensitive documents."),
    require_signed: bool = typer.Option(
        False, "--require-signed", help="With --base: commits that add approvals must be signed by the approver "
                                        "and verify (git verify-commit)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate storeops.yaml, the team's SOPs and every project.

    Checks the JSON Schemas, the platform's rules, the workflow (states,
    dependencies, approvals), people and files referenced, and canonical form.
    Prints one `file:line:col: message` per problem; exit 1 if there are any.

    With --base REF it checks the history instead, commit by commit, as CI
    does on a pull request (people and roles as they are at REF).

    Examples:
      storeops check
      storeops check projects/acme-amazon-us.yaml --json
      storeops check --base origin/main --require-signed
    """
    from storeops import render
    from storeops.check import check_repo
    from storeops.check_base import check_history
    from storeops.errors import UsageError

    repo = open_repo(ctx)
    paths = [user_path(ctx, p) for p in paths or ()]
    if base is None:
        if require_signed:
            raise UsageError("--require-signed goes with --base REF")
        problems = check_repo(repo, paths or None, progress=_progress if render.fancy(sys.stderr) else None)
    elif paths:
        raise UsageError("--base checks the whole history of the range; leave out PATH")
    else:
        problems = check_history(repo, base, require_signed)
    if as_json:
        render.emit_json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
    else:
        for problem in problems:
            render.out(render.clean(str(problem)))
        if problems:
            render.message(f"{len(problems)} problem(s)")
        elif base is None:
            render.message(f"ok: {len(paths) if paths else len(repo.project_ids())} project file(s), "
                           "storeops.yaml and the team's SOPs")
        else:
            render.message(f"ok: every commit since {base}")
    if problems:
        raise typer.Exit(1)


def _progress(items):
    from rich.progress import track

    return track(items, description="checking", transient=True, console=None) if len(items) > 200 else items


def fmt(
    ctx: typer.Context,
    check_only: bool = typer.Option(False, "--check", help="Only list files that are not canonical; exit 1 if any."),
) -> None:
    """Rewrite project files into canonical form (one commit).

    Comments are not kept: free text belongs in `notes` fields.

    Examples:
      storeops fmt
      storeops fmt --check
    """
    from storeops import actions, render
    from storeops.cli.common import name_skipped, skipped

    changed, problems = actions.fmt(open_repo(ctx), check_only)
    name_skipped(problems)  # a file that does not load is fixed by hand first; the others are formatted
    for source in changed:
        render.out(source)
    if check_only and changed:
        render.message(f"{len(changed)} file(s) not in canonical form (run `storeops fmt`)")
        raise typer.Exit(1)
    if changed:
        render.message(f"formatted {len(changed)} file(s)")
    skipped(problems)


ORDER = 60


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("fmt")(fmt)
