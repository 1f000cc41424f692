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
    from storeops.cli.common import name_skipped, skipped

    name_skipped(built.problems)
    render.message(f"built {built.pages} pages for {built.projects} projects in {built.path}")
    skipped(built.problems)


SERVE_HELP = """Preview the dashboard site on 127.0.0.1, rebuilt on change.

The site is built into a folder of its own and rebuilt whenever a project
file, storeops.yaml, an SOP or the checked-out commit changes (a file that
does not parse keeps the last good site). Only this machine can connect.
Ctrl-C stops it.

\b
Examples:
  storeops serve
  storeops serve --port 8765 --lang zh
"""


def serve(
    ctx: typer.Context,
    port: int = typer.Option(8000, "--port", metavar="N", help="Port on 127.0.0.1 (0: any free one)."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|zh",
                                       help="Language of the site (default: the team's)."),
) -> None:
    import sys
    import tempfile

    from storeops import actions, render
    from storeops.errors import EnvError, StoreopsError, UsageError
    from storeops.repo import StoresRepo
    from storeops.site import build
    from storeops.site.serve import serve as run

    if lang is not None and lang not in ("en", "zh"):
        raise UsageError(f"--lang {lang!r} is not a language", hint="one of en, zh")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: not a port", hint="0 to 65535")
    repo = open_repo(ctx)
    lang = lang or language(ctx, repo)
    folder = Path(tempfile.mkdtemp(prefix="storeops-serve-")) / "site"

    def rebuild() -> None:
        fresh = StoresRepo(repo.root)  # storeops.yaml may have changed
        build(fresh, folder, lang, actions.today(fresh.config))

    rebuild()

    def ready(actual: int) -> None:
        render.message(f"serving the site at http://127.0.0.1:{actual}/ (Ctrl-C stops)")
        sys.stderr.flush()

    def rebuilt(error) -> None:
        if error is None:
            render.message("rebuilt")
        elif isinstance(error, StoreopsError):
            render.warn(f"not rebuilt: {error.message}")
        else:
            render.warn(f"not rebuilt: {type(error).__name__}")
        sys.stderr.flush()

    import signal

    def stop(*_) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a service manager's stop: clean up as Ctrl-C does
    try:
        run(repo.root, folder, rebuild, port, ready, rebuilt)
    except OSError as error:
        raise EnvError(f"--port {port}: cannot listen on 127.0.0.1 ({error.strerror or error})",
                       hint="another program uses it: pick another --port") from None
    except KeyboardInterrupt:
        pass
    finally:
        import shutil

        shutil.rmtree(folder.parent, ignore_errors=True)


ORDER = 72


def register(app: typer.Typer) -> None:
    app.command("site", help=SITE_HELP)(site)
    app.command("serve", help=SERVE_HELP)(serve)
