"""storeops advance / assign / schedule: change one task, one commit."""

from __future__ import annotations

from typing import Optional

import typer

from storeops.cli.common import complete_person, complete_project, complete_task, open_repo


def advance(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", autocompletion=complete_project),
    task_id: str = typer.Argument(..., metavar="TASK", autocompletion=complete_task),
    to: Optional[str] = typer.Option(
        None, "--to", metavar="STATE",
        help="Target state: in_progress, submitted, done, rejected, blocked, skipped, todo.",
    ),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="A note kept on the task."),
) -> None:
    """Move a task one step along its workflow, or --to a state.

    The steps are todo → in_progress → submitted → done. Refuses when
    dependencies are not done, the move is not allowed, or a gated task has no
    approval yet; warns when a task is handed in without a required document.

    Examples:
      storeops advance acme-amazon-us business-license
      storeops advance acme-amazon-us video-verification --to blocked --note "camera broken"
    """
    from storeops import actions, render
    from storeops.errors import UsageError
    from storeops.model import STATES
    from storeops.workflow import document_gaps

    if to is not None and to not in STATES:
        raise UsageError(f"--to {to!r} is not a state", hint="one of " + ", ".join(STATES))
    repo = open_repo(ctx)
    old, new = actions.advance(repo, project_id, task_id, to, note)
    render.message(f"{project_id}: {task_id} {old.state} → {new.state}")
    if new.state in ("submitted", "done"):
        for doc, expired in document_gaps(new, actions.today(repo.config)):
            fix = f"storeops attach {project_id} FILE --task {task_id} --doc {doc}"
            if expired is None:
                render.warn(f"{task_id}: document {doc} is not attached; {fix}")
            else:
                render.warn(f"{task_id}: document {doc} expired on {expired.isoformat()}; {fix}")


def assign(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", autocompletion=complete_project),
    task_id: str = typer.Argument(..., metavar="TASK", autocompletion=complete_task),
    person: str = typer.Argument(..., metavar="PERSON", autocompletion=complete_person),
) -> None:
    """Give a task to a person on the team.

    Example:
      storeops assign acme-amazon-us bank-statement carol
    """
    from storeops import actions, render

    before = actions.assign(open_repo(ctx), project_id, task_id, person)
    render.message(f"{project_id}: {task_id} {before or 'nobody'} → {person}")


def schedule(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", autocompletion=complete_project),
    task_id: str = typer.Argument(..., metavar="TASK", autocompletion=complete_task),
    due: Optional[str] = typer.Option(None, "--due", metavar="DATE", help="New due date: YYYY-MM-DD, tomorrow, +3d, fri, next mon, ..."),
    appointment: Optional[str] = typer.Option(
        None, "--appointment", metavar="DATETIME",
        help="Booking time, e.g. 2026-12-10T10:00 (team timezone) or with an offset (+08:00).",
    ),
) -> None:
    """Set a task's due date or book its appointment.

    Examples:
      storeops schedule acme-amazon-us bank-statement --due 2026-12-05
      storeops schedule acme-amazon-us video-verification --appointment 2026-12-10T10:00
    """
    from storeops import actions, render

    task = actions.schedule(open_repo(ctx), project_id, task_id, due, appointment)
    parts = [f"due {task.due.isoformat()}" if task.due else "no due date"]
    if task.appointment:
        parts.append(f"appointment {task.appointment.isoformat()}")
    render.message(f"{project_id}: {task_id} " + ", ".join(parts))


ORDER = 40


def register(app: typer.Typer) -> None:
    app.command("advance")(advance)
    app.command("assign")(assign)
    app.command("schedule")(schedule)
