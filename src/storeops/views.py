"""Read-side summaries of projects: the shapes behind tables and --json."""

from __future__ import annotations

from datetime import date

from storeops.model import Document, Project, Task
from storeops.problems import Problem
from storeops.summary import SUMMARY_KEYS, summary_at, summary_seed  # noqa: F401 (re-exported)
from storeops.workflow import FINISHED, is_overdue, unmet_dependencies, valid_approval


def summaries(repo, today: date, chosen=None) -> tuple[list[dict], list[Problem]]:
    """project_summary of every project in the repo that can be read (and that `chosen`, a
    filters.ProjectFilter, accepts), in id order, from the cache where it can; and the problems of
    the files skipped (see loading.py)."""
    from storeops import loading

    seeds, problems = loading.summary_seeds(repo)
    return [summary_at(seed, today) for seed in seeds if chosen is None or chosen.accepts_summary(seed)], problems


def project_summary(project: Project, today: date) -> dict:
    return summary_at(summary_seed(project), today)


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

