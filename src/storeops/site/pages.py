"""The site's pages as HTML text: every value from the repo escaped, every link relative."""

from __future__ import annotations

import re
from html import escape

from storeops.labels import outcome_label, remind_kind, state_label, status_label, word
from storeops.model import STATUSES
from storeops.textcells import visible

CSS = """
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC",
"Microsoft YaHei",sans-serif;color:#263238;background:#f5f7f8}header{background:#263238;color:#fff;padding:10px 18px;
display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}header b{font-size:16px}header a{color:#cfd8dc;
text-decoration:none}header a.on{color:#fff;font-weight:bold}main{padding:14px 18px}h1{font-size:20px;margin:4px 0 12px}
h2{font-size:16px;margin:22px 0 8px}.filters{margin:0 0 12px;display:flex;gap:6px;flex-wrap:wrap;align-items:center}
.filters a{padding:2px 8px;border-radius:10px;background:#e0e6e9;color:#263238;text-decoration:none;font-size:12px}
.filters a.on{background:#37474f;color:#fff}.board{display:grid;grid-template-columns:repeat(5,minmax(180px,1fr));
gap:10px;align-items:start}.column{background:#e8edf0;border-radius:6px;padding:8px}.column h2{margin:0 0 8px;
font-size:14px}.card{display:block;background:#fff;border-radius:5px;padding:8px;margin:0 0 8px;color:inherit;
text-decoration:none;border-left:4px solid #90a4ae;box-shadow:0 1px 2px rgba(0,0,0,.08)}.card.overdue{
border-left-color:#d32f2f}.card .id{font-size:11px;color:#607d8b}.card .store{font-weight:600}.card .meta{
font-size:12px;color:#546e7a}.progress{height:5px;background:#eceff1;border-radius:3px;margin:5px 0}.progress i{
display:block;height:100%;background:#43a047;border-radius:3px}.late{color:#d32f2f;font-weight:bold}
table{border-collapse:collapse;background:#fff;margin:4px 0 8px}th,td{border-bottom:1px solid #e0e6e9;
padding:4px 8px;text-align:left;vertical-align:top}th{background:#eceff1;font-weight:600}td.num{text-align:right}
.scroll{overflow-x:auto;background:#fff;padding:6px}.muted{color:#78909c}.pill{white-space:nowrap;font-size:12px;padding:1px 6px;
border-radius:8px;background:#eceff1}.chartrow{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}
footer{padding:12px 18px;color:#78909c;font-size:12px}input.q{padding:3px 6px;border:1px solid #b0bec5;
border-radius:4px}@media (max-width:900px){.board{grid-template-columns:1fr}}
"""

SCRIPT = """
<script>
// optional: narrow the cards by typed text; the board works without it (filter pages are plain links)
(function(){var q=document.querySelector('input.q');if(!q)return;q.style.display='';q.addEventListener('input',
function(){var t=q.value.toLowerCase();document.querySelectorAll('.card').forEach(function(c){
c.style.display=c.textContent.toLowerCase().indexOf(t)<0?'none':'';});});})();
</script>
"""


def e(value) -> str:
    """Text from the repo as HTML: escaped, control characters and bidi tricks made visible."""
    return escape(visible("" if value is None else str(value)), quote=True)


