"""Geocode once: a chain of geopy-style geocoders for a data directory, offline unless asked otherwise.

1. the committed cache (`places.csv`), then the overrides (`place_overrides.csv`) for what a
   gazetteer cannot answer: provinces, regions, districts;
2. the world gazetteer (`atlas.places`): GeoNames towns, ISO 3166-2 regions, GeoNames' second-level
   areas, China's divisions, chosen by parent place, admin1, kind and population;
3. only with `online=True`, Nominatim behind geopy's RateLimiter.

The geocoders themselves are `atlas.places.geocode`; this module assembles them for a data
directory and writes what they find to `places.csv`, which is committed: the app never geocodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from atlas.errors import Problem
from atlas.places.gazetteer import Gazetteer
from atlas.places.geocode import (
    ChainGeocoder,
    GazetteerGeocoder,
    NominatimGeocoder,
    PlaceGeocoder,
    PlaceQuery,
    TableGeocoder,
)
from atlas.places.vocabulary import AREA_LEVELS, TABLE_LEVELS
from atlas.schema import PLACE_OVERRIDES, PLACES
from atlas.store import DataStore, is_error
from atlas.tables import read_table
from atlas.validate import NOT_GEOCODED, home_place_keys, partner_place_keys, place_key

__all__ = ["ChainGeocoder", "GazetteerGeocoder", "PlaceQuery", "build_geocoder", "geocode_directory", "locate"]


def place_kind(level: str) -> str:
    """'region' for a level drawn as an area (province, county, …): a town of its name must not answer."""
    return "region" if TABLE_LEVELS.get(level.strip().casefold()) in AREA_LEVELS else "city"


def read_optional(path: Path, columns: list[str]) -> pd.DataFrame:
    if path.exists():
        return read_table(path)
    return pd.DataFrame(columns=columns, dtype=object)


def build_geocoder(
    data_dir: Path, gazetteer: Gazetteer | None = None, online: bool = False, use_cache: bool = True
) -> ChainGeocoder:
    """The cache, the overrides and `gazetteer` (the process's shared one unless given), then Nominatim
    only when `online`."""
    chain: list[PlaceGeocoder] = []
    if use_cache:
        chain.append(TableGeocoder(read_optional(data_dir / PLACES.file, [c.name for c in PLACES.columns]), "cache"))
    overrides = read_optional(data_dir / PLACE_OVERRIDES.file, [c.name for c in PLACE_OVERRIDES.columns])
    chain += [TableGeocoder(overrides, "override"), GazetteerGeocoder(gazetteer)]
    if online:
        chain.append(NominatimGeocoder())
    return ChainGeocoder(chain)


@dataclass
class GeocodeReport:
    added: list[dict[str, str]]
    unresolved: dict[tuple[str, str, str], list[tuple[int, str]]]  # place -> [(row, column)]


@dataclass
class NeededPlace:
    kind: str
    uses: list[tuple[int, str]]  # (row, column) of partnerships.csv


def places_needed(partnerships: pd.DataFrame) -> dict[tuple[str, str, str], NeededPlace]:
    needed: dict[tuple[str, str, str], NeededPlace] = {}
    sides = (
        ("partner", partner_place_keys(partnerships), partnerships["partner_level"]),
        ("home", home_place_keys(partnerships), partnerships["home_level"]),
    )
    for column, keys, levels in sides:
        for row, key in keys.items():
            place = needed.setdefault(key, NeededPlace(place_kind(levels[row]), []))
            place.uses.append((row, column))
    return needed


def geocode_directory(data_dir: Path, online: bool = False, gazetteer: Gazetteer | None = None) -> GeocodeReport:
    """Resolve every place of partnerships.csv not yet in places.csv and append it, as one change
    of the data directory (see `atlas.store`)."""
    from atlas.schema import PARTNERSHIPS

    store = DataStore(data_dir)
    store.ensure_original()
    with store.locked():
        base = store.read()
        partnerships = base.frame(PARTNERSHIPS.file)
        columns = [c.name for c in PLACES.columns]
        places = base.frame(PLACES.file) if PLACES.file in base.files else pd.DataFrame(columns=columns, dtype=object)
        cached = {place_key(*values) for values in places[["name", "admin1", "country"]].itertuples(index=False)}
        geocoder = build_geocoder(data_dir, gazetteer, online=online, use_cache=False)
        added: list[dict[str, str]] = []
        unresolved: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
        for key, needed in places_needed(partnerships).items():
            if key in cached:
                continue
            name, admin1, country = key
            location = geocoder.geocode(PlaceQuery(name, country, admin1, needed.kind).as_dict(), country_codes=country)
            if location is None:
                unresolved[key] = needed.uses
                continue
            added.append(
                {
                    "name": name,
                    "admin1": admin1,
                    "country": country,
                    "lat": f"{location.latitude:.5f}",
                    "lon": f"{location.longitude:.5f}",
                    "precision": location.raw["precision"],
                    "source": location.raw["source"],
                }
            )
        if added:
            combined = pd.concat([places, pd.DataFrame(added)], ignore_index=True)
            combined = combined.sort_values(["country", "name", "admin1"], kind="stable")
            # Places still unresolved are reported by the caller; they must not hold back those found.
            store.commit({PLACES.file: combined[columns]}, base, blocking=blocks_geocoding)
    return GeocodeReport(added, unresolved)


def blocks_geocoding(problem: Problem) -> bool:
    """Every error stops writing places.csv, but that of a place not geocoded yet."""
    return is_error(problem) and NOT_GEOCODED not in problem.message


def locate(
    geocoder: PlaceGeocoder, name: str, country: str, admin1: str = "", kind: str = "city"
) -> dict[str, Any] | None:
    """One place as a dict ready for JSON, or None. A `kind="region"` query skips the city gazetteer."""
    location = geocoder.geocode(
        PlaceQuery(name, country.upper(), admin1, kind).as_dict(), country_codes=country.upper()
    )
    if location is None:
        return None
    return {
        "name": name,
        "admin1": admin1,
        "country": country.upper(),
        "lat": round(location.latitude, 5),
        "lon": round(location.longitude, 5),
        "source": location.raw["source"],
        "precision": location.raw["precision"],
    }
