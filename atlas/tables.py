"""Reading and writing the CSV tables: strict UTF-8 in, atomic writes out.

A frame read here holds strings only and is indexed by spreadsheet row (the header is row 1),
so every later message can name the row a person sees when they open the file.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from pathlib import Path

import pandas as pd

from atlas.errors import DataError, Problem

# A carriage return inside a cell counts too: csv writes it unquoted, so a table written back
# (places.csv by `geocode`) would split that row in two.
CONTROL_CHARACTERS = {chr(code) for code in range(32)} - {"\t", "\n"}
# Python's csv reader refuses a longer cell (131,072 characters).
CELL_LIMIT = csv.field_size_limit()


def office_text(content: bytes) -> str | None:
    """Text as an office saves it: UTF-8 (with or without a byte-order mark), else GB18030, which Excel
    and Notepad in China use unless told otherwise; None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_table(path: Path) -> pd.DataFrame:
    """Read one UTF-8 CSV table as strings. Raise DataError naming file and row on bad input."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(Problem(path.name, None, None, f"file not found in {path.parent}")) from None
    return parse_table(path.name, raw)


def parse_table(name: str, raw: bytes) -> pd.DataFrame:
    """The table `name` from its bytes, as `read_table` reads it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.start + 4]
        raise DataError(
            Problem(name, row, None, f"bytes {bad!r} at offset {error.start} are not UTF-8; save the file as UTF-8")
        ) from None
    # Checked after decoding: a file holding only a byte-order mark is empty too.
    if not text.strip():
        raise DataError(Problem(name, None, None, "file is empty: expected a header row"))
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            records.append(record)
    except csv.Error as error:
        # e.g. a stray quote that swallows the rest of a large file into one cell
        message = f"is not valid CSV: {error}"
        if "field larger than field limit" in str(error):
            message = (
                f"has a cell longer than {CELL_LIMIT:,} characters (128 KB), the most a cell may hold; "
                "or a stray quote makes the rest of the file one cell"
            )
        raise DataError(Problem(name, len(records) + 1, None, message)) from None
    header = [cell.strip() for cell in records[0]]
    if not header or any(not cell for cell in header):
        raise DataError(Problem(name, 1, None, "header has an empty column name"))
    seen: set[str] = set()
    for cell in header:
        if cell in seen:
            raise DataError(Problem(name, 1, cell, "column appears twice in the header"))
        seen.add(cell)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise DataError(Problem(name, number, None, f"has {len(record)} fields, the header has {len(header)}"))
        rows.append((number, [cell.strip() for cell in record]))
    frame = pd.DataFrame([cells for _, cells in rows], columns=header, dtype=object)
    frame.index = pd.Index([number for number, _ in rows], name="row")
    return frame


def table_to_csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def atomic_write_text(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory and rename it over `path`.

    A crash at any moment leaves either the old file or the new one, never a mix.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            # mkstemp makes the file private (0600); the new file keeps the permissions of the old one.
            os.fchmod(stream.fileno(), stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644)
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path: Path) -> None:
    atomic_write_text(path, table_to_csv(frame))
