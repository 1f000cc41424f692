"""`storeops forge github|gitlab`: CI that runs storeops on every pull request, and CODEOWNERS.

The files are written once and then belong to the team: storeops refuses to
overwrite a file that differs unless told to (--force).
"""

from __future__ import annotations

from pathlib import Path

from storeops import gitcmd, install_spec
from storeops.config import Config
from storeops.errors import UsageError
from storeops.model import ROLES
from storeops.repo import StoresRepo, atomic_write, refuse_links

FORGES = ("github", "gitlab")

GITHUB_WORKFLOW = """\
# Written by `storeops forge github`. Runs on every pull request:
#   storeops check                  every file valid at the head of the branch
#   storeops check --base BASE      every commit of the pull request: legal moves, approvals
#                                   committed by the approver, archived projects untouched
#   storeops diff BASE...HEAD       the change in domain words, in the job summary
name: storeops

on:
  pull_request:
  push:
    branches: [{branch}]

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
{steps}      - run: storeops check
      - name: storeops check --base (every commit of the pull request)
        if: github.event_name == 'pull_request'
        env:
          BASE: ${{{{ github.base_ref }}}}    # through env, never pasted into the script
        run: |
          # with signed approvals: commit the reviewers' keys and add --require-signed
          # git config gpg.ssh.allowedSignersFile .github/allowed_signers
          storeops check --base "origin/$BASE"
      - name: summary of the change
        if: always() && github.event_name == 'pull_request'
        env:
          BASE: ${{{{ github.base_ref }}}}
        run: storeops diff "origin/$BASE...HEAD" --format markdown >> "$GITHUB_STEP_SUMMARY"
"""

GITHUB_PAGES = """\
# Written by `storeops forge github --pages`. On every push to {branch}: build the dashboard
# (`storeops site`: board, project pages, due, reports) and publish it with GitHub Pages.
# The site shows project fields, tasks, people, dates, document names and rejection messages
# (never document contents or secrets); see docs/admin.md for who can see Pages.
# Settings > Pages > Source must be "GitHub Actions".
name: storeops site

on:
  push:
    branches: [{branch}]
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
{steps}      - name: build the site
        run: storeops site -o _site
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITLAB_JOB = """\
# Written by `storeops forge gitlab`. Include it from .gitlab-ci.yml:
#   include:
#     - local: .gitlab/storeops.gitlab-ci.yml
storeops:
  image: python:3.12-slim
  variables:
    GIT_DEPTH: "0"              # check --base walks the merge request's commits
  before_script:
    - apt-get update -qq && apt-get install -y -qq git >/dev/null
    - |
      {install_line}
  cache:                        # parsed and checked files, kept by content
    # per branch, so one merge request's pipeline never reads what another one's wrote
    key: storeops-$CI_COMMIT_REF_SLUG
    fallback_keys: [storeops-$CI_DEFAULT_BRANCH]
    paths: [.git/storeops/cache]
  script:
    - storeops check
    - |
      if [ -n "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" ]; then
        git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
        storeops diff "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME...HEAD" --format markdown > storeops-diff.md
        storeops check --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
      fi
  artifacts:
    when: always
    expose_as: storeops diff
    paths: [storeops-diff.md]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

GITLAB_CI = """\
include:
  - local: .gitlab/storeops.gitlab-ci.yml
"""

OWNERS_HEAD = """\
# Written by `storeops forge {forge}`. Who must review what, by role.
#
# storeops knows people by their git email (storeops.yaml), not by their
# {site} handle, so the owners below are placeholders: replace each
# {example} with a real team or handles, then remove the leading '#'.
# With branch protection ("require review from code owners") a pull request
# that touches these paths then needs that role's review.
#
# The project file holds every task of a store, so per-task review (finance
# signs off the bank step) is enforced by `storeops approve` + `storeops check
# --base`, not here; documents are separate files, so those can be routed.
"""


def github_steps(install_line: str, why_history: str, change: str, cache: bool = True) -> str:
    """The steps every generated GitHub workflow starts with: the whole history, Python, storeops, its cache."""
    steps = f"""\
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0          # {why_history}
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # how CI gets storeops: how the storeops that wrote this file was installed
      # (`{change} --install SPEC` to change it)
      - name: install storeops
        run: |
          {install_line}
"""
    if cache:
        steps += """\
      # parsed and checked files, kept by content (git blob id): any earlier run's cache is a
      # valid warm start. GitHub scopes caches by branch: a pull request's is not main's.
      - name: storeops cache
        uses: actions/cache@v4
        with:
          path: .git/storeops/cache
          key: storeops-${{ runner.os }}-${{ github.sha }}
          restore-keys: |
            storeops-${{ runner.os }}-
"""
    return steps


