"""storeops status: all projects, one project, or one task in full."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli import sheetout
from storeops.cli.common import (WIDE_OPTION, JSON_OPTION, OwnerOption, PlatformOption, SinceOption, SiteOption,
                                 StatusOption, language, open_repo)
from storeops.cli.common import name_skipped, problem_list, skipped  # files that cannot be read

STATUS_HELP = """Show where projects stand.

Without PROJECT: one line per project (status, progress, next task, overdue).
With PROJECT: its tasks. With PROJECT TASK: the task in full, with its how-to
guide and documents.

\b
Examples:
  storeops status
  storeops status --owner alice --status rejected
  storeops status --platform amazon --site us --since 2026-10-01
  storeops status acme-amazon-us
  storeops status acme-amazon-us video-verification --json
  storeops status --format xlsx -o projects.xlsx
"""

def status(
    ctx: typer.Context,
    project_id: Optional[str] = typer.Argument(None, metavar="PROJECT", help="Project id."),
    task_id: Optional[str] = typer.Argument(None, metavar="TASK", help="Task id within PROJECT."),
    platform: PlatformOption = None,
    site: SiteOption = None,
    owner: OwnerOption = None,
    status_filter: StatusOption = None,
    since: SinceOption = None,
    as_json: bool = JSON_OPTION,
    wide: bool = WIDE_OPTION,
    fmt: str = sheetout.FORMAT_OPTION,
    output: Optional[Path] = sheetout.OUTPUT_OPTION,
    excel: bool = sheetout.EXCEL_OPTION,
) -> None:
    from storeops import actions, filters, render, views

    sheetout.check(fmt, output, sheetout.SHEET_FORMATS)
    as_json = as_json or fmt == "json"

    repo = open_repo(ctx)
    chosen = filters.build(repo, platform, site, owner, status_filter, since)
    lang = language(ctx, repo)
    today = actions.today(repo.config)
    if project_id is None:
        summaries, problems = views.summaries(repo, today, chosen)
        name_skipped(problems)
        if fmt in ("csv", "xlsx"):
            from storeops import sheets

            sheetout.emit(ctx, sheets.projects(summaries, lang), fmt, output, excel)
        elif as_json:
            render.emit_json({"today": today.isoformat(), "projects": summaries, "problems": problem_list(problems)})
        else:
            _table(summaries, lang, empty=_why_empty(problems, chosen))
        skipped(problems)
        return
    project = repo.load_project(project_id)
    if task_id is None:
        detail = views.project_detail(project, today)
        if fmt in ("csv", "xlsx"):
            from storeops import sheets

            sheetout.emit(ctx, sheets.tasks(detail, lang), fmt, output, excel)
        elif as_json:
            render.emit_json({"today": today.isoformat(), "project": detail})
        else:
            _project(detail, lang)
        return
    from storeops.workflow import find_task

    task = find_task(project, task_id)
    view = views.task_view(project, task, today)
    view["guide"] = _guide(repo, project, task_id)
    if as_json:
        render.emit_json({"today": today.isoformat(), "project": project.id, "task": view})
    else:
        _task(project, view, lang)


def _guide(repo, project, task_id: str) -> dict | None:
    from storeops.errors import StoreopsError
    from storeops.sop import load_library

    try:
        sop = load_library(repo.root).get(project.sop_id)
    except StoreopsError:
        return None
    task = sop.task(task_id) if sop else None
    return task.get("guide") if task else None


def _why_empty(problems, chosen) -> str:
    if any(chosen.to_dict().values()):
        return "no projects match"
    if problems:
        return "no project file could be read (named above)"
    return "no projects (create one with `storeops new`)"


def _table(summaries: list[dict], lang: str, empty: str) -> None:
    from storeops import render
    from storeops.labels import status_label, word

    if not summaries:
        render.message(empty)
        return
    headers = [word(k, lang) for k in ("project", "platform", "owner", "status", "progress", "next", "due", "late")]
    rows, styles = [], []
    for s in summaries:
        late = s["overdue"]
        rows.append([
            s["id"], f"{s['platform']}-{s['site']}", s["owner"], status_label(s["status"], lang),
            f"{s['done']}/{s['total']}", s["next_task"] or "-", s["next_due"] or "-",
            str(len(late)) if late else "",
        ])
        styles.append("red" if late else ("dim" if s["status"] == "archived" else None))
    # the id and the next due date go last: they are what an operator acts on
    render.table(headers, rows, styles, drop=[4, 2, 1, 7, 3, 5], dates=(6,))


def _text(title: dict | None, fallback: str, lang: str) -> str:
    if not title:
        return fallback
    return title.get(lang) or title.get("en") or fallback


def _project(d: dict, lang: str) -> None:
    from storeops import render
    from storeops.labels import state_label, status_label, word

    payout = word("payout_bound" if d["payout_bound"] else "payout_unbound", lang)
    render.fields([
        (word("project", lang), d["id"]),
        (word("store", lang), d["store"]),
        (word("platform", lang), f"{d['platform']}-{d['site']} ({d['sop']})"),
        (word("entity", lang), d["entity"] or "-"),
        (word("category", lang), d["category"] or "-"),
        (word("owner", lang), d["owner"]),
        (word("status", lang), f"{status_label(d['status'], lang)} · {d['done']}/{d['total']} · {payout}"),
        (word("start", lang), d["start"] + (f" → {d['target']}" if d["target"] else "")),
        *_account_lines(d, lang),
    ])
    render.out()
    headers = [word(k, lang) for k in ("task", "state", "assignee", "due", "depends", "documents")]
    rows, styles = [], []
    for t in d["tasks"]:
        marks = []
        if t["requires_approval"]:
            marks.append(f"⚑{t['requires_approval']}" + ("✓" if t["approved"] else ""))
        if t["appointment"]:
            marks.append(f"@{t['appointment']}")
        docs = sum(1 for doc in t["documents"] if doc["file"])
        rows.append([
            f"{t['id']} " + " ".join(marks) if marks else t["id"],
            state_label(t["state"], lang),
            t["assignee"] or "-",
            (t["due"] or "-") + (f" {word('overdue', lang)}" if t["overdue"] else ""),
            ", ".join(t["depends_on"]) or "-",
            f"{docs}/{len(t['documents'])}" if t["documents"] else "",
        ])
        styles.append("red" if t["overdue"] else ("green" if t["state"] == "done" else None))
    render.table(headers, rows, styles, drop=[5, 4, 2, 1], dates=(3,))
    if d["rejections"]:
        render.out()
        render.out(word("rejections", lang) + ":")
        for r in d["rejections"]:
            render.out(f"  {r['at']}  {render.clean(r['reason'])}  {render.clean(r['task'] or '')}  {render.clean(r['message'] or '')}")


def _account_lines(d: dict, lang: str) -> list[tuple[str, str]]:
    from storeops.labels import outcome_label, word

    lines = []
    account = [f"{word(k, lang)} {d['account'][k]}" for k in ("seller_id", "login_email", "store_url")
               if d["account"].get(k)]
    if account:
        lines.append((word("account", lang), " · ".join(account)))
    if d["archived"]:
        closed = d["archived"]
        lines.append((word("archived", lang), f"{closed['at']} {outcome_label(closed['outcome'], lang)}"
                      + (f": {closed['reason']}" if closed["reason"] else "")))
    return lines


def _task(project, t: dict, lang: str) -> None:
    from storeops import render
    from storeops.labels import state_label, word
    from storeops.messages import say

    pairs = [
        (word("task", lang), f"{t['id']} — {_text(t['title'], t['id'], lang)}"),
        (word("project", lang), project.id),
        (word("state", lang), state_label(t["state"], lang)),
        (word("assignee", lang), t["assignee"] or "-"),
        (word("due", lang), (t["due"] or "-") + (f"  {word('overdue', lang)}" if t["overdue"] else "")),
        (word("depends", lang), ", ".join(t["depends_on"]) or "-"),
    ]
    if t["waiting_for"]:
        pairs.append((word("waiting_for", lang), ", ".join(t["waiting_for"])))
    if t["requires_approval"]:
        pairs.append((word("gate", lang), f"{t['requires_approval']} ({word('gate_approved' if t['approved'] else 'gate_waiting', lang)})"))
    if t["appointment"] is not None or t["external"]:
        pairs.append((word("appointment", lang) if not t["external"] else word("external", lang),
                      t["appointment"] or say(f"check every {t['check_every']}", lang)))
    render.fields(pairs)
    if t["guide"]:
        render.out()
        render.out(word("guide", lang) + ":")
        render.out("  " + render.clean(_text(t["guide"], "", lang)))
    if t["documents"]:
        render.out()
        render.out(word("documents", lang) + ":")
        for doc in t["documents"]:
            state = doc["file"] or word("missing", lang)
            validity = f"  {word('issued', lang)} {doc['issued']}" if doc["issued"] else ""
            if doc["expires"]:
                validity += f"  {word('expired', lang) if doc['expired'] else word('expires', lang)} {doc['expires']}"
            elif doc["valid_days"]:
                validity += "  " + say(f"(valid {doc['valid_days']} days from issue)", lang)
            lock = " 🔒" if doc["sensitive"] else ""
            render.out(f"  {doc['id']}{lock}: {render.clean(state)}{validity}")
    for a in t["approvals"]:
        render.out(say(f"approved by {render.clean(a['by'])} ({a['role']}) on {a['at']}", lang)
                   + (f": {render.clean(a['note'])}" if a.get("note") else ""))
    if t["notes"]:
        render.out()
        render.out(word("notes", lang) + ":")
        for n in t["notes"]:
            render.out(f"  {n['at']} {render.clean(n['by'])}: {render.clean(n['text'])}")


ORDER = 30


def register(app: typer.Typer) -> None:
    app.command("status", help=STATUS_HELP)(status)
