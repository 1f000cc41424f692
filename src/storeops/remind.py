"""What is due: late and upcoming tasks, appointments, expiring documents,
platform reviews nobody looked at, slipping or idle projects, stale templates.

`collect` is pure: projects, the team's config, the SOP library and the last
change of each project (from `last_changes`, one git process for all of them)
go in; a sorted list of `Item`s comes out. Everything is relative to `as_of`,
a date in the team's timezone, so a run can be reproduced.

Renderers live in remind_format, delivery (webhooks, e-mail) in notify.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storeops.config import Config
from storeops.labels import REMIND_EXTRA, REMIND_MESSAGE, ago, days_span, remind_text, when
from storeops.model import Project, Task, span_days
from storeops.workflow import FINISHED, unmet_dependencies, valid_approval

# The order items are listed in: what hurts most first.
KINDS = ("overdue", "document_expired", "appointment", "due_soon", "document_expiring", "external_stale",
         "project_past_target", "project_inactive", "sop_stale")

# Kinds about something that has NOT happened since `date` (last change, last review).
STALE_KINDS = ("external_stale", "project_inactive", "sop_stale")

WAITING_ON_PLATFORM = ("in_progress", "submitted")


@dataclass(frozen=True)
class Item:
    kind: str
    key: str                      # what the item is about, stable across runs: "mini-us/video/appointment"
    date: date                    # the date that matters (due, appointment, expiry, target, last change, review)
    days: int                     # date - as_of: negative when it lies in the past
    message: str
    project: str | None = None
    platform: str | None = None
    task: str | None = None
    document: str | None = None
    sop: str | None = None
    title: str | None = None      # task title, store name or SOP title in the run's language
    person: str | None = None     # the one person it is addressed to, when there is one
    role: str | None = None       # ... or the role it is addressed to (approvals, SOP maintainers)
    recipients: tuple[str, ...] = ()
    at: datetime | None = None    # appointments: local time in the team's timezone
    remind_before: str | None = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "project": self.project,
            "platform": self.platform,
            "task": self.task,
            "document": self.document,
            "sop": self.sop,
            "title": self.title,
            "person": self.person,
            "role": self.role,
            "recipients": list(self.recipients),
            "date": self.date.isoformat(),
            "days": self.days,
            "at": self.at.isoformat() if self.at else None,
            "remind_before": self.remind_before,
            "message": self.message,
        }


def local_today(timezone: str, now: datetime | None = None) -> date:
    """Today in the team's timezone (a cron at 01:00 in Shanghai is still 'yesterday' in UTC)."""
    from storeops import dates

    return dates.today(timezone, now)


# ---- git: when did each project last change ----

