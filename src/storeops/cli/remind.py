"""storeops remind (what is due, for cron) and storeops cron-example."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import OwnerOption, PlatformOption, language, open_repo, output_path
from storeops.cli.common import read_projects  # files that cannot be read

FORMATS = ("text", "json", "markdown", "ics", "csv", "xlsx")
GROUPS = ("person", "project")

REMIND_HELP = """List what is due, for people or for cron.

Overdue tasks and tasks due within --days (not those still waiting for
unfinished dependencies: the task holding them up is named instead); appointments within their
remind_before; documents that expire before their step is done; platform
reviews with no change for longer than their check_every; projects past their
target or without a commit for policies.stale_after_days; SOP templates not
reviewed for policies.sop_max_age_days. Archived projects are left out.

Nothing due: no output at all and exit 0, so cron mails only when there is
something to say. Dates are compared in the team's timezone.

Examples:

\b
  storeops remind
  storeops remind --as-of 2026-12-07 --days 5 --format markdown
  storeops remind --format ics --output reminders.ics
  storeops remind --days 14 --format xlsx -o due.xlsx
  storeops remind --webhook default --webhook-format feishu --fail-if-due
  storeops remind --email
"""


def remind(
    ctx: typer.Context,
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                        help="Pretend today is DATE (YYYY-MM-DD, tomorrow, +3d, ...); default: today in the team's timezone."),
    days: Optional[int] = typer.Option(
        None, "--days", metavar="DAYS",
        help="Remind about tasks due within DAYS days (default: policies.remind_days). A task still waiting for "
             "unfinished dependencies is left out: the task holding it up is reminded instead, even when marked "
             "blocked."),
    owner: OwnerOption = None,
    platform: PlatformOption = None,
    fmt: str = typer.Option("text", "--format", metavar="FORMAT",
                             help="text, json, markdown, ics, csv or xlsx (xlsx needs --output)."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json (see docs/remind.md)."),
    group_by: str = typer.Option("person", "--group-by", metavar="person|project",
                                 help="Group the digest (and webhook messages) by person or by project."),
    fail_if_due: bool = typer.Option(False, "--fail-if-due", help="Exit 1 when anything is due."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="PATH",
                                          help="Write to PATH instead of stdout (always written, even when empty)."),
    webhook: Optional[str] = typer.Option(
        None, "--webhook", metavar="URL",
        help="POST one message per group to URL; `default` reads it from $STOREOPS_WEBHOOK_URL "
             "(or the variable named by notify.webhook_url_env)."),
    webhook_format: Optional[str] = typer.Option(
        None, "--webhook-format", metavar="FORMAT",
        help="slack, feishu, dingtalk or generic (default: notify.webhook_format, else generic)."),
    email: bool = typer.Option(False, "--email", help="Mail one digest to each person (SMTP from storeops.yaml / env)."),
    excel: bool = typer.Option(False, "--excel", help="With --format csv: a byte-order mark and CRLF, as Excel expects."),
) -> None:
    import os

    from storeops import dates, filters, remind as domain, render
    from storeops.model import EARLIEST_YEAR
    from storeops.config import WEBHOOK_FORMATS
    from storeops.errors import UsageError

    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not a format", hint="one of " + ", ".join(FORMATS))
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx needs -o FILE", hint="for example: -o reminders.xlsx")
    if group_by not in GROUPS:
        raise UsageError(f"--group-by {group_by!r}: use person or project")
    if days is not None and days < 0:
        raise UsageError(f"--days {days}: must be 0 or more")
    if webhook_format is not None and webhook_format not in WEBHOOK_FORMATS:
        raise UsageError(f"--webhook-format {webhook_format!r} is not a format",
                         hint="one of " + ", ".join(WEBHOOK_FORMATS))
    target = output_path(ctx, output) if output is not None else None
    repo = open_repo(ctx)
    config = repo.config
    lang = language(ctx, repo)
    as_of_date = (dates.user_date(as_of, "--as-of", config.timezone, earliest=EARLIEST_YEAR)
                  or dates.today(config.timezone))
    window = config.policies["remind_days"] if days is None else days
    # resolve delivery settings before any work: a misconfigured cron should fail loudly, even on a quiet day
    url = None
    if webhook is not None:
        from storeops import notify

        url = notify.webhook_url(webhook, config, os.environ)
    smtp = None
    if email:
        from storeops import notify

        smtp = notify.smtp_settings(config, os.environ)
    chosen = filters.build(repo, platform=platform, owner=owner)

    from storeops.sop import load_library

    library = load_library(repo.root)
    loaded, skipped_files = read_projects(repo)
    projects = chosen.select([p for p in loaded if p.archived is None])
    changes = domain.last_changes(repo.root, config.timezone, as_of_date, {p.id for p in projects})
    items = domain.collect(projects, config, as_of=as_of_date, days=window, library=library, changes=changes,
                           language=lang)

    from storeops.remind_format import Header

    header = Header(team=config.team, timezone=config.timezone, as_of=as_of_date, days=window, lang=lang,
                    problems=tuple(skipped_files))
    # a broken file is news too: the digest goes out with its own item even on a quiet day (not in ICS or sheets)
    news = bool(items) or (bool(skipped_files) and fmt not in ("ics", "csv", "xlsx"))
    if fmt in ("csv", "xlsx"):
        from storeops import sheets
        from storeops.cli.sheetout import emit

        if output is not None or (items and url is None and smtp is None):
            emit(ctx, sheets.reminders(items, lang), fmt, output, excel)
    elif output is not None:
        _write(target, _render(fmt, items, header, group_by))
    elif news and url is None and smtp is None:
        text = _render(fmt, items, header, group_by).decode("utf-8")
        sys.stdout.write(render.prose(text) if fmt == "text" else text)
    problems = []
    if news and url is not None:
        problems += _deliver_webhook(url, webhook_format or config.notify.webhook_format or "generic",
                                     items, header, group_by)
    if news and smtp is not None:
        problems += _deliver_email(smtp, config, items, header)
    if problems:
        raise problems[0]
    if (fail_if_due and items) or skipped_files:
        raise typer.Exit(1)


def _render(fmt: str, items, header, group_by: str) -> bytes:
    from storeops import remind as domain
    from storeops import remind_format

    if fmt == "ics":
        return remind_format.ics(items, header)
    if fmt == "json":
        import json

        from storeops.render import JSON_VERSION

        body = {"version": JSON_VERSION, **remind_format.payload(items, header)}
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    groups = domain.group(items, group_by)
    render = remind_format.markdown if fmt == "markdown" else remind_format.text
    return render(groups, header, group_by, len(items)).encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    from storeops.errors import EnvError
    from storeops.repo import atomic_write

    try:
        atomic_write(path, data.decode("utf-8"))
    except OSError as error:
        raise EnvError(f"--output {path}: cannot write ({error.strerror or error})") from None


def _messages(items, header, group_by: str):
    from storeops import remind as domain
    from storeops import remind_format as f
    from storeops.notify import Message

    limit = 40  # chat services cap a message's size; the rest is one `storeops remind` away
    out = []
    for group in domain.group(items, group_by):
        title = f"{f.group_title(group, group_by, header.lang)} ({len(group.items)})"
        head = f"{header.line(len(group.items))} · {title}"
        out.append(Message(
            title=title,
            text="\n".join([head, *f.text_lines(group, header.lang, limit)]),
            markdown="\n".join([f"**{f.md_escape(head)}**", "", *f.markdown_lines(group, header.lang, limit)]),
            data={"group_by": group_by, "group": group.key or None, **f.payload(list(group.items), header)},
        ))
    unreadable = header.unreadable()
    if unreadable:  # a message of its own, first: the one the team must not miss
        out.insert(0, Message(title=unreadable, text=unreadable, markdown=f"**!** {f.md_escape(unreadable)}",
                              data={"group_by": group_by, "group": None, **f.payload([], header)}))
    return out


def _deliver_webhook(url: str, fmt: str, items, header, group_by: str) -> list:
    import os

    from storeops import notify, render
    from storeops.errors import StoreopsError

    try:
        sent = notify.send_webhook(url, fmt, _messages(items, header, group_by), os.environ.get(notify.SECRET_ENV))
    except StoreopsError as error:
        return [error]
    if render.fancy(sys.stderr):
        render.message(f"sent {sent} message(s) to {notify.where(url)}")
    return []


def _deliver_email(smtp, config, items, header) -> list:
    from storeops import notify, render
    from storeops import remind as domain
    from storeops import remind_format as f
    from storeops.errors import StoreopsError
    from storeops.labels import REMIND_TEXT, remind_text

    letters = []
    unreadable = header.unreadable()
    for group in domain.group(items, "person"):
        person = config.person(group.key) if group.key else None
        if person is None:
            render.warn(f"{len(group.items)} reminder(s) for {render.clean(group.key or 'nobody')} not mailed: "
                        "not a person in storeops.yaml")
            continue
        subject = remind_text(REMIND_TEXT, "subject", header.lang, count=len(group.items), name=person.name,
                              date=header.as_of.isoformat())
        body = "\n".join([header.line(len(group.items)), *(["", f"  [!] {unreadable}"] if unreadable else []), "",
                          *f.text_lines(group, header.lang)]) + "\n"
        letters.append(notify.Letter(name=person.name, email=person.email, subject=subject, body=body))
    if unreadable:  # the admins hear of a broken file even when nothing is due for them
        mailed = {letter.name for letter in letters}
        for person in config.people:
            if "admin" in person.roles and person.name not in mailed:
                subject = remind_text(REMIND_TEXT, "subject", header.lang, count=0, name=person.name,
                                      date=header.as_of.isoformat())
                body = "\n".join([header.line(0), "", f"  [!] {unreadable}"]) + "\n"
                letters.append(notify.Letter(name=person.name, email=person.email, subject=subject, body=body))
    if not letters:
        return []
    try:
        sent = notify.send_email(smtp, letters)
    except StoreopsError as error:
        return [error]
    if render.fancy(sys.stderr):
        render.message(f"mailed {sent} digest(s) through {smtp.host}:{smtp.port}")
    return []


CRON_HELP = """Print a crontab line and a CI schedule for reminders.

