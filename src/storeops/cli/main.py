"""Entry point: global options, command registration, the one error boundary."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from storeops import __version__, messages
from storeops.cli import coercion, completion
from storeops.cli.common import state

coercion.install()


class StoreopsGroup(TyperGroup):
    """The only place where exceptions become messages and exit codes."""

    def invoke(self, ctx):
        # the language is chosen per run: in-process runs (tests, completion) share the module
        messages.choose(None)
        try:
            return self._invoke_reporting_errors(ctx)
        finally:
            messages.choose(None)

    def _invoke_reporting_errors(self, ctx):
        from storeops.errors import StoreopsError

        try:
            return super().invoke(ctx)
        except StoreopsError as error:
            if _debug(ctx):
                raise
            from storeops import render

            render.error(error.message)
            if error.hint:
                render.hint(error.hint)
            ctx.exit(error.exit_code)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as error:
            if _is_click_error(error) and not _debug(ctx) and _usage_language(ctx) == "zh":
                from storeops.cli import usage_zh

                usage_zh.show(error)
                ctx.exit(getattr(error, "exit_code", 2))
            if _is_click_error(error) or _debug(ctx):
                raise
            if isinstance(error, BrokenPipeError):
                ctx.exit(0)
            from storeops import render

            render.error(f"unexpected error: {type(error).__name__}: {error}")
            render.hint("rerun with --debug for the traceback, and report it")
            ctx.exit(70)
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            ctx.exit(130)


def _is_click_error(error: Exception) -> bool:
    # usage errors are click's to report (exit 2); typer may vendor its own click
    return any(cls.__name__ == "ClickException" for cls in type(error).__mro__)


def _usage_language(ctx) -> str:
    """The language for click's usage errors, which can come before the root callback chose one."""
    chosen = ctx.find_root().params.get("lang") or messages.requested()
    if chosen:
        return chosen
    try:
        directory = ctx.find_root().params.get("directory")
        return _team_language(Path(directory) if directory else None) or "en"
    except Exception:  # noqa: BLE001 - outside a stores repo: English
        return "en"


def _debug(ctx) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False) or os.environ.get("STOREOPS_DEBUG"))


app = typer.Typer(
    cls=StoreopsGroup,
    name="storeops",
    help="Store-opening projects as YAML files in git.\n\n"
    "Example: storeops init --example demo && storeops -C demo status",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storeops {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    directory: Optional[Path] = typer.Option(
        None, "-C", metavar="PATH", help="Run as if started in PATH (like git -C).", show_default=False
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="en|zh", help="Interface language (default: storeops.yaml, or $STOREOPS_LANG)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Store-opening projects as YAML files in git."""
    current = state(ctx)
    current.directory = directory
    current.debug = debug
    if lang is not None and lang not in ("en", "zh"):
        raise typer.BadParameter("use en or zh", param_hint="--lang")
    messages.choose(lang or messages.requested(), lambda: _team_language(directory))


def _team_language(directory: Path | None) -> str | None:
    """storeops.yaml's language, for messages printed before (or without) a command opening the repo."""
    from storeops.repo import StoresRepo, find_root

    return StoresRepo(find_root(directory or Path.cwd())).config.language


def _plain_argument_help() -> None:
    """Show arguments as their metavar alone (`PROJECT`), not typer's `PROJECT <str>`: the name says what goes there."""
    from typer.core import TyperArgument

    shown = getattr(TyperArgument, "display_type_rich", None)
    if shown is not None:  # typer releases before 0.16 print no type, and have no such method
        TyperArgument.display_type_rich = lambda self, ctx: None if self.metavar else shown(self, ctx)


def _register() -> None:
    """Each module under storeops/cli/ with a `register(app)` adds its commands, in ORDER."""
    import importlib
    import pkgutil

    import storeops.cli as package

    modules = [importlib.import_module(f"storeops.cli.{info.name}") for info in pkgutil.iter_modules(package.__path__)]
    for module in sorted((m for m in modules if hasattr(m, "register")), key=lambda m: getattr(m, "ORDER", 50)):
        module.register(app)
    _keep_examples(app)


def _keep_examples(typer_app: typer.Typer) -> None:
    """Stop click from re-wrapping the indented example lines of every command's help."""
    import inspect

    for info in typer_app.registered_commands:
        text = info.help or inspect.getdoc(info.callback) or ""
        info.help = _unwrapped_examples(text.strip())
    for group in typer_app.registered_groups:
        _keep_examples(group.typer_instance)


def _unwrapped_examples(text: str) -> str:
    out: list[str] = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        indented = [i for i, line in enumerate(lines) if line.startswith("  ")]
        if indented and not paragraph.lstrip("\n").startswith("\b") and indented == list(range(indented[0], len(lines))):
            head = lines[: indented[0]]
            if head:
                out.append("\n".join(head))
            out.append("\b\n" + "\n".join(lines[indented[0]:]))
        else:
            out.append(paragraph)
    return "\n\n".join(out)


_plain_argument_help()
_register()
completion.install()


def main(argv: list[str] | None = None) -> None:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        typer.echo(f"storeops {__version__}")  # before typer builds every command (2/3 of --version's time)
        return
    args = sys.argv[1:] if argv is None else argv
    done = completion.script_for(args) or completion.install_for(args)
    if done is not None:
        typer.echo(done)
        return
    app(args=argv, prog_name="storeops")
