"""Gantt timelines of tasks: one model, three writers (terminal text, mermaid, svg).

The plan comes from the project file: a task runs from the latest due date of
its dependencies (or the project's start) to its own due date. Actual
intervals are passed in by the caller (git history knows when a task really
started and finished); markers show what the file itself records: rejections
and booked appointments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

from storeops.labels import state_label, status_label, word
from storeops.model import Project, Task, span_days
from storeops.textcells import cell_width, fit, visible
from storeops.workflow import FINISHED, is_overdue, project_status

# ---- the model ----


@dataclass(frozen=True)
class Interval:
    start: date
    end: date  # the day the work is due (plan) or was finished (actual); end >= start

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class Marker:
    at: date
    kind: str   # "rejected" or "appointment"
    label: str


@dataclass(frozen=True)
class Bar:
    task: str
    title: str
    state: str
    assignee: str | None
    planned: Interval
    overdue: bool
    actual: Interval | None = None
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True)
class Lane:
    project: str
    store: str
    platform: str
    site: str
    status: str
    bars: tuple[Bar, ...]
    closed: date | None = None


@dataclass(frozen=True)
class Timeline:
    today: date
    language: str
    lanes: tuple[Lane, ...] = field(default_factory=tuple)

    def _dates(self) -> list[date]:
        found = [self.today]
        for lane in self.lanes:
            for bar in lane.bars:
                found += [bar.planned.start, bar.planned.end] + [m.at for m in bar.markers]
                if bar.actual:
                    found += [bar.actual.start, bar.actual.end]
        return found

    @property
    def start(self) -> date:
        return min(self._dates())

    @property
    def end(self) -> date:
        return max(self._dates())


def build(projects: list[Project], today: date, language: str = "en",
          durations: Mapping[str, Mapping[str, int]] | None = None,
          actuals: Mapping[tuple[str, str], Interval] | None = None) -> Timeline:
    """A timeline of `projects`' tasks (skipped tasks left out).

    `durations` gives planned days per task by SOP id (used when a task has no
    due date); `actuals` gives what really happened, by (project id, task id).
    """
    lanes = []
    for project in projects:
        days = (durations or {}).get(project.sop_id, {})
        bars = tuple(_bar(project, task, today, language, days.get(task.id), (actuals or {}).get((project.id, task.id)))
                     for task in project.tasks if task.state != "skipped")
        lanes.append(Lane(project.id, project.store, project.platform, project.site, project_status(project), bars,
                          project.archived.at if project.archived else None))
    return Timeline(today, language, tuple(lanes))


def sop_durations(library: Mapping) -> dict[str, dict[str, int]]:
    """Planned days per task for each SOP in a library (sop.load_library)."""
    return {sop_id: {t["id"]: span_days(t.get("duration", "1d")) for t in sop.tasks if "id" in t}
            for sop_id, sop in library.items()}


def planned_interval(project: Project, task: Task, duration: int | None = None) -> Interval:
    dep_dues = [d.due for d in (project.task(i) for i in task.depends_on) if d is not None and d.due is not None]
    begin = max(dep_dues or [project.start])
    length = max(duration or 1, 1)
    end = task.due or begin + timedelta(days=length)
    if begin >= end:  # re-planned or hand-edited: keep the bar's length, ending on the due date
        begin = end - timedelta(days=length)
    return Interval(begin, end)


def _bar(project: Project, task: Task, today: date, language: str, duration: int | None,
         actual: Interval | None) -> Bar:
    markers = [Marker(r.at, "rejected", r.reason) for r in project.rejections if r.task == task.id]
    if task.appointment is not None:
        markers.append(Marker(task.appointment.date(), "appointment", task.appointment.strftime("%H:%M")))
    return Bar(
        task=task.id,
        title=task.title_in(language),
        state=task.state,
        assignee=task.assignee,
        planned=planned_interval(project, task, duration),
        overdue=project.archived is None and is_overdue(task, today),
        actual=actual,
        markers=tuple(sorted(markers, key=lambda m: m.at)),
    )


def to_dict(timeline: Timeline) -> dict:
    def interval(i: Interval | None):
        return None if i is None else {"start": i.start.isoformat(), "end": i.end.isoformat()}

    return {
        "today": timeline.today.isoformat(),
        "start": timeline.start.isoformat(),
        "end": timeline.end.isoformat(),
        "projects": [{
            "id": lane.project, "store": lane.store, "platform": lane.platform, "site": lane.site,
            "status": lane.status, "closed": lane.closed.isoformat() if lane.closed else None,
            "tasks": [{"id": b.task, "title": b.title, "state": b.state, "assignee": b.assignee,
                       "planned": interval(b.planned), "actual": interval(b.actual), "overdue": b.overdue,
                       "markers": [{"at": m.at.isoformat(), "kind": m.kind, "label": m.label} for m in b.markers]}
                      for b in lane.bars],
        } for lane in timeline.lanes],
    }


def bar_style(bar: Bar) -> str:
    """The one word the writers colour by: overdue wins, then the state."""
    if bar.overdue:
        return "overdue"
    if bar.state in FINISHED:
        return "done"
    if bar.state == "rejected":
        return "rejected"
    if bar.state in ("in_progress", "submitted"):
        return "active"
    if bar.state == "blocked":
        return "blocked"
    return "todo"


# ---- terminal text ----

Span = tuple[str, str | None]  # (text, style word or None)

FILL = {"done": "█", "active": "▓", "todo": "░", "overdue": "█", "rejected": "▒", "blocked": "░"}


def text_lines(timeline: Timeline, width: int = 100) -> list[list[Span]]:
    """The chart as lines of styled spans; a renderer maps style words to colours or drops them."""
    lang = timeline.language
    if not timeline.lanes:
        return []
    label_w = max(16, min(48, width // 3 if width < 150 else width // 4))
    state_w = max(cell_width(state_label(s, lang)) for s in ("in_progress", "submitted", "rejected", "todo")) + 1
    late_word = word("overdue", lang)
    area = max(20, width - label_w - state_w - cell_width(late_word) - 4)
    start, end = timeline.start, timeline.end + timedelta(days=1)
    total = max((end - start).days, 1)

    def col(day: date) -> int:
        return min(area - 1, max(0, math.floor((day - start).days * area / total)))

    today_col = col(timeline.today)
    lines: list[list[Span]] = [_axis(start, total, area, label_w + state_w, col, timeline.today)]
    for lane in timeline.lanes:
        head = f"{lane.project} · {lane.store} ({lane.platform}-{lane.site}, {status_label(lane.status, lang)})"
        lines.append([(fit(visible(head), width).rstrip(), "lane")])
        for bar in lane.bars:
            style = bar_style(bar)
            cells = _cells(area, col(bar.planned.start), col(bar.planned.end), FILL[style], today_col)
            for marker in bar.markers:
                cells[col(marker.at)] = "✗" if marker.kind == "rejected" else "◆"
            row: list[Span] = [(fit("  " + visible(bar.title), label_w - 1) + " ", None),
                               (fit(state_label(bar.state, lang), state_w), style if style != "todo" else "dim")]
            late_at = None
            if bar.overdue:
                # right after the bar when there is room, else at the end of the line
                after = max(col(bar.planned.end), col(bar.planned.start) + 1) + 1
                room = cells[after:after + cell_width(late_word)]
                if after + cell_width(late_word) <= area and all(c in " ┊" for c in room):
                    late_at = after
            row += _paint(cells[:late_at] if late_at else cells, style, today_col)
            if late_at is not None:
                row.append((late_word, "overdue"))
                row += _paint(cells[late_at + cell_width(late_word):], style, today_col - late_at - cell_width(late_word))
            elif bar.overdue:
                row.append((" " + late_word, "overdue"))
            lines.append(row)
            if bar.actual is not None:
                cells = _cells(area, col(bar.actual.start), col(bar.actual.end), "━", today_col)
                row = [(fit("    ↳ " + word("actual", lang), label_w + state_w), "dim")]
                lines.append(row + _paint(cells, "actual", today_col))
    return lines


def _cells(area: int, first: int, last: int, fill: str, today_col: int) -> list[str]:
    cells = [" "] * area
    cells[today_col] = "┊"
    for i in range(first, max(last, first + 1)):
        if i < area:
            cells[i] = fill
    return cells


def _paint(cells: list[str], style: str, today_col: int) -> list[Span]:
    """Group cells into spans: the bar in its style, the today line in its own."""
    spans: list[Span] = []
    for i, ch in enumerate(cells):
        kind = "today" if (i == today_col and ch == "┊") else ("marker" if ch in "✗◆" else (style if ch != " " else None))
        if spans and spans[-1][1] == kind:
            spans[-1] = (spans[-1][0] + ch, kind)
        else:
            spans.append((ch, kind))
    return spans


def _axis(start: date, total: int, area: int, indent: int, col, today: date) -> list[Span]:
    """Date labels (MM-DD) at least 8 cells apart; today's own label placed first, ▼ over its column."""
    step = next((s for s in (1, 2, 7, 14, 28, 56, 91, 182, 364) if s * area / total >= 8), 364)
    cells = [" "] * area
    today_col = col(today)
    if today_col + 6 <= area:
        today_label, today_at = "▼" + today.strftime("%m-%d"), today_col
    else:
        today_label, today_at = today.strftime("%m-%d") + "▼", today_col - 5
    cells[today_at:today_at + len(today_label)] = list(today_label)
    day = start + timedelta(days=(7 - start.weekday()) % 7) if step >= 7 else start
    while (day - start).days < total:
        at, label = col(day), day.strftime("%m-%d")
        if at + len(label) <= area and all(c == " " for c in cells[max(0, at - 2):at + len(label) + 2]):
            cells[at:at + len(label)] = list(label)
        day += timedelta(days=step)
    text = "".join(cells)
    return [(" " * indent, None), (text[:today_at], "axis"), (today_label, "today"),
            (text[today_at + len(today_label):], "axis")]