Both are ready to paste: a crontab line and a GitHub Actions workflow. Times are in the team's timezone (storeops.yaml); the GitHub schedule is
converted to UTC, which is what GitHub runs on.

Examples:

\b
  storeops cron-example
  storeops cron-example --at 09:15 --webhook-format feishu
  storeops cron-example --install "storeops @ git+https://github.com/acme/storeops@4f9e4e1"
"""


def cron_example(
    ctx: typer.Context,
    at: str = typer.Option("08:30", "--at", metavar="HH:MM", help="When to run, in the team's timezone."),
    webhook_format: str = typer.Option("slack", "--webhook-format", metavar="FORMAT",
                                       help="slack, feishu, dingtalk or generic."),
    install: Optional[str] = typer.Option(
        None, "--install", metavar="SPEC",
        help="The pip requirement the workflow installs storeops with (default: how this storeops was "
             "installed; required when that was a local folder or an editable checkout)."),
) -> None:
    from storeops import cron
    from storeops.config import WEBHOOK_FORMATS
    from storeops.errors import StoreopsError, UsageError

    if webhook_format not in WEBHOOK_FORMATS:
        raise UsageError(f"--webhook-format {webhook_format!r} is not a format",
                         hint="one of " + ", ".join(WEBHOOK_FORMATS))
    try:
        repo = open_repo(ctx)
        timezone, root = repo.config.timezone, repo.root
    except StoreopsError:
        timezone, root = "UTC", None
    sys.stdout.write(cron.example(at, timezone, webhook_format, root, install=install))


ORDER = 70


def register(app: typer.Typer) -> None:
    app.command("remind", help=REMIND_HELP)(remind)
    app.command("cron-example", help=CRON_HELP)(cron_example)
