"""Check a data directory and report every problem by file, row and column. Never writes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from atlas.dates import parse_partial_date
from atlas.errors import DataError, Problem
from atlas.places.countries import COUNTRY_CODES
from atlas.places.names import fold
from atlas.schema import (
    CONFLICTS,
    EVENTS,
    FACTS,
    OPTIONAL_TABLES,
    PARTNERSHIPS,
    PLACE_OVERRIDES,
    PLACES,
    REQUIRED_TABLES,
    SECTORS,
    Column,
    TableSpec,
)
from atlas.tables import CONTROL_CHARACTERS, parse_table

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Any of CONTROL_CHARACTERS, found by the regular expression engine rather than char by char.
# The error `geocode` itself resolves.
NOT_GEOCODED = "is not geocoded"
CONTROL_PATTERN = re.compile("[" + re.escape("".join(sorted(CONTROL_CHARACTERS))) + "]")


def place_key(name: str, admin1: str, country: str) -> tuple[str, str, str]:
    return (name.strip(), admin1.strip(), country.strip().upper())


def partnership_key(home: str, home_country: str, partner: str, country: str) -> tuple[str, str, str, str]:
    """What makes two partnerships the same: folded names and both countries.

    Homes of the same name in different countries (Melle, BE and Melle, FR) are different homes."""
    return (fold(home), home_country, fold(partner), country)


def partner_place_keys(partnerships: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            place_key(*values)
            for values in partnerships[["partner", "partner_admin1", "country"]].itertuples(index=False)
        ],
        index=partnerships.index,
        dtype=object,
    )


def home_place_keys(partnerships: pd.DataFrame) -> pd.Series:
    admin1 = partnerships["home_admin1"] if "home_admin1" in partnerships else pd.Series("", index=partnerships.index)
    return pd.Series(
        [
            place_key(home, region, country)
            for home, region, country in zip(partnerships["home"], admin1, partnerships["home_country"], strict=True)
        ],
        index=partnerships.index,
        dtype=object,
    )


def check_value(column: Column, value: str, sectors: set[str] | None) -> str | None:
    """The message for one bad cell, or None when the value is acceptable."""
    if CONTROL_PATTERN.search(value):
        if "\r\n" in value and not CONTROL_PATTERN.search(value.replace("\r\n", "\n")):
            return (
                "holds a Windows line break (CRLF) inside a multi-line cell: break lines in a cell "
                "with a plain line feed (LF), as the rest of the file does"
            )
        return "holds a control character"
    if not value:
        return "is empty" if column.nonempty else None
    kind = column.kind
    if kind == "slug" and not SLUG.fullmatch(value):
        return f"{value!r} is not an id: use lower-case letters, digits and hyphens"
    if kind == "date":
        try:
            parse_partial_date(value)
        except ValueError as error:
            return str(error)
    if kind == "iso2" and value not in COUNTRY_CODES:
        return f"{value!r} is not an ISO 3166-1 alpha-2 country code"
    if kind == "iso2_list":
        unknown = [code for code in value.split(";") if code.strip() not in COUNTRY_CODES]
        if unknown:
            return f"{', '.join(map(repr, unknown))} not ISO 3166-1 alpha-2 country code(s)"
    if kind == "choice" and value not in column.choices:
        return f"{value!r} is not one of {', '.join(column.choices)}"
    if kind == "sectors" and sectors is not None:
        unknown = [name for name in value.split(";") if name.strip() not in sectors]
        if unknown:
            return f"{', '.join(map(repr, unknown))} not in sectors.csv"
    if kind == "url" and not re.match(r"https?://[^\s]+$", value):
        return f"{value!r} is not an http(s) address"
    if kind in ("latitude", "longitude"):
        limit = 90 if kind == "latitude" else 180
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        if not -limit <= number <= limit:
            return f"{value} is outside -{limit}..{limit}"
    if kind == "integer" and not re.fullmatch(r"\d+", value):
        return f"{value!r} is not a whole number"
    return None


def check_table(spec: TableSpec, frame: pd.DataFrame, sectors: set[str] | None = None) -> list[Problem]:
    problems = [
        Problem(spec.file, 1, name, "required column is missing") for name in spec.required if name not in frame
    ]
    for column in spec.columns:
        if column.name not in frame:
            continue
        values = frame[column.name]
        # Each distinct value is checked once: a 25,000-row table repeats most of its values.
        messages = {value: check_value(column, value, sectors) for value in values.unique()}
        bad = {value: message for value, message in messages.items() if message}
        if bad:
            for row, value in values[values.isin(list(bad))].items():
                problems.append(Problem(spec.file, row, column.name, bad[value]))
    return problems


def undated_warnings(spec: TableSpec, frame: pd.DataFrame, column: str) -> list[Problem]:
    if column not in frame:
        return []
    return [
        Problem(spec.file, row, column, "no date: shown as 'date unknown', drawn at the latest year", "warning")
        for row in frame.index[frame[column] == ""]
    ]


def duplicate_problems(spec: TableSpec, keys: pd.Series, what: str, column: str) -> list[Problem]:
    first_row: dict[object, int] = {}
    problems = []
    for row, key in keys.items():
        if key in first_row:
            problems.append(Problem(spec.file, row, column, f"duplicate {what} of row {first_row[key]}"))
        else:
            first_row[key] = row
    return problems


def check_partnerships(frame: pd.DataFrame) -> list[Problem]:
    problems = undated_warnings(PARTNERSHIPS, frame, "established")
    if "id" in frame:
        problems += duplicate_problems(PARTNERSHIPS, frame["id"], "id", "id")
    if {"home", "partner", "country"} <= set(frame.columns):
        home_countries = frame["home_country"] if "home_country" in frame else pd.Series("", index=frame.index)
        keys = pd.Series(
            [
                partnership_key(home, home_country, partner, country)
                for home, home_country, partner, country in zip(
                    frame["home"], home_countries, frame["partner"], frame["country"], strict=True
                )
            ],
            index=frame.index,
        )
        problems += duplicate_problems(PARTNERSHIPS, keys, "partnership (same home, partner and country)", "partner")
    return problems


def check_references(spec: TableSpec, frame: pd.DataFrame, column: str, known: set[str], what: str) -> list[Problem]:
    if column not in frame:
        return []
    return [
        Problem(spec.file, row, column, f"{value!r} is not {what}")
        for row, value in frame[column].items()
        if value and value not in known
    ]


def check_places_cover(partnerships: pd.DataFrame, places: pd.DataFrame) -> list[Problem]:
    if not {"name", "admin1", "country"} <= set(places.columns):
        return []
    cached = {place_key(*values) for values in places[["name", "admin1", "country"]].itertuples(index=False)}
    problems = []
    sides: Iterable[tuple[str, pd.Series]] = (
        ("partner", partner_place_keys(partnerships)),
        ("home", home_place_keys(partnerships)),
    )
    for column, keys in sides:
        for row, key in keys.items():
            if key not in cached:
                name, admin1, country = key
                label = ", ".join(part for part in (name, admin1, country) if part)
                problems.append(
                    Problem(
                        PARTNERSHIPS.file,
                        row,
                        column,
                        f"place {label!r} {NOT_GEOCODED}: run `python -m atlas geocode`",
                    )
                )
    return problems


def read_for_validation(
    files: Mapping[str, bytes], data_dir: Path, spec: TableSpec, problems: list[Problem]
) -> pd.DataFrame | None:
    if spec.file not in files:
        if spec not in OPTIONAL_TABLES:
            problems.append(Problem(spec.file, None, None, f"file not found in {data_dir}"))
        return None
    try:
        return parse_table(spec.file, files[spec.file])
    except DataError as error:
        problems.append(error.problem)
        return None


def validate_directory(data_dir: Path) -> list[Problem]:
    """Every problem in the tables of `data_dir`: errors and warnings, in file order."""
    return validate_tables(data_dir)[0]


def validate_tables(data_dir: Path) -> tuple[list[Problem], dict[str, pd.DataFrame | None]]:
    """Every problem in the tables of `data_dir`, and the tables as read (None where unreadable),
    so that loading does not read them twice."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return [Problem(str(data_dir), None, None, "is not a directory")], {}
    # Imported here: the store validates every change it commits with `validate_files`.
    from atlas.store import DataStore

    return validate_files(DataStore(data_dir).read().files, data_dir)


