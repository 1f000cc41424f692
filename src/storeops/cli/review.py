"""storeops approve: a reviewer's sign-off on a gated task, one commit."""

from __future__ import annotations

from typing import Optional

import typer

from storeops.cli.common import open_repo


def approve(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT"),
    task_id: str = typer.Argument(..., metavar="TASK"),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="What you checked; kept with the approval."),
) -> None:
    """Approve a submitted task that needs your role's review.

    You must hold the role the task requires (requires_approval) and must not
    be its assignee. The commit is yours: in a pull request, `storeops check
    --base` verifies that every approval was committed by the approver.

    Example:
      storeops approve acme-amazon-us bank-statement --note "name matches the licence"
    """
    from storeops import actions, render

    approval = actions.approve(open_repo(ctx), project_id, task_id, note)
    render.message(f"{project_id}: {task_id} approved by {approval.by} ({approval.role})")
    render.message(f"next: storeops advance {project_id} {task_id} --to done", "dim")


ORDER = 45


def register(app: typer.Typer) -> None:
    app.command("approve")(approve)
