"""The built-in SOP library: valid, complete, and usable for every site; sop list/show/templates."""

import json
from datetime import date

import pytest
from conftest import run_cli

from storeops import schema, yamlio
from storeops.check import check_sop_file
from storeops.sop import builtin_dir, instantiate, load_library, templates_dir
from storeops.config import Config, Person

BUILTIN = sorted(p for p in builtin_dir().glob("*.yaml"))
REQUIRED = {"amazon-us", "amazon-eu", "amazon-jp", "ebay", "walmart-us", "shopee", "lazada", "tiktok-shop",
            "aliexpress", "temu", "mercado-libre"}
TEAM = Config(team="t", people=(Person("alice", "a@x", ("ops",)), Person("carol", "c@x", ("finance",)),
                                 Person("dave", "d@x", ("legal",))))


def test_the_library_has_every_required_platform():
    assert REQUIRED <= {p.stem for p in BUILTIN}


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_builtin_sop_is_valid(path):
    assert check_sop_file(path, path.name) == []


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_builtin_sop_marks_gates_appointments_and_documents(path):
    data = yamlio.load(path)
    assert data["id"] == path.stem
    tasks = data["tasks"]
    gates = {t.get("requires_approval") for t in tasks}
    assert {"finance", "legal", "lead"} <= gates
    assert any(t.get("external") and t.get("check_every") for t in tasks)
    assert any(t["id"] == "compliance-review" and t.get("when_category") for t in tasks)
    documents = [d for t in tasks for d in t.get("documents", [])]
    assert any(d["sensitive"] for d in documents)
    valid = {d["id"]: d.get("valid_days") for d in documents}
    for doc_id, days in valid.items():
        if "bank-statement" in doc_id:
            assert days == 30, doc_id
    assert all(t["guide"]["en"] and t["guide"]["zh"] for t in tasks)
    assert "other" in [r["code"] for r in data["rejection_reasons"]]
    assert date.fromisoformat(data["reviewed"]).year >= 2025
    for t in tasks:
        if t.get("appointment"):
            assert t.get("remind_before")


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_site_instantiates_into_a_valid_project(path):
    sop = load_library(None)[path.stem]
    for site in sop.sites:
        for category in (None, "food"):
            project = instantiate(sop, project_id="p", store="S", owner="alice", site=site, start=date(2026, 11, 2),
                                  target=None, category=category, entity=None, config=TEAM)
            data = project.to_dict()
            assert schema.errors("project", data) == []
            assert schema.errors(f"platforms/{project.platform}", data) == [], (site, category)
            assert ("compliance-review" in [t.id for t in project.tasks]) == (category == "food")


def test_platform_schema_requires_vat_and_ioss_on_eu_sites():
    sop = load_library(None)["amazon-eu"]
    project = instantiate(sop, project_id="p", store="S", owner="alice", site="de", start=date(2026, 11, 2),
                          target=None, category=None, entity=None, config=TEAM)
    data = project.to_dict()
    del data["compliance"]["vat"]
    assert schema.errors("platforms/amazon", data) != []


def test_templates_exist_for_every_reference():
    for path in BUILTIN:
        for task in yamlio.load(path)["tasks"]:
            for doc in task.get("documents", []):
                if doc.get("template"):
                    assert (templates_dir() / doc["template"]).is_file(), doc["template"]


def test_sop_list_and_show(tmp_path):
    data = json.loads(run_cli("-C", str(tmp_path), "sop", "list", "--json").stdout)
    assert REQUIRED <= {s["id"] for s in data["sops"]}
    result = run_cli("sop", "show", "amazon-us")
    assert result.exit_code == 0 and "video-verification" in result.stdout
    shown = json.loads(run_cli("sop", "show", "amazon-us", "--json").stdout)
    assert shown["sop"]["id"] == "amazon-us" and shown["origin"] == "built-in"
    result = run_cli("sop", "show", "amazon-usa")
    assert result.exit_code == 2 and "did you mean amazon-us" in result.stderr


def test_team_sop_overrides_builtin_by_id(stores):
    data = yamlio.load(builtin_dir() / "ebay.yaml")
    data["version"] = "2027.1"
    data["title"]["en"] = "Our own eBay process"
    (stores / "sop" / "ebay.yaml").write_text(yamlio.dumps(data))
    listed = {s["id"]: s for s in json.loads(run_cli("-C", str(stores), "sop", "list", "--json").stdout)["sops"]}
    assert listed["ebay"]["origin"] == "team" and listed["ebay"]["version"] == "2027.1"
    result = run_cli("-C", str(stores), "new", "ebay", "--store", "E", "--owner", "alice")
    assert result.exit_code == 0, result.stderr
    assert yamlio.load(stores / "projects" / f"{result.stdout.strip()}.yaml")["sop"] == "ebay@2027.1"


def test_sop_templates_list_and_copy(tmp_path):
    result = run_cli("sop", "templates", "amazon-us", "--json")
    names = [t["name"] for t in json.loads(result.stdout)["templates"]]
    assert names
    out = tmp_path / "letters"
    assert run_cli("sop", "templates", "amazon-us", "--copy-to", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
