"""What every command needs: the selected stores repo, the language, options."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print a stable JSON object on stdout (see docs/json.md).")

# The project filters, the same on every listing command (storeops.filters gives their meaning).
PLATFORM_OPTION = typer.Option(None, "--platform", metavar="P", help="Only this platform (e.g. amazon).")
SITE_OPTION = typer.Option(None, "--site", metavar="S", help="Only this marketplace site (e.g. us, de).")
OWNER_OPTION = typer.Option(None, "--owner", metavar="PERSON", help="Only projects owned by this person.")
STATUS_OPTION = typer.Option(
    None, "--status", metavar="S", help="Only this status: preparing, under_review, approved, rejected, archived.")
SINCE_OPTION = typer.Option(None, "--since", metavar="DATE", help="Leave out projects archived before DATE.")


@dataclass
class State:
    directory: Path | None = None
    debug: bool = False
    lang: str | None = None


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def open_repo(ctx: typer.Context):
    from storeops.repo import StoresRepo

    return StoresRepo.open(state(ctx).directory or Path.cwd())


def language(ctx: typer.Context, repo=None) -> str:
    chosen = state(ctx).lang or os.environ.get("STOREOPS_LANG")
    if chosen in ("en", "zh"):
        return chosen
    if repo is not None:
        return repo.config.language
    return "en"
