"""The one door to YAML: a strict, fast loader and the canonical writer.

Strict means: libyaml's C parser, YAML 1.2-style scalars (only true/false are
booleans, dates stay strings, no sexagesimal ints), duplicate keys and aliases
refused. Every error carries a line and column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from storeops.errors import DataError

MAX_BYTES = 5 * 1024 * 1024  # a project file is a few KiB; this only stops abuse

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_CORE_SCALARS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:[0-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+)$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|)$", ["~", "n", ""]),
]

# Written quoted so that YAML 1.1 readers (editors, other tools) also see strings.
_QUOTE_FOR_OTHERS = (
    "tag:yaml.org,2002:bool",
    r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|True|TRUE|False|FALSE|Null|NULL)$",
    list("yYnNoOtTfFN"),
)


def _core_resolvers(extra: tuple | None = None) -> dict:
    table: dict = {}
    rows = list(_CORE_SCALARS) + ([extra] if extra else [])
    for tag, pattern, first in rows:
        regexp = re.compile(pattern)
        for ch in first:
            table.setdefault(ch, []).append((tag, regexp))
    table.setdefault(None, [])  # pyyaml looks up the None key for empty scalars
    table[""] = [("tag:yaml.org,2002:null", re.compile(r"^$"))]
    return table


class StrictLoader(_Loader):
    yaml_implicit_resolvers = _core_resolvers()

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*ref) are not allowed; write the value out", node.start_mark
            )
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):
        mapping: dict = {}
        lines: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise yaml.constructor.ConstructorError(
                    None, None, f"keys must be text (quote {key_node.value!r})", key_node.start_mark
                )
            key = key_node.value
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {lines[key]})", key_node.start_mark
                )
            lines[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


StrictLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True))
StrictLoader.add_constructor("tag:yaml.org,2002:seq", lambda loader, node: [loader.construct_object(n, deep=True) for n in node.value])


class CanonicalDumper(_Dumper):
    yaml_implicit_resolvers = _core_resolvers(_QUOTE_FOR_OTHERS)


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value and _block_safe(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _block_safe(value: str) -> bool:
    # a literal block cannot carry trailing blanks or control characters faithfully
    return all(line == line.rstrip(" \t") and line.isprintable() for line in value.split("\n"))


CanonicalDumper.add_representer(str, _represent_str)
CanonicalDumper.ignore_aliases = lambda self, data: True


def _mark_of(error: yaml.YAMLError):
    return getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)


def loads(text: str, source: str = "<text>") -> Any:
    """Parse YAML text strictly; errors become DataError(source, line, col)."""
    try:
        if text.startswith("\ufeff"):
            text = text[1:]
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as error:
        mark = _mark_of(error)
        problem = getattr(error, "problem", None) or str(error)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise DataError(source, problem, line=line, col=col, hint="fix the YAML syntax") from None
    except RecursionError:
        raise DataError(source, "nesting too deep", hint="flatten the document") from None


def read_bytes(path: Path, source: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(source, f"file is {size} bytes, more than the {MAX_BYTES} allowed", hint="is this the right file?")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(source, "file not found") from None
    except IsADirectoryError:
        raise DataError(source, "is a directory, not a file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(source, f"not UTF-8 (byte 0x{data[error.start]:02x})", line=line, hint="save the file as UTF-8") from None


def load(path: Path, source: str | None = None) -> Any:
    source = source or str(path)
    return loads(read_bytes(path, source), source)


def dumps(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=CanonicalDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
        indent=2,
    )


def locate(text: str, path: tuple) -> tuple[int, int] | None:
    """Line and column (1-based) of the value at `path` (keys and list indexes).

    Only called on errors, so the second parse is off the hot path. Falls back
    to the deepest part of the path that exists.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=StrictLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    best = node.start_mark
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    child = value_node
                    best = key_node.start_mark
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            best = child.start_mark
        if child is None:
            break
        node = child
    return best.line + 1, best.column + 1


_TOP_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*:(?: |$)")


class SegmentParser:
    """Parses many versions of one file, re-parsing only the top-level parts that changed.

    History holds hundreds of versions of a project file that differ by a few
    lines; libyaml costs ~1.5 ms per version, so the audit log caches the
    parse of each top-level key and each item of a top-level list by its text.
    Only files whose column-0 lines are all plain `key:`, `- ` items or
    comments take this path; anything else (and any error) goes through
    `loads`, so results and error messages are exactly those of `loads`.
    Returned values are shared between versions: callers must not mutate them.
    """

    def __init__(self):
        self._parts: dict = {}

    def loads(self, text: str, source: str = "<text>") -> Any:
        if text.startswith("\ufeff"):
            text = text[1:]
        segments = _segments(text)
        if segments is None:
            return loads(text, source)
        out: dict = {}
        try:
            for key_text, items in segments:
                (key, value), = self._part(key_text).items()
                if key in out:
                    return loads(text, source)  # the full parse names both lines
                if items:
                    value = [self._part(item)[0] for item in items]
                out[key] = value
        except (DataError, ValueError, TypeError, KeyError, IndexError):
            return loads(text, source)
        return out

    def _part(self, text: str) -> Any:
        value = self._parts.get(text)
        if value is None:
            value = loads(text)
            if not isinstance(value, (dict, list)) or len(value) != 1:
                raise ValueError("not one key or item")
            self._parts[text] = value
        return value


def _segments(text: str) -> list | None:
    """[(key block, [item blocks])] split at column-0 lines, or None when the shape is unusual."""
    segments: list = []
    current: list | None = None
    for line in text.split("\n"):
        if not line or line[0] in " #":
            if current is not None:
                current.append(line)
            elif line.strip() and not line.lstrip().startswith("#"):
                return None
        elif line.startswith("- ") or line == "-":
            # items belong to a bare `key:` line just above (PyYAML's indentless list)
            if not segments or len(segments[-1][0]) != 1 or not segments[-1][0][0].endswith(":"):
                return None
            current = [line]
            segments[-1][1].append(current)
        elif _TOP_KEY.match(line):
            current = [line]
            segments.append((current, []))
        else:
            return None
    if not segments:
        return None
    return [("\n".join(key) + "\n", ["\n".join(item) + "\n" for item in items]) for key, items in segments]
