"""The interface in Chinese: storeops.yaml `language: zh`, --lang zh or STOREOPS_LANG=zh."""

import json

import pytest
from conftest import run_cli


@pytest.fixture
def zh_repo(stores, mini):
    path = stores / "storeops.yaml"
    path.write_text(path.read_text().replace("language: en", "language: zh"))
    return stores


def test_status_board_and_reports_speak_chinese_from_storeops_yaml(zh_repo):
    assert "待提交" in run_cli("-C", str(zh_repo), "status").stdout
    assert "准备营业执照" in run_cli("-C", str(zh_repo), "status", "mini-us", "licence").stdout
    assert "待提交" in run_cli("-C", str(zh_repo), "board").stdout
    assert run_cli("-C", str(zh_repo), "report", "workload").stdout.split()[:3] == ["人员", "未完成", "逾期"]


def test_lang_option_and_environment_override_the_team_language(stores, mini, monkeypatch):
    assert "待提交" in run_cli("--lang", "zh", "-C", str(stores), "status").stdout
    monkeypatch.setenv("STOREOPS_LANG", "zh")
    assert "待提交" in run_cli("-C", str(stores), "status").stdout
    assert "preparing" in run_cli("--lang", "en", "-C", str(stores), "status").stdout


def test_remind_in_chinese(zh_repo):
    out = run_cli("-C", str(zh_repo), "remind", "--as-of", "2026-12-30").stdout
    assert out and any("\u4e00" <= ch <= "\u9fff" for ch in out)


def test_json_stays_language_neutral(zh_repo):
    data = json.loads(run_cli("-C", str(zh_repo), "status", "--json").stdout)
    assert data["projects"][0]["status"] == "preparing"


def test_bad_language_is_a_usage_error(stores):
    result = run_cli("--lang", "fr", "-C", str(stores), "status")
    assert result.exit_code == 2
