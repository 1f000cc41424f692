"""The read-side summary of a project: what `status` and `board` show, and what the cache keeps.

Below views (which shapes it for output) and cache (which stores its seed), so that
neither has to import the other.
"""

from __future__ import annotations

from datetime import date

from storeops.model import Project
from storeops.workflow import FINISHED, next_task, project_status


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
