"""Tables fit the terminal they are in: no line wider than COLUMNS, no id broken, in English and Chinese."""

from __future__ import annotations

import re

import pytest

from conftest import isolate, run_cli
from storeops.textcells import cell_width

WIDTHS = (60, 80, 100, 160)
TABLES = (
    ("status",), ("status", "acme-amazon-us"), ("board",), ("person", "list"), ("sop", "list"),
    ("sop", "show", "amazon-us"), ("remind", "--as-of", "2026-12-05"), ("report", "rejections"),
    ("report", "workload"), ("report", "cycle-time"), ("isolation",), ("log", "--since", "2026-11-20"),
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The bundled example plus a store with a Chinese name (two cells a character)."""
    root = tmp_path_factory.mktemp("narrow") / "demo"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, tmp_path_factory.mktemp("home"))
        assert run_cli("init", "--example", str(root)).exit_code == 0
        made = run_cli("-C", str(root), "new", "shopee", "--site", "sg", "--store", "极客厨房旗舰店", "--owner", "bob",
                       "--id", "jike-shopee-sg", "--start", "2026-11-20")
        assert made.exit_code == 0, made.stderr
    return root


def ids(root) -> list[str]:
    return sorted(p.stem for p in (root / "projects").glob("*.yaml"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", TABLES, ids=" ".join)
def test_no_line_is_wider_than_the_terminal(demo, monkeypatch, command, width, lang):
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("--lang", lang, "-C", str(demo), *command)
    assert result.exit_code in (0, 1), result.stderr
    too_wide = [line for line in result.stdout.splitlines() if cell_width(line) > width]
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", (60, 80))
@pytest.mark.parametrize("command", [("status",), ("board",)], ids=" ".join)
def test_every_project_id_is_shown_whole(demo, monkeypatch, command, width, lang):
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("--lang", lang, "-C", str(demo), *command)
    shown = set(re.findall(r"[a-z0-9][a-z0-9-]*[a-z0-9]", result.stdout))
    assert set(ids(demo)) <= shown


def test_narrow_status_keeps_the_id_and_the_next_due_date_and_says_what_it_left_out(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    result = run_cli("-C", str(demo), "status")
    header = result.stdout.splitlines()[0].split()
    assert header[0] == "project" and "due" in header and "owner" not in header
    assert re.search(r"^acme-amazon-us .* (\d{4}-)?\d\d-\d\d$", result.stdout, re.M)
    assert "not shown at this width: " in result.stderr and "--wide" in result.stderr


def test_wide_shows_every_column_however_narrow(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    result = run_cli("-C", str(demo), "status", "--wide")
    assert result.stdout.splitlines()[0].split()[:3] == ["project", "platform", "owner"]
    assert "not shown" not in result.stderr


def test_piped_output_without_columns_keeps_every_column(demo, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    result = run_cli("-C", str(demo), "status")
    assert "overdue" in result.stdout.splitlines()[0] and "not shown" not in result.stderr


def test_chinese_store_names_line_up_in_cells(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = run_cli("-C", str(demo), "board")
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    chinese = next(line for line in lines if "极客厨房" in line)
    english = next(line for line in lines if "acme-amazon-de" in line)
    column = lambda line, text: cell_width(line[: line.index(text)])  # noqa: E731
    assert column(chinese, "shopee-sg ") == column(english, "amazon-de ")


def test_the_80_column_status_of_the_demo_reads_well(demo, monkeypatch, capsys):
    """Printed so that a reviewer can read it in the test log (pytest -s or -rA)."""
    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("en", "zh"):
        result = run_cli("--lang", lang, "-C", str(demo), "status")
        with capsys.disabled():
            print(f"\n--- storeops --lang {lang} status at 80 columns ---\n{result.stdout}{result.stderr}")
        assert all(cell_width(line) <= 80 for line in result.stdout.splitlines())
