"""Rows for spreadsheets: status, board, remind and the reports as plain tables.

A Sheet is a title, localised headers and rows of plain values (str, int, float, date, None):
dates stay dates, so that a spreadsheet sorts and filters them as dates. sheetio writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from storeops.labels import outcome_label, remind_kind, state_label, status_label, word


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def projects(summaries: list[dict], lang: str) -> Sheet:
    """One row per project (status, and the board: the column is the status)."""
    keys = ("project", "store", "platform", "sites", "owner", "status", "progress", "tasks", "next", "due", "late",
            "target")
    sheet = Sheet(word("projects", lang), [word(k, lang) for k in keys])
    for s in summaries:
        sheet.rows.append([
            s["id"], s["store"], s["platform"], s["site"], s["owner"], status_label(s["status"], lang),
            s["done"], s["total"], s["next_task"], _day(s["next_due"]), len(s["overdue"]), _day(s["target"]),
        ])
    return sheet


def tasks(detail: dict, lang: str) -> Sheet:
    """One row per task of a project (views.project_detail), in the project's order."""
    from storeops.labels import state_label

    keys = ("task", "title", "state", "assignee", "due", "late", "depends", "gate", "approvals", "documents")
    sheet = Sheet(detail["id"][:31], [word(k, lang) for k in keys])
    for t in detail["tasks"]:
        title = (t["title"] or {}).get(lang) or (t["title"] or {}).get("en") if t["title"] else None
        approvals = "\n".join(f"{a['by']} ({a['role']}) {a['at']}" for a in t["approvals"]) or None
        docs = sum(1 for d in t["documents"] if d["file"])
        sheet.rows.append([t["id"], title, state_label(t["state"], lang), t["assignee"], _day(t["due"]),
                           1 if t["overdue"] else 0, ", ".join(t["depends_on"]) or None, t["requires_approval"],
                           approvals, f"{docs}/{len(t['documents'])}" if t["documents"] else None])
    return sheet


def board(columns: list[dict], lang: str) -> Sheet:
    """The board: one row per card, in column order."""
    summaries = [s for column in columns for s in column["projects"]]
    sheet = projects(summaries, lang)
    sheet.title = "board"
    return sheet


def reminders(items, lang: str) -> Sheet:
    """One row per reminder (remind.Item)."""
    keys = ("when", "days", "person", "project", "task", "documents", "kind", "message")
    sheet = Sheet("remind", [word(k, lang) for k in keys])
    for item in items:
        sheet.rows.append([
            item.date, item.days, ", ".join(item.recipients) or item.role, item.project, item.task, item.document,
            remind_kind(item.kind, lang), item.message,
        ])
    return sheet


def rejections(report: dict, lang: str) -> Sheet:
    """One row per rejection recorded (not per reason): the whole history, easy to pivot."""
    from storeops.reports import title_in

    keys = ("when", "platform", "project", "reason", "title", "task", "example")
    sheet = Sheet("rejections", [word(k, lang) for k in keys])
    for platform in report["platforms"]:
        for reason in platform["reasons"]:
            title = title_in(reason["title"], lang, reason["code"])
            for example in reason["examples"]:
                sheet.rows.append([_day(example["at"]), platform["platform"], example["project"], reason["code"],
                                   title, example.get("task"), example["message"]])
    return sheet


def workload(report: dict, lang: str, days: int) -> Sheet:
    headers = [word("person", lang), word("open", lang), word("state", lang) + ": " + state_label("in_progress", lang),
               word("late", lang), word("due_soon", lang).format(n=days)]
    sheet = Sheet("workload", headers)
    for r in report["people"]:
        sheet.rows.append([r["person"] if r["person"] is not None else word("unassigned", lang), r["open"],
                           r["in_progress"], r["overdue"], r["due_soon"]])
    return sheet


def cycle_time(report: dict, lang: str) -> Sheet:
    from storeops.reports import cycle_rows

    headers = [word(k, lang) for k in ("platform", "step", "task", "samples", "median", "p90", "open", "outcome")]
    sheet = Sheet("cycle-time", headers)
    for row in cycle_rows(report):
        measure = row["measure"]
        label = {"step": word("step", lang), "outcome": word("outcome", lang)}.get(measure) or word(measure, lang)
        item = outcome_label(row["item"], lang) if measure == "outcome" else row["item"]
        sheet.rows.append([row["platform"], label, item or None, row["count"], row["median_days"], row["p90_days"],
                           row["open"], row["share"]])
    return sheet
