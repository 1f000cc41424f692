"""storeops new: start a store-opening project from an SOP."""

from __future__ import annotations

from typing import Optional

import typer

from storeops.cli.common import complete_person, complete_sop, open_repo


def new(
    ctx: typer.Context,
    sop_id: str = typer.Argument(..., metavar="SOP_ID", help="Template id, see `storeops sop list`.",
                                autocompletion=complete_sop),
    store: str = typer.Option(..., "--store", metavar="NAME", help="Store name as it will appear on the platform."),
    owner: str = typer.Option(..., "--owner", metavar="PERSON", help="Person responsible (from storeops.yaml).",
                               autocompletion=complete_person),
    project_id: Optional[str] = typer.Option(None, "--id", metavar="PROJECT", help="Project id (default: from store, platform and site)."),
    site: Optional[str] = typer.Option(None, "--site", metavar="SITE", help="Marketplace site (default: the SOP's first)."),
    start: Optional[str] = typer.Option(None, "--start", metavar="DATE", help="Start date (default: today)."),
    target: Optional[str] = typer.Option(None, "--target", metavar="DATE", help="Date the store should be open."),
    category: Optional[str] = typer.Option(None, "--category", metavar="CATEGORY", help="Main category, e.g. home-kitchen, food."),
    entity: Optional[str] = typer.Option(None, "--entity", metavar="NAME", help="Legal entity that owns the store."),
) -> None:
    """Start a project from an SOP, with its due dates planned.

    Writes projects/<id>.yaml, due dates planned along the dependencies from --start. The SOP's tasks, documents and approval gates are copied in, so later template
    changes never alter a project in flight. Prints the new id.

    Example:
      storeops new amazon-us --store "ACME Home US" --owner alice --target 2027-01-15
    """
    from storeops import actions, render

    project, warnings = actions.new_project(
        open_repo(ctx), sop_id, store=store, owner=owner, project_id=project_id, site=site,
        start=start, target=target, category=category, entity=entity,
    )
    for warning in warnings:
        render.warn(warning)
    render.out(project.id)


ORDER = 20


def register(app: typer.Typer) -> None:
    app.command("new")(new)
