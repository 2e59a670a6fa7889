"""Random input through the pure functions: they answer, or fail with the project's own clear errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from datadir import copy_data, file_hashes, read_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.dates import PartialDate, parse_partial_date
from atlas.errors import DataError, Problem
from atlas.schema import OPTIONAL_TABLES, REQUIRED_TABLES
from atlas.tables import read_table, table_to_csv
from atlas.validate import validate_directory

TABLE_FILES = [spec.file for spec in REQUIRED_TABLES + OPTIONAL_TABLES]
FILE_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a UTF-8 file can hold: every character but lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
AWKWARD_CELLS = st.sampled_from(
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        '=HYPERLINK("http://x")',
        '"',
        '""',
        ",",
        ";",
        ";;",
        "\x00",
        "\x07",
        "\x1b[2J",
        "\r",
        "\n",
        "a\r\nb",
        "\ufeff",
        "\u202e",
        "٢٠٠٤",
        "2023-02-29",
        "2024-02-29",
        "1899",
        "2004-13",
        "ZZ",
        "XK",
        "cn",
        "CN;ZZ;",
        "trade;;",
        "-91",
        "nan",
        "inf",
        "1e999",
        "0x10",
        "重庆",
        "Düsseldorf",
        "DÜSSELDORF",
    ]
)
CELLS = st.one_of(AWKWARD_CELLS, ANY_TEXT)
BOM = "\ufeff".encode()


def csv_text(rows: list[list[str]], quoting: int = csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=quoting).writerows(rows)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the fixture data for the module: each example puts back what it changes."""
    return copy_data(tmp_path_factory.mktemp("properties"))


@pytest.fixture(scope="module")
def scratch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scratch")


@contextmanager
def replaced(path: Path, content: bytes) -> Iterator[None]:
    """`path` holds `content` inside the block and its original bytes again after it."""
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        yield
    finally:
        path.write_bytes(original)


def assert_well_formed(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.file in TABLE_FILES
        assert problem.row is None or problem.row >= 1
        assert problem.column is None or isinstance(problem.column, str)
        assert problem.severity in ("error", "warning")
        assert problem.message
        assert str(problem).startswith(f"{problem.severity}: {problem.file}")
        assert "\n" not in problem.message


# Dates


@given(ANY_TEXT)
@settings(max_examples=300)
def test_any_text_is_a_date_or_a_value_error_quoting_it(text: str) -> None:
    try:
        date = parse_partial_date(text)
    except ValueError as error:
        assert repr(text) in str(error)
    else:
        assert date.iso() == text.strip()


@given(st.from_regex(r"\s*[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\s*", fullmatch=True))
@settings(max_examples=300)
def test_date_shaped_text_parses_or_names_the_impossible_part(text: str) -> None:
    try:
        date = parse_partial_date(text)
    except ValueError as error:
        assert any(part in str(error) for part in ("year", "month", "day"))
    else:
        assert isinstance(date, PartialDate)
        assert date.display("en")
        assert date.display("zh").startswith(f"{date.year}年")


# Reading tables


@given(st.one_of(st.binary(max_size=400), st.binary(max_size=400).map(lambda content: BOM + content)))
@FILE_SETTINGS
def test_any_bytes_read_as_a_table_or_raise_a_data_error(scratch_dir: Path, content: bytes) -> None:
    path = scratch_dir / "random.csv"
    path.write_bytes(content)
    try:
        frame = read_table(path)
    except DataError as error:
        assert error.problem.file == "random.csv"
        return
    assert all(isinstance(name, str) and name for name in frame.columns)
    assert frame.columns.is_unique
    assert all(isinstance(value, str) for value in frame.to_numpy().ravel())
    assert all(row >= 2 for row in frame.index)


@given(st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=8))
@FILE_SETTINGS
def test_random_rows_read_as_a_table_or_raise_a_data_error(scratch_dir: Path, rows: list[list[str]]) -> None:
    path = scratch_dir / "random.csv"
    path.write_text(csv_text(rows, csv.QUOTE_ALL), encoding="utf-8")
    try:
        frame = read_table(path)
    except DataError as error:
        assert error.problem.file == "random.csv"
        return
    assert list(frame.columns) == [name.strip() for name in rows[0]]


@st.composite
def string_tables(draw: st.DrawFn) -> pd.DataFrame:
    """Frames as the project writes them: unique stripped column names, stripped cells with no
    carriage return (validation rejects one), no blank rows (reading skips them)."""
    name = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff"), min_size=1)
    header = draw(st.lists(name.map(str.strip).filter(bool), min_size=1, max_size=4, unique=True))
    cell = CELLS.map(str.strip).filter(lambda value: "\r" not in value)
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)).filter(any), max_size=5))
    return pd.DataFrame(rows, columns=header, dtype=object)


@given(string_tables())
@FILE_SETTINGS
def test_written_table_reads_back_as_the_same_strings(scratch_dir: Path, frame: pd.DataFrame) -> None:
    path = scratch_dir / "written.csv"
    path.write_text(table_to_csv(frame), encoding="utf-8")
    assert read_table(path).reset_index(drop=True).equals(frame)


# Validating a directory


@st.composite
def rows_for_a_table(draw: st.DrawFn, data_dir: Path) -> tuple[str, list[list[str]]]:
    """A table of the data directory and rows to add to it: each cell a value its column already
    holds somewhere (so rows reach the cross-table checks) or something awkward."""
    table = draw(st.sampled_from(TABLE_FILES))
    existing = read_rows(data_dir / table)[1:]
    columns = list(zip(*existing, strict=True))
    row = st.tuples(*(st.one_of(st.sampled_from(values), CELLS) for values in columns)).map(list)
    return table, draw(st.lists(row, min_size=1, max_size=4))


@given(data=st.data())
@FILE_SETTINGS
def test_random_rows_in_any_table_give_problems_never_a_crash(data_dir: Path, data: st.DataObject) -> None:
    table, rows = data.draw(rows_for_a_table(data_dir))
    path = data_dir / table
    with replaced(path, path.read_bytes() + csv_text(rows).encode()):
        before = file_hashes(data_dir)
        problems = validate_directory(data_dir)
        assert file_hashes(data_dir) == before
    assert_well_formed(problems)


@given(
    table=st.sampled_from(TABLE_FILES),
    header=st.lists(st.one_of(AWKWARD_CELLS, ANY_TEXT, st.sampled_from(["id", "name", "country", "date"])), min_size=1),
    rows=st.lists(st.lists(CELLS, max_size=6), max_size=4),
)
@FILE_SETTINGS
def test_random_header_and_rows_in_any_table_give_problems_never_a_crash(
    data_dir: Path, table: str, header: list[str], rows: list[list[str]]
) -> None:
    with replaced(data_dir / table, csv_text([header, *rows]).encode()):
        problems = validate_directory(data_dir)
    assert_well_formed(problems)


@given(table=st.sampled_from(TABLE_FILES), content=st.binary(max_size=300))
@FILE_SETTINGS
def test_random_bytes_as_any_table_give_problems_never_a_crash(data_dir: Path, table: str, content: bytes) -> None:
    with replaced(data_dir / table, content):
        problems = validate_directory(data_dir)
    assert_well_formed(problems)
