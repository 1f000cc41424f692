"""storeops new: a project from an SOP, planned along its dependencies."""

import json

from conftest import git, run_cli

from storeops import yamlio


def test_new_copies_tasks_and_plans_due_dates(stores, mini):
    data = yamlio.load(stores / "projects" / "mini-us.yaml")
    assert data["sop"] == "mini@2026.1"
    assert data["platform"] == "amazon" and data["site"] == "us"
    assert data["compliance"] == {"ein": None}
    tasks = {t["id"]: t for t in data["tasks"]}
    assert list(tasks) == ["licence", "bank", "brand", "video", "review"]  # no food: no compliance-review
    assert tasks["licence"]["due"] == "2026-11-04"          # start + 2d
    assert tasks["bank"]["due"] == "2026-11-07"             # after licence + 3d
    assert tasks["video"]["due"] == "2026-11-12"            # after bank + 5d
    assert tasks["review"]["due"] == "2026-11-19"
    assert tasks["bank"]["assignee"] == "bob"               # finance gate: carol approves, so bob prepares
    assert tasks["bank"]["requires_approval"] == "finance"
    assert tasks["video"]["appointment"] is None and tasks["video"]["remind_before"] == "3d"
    assert tasks["review"]["external"] is True
    assert tasks["bank"]["documents"][0]["valid_days"] == 30
    assert all(t["state"] == "todo" for t in data["tasks"])


def test_new_prints_the_id_and_commits_with_trailers(stores, mini):
    message = git(stores, "log", "-1", "--format=%B")
    assert message.startswith("new mini-us: mini@2026.1 for Mini Store")
    assert "Storeops-Project: mini-us" in message and "Storeops-Action: new" in message
    assert git(stores, "show", "--name-only", "--format=", "HEAD").split() == ["projects/mini-us.yaml"]


def test_new_for_a_regulated_category_adds_compliance_review(stores, mini):
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Snacks", "--owner", "bob", "--category", "food")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "snacks-amazon-us"
    ids = [t["id"] for t in yamlio.load(stores / "projects" / "snacks-amazon-us.yaml")["tasks"]]
    assert "compliance-review" in ids


def test_new_warns_when_the_plan_ends_after_the_target(stores, mini):
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Rush", "--owner", "bob",
                     "--start", "2026-11-02", "--target", "2026-11-10")
    assert result.exit_code == 0
    assert "warning: the plan ends 2026-11-19, after the target 2026-11-10" in result.stderr


def _refused(stores, *args, message):
    before = sorted(p.name for p in (stores / "projects").iterdir())
    head = git(stores, "rev-parse", "HEAD")
    result = run_cli("-C", str(stores), "new", *args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert sorted(p.name for p in (stores / "projects").iterdir()) == before
    assert git(stores, "rev-parse", "HEAD") == head


def test_new_refuses_unknown_sop(stores):
    _refused(stores, "amazon-usa", "--store", "X", "--owner", "alice", message="unknown SOP 'amazon-usa'")


def test_new_refuses_unknown_person(stores, mini):
    _refused(stores, "mini", "--store", "X", "--owner", "zoe", message="unknown person 'zoe'")


def test_new_refuses_duplicate_id(stores, mini):
    _refused(stores, "mini", "--store", "X", "--owner", "bob", "--id", "mini-us", message="already exists")


def test_new_refuses_bad_dates(stores, mini):
    _refused(stores, "mini", "--store", "X", "--owner", "bob", "--start", "2026-13-01", message="--start")
    _refused(stores, "mini", "--store", "X", "--owner", "bob", "--target", "soon", message="--target")


def test_new_refuses_path_traversal_ids(stores, mini):
    for bad in ("../escape", "/etc/passwd", "a;rm -rf", "UPPER"):
        _refused(stores, "mini", "--store", "X", "--owner", "bob", "--id", bad, message="not a valid project id")


def test_new_refuses_a_site_the_sop_does_not_cover(stores, mini):
    _refused(stores, "mini", "--store", "X", "--owner", "bob", "--site", "jp", message="not a site of mini")


def test_status_json_lists_the_new_project(stores, mini):
    data = json.loads(run_cli("-C", str(stores), "status", "--json").stdout)
    assert data["version"] == 1
    [row] = data["projects"]
    assert row["id"] == "mini-us" and row["status"] == "preparing"
    assert row["done"] == 0 and row["total"] == 5 and row["next_task"] == "licence"


def test_new_refuses_a_target_before_the_start(stores, mini):
    _refused(stores, "mini", "--store", "X", "--owner", "bob", "--start", "2027-01-15", "--target", "2026-12-01",
             message="--target 2026-12-01 is before the start 2027-01-15")


def test_new_warns_when_nobody_can_approve_a_gate(stores, mini):
    result = run_cli("-C", str(stores), "person", "remove", "carol")
    assert result.exit_code == 0
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Gated", "--owner", "bob")
    assert result.exit_code == 0
    assert "nobody on the team holds the finance role, which must approve bank" in result.stderr


def test_new_makes_a_readable_id_from_a_chinese_store_name(stores):
    result = run_cli("-C", str(stores), "new", "shopee", "--site", "sg", "--store", "极客厨房", "--owner", "bob")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "jike-chufang-shopee-sg"
    second = run_cli("-C", str(stores), "new", "shopee", "--site", "sg", "--store", "重庆火锅", "--owner", "bob")
    assert second.stdout.strip() == "chongqing-huoguo-shopee-sg"  # the next Chinese-named store does not collide
    mixed = run_cli("-C", str(stores), "new", "shopee", "--site", "sg", "--store", "ACME 深圳市极客科技", "--owner", "bob")
    assert mixed.stdout.strip() == "acme-shenzhenshi-jike-keji-shopee-sg"


def test_id_option_wins_over_the_chinese_name(stores):
    result = run_cli("-C", str(stores), "new", "shopee", "--site", "sg", "--store", "极客厨房", "--owner", "bob",
                     "--id", "geek-kitchen-sg")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "geek-kitchen-sg"
    assert (stores / "projects" / "geek-kitchen-sg.yaml").exists()
