"""storeops import: a team's existing tracker (xlsx or csv) becomes projects, in one commit."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import open_repo, user_path

IMPORT_HELP = """Turn the rows of a tracker spreadsheet into projects.

Each row becomes a project from SOP: store, site, owner, start, target,
category, entity, and per-task state, assignee and due where the sheet has
them. Columns headed like those fields are taken as they are; otherwise a
mapping file (--map) names which column is what. Every row is checked first:
each bad cell is reported (file:Sheet!C14) and nothing is written unless all
rows are valid (or --skip-invalid). The import is one commit. Projects that
exist already are reported, not duplicated (--update changes them).

\b
Examples:
  storeops import --template > mapping.yaml
  storeops import sample.xlsx --template --sop amazon-us
  storeops import tracker.xlsx --sop amazon-us --dry-run
  storeops import tracker.xlsx --sop amazon-us --map mapping.yaml
  storeops import tracker.csv --sop shopee --skip-invalid
"""


def import_(
    ctx: typer.Context,
    file: Optional[Path] = typer.Argument(None, metavar="FILE", help="The tracker: .xlsx or .csv."),
    sop_id: Optional[str] = typer.Option(None, "--sop", metavar="SOP", help="The SOP every row's project follows."),
    mapping_file: Optional[Path] = typer.Option(None, "--map", metavar="MAPPING",
                                                help="YAML naming which column is which field (see --template)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and say what would happen; write nothing."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Import the valid rows, report the others."),
    update: bool = typer.Option(False, "--update", help="Change projects that exist already to match the sheet."),
    template: bool = typer.Option(False, "--template",
                                  help="Print a starter mapping; with FILE, write a sample sheet there instead."),
) -> None:
    from storeops import actions, importer, render
    from storeops.errors import UsageError
    from storeops.messages import say

    if template:
        _template(ctx, file, sop_id)
        return
    if file is None:
        raise UsageError("missing FILE", hint="storeops import tracker.xlsx --sop SOP (or --template for a start)")
    if sop_id is None:
        raise UsageError("missing --sop", hint="the SOP every imported project follows (storeops sop list)")
    from storeops.sop import get_sop, load_library

    repo = open_repo(ctx)
    path = user_path(ctx, file)
    mapping = importer.read_mapping(user_path(ctx, mapping_file)) if mapping_file is not None else None
    table = importer.read_table(path, mapping.sheet if mapping else None)
    mapping = mapping or importer.default_mapping(table.headers)
    with repo.lock():
        config = repo.config
        sop = get_sop(load_library(repo.root), sop_id)
        found = importer.plan(table, mapping, sop, config, repo, actions.today(config), update=update)
        for problem in found.problems:
            render.error(str(problem))
        if found.problems and not skip_invalid:
            raise UsageError(f"nothing was imported: {len(found.problems)} problem(s) in {found.bad_rows} of "
                             f"{found.rows} row(s)",
                             hint="fix them and run again, or pass --skip-invalid to import the valid rows")
        for project_id in found.existing:
            render.message(f"{project_id} exists already: left as it is" + ("" if update else " (--update changes it)"))
        if dry_run:
            for project in found.new:
                render.out(say(f"would create {project.id}: {project.store} ({project.owner})"))
            for project in found.updated:
                render.out(say(f"would update {project.id}"))
            render.message(f"dry run: {len(found.new)} to create, {len(found.updated)} to update, "
                           f"{len(found.existing)} unchanged, {found.bad_rows} invalid row(s); nothing was written")
            return
        sha = importer.commit(repo, found, path.name, actions.actor(repo))
    for project in found.new:
        render.out(say(f"created {project.id}: {project.store} ({project.owner})"))
    for project in found.updated:
        render.out(say(f"updated {project.id}"))
    if sha is None:
        render.message("nothing to import: every row's project exists already")
    else:
        render.message(f"imported {len(found.new)} new and {len(found.updated)} updated project(s) in commit {sha[:7]}"
                       + (f"; {found.bad_rows} invalid row(s) skipped" if found.bad_rows else ""))


def _template(ctx: typer.Context, file: Optional[Path], sop_id: Optional[str]) -> None:
    import sys

    from storeops import importer, render

    if file is None:
        sys.stdout.write(importer.TEMPLATE)
        return
    from storeops import actions, sheetio
    from storeops.errors import StoreopsError, UsageError
    from storeops.sheets import Sheet

    owner, site, today = "alice", "us", None
    try:
        repo = open_repo(ctx)
        owner = repo.config.people[0].name if repo.config.people else owner
        today = actions.today(repo.config)
        if sop_id:
            from storeops.sop import get_sop, load_library

            site = get_sop(load_library(repo.root), sop_id).sites[0]
    except StoreopsError:
        pass
    if today is None:
        from datetime import date

        today = date.today()
    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"{file}: not a .xlsx or .csv name", hint="for example: sample.xlsx")
    sheet = Sheet("Sheet1", list(importer.SAMPLE_HEADERS), importer.sample_rows(owner, site, today))
    from storeops.cli.sheetout import emit

    emit(ctx, sheet, suffix[1:], file, False)
    render.message(f"wrote a sample sheet to {file}; its mapping: storeops import --template")


ORDER = 24


def register(app: typer.Typer) -> None:
    app.command("import", help=IMPORT_HELP)(import_)