def validate_files(files: Mapping[str, bytes], data_dir: Path) -> tuple[list[Problem], dict[str, pd.DataFrame | None]]:
    """Every problem in the tables given by their bytes (`files`, by file name; a table missing from it is
    missing from `data_dir`), and the tables as read (None where unreadable)."""
    problems: list[Problem] = []
    frames = {
        spec.file: read_for_validation(files, data_dir, spec, problems) for spec in REQUIRED_TABLES + OPTIONAL_TABLES
    }
    sectors_frame = frames[SECTORS.file]
    sectors = None
    if sectors_frame is not None:
        problems += check_table(SECTORS, sectors_frame)
        if "sector" in sectors_frame:
            sectors = set(sectors_frame["sector"])
            problems += duplicate_problems(SECTORS, sectors_frame["sector"], "sector", "sector")
    partnerships = frames[PARTNERSHIPS.file]
    partnership_ids: set[str] = set()
    if partnerships is not None:
        problems += check_table(PARTNERSHIPS, partnerships, sectors)
        problems += check_partnerships(partnerships)
        if "id" in partnerships:
            partnership_ids = set(partnerships["id"])
    events = frames[EVENTS.file]
    if events is not None:
        problems += check_table(EVENTS, events, sectors)
        problems += undated_warnings(EVENTS, events, "date")
        if partnerships is not None:
            problems += check_references(EVENTS, events, "partnership_id", partnership_ids, "an id in partnerships.csv")
        problems += source_problems(EVENTS, events)
    facts = frames[FACTS.file]
    if facts is not None:
        problems += check_table(FACTS, facts, sectors)
        if "id" in facts:
            problems += duplicate_problems(FACTS, facts["id"], "id", "id")
        if partnerships is not None:
            problems += check_references(FACTS, facts, "partnership_id", partnership_ids, "an id in partnerships.csv")
            hubs = hub_names(partnerships)
            problems += check_references(FACTS, facts, "hub", hubs, "a home or province in partnerships.csv")
        problems += source_problems(FACTS, facts)
    conflicts = frames[CONFLICTS.file]
    if conflicts is not None:
        problems += check_table(CONFLICTS, conflicts)
        problems += disputed_value_problems(conflicts)
        if partnerships is not None:
            problems += check_references(
                CONFLICTS, conflicts, "partnership_id", partnership_ids, "an id in partnerships.csv"
            )
        problems += source_problems(CONFLICTS, conflicts)
    for spec in (PLACES, PLACE_OVERRIDES):
        frame = frames[spec.file]
        if frame is not None:
            problems += check_table(spec, frame)
            if {"name", "admin1", "country"} <= set(frame.columns):
                keys = pd.Series(
                    [place_key(*values) for values in frame[["name", "admin1", "country"]].itertuples(index=False)],
                    index=frame.index,
                )
                problems += duplicate_problems(spec, keys, "place (same name, admin1 and country)", "name")
    places = frames[PLACES.file]
    required_place_columns = {"partner", "partner_admin1", "country", "home", "home_country"}
    if partnerships is not None and places is not None and required_place_columns <= set(partnerships.columns):
        problems += check_places_cover(partnerships, places)
    if partnerships is not None and "source_url" in partnerships:
        problems += source_problems(PARTNERSHIPS, partnerships)
    return problems, frames


