"""storeops person add / key / list / remove: the team in storeops.yaml."""

from __future__ import annotations

from typing import List, Optional

import typer

from storeops.cli.common import WIDE_OPTION, JSON_OPTION, complete_person, complete_project, language, open_repo

person_app = typer.Typer(help="Manage the team: people, their emails and roles.\n\nExample: storeops person list",
                         no_args_is_help=True)


@person_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="Short name used in projects (e.g. alice)."),
    email: str = typer.Option(..., "--email", metavar="EMAIL", help="The email this person commits with (git user.email)."),
    roles: List[str] = typer.Option([], "--role", metavar="ROLE", help="ops, finance, legal, lead or admin; repeat for several."),
    age_recipient: Optional[str] = typer.Option(None, "--age-recipient", metavar="age1...",
                                                help="Their age public key (from `storeops keygen`)."),
    ssh_key: Optional[str] = typer.Option(None, "--ssh-key", metavar='"ssh-ed25519 ..."',
                                          help="Or their SSH public key (ssh-ed25519 or ssh-rsa)."),
) -> None:
    """Add a person to the team, with roles and a key.

    The key (optional) is the public key their documents are encrypted to.

    Examples:
      storeops person add carol --email carol@example.com --role finance
      storeops person add bob --email bob@example.com --role ops --ssh-key "$(cat bob_id_ed25519.pub)"
    """
    from storeops import actions, render

    key = _one_key(age_recipient, ssh_key, required=False)
    person = actions.add_person(open_repo(ctx), name, email, roles, key)
    render.message(f"added {person.name} <{person.email}>" + (f" ({', '.join(person.roles)})" if person.roles else "")
                   + (" with a key" if person.age else ""))


def _one_key(age_recipient: str | None, ssh_key: str | None, required: bool) -> str | None:
    from storeops.errors import UsageError

    if age_recipient is not None and ssh_key is not None:
        raise UsageError("give --age-recipient or --ssh-key, not both")
    if required and age_recipient is None and ssh_key is None:
        raise UsageError("which key?", hint="pass --age-recipient age1... or --ssh-key \"ssh-ed25519 ...\"")
    if age_recipient is not None:
        from storeops.vault import normalize_key

        if not age_recipient.strip().startswith("age1"):
            normalize_key(age_recipient, "--age-recipient")  # explains private keys and SSH keys given here
            raise UsageError("--age-recipient: an age recipient starts with age1", hint="for SSH keys use --ssh-key")
        return age_recipient
    if ssh_key is not None and ssh_key.strip().startswith("age1"):
        raise UsageError("--ssh-key: that is an age recipient", hint="use --age-recipient")
    return ssh_key


@person_app.command("key")
def key(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, metavar="NAME", help="The person (default: you)."),
    age_recipient: Optional[str] = typer.Option(None, "--age-recipient", metavar="age1...",
                                                help="Their age public key."),
    ssh_key: Optional[str] = typer.Option(None, "--ssh-key", metavar='"ssh-ed25519 ..."',
                                          help="Or their SSH public key."),
) -> None:
    """Set or replace the public key a person reads documents with.

    Documents encrypted earlier stay readable only with the old key until
    someone runs `storeops rekey`.

    Examples:
      storeops person key carol --age-recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
      storeops person key --age-recipient "$(storeops keygen)"
    """
    from storeops import actions, render

    key_text = _one_key(age_recipient, ssh_key, required=True)
    repo = open_repo(ctx)
    me = actions.actor(repo).person
    person, old = actions.set_person_key(repo, name, key_text)
    render.message(f"{'replaced' if old else 'set'} {person.name}'s key")
    if old and me is not None and me.name == person.name:
        where = _old_identity(ctx, repo, old)
        render.message(f"next: storeops rekey --identity {where or 'OLD-IDENTITY-FILE'} (your new key cannot open "
                       "what was encrypted to the old one: rekey with both)", "dim")
    else:
        render.message("next: storeops rekey (re-encrypts existing documents and secrets to the new key)", "dim")


