"""Where the shipped data (schemas/, sop/) lives: inside the wheel or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    # a wheel carries them inside the package; an editable install reads the checkout
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    from storeops.errors import EnvError

    raise EnvError(f"storeops data folder {name!r} is missing from the installation", hint="reinstall storeops")
