"""storeops timeline: a Gantt of tasks in the terminal, as mermaid, or as an svg file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import (JSON_OPTION, OWNER_OPTION, PLATFORM_OPTION, SINCE_OPTION, SITE_OPTION,
                                 STATUS_OPTION, language, open_repo, user_path)
from storeops.cli.common import problem_list, read_projects, skipped  # files that cannot be read

FORMATS = ("text", "mermaid", "svg")

# style words from storeops.timeline → rich styles
STYLES = {"done": "green", "active": "cyan", "todo": "grey50", "dim": "grey50", "overdue": "bold red",
          "rejected": "dark_orange", "blocked": "yellow", "today": "bold red", "axis": "grey50", "lane": "bold",
          "marker": "bold magenta", "actual": "white"}


def timeline(
    ctx: typer.Context,
    project_id: Optional[str] = typer.Argument(None, metavar="PROJECT", help="One project (default: all that match)."),
    fmt: str = typer.Option("text", "--format", metavar="text|mermaid|svg", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="PATH", help="Write to PATH instead of stdout."),
    platform: Optional[str] = PLATFORM_OPTION,
    site: Optional[str] = SITE_OPTION,
    owner: Optional[str] = OWNER_OPTION,
    status_filter: Optional[str] = STATUS_OPTION,
    since: Optional[str] = SINCE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a Gantt chart of tasks, planned and actual.

    The plan comes from due dates, today is marked, overdue is red. Under each task that has begun, "↳ actual" shows when it really ran, from
    git history: its first in_progress to done (to today while it is open).
    `mermaid` prints a gantt block for GitHub markdown (issues, pull requests);
    `svg` writes one self-contained image (no scripts, nothing fetched).
    ✗ marks a rejection, ◆ a booked appointment.

    \b
    Examples:
      storeops timeline acme-amazon-us
      storeops timeline --platform amazon --format mermaid
      storeops timeline --format svg --output timeline.svg
    """
    from storeops import actions, cycletime, filters, render
    from storeops import timeline as gantt
    from storeops.errors import UsageError
    from storeops.sop import load_library

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not a format", hint="one of " + ", ".join(FORMATS))
    chosen = filters.build(platform, site, owner, status_filter, since)
    repo = open_repo(ctx)
    lang = language(ctx, repo)
    today = actions.today(repo.config)
    if project_id is not None:
        if any(chosen.to_dict().values()):
            raise UsageError("filters select projects; with PROJECT there is nothing to filter",
                             hint="drop PROJECT or the --platform/--site/--owner/--status/--since options")
        projects, problems = [repo.load_project(project_id)], []
    else:
        loaded, problems = read_projects(repo)
        projects = chosen.select(loaded)
    # one project: only its own file's history is read, so the chart stays quick in a big repository
    trails = cycletime.trails(repo.root, project_id)
    chart = gantt.build(projects, today, lang, durations=gantt.sop_durations(load_library(repo.root)),
                        actuals=cycletime.actuals(projects, trails, today, repo.config.timezone))
    title = f"{projects[0].id} · {projects[0].store}" if project_id else f"{repo.config.team} · storeops timeline"
    if as_json:
        render.emit_json({**gantt.to_dict(chart), "problems": problem_list(problems)})
        skipped(problems)
        return
    if not chart.lanes:
        render.message("no projects match" if any(chosen.to_dict().values()) else
                       "no projects (create one with `storeops new`)")
        skipped(problems)
        return
    output = user_path(ctx, output) if output is not None else None
    if fmt == "mermaid":
        _write(gantt.mermaid(chart, title), output)
    elif fmt == "svg":
        if output is None and render.fancy():
            raise UsageError("an svg is an image file", hint="pass --output timeline.svg, or pipe it")
        _write(gantt.svg(chart, title), output)
    elif output is not None:
        _write("\n".join("".join(text for text, _ in line).rstrip() for line in gantt.text_lines(chart, 100)) + "\n",
               output)
    else:
        _show(gantt.text_lines(chart, _width()))
    skipped(problems)


def _width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _show(lines) -> None:
    from storeops import render

    if not render.fancy():
        for line in lines:
            render.out("".join(text for text, _ in line).rstrip())
        return
    from rich.text import Text

    console = render.console()
    for line in lines:
        text = Text(no_wrap=True, overflow="crop")
        for part, style in line:
            text.append(part, style=STYLES.get(style, "") if style else "")
        console.print(text)


def _write(content: str, output: Path | None) -> None:
    from storeops import render
    from storeops.errors import EnvError
    from storeops.repo import atomic_write

    if output is None:
        render.out(content.rstrip("\n"))
        return
    try:
        atomic_write(output, content)
    except OSError as error:
        raise EnvError(f"{output}: cannot write ({error.strerror or error})") from None
    render.message(f"wrote {output}")


ORDER = 34


def register(app: typer.Typer) -> None:
    app.command("timeline")(timeline)
