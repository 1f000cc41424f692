"""Retrospective reports: rejections by platform and reason, open work per person, cycle-time writers.

Each report is a plain dict (the --json shape); `csv_text` and `markdown`
write the rejection report for spreadsheets and pull-request comments,
`cycle_csv` and `cycle_markdown` the cycle-time report (cycletime.report).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from typing import Mapping

from storeops.config import Config
from storeops.labels import outcome_label, word
from storeops.model import OUTCOMES, Project
from storeops.textcells import visible
from storeops.workflow import FINISHED, is_overdue

EXAMPLES_KEPT = 3


# ---- rejections ----

def rejections(projects: list[Project], library: Mapping, since: date | None = None) -> dict:
    """Rejections counted by platform and reason code, the most recent messages as examples."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    titles: dict[str, dict | None] = {}
    for project in projects:
        sop = library.get(project.sop_id)
        for rejection in project.rejections:
            if since is not None and rejection.at < since:
                continue
            groups[(project.platform, rejection.reason)].append((project, rejection))
            if titles.get(rejection.reason) is None:
                titles[rejection.reason] = _reason_title(sop, rejection.reason)
    platforms: dict[str, list[dict]] = defaultdict(list)
    for (platform, code), found in groups.items():
        found.sort(key=lambda pr: (pr[1].at, pr[0].id), reverse=True)
        platforms[platform].append({
            "code": code,
            "title": titles.get(code),
            "count": len(found),
            "last": found[0][1].at.isoformat(),
            "projects": sorted({p.id for p, _ in found}),
            "examples": [{"project": p.id, "at": r.at.isoformat(), "task": r.task, "message": r.message}
                         for p, r in found if r.message][:EXAMPLES_KEPT],
        })
    by_platform = []
    for platform, reasons in platforms.items():
        reasons.sort(key=lambda r: (-r["count"], r["code"]))
        by_platform.append({"platform": platform, "total": sum(r["count"] for r in reasons), "reasons": reasons})
    by_platform.sort(key=lambda p: (-p["total"], p["platform"]))
    overall: dict[str, int] = defaultdict(int)
    for (_platform, code), found in groups.items():
        overall[code] += len(found)
    return {
        "since": since.isoformat() if since else None,
        "total": sum(overall.values()),
        "platforms": by_platform,
        "reasons": [{"code": code, "title": titles.get(code), "count": n}
                    for code, n in sorted(overall.items(), key=lambda item: (-item[1], item[0]))],
    }


def _reason_title(sop, code: str) -> dict | None:
    if sop is None:
        return None
    entry = next((r for r in sop.data.get("rejection_reasons", []) if r.get("code") == code), None)
    return dict(entry["title"]) if entry and isinstance(entry.get("title"), dict) else None


def title_in(title: dict | None, language: str, fallback: str) -> str:
    if not title:
        return fallback
    return title.get(language) or title.get("en") or fallback


def rejection_rows(report: dict, language: str) -> list[dict]:
    """One flat row per platform and reason (what the table, csv and markdown writers print)."""
    rows = []
    for platform in report["platforms"]:
        for reason in platform["reasons"]:
            example = reason["examples"][0] if reason["examples"] else None
            rows.append({"platform": platform["platform"], "reason": reason["code"],
                         "title": title_in(reason["title"], language, reason["code"]), "count": reason["count"],
                         "last": reason["last"], "example": example["message"] if example else "",
                         "example_project": example["project"] if example else ""})
    return rows


