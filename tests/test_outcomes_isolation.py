"""storeops isolation and the `isolation` rule of check: linked-account risk between active stores."""

import json
from datetime import date

import pytest
from conftest import run_cli
from edit_helpers import edit, project_data

from storeops.isolation import conflicts
from storeops.model import Archived, Project, Task


def cli(stores, *args):
    return run_cli("-C", str(stores), *args)


def store(pid, platform="amazon", site="us", entity=None, archived=False, **isolation):
    account = {"seller_id": None, "login_email": isolation.pop("login_email", None), "store_url": None,
               "payout_bound": False}
    return Project(id=pid, sop="x@2026.1", platform=platform, site=site, store=pid, owner="bob",
                   start=date(2026, 11, 2), tasks=(Task("t"),), entity=entity, account=account,
                   isolation={"network": None, "device": None, "phone": None, "payout_account": None, **isolation},
                   archived=Archived(date(2026, 11, 3), "failed") if archived else None)


@pytest.fixture
def pair(stores, mini):
    """Two amazon-us stores: mini-us and twin-us."""
    result = cli(stores, "new", "mini", "--store", "Twin Store", "--owner", "alice", "--id", "twin-us",
                 "--start", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    return mini, "twin-us"


def test_a_crafted_pair_sharing_a_network_is_flagged(stores, pair):
    a, b = pair
    assert cli(stores, "isolation", "set", a, "--network", "proxy-us-03", "--device", "vps-1").exit_code == 0
    result = cli(stores, "isolation", "set", b, "--network", "Proxy-US-03 ", "--device", "vps-2")
    assert result.exit_code == 0
    assert ("warning: twin-us: isolation.network 'Proxy-US-03' is shared with mini-us on amazon "
            "(linked-account risk)") in result.stderr
    result = cli(stores, "isolation")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].split() == ["network", "proxy-us-03", "amazon", "mini-us,", "twin-us"]
    assert "1 linked-account risk(s) among 2 active store(s)" in result.stderr
    data = json.loads(cli(stores, "isolation", "--json").stdout)
    assert data["conflicts"] == [{"kind": "network", "field": "isolation.network", "value": "proxy-us-03",
                                  "platform": "amazon", "site": None, "projects": ["mini-us", "twin-us"]}]
    assert data["active"] == 2 and data["unrecorded"] == []


def test_check_reports_the_shared_value_in_each_file_with_its_line(stores, pair):
    a, b = pair
    cli(stores, "link", a, "--login-email", "Ops@Example.com")
    cli(stores, "link", b, "--login-email", "ops@example.com")
    result = cli(stores, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("projects/mini-us.yaml:")
    assert lines[0].endswith(": account.login_email: 'Ops@Example.com' is shared with twin-us on amazon "
                             "(linked-account risk)")
    line_no = int(lines[0].split(":")[1])
    assert "login_email" in (stores / "projects" / "mini-us.yaml").read_text().splitlines()[line_no - 1]
    problems = json.loads(cli(stores, "check", "--json").stdout)["problems"]
    assert {p["code"] for p in problems} == {"isolation"}


def test_check_of_one_file_still_compares_with_the_others(stores, pair):
    a, b = pair
    cli(stores, "isolation", "set", a, "--phone", "+1 (555) 010-0100")
    cli(stores, "isolation", "set", b, "--phone", "+15550100100")
    result = cli(stores, "check", str(stores / "projects" / "twin-us.yaml"))
    assert result.exit_code == 1
    assert result.stdout.startswith("projects/twin-us.yaml:")
    assert "shared with mini-us" in result.stdout and "mini-us.yaml" not in result.stdout


def test_same_entity_twice_on_one_marketplace_is_flagged(stores, pair):
    a, b = pair
    edit(stores, a, lambda d: d.update(entity="ACME Trading Co., Ltd."))
    edit(stores, b, lambda d: d.update(entity="Acme Trading Co Ltd"))
    result = cli(stores, "check")
    assert result.exit_code == 1
    assert ("entity: 'ACME Trading Co., Ltd.' already has a store on amazon-us: twin-us "
            "(one seller account per entity per marketplace)") in result.stdout


def test_archived_stores_no_longer_conflict(stores, pair):
    a, b = pair
    cli(stores, "isolation", "set", a, "--device", "vps-1")
    cli(stores, "isolation", "set", b, "--device", "vps-1")
    assert cli(stores, "isolation").exit_code == 1
    assert cli(stores, "archive", a, "--outcome", "failed", "--reason", "suspended").exit_code == 0
    result = cli(stores, "isolation")
    assert result.exit_code == 0 and "among 1 active store(s)" in result.stderr
    assert cli(stores, "check").exit_code == 0


def test_isolation_set_records_and_clears(stores, mini):
    result = cli(stores, "isolation", "set", mini, "--network", "proxy-1", "--payout-account", "payoneer-7781")
    assert result.exit_code == 0 and "mini-us: network none → proxy-1" in result.stderr
    assert project_data(stores, mini)["isolation"]["payout_account"] == "payoneer-7781"
    assert cli(stores, "isolation", "set", mini, "--network", "").exit_code == 0
    assert project_data(stores, mini)["isolation"]["network"] is None
    result = cli(stores, "isolation", "set", mini)
    assert result.exit_code == 2 and "nothing to change" in result.stderr
    result = cli(stores, "isolation", "set", mini, "--device", "a\x1b[31mb")
    assert result.exit_code == 2 and "is not a plain one-line value" in result.stderr


def test_isolation_lists_stores_without_data(stores, mini):
    result = cli(stores, "isolation")
    assert result.exit_code == 0
    assert "no isolation data yet: mini-us" in result.stderr


def test_rules_across_platforms_and_sites():
    found = conflicts([
        store("a", network="n1", payout_account="p1", entity="ACME"),
        store("b", platform="shopee", site="sg", network="n1", payout_account="p1", entity="ACME"),  # other platform
        store("c", site="de", entity="ACME", payout_account="P1"),  # same platform, other site
        store("d", archived=True, network="n1", entity="ACME"),
    ])
    assert [(c.kind, c.projects) for c in found] == [("payout_account", ("a", "c"))]


def test_phone_numbers_compare_by_digits_and_emails_by_case():
    found = conflicts([store("a", phone="+86 138-0000-0000", login_email="Ops@X.com"),
                       store("b", phone="+8613800000000", login_email="ops@x.com")])
    assert [c.kind for c in found] == ["phone", "login_email"]
    assert found[0].message_for("b") == "'+8613800000000' is shared with a on amazon (linked-account risk)"
    assert found[0].value == "+86 138-0000-0000"
