"""--format csv|xlsx, -o FILE and --excel for status, board, remind and the reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

SHEET_FORMATS = ("text", "json", "csv", "xlsx")

FORMAT_OPTION = typer.Option("text", "--format", metavar="text|json|csv|xlsx",
                             help="Output format; xlsx needs -o FILE.")
OUTPUT_OPTION = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
EXCEL_OPTION = typer.Option(False, "--excel", help="CSV with a byte-order mark and CRLF, as Excel expects.")


def check(fmt: str, output: Optional[Path], allowed: tuple[str, ...]) -> None:
    """Refuse a bad --format (or xlsx to a terminal) before any work."""
    from storeops.errors import UsageError

    if fmt not in allowed:
        raise UsageError(f"--format {fmt!r} is not a format", hint="one of " + ", ".join(allowed))
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx needs -o FILE", hint="for example: -o report.xlsx")


def emit(ctx: typer.Context, sheet, fmt: str, output: Optional[Path], excel: bool) -> None:
    from storeops import sheetio

    _write(ctx, sheetio.encode(sheet, fmt, excel), output)


def emit_text(ctx: typer.Context, text: str, output: Optional[Path], excel: bool) -> None:
    """CSV text made elsewhere (the reports' own columns), with the same -o and --excel."""
    from storeops import sheetio

    if excel:
        text = sheetio.BOM + text
    _write(ctx, text.encode("utf-8"), output)


def _write(ctx: typer.Context, data: bytes, output: Optional[Path]) -> None:
    from storeops.cli.common import user_path
    from storeops.errors import EnvError
    from storeops.repo import atomic_write_bytes

    if output is None:
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    path = user_path(ctx, output)
    try:
        atomic_write_bytes(path, data)
    except OSError as error:
        raise EnvError(f"-o {path}: cannot write ({error.strerror or error})") from None
