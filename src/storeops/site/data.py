"""What the site shows, as plain data: read once from the project files and one walk of the history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from storeops.model import Project

DUE_DAYS = 14
HISTORY_LINES = 15
_HINT = re.compile(r" \(hint [^)]*\)$")


@dataclass
class Site:
    team: str
    lang: str
    today: date
    timezone: str
    summaries: list[dict]
    projects: list[Project]
    details: dict[str, dict] = field(default_factory=dict)
    timelines: dict[str, str] = field(default_factory=dict)     # project id → inline SVG
    history: dict[str, list[dict]] = field(default_factory=dict)
    due: list = field(default_factory=list)                     # remind.Group per person
    rejections: dict = field(default_factory=dict)
    cycle: dict = field(default_factory=dict)
    workload: dict = field(default_factory=dict)
    remind_days: int = 3
    problems: list = field(default_factory=list)                # project files skipped (loading.py)


def collect(repo, lang: str, today: date) -> Site:
    from storeops import cycletime, history, loading, remind, reports, timeline, views
    from storeops.sop import load_library

    config = repo.config
    library = load_library(repo.root)
    loaded, problems = loading.projects(repo)  # a broken file is skipped (and named by the command)
    projects = sorted(loaded, key=lambda p: p.id)
    site = Site(team=config.team, lang=lang, today=today, timezone=config.timezone,
                summaries=[views.project_summary(p, today) for p in projects], projects=projects,
                remind_days=config.policies.get("remind_days", 3), problems=problems)
    steps = history.walk(repo.root)  # one walk: cycle times and the recent changes
    found = cycletime.trails_from(steps)
    durations = timeline.sop_durations(library)
    actuals = cycletime.actuals(projects, found, today, config.timezone)
    for project in projects:
        site.details[project.id] = views.project_detail(project, today)
        lane = timeline.build([project], today, lang, durations, actuals)
        site.timelines[project.id] = timeline.svg(lane, title=f"{project.id} · {project.store}")
    site.history = _history(steps, config)
    active = [p for p in projects if p.archived is None]
    changes = _last_changes(steps, config.timezone, today)
    items = remind.collect(active, config, as_of=today, days=DUE_DAYS, library=library, changes=changes,
                           language=lang)
    site.due = remind.group(items, "person")
    site.rejections = reports.rejections(projects, library)
    site.cycle = cycletime.report(projects, found, config.timezone)
    site.workload = reports.workload(projects, config, today)
    return site


def _history(steps, config) -> dict[str, list[dict]]:
    """The newest changes per project, as `storeops log` words them; secret hints left out."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(config.timezone)
    out: dict[str, list[dict]] = {}
    for step in steps:  # newest first
        lines = out.setdefault(step.project, [])
        if len(lines) >= HISTORY_LINES:
            continue
        person = config.person_by_email(step.commit.author_email)
        for change in step.changes:
            text = _HINT.sub("", change.text) if change.action == "secret" else change.text
            lines.append({"when": step.commit.date.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                          "who": person.name if person else step.commit.author_name, "text": text,
                          "via": step.via})
    return {k: v[:HISTORY_LINES] for k, v in out.items()}


def _last_changes(steps, timezone: str, as_of: date) -> dict[str, date]:
    """The day each project last changed (what remind.last_changes reads from git), from the same walk."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    last: dict[str, date] = {}
    for step in steps:
        day = step.commit.date.astimezone(zone).date()
        if day <= as_of and (step.project not in last or day > last[step.project]):
            last[step.project] = day
    return last


def window_end(today: date) -> date:
    return today + timedelta(days=DUE_DAYS)
