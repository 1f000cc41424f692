"""fastschema answers "valid?" exactly as jsonschema does, on real documents and on broken ones."""

import copy
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storeops import schema, yamlio
from storeops.config import Config, Person
from storeops.fastschema import compile_schema
from storeops.model import Approval, Archived, Rejection
from storeops.sop import instantiate, load_library, sop_files

LIBRARY = load_library(None)
PLATFORMS = ["platforms/" + name for name in schema.platform_names()]
CATEGORIES = [None, "home-kitchen", "food", "cosmetics", "toys-baby", "electronics"]


def _projects() -> list[dict]:
    config = Config(team="t", people=(Person("ann", "ann@example.com", ("ops", "finance", "legal", "lead")),))
    docs = []
    for sop in LIBRARY.values():
        for i, site in enumerate(sop.sites):
            project = instantiate(sop, project_id=f"p-{sop.id}-{site}", store="Store", owner="ann", site=site,
                                  start=date(2026, 1, 5), target=None, category=CATEGORIES[i % len(CATEGORIES)],
                                  entity="E Ltd.", config=config)
            data = project.to_dict()
            if i % 2:  # the later life of a project: files, approvals, rejections, archived
                task = data["tasks"][0]
                task["state"] = "done"
                for doc in task.get("documents", []):
                    doc.update(file=f"attachments/{project.id}/{doc['id']}.pdf", issued="2026-01-06")
                task["approvals"] = [Approval("bob", "finance", date(2026, 1, 7), "ok").to_dict()]
                task["notes"] = [{"at": "2026-01-07", "by": "ann", "text": "scanned"}]
                data["rejections"] = [Rejection(date(2026, 2, 1), "other", data["tasks"][-1]["id"], "no").to_dict()]
                data["archived"] = Archived(date(2026, 3, 1), "opened", "live").to_dict()
            docs.append(data)
    return docs


PROJECTS = _projects()
CONFIG = Config(team="t", people=(Person("ann", "ann@example.com", ("ops", "admin")),)).to_dict()
SOPS = [yamlio.load(path) for path, _, _ in sop_files(None)]

VALUES = [None, True, False, 0, 1, -1, 7, 1.0, 2.5, float("nan"), "", "x", "todo", "done", "skipped", "2026-01-01",
          "2026-13-45", "2026-12-10T10:00:00+08:00", "amazon", "us", "de", "A", "-bad", "3d", "ops", "lead",
          "attachments/x/y.pdf", "amazon-us@2026.1", "-----BEGIN AGE ENCRYPTED FILE-----\nx",
          [], ["a"], ["a", "a"], [1, True], {}, {"en": "x"}, {"x": 1}, {"id": "compliance-review"}]
KEYS = ["id", "extra", "en", "zh", "state", "notes", "vat", "ioss", "eori", "x_y", "Bad Key", "compliance"]


def _paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, here + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, here + (i,))


def _mutate(doc, data):
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "add", "duplicate"]))
        target = parent[path[-1]] if path else doc
        if action == "replace" and path:
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(VALUES)))
        elif action == "delete" and path and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(target, dict):
            target[data.draw(st.sampled_from(KEYS))] = copy.deepcopy(data.draw(st.sampled_from(VALUES)))
        elif action == "duplicate" and isinstance(target, list) and target:
            target.append(copy.deepcopy(target[0]))
    return doc


def _agree(name, doc):
    quick = schema.quick_check(name)
    assert quick is not None, name
    assert quick(doc) == schema.validator(name).is_valid(doc), (name, doc)


def test_every_shipped_schema_compiles():
    for name in ["project", "config", "sop", *PLATFORMS]:
        assert schema.quick_check(name) is not None, name


def test_real_documents_are_valid_both_ways():
    for doc in PROJECTS:
        for name in ["project", *PLATFORMS]:
            _agree(name, doc)
    _agree("config", CONFIG)
    for doc in SOPS:
        _agree("sop", doc)


FAST = settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@FAST
@given(st.data())
def test_broken_projects_agree_with_jsonschema(data):
    doc = _mutate(data.draw(st.sampled_from(PROJECTS)), data)
    _agree("project", doc)
    _agree(f"platforms/{doc['platform']}" if isinstance(doc.get("platform"), str)
           and f"platforms/{doc['platform']}" in PLATFORMS else "platforms/amazon", doc)
    _agree(data.draw(st.sampled_from(PLATFORMS)), doc)


@settings(FAST, max_examples=150)
@given(st.data())
def test_broken_configs_and_sops_agree_with_jsonschema(data):
    _agree("config", _mutate(CONFIG, data))
    _agree("sop", _mutate(data.draw(st.sampled_from(SOPS)), data))


@pytest.mark.parametrize("instance", [None, 1, "x", [], [{}], {"id": 1}])
def test_any_instance_is_answered_without_raising(instance):
    for name in ["project", "config", "sop", *PLATFORMS]:
        _agree(name, instance)


def test_unknown_keywords_leave_the_schema_to_jsonschema():
    assert compile_schema({"type": "string", "format": "email"}) is None
    assert compile_schema({"$ref": "https://example.com/other.json"}) is None
    assert compile_schema({"properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {}},
                           "additionalProperties": False}) is None


@pytest.mark.parametrize("schema_, good, bad", [
    ({"type": "integer"}, [1, 2.0], [True, 2.5, "1"]),
    ({"enum": [1, "a"]}, [1, 1.0, "a"], [True, "b"]),
    ({"const": False}, [False], [0, None]),
    ({"uniqueItems": True}, [[1, True], ["a", "b"], [{"a": 1}, {"a": 2}]], [[1, 1.0], [{"a": 1}, {"a": 1}]]),
    ({"contains": {"const": 1}}, [[0, 1], "not a list"], [[], [0]]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, [-1, 0.5, "x"], [1]),
    ({"minimum": 1}, [1, "x", float("nan")], [0]),
    ({"$defs": {"a": {"type": "string"}}, "items": {"$ref": "#/$defs/a"}}, [["x"], 3], [[1]]),
])
def test_keywords_follow_jsonschema(schema_, good, bad):
    import jsonschema

    quick = compile_schema(schema_)
    reference = jsonschema.Draft202012Validator(schema_)
    for value in good:
        assert quick(value) and reference.is_valid(value), value
    for value in bad:
        assert not quick(value) and not reference.is_valid(value), value
