"""A compiled yes/no JSON Schema check, in front of jsonschema.

jsonschema takes about 5 ms to validate one project file, which is most of a
cold `storeops check` (CI runs on a fresh clone: no cache). Almost every file
is valid, and for a valid file there is nothing to explain. So each schema is
also compiled here into plain Python closures that answer only "valid?",
following jsonschema's rules for each keyword (its `_keywords.py`: which
types a keyword applies to, `equal` and `uniq`, integer-valued floats are
integers, `pattern` is `re.search`). When the answer is no, jsonschema runs and
gives the messages, so what users read never comes from here. A schema using
a keyword this module does not know is not compiled at all (jsonschema alone
decides). tests/test_fastschema.py holds it to jsonschema's answers on
thousands of mutated documents.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable

Check = Callable[[Any], bool]

# keywords that never make a document invalid
ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "definitions", "$comment", "title", "description", "examples",
                         "default", "deprecated", "readOnly", "writeOnly"})



def python_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern for Python's `re`: there `$` is the end of the text,
    while Python's `$` also matches before a trailing newline (an id `evil\\n` would pass)."""
    out, escaped = [], False
    for char in pattern:
        out.append("\\Z" if char == "$" and not escaped else char)
        escaped = char == "\\" and not escaped
    return "".join(out)


class Unsupported(Exception):
    """The schema uses something this module does not check; leave it to jsonschema."""


def compile_schema(root: Any) -> Check | None:
    """A function instance → valid?, or None when the schema is beyond this module."""
    try:
        return _Compiler(root).compile(root)
    except Unsupported:
        return None


# ---- jsonschema's equality and uniqueness (jsonschema/_utils.py), without importing it ----

def _unbool(element, true=object(), false=object()):
    if element is True:
        return true
    if element is False:
        return false
    return element


def _equal(one, two) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(key in two and _equal(value, two[key]) for key, value in one.items())
    return _unbool(one) == _unbool(two)


def _uniq(container) -> bool:
    try:
        ordered = sorted(_unbool(i) for i in container)
        for i, j in zip(ordered, itertools.islice(ordered, 1, None)):
            if _equal(i, j):
                return False
    except (NotImplementedError, TypeError):
        seen: list = []
        for element in container:
            element = _unbool(element)
            if any(_equal(i, element) for i in seen):
                return False
            seen.append(element)
    return True


# ---- types, as jsonschema's draft 2020-12 type checker sees them ----

def _is_integer(x) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