def slug(text: str) -> str:
    """A file name part from an id or a name (ids are already safe; names may not be)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return cleaned or "x"


def project_href(project_id: str, prefix: str = "") -> str:
    return f"{prefix}projects/{slug(project_id)}.html"


def render(site) -> dict[str, str]:
    files: dict[str, str] = {}
    platforms = sorted({s["platform"] for s in site.summaries})
    owners = sorted({s["owner"] for s in site.summaries})
    files["index.html"] = _board(site, site.summaries, None, platforms, owners)
    for platform in platforms:
        chosen = [s for s in site.summaries if s["platform"] == platform]
        files[f"board-platform-{slug(platform)}.html"] = _board(site, chosen, ("platform", platform), platforms, owners)
    for owner in owners:
        chosen = [s for s in site.summaries if s["owner"] == owner]
        files[f"board-owner-{slug(owner)}.html"] = _board(site, chosen, ("owner", owner), platforms, owners)
    for project in site.projects:
        files[project_href(project.id)] = _project(site, project)
    files["due.html"] = _due(site)
    files["reports.html"] = _reports(site)
    return files


def _page(site, title: str, body: str, here: str, prefix: str = "", script: bool = False) -> str:
    lang = site.lang
    nav = [("index.html", word("site_board", lang), "board"), ("due.html", word("site_due_nav", lang), "due"),
           ("reports.html", word("site_reports", lang), "reports")]
    links = "".join(f'<a href="{prefix}{href}"{" class=on" if key == here else ""}>{e(text)}</a>'
                    for href, text, key in nav)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex">'
            f"<title>{e(title)} · {e(site.team)}</title><style>{CSS}</style></head><body>"
            f"<header><b>{e(site.team)}</b>{links}</header><main>{body}</main>"
            f"<footer>{e(word('site_built', lang).format(date=site.today.isoformat()))} storeops</footer>"
            + (SCRIPT if script else "") + "</body></html>\n")


def _filters(site, chosen, platforms: list[str], owners: list[str]) -> str:
    lang = site.lang
    parts = [f'<span>{e(word("site_filter", lang))}:</span>',
             f'<a href="index.html"{" class=on" if chosen is None else ""}>{e(word("site_all", lang))}</a>']
    for platform in platforms:
        on = chosen == ("platform", platform)
        parts.append(f'<a href="board-platform-{slug(platform)}.html"{" class=on" if on else ""}>{e(platform)}</a>')
    parts.append(f'<span class="muted">· {e(word("owner", lang))}:</span>')
    for owner in owners:
        on = chosen == ("owner", owner)
        parts.append(f'<a href="board-owner-{slug(owner)}.html"{" class=on" if on else ""}>{e(owner)}</a>')
    parts.append(f'<input class="q" type="search" style="display:none" placeholder="{e(word("site_type", lang))}">')
    return '<nav class="filters">' + "".join(parts) + "</nav>"


def _card(site, s: dict) -> str:
    lang = site.lang
    late = len(s["overdue"])
    share = round(100 * s["done"] / s["total"]) if s["total"] else 0
    lines = [f'<div class="store">{e(s["store"])}</div>', f'<div class="id">{e(s["id"])}</div>',
             f'<div class="meta">{e(s["platform"])}-{e(s["site"])} · {e(s["owner"])}</div>',
             f'<div class="progress" title="{s["done"]}/{s["total"]}"><i style="width:{share}%"></i></div>']
    if s["archived"]:
        lines.append(f'<div class="meta">{e(outcome_label(s["archived"]["outcome"], lang))} · '
                     f'{e(s["archived"]["at"])}</div>')
    else:
        progress = f'{s["done"]}/{s["total"]}'
        if late:
            progress += f' · <span class="late">{e(word("overdue", lang))} {late}</span>'
        lines.append(f'<div class="meta">{progress}</div>')
        if s["next_task"]:
            mark = "late" if s["next_task"] in s["overdue"] else "muted"
            due = f' <span class="{mark}">{e(s["next_due"])}</span>' if s["next_due"] else ""
            lines.append(f'<div class="meta">→ {e(s["next_task"])}{due}</div>')
    classes = "card overdue" if late else "card"
    return f'<a class="{classes}" data-status="{e(s["status"])}" href="{project_href(s["id"])}">{"".join(lines)}</a>'


def _board(site, summaries: list[dict], chosen, platforms: list[str], owners: list[str]) -> str:
    lang = site.lang
    columns = []
    for status in STATUSES:
        cards = [s for s in summaries if s["status"] == status]
        inner = "".join(_card(site, s) for s in cards) or '<div class="muted">-</div>'
        columns.append(f'<section class="column" data-status="{status}"><h2>{e(status_label(status, lang))} '
                       f'<span class="muted">({len(cards)})</span></h2>{inner}</section>')
    heading = word("site_board", lang) + (f" · {chosen[1]}" if chosen else "")
    body = (f"<h1>{e(heading)} <span class=\"muted\">{e(word('site_projects_count', lang).format(n=len(summaries)))}"
            f"</span></h1>{_filters(site, chosen, platforms, owners)}"
            f'<div class="board">{"".join(columns)}</div>')
    return _page(site, heading, body, "board", script=True)


def _table(headers: list[str], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> str:
    """Cells are HTML already (escaped by the caller)."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _title(title: dict | None, fallback: str, lang: str) -> str:
    if not title:
        return fallback
    return title.get(lang) or title.get("en") or fallback