def _old_identity(ctx: typer.Context, repo, recipient: str) -> str | None:
    """Where the identity of your replaced key is, as a path to type here: the usual places and the demo's keys."""
    import os
    from pathlib import Path

    from storeops import vault
    from storeops.cli.common import state

    places = [vault.default_identity_path(), repo.root / ".git" / "storeops-example-keys"]
    if os.environ.get("STOREOPS_IDENTITY"):
        places.insert(0, Path(os.environ["STOREOPS_IDENTITY"]).expanduser())
    found = vault.identity_of(recipient.strip(), places) if recipient.strip().startswith("age1") else None
    if found is None:
        return None
    if state(ctx).directory is None:
        try:
            return str(found.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            pass
    return str(found.resolve())


@person_app.command("list")
def list_people(ctx: typer.Context, as_json: bool = JSON_OPTION, wide: bool = WIDE_OPTION) -> None:
    """List the team.

    Example:
      storeops person list --json
    """
    from storeops import render
    from storeops.labels import word
    from storeops.vault import key_kind

    repo = open_repo(ctx)
    config = repo.config
    if as_json:
        render.emit_json({"people": [
            {"name": p.name, "email": p.email, "roles": list(p.roles), "has_key": bool(p.age)} for p in config.people
        ]})
        return
    lang = language(ctx, repo)
    render.table([word(k, lang) for k in ("name", "email", "roles", "key")],
                 [[p.name, p.email, ", ".join(p.roles) or "-", key_kind(p.age) or "-"] for p in config.people],
                 drop=[3, 1, 2], shrink=(1,))


@person_app.command("remove")
def remove(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME")) -> None:
    """Remove a person from the team.

    Refused while they own projects or hold open tasks: move those with
    `storeops handover NAME --to PERSON` first.

    Example:
      storeops person remove dave
    """
    from storeops import actions, render

    repo = open_repo(ctx)
    had_key = bool(repo.config.person(name) and repo.config.person(name).age)
    actions.remove_person(repo, name)
    render.message(f"removed {name}")
    if had_key:
        render.message(f"next: storeops rekey (until then {name} can still decrypt documents at HEAD)", "dim")


def handover(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="PERSON", autocompletion=complete_person,
                               help="Who is leaving or moving team."),
    to: str = typer.Option(..., "--to", metavar="PERSON", autocompletion=complete_person,
                           help="Who takes over their projects and tasks."),
    projects: List[str] = typer.Option([], "--project", metavar="ID", autocompletion=complete_project,
                                       help="Only this project; repeat for several (default: all)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would move; change nothing."),
) -> None:
    """Give all of a person's open work to someone else.

    Active projects PERSON owns get a new owner and their tasks that are not
    done or skipped a new assignee; archived projects stay as history. Gated
    tasks the new assignee cannot approve themselves are named.

    Examples:
      storeops handover bob --to carol --dry-run
      storeops handover bob --to carol --project acme-amazon-us
    """
    from storeops import render
    from storeops.handover import handover as move_all

    moves = move_all(open_repo(ctx), name, to, projects or None, dry_run)
    if not moves:
        render.message(f"{name} has nothing to hand over")
        return
    for move in moves:
        if move.task is None:
            render.message(f"{move.project}: owner {name} → {to}")
        else:
            render.message(f"{move.project}: {move.task} {name} → {to}")
    for move in moves:
        if move.role_clash:
            render.warn(f"{move.project}: {move.task} needs a {move.role_clash} approval from someone other than "
                        f"{to} (cross-review)")
    owned = sum(1 for m in moves if m.task is None)
    if dry_run:
        render.message(f"dry run: {owned} project(s) and {len(moves) - owned} task(s) would move; nothing changed",
                       "dim")
    else:
        render.message(f"handed over {owned} project(s) and {len(moves) - owned} task(s) to {to} in one commit", "dim")


ORDER = 90


def register(app: typer.Typer) -> None:
    app.add_typer(person_app, name="person")
    app.command("handover")(handover)
