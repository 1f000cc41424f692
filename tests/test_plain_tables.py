"""Plain (piped) tables line up in terminal cells, Chinese headers and values included."""

from conftest import run_cli

from storeops.textcells import cell_width


def column_starts(line: str) -> list[int]:
    """The terminal cell where each space-separated word of `line` starts."""
    starts, cell, previous = [], 0, " "
    for ch in line:
        if ch != " " and previous == " ":
            starts.append(cell)
        cell += cell_width(ch)
        previous = ch
    return starts


def test_chinese_status_columns_line_up_when_piped(stores, mini):
    header, row = run_cli("--lang", "zh", "-C", str(stores), "status").stdout.splitlines()[:2]
    assert header.split()[:4] == ["项目", "平台", "负责人", "状态"]
    assert column_starts(row) == column_starts(header)[: len(column_starts(row))]


def test_team_and_sop_tables_have_chinese_headers(stores):
    assert run_cli("--lang", "zh", "-C", str(stores), "person", "list").stdout.split()[:4] == ["姓名", "邮箱", "角色", "公钥"]
    assert run_cli("--lang", "zh", "sop", "list").stdout.split()[:3] == ["id", "版本", "平台"]
    assert run_cli("--lang", "zh", "sop", "show", "amazon-us").stdout.count("任务  ") >= 1
    assert run_cli("-C", str(stores), "person", "list").stdout.split()[:4] == ["name", "email", "roles", "key"]


def test_sop_tables_follow_the_team_language(stores):
    path = stores / "storeops.yaml"
    path.write_text(path.read_text().replace("language: en", "language: zh"))
    assert run_cli("-C", str(stores), "sop", "list").stdout.split()[:3] == ["id", "版本", "平台"]
    assert "准备营业执照" in run_cli("-C", str(stores), "sop", "show", "amazon-us").stdout
