"""Items under review, and the table rows they become.

An item is a JSON object the page keeps and sends back:
`{"key", "table": "partnerships"|"events", "action": "add"|"change"|"remove", "fields": {...},
"original": {...} (the row as it was, for a change or a removal), "origin": {"kind", "label"},
"evidence": {"text", "start", "end"} | None, "confidence", "reason", "warnings": [...],
"located": {"partner": {...}|None, "home": {...}|None}, "status": "pending"|"accepted"|"rejected"}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from slugify import slugify

from atlas.geocode import ChainGeocoder, locate, place_kind
from atlas.schema import EVENTS, PARTNERSHIPS
from atlas.validate import fold, partnership_key, place_key

PARTNERSHIP_FIELDS = (
    "home",
    "home_zh",
    "partner",
    "partner_zh",
    "partner_admin1",
    "country",
    "established",
    "relation",
    "relation_zh",
    "confidence",
    "source_url",
    "source_title",
    "notes",
)
EVENT_FIELDS = (
    "partnership_id",
    "date",
    "kind",
    "sectors",
    "summary",
    "summary_zh",
    "institutions",
    "source_url",
    "source_title",
)
FIELDS = {"partnerships": PARTNERSHIP_FIELDS, "events": EVENT_FIELDS}
FILES = {"partnerships": PARTNERSHIPS.file, "events": EVENTS.file}
DEFAULT_RELATION = ("sister city", "友好城市")
DEFAULT_CONFIDENCE = "medium"
MAX_ITEMS = 5_000
HOME_FIELDS = ("home_zh", "home_level", "home_province", "home_admin1", "home_country")


def new_item(
    key: str,
    table: str,
    action: str,
    fields: dict[str, str],
    origin: dict[str, str],
    original: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "key": key,
        "table": table,
        "action": action,
        "fields": fields,
        "original": original,
        "origin": origin,
        "evidence": None,
        "confidence": "",
        "reason": "",
        "warnings": [],
        "located": {},
        "status": "pending",
    }
    item.update(extra)
    return item


def clean_items(items: object) -> list[dict[str, Any]]:
    """The items the page sent, each checked for shape: what comes from a browser may be anything."""
    if not isinstance(items, list):
        return []
    cleaned = []
    for item in items[:MAX_ITEMS]:
        if not isinstance(item, dict) or item.get("table") not in FIELDS:
            continue
        if item.get("action") not in ("add", "change", "remove"):
            continue
        fields = item.get("fields")
        original = item.get("original")
        if not isinstance(fields, dict) or (original is not None and not isinstance(original, dict)):
            continue
        item = dict(item)
        item["fields"] = {str(k): clean_text(v) for k, v in fields.items()}
        item["original"] = {str(k): clean_text(v) for k, v in original.items()} if original else None
        cleaned.append(item)
    return cleaned


def clean_text(value: object) -> str:
    """A field as text, trimmed as the tables are read (inner spaces kept: an original row must match)."""
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


# --- Homes, ids and places --------------------------------------------------------------------------


@dataclass
class Homes:
    """The homes the data knows, by name in English or Chinese (folded)."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, partnerships: pd.DataFrame) -> Homes:
        homes = cls()
        for record in partnerships.to_dict("records"):
            details = {column: record.get(column, "") for column in ("home", *HOME_FIELDS)}
            for name in (record["home"], record.get("home_zh", "")):
                if name:
                    homes.rows.setdefault(fold(name), details)
        return homes

    def find(self, name: str) -> dict[str, str] | None:
        return self.rows.get(fold(name))


def home_details(fields: dict[str, str], homes: Homes) -> tuple[dict[str, str], str | None]:
    """The home columns for the home a row names; a home the data does not know yet is a Chinese city."""
    known = homes.find(fields.get("home", ""))
    if known:
        return dict(known), None
    details = {
        "home": fields.get("home", ""),
        "home_zh": fields.get("home_zh", ""),
        "home_level": "city",
        "home_province": "",
        "home_admin1": "",
        "home_country": "CN",
    }
    return details, f"{details['home']!r} is a new home: it is taken as a city in China"


def partnership_id(home: str, partner: str, country: str, taken: set[str]) -> str:
    wanted = slugify(f"{home}-{partner}") or "partnership"
    for candidate in (wanted, slugify(f"{wanted}-{country}"), *(f"{wanted}-{n}" for n in range(2, 1000))):
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free id for {home}-{partner}")


def partnership_row(
    fields: dict[str, str], columns: list[str], homes: Homes, taken: set[str]
) -> tuple[dict[str, str], list[str]]:
    """A whole partnerships.csv row for the fields a person gave, and notes about what was filled in."""
    notes = []
    home, note = home_details(fields, homes)
    if note:
        notes.append(note)
    row = {column: "" for column in columns}
    row.update({k: v for k, v in fields.items() if k in columns})
    row.update({k: v for k, v in home.items() if k in columns and not (k == "home_zh" and fields.get("home_zh"))})
    row["home"] = home["home"]
    row["country"] = row.get("country", "").upper()
    row.setdefault("partner_level", "")
    row["partner_level"] = fields.get("partner_level") or row["partner_level"] or "city"
    row["relation"] = row.get("relation") or DEFAULT_RELATION[0]
    if "relation_zh" in columns and not row.get("relation_zh") and row["relation"] == DEFAULT_RELATION[0]:
        row["relation_zh"] = DEFAULT_RELATION[1]
    row["confidence"] = row.get("confidence") or DEFAULT_CONFIDENCE
    row["id"] = fields.get("id") or partnership_id(row["home"], row["partner"], row["country"], taken)
    return row, notes


def place_rows(
    row: dict[str, str], known: set[tuple[str, str, str]], geocoder: ChainGeocoder
) -> tuple[list[dict[str, str]], list[str], dict[str, Any]]:
    """places.csv rows for the partner and home of `row` not yet in `known`, found offline; what was not found."""
    added, missing, located = [], [], {}
    sides = (
        ("partner", row["partner"], row.get("partner_admin1", ""), row["country"], row.get("partner_level", "city")),
        ("home", row["home"], row.get("home_admin1", ""), row.get("home_country", ""), row.get("home_level", "city")),
    )
    for side, name, admin1, country, level in sides:
        if not name or not country:
            located[side] = None
            continue
        key = place_key(name, admin1, country)
        found = locate(geocoder, name, country, admin1, place_kind(level))
        located[side] = found
        if key in known:
            continue
        if found is None:
            missing.append(f"{name}, {country}")
            continue
        known.add(key)
        added.append(
            {
                "name": key[0],
                "admin1": key[1],
                "country": key[2],
                "lat": f"{found['lat']:.5f}",
                "lon": f"{found['lon']:.5f}",
                "precision": found["precision"],
                "source": found["source"],
            }
        )
    return added, missing, located


def same_partnership(row: dict[str, str], other: dict[str, str]) -> bool:
    return partnership_key(row["home"], row.get("home_country", ""), row["partner"], row["country"]) == (
        partnership_key(other["home"], other.get("home_country", ""), other["partner"], other["country"])
    )


def event_key(row: dict[str, str]) -> tuple[str, ...]:
    """What identifies an exchange (events have no id): the row's own columns."""
    return tuple(row.get(column, "") for column in EVENT_FIELDS)
