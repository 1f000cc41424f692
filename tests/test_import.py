"""storeops import: a tracker spreadsheet becomes projects, every bad cell reported, all or nothing, one commit."""

import csv

from conftest import git, run_cli
from openpyxl import Workbook

HEADERS = ["store", "site", "owner", "start", "target", "category", "entity"]


def _rows(n: int = 50) -> list[list]:
    from datetime import date

    return [[f"Shop {i:02d}", "us", ("alice", "bob")[i % 2], date(2026, 11, 2), date(2027, 1, 15), "home-kitchen",
             f"Entity {i:02d} Ltd."] for i in range(1, n + 1)]


def _xlsx(path, rows) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    book.save(path)


def _commits(root) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def test_fifty_rows_some_invalid_report_every_bad_cell_and_import_nothing_then_all_in_one_commit(stores, tmp_path):
    rows = _rows()
    rows[12][2] = "Bobby"                 # sheet row 14, column C
    rows[19][4] = "2026-13-01"            # row 21, E: not a date
    rows[29][1] = "xx"                    # row 31, B: not a site of amazon-us
    rows[39][0] = None                    # row 41, A: no store
    rows[44][6] = "Entity 01 Ltd."        # row 46, G: a second store for one entity on amazon-us
    sheet = tmp_path / "tracker.xlsx"
    _xlsx(sheet, rows)
    before = _commits(stores)
    result = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us")
    assert result.exit_code == 2
    err = result.stderr
    assert "tracker.xlsx:Sheet1!C14: owner 'Bobby' is not on the team — did you mean bob?" in err
    assert "tracker.xlsx:Sheet1!E21: target '2026-13-01' is not a date" in err
    assert "tracker.xlsx:Sheet1!B31: site 'xx' is not a site of amazon-us" in err
    assert "tracker.xlsx:Sheet1!A41: store is empty" in err
    assert "tracker.xlsx:Sheet1!G46: entity 'Entity 01 Ltd.' already has a store" in err
    assert "nothing was imported: 5 problem(s) in 5 of 50 row(s)" in err
    assert _commits(stores) == before and not list((stores / "projects").glob("*.yaml"))

    fixed = _rows()
    _xlsx(sheet, fixed)
    dry = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us", "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.count("would create") == 50 and _commits(stores) == before
    result = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us")
    assert result.exit_code == 0, result.stderr
    assert _commits(stores) == before + 1
    assert len(list((stores / "projects").glob("*.yaml"))) == 50
    message = git(stores, "log", "-1", "--format=%B")
    assert message.startswith("import 50 project(s) from tracker.xlsx") and "new shop-07-amazon-us: Shop 07" in message
    check = run_cli("-C", str(stores), "check")
    assert check.exit_code == 0, check.stdout + check.stderr

    again = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us")
    assert again.exit_code == 0 and "exists already" in again.stderr
    assert _commits(stores) == before + 1


def test_skip_invalid_imports_the_valid_rows(stores, tmp_path):
    rows = _rows(4)
    rows[1][2] = "zed"
    sheet = tmp_path / "t.xlsx"
    _xlsx(sheet, rows)
    result = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us", "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert "t.xlsx:Sheet1!C3: owner 'zed' is not on the team" in result.stderr
    assert len(list((stores / "projects").glob("*.yaml"))) == 3


def test_csv_with_a_mapping_and_task_columns_and_update(stores, tmp_path):
    sheet = tmp_path / "tracker.csv"
    with sheet.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Code", "Shop", "Manager", "Licence", "Licence by"])
        writer.writerow(["acme-one", "ACME One", "bob", "in_progress", "2026-11-20"])
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  id: Code\n  store: Shop\n  owner: Manager\n"
                       "tasks:\n  business-license:\n    state: Licence\n    due: Licence by\n")
    result = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us", "--map", str(mapping))
    assert result.exit_code == 0, result.stderr
    import json

    detail = json.loads(run_cli("-C", str(stores), "status", "acme-one", "--json").stdout)["project"]
    licence = next(t for t in detail["tasks"] if t["id"] == "business-license")
    assert (licence["state"], licence["due"], detail["owner"]) == ("in_progress", "2026-11-20", "bob")
    sheet.write_text("Code,Shop,Manager,Licence,Licence by\nacme-one,ACME One,carol,in_progress,2026-11-20\n")
    assert "exists already" in run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us",
                                       "--map", str(mapping)).stderr
    result = run_cli("-C", str(stores), "import", str(sheet), "--sop", "amazon-us", "--map", str(mapping), "--update")
    assert result.exit_code == 0 and "updated acme-one" in result.stdout
    assert json.loads(run_cli("-C", str(stores), "status", "acme-one", "--json").stdout)["project"]["owner"] == "carol"
    bad = tmp_path / "bad.csv"
    bad.write_text("Code,Shop,Manager,Licence,Licence by\nacme-two,Two,bob,finished,soon\n")
    result = run_cli("-C", str(stores), "import", str(bad), "--sop", "amazon-us", "--map", str(mapping))
    assert result.exit_code == 2
    assert "bad.csv:D2: business-license.state 'finished' is not a state" in result.stderr
    assert "bad.csv:E2: business-license.due 'soon' is not a date" in result.stderr


def test_template_prints_a_mapping_and_writes_a_sample_sheet_that_imports(stores, tmp_path):
    result = run_cli("import", "--template")
    assert result.exit_code == 0 and "columns:" in result.stdout
    (tmp_path / "map.yaml").write_text(result.stdout)
    sample = tmp_path / "sample.xlsx"
    assert run_cli("-C", str(stores), "import", str(sample), "--template", "--sop", "amazon-us").exit_code == 0
    result = run_cli("-C", str(stores), "import", str(sample), "--sop", "amazon-us", "--map", str(tmp_path / "map.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "created acme-home-us" in result.stdout
