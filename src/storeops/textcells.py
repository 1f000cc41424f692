"""User text made safe and measured for fixed-width output (terminal, CSV, markdown, mermaid, svg).

The domain's writers use these; the CLI's own tables go through render.clean.
"""

from __future__ import annotations

import re
import unicodedata

# bidi overrides reorder what a terminal shows; non-characters are not allowed in XML
_HIDDEN = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff")


# what visible() changes: categories Cc (C0, DEL, C1), Cs (surrogates), Zl, Zp, and _HIDDEN; most text has none
_CHANGED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029" + "".join(sorted(_HIDDEN)) + "]")


def visible(text: str) -> str:
    """One line with control characters shown as \\xNN (never interpreted by a terminal or parser)."""
    text = str(text)
    if not _CHANGED.search(text):
        return text
    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n":
            out.append(" ⏎ ")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _HIDDEN:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def cell_width(text: str) -> int:
    if text.isascii():  # most cells: one column per character (no wide, no combining characters)
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else (0 if unicodedata.combining(ch) else 1)
               for ch in text)


def fit(text: str, width: int) -> str:
    """`text` cut with … to at most `width` terminal cells, padded to exactly `width`."""
    if cell_width(text) > width:
        out, used = "", 0
        for ch in text:
            w = cell_width(ch)
            if used + w > width - 1:
                break
            out, used = out + ch, used + w
        text = out + "…"
    return text + " " * (width - cell_width(text))


def wrap(line: str, width: int, indent: int = 4) -> list[str]:
    """`line` folded at spaces (and between CJK characters) into lines of at most `width` cells.

    Continuation lines are indented `indent` cells past the line's own indent.
    Words are never broken, so an id or path longer than the width stays whole.
    """
    if cell_width(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    pieces, word = [], ""
    for ch in line[lead:]:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if word:
                pieces.append(word)
            word = ""
            pieces.append(ch)
        else:
            word += ch
    if word:
        pieces.append(word)
    out, current = [], " " * lead
    base = len(current)
    for piece in pieces:
        if cell_width(current) + cell_width(piece) > width and current.strip():
            out.append(current.rstrip())
            current = " " * (lead + indent)
            base = len(current)
            if piece == " ":
                continue
        if piece == " " and len(current) == base:
            continue
        current += piece
    if current.strip():
        out.append(current.rstrip())
    return out
