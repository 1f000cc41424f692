"""The CI that forge and cron-example write: how it installs storeops, and that GitHub/GitLab accept it.

The decision reads pip's record of how storeops was installed (PEP 610 direct_url.json). The tests run
from an editable install, so each branch is driven for real in a subprocess whose sys.path starts with a
hand-made storeops dist-info (the code still comes from this checkout).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import git, run_cli

from storeops import __version__, yamlio

TRICKY = """storeops[x] @ git+https://example.com/o/s.git@4f9e4e1 ; python_version >= "3.11" and os_name != 'nt' # no"""
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def schema(name: str) -> dict:
    """A CI schema as check-jsonschema ships it (SchemaStore's GitHub workflow schema, GitLab's own)."""
    return json.loads(resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(name).read_text())


def assert_valid_workflow(text: str, name: str = "github-workflows.json") -> dict:
    data = yamlio.loads(text)
    errors = sorted(jsonschema.Draft7Validator(schema(name)).iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return data


def fake_dist(where: Path, direct_url: dict | None, version: str = "9.8.7") -> Path:
    info = where / f"storeops-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: storeops\nVersion: {version}\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    return where


def storeops(*args: str, cwd: Path, dist: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if dist is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(dist), *filter(None, [env.get("PYTHONPATH")])])
    return subprocess.run([sys.executable, "-m", "storeops", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def pip_arguments(run: str) -> list[list[str]]:
    """What pip receives when bash runs `run` (pip replaced by a function that prints its arguments)."""
    shown = subprocess.run(["bash", "-c", "pip() { printf '%s\\0' \"$@\"; printf '\\n'; }\n" + run],
                           capture_output=True, text=True, check=True).stdout
    return [line.split("\0")[:-1] for line in shown.splitlines()]


def install_step(workflow: dict, job: str) -> str:
    [step] = [s for s in workflow["jobs"][job]["steps"] if s.get("name") == "install storeops"]
    return step["run"]


# ---- the decision, branch by branch ----

def test_an_index_install_pins_the_version(stores, tmp_path):
    made = storeops("forge", "github", cwd=stores, dist=fake_dist(tmp_path / "site", None))
    assert made.returncode == 0, made.stderr
    workflow = yamlio.loads((stores / ".github/workflows/storeops.yml").read_text())
    assert pip_arguments(install_step(workflow, "check")) == [["install", "storeops==9.8.7"]]
    assert "CI installs storeops with: pip install storeops==9.8.7" in made.stderr


def test_a_git_install_pins_the_url_and_commit(stores, tmp_path):
    dist = fake_dist(tmp_path / "site", {"url": "https://github.com/acme/storeops.git",
                                         "vcs_info": {"vcs": "git", "requested_revision": "main",
                                                      "commit_id": COMMIT}})
    made = storeops("forge", "github", cwd=stores, dist=dist)
    assert made.returncode == 0, made.stderr
    workflow = yamlio.loads((stores / ".github/workflows/storeops.yml").read_text())
    assert pip_arguments(install_step(workflow, "check")) == [
        ["install", f"storeops @ git+https://github.com/acme/storeops.git@{COMMIT}"]]


def test_a_remote_archive_install_keeps_its_url(stores, tmp_path):
    url = "https://files.example.com/storeops-9.8.7-py3-none-any.whl"
    made = storeops("cron-example", cwd=stores,
                    dist=fake_dist(tmp_path / "site", {"url": url, "archive_info": {}}))
    assert made.returncode == 0, made.stderr
    workflow = yamlio.loads(made.stdout.split("in the stores repo ----\n")[1])
    assert pip_arguments(install_step(workflow, "remind")) == [["install", f"storeops @ {url}"]]


@pytest.mark.parametrize("direct_url, how", [
    ({"url": "file:///home/me/storeops", "dir_info": {"editable": True}}, "an editable checkout"),
    ({"url": "file:///home/me/storeops", "dir_info": {}}, "a local path"),
    ({"url": "file:///home/me/storeops", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, "a local path"),
    ({"url": "file:///tmp/storeops-9.8.7-py3-none-any.whl", "archive_info": {}}, "a local path"),
], ids=["editable", "folder", "local-git", "local-wheel"])
def test_a_local_install_cannot_be_reproduced_in_ci(stores, tmp_path, direct_url, how):
    dist = fake_dist(tmp_path / "site", direct_url)
    for args in (("forge", "github"), ("cron-example",), ("init", str(tmp_path / "new"), "--forge", "gitlab")):
        refused = storeops(*args, cwd=stores, dist=dist)
        assert refused.returncode == 2, (args, refused.stderr)
        assert f"storeops was installed from {how} (file://" in refused.stderr
        assert "pass --install SPEC" in refused.stderr and "Traceback" not in refused.stderr
    assert not (stores / ".github").exists()
    assert not (tmp_path / "new").exists()  # init refused before writing anything


def test_this_editable_checkout_is_refused_without_install(stores):
    # the test run itself is an editable install: the real metadata, no fake
    refused = run_cli("-C", str(stores), "forge", "github")
    assert refused.exit_code == 2 and "an editable checkout" in refused.stderr
    assert "--install SPEC" in refused.stderr


# ---- --install: any requirement, safe in YAML and in the shell ----

def test_install_spec_with_quotes_markers_and_hash_reaches_pip_intact(stores):
    made = run_cli("-C", str(stores), "forge", "github", "--install", TRICKY)
    assert made.exit_code == 0, made.stderr
    workflow = assert_valid_workflow((stores / ".github/workflows/storeops.yml").read_text())
    assert pip_arguments(install_step(workflow, "check")) == [["install", TRICKY]]
    cron = run_cli("-C", str(stores), "cron-example", "--install", TRICKY)
    remind = assert_valid_workflow(cron.stdout.split("in the stores repo ----\n")[1])
    assert pip_arguments(install_step(remind, "remind")) == [["install", TRICKY]]
    gitlab = run_cli("-C", str(stores), "forge", "gitlab", "--install", TRICKY)
    assert gitlab.exit_code == 0, gitlab.stderr
    job = assert_valid_workflow((stores / ".gitlab/storeops.gitlab-ci.yml").read_text(), "gitlab-ci.json")
    assert pip_arguments("\n".join(job["storeops"]["before_script"][1:])) == [["install", TRICKY]]


@pytest.mark.parametrize("spec, why", [
    ("storeops\nrm -rf /", "one line without control characters"),
    ("storeops\u2028rm -rf /", "one line without control characters"),
    ("storeops @ git+https://x/${{ github.token }}", "would be evaluated by GitHub Actions"),
    ("  ", "--install is empty"),
])
def test_install_spec_that_cannot_be_written_safely_is_refused(stores, spec, why):
    refused = run_cli("-C", str(stores), "forge", "github", "--install", spec)
    assert refused.exit_code == 2 and why in refused.stderr
    assert not (stores / ".github").exists()


def test_init_install_needs_forge(tmp_path):
    refused = run_cli("init", str(tmp_path / "s"), "--install", "storeops==1")
    assert refused.exit_code == 2 and "only with --forge" in refused.stderr


# ---- the workflows against the forges' schemas ----

def test_generated_github_workflow_is_valid_and_caches_the_check_cache(stores):
    made = run_cli("-C", str(stores), "forge", "github", "--install", f"storeops=={__version__}")
    assert made.exit_code == 0, made.stderr
    workflow = assert_valid_workflow((stores / ".github/workflows/storeops.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    names = [s.get("name") or s.get("run") or s.get("uses") for s in steps]
    [cache] = [s for s in steps if s.get("uses") == "actions/cache@v4"]
    assert cache["with"]["path"] == ".git/storeops/cache"
    assert cache["with"]["key"] == "storeops-${{ runner.os }}-${{ github.sha }}"
    assert cache["with"]["restore-keys"].strip() == "storeops-${{ runner.os }}-"
    # restored after the checkout, before the first command that reads projects
    assert names.index("actions/checkout@v4") < names.index("storeops cache") < names.index("storeops check")


def test_pages_workflow_builds_the_site_and_deploys_it_with_github_pages(stores):
    made = run_cli("-C", str(stores), "forge", "github", "--pages", "--install", f"storeops=={__version__}")
    assert made.exit_code == 0, made.stderr
    workflow = assert_valid_workflow((stores / ".github/workflows/storeops-pages.yml").read_text())
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [s.get("run", "") for s in build["steps"]]
    assert any("storeops site -o _site" in r for r in runs)
    [upload] = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload["with"]["path"] == "_site"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"] == {"contents": "read"}  # only the deploy job may write to Pages
    assert "storeops-pages.yml" in git(stores, "show", "--stat", "HEAD")
    refused = run_cli("-C", str(stores), "forge", "gitlab", "--pages", "--install", "storeops==1")
    assert refused.exit_code == 2 and "--pages is for github only" in refused.stderr


def test_a_broken_workflow_fails_the_schema(stores):
    # the schema check can fail: a step with both `uses` and `run` is not a step
    run_cli("-C", str(stores), "forge", "github", "--install", "storeops==1")
    text = (stores / ".github/workflows/storeops.yml").read_text()
    broken = text.replace("      - run: storeops check\n", "      - run: storeops check\n        uses: x/y@v1\n")
    with pytest.raises(AssertionError, match="is not valid under any of the given schemas"):
        assert_valid_workflow(broken)


def test_generated_gitlab_job_is_valid(stores):
    made = run_cli("-C", str(stores), "forge", "gitlab", "--install", "storeops==1")
    assert made.exit_code == 0, made.stderr
    job = assert_valid_workflow((stores / ".gitlab/storeops.gitlab-ci.yml").read_text(), "gitlab-ci.json")
    assert job["storeops"]["cache"]["paths"] == [".git/storeops/cache"]
    assert_valid_workflow((stores / ".gitlab-ci.yml").read_text(), "gitlab-ci.json")


@pytest.mark.parametrize("fmt", ["slack", "feishu"])
def test_cron_example_workflow_is_valid(stores, fmt):
    result = run_cli("-C", str(stores), "cron-example", "--webhook-format", fmt, "--install", "storeops==1")
    assert result.exit_code == 0, result.stderr
    workflow = assert_valid_workflow(result.stdout.split("in the stores repo ----\n")[1])
    assert any(s.get("uses") == "actions/cache@v4" for s in workflow["jobs"]["remind"]["steps"])
    assert shlex.split(install_step(workflow, "remind")) == ["pip", "install", "storeops==1"]
    assert git(stores, "status", "--porcelain") == ""
