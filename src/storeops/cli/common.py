"""What every command needs: the selected stores repo, the language, options."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print a stable JSON object on stdout (see docs/json.md).")


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
