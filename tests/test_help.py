"""Help reads well: short help that fits, named placeholders, the real behaviour described."""

import pytest
import typer
from conftest import run_cli

from storeops.cli.main import app


def _commands():
    """(path, click command, its parent group) for every command and subcommand."""
    root = typer.main.get_command(app)
    found = []

    def walk(group, prefix):
        for name in group.list_commands(None):
            command = group.get_command(None, name)
            found.append((prefix + name, command, group))
            if hasattr(command, "list_commands"):
                walk(command, prefix + name + " ")

    walk(root, "")
    return found


COMMANDS = _commands()


@pytest.mark.parametrize("path,command,group", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_short_help_is_one_whole_sentence_that_fits_80_columns(path, command, group):
    # click's own arithmetic: the width left next to the longest command name of the listing
    # (click formats help 2 columns narrower than its 80-column cap)
    limit = 78 - 6 - max(len(name) for name in group.list_commands(None))
    short = command.get_short_help_str(limit)
    assert not short.endswith("..."), f"storeops {path}: {short}"
    assert short.endswith(".") and short.count(". ") == 0, f"storeops {path}: {short}"


@pytest.mark.parametrize("path,command,group", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_value_has_a_named_placeholder(path, command, group):
    for param in command.params:
        if getattr(param, "is_flag", False) or getattr(param, "hidden", False) or param.name == "help":
            continue
        assert param.metavar, f"storeops {path}: {param.name} shows a type (TEXT, <str>) instead of a name"


def test_top_level_help_lists_every_command_untruncated():
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "..." not in result.stdout.split("Commands:")[1]


def test_argument_help_shows_the_name_alone():
    out = run_cli("advance", "--help").stdout
    assert "<str>" not in out and "TEXT" not in out.replace("--note TEXT", "")
    assert "--note TEXT" in out


def test_remind_days_help_says_what_is_left_out():
    out = " ".join(run_cli("remind", "--help").stdout.split())
    assert "--days DAYS" in out
    assert "waiting for unfinished dependencies is left out" in out
