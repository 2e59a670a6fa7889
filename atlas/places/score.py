"""`python -m atlas locate --score FILE`: how well the gazetteer places a list of real names.

FILE is a pair list (`city1,country1,lat1,lng1,city2,country2,lat2,lng2`, as the world list of
twin towns) or a place list (`name,country,lat,lon`); its coordinates are taken as the truth. Each
distinct (name, country) is located as the list writes it, and counted as within 25 km, on a
namesake (another place of that name in that country lies within 25 km of the list's point, so the
gazetteer chose the wrong one), elsewhere (the list's point is far from every place of the name: the
list's own coordinates may be wrong, or the place is missing), or unresolved; and of the places
missed, those whose point in the list lies in another country than the list names (Liverpool,
Australia at Liverpool, England): there the list, not the gazetteer, is wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from atlas.errors import AtlasError
from atlas.places.build import distance_km
from atlas.places.countries import TERRITORIES, country_and_region
from atlas.places.gazetteer import Gazetteer
from atlas.places.vocabulary import LEVELS
from atlas.tables import read_table

WITHIN_KM = 25.0


@dataclass(frozen=True)
class ListedPlace:
    name: str
    country: str  # as the list writes it
    lat: float
    lon: float


@dataclass
class Score:
    within: int = 0
    namesake: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    # Missed places whose point in the list lies in another country than the list names for them
    # (nearest town of the gazetteer): the list's coordinates or country are wrong there.
    foreign: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.within + len(self.namesake) + len(self.elsewhere) + len(self.unresolved)

    def lines(self, examples: int = 10) -> list[str]:
        def share(count: int) -> str:
            return f"{count} ({100 * count / max(self.total, 1):.1f}%)"

        lines = [
            f"locate --score: {self.total} place(s)",
            f"  within {WITHIN_KM:.0f} km of the list's coordinates: {share(self.within)}",
            f"  on a namesake (the right place is known, another was chosen): {share(len(self.namesake))}",
            f"  elsewhere (no place of that name near the list's point): {share(len(self.elsewhere))}",
            f"  unresolved: {share(len(self.unresolved))}",
            f"  of those missed, the list's point is in another country than it names: {share(len(self.foreign))}",
        ]
        for title, items in (
            ("namesakes", self.namesake),
            ("elsewhere", self.elsewhere),
            ("unresolved", self.unresolved),
            ("the list's point in another country", self.foreign),
        ):
            if items:
                lines.append(f"  {title}, e.g.: " + "; ".join(items[:examples]))
        return lines


def read_listed(path: Path) -> list[ListedPlace]:
    """Distinct places of a pair list or a place list, first coordinates kept."""
    table = read_table(path)
    if {"city1", "country1", "lat1", "lng1"} <= set(table.columns):
        sides = [("city1", "country1", "lat1", "lng1"), ("city2", "country2", "lat2", "lng2")]
    elif {"name", "country", "lat", "lon"} <= set(table.columns):
        sides = [("name", "country", "lat", "lon")]
    else:
        raise AtlasError(f"{path.name} row 1: expected columns name,country,lat,lon or city1,country1,lat1,lng1,…")
    places: dict[tuple[str, str], ListedPlace] = {}
    for columns in sides:
        if not set(columns) <= set(table.columns):
            continue
        for name, country, lat, lon in table[list(columns)].itertuples(index=False):
            try:
                point = float(lat), float(lon)
            except ValueError:
                continue
            if name.strip():
                places.setdefault((name.strip(), country.strip()), ListedPlace(name.strip(), country.strip(), *point))
    return list(places.values())


def sample(places: list[ListedPlace], size: int | None, seed: int) -> list[ListedPlace]:
    ordered = sorted(places, key=lambda place: (place.name, place.country))
    if size is None or size >= len(ordered):
        return ordered
    return random.Random(seed).sample(ordered, size)  # noqa: S311 - a sample to measure, not a secret


def score(gazetteer: Gazetteer, places: list[ListedPlace]) -> Score:
    result = Score()
    towns = Towns(gazetteer)
    for listed in places:
        code, region = country_and_region(listed.country) if listed.country else (None, "")
        label = f"{listed.name} ({listed.country or '?'})"
        matches = gazetteer.lookup(listed.name, code, admin1=region, kind="city")
        if matches and distance_km(matches[0].place.lat, matches[0].place.lon, listed.lat, listed.lon) <= WITHIN_KM:
            result.within += 1
            continue
        point_in = towns.country_at(listed.lat, listed.lon)
        if code and point_in not in (code, *TERRITORIES.get(code, ())):
            result.foreign.append(f"{label} at {listed.lat:.2f}, {listed.lon:.2f}, in {point_in}")
        if not matches:
            result.unresolved.append(label)
            continue
        best = matches[0].place
        off = distance_km(best.lat, best.lon, listed.lat, listed.lon)
        if any(distance_km(m.place.lat, m.place.lon, listed.lat, listed.lon) <= WITHIN_KM for m in matches[1:]):
            result.namesake.append(f"{label} -> {best.name}, {best.admin1} ({off:.0f} km)")
        else:
            result.elsewhere.append(f"{label} -> {best.name}, {best.admin1} ({off:.0f} km)")
    return result


class Towns:
    """The gazetteer's towns as arrays, to tell which country a point is in (its nearest town's)."""

    def __init__(self, gazetteer: Gazetteer):
        towns = np.flatnonzero(np.asarray(gazetteer.level) == LEVELS.index("city"))
        self.lat = np.radians(np.asarray(gazetteer.lat)[towns])
        self.lon = np.radians(np.asarray(gazetteer.lon)[towns])
        self.country = np.asarray(gazetteer.country)[towns]

    def country_at(self, lat: float, lon: float) -> str:
        lat, lon = np.radians(lat), np.radians(lon)
        haversine = (
            np.sin((self.lat - lat) / 2) ** 2 + np.cos(lat) * np.cos(self.lat) * np.sin((self.lon - lon) / 2) ** 2
        )
        return str(self.country[int(np.argmin(haversine))])
