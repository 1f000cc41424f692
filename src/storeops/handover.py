"""Handover: everything a person owns or holds moves to another person, in one commit.

Active projects they own change owner; their tasks that are not done or
skipped change assignee. Archived projects stay as they were (history).
Cross-review stays enforced: a gated task the new person would have to
approve as its own assignee is named, never approved for them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from storeops.actions import _restoring, actor, require_person, validate_project
from storeops.errors import UsageError
from storeops.model import Project
from storeops.repo import StoresRepo

OPEN_DONE = ("done", "skipped")


@dataclass(frozen=True)
class Move:
    project: str
    task: str | None            # None: the project's owner
    role_clash: str | None = None  # the gate's role, when the new assignee cannot approve this task themselves


def plan(projects: list[Project], person: str, to: str, to_roles: tuple[str, ...]) -> tuple[list[Move], list[Project]]:
    """What moves from `person` to `to` (who holds `to_roles`), and the changed projects."""
    moves: list[Move] = []
    changed: list[Project] = []
    for project in projects:
        if project.archived is not None:
            continue
        new = project
        if project.owner == person:
            new = dataclasses.replace(new, owner=to)
            moves.append(Move(project.id, None))
        for task in project.tasks:
            if task.assignee != person or task.state in OPEN_DONE:
                continue
            role = task.requires_approval
            clash = role if role and (role in to_roles or any(a.by == to for a in task.approvals)) else None
            new = new.with_task(dataclasses.replace(task, assignee=to))
            moves.append(Move(project.id, task.id, clash))
        if new is not project:
            changed.append(new)
    return moves, changed


def handover(repo: StoresRepo, person: str, to: str, project_ids: list[str] | None = None,
             dry_run: bool = False) -> list[Move]:
    """Move `person`'s active projects and open tasks to `to` (only `project_ids` when given); one commit."""
    from storeops import gitcmd

    with repo.lock():
        config = repo.config
        require_person(config, person)
        receiver = require_person(config, to)
        if person == to:
            raise UsageError(f"{person} cannot hand over to themselves", hint="name someone else with --to")
        if project_ids:
            projects = []
            for pid in dict.fromkeys(project_ids):
                project = repo.load_project(pid)
                if project.archived is not None:
                    raise UsageError(f"{project.id} is archived and read-only",
                                     hint="archived projects are kept as history")
                projects.append(project)
        else:
            from storeops import loading

            projects = loading.all_projects(repo)  # all of their work: a broken file cannot be left out silently
        moves, changed = plan(projects, person, to, tuple(receiver.roles))
        if dry_run or not changed:
            return moves
        who = actor(repo)
        sources = [repo.rel(repo.project_path(p.id)) for p in changed]
        for project, source in zip(changed, sources):
            validate_project(project, source)
        owned = sum(1 for m in moves if m.task is None)
        subject = f"handover {person} → {to}: {owned} project(s), {len(moves) - owned} task(s)"
        body = "\n".join(f"{m.project}" + (f"/{m.task}" if m.task else " (owner)") for m in moves)
        trailers = "".join(f"Storeops-Project: {p.id}\n" for p in changed) + "Storeops-Action: handover\n"
        message = f"{subject}\n\n{body}\n\nBy {who.name}.\n\n{trailers}"
        from storeops.repo import refuse_links

        refuse_links(repo.root, sources)
        with _restoring(repo, sources):
            for project in changed:
                repo.write_project(project)
            gitcmd.commit_paths(repo.root, sources, message)
        return moves
