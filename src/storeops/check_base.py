"""`storeops check --base REF`: every commit of a pull request, audited against the workflow.

Where check.py looks at the files as they are, this walks the commits of
REF..HEAD and finds what only history shows: illegal moves, approvals not made
by the approver, edits of archived projects, plaintext of sensitive documents.
"""

from __future__ import annotations

from storeops import gitcmd, gitlog, history, ranges, yamlio
from storeops.changes import compare
from storeops.problems import Finding as Problem
from storeops.config import Config
from storeops.errors import DataError
from storeops.model import FieldError, Project
from storeops.repo import CONFIG_FILE, StoresRepo


def check_history(repo: StoresRepo, base: str, require_signed: bool = False) -> list[Problem]:
    """Problems in the commits base..HEAD: illegal transitions, forged or unsigned approvals,
    edits of archived projects, changed approval gates, plaintext where a document is sensitive.

    People and roles come from storeops.yaml at `base`, so a pull request cannot
    grant its own author the role it then uses.
    """
    base_sha = ranges.resolve(repo.root, base)
    from storeops.check_tree import LINK_ROOTS

    commits = gitlog.read_commits(repo.root, [f"{base_sha}..HEAD"], list(LINK_ROOTS), reverse=True)
    problems: list[Problem] = []
    with gitlog.Blobs(repo.root) as blobs:
        versions = gitlog.Versions(blobs)
        team = _team_at(repo, blobs, base_sha)
        names: list[str] = []
        for commit in commits:
            for change in commit.files:
                if history.is_project_path(change.path):
                    names += [change.old_blob, change.new_blob]
                    if change.old_blob and change.new_blob and not commit.is_merge:
                        versions.earlier.setdefault(change.new_blob, change.old_blob)
                    if commit.is_merge:
                        names += [f"{p}:{change.path}" for p in commit.parents[1:]]
        versions.load(names)
        audit = _CommitAudit(repo, versions, team, require_signed)
        audit.ciphertexts = _age_blobs(blobs, commits)
        for commit in commits:
            for change in commit.files:
                if commit.is_merge and audit.taken_from_a_parent(commit, change):
                    continue  # the merge kept one side's version: that side's commits are judged on their own
                if change.new_blob and change.new_mode == _SYMLINK:
                    problems.append(audit.symlink(commit, change))
                elif history.is_project_path(change.path):
                    problems += audit.project_file(commit, change)
                elif change.path.startswith("attachments/") and change.new_blob:
                    problems += audit.attachment(commit, change)
                elif change.path.startswith(gitlog.PROJECTS) and change.new_blob:
                    problems += audit.stray(commit, change)
    return problems


_SYMLINK = "120000"


def _age_blobs(blobs, commits) -> dict[str, str | None]:
    """blob id → what is wrong with its age header (None: it parses), for every `.age` file added or
    changed in the range, replaced later or not: history keeps every version."""
    from storeops import agefile

    wanted = {c.new_blob for commit in commits for c in commit.files
              if c.new_blob and c.path.startswith("attachments/") and c.path.endswith(".age") and c.new_mode != _SYMLINK}
    found = blobs.fetch(sorted(wanted)) if wanted else {}
    return {sha: (agefile.problem(item[1]) if item else None) for sha, item in found.items()}


def _team_at(repo: StoresRepo, blobs, revision: str) -> Config:
    found = blobs.fetch([f"{revision}:{CONFIG_FILE}"]).get(f"{revision}:{CONFIG_FILE}")
    if found is not None:
        try:
            return Config.from_dict(yamlio.loads(found[1].decode("utf-8"), CONFIG_FILE))
        except (DataError, FieldError, UnicodeDecodeError):
            pass  # a broken base config: fall back to today's team, which `check` validates
    return repo.config


