"""Spreadsheets out: --format csv|xlsx (-o FILE, --excel) for status, board, remind and the reports."""

import csv
import io
import json
from datetime import date, datetime

import pytest
from conftest import example_repo, run_cli
from openpyxl import load_workbook


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return example_repo(tmp_path_factory, "sheets")


def test_status_xlsx_reads_back_with_real_dates_and_a_frozen_header(demo, tmp_path):
    out = tmp_path / "projects.xlsx"
    result = run_cli("-C", str(demo), "status", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("project", "store", "platform")
    projects = json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]
    assert [r[0] for r in rows[1:]] == [p["id"] for p in projects]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= len("ACME Living SG")
    dues = [r[9] for r in rows[1:] if r[9] is not None]
    assert dues and all(isinstance(d, datetime) for d in dues)
    first = next(p for p in projects if p["next_due"])
    row = next(r for r in rows[1:] if r[0] == first["id"])
    assert row[9].date() == date.fromisoformat(first["next_due"])


def test_headers_follow_the_team_language(demo, tmp_path):
    out = tmp_path / "board.xlsx"
    assert run_cli("-C", str(demo), "--lang", "zh", "board", "--format", "xlsx", "-o", str(out)).exit_code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "项目" and "状态" in rows[0]
    assert {"待提交", "审核中", "已通过", "被拒", "已归档"} <= {r[5] for r in rows[1:]}


def test_csv_has_a_bom_only_for_excel(demo):
    plain = run_cli("-C", str(demo), "status", "--format", "csv").stdout
    assert plain.startswith("project,store,")
    excel = run_cli("-C", str(demo), "status", "--format", "csv", "--excel").stdout
    assert excel.startswith("\ufeffproject,")
    assert len(list(csv.reader(io.StringIO(plain)))) == 9


def test_xlsx_needs_a_file(demo):
    result = run_cli("-C", str(demo), "status", "--format", "xlsx")
    assert result.exit_code == 2 and "-o FILE" in result.stderr
    assert run_cli("-C", str(demo), "status", "--format", "pdf").exit_code == 2


def test_remind_and_reports_write_spreadsheets(demo, tmp_path):
    for name, args in (("remind", ["remind", "--days", "14"]), ("rejections", ["report", "rejections"]),
                       ("workload", ["report", "workload"]), ("cycle", ["report", "cycle-time"])):
        out = tmp_path / f"{name}.xlsx"
        result = run_cli("-C", str(demo), *args, "--format", "xlsx", "-o", str(out))
        assert result.exit_code == 0, (name, result.stderr)
        rows = list(load_workbook(out).active.iter_rows(values_only=True))
        assert len(rows) >= 2, name
    rows = list(load_workbook(tmp_path / "remind.xlsx").active.iter_rows(values_only=True))
    assert isinstance(rows[1][0], datetime)
    rejected = list(load_workbook(tmp_path / "rejections.xlsx").active.iter_rows(values_only=True))
    assert any(r[2] == "acme-tiktok-uk" for r in rejected[1:])


def test_newlines_inside_cells_are_kept_and_formulas_are_not_run():
    from storeops import sheetio
    from storeops.sheets import Sheet

    sheet = Sheet("t", ["a", "b"], [["two\nlines", "=1+1"]])
    rows = list(csv.reader(io.StringIO(sheetio.csv_bytes(sheet).decode("utf-8"))))
    assert rows[1] == ["two\nlines", "'=1+1"]
    book = load_workbook(io.BytesIO(sheetio.xlsx_bytes(sheet)))
    assert book.active["A2"].value == "two\nlines" and book.active["B2"].value == "'=1+1"


def test_status_of_one_project_is_one_row_per_task(demo, tmp_path):
    out = tmp_path / "tasks.xlsx"
    assert run_cli("-C", str(demo), "status", "acme-amazon-us", "--format", "xlsx", "-o", str(out)).exit_code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    detail = json.loads(run_cli("-C", str(demo), "status", "acme-amazon-us", "--json").stdout)["project"]
    assert [r[0] for r in rows[1:]] == [t["id"] for t in detail["tasks"]]
    approved = next(r for r in rows[1:] if r[8])
    assert "(" in approved[8]


def test_report_csv_keeps_its_columns_and_takes_excel_and_a_file(demo, tmp_path):
    plain = run_cli("-C", str(demo), "report", "rejections", "--format", "csv").stdout
    excel = run_cli("-C", str(demo), "report", "rejections", "--format", "csv", "--excel").stdout
    assert plain.startswith("platform,reason,") and excel == "\ufeff" + plain
    out = tmp_path / "cycle.csv"
    assert run_cli("-C", str(demo), "report", "cycle-time", "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("platform,measure,")
