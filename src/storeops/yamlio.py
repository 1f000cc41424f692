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
MAX_DEPTH = 64  # a project file nests 6 deep; enforced where nesting is a risk (see _refuse_deep_nesting)
# libyaml composes nodes by recursion in C and overflows the stack (a segfault) past
# ~25,000 levels; a level costs at least one of the characters [{-:? so text with
# fewer of them than this is safe to hand to the composer as it is
_COMPOSE_SAFE = 10_000

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


_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
# plain data only: no !!binary, !!timestamp, !!set, !!omap, !!python/... (types JSON and our model do not have)
_ALLOWED_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


class StrictLoader(_Loader):
    yaml_implicit_resolvers = _core_resolvers()

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*ref) are not allowed; write the value out", node.start_mark
            )
        tag = node.tag
        if tag != _STR:
            if tag not in _ALLOWED_TAGS:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the tag {_short_tag(tag)} is not allowed; write a plain value", node.start_mark)
            if isinstance(node, yaml.ScalarNode) and self.resolve(yaml.ScalarNode, node.value, (True, False)) != tag:
                # an explicit tag on a value that does not fit it (!!int abc)
                raise yaml.constructor.ConstructorError(
                    None, None, f"{node.value!r} is not a valid {_short_tag(tag)}", node.start_mark)
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
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        try:
            _refuse_deep_nesting(text)
            return yaml.load(text, Loader=StrictLoader)
        except RecursionError:  # a few hundred levels in a small file: find where, for the message
            _refuse_deep_nesting(text, always=True)
            raise DataError(source, "nesting too deep", hint="flatten the document") from None
    except yaml.reader.ReaderError as error:
        line, col = _line_col_at_byte(text, error.position)
        raise DataError(source, f"character U+{error.character:04X} is not allowed in YAML", line=line, col=col,
                        hint="remove it, or write it as an escape inside double quotes") from None
    except yaml.YAMLError as error:
        mark = _mark_of(error)
        problem = getattr(error, "problem", None) or str(error)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character where YAML needs spaces"
            hint = "indent with spaces, not tabs"
        else:
            hint = "fix the YAML syntax"
        raise DataError(source, problem, line=line, col=col, hint=hint) from None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column:column + 1] if line < len(lines) else ""


def _refuse_deep_nesting(text: str, always: bool = False) -> None:
    if not always and sum(text.count(c) for c in "[{-:?") < _COMPOSE_SAFE:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):  # the event parser keeps its own stack: no recursion
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                                        event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _line_col_at_byte(text: str, position: int) -> tuple[int, int]:
    """libyaml reports a bad character by its offset in the UTF-8 bytes."""
    before = text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


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
    if node is None:  # an empty document: the problem is the whole file
        return 1, 1
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


_KEY_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?: |\n|$)")
_SPLIT = re.compile(r"\n(?=[^ \n#])")           # before every line that starts in column 0
_UNINDENTED = re.compile(r"\n(?!  |\n|$)")      # a line inside a list item that is not indented by 2


class _Unusual(Exception):
    """The text has a shape the segment path does not handle: parse it whole."""


class SegmentParser:
    """Parses many versions of one file, re-parsing only the parts that changed.

    History holds hundreds of versions of a project file that differ by a few
    lines; libyaml costs ~1.5 ms per version, so the audit log caches the
    parse of each `key: value` block and each list item by its text, and
    splits a changed list item the same way, one level down. Only plain block
    style (what `dumps` writes) takes this path; anything else, and any error,
    goes through `loads`, so results and error messages are exactly those of
    `loads`. Returned values are shared between versions: do not mutate them.
    """

    def __init__(self):
        self._keys: dict = {}
        self._items: dict = {}

    def loads(self, text: str, source: str = "<text>") -> Any:
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            return self._mapping(text)
        except (_Unusual, DataError):
            return loads(text, source)

    def _mapping(self, text: str) -> dict:
        out: dict = {}
        lists: dict = {}       # bare `key:` → the items below it
        current = None
        for chunk in _SPLIT.split(text):
            if chunk.startswith("- ") or chunk == "-":
                if current is None:
                    raise _Unusual  # items belong to a bare `key:` line just above
                lists[current].append(self._item(chunk))
                continue
            if not _KEY_LINE.match(chunk):
                raise _Unusual
            entry = self._keys.get(chunk)
            if entry is None:
                parsed = loads(chunk + "\n")
                if not isinstance(parsed, dict) or len(parsed) != 1:
                    raise _Unusual
                entry = self._keys[chunk] = next(iter(parsed.items()))
            key, value = entry
            if key in out:
                raise _Unusual  # the full parse names both lines
            out[key] = value
            line = chunk.rstrip(" \n")
            current = key if value is None and line.endswith(":") and "\n" not in line else None
            if current is not None:
                lists[current] = []
        if not out:
            raise _Unusual
        for key, items in lists.items():
            if items:
                out[key] = items
        return out

    def _item(self, chunk: str) -> Any:
        value = self._items.get(chunk, _Unusual)
        if value is _Unusual:
            body = chunk[2:]
            if body and body[0] not in " #\n-" and not _UNINDENTED.search(body):
                try:
                    value = self._mapping(body.replace("\n  ", "\n"))
                except _Unusual:
                    value = _Unusual
            if value is _Unusual:
                parsed = loads(chunk + "\n")
                if not isinstance(parsed, list) or len(parsed) != 1:
                    raise _Unusual
                value = parsed[0]
            self._items[chunk] = value
        return value
