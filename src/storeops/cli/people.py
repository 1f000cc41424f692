"""storeops person add / list / remove: the team in storeops.yaml."""

from __future__ import annotations

from typing import List

import typer

from storeops.cli.common import JSON_OPTION, open_repo

person_app = typer.Typer(help="Manage the team: people, their emails and roles.\n\nExample: storeops person list",
                         no_args_is_help=True)


@person_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="Short name used in projects (e.g. alice)."),
    email: str = typer.Option(..., "--email", help="The email this person commits with (git user.email)."),
    roles: List[str] = typer.Option([], "--role", help="ops, finance, legal, lead or admin; repeat for several."),
) -> None:
    """Add a person to the team.

    Example:
      storeops person add carol --email carol@example.com --role finance
    """
    from storeops import actions, render

    person = actions.add_person(open_repo(ctx), name, email, roles)
    render.message(f"added {person.name} <{person.email}>" + (f" ({', '.join(person.roles)})" if person.roles else ""))


@person_app.command("list")
def list_people(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List the team.

    Example:
      storeops person list --json
    """
    from storeops import render

    config = open_repo(ctx).config
    if as_json:
        render.emit_json({"people": [
            {"name": p.name, "email": p.email, "roles": list(p.roles), "has_key": bool(p.age)} for p in config.people
        ]})
        return
    render.table(["name", "email", "roles", "key"],
                 [[p.name, p.email, ", ".join(p.roles) or "-", "yes" if p.age else "-"] for p in config.people])


@person_app.command("remove")
def remove(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME")) -> None:
    """Remove a person (refused while they own projects or hold open tasks).

    Example:
      storeops person remove dave
    """
    from storeops import actions, render

    actions.remove_person(open_repo(ctx), name)
    render.message(f"removed {name}")


ORDER = 90


def register(app: typer.Typer) -> None:
    app.add_typer(person_app, name="person")
