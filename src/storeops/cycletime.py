"""Cycle time from git history: when each task entered each state, and what that adds up to.

`trails` reads every project file's history once (history.walk: one git log,
one cat-file) and keeps, per project, the moments each task entered a state,
when the project was created, first approved and archived. `report` measures
those trails (median and p90 of days per step and platform, platform review
waits, project lead times) and counts the outcomes of archived projects;
`actuals` gives the timeline its "actual" bars.

Days are elapsed time between commit dates (24 h a day), not calendar days:
a step started and finished on the same afternoon takes 0.1 days, not 0.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storeops import history
from storeops.model import OUTCOMES, Project
from storeops.timeline import Interval
from storeops.workflow import project_status

STARTED = ("in_progress", "submitted")
ANSWERED = ("done", "rejected")   # the platform said yes or no: a review wait ends
WITHDRAWN = ("todo", "skipped")   # taken back before the platform answered: no wait to count
UNFINISHED = ("in_progress", "submitted", "rejected", "blocked")


@dataclass
class Trail:
    """One project's history, oldest first."""
    project: str
    created: datetime
    approved: datetime | None = None   # the first version whose platform steps were all finished
    archived: datetime | None = None   # the commit that archived it last (None while open)
    tasks: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)  # task → (when, state entered)


def trails(root: Path, project: str | None = None) -> dict[str, Trail]:
    """Each project's trail by id (with `project`, that one's alone, read from its own file's history)."""
    return trails_from(history.walk(root, project, own_path=project is not None))


def trails_from(steps: list[history.Step]) -> dict[str, Trail]:
    """The trails of steps already walked (history.walk), for a caller that uses the steps for more."""
    found: dict[str, Trail] = {}
    # oldest first; walk gives git's order, where a child comes before its parent at the same second
    for step in sorted(reversed(steps), key=lambda s: s.commit.date):
        _follow(found, step)
    return found


def _follow(found: dict[str, Trail], step: history.Step) -> None:
    when = step.commit.date
    for change in step.changes:
        if change.action == "rename" and change.field == "id" and change.old in found:
            found[change.new] = dataclasses.replace(found.pop(change.old), project=change.new)
    trail = found.setdefault(step.project, Trail(step.project, when))
    for change in step.changes:
        if change.field == "state" and change.task in trail.tasks:
            trail.tasks[change.task].append((when, change.new))
        elif change.action == "archive":
            trail.archived = when
        elif change.action == "reopen":
            trail.archived = None
    if isinstance(step.new, Project):
        for task in step.new.tasks:
            if task.id not in trail.tasks:
                # first seen here (the project's creation, a task added later): it entered its state now
                trail.tasks[task.id] = [(when, task.state)]
        if trail.approved is None and _approved(step.new):
            trail.approved = when


def _approved(project: Project) -> bool:
    if project.archived is not None:
        # approval is about the platform's steps: a version archived in the same commit still counts
        project = dataclasses.replace(project, archived=None)
    return project_status(project) == "approved"


# ---- what a task's entries say ----

def started(entries: list[tuple[datetime, str]]) -> datetime | None:
    """When work first began: the first entry into in_progress (or submitted, when a hand edit skipped it)."""
    return next((when for when, state in entries if state in STARTED), None)


def finished(entries: list[tuple[datetime, str]]) -> datetime | None:
    """When the task became done for good: the start of its last run of `done`, None if it is not done now."""
    if not entries or entries[-1][1] != "done":
        return None
    at = len(entries) - 1
    # the same change made on two branches arrives twice: the first arrival counts
    while at > 0 and entries[at - 1][1] == "done":
        at -= 1
    return entries[at][0]


def review_waits(entries: list[tuple[datetime, str]]) -> tuple[list[tuple[datetime, datetime]], datetime | None]:
    """Each round an external step spent with the platform, (began, answered); and the round still open."""
    rounds: list[tuple[datetime, datetime]] = []
    began: datetime | None = None
    for when, state in entries:
        if state in STARTED and began is None:
            began = when
        elif state in ANSWERED and began is not None:
            rounds.append((began, when))
            began = None
        elif state in WITHDRAWN:
            began = None
    return rounds, began


# ---- the report ----

