"""The project filters behave the same in every command: unknown names are refused with a did-you-mean."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli

COMMANDS = [["status"], ["board"], ["timeline"], ["remind"], ["report", "workload"], ["report", "rejections"],
            ["report", "cycle-time"]]


def cli(root, *args):
    return run_cli("-C", str(root), *args)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_unknown_owner_is_refused_with_a_suggestion_everywhere(stores, project, command):
    result = cli(stores, *command, "--owner", "bobby")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: --owner 'bobby' is not on the team\nhint: did you mean bob?\n"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_unknown_platform_is_refused_with_a_suggestion_everywhere(stores, project, command):
    result = cli(stores, *command, "--platform", "amazn")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: --platform 'amazn' is neither a platform nor an SOP id\n"
                                    "hint: did you mean amazon")


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != ["remind"]], ids=" ".join)
def test_unknown_status_is_refused_with_a_suggestion_everywhere(stores, project, command):
    result = cli(stores, *command, "--status", "rejectd")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: --status 'rejectd' is not a status\nhint: did you mean rejected?\n"


def test_an_unknown_site_is_refused_too(stores, project):
    result = cli(stores, "status", "--site", "uss")
    assert result.exit_code == 2 and "--site 'uss' is not a site of any SOP" in result.stderr
    assert "did you mean us" in result.stderr


def test_platform_takes_the_sop_id_shown_in_the_status_column(stores, project):
    made = cli(stores, "new", "amazon-eu", "--store", "Other", "--owner", "bob", "--id", "other")
    assert made.exit_code == 0, made.stderr
    by_sop = json.loads(cli(stores, "status", "--platform", "amazon-us", "--json").stdout)
    by_platform = json.loads(cli(stores, "status", "--platform", "amazon", "--json").stdout)
    assert [p["id"] for p in by_sop["projects"]] == [project]
    assert sorted(p["id"] for p in by_platform["projects"]) == sorted([project, "other"])
    board = json.loads(cli(stores, "board", "--platform", "amazon-us", "--json").stdout)
    assert board["filters"]["platform"] == "amazon-us"
    assert [p["id"] for c in board["columns"] for p in c["projects"]] == [project]
    workload = cli(stores, "report", "workload", "--platform", "amazon-eu", "--json")
    assert workload.exit_code == 0, workload.stderr
    remind = cli(stores, "remind", "--platform", "amazon-us", "--as-of", "2026-12-01", "--json")
    assert remind.exit_code == 0, remind.stderr
    assert {i["project"] for i in json.loads(remind.stdout)["items"]} == {project}


def test_a_known_owner_with_no_projects_is_an_empty_answer_not_an_error(stores, project):
    result = cli(stores, "status", "--owner", "dave", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["projects"] == []


def test_the_filter_options_have_one_definition():
    import inspect

    from storeops.cli import board, common, remind, reports, status, timeline

    for module in (board, reports, status, timeline, remind):
        source = inspect.getsource(module)
        for option in ('"--platform"', '"--owner"', '"--site"', '"--status"'):
            assert option not in source, (module.__name__, option)
    assert "PlatformOption" in dir(common)
