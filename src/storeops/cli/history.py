"""storeops log / diff: the audit trail and the semantic change of a range."""

from __future__ import annotations

from typing import Optional

import typer

from storeops.cli.common import WIDE_OPTION, JSON_OPTION, language, open_repo

FORMATS = ("text", "markdown", "json")


def log(
    ctx: typer.Context,
    project_id: Optional[str] = typer.Argument(None, metavar="PROJECT", help="Only this project (renames followed)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="From this day on (team timezone)."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Up to and including this day."),
    author: Optional[str] = typer.Option(None, "--author", metavar="PERSON",
                                         help="Only changes by this person (name, git name or email)."),
    action: Optional[str] = typer.Option(None, "--action", metavar="ACTION",
                                         help="Only this kind: new, advance, assign, schedule, approve, attach, "
                                              "reject, note, archive, reopen, link, secret, rename, delete, edit."),
    as_json: bool = JSON_OPTION,
    wide: bool = WIDE_OPTION,
) -> None:
    """What happened, newest first, read from git history.

    One line per change in domain words (task states, due dates, assignees,
    documents, approvals, rejections, archive), with who and when. Commits made
    by hand and merges are read too: the YAML is compared, trailers are only a
    hint, shown as "hand edit" when storeops did not make the commit.

    Examples:
      storeops log acme-amazon-us
      storeops log --since 2026-12-01 --action approve --json
    """
    from storeops import dates, history, render
    from storeops.changes import ACTIONS
    from storeops.errors import UsageError, did_you_mean
    from storeops.repo import check_id

    repo = open_repo(ctx)
    if action is not None and action not in ACTIONS:
        raise UsageError(f"--action {action!r} is not a kind of change",
                         hint=did_you_mean(action, list(ACTIONS)) or "one of " + ", ".join(ACTIONS))
    query = history.LogQuery(project=check_id(project_id) if project_id else None,
                             since=dates.user_date(since, "--since", repo.config.timezone),
                             until=dates.user_date(until, "--until", repo.config.timezone),
                             author=author, action=action)
    if query.since and query.until and query.since > query.until:
        raise UsageError("--since is after --until")
    events = history.log(repo.root, repo.config, query)
    if project_id and not events and not repo.project_path(project_id).exists():
        raise UsageError(f"unknown project {project_id!r}",
                         hint=did_you_mean(project_id, repo.project_ids()) or "no history under that id either")
    timezone = repo.config.timezone
    shallow = history.is_shallow(repo.root)
    if shallow:
        render.warn("the history is shallow (a shallow clone): changes before its oldest commit are missing, "
                    "and what that commit holds shows as made there")
        render.hint("run `git fetch --unshallow` to read the whole history")
    if as_json:
        render.emit_json({"timezone": timezone, "shallow": shallow, "events": [e.to_dict(timezone) for e in events]})
        return
    if not events:
        render.message("no changes match")
        return
    _table(events, timezone, language(ctx, repo), with_project=project_id is None)


def _table(events, timezone: str, lang: str, with_project: bool) -> None:
    from zoneinfo import ZoneInfo

    from storeops import messages, render
    from storeops.labels import word

    zone = ZoneInfo(timezone)
    headers = [word("when", lang), word("who", lang)] + ([word("project", lang)] if with_project else [])
    headers += [word("change", lang), "commit"]
    rows, styles = [], []
    for event in events:
        text = messages.say(event.change.text, lang)
        if event.change.by and event.change.by != event.person and event.action in ("approve", "note"):
            text += f" — recorded as {event.change.by}"
        if event.via != "storeops":
            text += f" [{word('hand_edit' if event.via == 'hand' else 'merge', lang)}]"
        when = event.commit.date.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        rows.append([when, event.who] + ([event.project] if with_project else []) + [text, event.commit.sha[:7]])
        styles.append("yellow" if event.via == "hand" else None)
    change = len(headers) - 2
    render.table(headers, rows, styles, drop=[change + 1, 1], shrink=(change,), dates=(0,))


def diff(
    ctx: typer.Context,
    spec: Optional[str] = typer.Argument(None, metavar="BASE..HEAD",
                                         help="A..B, A...B (from their merge base, as for a pull request) or REV "
                                              "(REV against the work tree); default: HEAD against the work tree."),
    fmt: str = typer.Option("text", "--format", metavar="text|markdown|json", help="Output format."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The change of a range in domain words, project by project.

    Reads revisions like `git diff`: no argument compares HEAD with your
    uncommitted edits. `--format markdown` is made for a pull-request comment
    or a CI job summary.

    Examples:
      storeops diff
      storeops diff origin/main...HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"
    """
    from storeops import ranges, render
    from storeops.errors import UsageError
    from storeops.labels import word

    if as_json:
        fmt = "json"
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    repo = open_repo(ctx)
    base, head = ranges.parse_range(repo.root, spec)
    projects = ranges.diff(repo.root, base, head)
    label = spec or "HEAD..(work tree)"
    if fmt == "json":
        render.emit_json({"base": base, "head": head, "projects": [p.to_dict() for p in projects]})
    elif fmt == "markdown":
        render.out(markdown(projects, label, language(ctx, repo)))
    elif not projects:
        render.message("no project changes")
    else:
        lang = language(ctx, repo)
        for item in projects:
            render.out(f"{render.clean(item.project)} ({render.clean(item.path)}, {word(item.status, lang)})")
            for change in item.changes:
                render.out(f"  {render.clean(_with_by(change, lang))}")


def _with_by(change, lang: str = "en") -> str:
    from storeops.messages import say

    text = say(change.text, lang)
    return text + (say(f" by {change.by}", lang) if change.action == "approve" and change.by else "")


def markdown(projects, label: str, lang: str = "en") -> str:
    from storeops.labels import word
    from storeops.messages import say
    from storeops.render import clean, md

    shown = clean(label).replace("`", "")
    if not projects:
        return say(f"### storeops: no project changes in `{shown}`", lang) + "\n"
    lines = [say(f"### storeops: {len(projects)} project(s) changed in `{shown}`", lang), ""]
    for item in projects:
        count = len(item.changes)
        changes = say(f"{count} change{'s' if count != 1 else ''}", lang)
        lines.append(f"**{md(item.project)}** ({word(item.status, lang)}, {changes})")
        lines.append("")
        for change in item.changes:
            marker = "✅ " if change.action == "approve" and change.new else ""
            lines.append(f"- {marker}{md(_with_by(change, lang))}")
        lines.append("")
    return "\n".join(lines)


ORDER = 55


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("diff")(diff)
