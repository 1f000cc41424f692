"""Task transitions, dependency and approval rules, derived project status."""

from __future__ import annotations

import dataclasses
from datetime import date

from storeops.errors import UsageError, did_you_mean
from storeops.model import Note, Project, Task

FINISHED = ("done", "skipped")
STARTED = ("in_progress", "submitted", "done")

# The chain is todo → in_progress → submitted → done; the rest are detours.
NEXT = {"todo": "in_progress", "in_progress": "submitted", "submitted": "done",
        "rejected": "in_progress", "blocked": "in_progress"}

ALLOWED = {
    "todo": {"in_progress", "blocked", "skipped"},
    "in_progress": {"submitted", "done", "rejected", "blocked", "todo", "skipped"},
    "submitted": {"done", "rejected", "in_progress"},
    "rejected": {"in_progress"},
    "blocked": {"todo", "in_progress"},
    "done": {"in_progress"},
    "skipped": {"todo"},
}


def project_status(project: Project) -> str:
    if project.archived is not None:
        return "archived"
    tasks = project.tasks
    if any(in_rework(project, t) for t in tasks):
        return "rejected"
    external = [t for t in tasks if t.external]
    if all(t.state in FINISHED for t in (external or tasks)):
        return "approved"
    if any(t.state in ("in_progress", "submitted") for t in external):
        return "under_review"
    return "preparing"


def in_rework(project: Project, task: Task) -> bool:
    """Rejected, or being reworked after a recorded rejection and not yet submitted again.

    The file keeps no state history, so a task reopened long after its rejection
    also counts; `storeops log` (git history) tells the two apart.
    """
    if task.state == "rejected":
        return True
    return task.state in ("in_progress", "blocked") and any(r.task == task.id for r in project.rejections)


def open_tasks(project: Project) -> list[Task]:
    return [t for t in project.tasks if t.state not in FINISHED]


def next_task(project: Project) -> Task | None:
    """The task to look at next: the earliest-due open task whose dependencies are finished."""
    ready = [t for t in open_tasks(project) if unmet_dependencies(project, t) == []]
    pool = ready or open_tasks(project)
    if not pool:
        return None
    return min(pool, key=lambda t: (t.optional, t.due or date.max, project.tasks.index(t)))


def unmet_dependencies(project: Project, task: Task) -> list[str]:
    unmet = []
    for dep_id in task.depends_on:
        dep = project.task(dep_id)
        if dep is None or dep.state not in FINISHED:
            unmet.append(dep_id)
    return unmet


def valid_approval(task: Task):
    """The approval that opens the task's gate, or None."""
    if not task.requires_approval:
        return None
    return next((a for a in task.approvals if a.role == task.requires_approval and a.by != task.assignee), None)


def allowed_targets(task: Task) -> set[str]:
    """The states `task` may move to from where it is, by its own rules (dependencies aside)."""
    targets = set(ALLOWED[task.state])
    if not task.optional:
        targets.discard("skipped")
    if task.requires_approval and task.state != "submitted":
        targets.discard("done")  # a gate is passed from submitted, with an approval
    return targets


def transition_problem(project: Project, task: Task, to: str) -> str | None:
    """Why `task` may not move to `to`, or None when it may."""
    if to == task.state:
        return f"{task.id} is already {to}"
    if to not in ALLOWED[task.state]:
        allowed = ", ".join(sorted(allowed_targets(task)))
        return f"{task.id} cannot go {task.state} → {to} (from {task.state}: {allowed})"
    if to == "skipped" and not task.optional:
        return f"{task.id} is not optional and cannot be skipped"
    if to in STARTED and task.state in ("todo", "blocked", "skipped"):
        unmet = unmet_dependencies(project, task)
        if unmet:
            return f"{task.id} waits for {', '.join(unmet)} (not done yet)"
    if to == "done" and task.requires_approval:
        if task.state != "submitted":
            return f"{task.id} needs an approval by {task.requires_approval}: advance it to submitted first"
        if valid_approval(task) is None:
            return (f"{task.id} needs an approval by someone with the {task.requires_approval} role "
                    f"other than the assignee (storeops approve {project.id} {task.id})")
    return None


