"""`python -m atlas import-pairs FILE --out DIR`: a list of twinned city pairs as a data directory.

The input is a CSV of undirected pairs with coordinates and country names
(`city1,country1,lat1,lng1,city2,country2,lat2,lng2`, as in the world list of Wikipedia's
twin towns). It holds no dates and no sectors, so the directory written has none either and the
app says so beside the idle controls.

What the import decides:
- Countries are names ("Albania", "England, United Kingdom"); they are mapped to ISO 3166-1 alpha-2
  by `atlas.places.countries.country_code`. A row whose country cannot be mapped is left out and
  reported by file, row and column.
- A place is a name in a country at some coordinates. The same name in one country within
  SAME_PLACE_KM is one place (lists disagree by a few hundred metres); farther apart, they are
  different places and both are kept, each with its coordinates ("55.78°N 4.04°W") as the admin1
  label, so that their place keys, hub ids and map markers stay apart.
- Each pair is written once, marked `reciprocal`: either city can be chosen as the hub. A pair seen
  again, in the same or the reversed order, is merged and counted.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from slugify import slugify

from atlas.errors import AtlasError, Problem
from atlas.paths import DEFAULT_DATA_DIR
from atlas.places.countries import country_code
from atlas.schema import EVENTS, PARTNERSHIPS, PLACES, SECTORS
from atlas.tables import CONTROL_CHARACTERS, read_table, write_table
from atlas.validate import has_errors, partnership_key, validate_directory

SAME_PLACE_KM = 25.0
MAX_ID_LENGTH = 60
RELATION = "twin town"
CONFIDENCE = "medium"  # a compiled list: one source, not checked pair by pair
INPUT_COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
PARTNERSHIP_COLUMNS = [column.name for column in PARTNERSHIPS.columns]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def coordinate_label(lat: float, lon: float) -> str:
    return f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'} {abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"


@dataclass
class Place:
    name: str
    country: str
    lat: float
    lon: float
    admin1: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.name, self.admin1, self.country)


@dataclass
class ImportReport:
    rows: int = 0
    pairs: int = 0
    places: int = 0
    names_kept_apart: list[tuple[str, str, int]] = field(default_factory=list)  # name, country, places
    duplicates: int = 0
    reversed_duplicates: int = 0
    turned: int = 0  # pairs written partner-first so that no two rows look alike to validation
    skipped: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        examples = ", ".join(f"{name} ({country}) ×{count}" for name, country, count in self.names_kept_apart[:5])
        return [
            *(str(problem) for problem in self.skipped),
            f"import-pairs: {self.rows} row(s) read, {self.pairs} pair(s) written between {self.places} place(s)",
            f"import-pairs: {self.duplicates} duplicate pair(s) merged, {self.reversed_duplicates} of them reversed",
            f"import-pairs: {len(self.names_kept_apart)} name(s) stand for places far apart in one country, "
            f"kept apart with their coordinates as admin1{f' (e.g. {examples})' if examples else ''}",
            f"import-pairs: {len(self.skipped)} row(s) left out",
        ]


class PlaceBook:
    """Every place met, by name and country; close coordinates are the same place."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], list[Place]] = {}

    def place(self, name: str, country: str, lat: float, lon: float) -> Place:
        candidates = self.by_name.setdefault((name, country), [])
        for candidate in candidates:
            if distance_km(lat, lon, candidate.lat, candidate.lon) <= SAME_PLACE_KM:
                return candidate
        found = Place(name, country, lat, lon)
        candidates.append(found)
        return found

    def label_namesakes(self) -> list[tuple[str, str, int]]:
        """Give places that share a name in one country their coordinates as admin1."""
        shared = []
        for (name, country), places in self.by_name.items():
            if len(places) > 1:
                shared.append((name, country, len(places)))
                for place in places:
                    place.admin1 = coordinate_label(place.lat, place.lon)
        return shared

    def all(self) -> list[Place]:
        return [place for places in self.by_name.values() for place in places]


