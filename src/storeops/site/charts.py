"""Small inline SVG bar charts, the numbers written beside the bars."""

from __future__ import annotations

from html import escape

from storeops.textcells import cell_width, visible

ROW = 22
LABEL_PX = 7.2  # an average glyph at 12px; wide (CJK) cells count twice


def _e(text) -> str:
    return escape(visible(str(text)), quote=True)


def bars(rows: list[tuple[str, list[float], str]], colours: list[str], title: str, width: int = 640) -> str:
    """One bar per row: (label, [segment values stacked left to right], text written after the bar)."""
    label_w = min(260, max([cell_width(label) for label, _, _ in rows] + [4]) * LABEL_PX + 12)
    bar_w = width - label_w - 120
    most = max([sum(values) for _, values, _ in rows] + [0]) or 1
    height = ROW * len(rows) + 8
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12"><title>{_e(title)}</title>']
    for i, (label, values, text) in enumerate(rows):
        y = 4 + i * ROW
        out.append(f'<text x="{label_w - 6:.0f}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        x = label_w
        for value, colour in zip(values, colours):
            w = value * bar_w / most
            if w > 0:
                out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1.5):.1f}" height="{ROW - 8}" '
                           f'fill="{colour}"/>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}" fill="#37474f">{_e(text)}</text>')
    out.append("</svg>")
    return "".join(out)