def owner(role: str, forge: str) -> str:
    return f"@your-org/team-{role}" if forge == "github" else f"@your-group/team-{role}"


def codeowners(config: Config, library: dict, forge: str = "github") -> str:
    lines = [OWNERS_HEAD.format(forge=forge, site="GitHub" if forge == "github" else "GitLab",
                                example=owner("finance", forge))]
    for role in ROLES:
        holders = [f"{p.name} <{p.email}>" for p in config.holders(role)]
        lines.append(f"# role {role}: {', '.join(holders) if holders else 'nobody yet'}")
    rows = [("the team, roles and policies: admins", "/storeops.yaml", ["admin"]),
            ("the team's own SOP templates: leads", "/sop/", ["lead"]),
            ("projects: operations, with the leads", "/projects/", ["ops", "lead"]),
            ("CI and this file: admins", "/.github/" if forge == "github" else "/.gitlab/", ["admin"])]
    routed = _gated_documents(library)
    rows += [("documents of tasks gated by a role's approval (from the SOPs)" if i == 0 else None,
              f"/attachments/**/{doc_id}.*", [role]) for i, (doc_id, role) in enumerate(routed)]
    width = max(len(pattern) for _, pattern, _ in rows) + 2
    for comment, pattern, roles in rows:
        if comment:
            lines += ["", f"# {comment}"]
        lines.append(f"# {pattern.ljust(width)}{' '.join(owner(r, forge) for r in roles)}")
    return "\n".join(lines) + "\n"


def _gated_documents(library: dict) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for sop in library.values():
        for task in sop.tasks:
            role = task.get("requires_approval")
            for doc in task.get("documents", []) if role else []:
                found.setdefault(doc["id"], role)
    return sorted(found.items())


def _branch(repo: StoresRepo) -> str:
    proc = gitcmd.run(repo.root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return proc.stdout.strip() or "main"


def files_for(forge: str, repo: StoresRepo, install: str | None = None, pages: bool = False) -> dict[str, str]:
    from storeops.sop import load_library

    if forge not in FORGES:
        raise UsageError(f"unknown forge {forge!r}", hint="github or gitlab")
    if pages and forge != "github":
        raise UsageError("--pages is for github only", hint="on GitLab, publish the output of `storeops site` "
                                                            "from a job of your own (see docs/admin.md)")
    install = install_spec.resolve(install)
    library = load_library(repo.root)
    values = {"install_line": install_spec.pip_install_line(install), "branch": _branch(repo)}
    if forge == "github":
        line, change = values["install_line"], "storeops forge github --force"
        check = github_steps(line, "check --base walks the pull request's commits", change)
        files = {".github/workflows/storeops.yml": GITHUB_WORKFLOW.format(steps=check, **values),
                 ".github/CODEOWNERS": codeowners(repo.config, library, "github")}
        if pages:
            build = github_steps(line, "cycle time and recent changes are read from the history", change, cache=False)
            files[".github/workflows/storeops-pages.yml"] = GITHUB_PAGES.format(steps=build, **values)
        return files
    files = {".gitlab/storeops.gitlab-ci.yml": GITLAB_JOB.format(**values),
             ".gitlab/CODEOWNERS": codeowners(repo.config, library, "gitlab")}
    if not (repo.root / ".gitlab-ci.yml").exists():
        files[".gitlab-ci.yml"] = GITLAB_CI
    return files


def write_forge(repo: StoresRepo, forge: str, force: bool = False, install: str | None = None,
                pages: bool = False) -> list[str]:
    """Write the forge's files and commit them; returns the paths written (unchanged ones left out)."""
    from storeops.actions import _restoring, commit_message

    with repo.lock():
        files = files_for(forge, repo, install, pages)
        changed = {}
        for rel, text in files.items():
            path: Path = repo.root / rel
            current = path.read_text("utf-8") if path.exists() else None
            if current == text:
                continue
            if current is not None and not force:
                raise UsageError(f"{rel} exists and differs from what storeops would write",
                                 hint="keep yours, or pass --force to replace it (git keeps the old one)")
            changed[rel] = text
        if not changed:
            return []
        refuse_links(repo.root, list(changed))
        with _restoring(repo, list(changed)):
            for rel, text in changed.items():
                atomic_write(repo.root / rel, text)
            gitcmd.commit_paths(repo.root, list(changed), commit_message(f"forge {forge}: CI and CODEOWNERS", "forge"))
        return list(changed)