def side(record: dict[str, str], number: str) -> tuple[str, str, str, str]:
    return record[f"city{number}"], record[f"country{number}"], record[f"lat{number}"], record[f"lng{number}"]


def read_side(
    file: str, row: int, record: dict[str, str], number: str, book: PlaceBook, codes: dict[str, str | None]
) -> Place | Problem:
    city, country, lat_text, lon_text = side(record, number)
    if not country and "," in city:
        # "Varna, Bulgaria" with an empty country column
        city, country = (part.strip() for part in city.rsplit(",", 1))
    if any(char in CONTROL_CHARACTERS for char in city + country):
        return Problem(file, row, f"city{number}", "holds a control character: the row is left out", "warning")
    if not city:
        return Problem(file, row, f"city{number}", "is empty: the row is left out", "warning")
    # Without a country the city may itself be one ("American Samoa"): look its own name up.
    asked = country or city
    if asked not in codes:
        codes[asked] = country_code(asked)
    code = codes[asked]
    if code is None:
        what = f"{country!r} is not a country name I know" if country else f"is empty and {city!r} is no country"
        return Problem(
            file,
            row,
            f"country{number}",
            f"{what}: the row is left out (add the name to COUNTRY_ALIASES in atlas/places/countries.py)",
            "warning",
        )
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return Problem(file, row, f"lat{number}", f"{lat_text!r}, {lon_text!r} are not coordinates", "warning")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        return Problem(file, row, f"lat{number}", f"{lat_text}, {lon_text} is off the globe", "warning")
    return book.place(city, code, lat, lon)


def unique_id(home: str, partner: str, taken: set[str]) -> str:
    base = slugify(f"{home} {partner}", max_length=MAX_ID_LENGTH, word_boundary=True) or "pair"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def read_pairs(path: Path) -> tuple[list[tuple[int, Place, Place]], PlaceBook, ImportReport]:
    table = read_table(path)
    missing = [column for column in INPUT_COLUMNS if column not in table]
    if missing:
        raise AtlasError(f"{path.name} row 1: missing column(s) {', '.join(missing)}")
    report = ImportReport(rows=len(table))
    book = PlaceBook()
    codes: dict[str, str | None] = {}
    pairs: list[tuple[int, Place, Place]] = []
    seen: dict[tuple[int, int], tuple[int, int]] = {}  # unordered pair of places -> (row, id of first place)
    for row, record in zip(table.index, table[list(INPUT_COLUMNS)].to_dict("records"), strict=True):
        first = read_side(path.name, row, record, "1", book, codes)
        second = read_side(path.name, row, record, "2", book, codes)
        problem = next((found for found in (first, second) if isinstance(found, Problem)), None)
        if problem:
            report.skipped.append(problem)
            continue
        assert isinstance(first, Place) and isinstance(second, Place)
        if first is second:
            report.skipped.append(
                Problem(path.name, row, "city2", f"pairs {first.name!r} with itself: the row is left out", "warning")
            )
            continue
        pair = (min(id(first), id(second)), max(id(first), id(second)))
        if pair in seen:
            report.duplicates += 1
            report.reversed_duplicates += seen[pair][1] != id(first)
            continue
        seen[pair] = (row, id(first))
        pairs.append((row, first, second))
    return pairs, book, report


def oriented(file: str, pairs: list[tuple[int, Place, Place]], report: ImportReport) -> list[tuple[Place, Place]]:
    """Each pair with the first city as home, turned round where `validate` would otherwise see two
    rows with the same home, partner and countries (two places of one name in one country twinned with
    the same city). Where both ways collide the row is left out."""
    taken: dict[tuple[str, str, str, str], int] = {}
    written = []
    for row, home, partner in pairs:
        key = partnership_key(home.name, home.country, partner.name, partner.country)
        if key in taken:
            turned = partnership_key(partner.name, partner.country, home.name, home.country)
            if turned in taken:
                report.skipped.append(
                    Problem(
                        file,
                        row,
                        "city2",
                        f"{home.name} ({home.country}) – {partner.name} ({partner.country}) looks like row "
                        f"{taken[key]} to `validate` either way round (same names, same countries): "
                        "the row is left out",
                        "warning",
                    )
                )
                continue
            home, partner, key = partner, home, turned
            report.turned += 1
        taken[key] = row
        written.append((home, partner))
    return written


