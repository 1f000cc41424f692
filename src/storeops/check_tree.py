"""`storeops check`, tree-wide: files of the stores repo that no project accounts for, and symlinks.

check.py reads what the projects declare; a hostile pull request can also add what nobody declares:
plaintext under attachments/ or projects/, a file named `.age` that is not ciphertext, or a symlink
that makes storeops read (and print) or write a file outside the repository. Symlinks are reported,
never followed.
"""

from __future__ import annotations

import os
from pathlib import Path

from storeops import gitcmd
from storeops.problems import Finding as Problem
from storeops.repo import ATTACHMENTS_DIR, CONFIG_FILE, PROJECTS_DIR, SOP_DIR, StoresRepo, linked

LINK_ROOTS = (PROJECTS_DIR, ATTACHMENTS_DIR, SOP_DIR, CONFIG_FILE)
SYMLINK_MODE = "120000"
KEPT = {f"{PROJECTS_DIR}/README.md", f"{ATTACHMENTS_DIR}/README.md", f"{PROJECTS_DIR}/.gitkeep",
        f"{ATTACHMENTS_DIR}/.gitkeep"}  # what `init` writes to keep the folders


def link_message(path: str) -> str:
    return (f"{path} is a symbolic link; storeops never follows links in the stores repo "
            "(replace it with the file itself, or remove it: git rm)")


def listed(root: Path) -> dict[str, str]:
    """Files under LINK_ROOTS, tracked (with git's mode) and untracked but not ignored (mode '')."""
    found: dict[str, str] = {}
    tracked = gitcmd.run(root, "ls-files", "-z", "-s", "--", *LINK_ROOTS, check=False)
    for entry in tracked.stdout.split("\0"):
        if "\t" in entry:
            meta, path = entry.split("\t", 1)
            found[path] = meta.split(" ")[0]
    others = gitcmd.run(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *LINK_ROOTS, check=False)
    for path in others.stdout.split("\0"):
        if path and not Path(path).name.startswith("."):  # our own temp files while a write runs
            found.setdefault(path, "")
    return found


def declared_files(projects: dict) -> set[str]:
    """Every attachment path a project names (documents and rejection evidence). `projects`: id → Project."""
    files = set()
    for project in projects.values():
        for task in project.tasks:
            files.update(doc.file for doc in task.documents if doc.file)
        files.update(r.evidence for r in project.rejections if r.evidence)
    return files


def tree_problems(repo: StoresRepo, projects: dict) -> list[Problem]:
    """Symlinks, and files under attachments/ or projects/ that no project declares.

    `projects`: id → Project, every project that parses (check_repo reads them once for this and isolation)."""
    from storeops import agefile

    root = repo.root
    problems: list[Problem] = []
    links: set[str] = set()
    for top in LINK_ROOTS:
        if (root / top).is_symlink():
            links.add(top)
    files = listed(root)
    folders: dict = {}
    for path, mode in files.items():
        link = path if mode == SYMLINK_MODE else linked(root, path, folders)
        if link is not None:
            links.add(link)
    for link in sorted(links):
        problems.append(Problem(link, None, None, link_message(link), "symlink"))
    declared = declared_files(projects)
    for path in sorted(files):
        if any(path == link or path.startswith(link + "/") for link in links):
            continue
        full = root / path
        if path in KEPT or not full.is_file():
            continue  # deleted in the work tree, or a submodule
        if path.startswith(PROJECTS_DIR + "/"):
            rest = path[len(PROJECTS_DIR) + 1:]
            if "/" in rest or not rest.endswith(".yaml"):
                problems.append(Problem(path, None, None, f"{path} is not a project file: projects/ holds only "
                                                          "<id>.yaml files (attach documents with `storeops attach`, "
                                                          "or remove it: git rm)", "stray"))
        elif path.startswith(ATTACHMENTS_DIR + "/") and path not in declared:
            if path.endswith(".age"):
                broken = agefile.problem(_head(full))
                if broken is None:
                    continue  # ciphertext no project names: harmless, `rekey` and `export` ignore it
                problems.append(Problem(path, None, None, f"{path} is named .age but is not age ciphertext "
                                                          f"({broken}), and no project declares it", "plaintext"))
            else:
                problems.append(Problem(path, None, None, f"{path} is a file no project declares (plaintext in the "
                                                          "repository?); attach documents with `storeops attach`, "
                                                          "or remove it: git rm", "plaintext"))
    return problems


def _head(path: Path) -> bytes:
    """The whole file: the age payload length is part of the header check."""
    with open(path, "rb", opener=_no_follow) as handle:
        return handle.read()


def _no_follow(path, flags):
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