# ---- mermaid (GitHub renders ```mermaid blocks) ----

_MERMAID_SWAP = str.maketrans({":": "：", ";": "；", "#": "＃", "<": "‹", ">": "›", "`": "'", "&": "＆",
                               "\\": "＼", "%": "％", "{": "(", "}": ")", '"': "'"})
_STATE_MARK = {"done": "✓", "skipped": "✓", "in_progress": "●", "submitted": "◐", "rejected": "✗",
               "blocked": "■", "todo": "○"}


def _mermaid_text(text: str) -> str:
    """Safe as gantt task or section text: no field separators, comments, directives or markup."""
    return " ".join(visible(text).translate(_MERMAID_SWAP).split()) or "-"


def mermaid(timeline: Timeline, title: str = "storeops timeline") -> str:
    """A mermaid gantt: a section per project, one line per task (a second line for the actual run)."""
    lang = timeline.language
    lines = ["gantt", f"    title {_mermaid_text(title)}", "    dateFormat YYYY-MM-DD", "    axisFormat %m-%d",
             f"    %% {word('today', 'en')}: {timeline.today.isoformat()}"]
    n = 0
    for lane in timeline.lanes:
        lines.append(f"    section {_mermaid_text(f'{lane.project} · {lane.store}')}")
        for bar in lane.bars:
            n += 1
            tags = {"done": ["done"], "active": ["active"], "overdue": ["crit"] + (["active"] if bar.state in
                    ("in_progress", "submitted") else []), "rejected": ["crit"], "blocked": [], "todo": []}[bar_style(bar)]
            # each line starts with a state mark: a task text can never begin like a gantt keyword or a date
            text = f"{_STATE_MARK.get(bar.state, '○')} {_mermaid_text(bar.title)}"
            lines.append(f"    {text} :{', '.join(tags + [f't{n}'])}, {_mermaid_span(bar.planned)}")
            if bar.actual is not None:
                lines.append(f"    ↳ {_mermaid_text(bar.title)} ({word('actual', lang)}) :done, t{n}a, "
                             f"{_mermaid_span(bar.actual)}")
    return "\n".join(lines) + "\n"


