"""What each table holds: its columns, which are required, and what kind of value each takes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, slug, date, iso2, iso2_list, choice, sectors, url, latitude, longitude, integer
    required: bool = True  # the column must be in the header
    nonempty: bool = False  # every row must give a value
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    file: str
    columns: tuple[Column, ...]
    order: tuple[str, ...] = ()  # columns the rows are kept sorted by when the table is written

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


CONFIDENCE_LEVELS = ("high", "medium", "low")
# "unconfirmed": only a single non-official list claims the tie; it keeps its source, is drawn apart,
# left out of the hub's count and can be hidden. Empty means confirmed.
STATUSES = ("confirmed", "unconfirmed", "")
# Ties of a lesser kind than a sister city: drawn and told like the others, but a government does not
# count them among its sister cities, so neither do a hub's count and the summary beside the official one.
# ("friendly relations", a tie whose form no source states, is not among them.)
LESSER_RELATIONS = ("friendly exchange", "friendly cooperation", "memorandum of understanding", "letter of intent")
PRECISIONS = ("point", "region", "country")
# What a second source may claim differently from the row it disputes.
DISPUTED_FIELDS = ("established", "home", "partner", "country", "relation")

PARTNERSHIPS = TableSpec(
    "partnerships.csv",
    (
        Column("id", "slug", nonempty=True),
        Column("home", nonempty=True),
        Column("home_zh"),
        Column("home_level", nonempty=True),
        Column("home_province", required=False),
        Column("home_admin1", required=False),
        Column("home_country", "iso2", nonempty=True),
        Column("partner", nonempty=True),
        Column("partner_zh"),
        Column("partner_level", nonempty=True),
        Column("partner_admin1"),
        Column("country", "iso2", nonempty=True),
        Column("established", "date"),
        Column("relation", nonempty=True),
        Column("relation_zh", required=False),
        Column("confidence", "choice", nonempty=True, choices=CONFIDENCE_LEVELS),
        Column("source_url", "url"),
        Column("source_title", required=False),
        Column("notes"),
        # "yes" marks an undirected pair (imported pair lists): either place can be the hub.
        Column("reciprocal", "choice", required=False, choices=("yes", "")),
        Column("status", "choice", required=False, choices=STATUSES),
    ),
)

EVENTS = TableSpec(
    "events.csv",
    (
        Column("partnership_id", "slug", nonempty=True),
        Column("date", "date"),
        Column("kind", nonempty=True),
        Column("sectors", "sectors", nonempty=True),
        Column("summary", nonempty=True),
        Column("summary_zh", required=False),
        Column("institutions"),
        Column("source_url", "url"),
        Column("source_title", required=False),
    ),
)

SECTORS = TableSpec(
    "sectors.csv",
    (
        Column("sector", "slug", nonempty=True),
        Column("label_en", nonempty=True),
        Column("label_zh", nonempty=True),
        Column("keywords_en", nonempty=True),
        Column("keywords_zh", nonempty=True),
    ),
)

FACTS = TableSpec(
    "facts.csv",
    (
        Column("id", "slug", nonempty=True),
        Column("hub", nonempty=True),
        Column("date", "date", nonempty=True),
        # "count": an official count of the hub's sister-city ties, set beside what the map shows.
        Column(
            "kind", "choice", nonempty=True, choices=("figure", "count", "milestone", "visit", "forum", "agreement")
        ),
        Column("partnership_id", "slug"),
        Column("value", "integer"),
        Column("caption_en", nonempty=True),
        Column("caption_zh", nonempty=True),
        Column("countries", "iso2_list"),
        Column("sectors", "sectors"),
        Column("source_url", "url"),
        Column("source_title", required=False),
    ),
)

# A claim of another source that disagrees with a partnership's row: both are kept and shown, never settled.
CONFLICTS = TableSpec(
    "conflicts.csv",
    (
        Column("partnership_id", "slug", nonempty=True),
        Column("field", "choice", nonempty=True, choices=DISPUTED_FIELDS),
        Column("value", nonempty=True),
        Column("value_zh", required=False),
        Column("source_url", "url"),
        Column("source_title", required=False),
        Column("note"),
    ),
)

PLACES = TableSpec(
    "places.csv",
    (
        Column("name", nonempty=True),
        Column("admin1"),
        Column("country", "iso2", nonempty=True),
        Column("lat", "latitude", nonempty=True),
        Column("lon", "longitude", nonempty=True),
        Column("precision", "choice", nonempty=True, choices=PRECISIONS),
        Column("source", nonempty=True),
    ),
    order=("country", "name", "admin1"),
)

PLACE_OVERRIDES = TableSpec(
    "place_overrides.csv",
    (
        Column("name", nonempty=True),
        Column("admin1"),
        Column("country", "iso2", nonempty=True),
        Column("lat", "latitude", nonempty=True),
        Column("lon", "longitude", nonempty=True),
        Column("precision", "choice", nonempty=True, choices=PRECISIONS),
        Column("note"),
    ),
)

# Tables a data directory must hold, and those it may hold.
REQUIRED_TABLES = (PARTNERSHIPS, EVENTS, SECTORS, PLACES)
OPTIONAL_TABLES = (FACTS, CONFLICTS, PLACE_OVERRIDES)
TABLES = {spec.file: spec for spec in REQUIRED_TABLES + OPTIONAL_TABLES}