def _project(site, project) -> str:
    from storeops.workflow import dependency_order

    lang = site.lang
    d = site.details[project.id]
    fields = [("project", d["id"]), ("store", d["store"]), ("platform", f'{d["platform"]}-{d["site"]}'),
              ("sop", d["sop"]), ("owner", d["owner"]), ("entity", d["entity"]), ("category", d["category"]),
              ("start", d["start"]), ("target", d["target"])]
    rows = [[e(word(k, lang)), e(v if v is not None else "-")] for k, v in fields]
    status = e(status_label(d["status"], lang)) + f' · {d["done"]}/{d["total"]}'
    if d["archived"]:
        status += f' · {e(outcome_label(d["archived"]["outcome"], lang))} {e(d["archived"]["at"])}'
    rows.insert(5, [e(word("status", lang)), status])
    body = [f'<p><a href="../index.html">← {e(word("site_board", lang))}</a></p>',
            f"<h1>{e(d['store'])} <span class=\"muted\">{e(d['id'])}</span></h1>",
            "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"]
    views = {t["id"]: t for t in d["tasks"]}
    task_rows, doc_rows = [], []
    for task in dependency_order(project):
        t = views[task.id]
        due = e(t["due"] or "-")
        if t["overdue"]:
            due = f'<span class="late">{due} {e(word("overdue", lang))}</span>'
        approvals = "<br>".join(f'{e(a["by"])} ({e(a["role"])}) {e(a["at"])}' for a in t["approvals"])
        if t["requires_approval"] and not t["approvals"]:
            approvals = f'<span class="muted">{e(word("gate", lang))}: {e(t["requires_approval"])} '\
                        f'({e(word("gate_waiting", lang))})</span>'
        task_rows.append([f'{e(t["id"])}<br><span class="muted">{e(_title(t["title"], "", lang))}</span>',
                          f'<span class="pill">{e(state_label(t["state"], lang))}</span>', e(t["assignee"] or "-"),
                          due, e(", ".join(t["depends_on"]) or "-"), approvals])
        for doc in t["documents"]:
            lock = "🔒 " if doc["sensitive"] else ""
            name = e(_title(doc["title"], doc["id"], lang))
            state = "✓" if doc["file"] else e(word("missing", lang))
            expires = e(doc["expires"] or "-")
            if doc["expired"]:
                expires = f'<span class="late">{expires} {e(word("expired", lang))}</span>'
            doc_rows.append([f'<span title="{e(word("site_sensitive", lang)) if doc["sensitive"] else ""}">{lock}'
                             f'{name}</span> <span class="muted">{e(doc["id"])}</span>', e(t["id"]), state,
                             e(doc["issued"] or "-"), expires])
    body.append(f"<h2>{e(word('tasks', lang))}</h2>")
    body.append(_table([word(k, lang) for k in ("task", "state", "assignee", "due", "depends", "approvals")],
                       task_rows))
    if doc_rows:
        body.append(f"<h2>{e(word('documents', lang))}</h2>")
        body.append(_table([word("documents", lang), word("task", lang), word("state", lang),
                            word("site_issued", lang), word("expires", lang)], doc_rows))
    if d["rejections"]:
        body.append(f"<h2>{e(word('rejections', lang))}</h2>")
        body.append(_table([word("when", lang), word("reason", lang), word("task", lang), word("message", lang)],
                           [[e(r["at"]), e(r["reason"]), e(r.get("task") or "-"), e(r.get("message") or "")]
                            for r in d["rejections"]]))
    body.append(f"<h2>{e(word('site_timeline', lang))}</h2>")
    body.append(f'<div class="scroll timeline">{site.timelines[project.id]}</div>')
    events = site.history.get(project.id, [])
    if events:
        from storeops.messages import say

        body.append(f"<h2>{e(word('site_history', lang))}</h2>")
        body.append(_table([word("when", lang), word("who", lang), word("change", lang)],
                           [[e(ev["when"]), e(ev["who"]), e(say(ev["text"], lang))] for ev in events]))
    return _page(site, d["store"], "".join(body), "project", prefix="../")