class _Compiler:
    def __init__(self, root: Any):
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        checks: list[Check] = []
        for key, value in schema.items():
            if key in ANNOTATIONS or key in ("then", "else", "additionalProperties"):
                continue  # then/else go with if; additionalProperties with properties
            maker = getattr(self, "k_" + key.lstrip("$"), None)
            if maker is None:
                raise Unsupported(key)
            checks.append(maker(value, schema))
        if "additionalProperties" in schema:
            checks.append(self.additional(schema))
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(check(x) for check in checks)

    # ---- keywords (jsonschema/_keywords.py) ----
    def k_ref(self, ref, schema) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r}")
        if ref not in self.refs:
            self.refs[ref] = None  # a recursive reference is looked up when it runs
            self.refs[ref] = self.compile(self._pointer(ref))
        return lambda x: self.refs[ref](x)

    def _pointer(self, ref: str) -> Any:
        node = self.root
        for part in filter(None, ref[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError, TypeError):
                raise Unsupported(f"$ref {ref!r}") from None
        return node

    def k_type(self, types, schema) -> Check:
        names = [types] if isinstance(types, str) else list(types)
        try:
            tests = [TYPES[name] for name in names]
        except (KeyError, TypeError):
            raise Unsupported(f"type {types!r}") from None
        if len(tests) == 1:
            return tests[0]
        return lambda x: any(test(x) for test in tests)

    def k_enum(self, values, schema) -> Check:
        if not isinstance(values, list):
            raise Unsupported("enum")
        if all(isinstance(v, str) for v in values):
            allowed = frozenset(values)
            return lambda x: isinstance(x, str) and x in allowed  # _equal on text is ==, and only text equals text
        return lambda x: any(_equal(v, x) for v in values)

    def k_const(self, value, schema) -> Check:
        return lambda x: _equal(x, value)

    def k_pattern(self, pattern, schema) -> Check:
        search = re.compile(python_pattern(pattern)).search
        return lambda x: not isinstance(x, str) or search(x) is not None

    def k_minLength(self, limit, schema) -> Check:
        return lambda x: not isinstance(x, str) or len(x) >= limit

    def k_maxLength(self, limit, schema) -> Check:
        return lambda x: not isinstance(x, str) or len(x) <= limit

    def k_minimum(self, limit, schema) -> Check:
        return lambda x: not _is_number(x) or not x < limit  # as jsonschema writes it: NaN passes

    def k_maximum(self, limit, schema) -> Check:
        return lambda x: not _is_number(x) or not x > limit

    def k_required(self, names, schema) -> Check:
        names = tuple(names)
        return lambda x: not isinstance(x, dict) or all(name in x for name in names)

    def k_properties(self, properties, schema) -> Check:
        compiled = [(name, self.compile(sub)) for name, sub in properties.items()]

        def check(x):
            if not isinstance(x, dict):
                return True
            return all(test(x[name]) for name, test in compiled if name in x)
        return check

    def additional(self, schema) -> Check:
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        known = frozenset(schema.get("properties", {}))
        extra = schema["additionalProperties"]
        if extra is False:
            return lambda x: not isinstance(x, dict) or known.issuperset(x)
        test = self.compile(extra)
        return lambda x: not isinstance(x, dict) or all(test(v) for k, v in x.items() if k not in known)

    def k_propertyNames(self, sub, schema) -> Check:
        test = self.compile(sub)
        return lambda x: not isinstance(x, dict) or all(test(k) for k in x)

    def k_items(self, sub, schema) -> Check:
        if "prefixItems" in schema:
            raise Unsupported("prefixItems")
        test = self.compile(sub)
        return lambda x: not isinstance(x, list) or all(test(item) for item in x)

    def k_minItems(self, limit, schema) -> Check:
        return lambda x: not isinstance(x, list) or len(x) >= limit

    def k_maxItems(self, limit, schema) -> Check:
        return lambda x: not isinstance(x, list) or len(x) <= limit

    def k_uniqueItems(self, unique, schema) -> Check:
        if not unique:
            return lambda x: True
        return lambda x: not isinstance(x, list) or _uniq(x)

    def k_contains(self, sub, schema) -> Check:
        if "minContains" in schema or "maxContains" in schema:
            raise Unsupported("minContains/maxContains")
        test = self.compile(sub)
        return lambda x: not isinstance(x, list) or any(test(item) for item in x)

    def k_allOf(self, subs, schema) -> Check:
        tests = [self.compile(sub) for sub in subs]
        return lambda x: all(test(x) for test in tests)

    def k_anyOf(self, subs, schema) -> Check:
        tests = [self.compile(sub) for sub in subs]
        return lambda x: any(test(x) for test in tests)

    def k_oneOf(self, subs, schema) -> Check:
        tests = [self.compile(sub) for sub in subs]
        return lambda x: sum(1 for test in tests if test(x)) == 1

    def k_not(self, sub, schema) -> Check:
        test = self.compile(sub)
        return lambda x: not test(x)

    def k_if(self, sub, schema) -> Check:
        condition = self.compile(sub)
        then = self.compile(schema["then"]) if "then" in schema else None
        otherwise = self.compile(schema["else"]) if "else" in schema else None

        def check(x):
            if condition(x):
                return then is None or then(x)
            return otherwise is None or otherwise(x)
        return check