class _CommitAudit:
    def __init__(self, repo: StoresRepo, versions, team: Config, require_signed: bool):
        self.repo, self.versions, self.team, self.require_signed = repo, versions, team, require_signed
        self._signatures: dict[str, str | None] = {}
        self._trees: dict[str, dict[str, str]] = {}
        self.ciphertexts: dict[str, str | None] = {}

    def symlink(self, commit, change) -> Problem:
        from storeops.check_tree import link_message

        return Problem(change.path, None, None, f"commit {commit.short} by {commit.author_email}: "
                                                f"{link_message(change.path)}", "symlink")

    def stray(self, commit, change) -> list[Problem]:
        from storeops.check_tree import KEPT

        if change.path in KEPT:
            return []
        return [Problem(change.path, None, None, f"commit {commit.short} by {commit.author_email}: {change.path} is "
                                                 "not a project file: projects/ holds only <id>.yaml files; if it is a "
                                                 "scan it is now in git history: drop this commit from the branch "
                                                 "(git rebase -i)", "stray")]

    def taken_from_a_parent(self, commit, change) -> bool:
        """Whether a merge's version of a file is one of its parents' versions (or absent like in one of them):
        then the merge changed nothing there itself."""
        mine = change.new_blob
        if mine == change.old_blob:
            return True
        if history.is_project_path(change.path):
            return any(self.versions.blob_id(f"{parent}:{change.path}") == mine for parent in commit.parents[1:])
        return any(self._attachments(parent).get(change.path) == mine for parent in commit.parents[1:])

    def _attachments(self, revision: str) -> dict[str, str]:
        """path → blob id of every file under attachments/ at `revision` (one `git ls-tree`, no contents)."""
        if revision not in self._trees:
            proc = gitcmd.run(self.repo.root, "ls-tree", "-r", "-z", "--full-name", revision, "--", "attachments/",
                              check=False)
            entries = (line.split("\t", 1) for line in proc.stdout.split("\0") if "\t" in line)
            self._trees[revision] = {path: meta.split()[2] for meta, path in entries}
        return self._trees[revision]

    def project_file(self, commit, change) -> list[Problem]:
        new = self.versions.get(change.new_blob)
        if new is not None and not isinstance(new, Project):
            return []  # a broken version; `check` reports the file if it is still broken at HEAD
        if commit.is_merge:
            return self._merge_file(commit, change, new)
        old = history.readable_before(change, self.versions)
        found = self._findings(commit, change, old, new, history.file_changes(commit, change, self.versions))
        return [self._problem(commit, change, new, where, message, code) for where, message, code in found]

    def _merge_file(self, commit, change, new) -> list[Problem]:
        """A merge whose version differs from every parent's (a conflict resolution, an "evil merge"): judged
        against each parent in turn; only what is wrong whichever side it is seen from is the merger's."""
        sides = [self.versions.get(change.old_blob)]
        sides += [self.versions.get(f"{parent}:{change.path}") for parent in commit.parents[1:]]
        readable = [side for side in sides if side is None or isinstance(side, Project)]
        if not readable:
            return []  # no parent's version parses: nothing to compare with; `check` judges the file at HEAD
        kept: dict[tuple, tuple] = {}
        for n, old in enumerate(readable):
            found = self._findings(commit, change, old, new, compare(old, new) if new is not None else [])
            keys = {(where, code) for where, _message, code in found}
            if n == 0:
                kept = {(where, code): (where, message, code) for where, message, code in found}
            else:
                kept = {key: item for key, item in kept.items() if key in keys}
        return [self._problem(commit, change, new, *item) for item in kept.values()]

    def _findings(self, commit, change, old, new, items) -> list[tuple[tuple, str, str]]:
        found: list[tuple[tuple, str, str]] = []   # (document path, message, code)
        if old is not None and old.archived is not None:
            if new is None:
                found.append(((), f"{old.id} is archived and may not be deleted", "archived"))
            elif _edited_beyond_archive(old, new):
                found.append(((), f"{old.id} is archived and read-only; reopen it in its own commit first "
                                  f"(storeops reopen {old.id})", "archived"))
        if new is not None:
            for item in items:
                found += self._change(commit, old, new, item)
            if old is None:
                found += self._born(commit, new)
            from storeops.check_access import project_changes

            found += [(where, message, "access")
                      for where, message in project_changes(self.team, commit.author_email, old, new)]
        return found

    def _change(self, commit, old, new, item) -> list[tuple[tuple, str, str]]:
        import dataclasses

        from storeops.workflow import transition_problem

        out = []
        if item.action == "advance" and old is not None and old.task(item.task) is not None:
            task = new.task(item.task)
            problem = transition_problem(new, dataclasses.replace(task, state=item.old), item.new)
            if problem:
                out.append((item.path, problem, "transition"))
        elif item.action == "approve" and item.new:
            out += self._approval(commit, new, item)
        elif item.action == "edit" and item.field == "id" and item.task and item.new == item.task:
            out += self._born_task(commit, new, new.task(item.task), item.path)
        elif item.field == "requires_approval" and old is not None:
            out.append((item.path, f"{item.text}: approval gates come from the SOP and are not changed by hand",
                        "gate"))
        return out

    def _born(self, commit, new) -> list[tuple[tuple, str, str]]:
        """A project that appears in the range: its tasks start as todo, its approvals are new."""
        out = []
        for i, task in enumerate(new.tasks):
            out += self._born_task(commit, new, task, ("tasks", i), "new project: ")
        return out

    def _born_task(self, commit, project, task, at: tuple, prefix: str = "") -> list[tuple[tuple, str, str]]:
        import dataclasses

        from storeops.changes import approval_change
        from storeops.workflow import transition_problem

        out = []
        if task.state != "todo":
            problem = transition_problem(project, dataclasses.replace(task, state="todo"), task.state)
            if problem:
                out.append((at + ("state",), f"{prefix}{problem} (a new task starts as todo)", "transition"))
        for k, approval in enumerate(task.approvals):
            out += self._approval(commit, project, approval_change(task.id, approval, at + ("approvals", k)))
        return out

    def _approval(self, commit, project, item) -> list[tuple[tuple, str, str]]:
        by, role = item.new["by"], item.new["role"]
        author = self.team.person_by_email(commit.author_email)
        approver = self.team.person(by)
        out = []
        if author is None or author.name != by:
            name = author.name if author else "someone not on the team"
            out.append((item.path, f"approval of {item.task} by {by} ({role}) was committed by "
                                   f"{commit.author_email} ({name}); only {by} may record it "
                                   f"(storeops approve {project.id} {item.task}, as {by})", "forged-approval"))
        elif approver is not None and role not in approver.roles:
            out.append((item.path, f"{by} approved {item.task} as {role} but does not hold that role", "approval"))
        if self.require_signed and approver is not None:
            problem = self._signature(commit, approver)
            if problem:
                out.append((item.path, f"approval of {item.task} by {by}: {problem}", "unsigned"))
        return out

    def _signature(self, commit, approver) -> str | None:
        if commit.sha not in self._signatures:
            verified = gitcmd.run(self.repo.root, "verify-commit", commit.sha, check=False)
            signer = gitcmd.run(self.repo.root, "show", "-s", "--format=%GS", commit.sha, check=False).stdout.strip()
            self._signatures[commit.sha] = signer if verified.returncode == 0 else None
        signer = self._signatures[commit.sha]
        if signer is None:
            return "the commit is not signed or its signature does not verify (--require-signed)"
        if approver.email.lower() not in signer.lower():
            return f"the commit is signed by {signer!r}, not by {approver.email}"
        return None

    def attachment(self, commit, change) -> list[Problem]:
        from storeops.check_tree import KEPT

        path = change.new_path
        parts = path.split("/")
        who = f"commit {commit.short} by {commit.author_email}"
        if path in KEPT:
            return []
        if path.endswith(".age"):
            broken = self.ciphertexts.get(change.new_blob)
            if broken is not None:
                return [Problem(path, None, None, f"{who}: {path} is named .age but is not age ciphertext ({broken}); "
                                                  "if it is plaintext it is now in git history: drop this commit from "
                                                  "the branch (git rebase -i)", "plaintext")]
            return self._replaced(commit, change, parts)
        if len(parts) < 3:
            return [self._undeclared(who, path)]
        project = self.versions.get(f"{commit.sha}:{gitlog.PROJECTS}{parts[1]}.yaml")
        docs = [d for t in getattr(project, "tasks", ()) for d in t.documents]
        name = parts[-1]
        sensitive = [d for d in docs if d.sensitive and (d.file == path or name.split(".", 1)[0] == d.id)]
        if sensitive:
            return [Problem(path, None, None, f"{who}: plaintext of the sensitive document {sensitive[0].id} is now "
                                              "in git history; attach it encrypted and drop this commit from the "
                                              "branch (git rebase -i)", "plaintext")]
        declared = {d.file for d in docs} | {r.evidence for r in getattr(project, "rejections", ())}
        if path not in declared:
            return [self._undeclared(who, path)]
        return []

    @staticmethod
    def _undeclared(who: str, path: str) -> Problem:
        return Problem(path, None, None, f"{who}: {path} is a file no project declares, not encrypted: if it is a "
                                         "document it is now in git history; drop this commit from the branch "
                                         "(git rebase -i) and attach it with `storeops attach`", "plaintext")

    def _replaced(self, commit, change, parts) -> list[Problem]:
        """A `.age` file replaced while its project file stayed as it was (the recorded sha256 kept)."""
        from storeops.check_access import ciphertext_change

        if commit.is_merge or not change.old_blob or len(parts) < 3:
            return []
        project_path = f"{gitlog.PROJECTS}{parts[1]}.yaml"
        old = self.versions.get(f"{commit.parents[0]}:{project_path}") if commit.parents else None
        new = self.versions.get(f"{commit.sha}:{project_path}")
        message = ciphertext_change(self.team, commit.author_email, change.path,
                                    old if isinstance(old, Project) else None,
                                    new if isinstance(new, Project) else None)
        if message is None:
            return []
        return [Problem(change.path, None, None, f"commit {commit.short} by {commit.author_email}: {message}",
                        "access")]

    def _problem(self, commit, change, project, where: tuple, message: str, code: str) -> Problem:
        line = None
        if where:
            text = self.versions.text(change.new_blob)
            located = yamlio.locate(text, where) if text else None
            line = located[0] if located else None
        who = f"{commit.author_name} <{commit.author_email}>"
        return Problem(change.path, line, None, f"commit {commit.short} by {who}: {message}", code)


def _edited_beyond_archive(old: Project, new: Project) -> bool:
    import dataclasses

    return dataclasses.replace(old, archived=None) != dataclasses.replace(new, archived=None)
