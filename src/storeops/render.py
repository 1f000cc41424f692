"""Output: rich on a terminal, plain text when piped or NO_COLOR, JSON on request.

Data goes to stdout, messages to stderr. Every user-supplied string passes
through `clean` so markup and terminal control sequences stay inert.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

JSON_VERSION = 1

# C0 and C1 controls (ESC starts terminal sequences, 0x9b is a one-byte CSI), line and
# paragraph separators, and the bidi overrides that reorder what a terminal shows
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(value: Any) -> str:
    """One display line: control characters shown escaped, newlines as ⏎."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\n", " ⏎ ").replace("\t", " ")
    return _CONTROL.sub(_escaped, text)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>|~])")


def md(value: Any) -> str:
    """User text made inert inside markdown (no links, images, HTML or tables sneak in)."""
    return _MARKDOWN.sub(r"\\\1", clean(value))


def fancy(stream=None) -> bool:
    """Rich output: on a terminal, or when FORCE_COLOR asks for it (CI logs that render colour)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def console(stderr: bool = False):
    """A rich console for commands that draw their own layout (board, charts); only call it when fancy()."""
    return _console(stderr)


def emit_json(payload: dict) -> None:
    text = json_text({"version": JSON_VERSION, **payload})
    # JSON escapes only C0 controls; the rest of _CONTROL would act on a terminal showing this
    sys.stdout.write(_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def json_text(data: Any) -> str:
    """json.dumps(data, ensure_ascii=False, indent=2), character for character, several times faster.

    The standard library only has a C encoder for compact output; with
    `indent` it falls back to pure Python generators, which were most of
    `status --json` at 10,000 projects. Anything but plain JSON data takes
    the standard way.
    """
    try:
        return _indented(data, "\n")
    except _NotPlain:
        return json.dumps(data, ensure_ascii=False, indent=2)


class _NotPlain(Exception):
    pass


def _indented(value: Any, newline: str) -> str:
    kind = value.__class__
    if kind is str:
        return _quote(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if key.__class__ is not str:
                raise _NotPlain
            parts.append(_quote(key) + ": " + _indented(item, inner))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + newline + "]"
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    raise _NotPlain  # floats (NaN, Infinity), tuples, other types: json.dumps knows best


_quote = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def message(text: str, style: str = "", *, prefix: str = "") -> None:
    """A message for the user on stderr, in the run's language (text is cleaned, not markup)."""
    from storeops.messages import say, word

    text = (word(prefix) if prefix else "") + say(text)
    text = "\n".join(clean(line) for line in text.split("\n"))
    if fancy(sys.stderr) and style:
        from rich.text import Text

        _console(stderr=True).print(Text(text, style=style))
    else:
        sys.stderr.write(text + "\n")


def warn(text: str) -> None:
    message(text, "yellow", prefix="warning")


def error(text: str) -> None:
    message(text, "bold red", prefix="error")


def hint(text: str) -> None:
    message(text, "dim", prefix="hint")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


_wide = False


def show_every_column(value: bool = True) -> bool:
    """`--wide`: tables keep every column whatever the width (the option's callback)."""
    global _wide
    _wide = bool(value)
    return value


def width() -> int | None:
    """The cells a table may use: the terminal's, or $COLUMNS when set; None when piped (keep everything)."""
    if _wide:
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if fancy():
        return _console().width
    return None


def prose(text: str) -> str:
    """Lines of text for stdout, folded to the table width (never mid-word) when there is one."""
    from storeops.textcells import wrap

    limit = width()
    if limit is None:
        return text
    ending = "\n" if text.endswith("\n") else ""
    return "\n".join(part for line in text.splitlines() for part in (wrap(line, limit) or [""])) + ending


def table(headers: list[str], rows: list[list[Any]], styles: list[str | None] | None = None, title: str | None = None,
          *, drop: list[int] | None = None, shrink: tuple[int, ...] = (), dates: tuple[int, ...] = ()) -> None:
    """Aligned columns without borders; cells never wrap (see storeops.columns).

    `styles` gives an optional rich style per row (e.g. red for overdue),
    shown on a terminal. On a narrow one the least important columns (`drop`,
    first goes first) are left out and `shrink` columns cut with …; a line on
    stderr says so.
    """
    from storeops.columns import layout, today_year

    cells = [[clean(c) for c in row] for row in rows]
    fitted = layout([clean(h) for h in headers], cells, width(), drop=drop, shrink=shrink, dates=dates,
                    year=today_year())
    lines = fitted.lines()
    if title:
        out(title)
    if fancy():
        from rich.text import Text

        console = _console()
        row_styles = ["bold"] + list(styles or [None] * len(cells))
        for line, style in zip(lines, row_styles):
            console.print(Text(line, style=style or ""), soft_wrap=True)
    else:
        for line in lines:
            out(line)
    if fitted.hidden:
        message(f"not shown at this width: {', '.join(fitted.hidden)} (--wide shows every column, --json everything)", "dim")


def _width(text: str) -> int:
    from storeops.textcells import cell_width

    return cell_width(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def fields(pairs: list[tuple[str, Any]]) -> None:
    """`label: value` lines, labels aligned."""
    if not pairs:
        return
    from storeops.textcells import wrap

    labels, limit = max(_width(label) for label, _ in pairs), width()
    for label, value in pairs:
        line = f"{_pad(label, labels)}  {clean(value)}"
        # a long value folds under itself (never mid-word), so the labels stay a column
        for part in wrap(line, limit, indent=labels + 2) if limit else [line]:
            out(part)
