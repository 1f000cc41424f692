"""storeops board: projects as a kanban, one column per status."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli import sheetout
from storeops.cli.common import (WIDE_OPTION, JSON_OPTION, OWNER_OPTION, PLATFORM_OPTION, SINCE_OPTION, SITE_OPTION,
                                 STATUS_OPTION, language, open_repo)
from storeops.cli.common import name_skipped, problem_list, skipped  # files that cannot be read


def board(
    ctx: typer.Context,
    platform: Optional[str] = PLATFORM_OPTION,
    site: Optional[str] = SITE_OPTION,
    owner: Optional[str] = OWNER_OPTION,
    status_filter: Optional[str] = STATUS_OPTION,
    since: Optional[str] = SINCE_OPTION,
    as_json: bool = JSON_OPTION,
    wide: bool = WIDE_OPTION,
    fmt: str = sheetout.FORMAT_OPTION,
    output: Optional[Path] = sheetout.OUTPUT_OPTION,
    excel: bool = sheetout.EXCEL_OPTION,
) -> None:
    """Show projects as a kanban board, one column per status.

    Columns (preparing, under review, approved, rejected, archived) side by side on a terminal; one section per column when piped.

    \b
    Examples:
      storeops board
      storeops board --platform amazon --owner alice
      storeops --lang zh board --since 2026-10-01 --json
      storeops board --format csv --excel -o board.csv
    """
    sheetout.check(fmt, output, sheetout.SHEET_FORMATS)
    as_json = as_json or fmt == "json"
    from storeops import actions, filters, render, views
    from storeops.labels import status_label
    from storeops.model import STATUSES

    chosen = filters.build(platform, site, owner, status_filter, since)
    repo = open_repo(ctx)
    lang = language(ctx, repo)
    today = actions.today(repo.config)
    summaries, problems = views.summaries(repo, today, chosen)
    name_skipped(problems)
    columns = [{"status": status, "label": status_label(status, lang),
                "projects": [s for s in summaries if s["status"] == status]}
               for status in STATUSES if status_filter in (None, status)]
    if fmt in ("csv", "xlsx"):
        from storeops import sheets

        sheetout.emit(ctx, sheets.board(columns, lang), fmt, output, excel)
    elif as_json:
        render.emit_json({"today": today.isoformat(), "filters": chosen.to_dict(), "columns": columns,
                          "problems": problem_list(problems)})
    elif not summaries:
        render.message("no projects match" if any(chosen.to_dict().values()) else
                       "no projects (create one with `storeops new`)")
    elif render.fancy() and _side_by_side_fits(columns, render.width()):
        _columns(columns, lang)
    else:
        _sections(columns, lang)
    skipped(problems)


def _card_lines(s: dict, lang: str) -> list[tuple[str, str | None]]:
    """A card: (text, rich style) lines, already cleaned; the first line is the project id."""
    from storeops import render
    from storeops.labels import outcome_label, word

    late = len(s["overdue"])
    lines = [(render.clean(s["id"]), "bold red" if late else "bold"),
             (render.clean(s["store"]), None),
             (f"{s['platform']}-{s['site']} · {render.clean(s['owner'])}", "dim")]
    if s["archived"]:
        lines += [(outcome_label(s["archived"]["outcome"], lang), None), (s["archived"]["at"], "dim")]
    else:
        progress = f"{s['done']}/{s['total']}" + (f" · {word('overdue', lang)} {late}" if late else "")
        lines.append((progress, "red" if late else None))
        if s["next_task"]:
            # the date first: on a narrow column the task name is what gets cut
            lines.append(("→ " + (f"{s['next_due'][5:]} " if s["next_due"] else "") + s["next_task"], "dim"))
    return lines


def _side_by_side_fits(columns: list[dict], width: int | None) -> bool:
    """Columns side by side only where every id fits its column whole; otherwise the sections."""
    from storeops.textcells import cell_width

    if width is None:
        return True
    longest = max([cell_width(s["id"]) for c in columns for s in c["projects"]]
                  + [cell_width(f"{c['label']} ({len(c['projects'])})") for c in columns])
    return width // max(len(columns), 1) - 2 >= longest


def _columns(columns: list[dict], lang: str) -> None:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from storeops.render import console

    grid = Table(show_lines=False, expand=True, header_style="bold", padding=(0, 1), show_edge=False)
    for column in columns:
        grid.add_column(f"{column['label']} ({len(column['projects'])})", overflow="fold", ratio=1)
    cards = []
    for column in columns:
        parts = []
        for summary in column["projects"]:
            if parts:
                parts.append(Text(""))
            for i, (text, style) in enumerate(_card_lines(summary, lang)):
                # ids are never cut (they are what you type next); other lines end in … when narrow
                parts.append(Text(text, style=style or "", no_wrap=i > 0, overflow="fold" if i == 0 else "ellipsis"))
        cards.append(Group(*parts) if parts else Text("-", style="dim"))
    grid.add_row(*cards)
    console().print(grid)


def _sections(columns: list[dict], lang: str) -> None:
    """Piped: a heading per column, then one aligned line per project (grep- and diff-friendly)."""
    from storeops import render
    from storeops.labels import outcome_label, word
    from storeops.columns import layout, today_year

    rows = []
    for column in columns:
        for s in column["projects"]:
            progress = f"{s['done']}/{s['total']}"
            if s["archived"]:
                following, when, late = outcome_label(s["archived"]["outcome"], lang), s["archived"]["at"], ""
            else:
                following, when = (f"→ {s['next_task']}", s["next_due"] or "") if s["next_task"] else ("", "")
                late = f"{word('overdue', lang)} ({len(s['overdue'])})" if s["overdue"] else ""
            rows.append((column["status"], [s["id"], s["store"], f"{s['platform']}-{s['site']}", s["owner"],
                                            progress, following, when, late]))
    width = render.width()
    # one layout for every section, so that their columns line up; the id and the next step go last
    fitted = layout(["id", "store", "platform", "owner", "progress", "next", "due", "late"],
                    [[render.clean(c) for c in row] for _, row in rows], None if width is None else width - 2,
                    drop=[1, 3, 2, 4, 7], shrink=(1,), dates=(6,), year=today_year())
    lines = fitted.lines()[1:]
    first = True
    for column in columns:
        if not first:
            render.out()
        first = False
        render.out(f"{column['label']} ({len(column['projects'])})")
        for (status, _), line in zip(rows, lines):
            if status == column["status"]:
                render.out(("  " + line).rstrip())


ORDER = 32


def register(app: typer.Typer) -> None:
    app.command("board")(board)
