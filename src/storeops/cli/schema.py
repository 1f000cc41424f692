"""storeops schema path / print / install: the JSON Schemas, for editors and CI."""

from __future__ import annotations

from typing import Optional

import typer

from storeops.cli.common import open_repo

schema_app = typer.Typer(help="Where the JSON Schemas are, for editors and other tools.\n\n"
                              "Example: storeops schema path project", no_args_is_help=True)

NAMES_HELP = "config, project, sop, or platforms/<platform> (e.g. platforms/amazon)."


def _path(name: str):
    from storeops.errors import UsageError, did_you_mean
    from storeops.schema import NAMES, platform_names, schema_path

    known = list(NAMES) + [f"platforms/{p}" for p in platform_names()]
    if name not in known:
        raise UsageError(f"unknown schema {name!r}", hint=did_you_mean(name, known) or "one of " + ", ".join(known))
    return schema_path(name)


@schema_app.command("path")
def path(name: Optional[str] = typer.Argument(None, metavar="NAME", help=NAMES_HELP)) -> None:
    """Print the path of a schema file (or of the schemas folder).

    Example:
      storeops schema path project
    """
    from storeops import render
    from storeops.resources import data_dir

    render.out(str(_path(name) if name else data_dir("schemas")))


@schema_app.command("print")
def print_schema(name: str = typer.Argument(..., metavar="NAME", help=NAMES_HELP)) -> None:
    """Print a schema's JSON.

    Example:
      storeops schema print sop > sop.schema.json
    """
    import sys

    sys.stdout.write(_path(name).read_text("utf-8"))


@schema_app.command("install")
def install(ctx: typer.Context) -> None:
    """Refresh the stores repo's copy of the schemas.

    Run it after upgrading storeops: it rewrites .storeops/schemas/. Project files point editors at that copy through their first line.

    Example:
      storeops schema install
    """
    from storeops import actions, render

    written = actions.install_schemas(open_repo(ctx))
    render.message(f"updated {len(written)} schema file(s)" if written else "schemas are up to date")


ORDER = 95


def register(app: typer.Typer) -> None:
    app.add_typer(schema_app, name="schema")