def _due(site) -> str:
    lang = site.lang
    from storeops.site.data import DUE_DAYS

    heading = word("site_due", lang).format(n=DUE_DAYS)
    body = [f"<h1>{e(heading)}</h1>"]
    if not site.due:
        body.append(f'<p class="muted">{e(word("site_nothing_due", lang))}</p>')
    for group in site.due:
        who = group.key or word("unassigned", lang)
        body.append(f'<h2 id="{e(slug(who))}">{e(who)} <span class="muted">({len(group.items)})</span></h2>')
        rows = []
        for item in group.items:
            late = item.days < 0
            when = f'<span class="late">{e(item.date.isoformat())}</span>' if late else e(item.date.isoformat())
            project = (f'<a href="{project_href(item.project)}">{e(item.project)}</a>' if item.project and
                       any(p.id == item.project for p in site.projects) else e(item.project or item.sop or "-"))
            rows.append([when, e(remind_kind(item.kind, lang)), project, e(item.message)])
        body.append(_table([word("when", lang), word("kind", lang), word("project", lang), word("message", lang)],
                           rows))
    return _page(site, heading, "".join(body), "due")


def _reports(site) -> str:
    from storeops.reports import cycle_blocks, rejection_rows
    from storeops.site.charts import bars

    lang = site.lang
    body = [f"<h1>{e(word('site_reports', lang))}</h1>"]
    # rejections by platform and reason
    body.append(f"<h2>{e(word('rejections_by', lang))}</h2>")
    rows = rejection_rows(site.rejections, lang)
    if rows:
        chart = bars([(f'{r["platform"]} · {r["reason"]}', [r["count"]], str(r["count"])) for r in rows],
                     ["#ef6c00"], word("rejections_by", lang))
        table = _table([word(k, lang) for k in ("platform", "reason", "count", "last", "example")],
                       [[e(r["platform"]), e(r["title"]), e(r["count"]), e(r["last"]), e(r["example"])] for r in rows],
                       numeric=(2,))
        body.append(f'<div class="chartrow"><div class="scroll">{chart}</div>{table}</div>')
    else:
        body.append(f'<p class="muted">{e(word("site_none", lang))}</p>')
    # cycle time per platform and step
    body.append(f"<h2>{e(word('cycle_time', lang))}</h2>")
    for platform, block in cycle_blocks(site.cycle):
        name = platform if platform is not None else word("all_platforms", lang)
        steps = [s for s in block.get("steps", []) if s["count"]]
        wait = block["review_wait"]
        measured = [(s["task"], s) for s in steps] + ([(word("review_wait", lang), wait)] if wait["count"] else [])
        if not measured:
            continue
        chart_rows = [(label, [n["median"] or 0, max((n["p90"] or 0) - (n["median"] or 0), 0)],
                       f'{_days(n["median"])} / {_days(n["p90"])}') for label, n in measured]
        body.append(f"<h3>{e(name)} <span class=\"muted\">· {block['projects']} {e(word('projects', lang))}</span></h3>")
        chart = bars(chart_rows, ["#0288d1", "#b3e5fc"], f"{name}: {word('cycle_time', lang)}")
        table = _table([word("step", lang), word("samples", lang), word("median", lang), word("p90", lang)],
                       [[e(label), e(n["count"]), e(_days(n["median"])), e(_days(n["p90"]))] for label, n in measured],
                       numeric=(1, 2, 3))
        body.append(f'<div class="chartrow"><div class="scroll">{chart}</div>{table}</div>')
    # workload per person
    body.append(f"<h2>{e(word('workload', lang))}</h2>")
    people = site.workload["people"]
    names = [r["person"] if r["person"] is not None else word("unassigned", lang) for r in people]
    chart = bars([(n, [r["overdue"], r["open"] - r["overdue"]], f'{r["open"]} ({r["overdue"]})')
                  for n, r in zip(names, people)], ["#d32f2f", "#26a69a"], word("workload", lang))
    table = _table([word("person", lang), word("open", lang), word("late", lang),
                    word("due_soon", lang).format(n=site.remind_days)],
                   [[e(n), e(r["open"]), e(r["overdue"]), e(r["due_soon"])] for n, r in zip(names, people)],
                   numeric=(1, 2, 3))
    body.append(f'<div class="chartrow"><div class="scroll">{chart}</div>{table}</div>')
    return _page(site, word("site_reports", lang), "".join(body), "reports")


def _days(value) -> str:
    return "-" if value is None else f"{value:.1f}"
