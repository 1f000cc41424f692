"""Read-side summaries of projects: the shapes behind tables and --json."""

from __future__ import annotations

from datetime import date

from storeops.model import Document, Project, Task
from storeops.workflow import FINISHED, is_overdue, next_task, project_status, unmet_dependencies, valid_approval


def summaries(repo, today: date, chosen=None) -> list[dict]:
    """project_summary of every project in the repo (that `chosen`, a filters.ProjectFilter, accepts),
    in id order, from the cache where it can."""
    from storeops.cache import read_projects

    seeds = read_projects(repo, "summary")
    return [summary_at(seed, today) for seed in seeds if chosen is None or chosen.accepts_summary(seed)]


def project_summary(project: Project, today: date) -> dict:
    return summary_at(summary_seed(project), today)


def summary_seed(project: Project) -> dict:
    """Everything in the summary that does not depend on the day (plain data: the cache keeps it)."""
    closed = project.archived is not None
    following = None if closed else next_task(project)
    counted = [t for t in project.tasks if t.state != "skipped"]
    return {
        "id": project.id,
        "store": project.store,
        "platform": project.platform,
        "site": project.site,
        "sop": project.sop,
        "owner": project.owner,
        "status": project_status(project),
        "done": sum(1 for t in counted if t.state == "done"),
        "total": len(counted),
        "next_task": following.id if following else None,
        "next_due": following.due.isoformat() if following and following.due else None,
        "open_dues": [] if closed else [[t.id, t.due.isoformat()] for t in project.tasks
                                        if t.due is not None and t.state not in FINISHED],
        "target": project.target.isoformat() if project.target else None,
        "payout_bound": bool(project.account.get("payout_bound")),
        "archived": project.archived.to_dict() if project.archived else None,
    }


def summary_at(seed: dict, today: date) -> dict:
    """The summary on `today`: the seed with its overdue tasks (see workflow.is_overdue)."""
    day = today.isoformat()  # ISO dates order as text
    out = {k: v for k, v in seed.items() if k != "open_dues"}
    out["overdue"] = [task_id for task_id, due in seed["open_dues"] if due < day]
    return {k: out[k] for k in SUMMARY_KEYS}


SUMMARY_KEYS = ("id", "store", "platform", "site", "sop", "owner", "status", "done", "total", "next_task",
                "next_due", "overdue", "target", "payout_bound", "archived")


def document_view(doc: Document, today: date) -> dict:
    expires = doc.expires()
    return {
        "id": doc.id,
        "title": doc.title,
        "sensitive": doc.sensitive,
        "file": doc.file,
        "issued": doc.issued.isoformat() if doc.issued else None,
        "valid_days": doc.valid_days,
        "expires": expires.isoformat() if expires else None,
        "expired": bool(expires and expires < today),
        "template": doc.template,
        "sha256": doc.sha256,
        "readers": list(doc.readers),
    }


def task_view(project: Project, task: Task, today: date) -> dict:
    return {
        "id": task.id,
        "title": task.title,
        "state": task.state,
        "role": task.role,
        "assignee": task.assignee,
        "due": task.due.isoformat() if task.due else None,
        "overdue": is_overdue(task, today),
        "depends_on": list(task.depends_on),
        "waiting_for": unmet_dependencies(project, task) if task.state not in FINISHED else [],
        "optional": task.optional,
        "requires_approval": task.requires_approval,
        "approved": valid_approval(task) is not None if task.requires_approval else None,
        "appointment": task.appointment.isoformat() if task.appointment else None,
        "external": task.external,
        "check_every": task.check_every,
        "documents": [document_view(d, today) for d in task.documents],
        "approvals": [a.to_dict() for a in task.approvals],
        "notes": [n.to_dict() for n in task.notes],
    }


def project_detail(project: Project, today: date) -> dict:
    summary = project_summary(project, today)
    return {
        **summary,
        "entity": project.entity,
        "category": project.category,
        "start": project.start.isoformat(),
        "account": dict(project.account),
        "isolation": dict(project.isolation),
        "compliance": {k: v for k, v in project.compliance.items()},
        "secrets": {k: {"hint": v.get("hint")} for k, v in project.secrets.items()},
        "rejections": [r.to_dict() for r in project.rejections],
        "tasks": [task_view(project, t, today) for t in project.tasks],
    }