def _mermaid_span(interval: Interval) -> str:
    end = max(interval.end, interval.start + timedelta(days=1))  # mermaid drops zero-length bars
    return f"{interval.start.isoformat()}, {end.isoformat()}"


# ---- svg: one self-contained file, no scripts, no links, no fonts to fetch ----

COLOURS = {"done": "#2e7d32", "active": "#1565c0", "todo": "#b0bec5", "overdue": "#c62828",
           "rejected": "#ef6c00", "blocked": "#6d4c41", "actual": "#263238", "today": "#d32f2f"}


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(visible(text), {'"': "&quot;", "'": "&apos;"})


def _px_width(text: str, size: float = 12) -> float:
    return cell_width(text) * size * 0.55


def _svg_fit(text: str, px: float) -> str:
    if _px_width(text) <= px:
        return text
    while text and _px_width(text + "…") > px:
        text = text[:-1]
    return text + "…"


def svg(timeline: Timeline, title: str = "storeops timeline") -> str:
    lang = timeline.language
    label_w, row_h, lane_h, top, pad = 300, 22, 26, 64, 16
    start, end = timeline.start, timeline.end + timedelta(days=1)
    total = max((end - start).days, 1)
    per_day = min(24.0, max(4.0, 900 / total))
    chart_w = total * per_day
    rows = sum(1 + sum(2 if b.actual else 1 for b in lane.bars) for lane in timeline.lanes)
    height = top + rows * row_h + len(timeline.lanes) * (lane_h - row_h) + 56
    width = pad + label_w + chart_w + pad

    def x(day: date) -> float:
        return round(pad + label_w + (day - start).days * per_day, 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
           f'viewBox="0 0 {width:.0f} {height}" font-family="sans-serif" font-size="12">',
           f"<title>{_xml(title)}</title>",
           f'<rect x="0" y="0" width="{width:.0f}" height="{height}" fill="#ffffff"/>',
           f'<text x="{pad}" y="22" font-size="15" font-weight="bold">{_xml(title)}</text>']
    step = next((s for s in (1, 2, 7, 14, 28, 56, 91, 182, 364) if s * per_day >= 48), 364)
    day = start + timedelta(days=(7 - start.weekday()) % 7) if step >= 7 else start
    while day < end:
        out.append(f'<line x1="{x(day)}" y1="{top - 12}" x2="{x(day)}" y2="{height - 48}" stroke="#eceff1"/>')
        out.append(f'<text x="{x(day) + 2}" y="{top - 16}" fill="#546e7a">{day.strftime("%m-%d")}</text>')
        day += timedelta(days=step)
    y = top
    for lane in timeline.lanes:
        head = f"{lane.project} · {lane.store} ({lane.platform}-{lane.site}, {status_label(lane.status, lang)})"
        out.append(f'<text x="{pad}" y="{y + 17}" font-weight="bold">{_xml(_svg_fit(visible(head), label_w + chart_w))}</text>')
        y += lane_h
        for bar in lane.bars:
            style = bar_style(bar)
            tip = (f"{bar.task}: {state_label(bar.state, lang)} · {word('plan', lang)} {bar.planned.start.isoformat()}"
                   f" → {bar.planned.end.isoformat()}" + (f" · {word('overdue', lang)}" if bar.overdue else "")
                   + (f" · {bar.assignee}" if bar.assignee else ""))
            label = _svg_fit("  " + visible(bar.title), label_w - 8)
            out.append(f'<text x="{pad}" y="{y + 15}" fill="{COLOURS["overdue"] if bar.overdue else "#263238"}">'
                       f"{_xml(label)}</text>")
            span = max(bar.planned.days, 1) * per_day
            out.append(f'<rect x="{x(bar.planned.start)}" y="{y + 4}" width="{span:.1f}" height="{row_h - 8}" rx="3" '
                       f'fill="{COLOURS[style]}"><title>{_xml(tip)}</title></rect>')
            for marker in bar.markers:
                mx = x(marker.at)
                shape = "✗" if marker.kind == "rejected" else "◆"
                out.append(f'<text x="{mx - 4}" y="{y + 16}" font-weight="bold" fill="{"#212121" if marker.kind == "rejected" else "#4a148c"}">'
                           f"{shape}<title>{_xml(marker.kind + ' ' + marker.at.isoformat() + ' ' + marker.label)}</title></text>")
            y += row_h
            if bar.actual is not None:
                out.append(f'<text x="{pad}" y="{y + 15}" fill="#607d8b">{_xml("    ↳ " + word("actual", lang))}</text>')
                span = max(bar.actual.days, 1) * per_day
                out.append(f'<rect x="{x(bar.actual.start)}" y="{y + 7}" width="{span:.1f}" height="{row_h - 14}" '
                           f'fill="{COLOURS["actual"]}"/>')
                y += row_h
    tx = x(timeline.today)
    out.append(f'<line x1="{tx}" y1="{top - 12}" x2="{tx}" y2="{y}" stroke="{COLOURS["today"]}" stroke-width="2" '
               f'stroke-dasharray="4 3"/>')
    out.append(f'<text x="{tx + 3}" y="{top - 2}" fill="{COLOURS["today"]}" font-weight="bold">'
               f'{_xml(word("today", lang) + " " + timeline.today.isoformat())}</text>')
    lx = pad
    for key in ("done", "active", "todo", "rejected", "overdue"):
        name = {"done": state_label("done", lang), "active": state_label("in_progress", lang),
                "todo": state_label("todo", lang), "rejected": state_label("rejected", lang),
                "overdue": word("overdue", lang)}[key]
        out.append(f'<rect x="{lx}" y="{height - 30}" width="12" height="12" fill="{COLOURS[key]}"/>')
        out.append(f'<text x="{lx + 16}" y="{height - 20}">{_xml(name)}</text>')
        lx += 24 + _px_width(name)
    out.append("</svg>")
    return "\n".join(out) + "\n"