def last_changes(root: Path, timezone: str, as_of: date, wanted: set[str]) -> dict[str, date]:
    """Date (team timezone) of the last commit on or before `as_of` that touched projects/<id>.yaml.

    One `git log` for all projects, read newest first and stopped as soon as
    every wanted id has been seen. Commits after `as_of` are ignored so that a
    run with an earlier --as-of sees the history as it was then.
    """
    from storeops import gitcmd

    if not wanted:
        return {}
    tz = ZoneInfo(timezone)
    proc = subprocess.Popen(
        [gitcmd._git_binary(), "-C", str(root), "log", "--relative", "--no-renames", "--format=%x00%ct",
         "--name-only", "--", "projects/"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
    )
    found: dict[str, date] = {}
    stamp: date | None = None
    stopped = False
    try:
        for line in proc.stdout:
            if line.startswith("\0"):
                day = datetime.fromtimestamp(int(line[1:]), tz).date()
                stamp = day if day <= as_of else None
                continue
            name = line.rstrip("\n")
            if stamp is None or not name.startswith("projects/") or not name.endswith(".yaml"):
                continue
            project_id = name[len("projects/"):-len(".yaml")]
            if project_id in wanted and project_id not in found:
                found[project_id] = stamp
                if len(found) == len(wanted):
                    stopped = True
                    break
    finally:
        if proc.poll() is None:
            proc.kill()
        stderr = proc.stderr.read()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    if not stopped and proc.returncode != 0 and "does not have any commits" not in stderr:
        raise gitcmd.GitFailed(["log"], stderr)
    return found


# ---- collecting ----

@dataclass(frozen=True)
class _Run:
    config: Config
    as_of: date
    days: int
    changes: dict
    lang: str
    tz: ZoneInfo


def collect(projects: list[Project], config: Config, *, as_of: date, days: int | None = None,
            library: dict | None = None, changes: dict[str, date] | None = None,
            language: str | None = None) -> list[Item]:
    """Every reminder for `projects` (archived ones are skipped), sorted most urgent first.

    `days`: how far ahead due dates count as "due soon" (default: policies.remind_days).
    `library`: SOPs by id, for stale-template reminders (None: none of those).
    `changes`: project id → date of its last commit, for follow-up and inactivity reminders.
    """
    run = _Run(config=config, as_of=as_of, days=config.policies["remind_days"] if days is None else days,
               changes=changes or {}, lang=language or config.language, tz=ZoneInfo(config.timezone))
    items: list[Item] = []
    active = [p for p in projects if p.archived is None]
    for project in active:
        items += _project_items(project, run)
    if library is not None:
        items += _sop_items(active, library, run)
    return sorted(items, key=lambda i: (KINDS.index(i.kind), i.date, i.key))


def _project_items(project: Project, run: _Run) -> list[Item]:
    items: list[Item] = []
    for task in project.tasks:
        if task.state not in FINISHED:
            items += _task_items(project, task, run)
    open_tasks = [t for t in project.tasks if t.state not in FINISHED]
    if not open_tasks:
        return items  # finished, waiting to be archived: nothing to chase
    base = dict(project=project.id, platform=project.platform, title=project.store, person=project.owner,
                recipients=(project.owner,))
    if project.target is not None and project.target < run.as_of:
        late = (run.as_of - project.target).days
        items.append(Item(
            kind="project_past_target", key=f"{project.id}/target", date=project.target, days=-late,
            message=remind_text(REMIND_MESSAGE, "project_past_target", run.lang, project=project.id,
                                date=project.target.isoformat(), span=days_span(late, run.lang),
                                open=len(open_tasks)),
            **base))
    limit = run.config.policies["stale_after_days"]
    last = run.changes.get(project.id)
    followed = any(i.kind == "external_stale" for i in items)
    # an unanswered platform review already says why nothing moves; one reminder is enough
    if limit and last is not None and not followed and (run.as_of - last).days >= limit:
        idle = (run.as_of - last).days
        items.append(Item(
            kind="project_inactive", key=f"{project.id}/inactive", date=last, days=-idle,
            message=remind_text(REMIND_MESSAGE, "project_inactive", run.lang, project=project.id,
                                span=days_span(idle, run.lang), date=last.isoformat()),
            **base))
    return items


def _subject(project: Project, task: Task, lang: str) -> str:
    title = task.title_in(lang)
    return f"{project.id}/{task.id}" + (f" ({title})" if title != task.id else "")


def _addressee(project: Project, task: Task, config: Config) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(person, role, recipients) for a task's deadline: the approver when only an approval is missing."""
    if task.state == "submitted" and task.requires_approval and valid_approval(task) is None:
        holders = tuple(p.name for p in config.holders(task.requires_approval) if p.name != task.assignee)
        return None, task.requires_approval, holders or (project.owner,)
    person = task.assignee or project.owner
    return person, None, (person,)


def _task_items(project: Project, task: Task, run: _Run) -> list[Item]:
    items: list[Item] = []
    subject = _subject(project, task, run.lang)
    owner = task.assignee or project.owner
    base = dict(project=project.id, platform=project.platform, task=task.id, title=task.title_in(run.lang))

    appointment = _appointment(project, task, run, subject, base)
    if appointment is not None:
        items.append(appointment)

    # A platform review's due date is only a plan: nobody can hurry the platform; external_stale covers it.
    waiting_on_platform = task.external and task.state in WAITING_ON_PLATFORM
    # A task that cannot start yet is not its assignee's to chase: the task holding it up is reminded instead.
    can_act = not unmet_dependencies(project, task)
    if task.due is not None and can_act and not waiting_on_platform:
        left = (task.due - run.as_of).days
        person, role, recipients = _addressee(project, task, run.config)
        extra = ""
        if role:
            extra = remind_text(REMIND_EXTRA, "awaiting_approval", run.lang, role=role)
        elif task.booking and task.appointment is None:
            extra = remind_text(REMIND_EXTRA, "not_booked", run.lang)
        if left < 0:
            held = [t.id for t in project.tasks if task.id in t.depends_on and t.state not in FINISHED]
            if held:
                extra += remind_text(REMIND_EXTRA, "blocks", run.lang, tasks=", ".join(held))
            items.append(Item(
                kind="overdue", key=f"{project.id}/{task.id}/due", date=task.due, days=left,
                message=remind_text(REMIND_MESSAGE, "overdue", run.lang, subject=subject,
                                    span=days_span(-left, run.lang), date=task.due.isoformat(), extra=extra),
                person=person, role=role, recipients=recipients, **base))
        elif left <= run.days and appointment is None:
            items.append(Item(
                kind="due_soon", key=f"{project.id}/{task.id}/due", date=task.due, days=left,
                message=remind_text(REMIND_MESSAGE, "due_soon", run.lang, subject=subject,
                                    when=when(left, run.lang), date=task.due.isoformat(), extra=extra),
                person=person, role=role, recipients=recipients, **base))

    for doc in task.documents:
        expires = doc.expires()
        if expires is None:
            continue
        left = (expires - run.as_of).days
        key = f"{project.id}/{task.id}/{doc.id}/expiry"
        if left < 0:
            items.append(Item(
                kind="document_expired", key=key, date=expires, days=left, document=doc.id,
                message=remind_text(REMIND_MESSAGE, "document_expired", run.lang, subject=subject, document=doc.id,
                                    ago=ago(-left, run.lang), date=expires.isoformat()),
                person=owner, recipients=(owner,), **base))
            continue
        before_due = task.due is not None and expires < task.due
        if left <= run.days or before_due:
            extra = remind_text(REMIND_EXTRA, "before_due", run.lang, due=task.due.isoformat()) if before_due else ""
            items.append(Item(
                kind="document_expiring", key=key, date=expires, days=left, document=doc.id,
                message=remind_text(REMIND_MESSAGE, "document_expiring", run.lang, subject=subject, document=doc.id,
                                    when=when(left, run.lang), date=expires.isoformat(), extra=extra),
                person=owner, recipients=(owner,), **base))

    last = run.changes.get(project.id)
    if task.external and task.state in WAITING_ON_PLATFORM and last is not None:
        every = span_days(task.check_every) if task.check_every else run.config.policies["stale_after_days"]
        idle = (run.as_of - last).days
        if every and idle >= every:
            items.append(Item(
                kind="external_stale", key=f"{project.id}/{task.id}/follow-up", date=last, days=-idle,
                message=remind_text(REMIND_MESSAGE, "external_stale", run.lang, subject=subject,
                                    span=days_span(idle, run.lang),
                                    every=task.check_every or days_span(every, run.lang)),
                person=owner, recipients=(owner,), **base))
    return items


def _appointment(project: Project, task: Task, run: _Run, subject: str, base: dict) -> Item | None:
    """An upcoming booking within its remind_before (default: the --days window)."""
    if task.appointment is None:
        return None
    local = task.appointment.astimezone(run.tz)
    left = (local.date() - run.as_of).days
    window = span_days(task.remind_before) if task.remind_before else run.days
    if not 0 <= left <= window:
        return None
    owner = task.assignee or project.owner
    return Item(
        kind="appointment", key=f"{project.id}/{task.id}/appointment", date=local.date(), days=left,
        message=remind_text(REMIND_MESSAGE, "appointment", run.lang, subject=subject, when=when(left, run.lang),
                            date=local.date().isoformat(), time=local.strftime("%H:%M"), tz=run.config.timezone),
        person=owner, recipients=(owner,), at=local, remind_before=task.remind_before or f"{run.days}d", **base)


def _sop_items(projects: list[Project], library: dict, run: _Run) -> list[Item]:
    """One reminder per template in use whose `reviewed` date is older than the policy."""
    limit = run.config.policies["sop_max_age_days"]
    if not limit:
        return []
    items = []
    for sop_id in sorted({p.sop_id for p in projects}):
        sop = library.get(sop_id)
        reviewed = sop.reviewed() if sop else None
        if reviewed is None or (run.as_of - reviewed).days <= limit:
            continue
        age = (run.as_of - reviewed).days
        role = sop.data.get("maintainer") or "lead"
        holders = tuple(p.name for p in run.config.holders(role)) or tuple(p.name for p in run.config.holders("admin"))
        extra = remind_text(REMIND_EXTRA, "builtin_sop", run.lang, sop=sop_id) if sop.origin == "built-in" else ""
        items.append(Item(
            kind="sop_stale", key=f"sop/{sop_id}/review", date=reviewed, days=-age, sop=sop_id,
            title=sop.title(run.lang), role=role, recipients=holders,
            message=remind_text(REMIND_MESSAGE, "sop_stale", run.lang, sop=sop_id, date=reviewed.isoformat(),
                                span=days_span(age, run.lang), limit=limit, extra=extra)))
    return items


# ---- grouping ----

@dataclass(frozen=True)
class Group:
    key: str            # person name, project id, "" for nobody / SOP templates
    items: tuple[Item, ...]


def group(items: list[Item], by: str) -> list[Group]:
    """Items per person (an item addressed to a role goes to each holder) or per project."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        if by == "person":
            keys = item.recipients or ("",)
        else:
            keys = (item.project or "",)
        for key in keys:
            groups.setdefault(key, []).append(item)
    # "" (nobody, or templates when grouped by project) goes last
    return [Group(key, tuple(groups[key])) for key in sorted(groups, key=lambda k: (k == "", k))]
