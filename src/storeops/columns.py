"""Fitting a table into a terminal's width, the way `gh` and `kubectl` do.

Cells never wrap. When the natural widths do not fit, dates of the current
year lose their year, then the columns that may be shortened are cut with
`…`, then whole columns are dropped, least important first. Ids are never
cut: they are what people copy into the next command. Widths are counted in
terminal cells, so Chinese text (two cells a character) lines up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storeops.textcells import cell_width, fit

GAP = 2
SHORTEST = 8  # a shortened column keeps at least this many cells (or its header's width)
_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2}-\d{2})(?!\d)")


@dataclass
class Layout:
    headers: list[str]
    rows: list[list[str]]
    widths: list[int]
    hidden: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for row in [self.headers] + self.rows:
            out.append((" " * GAP).join(fit(cell, w) for cell, w in zip(row, self.widths)).rstrip())
        return out


def layout(headers: list[str], rows: list[list[str]], width: int | None, *, drop: list[int] | None = None,
           shrink: tuple[int, ...] = (), dates: tuple[int, ...] = (), year: int | None = None) -> Layout:
    """Columns for `width` cells (None: every column at its natural width).

    `drop` lists the columns that may go, least important first (default:
    from the right, never the first). `shrink` names columns that may be cut
    with …; `dates` columns whose current-year dates may lose their year.
    """
    rows = [list(r) for r in rows]
    natural = _widths(headers, rows)
    if width is None or _total(natural) <= width:
        return Layout(list(headers), rows, natural)
    if year is not None:
        prefix = f"{year}-"
        for row in rows:
            for i in dates:
                row[i] = _DATE.sub(lambda m: m.group(2) if m.group(0).startswith(prefix) else m.group(0), row[i])
        natural = _widths(headers, rows)
    droppable = list(range(len(headers) - 1, 0, -1)) if drop is None else list(drop)
    kept = list(range(len(headers)))
    widths = dict(enumerate(natural))

    def over() -> int:
        return _total([widths[i] for i in kept]) - width

    floor = {i: min(natural[i], max(SHORTEST, cell_width(headers[i]))) for i in shrink}
    for i in _by_importance(shrink, droppable):  # cut the shortenable columns to their floor first
        widths[i] = max(floor[i], widths[i] - max(over(), 0))
    for i in droppable:
        if over() <= 0:
            break
        kept.remove(i)
    for i in reversed(_by_importance(shrink, droppable)):  # give room back, most important first
        if i in kept and over() < 0:
            widths[i] = min(natural[i], widths[i] - over())
    for i in _by_importance(shrink, droppable):  # still too wide: the shortenable ones down to a few cells
        if i in kept and over() > 0:
            widths[i] = max(min(3, natural[i]), widths[i] - over())
    hidden = [headers[i] for i in range(len(headers)) if i not in kept]
    return Layout([headers[i] for i in kept], [[row[i] for i in kept] for row in rows], [widths[i] for i in kept], hidden)


def today_year() -> int:
    import datetime

    return datetime.date.today().year


def _by_importance(shrink: tuple[int, ...], droppable: list[int]) -> list[int]:
    """Shortenable columns, least important first: in drop order, then the ones never dropped."""
    return sorted(shrink, key=lambda i: droppable.index(i) if i in droppable else len(droppable) + i)


def _widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    return [max([cell_width(h)] + [cell_width(r[i]) for r in rows]) for i, h in enumerate(headers)]


def _total(widths: list[int]) -> int:
    return sum(widths) + GAP * max(len(widths) - 1, 0)