def import_pairs(
    source: Path,
    out: Path,
    source_title: str | None = None,
    source_url: str = "",
    force: bool = False,
) -> ImportReport:
    """Write the data directory `out` from the pair list `source`; return what was done."""
    source, out = Path(source), Path(out)
    if out.resolve() == DEFAULT_DATA_DIR.resolve():
        raise AtlasError(f"{out}: import-pairs never writes into the project's own data directory")
    tables = [spec.file for spec in (PARTNERSHIPS, EVENTS, SECTORS, PLACES)]
    if not force and out.exists() and any((out / name).exists() for name in tables):
        raise AtlasError(f"{out} already holds a data directory: choose another --out, or --force to replace it")
    pairs, book, report = read_pairs(source)
    report.names_kept_apart = book.label_namesakes()
    written = oriented(source.name, pairs, report)
    title = source_title or f"{source.name} (pair list)"
    ids: set[str] = set()
    rows = []
    for home, partner in written:
        rows.append(
            {
                "id": unique_id(home.name, partner.name, ids),
                "home": home.name,
                "home_zh": "",
                "home_level": "city",
                "home_province": "",
                "home_admin1": home.admin1,
                "home_country": home.country,
                "partner": partner.name,
                "partner_zh": "",
                "partner_level": "city",
                "partner_admin1": partner.admin1,
                "country": partner.country,
                "established": "",
                "relation": RELATION,
                "relation_zh": "",
                "confidence": CONFIDENCE,
                "source_url": source_url,
                "source_title": title,
                "notes": "",
                "reciprocal": "yes",
            }
        )
    used = {place.key: place for home, partner in written for place in (home, partner)}
    places = [
        {
            "name": place.name,
            "admin1": place.admin1,
            "country": place.country,
            "lat": f"{place.lat:.5f}",
            "lon": f"{place.lon:.5f}",
            "precision": "point",
            "source": source.name,
        }
        for place in used.values()
    ]
    report.pairs, report.places = len(rows), len(places)
    out.mkdir(parents=True, exist_ok=True)
    write_table(pd.DataFrame(rows, columns=PARTNERSHIP_COLUMNS), out / PARTNERSHIPS.file)
    write_table(pd.DataFrame(places, columns=[column.name for column in PLACES.columns]), out / PLACES.file)
    for spec in (EVENTS, SECTORS):
        write_table(pd.DataFrame(columns=[column.name for column in spec.columns]), out / spec.file)
    # The licence and notes that came with the list travel with the data.
    for name in ("LICENSE", "README.md"):
        if (source.parent / name).is_file():
            shutil.copyfile(source.parent / name, out / (name if name == "LICENSE" else "SOURCE.md"))
    return report


def run_import_pairs(args: argparse.Namespace) -> int:
    report = import_pairs(args.file, args.out, args.source_title, args.source_url or "", args.force)
    for line in report.lines():
        print(line, file=sys.stderr)
    problems = validate_directory(args.out)
    for problem in problems:
        if problem.severity == "error":
            print(problem, file=sys.stderr)
    if has_errors(problems):
        print(f"import-pairs: {args.out} does not validate", file=sys.stderr)
        return 1
    print(args.out)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import-pairs",
        help="turn a list of twinned city pairs (no dates, no sectors) into a data directory",
        description=(
            "Read a CSV of undirected pairs (city1,country1,lat1,lng1,city2,country2,lat2,lng2) and write a data "
            "directory the app serves through ATLAS_DATA_DIR. Rows that cannot be read are reported and left out."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the pair list, UTF-8 CSV")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="the data directory to write")
    parser.add_argument("--source-title", metavar="TEXT", help="source of every pair (default: the file's name)")
    parser.add_argument("--source-url", metavar="URL", help="address of the source")
    parser.add_argument("--force", action="store_true", help="replace the tables of an existing directory")
    parser.set_defaults(run=run_import_pairs)
