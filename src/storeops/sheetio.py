"""Write sheets.Sheet tables as CSV (UTF-8, optionally with the BOM Excel wants) or as .xlsx (openpyxl)."""

from __future__ import annotations

import csv
import io
from datetime import date

from storeops.sheets import Sheet
from storeops.textcells import cell_width

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"


def _safe(value):
    """No formulas: text starting with = + - @ is kept as text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(_safe(value))


def csv_bytes(sheet: Sheet, excel: bool = False) -> bytes:
    """CSV, newlines inside cells kept verbatim (quoted); with `excel`, a BOM so Excel reads UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ((BOM if excel else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: Sheet) -> bytes:
    """One worksheet: a bold frozen header row, dates as dates, column widths fitted to the text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31] or "Sheet1"
    ws.append(sheet.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append([_safe(_plain(v)) for v in row])
    ws.freeze_panes = "A2"
    for i, header in enumerate(sheet.headers, start=1):
        widest = max([cell_width(header)] + [_width(row[i - 1]) for row in sheet.rows])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, widest + 2))
        for row_cells in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            for cell in row_cells:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value):
    import re

    if isinstance(value, str):
        # control characters other than newline and tab are not allowed in xlsx cells
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return value


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return max(cell_width(line) for line in str(value).split("\n"))


def encode(sheet: Sheet, fmt: str, excel: bool = False) -> bytes:
    return xlsx_bytes(sheet) if fmt == "xlsx" else csv_bytes(sheet, excel)
