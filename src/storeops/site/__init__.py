"""storeops site: a self-contained static dashboard (plain HTML, inline CSS and SVG, no server).

What it shows is what `status`, `board`, `remind` and the reports show: fields, tasks, dates,
approvals, document names and dates, rejection messages. Never document contents, secret values
or secret hints, nor anything decrypted: the site reads project files only, never the vault.

    data.collect(repo, ...)  -> Site (plain data, one walk of the history)
    pages.render(site)       -> {relative path: html text}
    build(repo, out, ...)    -> writes them to a temporary folder, then swaps it in for `out`
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storeops.errors import EnvError, UsageError

MARKER = ".storeops-site"  # in every built site: DIR may be replaced only when it holds one (or is empty)


@dataclass(frozen=True)
class Built:
    path: Path
    pages: int
    projects: int
    problems: tuple = ()  # problems.Problem of the project files skipped (see loading.py)


def build(repo, out: Path, lang: str, today: date) -> Built:
    from storeops.site import data, pages

    site = data.collect(repo, lang, today)
    files = pages.render(site)
    write_tree(out, files)
    return Built(out, len(files), len(site.projects), tuple(site.problems))


def write_tree(out: Path, files: dict[str, str]) -> None:
    """Write `files` to a fresh folder next to `out`, then put it in place of `out` (rename: readers of
    the old site never see a half-written one)."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder", hint="pass -o DIR")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UsageError(f"{out} is not empty and was not built by storeops site",
                         hint="choose an empty or new folder with -o DIR; nothing was written")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as error:
        raise EnvError(f"{out}: cannot write ({error.strerror or error})") from None
    old = None
    try:
        for rel, text in files.items():
            target = fresh / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (fresh / MARKER).write_text("built by storeops site; replaced whole on every build\n", encoding="utf-8")
        os.chmod(fresh, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
        os.rename(fresh, out)
    except OSError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        if old is not None and old.exists() and not out.exists():
            os.rename(old, out)
        raise EnvError(f"{out}: cannot write ({error.strerror or error})") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
