"""Small sharp edges: whole numbers, merge-file arguments, --output folders, CSV text kept verbatim."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import run_cli


def cli(root, *args):
    return run_cli("-C", str(root), *args)


@pytest.mark.parametrize("typed", ["abc", "3.5", ""])
def test_a_number_option_that_is_not_a_number_gets_the_one_line_error(stores, typed):
    result = cli(stores, "remind", "--days", typed)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: --days: '{typed}' is not a whole number\nhint: write it in digits, like 3\n"


def test_the_number_error_in_chinese(stores):
    result = run_cli("--lang", "zh", "-C", str(stores), "remind", "--days", "abc")
    assert result.stderr == "错误：--days：'abc' 不是整数\n提示：用数字写，比如 3\n"


def test_merge_file_names_a_missing_file_and_exits_2(tmp_path):
    base, ours = tmp_path / "base.yaml", tmp_path / "ours.yaml"
    base.write_text("id: x\n")
    ours.write_text("id: x\n")
    result = run_cli("merge-file", str(base), str(ours), str(tmp_path / "theirs.yaml"), "projects/x.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'theirs.yaml'}: no such file\n")
    assert "conflict" not in result.stderr
    assert ours.read_text() == "id: x\n"


@pytest.mark.parametrize("command", [
    ["remind", "--format", "ics"],
    ["timeline", "--format", "mermaid"],
    ["export", "mini-us"],
    ["open", "mini-us", "licence-scan"],
    ["keygen"],
])
def test_output_into_a_missing_folder_is_refused_and_creates_nothing(stores, mini, tmp_path, command):
    missing = tmp_path / "nonexistent"
    result = cli(stores, *command, "--output", str(missing / "out.file"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: --output {missing / 'out.file'}: the folder {missing} does not exist\n"
                             "hint: create the folder first, or choose another path\n")
    assert not missing.exists()


def test_output_into_an_existing_folder_still_works(stores, mini, tmp_path):
    result = cli(stores, "remind", "--format", "ics", "--output", str(tmp_path / "r.ics"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "r.ics").read_text().startswith("BEGIN:VCALENDAR")


def test_rejections_csv_keeps_the_platform_message_verbatim(stores, mini):
    message = "Your application was declined.\nReason: document unclear\n\tPlease resubmit."
    assert cli(stores, "advance", mini, "licence").exit_code == 0
    result = cli(stores, "reject", mini, "--reason", "other", "--task", "licence", "--message", message)
    assert result.exit_code == 0, result.stderr
    out = cli(stores, "report", "rejections", "--format", "csv")
    assert out.exit_code == 0, out.stderr
    [row] = list(csv.DictReader(io.StringIO(out.stdout)))
    assert row["example"] == message
