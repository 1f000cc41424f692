"""storeops report rejections / workload / cycle-time: the retrospective, who carries what, how long it takes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli import sheetout
from storeops.cli.common import (WIDE_OPTION, JSON_OPTION, OwnerOption, PlatformOption, SinceOption, SiteOption,
                                 StatusOption, language, open_repo)
from storeops.cli.common import problem_list, read_projects, skipped  # files that cannot be read

report_app = typer.Typer(help="Retrospective reports.\n\nExample: storeops report rejections --since 2026-01-01",
                         no_args_is_help=True)

REJECTION_FORMATS = ("text", "json", "csv", "markdown", "xlsx")
BAR_WIDTH = 30


# the reports that are tables of numbers: one --format for all of them
TABLE_FORMAT_OPTION = typer.Option("text", "--format", metavar="text|json|csv|markdown|xlsx",
                                   help="Output format; xlsx needs -o FILE.")

@report_app.command("rejections")
def rejections(
    ctx: typer.Context,
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help="Only rejections on or after DATE (and projects not archived before it)."),
    platform: PlatformOption = None,
    site: SiteOption = None,
    owner: OwnerOption = None,
    status_filter: StatusOption = None,
    fmt: str = TABLE_FORMAT_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    wide: bool = WIDE_OPTION,
    output: Optional[Path] = sheetout.OUTPUT_OPTION,
    excel: bool = sheetout.EXCEL_OPTION,
) -> None:
    """Count rejections by platform and reason code.

    The platform's own words are shown as examples.

    \b
    Examples:
      storeops report rejections --since 2026-01-01
      storeops report rejections --platform amazon --format markdown
      storeops report rejections --format csv > rejections.csv
    """
    from storeops import filters, render, reports
    from storeops.errors import UsageError
    from storeops.labels import word
    from storeops.sop import load_library

    fmt = "json" if as_json else fmt
    sheetout.check(fmt, output, REJECTION_FORMATS)
    repo = open_repo(ctx)
    chosen = filters.build(repo, platform, site, owner, status_filter, since)
    lang = language(ctx, repo)
    loaded, problems = read_projects(repo)
    report = reports.rejections(chosen.select(loaded), load_library(repo.root), chosen.since)
    if fmt == "xlsx":
        from storeops import sheets

        sheetout.emit(ctx, sheets.rejections(report, lang), fmt, output, excel)
    elif fmt == "csv" and (output is not None or excel):
        sheetout.emit_text(ctx, reports.csv_text(report, lang), output, excel)
    elif fmt == "json":
        render.emit_json({"filters": chosen.to_dict(), **report, "problems": problem_list(problems)})
    elif fmt == "csv":
        render.out(reports.csv_text(report, lang).rstrip("\n"))
    elif fmt == "markdown":
        render.out(reports.markdown(report, lang, word("rejections_by", lang)).rstrip("\n"))
    elif not report["total"]:
        render.message("no rejections recorded" + (f" since {report['since']}" if report["since"] else ""))
    elif render.fancy():
        _rejection_chart(report, lang)
    else:
        rows = reports.rejection_rows(report, lang)
        render.table([word(k, lang) for k in ("platform", "reason", "count", "last", "example")],
                     [[r["platform"], r["reason"], r["count"], r["last"], _short(r["example"], 70)] for r in rows],
                     drop=[4, 3], shrink=(4, 1), dates=(3,))
    skipped(problems)


def _short(text: str, limit: int) -> str:
    from storeops.textcells import cell_width, fit

    return text if cell_width(text) <= limit else fit(text, limit).rstrip()


def _rejection_chart(report: dict, lang: str) -> None:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from storeops import render
    from storeops.labels import word
    from storeops.reports import title_in

    most = max(r["count"] for p in report["platforms"] for r in p["reasons"])
    console = render.console()
    width = bar_width(console.width)
    heading = f"{word('rejections_by', lang)}: {report['total']}" + (f" (≥ {report['since']})" if report["since"] else "")
    grid = Table(title=heading, title_justify="left", box=None, show_header=False, padding=(0, 1))
    for _ in range(4):
        grid.add_column()
    for platform in report["platforms"]:
        grid.add_row(Text(render.clean(platform["platform"]), style="bold"), Text(""),
                     Text(str(platform["total"]), style="bold"), Text(""))
        for reason in platform["reasons"]:
            bar = "█" * max(1, round(reason["count"] * width / most))
            about = [Text(render.clean(title_in(reason["title"], lang, reason["code"])), no_wrap=True,
                          overflow="ellipsis")]
            for example in reason["examples"][:1]:
                # one line: the newest message, cut with … on a narrow terminal
                about.append(Text(f"{example['at']} {example['project']}: “{render.clean(example['message'])}”",
                                  style="dim", no_wrap=True, overflow="ellipsis"))
            grid.add_row(Text("  " + render.clean(reason["code"])), Text(bar, style="dark_orange"),
                         Text(str(reason["count"])), Group(*about))
    console.print(grid)


def bar_width(columns: int) -> int:
    """Bars take a sixth of the terminal, between 10 and 30 cells: the words next to them matter more."""
    return max(10, min(BAR_WIDTH, columns // 6))


@report_app.command("workload")
def workload(
    ctx: typer.Context,
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
    """Count open, overdue and soon-due tasks per person.

    Counts tasks of active projects by assignee; everyone on the team is
    listed, idle people too. Project filters select which projects count.

    \b
    Examples:
      storeops report workload
      storeops report workload --platform amazon --json
      storeops report workload --format xlsx -o workload.xlsx
    """
    from storeops import actions, filters, render, reports
    from storeops.labels import word

    sheetout.check(fmt, output, sheetout.SHEET_FORMATS)
    as_json = as_json or fmt == "json"

    repo = open_repo(ctx)
    chosen = filters.build(repo, platform, site, owner, status_filter, since)
    lang = language(ctx, repo)
    loaded, problems = read_projects(repo)
    report = reports.workload(chosen.select(loaded), repo.config, actions.today(repo.config))
    if fmt in ("csv", "xlsx"):
        from storeops import sheets

        sheetout.emit(ctx, sheets.workload(report, lang, repo.config.policies.get("remind_days", 3)), fmt, output,
                      excel)
        skipped(problems)
        return
    if as_json:
        render.emit_json({"filters": chosen.to_dict(), **report, "problems": problem_list(problems)})
        skipped(problems)
        return
    days = repo.config.policies.get("remind_days", 3)
    headers = [word("person", lang), word("open", lang), word("late", lang), word("due_soon", lang).format(n=days)]
    people = report["people"]
    names = [r["person"] if r["person"] is not None else word("unassigned", lang) for r in people]
    if not render.fancy():
        render.table(headers, [[n, r["open"], r["overdue"], r["due_soon"]] for n, r in zip(names, people)])
        skipped(problems)
        return
    from rich.table import Table
    from rich.text import Text

    most = max([r["open"] for r in people] + [1])
    console = render.console()
    width = bar_width(console.width)
    grid = Table(title=f"{word('workload', lang)} · {report['today']}", title_justify="left", header_style="bold")
    for header in headers:
        grid.add_column(header, justify="right" if header != headers[0] else "left")
    grid.add_column("")
    for name, r in zip(names, people):
        late = round(r["overdue"] * width / most)
        rest = round(r["open"] * width / most) - late
        bar = Text("█" * late, style="red") + Text("█" * max(rest, 0), style="cyan")
        grid.add_row(Text(render.clean(name), style="" if r["on_team"] else "dim"), str(r["open"]),
                     Text(str(r["overdue"]), style="bold red" if r["overdue"] else ""), str(r["due_soon"]), bar)
    console.print(grid)
    skipped(problems)


@report_app.command("cycle-time")
def cycle_time(
    ctx: typer.Context,
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help="Only intervals that ended on or after DATE (and projects not archived "
                                             "before it)."),
    platform: PlatformOption = None,
    site: SiteOption = None,
    owner: OwnerOption = None,
    status_filter: StatusOption = None,
    fmt: str = TABLE_FORMAT_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    wide: bool = WIDE_OPTION,
    output: Optional[Path] = sheetout.OUTPUT_OPTION,
    excel: bool = sheetout.EXCEL_OPTION,
) -> None:
    """Show days per step and platform, and outcome rates.

    Read from git history, as median and p90. For each step (task id): days from its first in_progress to done. For
    platform steps (external): each wait from in_progress/submitted to the
    platform's answer (done or rejected). For projects: days from creation to
    first approval and to archive. Outcomes: opened / abandoned / failed
    among archived projects.

    \b
    Examples:
      storeops report cycle-time
      storeops report cycle-time --platform amazon --since 2026-01-01 --format markdown
      storeops report cycle-time --format csv > cycle-time.csv
    """
    from storeops import cycletime, filters, render, reports
    from storeops.errors import UsageError

    fmt = "json" if as_json else fmt
    sheetout.check(fmt, output, REJECTION_FORMATS)
    repo = open_repo(ctx)
    chosen = filters.build(repo, platform, site, owner, status_filter, since)
    lang = language(ctx, repo)
    loaded, problems = read_projects(repo)
    projects = chosen.select(loaded)
    report = cycletime.report(projects, cycletime.trails(repo.root), repo.config.timezone, chosen.since)
    if fmt == "xlsx":
        from storeops import sheets

        sheetout.emit(ctx, sheets.cycle_time(report, lang), fmt, output, excel)
    elif fmt == "csv" and (output is not None or excel):
        sheetout.emit_text(ctx, reports.cycle_csv(report), output, excel)
    elif fmt == "json":
        render.emit_json({"filters": chosen.to_dict(), **report, "problems": problem_list(problems)})
    elif fmt == "csv":
        render.out(reports.cycle_csv(report).rstrip("\n"))
    elif not projects:
        render.message("no projects match" if any(chosen.to_dict().values()) else
                       "no projects (create one with `storeops new`)")
    elif fmt == "markdown":
        render.out(reports.cycle_markdown(report, lang).rstrip("\n"))
    elif render.fancy():
        _cycle_chart(report, lang)
    else:
        from storeops.labels import word

        headers, rows = reports.duration_table(report, lang)
        since_text = f" (≥ {report['since']})" if report["since"] else ""
        render.table(headers, rows, title=word("cycle_time", lang) + since_text)
        render.out()
        render.table(*reports.outcome_table(report, lang))
    skipped(problems)


def _label_width(blocks: list, lang: str) -> int:
    """The widest first cell: platform lines ("tiktok-shop · 12 projects") and indented step names."""
    from storeops.labels import word
    from storeops.textcells import cell_width, visible

    labels = [f"{visible(p or '')} · {b['projects']} {word('projects', lang)}" for p, b in blocks]
    labels += ["  " + visible(s["task"]) for _, b in blocks for s in b.get("steps", [])]
    labels += ["  " + word(k, lang) for k in ("review_wait", "to_approval", "to_archive")]
    return max(cell_width(label) for label in labels)


def _cycle_chart(report: dict, lang: str) -> None:
    """Bars: solid to the median, light on to the p90; steps and projects each on their own scale."""
    from rich.table import Table
    from rich.text import Text

    from storeops import render
    from storeops.labels import outcome_label, word
    from storeops.model import OUTCOMES
    from storeops.reports import PROJECT_MEASURES, cycle_blocks, days_text, outcome_text

    blocks = cycle_blocks(report)
    step_most = max([s["p90"] or 0 for _, b in blocks for s in b.get("steps", [])]
                    + [b["review_wait"]["p90"] or 0 for _, b in blocks] + [0.1])
    project_most = max([b[m]["p90"] or 0 for _, b in blocks for m in PROJECT_MEASURES] + [0.1])
    console = render.console()
    width = bar_width(console.width)

    def bar(numbers: dict, most: float) -> str:
        if numbers["median"] is None:
            return ""
        solid = max(1, round(numbers["median"] * width / most))
        return "█" * solid + "░" * max(0, round(numbers["p90"] * width / most) - solid)

    heading = word("cycle_time", lang) + (f" · ≥ {report['since']}" if report["since"] else "")
    grid = Table(title=heading, title_justify="left", box=None, header_style="bold", padding=(0, 1))
    label_width = min(_label_width(blocks, lang), console.width // 3)
    grid.add_column("", no_wrap=True, overflow="ellipsis", min_width=label_width)
    for name in ("samples", "median", "p90"):
        grid.add_column(word(name, lang), justify="right", no_wrap=True, min_width=max(4, len(word(name, lang))))
    grid.add_column("", no_wrap=True, min_width=width)
    grid.add_column("", no_wrap=True, overflow="ellipsis")
    colours = {"opened": "green", "failed": "red", "abandoned": "grey50"}

    def numbers_row(label: str, numbers: dict, most: float, extra: str = "", style: str = "cyan") -> None:
        grid.add_row(Text("  " + label), str(numbers["count"]), days_text(numbers["median"]),
                     days_text(numbers["p90"]), Text(bar(numbers, most), style=style), Text(extra, style="dim"))

    for platform, block in blocks:
        name = render.clean(platform) if platform is not None else word("all_platforms", lang)
        count = block["projects"]
        grid.add_row(Text(f"{name} · {count} {word('project' if count == 1 else 'projects', lang)}", style="bold"))
        for step in block.get("steps", []):
            if not (step["count"] or step["open"]):
                continue  # begun only in projects closed since: nothing to draw
            numbers_row(render.clean(step["task"]), step, step_most,
                        f"{step['open']} {word('open', lang)}" if step["open"] else "")
        wait = block["review_wait"]
        if wait["count"] or wait["waiting"]:
            numbers_row(word("review_wait", lang), wait, step_most,
                        f"{wait['waiting']} {word('waiting', lang)}" if wait["waiting"] else "")
        for measure in PROJECT_MEASURES:
            if block[measure]["count"]:
                numbers_row(word(measure, lang), block[measure], project_most, style="magenta")
        outcomes = block["outcomes"]
        if outcomes["archived"]:
            shares = Text()
            for outcome in OUTCOMES:
                shares.append("█" * round(outcomes["rates"][outcome] * width), style=colours[outcome])
            about = " · ".join(f"{outcome_label(o, lang)} {outcome_text(outcomes, o)}" for o in OUTCOMES
                               if outcomes[o])
            grid.add_row("  " + word("archived", lang), str(outcomes["archived"]), "", "", shares, about)
    console.print(grid)


ORDER = 70


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
