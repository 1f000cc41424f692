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
_SEQ = _CORE + "seq"
_MAP = _CORE + "map"
_INT = _CORE + "int"
_FLOAT = _CORE + "float"
_BOOL = _CORE + "bool"
_NULL = _CORE + "null"
# plain data only: no !!binary, !!timestamp, !!set, !!omap, !!python/... (types JSON and our model do not have)
_ALLOWED_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


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
def _construct_mapping(loader, node):
    if not isinstance(node, yaml.MappingNode):  # `!!map` written on a list or a scalar
        raise yaml.constructor.ConstructorError(None, None, "a !!map tag on something that is not a mapping",
                                                node.start_mark)
    return loader.construct_mapping(node, deep=True)


StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _construct_sequence(loader, node):
    if not isinstance(node, yaml.SequenceNode):  # `!!seq` written on a mapping or a scalar
        raise yaml.constructor.ConstructorError(None, None, "a !!seq tag on something that is not a list",
                                                node.start_mark)
    return [loader.construct_object(n, deep=True) for n in node.value]


StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
StrictLoader.add_constructor(_INT, StrictLoader.construct_yaml_int)


_DECIMAL = re.compile(_CORE_SCALARS[1][1])
_DECIMAL_FLOAT = re.compile(_CORE_SCALARS[2][1])


class _NotPlain(Exception):
    """A node the fast builder leaves to pyyaml's constructors (explicit tags like !!binary)."""


def _build(root) -> Any:
    """The document's data from its node tree: what StrictLoader constructs, with the same errors, faster.

    pyyaml's constructor machinery (generic dispatch, generators, bookkeeping
    per node) costs more than parsing; our documents only hold mappings,
    sequences and plain scalars. A value under an explicit tag it does not fit
    (!!null x, !!int 0x1f), an alien tag (!!binary) or a tagged collection goes
    to the constructors, which refuse it with their message.
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
            if tag == _NULL and value in ("", "~", "null"):
                return None
            if tag == _INT and _DECIMAL.match(value):
                return int(value, 10)
            if tag == _BOOL and value in ("true", "false"):
                return value == "true"
            if tag == _FLOAT and _DECIMAL_FLOAT.match(value):
                return float(value)
            raise _NotPlain  # explicitly tagged (!!int 0x1f, !!float .inf, !!binary ...): pyyaml's way
        if node.__class__ is MappingNode:
            if tag != _MAP:
                raise _NotPlain
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
            raise _NotPlain
        return [build(item) for item in node.value]

    return build(root)


def _load(text: str) -> Any:
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(node)
        except _NotPlain:
            return loader.construct_document(node)
    finally:
        loader.dispose()


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
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        try:
            _refuse_deep_nesting(text)
            return _load(text)
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
        body = text
        while body.startswith("#"):  # leading comment lines (the schema modeline of project files)
            body = body.partition("\n")[2]
        try:
            return self._mapping(body)
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