def days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def percentile(values: list[float], q: float) -> float:
    """Linear between the two nearest ranks (numpy's default), so that percentile(v, 0.5) is the median."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def stats(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "median": None, "p90": None}
    return {"count": len(values), "median": round(percentile(values, 0.5), 2),
            "p90": round(percentile(values, 0.9), 2)}


@dataclass
class _Tally:
    projects: int = 0
    steps: dict[str, list[float]] = field(default_factory=dict)
    place: dict[str, int] = field(default_factory=dict)             # a step's earliest position in a project
    open_steps: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    waits: list[float] = field(default_factory=list)
    waiting: int = 0
    to_approval: list[float] = field(default_factory=list)
    to_archive: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, other: _Tally) -> None:
        self.projects += other.projects
        self.waits += other.waits
        self.waiting += other.waiting
        self.to_approval += other.to_approval
        self.to_archive += other.to_archive
        for outcome, n in other.outcomes.items():
            self.outcomes[outcome] += n

    def to_dict(self, with_steps: bool) -> dict:
        archived = sum(self.outcomes.values())
        rates = {k: round(n / archived, 4) if archived else None for k, n in self.outcomes.items()}
        out = {"projects": self.projects}
        if with_steps:
            order = sorted(self.steps, key=lambda task: (self.place[task], task))
            out["steps"] = [{"task": task, **stats(self.steps[task]), "open": self.open_steps[task]}
                            for task in order]
        out.update({
            "review_wait": {**stats(self.waits), "waiting": self.waiting},
            "to_approval": stats(self.to_approval),
            "to_archive": stats(self.to_archive),
            "outcomes": {"archived": archived, **self.outcomes, "rates": rates},
        })
        return out


def report(projects: list[Project], found: dict[str, Trail], timezone: str, since: date | None = None) -> dict:
    """Cycle times of `projects` (already filtered) from their trails; what ended before `since` is left out."""
    zone = ZoneInfo(timezone)

    def counts(end: datetime) -> bool:
        return since is None or end.astimezone(zone).date() >= since

    tallies: dict[str, _Tally] = {}
    for project in projects:
        tally = tallies.setdefault(project.platform, _Tally())
        tally.projects += 1
        if project.archived is not None:
            tally.outcomes[project.archived.outcome] = tally.outcomes.get(project.archived.outcome, 0) + 1
        trail = found.get(project.id)
        if trail is None:
            continue  # not committed yet: no history to measure
        active = project.archived is None
        for place, task in enumerate(project.tasks):
            entries = trail.tasks.get(task.id, [])
            begin, end = started(entries), finished(entries)
            if begin is None:
                continue
            tally.place[task.id] = min(place, tally.place.get(task.id, place))
            samples = tally.steps.setdefault(task.id, [])
            if end is not None and end >= begin and counts(end):
                samples.append(days(begin, end))
            elif end is None and active and entries[-1][1] in UNFINISHED:
                tally.open_steps[task.id] += 1
            if task.external:
                rounds, waiting = review_waits(entries)
                tally.waits += [days(a, b) for a, b in rounds if counts(b)]
                tally.waiting += int(waiting is not None and active)
        if trail.approved is not None and counts(trail.approved):
            tally.to_approval.append(days(trail.created, trail.approved))
        if trail.archived is not None and not active and counts(trail.archived):
            tally.to_archive.append(days(trail.created, trail.archived))
    overall = _Tally()
    for tally in tallies.values():
        overall.add(tally)
    return {
        "since": since.isoformat() if since else None,
        "timezone": timezone,
        "platforms": [{"platform": name, **tallies[name].to_dict(with_steps=True)} for name in sorted(tallies)],
        "overall": overall.to_dict(with_steps=False),
    }


# ---- the timeline's actual bars ----

def actuals(projects: list[Project], found: dict[str, Trail], today: date,
            timezone: str) -> dict[tuple[str, str], Interval]:
    """(project, task) → first started … done, or … today while open (… the archive day for a closed project)."""
    zone = ZoneInfo(timezone)
    out: dict[tuple[str, str], Interval] = {}
    for project in projects:
        trail = found.get(project.id)
        if trail is None:
            continue
        closed = None
        if project.archived is not None:
            closed = _day(trail.archived, zone) if trail.archived else project.archived.at
        for task in project.tasks:
            entries = trail.tasks.get(task.id, [])
            begin = started(entries)
            if begin is None:
                continue
            if task.state == "done":
                end = finished(entries)
                # done in the work tree but not committed yet: it was finished today
                last = _day(end, zone) if end is not None else today
            elif task.state in UNFINISHED:
                last = closed or today
            else:
                continue  # back to todo, or skipped: no work running
            first = _day(begin, zone)
            if last >= first:
                out[(project.id, task.id)] = Interval(first, last)
    return out


def _day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()

