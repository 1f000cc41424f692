"""Every command's --help reads cleanly: examples kept on their own lines, no runs of blank lines."""

from conftest import run_cli
from test_cli_surface import _commands

from storeops.cli.main import app


def test_no_help_page_has_runs_of_blank_lines():
    gappy = []
    for path, _ in _commands(app):
        result = run_cli(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        if "\n\n\n" in result.stdout:
            gappy.append(" ".join(path))
    assert gappy == []


def test_example_lines_are_not_rewrapped():
    text = run_cli("remind", "--help").stdout
    assert "\n    storeops remind --as-of 2026-12-07 --days 5 --format markdown\n" in text