def _spreadsheet_safe(value) -> str:
    """No formulas: a cell starting with = + - @ is shown as text by spreadsheet programs (CSV injection).

    Line breaks and tabs stay as they are (csv quotes the cell, and the platform's message is read
    verbatim); other control characters are shown as \\xNN."""
    raw = str(value if value is not None else "").replace("\r\n", "\n")
    text = "\n".join("\t".join(visible(part) for part in line.split("\t")) for line in raw.split("\n"))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(report: dict, language: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ["platform", "reason", "title", "count", "last", "example", "example_project"]
    writer.writerow(columns)
    for row in rejection_rows(report, language):
        writer.writerow([row["count"] if c == "count" else _spreadsheet_safe(row[c]) for c in columns])
    return out.getvalue()


_MD_SPECIAL = "\\`*_[]|~"  # inside a table cell only these change the rendering


def md_escape(text) -> str:
    """Inline markdown that renders as the literal text: no links, emphasis, html or table breaks."""
    text = visible(text if text is not None else "")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def markdown(report: dict, language: str, heading: str) -> str:
    total = f"{word('rejections', language)}: {report['total']}"
    lines = [f"### {md_escape(heading)}", "", total + (f" (≥ {report['since']})" if report["since"] else ""), ""]
    headers = [word(k, language) for k in ("platform", "reason", "count", "last", "example")]
    lines += ["| " + " | ".join(headers) + " |", "|---|---|---:|---|---|"]
    for row in rejection_rows(report, language):
        example = f"{md_escape(row['example'][:200])} ({md_escape(row['example_project'])})" if row["example"] else ""
        lines.append(f"| {md_escape(row['platform'])} | {md_escape(row['title'])} (`{row['reason']}`) | "
                     f"{row['count']} | {row['last']} | {example} |")
    return "\n".join(lines) + "\n"


# ---- workload ----

def workload(projects: list[Project], config: Config, today: date) -> dict:
    """Open tasks of active projects per person (every team member listed), overdue and due soon."""
    soon = today + timedelta(days=config.policies.get("remind_days", 3))
    people: dict[str | None, list[dict]] = {p.name: [] for p in config.people}
    for project in projects:
        if project.archived is not None:
            continue
        for task in project.tasks:
            if task.state in FINISHED:
                continue
            people.setdefault(task.assignee, []).append({
                "project": project.id, "task": task.id, "state": task.state,
                "due": task.due.isoformat() if task.due else None, "overdue": is_overdue(task, today),
                "due_soon": bool(task.due and today <= task.due <= soon),
            })
    rows = []
    for name, tasks in people.items():
        tasks.sort(key=lambda t: (t["due"] or "9999-12-31", t["project"], t["task"]))
        rows.append({
            "person": name,
            "on_team": name is not None and config.person(name) is not None,
            "open": len(tasks),
            "in_progress": sum(1 for t in tasks if t["state"] in ("in_progress", "submitted")),
            "overdue": sum(1 for t in tasks if t["overdue"]),
            "due_soon": sum(1 for t in tasks if t["due_soon"]),
            "tasks": tasks,
        })
    rows.sort(key=lambda r: (-r["overdue"], -r["open"], r["person"] is None, r["person"] or ""))
    return {"today": today.isoformat(), "due_soon_until": soon.isoformat(), "people": rows,
            "open": sum(r["open"] for r in rows), "overdue": sum(r["overdue"] for r in rows)}


# ---- cycle time (the numbers come from cycletime.report) ----

ALL = "(all)"
CYCLE_COLUMNS = ["platform", "measure", "item", "count", "median_days", "p90_days", "open", "share"]
PROJECT_MEASURES = ("to_approval", "to_archive")


def cycle_blocks(report: dict) -> list[tuple[str | None, dict]]:
    """(platform, numbers) per platform, then (None, all platforms) when there is more than one."""
    blocks: list[tuple[str | None, dict]] = [(p["platform"], p) for p in report["platforms"]]
    if len(blocks) > 1:
        blocks.append((None, report["overall"]))
    return blocks


def cycle_rows(report: dict) -> list[dict]:
    """One flat row per platform and measure: the csv file, easy to pivot in a spreadsheet."""
    rows = []

    def row(platform, measure, item, numbers, open_, share=None):
        rows.append({"platform": platform, "measure": measure, "item": item, "count": numbers["count"],
                     "median_days": numbers.get("median"), "p90_days": numbers.get("p90"), "open": open_,
                     "share": share})

    for platform, block in cycle_blocks(report):
        name = platform if platform is not None else ALL
        for step in block.get("steps", []):
            row(name, "step", step["task"], step, step["open"])
        row(name, "review_wait", "", block["review_wait"], block["review_wait"]["waiting"])
        for measure in PROJECT_MEASURES:
            row(name, measure, "", block[measure], None)
        outcomes = block["outcomes"]
        for outcome in OUTCOMES:
            row(name, "outcome", outcome, {"count": outcomes[outcome]}, None, outcomes["rates"][outcome])
    return rows


def cycle_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CYCLE_COLUMNS)
    for row in cycle_rows(report):
        writer.writerow([_spreadsheet_safe(row[c]) if c in ("platform", "item") else
                         ("" if row[c] is None else row[c]) for c in CYCLE_COLUMNS])
    return out.getvalue()


def days_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def duration_table(report: dict, language: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the durations: each step, the review wait, the project lead times."""
    headers = [word(k, language) for k in ("platform", "step", "samples", "median", "p90", "open")]
    rows = []
    for platform, block in cycle_blocks(report):
        name = platform if platform is not None else word("all_platforms", language)
        for step in block.get("steps", []):
            rows.append([name, step["task"], str(step["count"]), days_text(step["median"]), days_text(step["p90"]),
                         str(step["open"])])
        wait = block["review_wait"]
        rows.append([name, word("review_wait", language), str(wait["count"]), days_text(wait["median"]),
                     days_text(wait["p90"]), str(wait["waiting"])])
        for measure in PROJECT_MEASURES:
            numbers = block[measure]
            rows.append([name, word(measure, language), str(numbers["count"]), days_text(numbers["median"]),
                         days_text(numbers["p90"]), ""])
    return headers, rows


def outcome_text(outcomes: dict, outcome: str) -> str:
    rate = outcomes["rates"][outcome]
    return str(outcomes[outcome]) if rate is None else f"{outcomes[outcome]} ({rate:.0%})"


def outcome_table(report: dict, language: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the outcomes of archived projects, count and share per outcome."""
    headers = [word("platform", language), word("archived", language)]
    headers += [outcome_label(o, language) for o in OUTCOMES]
    rows = []
    for platform, block in cycle_blocks(report):
        outcomes = block["outcomes"]
        rows.append([platform if platform is not None else word("all_platforms", language), str(outcomes["archived"])]
                    + [outcome_text(outcomes, o) for o in OUTCOMES])
    return headers, rows


def cycle_markdown(report: dict, language: str) -> str:
    lines = [f"### {md_escape(word('cycle_time', language))}", ""]
    if report["since"]:
        lines += [f"≥ {report['since']}", ""]
    for headers, rows, numeric in (duration_table(report, language) + (2,), outcome_table(report, language) + (1,)):
        lines.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
        lines.append("|" + "---|" * numeric + "---:|" * (len(headers) - numeric))
        lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)
