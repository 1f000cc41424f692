"""storeops init: a new stores repo, or the bundled example."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import state


def init(
    ctx: typer.Context,
    path: Optional[Path] = typer.Argument(None, metavar="PATH", help="Folder to initialise (default: here)."),
    name: Optional[str] = typer.Option(None, "--name", metavar="TEAM", help="Team name (default: the folder's name)."),
    timezone: str = typer.Option("UTC", "--timezone", metavar="TZ", help="IANA timezone, e.g. Asia/Shanghai."),
    language: str = typer.Option("en", "--language", metavar="en|zh", help="Interface language."),
    example: Optional[Path] = typer.Option(
        None, "--example", metavar="PATH", help="Instead: create a ready demo stores repo at PATH."
    ),
    forge: Optional[str] = typer.Option(
        None, "--forge", metavar="github|gitlab", help="Also write CI for pull requests and CODEOWNERS."
    ),
    install: Optional[str] = typer.Option(
        None, "--install", metavar="SPEC", help="With --forge: the pip requirement CI installs storeops with "
        "(see `storeops forge --help`)."
    ),
) -> None:
    """Make a folder a stores repo, with you as its admin.

    Writes storeops.yaml, projects/, attachments/ and sop/. Runs `git init` if needed, registers you (git user.name/user.email) as the
    first person with the admin role, registers the merge driver for project
    files in this clone, and commits.

    Examples:
      storeops init stores --name "ACME Ops" --timezone Asia/Shanghai --language zh
      storeops init stores --forge github
      storeops init stores --forge github --install "storeops @ git+https://github.com/acme/storeops@4f9e4e1"
      storeops init --example demo
    """
    from storeops import messages, render

    base = state(ctx).directory or Path.cwd()
    if example is not None:
        from storeops.example import build_example

        if path is not None:
            raise typer.BadParameter("give either PATH or --example PATH, not both")
        target = base / example
        built = build_example(target)
        _install_hook(target)
        render.message(f"example stores repo with {built.projects} projects in {target}")
        # paths after -C are read from the repo (like git -C): both are written as seen from here
        here = Path.cwd()
        repo_arg = _shell_path(os.path.relpath(target, here))
        out_arg = _shell_path(os.path.relpath(here / "statement.pdf", target))
        render.message(f"try: storeops -C {repo_arg} status")
        opening = f"storeops -C {repo_arg} open acme-amazon-us bank-statement -o {out_arg}"
        if built.own_key:
            render.message(f"you joined its team with your own age key: {opening}", "dim")
        elif built.you is not None:
            render.message(f"your demo key is in {built.keys}: STOREOPS_IDENTITY={built.keys / built.you}.txt "
                           f"{opening}", "dim")
        return
    from storeops.initrepo import init_repo

    target = base / path if path is not None else base
    if install is not None and forge is None:
        raise typer.BadParameter("only with --forge", param_hint="--install")
    if forge is not None:
        from storeops import install_spec
        from storeops.forge import FORGES

        if forge not in FORGES:
            raise typer.BadParameter(f"use {' or '.join(FORGES)}", param_hint="--forge")
        install = install_spec.resolve(install)  # before anything is written: refusing leaves no half repo
    config = init_repo(target, team=name, timezone=timezone, language=language)
    messages.team_chose(config.language)
    if forge is not None:
        from storeops.forge import write_forge
        from storeops.repo import StoresRepo

        for written in write_forge(StoresRepo.open(target), forge, install=install):
            render.message(f"wrote {written}")
    _install_hook(target)
    render.message(f"initialised stores repo {config.team!r} in {target.resolve()}")
    me = config.people[0]
    render.message(f"you are {me.name} ({', '.join(me.roles)}); next: storeops person add NAME --email E --role ops")


def _install_hook(root: Path) -> None:
    from storeops import render
    from storeops.hook import install

    path, status = install(root)
    if status in ("kept", "shared"):
        why = "already exists and is not storeops's" if status == "kept" else "is shared with other repositories"
        render.warn(f"{path} {why}: the guard against committing plaintext documents is not installed "
                    "(add `storeops hook pre-commit` to it; see docs/vault.md)")


def _shell_path(path: str) -> str:
    import shlex

    return shlex.quote(path)


ORDER = 10


def register(app: typer.Typer) -> None:
    app.command("init")(init)
