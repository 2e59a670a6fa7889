"""Geocode once: a chain of geopy-style geocoders, offline unless asked otherwise.

1. the committed overrides (`place_overrides.csv`) for what a gazetteer cannot answer: provinces,
   regions, districts;
2. the world gazetteer (`atlas.places`): GeoNames towns, ISO 3166-2 regions, China's divisions,
   chosen by parent place, admin1, kind and population;
3. only with `online=True`, Nominatim behind geopy's RateLimiter.

Results are cached in `places.csv`, which is committed: the app itself never geocodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from atlas.errors import GeocodeError, Problem
from atlas.places.gazetteer import Gazetteer
from atlas.places.gazetteer import gazetteer as shared_gazetteer
from atlas.places.vocabulary import AREA_LEVELS, TABLE_LEVELS
from atlas.schema import PLACE_OVERRIDES, PLACES
from atlas.store import DataStore, is_error
from atlas.tables import read_table
from atlas.validate import NOT_GEOCODED, fold, home_place_keys, partner_place_keys, place_key

USER_AGENT = "sister-city-atlas/1.0 (geocoding at build time only)"


def place_kind(level: str) -> str:
    """'region' for a level drawn as an area (province, county, …): a town of its name must not answer."""
    return "region" if TABLE_LEVELS.get(level.strip().casefold()) in AREA_LEVELS else "city"


@dataclass(frozen=True)
class PlaceQuery:
    name: str
    country: str
    admin1: str = ""
    kind: str = "city"  # or "region"

    @classmethod
    def from_query(cls, query: str | dict[str, str], country_codes: str | list[str] | None) -> PlaceQuery:
        """Accept geopy's forms: a plain string, or a dict with city / state / country keys.

        A dict without `city` asks for a region (its `state` or `county`).
        """
        if isinstance(query, dict):
            if query.get("city"):
                name, admin1, kind = query["city"], query.get("state", ""), "city"
            else:
                name, admin1, kind = query.get("state") or query.get("county") or "", "", "region"
            country = query.get("country", "")
        else:
            name, admin1, country, kind = query, "", "", "city"
        if country_codes:
            country = country_codes if isinstance(country_codes, str) else country_codes[0]
        return cls(name.strip(), country.strip().upper(), admin1.strip(), kind)

    def as_dict(self) -> dict[str, str]:
        if self.kind == "region":
            return {"state": self.name, "country": self.country}
        query = {"city": self.name, "country": self.country}
        if self.admin1:
            query["state"] = self.admin1
        return query


def make_location(query: PlaceQuery, lat: float, lon: float, source: str, precision: str, reason: str = "") -> Location:
    address = ", ".join(part for part in (query.name, query.admin1, query.country) if part)
    raw = {"source": source, "precision": precision, "reason": reason or f"from the {source}", **query.__dict__}
    return Location(address, (lat, lon), raw)


class OfflineGeocoder(Geocoder):
    """A geocoder that answers from local data; same `geocode()` as any geopy backend."""

    source = "offline"

    def __init__(self) -> None:
        super().__init__(user_agent=USER_AGENT)

    def geocode(
        self,
        query: str | dict[str, str],
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
        **_: Any,
    ) -> Location | list[Location] | None:
        matches = self.matches(PlaceQuery.from_query(query, country_codes))
        if not matches:
            return None
        return matches[0] if exactly_one else matches

    def matches(self, query: PlaceQuery) -> list[Location]:
        raise NotImplementedError


class TableGeocoder(OfflineGeocoder):
    """Answers from a table of places with name, admin1, country, lat, lon, precision."""

    def __init__(self, table: pd.DataFrame, source: str):
        super().__init__()
        self.source = source
        self.by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for record in table.to_dict("records"):
            self.by_key[(fold(record["name"]), record["country"].upper())].append(record)

    def matches(self, query: PlaceQuery) -> list[Location]:
        records = self.by_key.get((fold(query.name), query.country), [])
        if query.admin1 and query.kind == "city":
            same_region = [record for record in records if fold(record["admin1"]) == fold(query.admin1)]
            records = same_region or [record for record in records if not record["admin1"]]
        return [
            make_location(
                query,
                float(record["lat"]),
                float(record["lon"]),
                record.get("source") or self.source,
                record["precision"],
            )
            for record in records
        ]


class GazetteerGeocoder(OfflineGeocoder):
    """The world gazetteer (`atlas.places.gazetteer`): towns, regions, counties and every Chinese division.

    Among places of the asked country whose name matches, it prefers one in the asked admin1 (a
    region's name or ISO 3166-2 code), then one of the asked kind, then the most populous:
    Portland, US is Portland, Oregon; Portland, AU is Portland, Victoria. A region query is never
    answered by a town of its name. `raw` carries the source, the precision and the reason."""

    source = "geonames"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__()
        self.gazetteer = gazetteer or shared_gazetteer()

    def matches(self, query: PlaceQuery) -> list[Location]:
        found = self.gazetteer.lookup(query.name, query.country, admin1=query.admin1, kind=query.kind)
        return [
            make_location(
                query, match.place.lat, match.place.lon, match.place.source, match.place.precision, match.reason
            )
            for match in found
        ]


class OnlineGeocoder(OfflineGeocoder):
    """Nominatim behind geopy's RateLimiter: only on request, never from the app."""

    source = "nominatim"

    def __init__(self, max_retries: int = 0):
        super().__init__()
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.nominatim = Nominatim(user_agent=USER_AGENT, timeout=10)
        # One request a second is Nominatim's usage policy; retries are off because offline
        # each retry would wait for nothing.
        self.limited = RateLimiter(
            self.nominatim.geocode, min_delay_seconds=1.0, max_retries=max_retries, swallow_exceptions=False
        )

    def matches(self, query: PlaceQuery) -> list[Location]:
        from geopy.exc import GeopyError

        try:
            found = self.limited(query.as_dict(), exactly_one=True, country_codes=query.country.lower())
        except GeopyError as error:
            raise GeocodeError(f"Nominatim could not be asked about {query.name!r}: {error}") from error
        if found is None:
            return []
        return [make_location(query, found.latitude, found.longitude, "nominatim", "point")]


class ChainGeocoder(OfflineGeocoder):
    """Ask each geocoder in turn; the first that knows the place answers."""

    def __init__(self, geocoders: Iterable[OfflineGeocoder]):
        super().__init__()
        self.geocoders = list(geocoders)

    def matches(self, query: PlaceQuery) -> list[Location]:
        for geocoder in self.geocoders:
            found = geocoder.matches(query)
            if found:
                return found
        return []


def read_optional(path: Path, columns: list[str]) -> pd.DataFrame:
    if path.exists():
        return read_table(path)
    return pd.DataFrame(columns=columns, dtype=object)


def build_geocoder(
    data_dir: Path, gazetteer: Gazetteer | None = None, online: bool = False, use_cache: bool = True
) -> ChainGeocoder:
    """The cache, the overrides and `gazetteer` (the process's shared one unless given), then Nominatim
    only when `online`."""
    chain: list[OfflineGeocoder] = []
    if use_cache:
        chain.append(TableGeocoder(read_optional(data_dir / PLACES.file, [c.name for c in PLACES.columns]), "cache"))
    overrides = read_optional(data_dir / PLACE_OVERRIDES.file, [c.name for c in PLACE_OVERRIDES.columns])
    chain += [TableGeocoder(overrides, "override"), GazetteerGeocoder(gazetteer)]
    if online:
        chain.append(OnlineGeocoder())
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
    geocoder: OfflineGeocoder, name: str, country: str, admin1: str = "", kind: str = "city"
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
