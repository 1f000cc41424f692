"""storeops check / fmt: validation for CI and canonical form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from storeops.cli.common import JSON_OPTION, open_repo


def check(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, metavar="[PATH]...", help="Only these project files or folders."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate storeops.yaml, the team's SOPs and every project.

    Checks the JSON Schemas, the platform's rules, the workflow (states,
    dependencies, approvals), people and files referenced, and canonical form.
    Prints one `file:line:col: message` per problem; exit 1 if there are any.

    Examples:
      storeops check
      storeops check projects/acme-amazon-us.yaml --json
    """
    from storeops import render
    from storeops.check import check_repo

    repo = open_repo(ctx)
    problems = check_repo(repo, paths or None, progress=_progress if render.fancy(sys.stderr) else None)
    if as_json:
        render.emit_json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
    else:
        for problem in problems:
            render.out(render.clean(str(problem)))
        if problems:
            render.message(f"{len(problems)} problem(s)")
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

    changed = actions.fmt(open_repo(ctx), check_only)
    for source in changed:
        render.out(source)
    if check_only and changed:
        render.message(f"{len(changed)} file(s) not in canonical form (run `storeops fmt`)")
        raise typer.Exit(1)
    if changed:
        render.message(f"formatted {len(changed)} file(s)")


ORDER = 60


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("fmt")(fmt)
