"""Plain coercion for text and path parameters, so that a command does not import pydantic
(and typer's signatures read once: start-up work every command pays).

Recent typer releases coerce every parameter value through a pydantic
TypeAdapter, built on first use: the first option processed imports pydantic,
about a tenth of a second on every run, which is most of what `storeops
--version` or `advance` would otherwise cost beyond Python itself. All of our
parameters are text, paths, whole numbers, lists of those, or flags; for values that come from
the command line (text, or a bool for a flag) pydantic's answer is the value
itself, `Path(value)` or `int(value)`, so we give those parameters that directly (and a number
that is not one gets the same one-line `error:`/`hint:` as any other bad input, not pydantic's prose). Anything
else, and any typer that does not work this way, is left to typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import List


def _same(value):
    return value


# annotation → (conversion, a list?, the input it takes); flags arrive as bool or None (not given)
_PLAIN = {str: (str, False, str), Path: (Path, False, str), bool: (_same, False, bool), int: (int, False, str),
          List[str]: (str, True, str), List[Path]: (Path, True, str), list[str]: (str, True, str),
          list[Path]: (Path, True, str)}


class _Plain:
    """Stands in for typer's RuntimeParam (its `coerce` contract) for text and path parameters."""

    def __init__(self, convert, many: bool, takes: type, descriptor):
        self.convert, self.many, self.takes, self.descriptor = convert, many, takes, descriptor

    def coerce(self, value, param, ctx):
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        if self.many and isinstance(value, (list, tuple)) and all(isinstance(v, self.takes) for v in value):
            return [self.convert(v) for v in value]
        if not self.many and not multi and isinstance(value, self.takes):
            try:
                return self.convert(value)
            except ValueError:  # int("abc"): the same one-line error: and hint: as any other bad input
                from storeops.errors import UsageError

                name = param.opts[0] if getattr(param, "opts", None) else param.name
                raise UsageError(f"{name}: {value!r} is not a whole number", hint="write it in digits, like 3") from None
        from typer._coercion import build_runtime_param  # not text from the command line: typer's way

        return build_runtime_param(self.descriptor).coerce(value, param=param, ctx=ctx)


def install() -> None:
    """Make typer use the plain coercion for text, path and flag parameters (help options included),
    and read each command function's signature once (see _read_signatures_once)."""
    _read_signatures_once()
    _plain_coercion()


def _read_signatures_once() -> None:
    """typer reads every command function's parameters twice while it builds the commands (once for the
    options, once for the call), each time evaluating the annotations: a fifth of `storeops --help`.
    The answer is read, never changed, so the second read can reuse the first."""
    import typer.main

    original = getattr(typer.main, "get_params_from_function", None)
    if original is None or getattr(original, "_storeops_once", False):
        return
    read: dict = {}

    def get_params_from_function(func):
        if func not in read:
            read[func] = original(func)
        return read[func]

    get_params_from_function._storeops_once = True
    typer.main.get_params_from_function = get_params_from_function


def _plain_coercion() -> None:
    """Wraps typer's lazy `get_runtime_param` in this process; a typer without it is left alone."""
    try:
        from typer.core import _TyperParameter
    except ImportError:
        return
    original = getattr(_TyperParameter, "get_runtime_param", None)
    if original is None or getattr(original, "_storeops_plain", False):
        return

    def get_runtime_param(self):
        if getattr(self, "_runtime_param", False) is None:
            plain = _plain_for(getattr(self, "type_descriptor", None))
            if plain is not None:
                self._runtime_param = plain
        return original(self)

    get_runtime_param._storeops_plain = True
    _TyperParameter.get_runtime_param = get_runtime_param


def _plain_for(descriptor) -> _Plain | None:
    try:
        plain = _PLAIN.get(descriptor.annotation)
    except (AttributeError, TypeError):  # no descriptor, or an unhashable annotation
        return None
    return _Plain(*plain, descriptor) if plain is not None else None
