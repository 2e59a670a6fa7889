"""Helpers for the data-layer tests: a private copy of the frozen fixture tables, edits to it, file hashes.

Tests never read the live `data/` (adding a true row there must not break a test) except the one that
validates it as it is (`test_live_data.py`). Each test works on `copy_data(tmp_path)` and breaks one thing there.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from atlas.store import LOCK_FILE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The tables as they were on 2026-12-01 (84 partnerships), frozen: what every count in the tests refers to.
FIXTURE_DATA = PROJECT_ROOT / "tests" / "fixtures" / "data"
LIVE_DATA = PROJECT_ROOT / "data"


def copy_data(destination: Path) -> Path:
    """A copy of the fixture tables in `destination/data`."""
    data_dir = destination / "data"
    data_dir.mkdir()
    for table in FIXTURE_DATA.glob("*.csv"):
        shutil.copyfile(table, data_dir / table.name)
    return data_dir


def file_hashes(directory: Path) -> dict[str, str]:
    """SHA-256 of every file in `directory`, hidden temporary files included; not the store's lock file,
    which a write command leaves (empty) for the next one."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
        if path.name != LOCK_FILE
    }


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


def cell(path: Path, row: int, column: str) -> str:
    """The value at spreadsheet `row` (the header is row 1) and `column`."""
    rows = read_rows(path)
    return rows[row - 1][rows[0].index(column)]


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    position = rows[0].index(column)
    write_rows(path, [row[:position] + row[position + 1 :] for row in rows])


def append_row(path: Path, values: dict[str, str]) -> int:
    """Append a row (missing columns left empty); return its spreadsheet row number."""
    rows = read_rows(path)
    rows.append([values.get(column, "") for column in rows[0]])
    write_rows(path, rows)
    return len(rows)


def copy_row(path: Path, row: int, **changes: str) -> int:
    """Append a copy of `row` with some cells changed; return the new row's number."""
    rows = read_rows(path)
    values = dict(zip(rows[0], rows[row - 1], strict=True)) | changes
    return append_row(path, values)


def run_atlas(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m atlas ARGS` in a fresh interpreter, as a person would run it."""
    return subprocess.run(
        [sys.executable, "-m", "atlas", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
