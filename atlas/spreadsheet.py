"""CSV meant for spreadsheets: a cell a spreadsheet would run as a formula is written as text.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
LibreOffice (`=HYPERLINK(...)` opens a link, `+cmd|...` can start a program). OWASP's advice on CSV
injection: prefix such a cell with `'`, which the spreadsheet shows as text. Only exports are
changed; the tables keep the true text.
"""

from __future__ import annotations

import json
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Registered in assets/dashAgGridFunctions.js: the table's Download CSV applies it to every cell.
GRID_CELL_FUNCTION = "spreadsheetSafe"


def spreadsheet_safe(text: str) -> str:
    """`text` as a spreadsheet cell that shows it rather than running it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv_params(file_name: str, columns: list[str]) -> dict[str, Any]:
    """AG Grid's `csvExportParams` for the table's Download CSV: the file name, the `columns` it holds
    (the grid's link column is left out), and every text cell made safe by the same rule as
    `spreadsheet_safe` (the characters are passed to the browser's function)."""
    starts = json.dumps("".join(FORMULA_STARTS))
    return {
        "fileName": file_name,
        "columnKeys": columns,
        "processCellCallback": {"function": f"{GRID_CELL_FUNCTION}(params, {starts})"},
    }
