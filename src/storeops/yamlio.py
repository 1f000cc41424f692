"""The one door to YAML: a strict, fast loader and the canonical writer.

Strict means: libyaml's C parser, YAML 1.2-style scalars (only true/false are
booleans, dates stay strings, no sexagesimal ints), duplicate keys and aliases
refused. Every error carries a line and column.
"""

from __future__ import annotations

import io
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


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _fast_resolve(table: dict):
    """pyyaml's Resolver.resolve for our tables, without path resolvers (we have none).

    The C parser calls this once per scalar (and the C emitter twice), so it is
    a large share of reading and writing a file.
    """
    get = table.get
    ScalarNode, SequenceNode = yaml.ScalarNode, yaml.SequenceNode

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    return resolve


def _no_path_resolvers(self, *args):
    return None


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
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
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

    def construct_yaml_int(self, node):
        # YAML 1.2 core schema: [-+]?[0-9]+ is decimal ("0755" is 755, "09" is 9), never octal
        value = self.construct_scalar(node)
        if _DECIMAL.match(value):
            return int(value, 10)
        return super().construct_yaml_int(node)  # an explicit !!int 0x1f


StrictLoader.resolve = _fast_resolve(StrictLoader.yaml_implicit_resolvers)
StrictLoader.descend_resolver = StrictLoader.ascend_resolver = _no_path_resolvers
StrictLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True))
StrictLoader.add_constructor("tag:yaml.org,2002:seq", lambda loader, node: [loader.construct_object(n, deep=True) for n in node.value])
StrictLoader.add_constructor(_INT, StrictLoader.construct_yaml_int)


_DECIMAL = re.compile(_CORE_SCALARS[1][1])
_DECIMAL_FLOAT = re.compile(_CORE_SCALARS[2][1])


class _Unusual(Exception):
    """A node the fast builder leaves to pyyaml's constructors (explicit tags like !!binary)."""


def _build(root) -> Any:
    """The document's data from its node tree: what StrictLoader constructs, with the same errors, faster.

    pyyaml's constructor machinery (generic dispatch, generators, bookkeeping
    per node) costs more than parsing; our documents only hold mappings,
    sequences and plain scalars.
    """
    seen: set[int] = set()
    ScalarNode, MappingNode = yaml.ScalarNode, yaml.MappingNode
    error = yaml.constructor.ConstructorError

    def build(node):
        if id(node) in seen:  # the composer hands back the anchored node for *ref
            raise error(None, None, "aliases (*ref) are not allowed; write the value out", node.start_mark)
        seen.add(id(node))
        tag = node.tag
        if node.__class__ is ScalarNode:
            value = node.value
            if tag == _STR:
                return value
            if tag == _NULL:
                return None
            if tag == _INT and _DECIMAL.match(value):
                return int(value, 10)
            if tag == _BOOL and value in ("true", "false"):
                return value == "true"
            if tag == _FLOAT and _DECIMAL_FLOAT.match(value):
                return float(value)
            raise _Unusual  # explicitly tagged (!!int 0x1f, !!float .inf, !!binary ...): pyyaml's way
        if node.__class__ is MappingNode:
            if tag != _MAP:
                raise _Unusual
            mapping: dict = {}
            lines: dict = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode or key_node.tag != _STR:
                    raise error(None, None, f"keys must be text (quote {key_node.value!r})", key_node.start_mark)
                key = key_node.value
                if key in mapping:
                    raise error(None, None, f"duplicate key {key!r} (first at line {lines[key]})", key_node.start_mark)
                lines[key] = key_node.start_mark.line + 1
                mapping[key] = build(value_node)
            return mapping
        if tag != _SEQ:
            raise _Unusual
        return [build(item) for item in node.value]

    return build(root)


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
CanonicalDumper.resolve = _fast_resolve(CanonicalDumper.yaml_implicit_resolvers)
CanonicalDumper.descend_resolver = CanonicalDumper.ascend_resolver = _no_path_resolvers


def _mark_of(error: yaml.YAMLError):
    return getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)


def loads(text: str, source: str = "<text>") -> Any:
    """Parse YAML text strictly; errors become DataError(source, line, col)."""
    try:
        if text.startswith("\ufeff"):
            text = text[1:]
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            try:
                return _build(node)
            except _Unusual:
                return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = _mark_of(error)
        problem = getattr(error, "problem", None) or str(error)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise DataError(source, problem, line=line, col=col, hint="fix the YAML syntax") from None
    except RecursionError:
        raise DataError(source, "nesting too deep", hint="flatten the document") from None


def read_bytes(path: Path, source: str) -> str:
    return decode(read_raw(path, source), source)


def read_raw(path: Path, source: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(source, f"file is {size} bytes, more than the {MAX_BYTES} allowed", hint="is this the right file?")
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(source, "file not found") from None
    except IsADirectoryError:
        raise DataError(source, "is a directory, not a file") from None


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(source, f"not UTF-8 (byte 0x{data[error.start]:02x})", line=line, hint="save the file as UTF-8") from None


def load(path: Path, source: str | None = None) -> Any:
    source = source or str(path)
    return loads(read_bytes(path, source), source)


def dumps(data: Any) -> str:
    """The canonical text of `data`: what yaml.dump with CanonicalDumper writes, block style, keys in order."""
    stream = io.StringIO()
    dumper = CanonicalDumper(stream, default_flow_style=False, allow_unicode=True, width=4096, indent=2,
                             sort_keys=False)
    try:
        dumper.open()
        dumper.serialize(_represent(dumper, data))
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _represent(dumper, data: Any):
    """The node tree pyyaml's representer would build for our plain data, without its generic dispatch.

    `check` writes every file back to compare it with the canonical form, so
    this is on the hot path. Types other than the plain ones take pyyaml's way.
    """
    ScalarNode, SequenceNode, MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

    def node(value):
        kind = value.__class__
        if kind is str:
            return ScalarNode(_STR, value, style="|" if "\n" in value and _block_safe(value) else None)
        if kind is dict:
            return MappingNode(_MAP, [(node(k), node(v)) for k, v in value.items()], flow_style=False)
        if kind is list:
            return SequenceNode(_SEQ, [node(v) for v in value], flow_style=False)
        if value is None:
            return ScalarNode(_NULL, "null")
        if kind is bool:
            return ScalarNode(_BOOL, "true" if value else "false")
        if kind is int:
            return ScalarNode(_INT, str(value))
        return dumper.represent_data(value)

    return node(data)


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