def advance(project: Project, task_id: str, to: str | None, actor: str, today: date,
            note: str | None = None) -> tuple[Project, Task, Task]:
    """Move one task; returns (new project, old task, new task) or raises UsageError."""
    if project.archived is not None:
        raise UsageError(f"{project.id} is archived and read-only", hint=f"storeops reopen {project.id} first")
    task = project.task(task_id)
    if task is None:
        raise unknown_task(project, task_id)
    if to is None:
        to = NEXT.get(task.state)
        if to is None:
            raise UsageError(f"{task.id} is {task.state}; nothing to advance",
                             hint="use --to in_progress to reopen it")
    problem = transition_problem(project, task, to)
    if problem:
        raise UsageError(problem)
    changes: dict = {"state": to}
    if to == "in_progress" and task.state in ("rejected", "done", "submitted"):
        changes["approvals"] = ()  # rework needs a fresh review
    if note:
        changes["notes"] = task.notes + (Note(at=today, by=actor, text=note),)
    new_task = dataclasses.replace(task, **changes)
    return project.with_task(new_task), task, new_task


def unknown_task(project: Project, task_id: str) -> UsageError:
    ids = [t.id for t in project.tasks]
    return UsageError(f"{project.id} has no task {task_id!r}",
                      hint=did_you_mean(task_id, ids) or "tasks: " + ", ".join(ids))


def find_task(project: Project, task_id: str) -> Task:
    task = project.task(task_id)
    if task is None:
        raise unknown_task(project, task_id)
    return task


def dependency_order(project: Project) -> list[Task]:
    """Tasks in dependency order, stable with the SOP's order; tasks caught in a cycle come last."""
    done: list[str] = []
    pending = list(project.tasks)
    while pending:
        ready = [t for t in pending if all(d in done for d in t.depends_on)]
        if not ready:
            break
        done.append(ready[0].id)
        pending.remove(ready[0])
    return [project.task(i) for i in done] + pending


def dependency_cycle(tasks) -> list[str] | None:
    """A cycle in depends_on, as a list of ids, or None."""
    graph = {t.id: list(t.depends_on) for t in tasks}
    state: dict = {}

    def visit(node, trail):
        state[node] = "active"
        for dep in graph.get(node, []):
            if state.get(dep) == "active":
                return trail[trail.index(dep):] + [dep] if dep in trail else [node, dep]
            if dep in graph and dep not in state:
                found = visit(dep, trail + [dep])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def task_problems(project: Project, task: Task) -> list[tuple[str, str, str]]:
    """(field, message, code) for each rule `task` breaks as it stands: started before its dependencies
    are done, skipped though required, done without a valid approval. `storeops check` reports them; the
    merge driver refuses to make them out of two sides that each kept them."""
    found = []
    for dep in task.depends_on:
        other = project.task(dep)
        if other is not None and task.state in STARTED and other.state not in FINISHED:
            found.append(("state", f"{task.id} is {task.state} but its dependency {dep} is not done", "workflow"))
    if task.state == "skipped" and not task.optional:
        found.append(("state", f"{task.id} is skipped but not optional", "workflow"))
    if task.state == "done" and task.requires_approval and valid_approval(task) is None:
        found.append(("state", f"{task.id} is done without an approval by {task.requires_approval} "
                               "from someone other than the assignee", "approval"))
    return found


def is_overdue(task: Task, today: date) -> bool:
    return task.due is not None and task.due < today and task.state not in FINISHED


def document_gaps(task: Task, today: date) -> list[tuple[str, date | None]]:
    """(document id, expiry date) for each required document that is missing (None) or has expired by today.

    A warning rather than a refusal: teams that keep scans outside the repo still move on.
    """
    gaps: list[tuple[str, date | None]] = []
    for doc in task.documents:
        expires = doc.expires()
        if doc.file is None and not doc.optional:
            gaps.append((doc.id, None))
        elif doc.file is not None and expires is not None and expires < today:
            gaps.append((doc.id, expires))
    return gaps
