"""storeops secret set / get / list / remove: a project's encrypted secrets."""

from __future__ import annotations

import sys
from typing import Optional

import typer
from typer.core import TyperCommand

from storeops.cli.common import WIDE_OPTION, JSON_OPTION, language, open_repo

secret_app = typer.Typer(
    help="Keep a project's secrets, encrypted in its file.\n\n"
         "Secrets are logins, ID numbers and the like, age-encrypted inside the project file. Displays show only a hint like ****1234.\n\nExample: storeops secret list acme-amazon-us",
    no_args_is_help=True)


def _read_value(key: str) -> str:
    """The secret from a hidden prompt on a terminal, else from stdin — never from argv,
    where it would land in shell history and `ps` output."""
    from storeops.errors import UsageError

    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"{key}: ")
        if getpass.getpass(f"{key} (again): ") != value:
            raise UsageError("the two entries differ; nothing was stored")
        return value
    try:
        value = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"the secret on stdin is not UTF-8 text (byte {error.start + 1}); nothing was stored",
                         hint="pipe text, or store a binary file with `storeops attach`") from None
    if value.endswith("\n"):
        value = value[:-2] if value.endswith("\r\n") else value[:-1]
    if "\n" in value:
        raise UsageError("the secret spans several lines", hint="store a file with `storeops attach` instead")
    return value


class _NoValueOnCommandLine(TyperCommand):
    """Refuses what `secret set` does not take without repeating it: click's "unexpected extra argument
    (VALUE)" or "no such option: --VALUE" would print the secret back, onto the screen and into CI logs."""

    def parse_args(self, ctx, args):
        from storeops.errors import UsageError

        try:
            rest = super().parse_args(ctx, args)
        except Exception as error:
            if type(error).__name__ != "NoSuchOption":
                raise
            raise UsageError("unknown option (not repeated here: it could be the secret); nothing was stored",
                             hint="the only option is --readers; see storeops secret set -h") from None
        if ctx.args and not ctx.resilient_parsing:  # completing a line is not running it
            raise UsageError("a secret is never taken from the command line (shell history, `ps`); "
                             "nothing was stored",
                             hint="type it at the hidden prompt, or pipe it in: "
                                  "pass show NAME | storeops secret set PROJECT KEY")
        return rest


@secret_app.command("set", cls=_NoValueOnCommandLine, context_settings={"allow_extra_args": True})
def set_secret(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    key: str = typer.Argument(..., metavar="KEY", help="Secret name, lower_snake_case."),
    readers: Optional[str] = typer.Option(None, "--readers", metavar="ROLE|PERSON,...",
                                          help="Who may decrypt: roles, people, `owner` (default: owner, admin)."),
) -> None:
    """Store a secret, typed at a hidden prompt or piped on stdin.

    Never as an argument: arguments end up in shell history and process lists.

    Examples:
      storeops secret set acme-amazon-us legal_rep_id_number
      pass show acme/seller-login | storeops secret set acme-amazon-us seller_password --readers ops
    """
    from storeops import render
    from storeops.secret import check_key, set_secret as store

    check_key(key)
    repo = open_repo(ctx)
    result = store(repo, project_id, key, _read_value(key), readers)
    for warning in result.warnings:
        render.warn(render.clean(warning))
    render.message(f"{'replaced' if result.replaced else 'stored'} {project_id} secret {key} ({result.hint}), "
                   f"readable by {', '.join(result.encrypted_to)}")


@secret_app.command("get")
def get_secret(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    key: str = typer.Argument(..., metavar="KEY", help="Secret name."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Print a secret's value, for its readers only.

    Anyone else gets exit 3 and the list of readers.

    Example:
      storeops secret get acme-amazon-us seller_password | xclip -selection clipboard
    """
    from storeops import render
    from storeops.secret import get_secret as reveal

    value = reveal(open_repo(ctx), project_id, key)
    if as_json:
        render.emit_json({"project": project_id, "key": key, "value": value})
    else:
        sys.stdout.write(value + "\n")


@secret_app.command("list")
def list_secrets(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    as_json: bool = JSON_OPTION,
    wide: bool = WIDE_OPTION,
) -> None:
    """List a project's secrets: names, hints, readers, never values.

    Example:
      storeops secret list acme-amazon-us --json
    """
    from storeops import render
    from storeops.labels import word
    from storeops.secret import list_secrets as listing

    repo = open_repo(ctx)
    rows = listing(repo, project_id)
    if as_json:
        render.emit_json({"project": project_id, "secrets": rows})
        return
    if not rows:
        render.message(f"{project_id} has no secrets; add one with `storeops secret set {project_id} KEY`")
        return
    lang = language(ctx, repo)
    render.table([word("secret", lang), word("hint", lang), word("readers", lang), word("you_can_read", lang)],
                 [[r["key"], r["hint"], ", ".join(r["reader_people"]) or "-", "yes" if r["you_can_read"] else "-"]
                  for r in rows], shrink=(1, 2))


@secret_app.command("remove")
def remove_secret(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    key: str = typer.Argument(..., metavar="KEY", help="Secret name."),
) -> None:
    """Remove a secret (git history keeps its ciphertext).

    Example:
      storeops secret remove acme-amazon-us old_password
    """
    from storeops import render
    from storeops.secret import remove_secret as drop

    drop(open_repo(ctx), project_id, key)
    render.message(f"removed {project_id} secret {key}")


ORDER = 71


def register(app: typer.Typer) -> None:
    app.add_typer(secret_app, name="secret")