def disputed_value_problems(conflicts: pd.DataFrame) -> list[Problem]:
    """A disputed date or country must be one the partnerships table itself could hold."""
    if not {"field", "value"} <= set(conflicts.columns):
        return []
    kinds = {"established": Column("value", "date"), "country": Column("value", "iso2")}
    problems = []
    for row, field_name, value in zip(conflicts.index, conflicts["field"], conflicts["value"], strict=True):
        column = kinds.get(field_name)
        message = check_value(column, value, None) if column and value else None
        if message:
            problems.append(Problem(CONFLICTS.file, row, "value", f"as {field_name}: {message}"))
    return problems


def source_problems(spec: TableSpec, frame: pd.DataFrame) -> list[Problem]:
    """Every fact keeps its source: an address, or a title where the source has no address."""
    if "source_url" not in frame:
        return []
    titles = frame["source_title"] if "source_title" in frame else pd.Series("", index=frame.index)
    missing = (frame["source_url"] == "") & (titles == "")
    return [
        Problem(spec.file, row, "source_url", "no source: give source_url or source_title")
        for row in frame.index[missing]
    ]


def hub_names(partnerships: pd.DataFrame) -> set[str]:
    names = set(partnerships["home"]) if "home" in partnerships else set()
    if "home_province" in partnerships:
        names |= set(partnerships["home_province"]) - {""}
    return names


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)
