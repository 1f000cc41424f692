"""storeops site: build the static dashboard (board, project pages, due, reports)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import language, open_repo, user_path

SITE_HELP = """Build a static dashboard site (HTML, no server).

Plain HTML with inline CSS and SVG: no server, no CDN; it works from file://
and offline. Pages: the board (one column per status, with a page per
platform and per owner), a page per project (fields, tasks, approvals,
document names and dates, rejections, timeline, recent changes), what is due
in the next 14 days by person, and reports (rejections, cycle time, workload)
as charts with their numbers.

Never shown: document contents, secret values or hints, anything decrypted.
The site is built in a temporary folder and then replaces DIR whole.

\b
Examples:
  storeops site
  storeops site -o public --lang zh
  storeops site -o /var/www/stores --as-of 2026-12-01
"""


def site(
    ctx: typer.Context,
    out: Path = typer.Option(Path("site"), "-o", "--output", metavar="DIR", help="Where to build (default: ./site)."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|zh",
                                       help="Language of the site (default: the team's)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                        help="Pretend today is DATE (YYYY-MM-DD); default: today in the team's timezone."),
) -> None:
    from storeops import actions, render
    from storeops.errors import UsageError
    from storeops.site import build

    if lang is not None and lang not in ("en", "zh"):
        raise UsageError(f"--lang {lang!r} is not a language", hint="one of en, zh")
    repo = open_repo(ctx)
    lang = lang or language(ctx, repo)
    today = actions.user_date(as_of, "--as-of") or actions.today(repo.config)
    built = build(repo, user_path(ctx, out), lang, today)
    render.message(f"built {built.pages} pages for {built.projects} projects in {built.path}")


ORDER = 72


def register(app: typer.Typer) -> None:
    app.command("site", help=SITE_HELP)(site)
