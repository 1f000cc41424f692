"""storeops reject / link / archive / reopen: the platform's answer and the project's end."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import language, open_repo, user_path


def reject(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT"),
    reason: str = typer.Option(..., "--reason", metavar="CODE",
                               help="A rejection reason code of the project's SOP (storeops sop show), or other."),
    task_id: Optional[str] = typer.Option(None, "--task", metavar="TASK",
                                          help="The rejected step (default: the platform review waiting for an answer)."),
    message: Optional[str] = typer.Option(None, "--message", metavar="TEXT",
                                          help="The platform's words, verbatim; '-' reads them from stdin."),
    evidence: Optional[Path] = typer.Option(None, "--evidence", metavar="FILE",
                                            help="Screenshot or saved mail, kept under attachments/PROJECT/."),
    sensitive: Optional[bool] = typer.Option(
        None, "--sensitive/--plain",
        help="Encrypt the evidence to the task's readers (default: when one of them has an age key)."),
    at: Optional[str] = typer.Option(None, "--at", metavar="DATE", help="Date of the rejection (default: today)."),
) -> None:
    """Record a rejection by the platform, for rework.

    The task moves to `rejected` and the project shows as rejected until the
    step is reworked (storeops advance PROJECT TASK) and submitted again.

    \b
    Examples:
      storeops reject acme-amazon-us --reason video-face-mismatch --message "We were unable to verify..."
      storeops reject acme-amazon-us --reason other --task platform-review --evidence notice.png --at 2026-12-20
    """
    from storeops import outcomes, render

    if message == "-":
        message = sys.stdin.read().removesuffix("\n")
    repo = open_repo(ctx)
    done = outcomes.reject(repo, project_id, reason, task_id=task_id, message=message,
                           evidence=user_path(ctx, evidence) if evidence else None, at=at,
                           sensitive=sensitive)
    if done.warning:
        render.warn(done.warning)
    rejection = done.rejection
    render.message(f"{project_id}: {rejection.task} {done.task_before.state} → rejected ({render.clean(reason)})")
    if rejection.evidence:
        render.message(f"evidence kept as {rejection.evidence}")
    advice = _advice(repo, done.project, reason, language(ctx, repo))
    if advice:
        render.message(f"advice: {render.clean(advice)}", "dim")
    render.message(f"next: rework it, then `storeops advance {project_id} {rejection.task}` to start again", "dim")


def _advice(repo, project, reason: str, lang: str) -> str | None:
    from storeops.sop import load_library

    sop = load_library(repo.root).get(project.sop_id)
    entry = next((r for r in (sop.data.get("rejection_reasons", []) if sop else []) if r.get("code") == reason), None)
    advice = (entry or {}).get("advice") or {}
    return advice.get(lang) or advice.get("en")


def link(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT"),
    seller_id: Optional[str] = typer.Option(None, "--seller-id", metavar="ID", help="The platform's seller/merchant id."),
    login_email: Optional[str] = typer.Option(None, "--login-email", metavar="EMAIL", help="The account's login email."),
    store_url: Optional[str] = typer.Option(None, "--store-url", metavar="URL", help="The storefront's web address."),
    payout_bound: Optional[bool] = typer.Option(None, "--payout-bound/--no-payout-bound",
                                                help="Whether the payout (bank/wallet) account is bound.", show_default=False),
) -> None:
    """Record a store's platform account, copied by hand.

    An empty value ("") clears a field. storeops never logs in to a platform: copy the values from the seller centre.

    \b
    Examples:
      storeops link acme-amazon-us --seller-id A1B2C3D4E5 --login-email ops+acme-us@example.com
      storeops link acme-amazon-us --store-url https://www.amazon.com/sp?seller=A1B2C3D4E5 --payout-bound
    """
    from storeops import outcomes, render

    repo = open_repo(ctx)
    project, changes = outcomes.link(repo, project_id, seller_id=seller_id, login_email=login_email,
                                     store_url=store_url, payout_bound=payout_bound)
    for key, (old, new) in changes.items():
        render.message(f"{project_id}: {key} {render.clean(outcomes.shown_value(old))} → {render.clean(outcomes.shown_value(new))}")
    warn_conflicts(repo, project, {("account", key) for key in changes})


def warn_conflicts(repo, project, fields: set) -> None:
    """Tell at once when a value just entered ties this store to another one."""
    from storeops import render
    from storeops.errors import StoreopsError
    from storeops.isolation import conflicts

    from storeops import loading

    try:
        found = conflicts(loading.projects(repo)[0])  # a broken file is skipped; `storeops check` reports it
    except StoreopsError:
        return
    for conflict in found:
        if project.id in conflict.projects and conflict.field in fields:
            render.warn(f"{project.id}: {'.'.join(conflict.field)} {render.clean(conflict.message_for(project.id))}")


def archive(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT"),
    outcome: str = typer.Option(..., "--outcome", metavar="opened|abandoned|failed", help="How the project ended."),
    reason: str = typer.Option(..., "--reason", metavar="TEXT", help="Why, in a sentence (kept for the retrospective)."),
) -> None:
    """Close a project; it stays in the repo, read-only.

    \b
    Examples:
      storeops archive acme-amazon-us --outcome opened --reason "store live, payout bound"
      storeops archive acme-temu-us --outcome abandoned --reason "category closed to new sellers"
    """
    from storeops import outcomes, render

    project, warnings = outcomes.archive(open_repo(ctx), project_id, outcome, reason)
    for warning in warnings:
        render.warn(warning)
    render.message(f"{project_id}: archived ({outcome})")


def reopen(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT"),
) -> None:
    """Make an archived project writable again.

    \b
    Example:
      storeops reopen acme-temu-us
    """
    from storeops import outcomes, render

    was = outcomes.reopen(open_repo(ctx), project_id)
    render.message(f"{project_id}: reopened (was {was.outcome} on {was.at.isoformat()})")


ORDER = 45


def register(app: typer.Typer) -> None:
    app.command("reject")(reject)
    app.command("link")(link)
    app.command("archive")(archive)
    app.command("reopen")(reopen)
