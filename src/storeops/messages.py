"""Messages users read on stderr, in Chinese: the English text is the key.

The domain raises errors and the CLI prints messages in English, as it always
has. `say` matches a message against the English templates of `ZH` and fills
the Chinese template with the same values, so no raise site needs to know
about languages. A message that no template matches stays English: a new or
changed message can be untranslated, never broken.

A template's `{name}` matches one value; the name says what it may be (see
`_KINDS`: ids and people are one word, states become their Chinese labels,
anything else is any text). A leading location such as `projects/x.yaml:3:5:`
or a field name is kept as it is: only the rest is looked up.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable
from functools import lru_cache

from storeops.labels import OUTCOME, STATE
from storeops.messages_zh import ZH

_FORMATTER = string.Formatter()
_WORD = r"[^\s'\",:()<>]+"
_STATE = "|".join(STATE)

# placeholder name (trailing digits ignored) -> (regex, how the value is shown in Chinese)
_KINDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "n": (r"\d+", str),
    "date": (r"\d{4}-\d{2}-\d{2}", str),
    "state": (_STATE, lambda v: STATE[v]["zh"]),
    "states": (rf"(?:{_STATE})(?:, (?:{_STATE}))*", lambda v: "、".join(STATE[s]["zh"] for s in v.split(", "))),
    "alts": (r".+?", lambda v: v.replace(" or ", " 或 ")),
    "who": (_WORD, lambda v: "无人" if v == "nobody" else v),
    "outcome": ("opened|abandoned|failed", lambda v: OUTCOME[v]["zh"]),
    "file": (r"\S+", str),  # a path ending a message: one word, so that the text after it is not taken along
    "command": (r"storeops [^()]+", str),
    "what": (r".+?", lambda v: _WHAT.get(v, v)),
    **{name: (_WORD, str) for name in ("id", "project", "task", "doc", "person", "role", "sop", "option", "email")},
}

_WHAT = {"none": "无", "project id": "项目 id", "document id": "资料 id", "SOP id": "SOP id", "platform (like amazon)": "平台（如 amazon）",
         "site (like us)": "站点（如 us）", "category (like home-kitchen)": "类目（如 home-kitchen）",
         "a merge": "合并", "a rebase": "变基（rebase）", "a cherry-pick": "拣选（cherry-pick）",
         "a revert": "撤销提交（revert）", "a bisect": "二分查找（bisect）"}

WORDS = {
    "error": {"en": "error: ", "zh": "错误："},
    "warning": {"en": "warning: ", "zh": "警告："},
    "hint": {"en": "hint: ", "zh": "提示："},
}


_chosen: str | None = None
_fallback: Callable[[], str | None] | None = None
_explicit: str | None = None


def choose(lang: str | None, fallback: Callable[[], str | None] | None = None) -> None:
    """Set this run's language: `lang` from --lang/STOREOPS_LANG, else `fallback()` (the team's) when first needed."""
    global _chosen, _fallback, _explicit
    _chosen, _fallback, _explicit = lang, fallback, lang


def team_chose(lang: str) -> None:
    """The team's language became known (an open repo's storeops.yaml, or the one init just wrote):
    it applies unless --lang/STOREOPS_LANG said otherwise."""
    global _chosen, _fallback
    _fallback = lambda: lang  # noqa: E731
    if _explicit is None:
        _chosen = None


def current() -> str:
    global _chosen
    if _chosen is None:
        try:
            _chosen = (_fallback() if _fallback else None) or "en"
        except Exception:  # an unreadable storeops.yaml is reported by the command itself, in English
            _chosen = "en"
    return _chosen


def requested() -> str | None:
    """The language asked for on the command line or in the environment, if any."""
    lang = os.environ.get("STOREOPS_LANG")
    return lang if lang in ("en", "zh") else None


def word(key: str, lang: str | None = None) -> str:
    entry = WORDS[key]
    return entry.get(lang or current()) or entry["en"]


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str, dict[str, Callable[[str], str]]]]:
    out = []
    for english, chinese in ZH.items():
        shown: dict[str, Callable[[str], str]] = {}
        pattern = ""
        for literal, name, _, _ in _FORMATTER.parse(english):
            pattern += re.escape(literal)
            if name:
                regex, show = _KINDS.get(name.rstrip("0123456789"), (r".+?", str))
                pattern += f"(?P<{name}>{regex})"
                shown[name] = show
        out.append((re.compile(pattern, re.DOTALL), chinese, shown))
    return out


def _translated(text: str) -> str | None:
    for pattern, chinese, shown in _compiled():
        match = pattern.fullmatch(text)
        if match:
            return chinese.format(**{name: shown[name](value) for name, value in match.groupdict().items()})
    return None


def say(text: str, lang: str | None = None) -> str:
    """`text` in `lang` (default: this run's language); the English text when no template matches."""
    if (lang or current()) != "zh" or not text:
        return text
    # a location (`file:3:5: `) or field (`tasks[0].state: `) prefix stays: try the whole text, then each tail
    starts = [0] + [m.end() for m in re.finditer(r": ", text)]
    try:
        for start in starts:
            rest = _translated(text[start:])
            if rest is not None:
                return text[:start] + rest
    except (KeyError, IndexError, ValueError):  # a broken catalogue entry must not hide the message itself
        pass
    return text

