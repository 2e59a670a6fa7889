"""`python -m atlas validate`: one line per problem naming file, row and column; never writes.

Each test breaks one thing in a copy of the fixture data and checks the exact problem reported,
that the command prints it and exits 1, and that every file is left byte-for-byte unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from datadir import (
    FIXTURE_DATA,
    append_row,
    cell,
    copy_data,
    copy_row,
    drop_column,
    file_hashes,
    read_rows,
    run_atlas,
    set_cell,
)

from atlas.cli import main
from atlas.errors import Problem
from atlas.validate import has_errors, validate_directory

PARTNERSHIPS = "partnerships.csv"
EVENTS = "events.csv"
FACTS = "facts.csv"
SECTORS = "sectors.csv"
PLACES = "places.csv"
OVERRIDES = "place_overrides.csv"
UNDATED_PARTNERSHIP_ROWS = [16, 23, 45, 56, 67, 68, 69, 72, 79, 80, 81, 82, 84]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def reported_errors(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[Problem]:
    """The errors found in `data_dir`, once the command has printed each, exited 1 and changed no file."""
    before = file_hashes(data_dir)
    problems = validate_directory(data_dir)
    exit_code = main(["validate", "--data", str(data_dir)])
    printed = capsys.readouterr().out.splitlines()
    assert file_hashes(data_dir) == before
    assert printed == [str(problem) for problem in problems]
    assert exit_code == 1
    return [problem for problem in problems if problem.severity == "error"]


def not_geocoded(row: int, column: str, place: str) -> Problem:
    return Problem(PARTNERSHIPS, row, column, f"place {place!r} is not geocoded: run `python -m atlas geocode`")


def edit_lines(path: Path, row: int, edit) -> None:
    """Change the raw bytes of spreadsheet `row` (no quoted line breaks in the fixture data)."""
    lines = path.read_bytes().split(b"\n")
    lines[row - 1] = edit(lines[row - 1])
    path.write_bytes(b"\n".join(lines))


# The fixture data and the command itself


def test_fixture_data_has_no_errors() -> None:
    before = file_hashes(FIXTURE_DATA)
    result = run_atlas("validate", "--data", str(FIXTURE_DATA))
    assert result.returncode == 0, result.stdout
    assert not has_errors(validate_directory(FIXTURE_DATA))
    assert result.stderr.startswith(f"{FIXTURE_DATA}: 0 error(s), ")
    assert file_hashes(FIXTURE_DATA) == before


def test_undated_partnerships_are_warnings_not_errors() -> None:
    undated = [
        problem
        for problem in validate_directory(FIXTURE_DATA)
        if problem.file == PARTNERSHIPS and problem.column == "established"
    ]
    assert [problem.row for problem in undated] == UNDATED_PARTNERSHIP_ROWS
    assert {problem.severity for problem in undated} == {"warning"}
    assert str(undated[0]) == (
        "warning: partnerships.csv row 16 column 'established': "
        "no date: shown as 'date unknown', drawn at the latest year"
    )


def test_removing_a_date_adds_a_warning_and_still_passes(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 5, "established", "")
    assert main(["validate", "--data", str(data_dir)]) == 0
    printed = capsys.readouterr().out
    assert "warning: partnerships.csv row 5 column 'established': no date" in printed


def test_undated_exchange_is_a_warning(data_dir: Path) -> None:
    set_cell(data_dir / EVENTS, 2, "date", "")
    assert Problem(
        EVENTS, 2, "date", "no date: shown as 'date unknown', drawn at the latest year", "warning"
    ) in validate_directory(data_dir)
    assert not has_errors(validate_directory(data_dir))


def test_command_run_as_a_program_prints_the_problem_and_exits_1(data_dir: Path) -> None:
    set_cell(data_dir / PARTNERSHIPS, 5, "established", "2023-02-29")
    before = file_hashes(data_dir)
    result = run_atlas("validate", "--data", str(data_dir))
    assert result.returncode == 1
    assert (
        "error: partnerships.csv row 5 column 'established': '2023-02-29': day 29 does not exist in 2023-02"
        in result.stdout.splitlines()
    )
    assert result.stderr.strip() == f"{data_dir}: 1 error(s), 29 warning(s)"
    assert file_hashes(data_dir) == before


def test_directory_not_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert validate_directory(missing) == [Problem(str(missing), None, None, "is not a directory")]
    assert main(["validate", "--data", str(missing)]) == 1
    assert capsys.readouterr().out == f"error: {missing}: is not a directory\n"


def test_a_file_is_not_a_data_directory(data_dir: Path) -> None:
    path = data_dir / PLACES
    assert validate_directory(path) == [Problem(str(path), None, None, "is not a directory")]


# Whole tables


@pytest.mark.parametrize("table", [PARTNERSHIPS, EVENTS, SECTORS, PLACES])
def test_missing_required_table(data_dir: Path, capsys: pytest.CaptureFixture[str], table: str) -> None:
    (data_dir / table).unlink()
    assert reported_errors(data_dir, capsys) == [Problem(table, None, None, f"file not found in {data_dir}")]


@pytest.mark.parametrize("table", [FACTS, OVERRIDES])
def test_optional_table_may_be_absent(data_dir: Path, table: str) -> None:
    (data_dir / table).unlink()
    assert not has_errors(validate_directory(data_dir))


def test_empty_file(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_dir / EVENTS).write_bytes(b"")
    assert reported_errors(data_dir, capsys) == [Problem(EVENTS, None, None, "file is empty: expected a header row")]


def test_bytes_that_are_not_utf8_are_reported_with_their_row(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_lines(data_dir / EVENTS, 5, lambda line: "Zürich ".encode("latin-1") + line)
    [problem] = reported_errors(data_dir, capsys)
    assert (problem.file, problem.row, problem.column, problem.severity) == (EVENTS, 5, None, "error")
    assert problem.message.startswith("bytes b'\\xfcric' at offset ")
    assert problem.message.endswith("are not UTF-8; save the file as UTF-8")


def test_row_with_a_wrong_number_of_fields(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_lines(data_dir / FACTS, 7, lambda line: line + b",extra")
    assert reported_errors(data_dir, capsys) == [Problem(FACTS, 7, None, "has 13 fields, the header has 12")]


def test_column_named_twice_in_the_header(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_lines(data_dir / SECTORS, 1, lambda header: header.replace(b"label_zh", b"label_en"))
    assert reported_errors(data_dir, capsys) == [Problem(SECTORS, 1, "label_en", "column appears twice in the header")]


def test_empty_column_name_in_the_header(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_lines(data_dir / OVERRIDES, 1, lambda header: header.replace(b"note", b" "))
    assert reported_errors(data_dir, capsys) == [Problem(OVERRIDES, 1, None, "header has an empty column name")]


@pytest.mark.parametrize(
    ("table", "column"),
    [(PARTNERSHIPS, "confidence"), (EVENTS, "summary"), (FACTS, "caption_zh"), (PLACES, "precision")],
)
def test_missing_required_column(data_dir: Path, capsys: pytest.CaptureFixture[str], table: str, column: str) -> None:
    drop_column(data_dir / table, column)
    assert reported_errors(data_dir, capsys) == [Problem(table, 1, column, "required column is missing")]


def test_optional_columns_may_be_absent(data_dir: Path) -> None:
    drop_column(data_dir / PARTNERSHIPS, "relation_zh")
    drop_column(data_dir / EVENTS, "summary_zh")
    assert not has_errors(validate_directory(data_dir))


# Cells


def test_impossible_day_is_rejected_with_row_and_column(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 5, "established", "2023-02-29")
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, 5, "established", "'2023-02-29': day 29 does not exist in 2023-02")
    ]


def test_leap_day_is_accepted(data_dir: Path) -> None:
    set_cell(data_dir / PARTNERSHIPS, 5, "established", "2024-02-29")
    assert not has_errors(validate_directory(data_dir))


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    [
        (EVENTS, 3, "date", "2001-13", "'2001-13': month 13 does not exist"),
        (FACTS, 2, "date", "1882-12", "'1882-12': year 1882 is outside 1900-2100"),
        (PARTNERSHIPS, 3, "established", "1983?", "'1983?' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_date_in_any_table(
    data_dir: Path, capsys: pytest.CaptureFixture[str], table: str, row: int, column: str, value: str, message: str
) -> None:
    set_cell(data_dir / table, row, column, value)
    assert reported_errors(data_dir, capsys) == [Problem(table, row, column, message)]


def test_fact_without_a_date_is_an_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / FACTS, 4, "date", "")
    assert reported_errors(data_dir, capsys) == [Problem(FACTS, 4, "date", "is empty")]


def test_empty_required_value(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / EVENTS, 6, "summary", "  ")
    assert reported_errors(data_dir, capsys) == [Problem(EVENTS, 6, "summary", "is empty")]


def test_control_character(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "notes", "Signed in Shiraz\x07 in 2005")
    assert reported_errors(data_dir, capsys) == [Problem(PARTNERSHIPS, 10, "notes", "holds a control character")]


def test_carriage_return_inside_a_cell_is_a_control_character(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # csv would write it back unquoted and split the row: `geocode` rewrites places.csv
    edit_lines(data_dir / PARTNERSHIPS, 10, lambda line: line.replace(b",Shiraz,", b',"Shi\rraz",'))
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, 10, "partner", "holds a control character"),
        not_geocoded(10, "partner", "Shi\rraz, Fars, IR"),
    ]


def test_windows_line_break_inside_a_multi_line_cell_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "notes", "Signed in Shiraz\r\nin 2005")
    assert reported_errors(data_dir, capsys) == [
        Problem(
            PARTNERSHIPS,
            10,
            "notes",
            "holds a Windows line break (CRLF) inside a multi-line cell: break lines in a cell "
            "with a plain line feed (LF), as the rest of the file does",
        )
    ]


def test_tabs_and_line_breaks_inside_a_cell_are_allowed(data_dir: Path) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "notes", "Signed\tin Shiraz\nin 2005")
    assert not has_errors(validate_directory(data_dir))


@pytest.mark.parametrize("value", ["Chongqing First", "chongqing_first", "chongqing--first", "-chongqing", "重庆"])
def test_bad_slug(data_dir: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    set_cell(data_dir / FACTS, 2, "id", value)
    assert reported_errors(data_dir, capsys) == [
        Problem(FACTS, 2, "id", f"{value!r} is not an id: use lower-case letters, digits and hyphens")
    ]


def test_lower_case_country_code_is_rejected(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 2, "country", "fr")
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, 2, "country", "'fr' is not an ISO 3166-1 alpha-2 country code")
    ]


def test_unknown_country_code_is_rejected_and_its_place_is_not_geocoded(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "home_country", "ZZ")
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, 10, "home_country", "'ZZ' is not an ISO 3166-1 alpha-2 country code"),
        not_geocoded(10, "home", "Chongqing, ZZ"),
    ]


def test_kosovo_code_is_accepted(data_dir: Path) -> None:
    set_cell(data_dir / FACTS, 9, "countries", "ET;ES;XK")
    assert not has_errors(validate_directory(data_dir))


def test_bad_country_code_in_a_list(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / FACTS, 9, "countries", "ET;XX;es")
    assert reported_errors(data_dir, capsys) == [
        Problem(FACTS, 9, "countries", "'XX', 'es' not ISO 3166-1 alpha-2 country code(s)")
    ]


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "choices"),
    [
        (PARTNERSHIPS, 4, "confidence", "certain", "high, medium, low"),
        (FACTS, 3, "kind", "rumour", "figure, count, milestone, visit, forum, agreement"),
        (PLACES, 4, "precision", "exact", "point, region, country"),
    ],
)
def test_value_outside_its_choices(
    data_dir: Path, capsys: pytest.CaptureFixture[str], table: str, row: int, column: str, value: str, choices: str
) -> None:
    set_cell(data_dir / table, row, column, value)
    assert reported_errors(data_dir, capsys) == [Problem(table, row, column, f"{value!r} is not one of {choices}")]


def test_unknown_sector(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / EVENTS, 4, "sectors", "trade;space-travel")
    assert reported_errors(data_dir, capsys) == [Problem(EVENTS, 4, "sectors", "'space-travel' not in sectors.csv")]


def test_unknown_sector_in_facts(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / FACTS, 5, "sectors", "Health")
    assert reported_errors(data_dir, capsys) == [Problem(FACTS, 5, "sectors", "'Health' not in sectors.csv")]


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "www.seattle.gov", "ftp://example.org/file", "https://example.org/a b", "https://"]
)
def test_source_address_must_be_http(data_dir: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    set_cell(data_dir / PARTNERSHIPS, 3, "source_url", value)
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, 3, "source_url", f"{value!r} is not an http(s) address")
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("lat", "91", "91 is outside -90..90"),
        ("lat", "-90.5", "-90.5 is outside -90..90"),
        ("lat", "nan", "nan is outside -90..90"),
        ("lat", "north", "'north' is not a number"),
        ("lon", "180.1", "180.1 is outside -180..180"),
        ("lon", "153,02", "'153,02' is not a number"),
    ],
)
def test_bad_coordinate(
    data_dir: Path, capsys: pytest.CaptureFixture[str], column: str, value: str, message: str
) -> None:
    set_cell(data_dir / PLACES, 5, column, value)
    assert reported_errors(data_dir, capsys) == [Problem(PLACES, 5, column, message)]


def test_bad_coordinate_in_overrides(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / OVERRIDES, 3, "lon", "")
    assert reported_errors(data_dir, capsys) == [Problem(OVERRIDES, 3, "lon", "is empty")]


@pytest.mark.parametrize("value", ["12.5", "-3", "1,000", "about 50"])
def test_bad_whole_number(data_dir: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    set_cell(data_dir / FACTS, 8, "value", value)
    assert reported_errors(data_dir, capsys) == [Problem(FACTS, 8, "value", f"{value!r} is not a whole number")]


# Rows against each other and against other tables


def test_duplicate_partnership_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "id", "chongqing-toronto")
    assert reported_errors(data_dir, capsys) == [Problem(PARTNERSHIPS, 10, "id", "duplicate id of row 4")]


def test_duplicate_fact_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / FACTS, 3, "id", "chongqing-first-sister-city")
    assert reported_errors(data_dir, capsys) == [Problem(FACTS, 3, "id", "duplicate id of row 2")]


def test_duplicate_sector(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = copy_row(data_dir / SECTORS, 3, label_en="Schooling")
    assert reported_errors(data_dir, capsys) == [Problem(SECTORS, row, "sector", "duplicate sector of row 3")]


def test_duplicate_partnership_under_a_new_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = copy_row(data_dir / PARTNERSHIPS, 9, id="chongqing-dusseldorf-again")
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, row, "partner", "duplicate partnership (same home, partner and country) of row 9")
    ]


def test_duplicate_partnership_is_found_across_case_and_accents(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cell(data_dir / PARTNERSHIPS, 9, "partner") == "Düsseldorf"
    row = copy_row(data_dir / PARTNERSHIPS, 9, id="chongqing-dusseldorf-again", home="CHONGQING", partner="dusseldorf")
    assert reported_errors(data_dir, capsys) == [
        Problem(PARTNERSHIPS, row, "partner", "duplicate partnership (same home, partner and country) of row 9"),
        not_geocoded(row, "partner", "dusseldorf, North Rhine-Westphalia, DE"),
        not_geocoded(row, "home", "CHONGQING, CN"),
    ]


def test_same_partner_in_another_country_is_not_a_duplicate(data_dir: Path) -> None:
    row = copy_row(data_dir / PARTNERSHIPS, 3, id="chongqing-seattle-ca", country="CA", partner_admin1="")
    assert [problem for problem in validate_directory(data_dir) if problem.severity == "error"] == [
        not_geocoded(row, "partner", "Seattle, CA")
    ]


def test_exchange_of_an_unknown_partnership(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / EVENTS, 2, "partnership_id", "chongqing-atlantis")
    assert reported_errors(data_dir, capsys) == [
        Problem(EVENTS, 2, "partnership_id", "'chongqing-atlantis' is not an id in partnerships.csv")
    ]


def test_fact_about_an_unknown_partnership(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / FACTS, 5, "partnership_id", "chongqing-atlantis")
    assert reported_errors(data_dir, capsys) == [
        Problem(FACTS, 5, "partnership_id", "'chongqing-atlantis' is not an id in partnerships.csv")
    ]


def test_fact_about_an_unknown_hub(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / FACTS, 10, "hub", "Atlantis")
    assert reported_errors(data_dir, capsys) == [
        Problem(FACTS, 10, "hub", "'Atlantis' is not a home or province in partnerships.csv")
    ]


@pytest.mark.parametrize(("table", "row"), [(PARTNERSHIPS, 10), (EVENTS, 31), (FACTS, 18)])
def test_row_without_any_source(data_dir: Path, capsys: pytest.CaptureFixture[str], table: str, row: int) -> None:
    set_cell(data_dir / table, row, "source_url", "")
    set_cell(data_dir / table, row, "source_title", "")
    assert reported_errors(data_dir, capsys) == [
        Problem(table, row, "source_url", "no source: give source_url or source_title")
    ]


def test_source_title_alone_is_enough(data_dir: Path) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "source_url", "")
    set_cell(data_dir / PARTNERSHIPS, 10, "source_title", "Shiraz municipality, sister cities page")
    assert not has_errors(validate_directory(data_dir))


def test_partner_not_geocoded(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "partner", "Persepolis")
    assert reported_errors(data_dir, capsys) == [not_geocoded(10, "partner", "Persepolis, Fars, IR")]


def test_home_not_geocoded(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "home", "Wanzhou")
    assert reported_errors(data_dir, capsys) == [not_geocoded(10, "home", "Wanzhou, CN")]


def test_problem_with_a_line_break_in_its_place_stays_on_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(data_dir / PARTNERSHIPS, 10, "partner", "Shi\nraz")
    [problem] = reported_errors(data_dir, capsys)
    assert str(problem) == (
        "error: partnerships.csv row 10 column 'partner': "
        "place 'Shi\\nraz, Fars, IR' is not geocoded: run `python -m atlas geocode`"
    )


def test_place_removed_from_the_cache_is_reported_for_every_row_using_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = read_rows(data_dir / PLACES)
    without_vienna = [row for row in rows if row[0] != "Vienna"]
    assert len(without_vienna) == len(rows) - 1
    (data_dir / PLACES).write_text("".join(",".join(row) + "\n" for row in without_vienna), encoding="utf-8")
    vienna_rows = [
        number for number, row in enumerate(read_rows(data_dir / PARTNERSHIPS), start=1) if row[6] == "Vienna"
    ]
    assert vienna_rows
    assert reported_errors(data_dir, capsys) == [not_geocoded(row, "partner", "Vienna, AT") for row in vienna_rows]


@pytest.mark.parametrize("table", [PLACES, OVERRIDES])
def test_duplicate_place(data_dir: Path, capsys: pytest.CaptureFixture[str], table: str) -> None:
    row = copy_row(data_dir / table, 3, lat="0", lon="0")
    assert reported_errors(data_dir, capsys) == [
        Problem(table, row, "name", "duplicate place (same name, admin1 and country) of row 3")
    ]


def test_every_problem_is_reported_not_just_the_first(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_dir / PARTNERSHIPS, 5, "established", "2023-02-29")
    set_cell(data_dir / EVENTS, 4, "sectors", "space-travel")
    append_row(data_dir / PLACES, {"name": "Nowhere", "country": "ZZ", "lat": "0", "lon": "0"})
    errors = reported_errors(data_dir, capsys)
    assert [(problem.file, problem.row, problem.column) for problem in errors] == [
        (PARTNERSHIPS, 5, "established"),
        (EVENTS, 4, "sectors"),
        (PLACES, 101, "country"),
        (PLACES, 101, "precision"),
        (PLACES, 101, "source"),
    ]
