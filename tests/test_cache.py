"""The cache of parsed and validated projects (.git/storeops/cache): never stale, never in the way."""

import json
import marshal
import os
import shutil
import subprocess
import sys

import pytest
from conftest import git, run_cli

from storeops import cache
from storeops.cache import ProjectCache


def status_json(stores) -> dict:
    result = run_cli("-C", str(stores), "status", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_output(stores, *args):
    result = run_cli("-C", str(stores), "check", *args)
    return result.exit_code, result.stdout


def cache_file(stores, section="summary"):
    return stores / ".git" / "storeops" / "cache" / section


def cached(stores, section):
    return ProjectCache.open(stores / ".git")._section(section)


@pytest.fixture
def two(stores, mini):
    """mini-us plus a second project with a problem check reports (an unknown owner)."""
    assert run_cli("-C", str(stores), "new", "mini", "--store", "Other", "--owner", "alice", "--id", "other").exit_code == 0
    path = stores / "projects" / "other.yaml"
    path.write_text(path.read_text().replace("owner: alice", "owner: zoe"))
    return stores


def test_results_are_the_same_cold_warm_and_without_cache(two, monkeypatch):
    cold_status, cold_check = status_json(two), check_output(two)
    assert all(cache_file(two, section).is_file() for section in cache.SECTIONS)
    warm_status, warm_check = status_json(two), check_output(two)
    monkeypatch.setenv("STOREOPS_NO_CACHE", "1")
    assert (status_json(two), check_output(two)) == (cold_status, cold_check) == (warm_status, warm_check)
    assert cold_check[0] == 1 and "'zoe' is not a person" in cold_check[1]


def test_a_hand_edit_with_the_same_size_and_time_is_seen(stores, mini):
    assert status_json(stores)["projects"][0]["store"] == "Mini Store"
    path = stores / "projects" / "mini-us.yaml"
    before = path.stat()
    path.write_text(path.read_text().replace("store: Mini Store", "store: Mini Shop!"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert status_json(stores)["projects"][0]["store"] == "Mini Shop!"
    code, out = check_output(stores)
    assert (code, out) == (0, "")


def test_a_hand_edit_that_breaks_the_file_is_reported_after_a_warm_run(stores, mini):
    assert check_output(stores) == (0, "")
    path = stores / "projects" / "mini-us.yaml"
    path.write_text(path.read_text().replace("state: todo", "state: finished", 1))
    code, out = check_output(stores)
    assert code == 1 and "tasks[0].state: 'finished' is not one of" in out
    line = path.read_text().splitlines().index("  state: finished") + 1
    result = run_cli("-C", str(stores), "status")  # the new bytes, not the cached ones
    assert result.exit_code == 1 and f"projects/mini-us.yaml:{line}:3: tasks[0].state: 'finished'" in result.stderr
    git(stores, "checkout", "--", "projects/mini-us.yaml")
    assert check_output(stores) == (0, "")


def test_a_checkout_of_another_version_is_seen(stores, mini):
    assert run_cli("-C", str(stores), "advance", mini, "licence").exit_code == 0
    assert status_json(stores)["projects"][0]["next_task"] == "licence"
    git(stores, "checkout", "HEAD~1", "--", "projects/mini-us.yaml")
    assert status_json(stores)["projects"][0]["done"] == 0
    assert "licence" in [t for t in status_json(stores)["projects"][0]["overdue"]]


@pytest.mark.parametrize("content", [b"", b"garbage\x00\xff" * 50, None])
@pytest.mark.parametrize("section", cache.SECTIONS)
def test_a_corrupt_or_truncated_cache_is_ignored_and_replaced(stores, mini, content, section):
    expected = status_json(stores), check_output(stores)
    path = cache_file(stores, section)
    good = path.read_bytes()
    path.write_bytes(content if content is not None else good[: len(good) // 2])
    assert (status_json(stores), check_output(stores)) == expected
    assert cached(stores, section)  # rewritten, loadable again


def test_a_cache_from_another_version_is_not_used(stores, mini):
    status_json(stores)
    path = cache_file(stores)
    fmt, name, _fingerprint, entries = marshal.loads(path.read_bytes())
    lying = {k: dict(v, store="from another version") for k, v in entries.items()}
    path.write_bytes(marshal.dumps((fmt, name, "another-fingerprint", lying)))
    assert status_json(stores)["projects"][0]["store"] == "Mini Store"


def test_a_damaged_entry_is_a_miss(stores, mini):
    check_output(stores)
    store = ProjectCache.open(stores / ".git")
    for key in list(store._section("project")):
        store.put(key, "project", b"not a pickle")
    store.save()
    assert check_output(stores) == (0, "")
    assert run_cli("-C", str(stores), "person", "remove", "carol").exit_code == 0  # reads every project


def test_concurrent_writers_never_leave_a_broken_cache(two):
    expected_status = json.dumps(status_json(two)["projects"])
    expected_check = check_output(two)
    env = dict(os.environ)
    runs = []
    for round_ in range(2):
        cache_file(two).unlink(missing_ok=True)
        procs = [subprocess.Popen([sys.executable, "-m", "storeops", "-C", str(two), command, *extra],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for command, extra in [("status", ["--json"]), ("check", []), ("status", ["--json"]), ("check", [])]]
        runs += [(p.args[5], *p.communicate(timeout=120), p.returncode) for p in procs]
    for command, out, err, code in runs:
        if command == "status":
            assert code == 0, err
            assert json.dumps(json.loads(out)["projects"]) == expected_status
        else:
            assert (code, out) == expected_check
    assert all(cached(two, section) for section in cache.SECTIONS)
    assert sorted(p.name for p in cache_file(two).parent.iterdir()) == sorted(cache.SECTIONS)  # no temp files


def test_the_last_of_two_writers_wins_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "fingerprint", lambda: "test")
    first, second = ProjectCache.open(tmp_path), ProjectCache.open(tmp_path)
    first.put("a" * 40, "summary", {"id": "a"})
    second.put("b" * 40, "summary", {"id": "b"})
    first.save()
    second.save()
    assert set(ProjectCache.open(tmp_path)._section("summary")) == {"b" * 40}


def test_stale_entries_are_dropped_after_a_full_read(stores, mini):
    check_output(stores)  # the first version: in findings and summary
    assert run_cli("-C", str(stores), "advance", mini, "licence").exit_code == 0
    status_json(stores)
    assert len(cached(stores, "summary")) == 1  # the second version only
    assert len(cached(stores, "findings")) == 1  # status does not read this section: still the first version
    assert check_output(stores, str(stores / "projects" / "mini-us.yaml")) == (0, "")  # partial: keeps the rest
    assert len(cached(stores, "findings")) == 2
    check_output(stores)
    assert len(cached(stores, "findings")) == 1


def test_no_cache_when_turned_off(stores, mini, monkeypatch):
    monkeypatch.setenv("STOREOPS_NO_CACHE", "1")
    status_json(stores)
    check_output(stores)
    assert not (stores / ".git" / "storeops" / "cache").exists()


def test_a_cache_that_cannot_be_written_is_not_an_error(stores, mini):
    cache = stores / ".git" / "storeops" / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache folder would go\n")
    assert status_json(stores)["projects"][0]["id"] == "mini-us"
    assert check_output(stores) == (0, "")


def test_the_same_content_under_another_name_still_fails_the_id_check(stores, mini):
    status_json(stores)
    (stores / "projects" / "copy.yaml").write_bytes((stores / "projects" / "mini-us.yaml").read_bytes())
    result = run_cli("-C", str(stores), "status")
    assert result.exit_code == 1  # skipped and named; the other project is still shown
    assert "projects/copy.yaml:2:1: id: id is 'mini-us' but the file is named copy.yaml" in result.stderr


def test_key_is_the_git_blob_id(stores, mini):
    raw = (stores / "projects" / "mini-us.yaml").read_bytes()
    assert cache.blob_id(raw) == git(stores, "hash-object", "projects/mini-us.yaml").strip()
