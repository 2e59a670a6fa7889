"""Load a validated data directory once into typed pandas frames, with every derived column.

Callbacks never compute on raw tables: coordinates, years, decades, continents and the sectors
each partnership has reached by each year are all prepared here.

Hubs are places. A hub's id is its name, unless two hub places share that name (two Portlands):
then it is "name, admin1, country". A row marked `reciprocal` (an undirected pair, as imported by
`import-pairs`) belongs to both of its places, so either one can be chosen as the hub.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from atlas.dates import PARTIAL_DATE
from atlas.errors import Problem, ValidationFailed
from atlas.places.countries import continent_codes
from atlas.schema import CONFLICTS, EVENTS, FACTS, LESSER_RELATIONS, PARTNERSHIPS, PLACES, SECTORS, TableSpec
from atlas.store import DataStore, Snapshot
from atlas.validate import (
    fold,
    has_errors,
    home_place_keys,
    partner_place_keys,
    place_key,
    validate_files,
)

HUB_ALL = "all"
# Values of the optional `reciprocal` column that make a row an undirected pair.
RECIPROCAL_WORDS = ("yes",)
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
    conflicts: pd.DataFrame  # claims of other sources that disagree with a partnership's row
    sector_years: pd.DataFrame  # partnership_id, sector, year: first year the partnership had that sector
    homes: pd.DataFrame  # one row per home: home, lat, lon
    hubs: tuple[Hub, ...]
    first_year: int
    last_year: int
    warnings: tuple[Problem, ...] = field(default=())
    version: str = ""  # of the tables loaded (`atlas.store.Snapshot.version`)

    @property
    def has_dates(self) -> bool:
        return bool(self.partnerships["year"].notna().any())

    @property
    def has_sectors(self) -> bool:
        return not self.sector_years.empty

    def hub(self, hub_id: str) -> Hub | None:
        return self.hubs_by_id.get(hub_id)

    @cached_property
    def hubs_by_id(self) -> dict[str, Hub]:
        return {hub.id: hub for hub in self.hubs}

    @cached_property
    def hub_order(self) -> dict[str, int]:
        """Each hub's place in `hubs`: where two hubs answer one name, the first one wins."""
        return {hub.id: position for position, hub in enumerate(self.hubs)}

    @cached_property
    def hubs_by_folded_id(self) -> dict[str, str]:
        """Hub ids by their id folded for comparison ('dusseldorf' finds 'Düsseldorf')."""
        found: dict[str, str] = {}
        for hub in self.hubs:
            found.setdefault(fold(hub.id), hub.id)
        return found

    @cached_property
    def hubs_by_name_zh(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for hub in self.hubs:
            if hub.name_zh:
                found.setdefault(hub.name_zh, hub.id)
        return found

    @cached_property
    def sectors_by_partnership(self) -> dict[str, tuple[str, ...]]:
        """The sectors of each partnership's exchanges, first seen first (partnerships with any)."""
        found: dict[str, dict[str, None]] = {}
        for partnership_id, sectors in zip(self.events["partnership_id"], self.events["sector_list"], strict=True):
            found.setdefault(partnership_id, {}).update(dict.fromkeys(sectors))
        return {partnership_id: tuple(sectors) for partnership_id, sectors in found.items() if sectors}

    @cached_property
    def partnership_positions(self) -> dict[str, int]:
        return {partnership_id: position for position, partnership_id in enumerate(self.partnerships["id"])}

    @cached_property
    def partners_by_folded_name(self) -> dict[str, int]:
        """Position of the first partnership with each partner name, folded for comparison."""
        found: dict[str, int] = {}
        for position, name in enumerate(self.partnerships["partner"]):
            found.setdefault(fold(name), position)
        return found

    @cached_property
    def partners_by_name_zh(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for position, name in enumerate(self.partnerships["partner_zh"]):
            if name:
                found.setdefault(name, position)
        return found

    @cached_property
    def hub_search_texts(self) -> dict[str, str]:
        """'name name_zh' by hub id: what a search for a hub is matched against."""
        return {hub.id: f"{hub.name} {hub.name_zh}" for hub in self.hubs}

    @cached_property
    def partner_search_texts(self) -> dict[str, str]:
        """'partner partner_zh home' by partnership id: what a search for a partner is matched against."""
        frame = self.partnerships
        texts = frame["partner"] + " " + frame["partner_zh"] + " " + frame["home"]
        return dict(zip(frame["id"], texts, strict=True))

    @cached_property
    def hub_rows(self) -> dict[str, np.ndarray]:
        """Row positions of each hub's partnerships (the frame's index is 0..n-1), found once
        instead of on every request."""
        frame = self.partnerships
        groups = [
            frame.groupby("home_id", sort=False).indices,
            frame[frame["home_province"] != ""].groupby("home_province", sort=False).indices,
            frame[frame["reciprocal"]].groupby("partner_id", sort=False).indices,
        ]
        rows: dict[str, list[np.ndarray]] = {}
        for group in groups:
            for hub_id, positions in group.items():
                rows.setdefault(hub_id, []).append(positions)
        return {hub_id: np.unique(np.concatenate(parts)) for hub_id, parts in rows.items()}


def year_of(dates: pd.Series) -> pd.Series:
    years = dates.str.extract(PARTIAL_DATE.pattern, expand=True)[0]
    return pd.to_numeric(years, errors="coerce").astype("Int64")


def decade_label(years: pd.Series) -> pd.Series:
    decades = (years // 10 * 10).astype("Int64")
    # Through the string dtype, so that a column with no year at all works too.
    return (decades.astype("string") + "s").fillna("unknown").astype(str)


def coordinates(keys: pd.Series, places: pd.DataFrame) -> pd.DataFrame:
    lookup = {
        place_key(name, admin1, country): (float(lat), float(lon), precision)
        for name, admin1, country, lat, lon, precision in places[
            ["name", "admin1", "country", "lat", "lon", "precision"]
        ].itertuples(index=False)
    }
    found = [lookup.get(key, (np.nan, np.nan, "")) for key in keys]
    return pd.DataFrame(found, columns=["lat", "lon", "precision"], index=keys.index)


def place_label(key: tuple[str, str, str]) -> str:
    return ", ".join(part for part in key if part)


def place_ids(home_keys: pd.Series, partner_keys: pd.Series, reciprocal: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Hub ids of the home and (for reciprocal rows) the partner: the name, qualified only when
    two hub places share it."""
    keys = set(home_keys) | set(partner_keys[reciprocal])
    places_named: dict[str, int] = {}
    for name, _, _ in keys:
        places_named[name] = places_named.get(name, 0) + 1
    ids = {key: key[0] if places_named[key[0]] == 1 else place_label(key) for key in keys}
    home_ids = home_keys.map(ids)
    partner_ids = partner_keys.map(ids).where(reciprocal, "")
    return home_ids, partner_ids


def prepare_partnerships(frame: pd.DataFrame, places: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("home_province", "home_admin1", "relation_zh", "source_title", "reciprocal", "status"):
        if column not in frame:
            frame[column] = ""
    frame["reciprocal"] = frame["reciprocal"].str.casefold().isin(RECIPROCAL_WORDS)
    frame["unconfirmed"] = frame["status"] == "unconfirmed"
    frame["lesser"] = frame["relation"].isin(LESSER_RELATIONS)
    partner_keys, home_keys = partner_place_keys(frame), home_place_keys(frame)
    partner = coordinates(partner_keys, places)
    home = coordinates(home_keys, places)
    frame["lat"], frame["lon"], frame["location_precision"] = partner["lat"], partner["lon"], partner["precision"]
    frame["home_lat"], frame["home_lon"] = home["lat"], home["lon"]
    frame["home_id"], frame["partner_id"] = place_ids(home_keys, partner_keys, frame["reciprocal"])
    frame["year"] = year_of(frame["established"])
    frame["decade"] = decade_label(frame["year"])
    continents = continent_codes()
    names = {code: CONTINENTS.get(continent, "Other") for code, continent in continents.items()}
    frame["continent"] = frame["country"].map(names).fillna("Other")
    frame["home_continent"] = frame["home_country"].map(names).fillna("Other")
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
    """Provinces first (each with its cities), then every other home (or either place of a
    reciprocal pair), biggest first. A hub's count is of its sister-city ties: it leaves out those no
    source confirms and the lesser ones (letters of intent, memoranda…)."""
    reciprocal = partnerships[partnerships["reciprocal"]]
    names_zh = dict(zip(reciprocal["partner_id"], reciprocal["partner_zh"], strict=True))
    names_zh.update(zip(partnerships["home"], partnerships["home_zh"], strict=True))
    names_zh.update(zip(partnerships["home_id"], partnerships["home_zh"], strict=True))
    confirmed = (~partnerships["unconfirmed"] & ~partnerships["lesser"]).astype(int)

    def counts(keys: pd.Series) -> pd.Series:
        return confirmed.groupby(keys).sum()

    hubs: dict[str, Hub] = {}
    provinces = counts(partnerships["home_province"])
    provinces = provinces[provinces.index != ""]
    for province, count in provinces.sort_values(ascending=False, kind="stable").items():
        hubs[province] = Hub(province, province, names_zh.get(province, ""), int(count))
    homes = counts(partnerships["home_id"])
    if len(reciprocal):
        homes = homes.add(counts(reciprocal["partner_id"]), fill_value=0).sort_index()
    for home, count in homes.sort_values(ascending=False, kind="stable").items():
        if home not in hubs:
            hubs[home] = Hub(home, home, names_zh.get(home, ""), int(count))
    return tuple(hubs.values())


def load_atlas(data_dir: Path) -> Atlas:
    """The validated, typed tables of `data_dir`, read between two commits; cached by their version."""
    return load_snapshot(DataStore(Path(data_dir).resolve()).read())


LOADED_VERSIONS = 4
loaded: OrderedDict[tuple[Path, str], Atlas] = OrderedDict()
loaded_lock = threading.Lock()


def load_snapshot(snapshot: Snapshot) -> Atlas:
    """The Atlas of the tables `snapshot` holds; the last few versions loaded are kept."""
    key = (snapshot.data_dir, snapshot.version)
    with loaded_lock:
        if key in loaded:
            loaded.move_to_end(key)
            return loaded[key]
    atlas = build_atlas(snapshot)
    with loaded_lock:
        loaded[key] = atlas
        while len(loaded) > LOADED_VERSIONS:
            loaded.popitem(last=False)
    return atlas


def build_atlas(snapshot: Snapshot) -> Atlas:
    problems, tables = validate_files(snapshot.files, snapshot.data_dir)
    if has_errors(problems):
        raise ValidationFailed(problems)
    # Validation read every table; without errors each one was read (facts.csv may be absent).
    places = tables[PLACES.file]
    events = prepare_events(tables[EVENTS.file])
    partnerships = prepare_partnerships(tables[PARTNERSHIPS.file], places, events)
    sectors = tables[SECTORS.file].reset_index(drop=True)
    facts = tables[FACTS.file]
    facts = facts.reset_index(drop=True) if facts is not None else empty_table(FACTS)
    facts["year"] = year_of(facts["date"])
    conflicts = tables[CONFLICTS.file]
    conflicts = conflicts.reset_index(drop=True) if conflicts is not None else empty_table(CONFLICTS)
    # The slider starts at the first partnership; earlier exchanges (an origin story) count from there.
    established = partnerships["year"].dropna()
    years = pd.concat([established, events["year"]]).dropna()
    last_year = int(years.max()) if len(years) else pd.Timestamp.now().year
    first_year = int(established.min()) if len(established) else last_year
    partnerships["year_drawn"] = partnerships["year"].fillna(last_year).astype(int)
    homes = (
        partnerships.groupby("home_id", as_index=False)
        .agg(home=("home", "first"), home_zh=("home_zh", "first"), lat=("home_lat", "first"), lon=("home_lon", "first"))
        .reset_index(drop=True)
    )
    return Atlas(
        data_dir=snapshot.data_dir,
        partnerships=partnerships,
        events=events,
        sectors=sectors,
        facts=facts,
        conflicts=conflicts,
        sector_years=sector_first_years(events, last_year),
        homes=homes,
        hubs=build_hubs(partnerships),
        first_year=first_year,
        last_year=last_year,
        warnings=tuple(problem for problem in problems if problem.severity == "warning"),
        version=snapshot.version,
    )


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An optional table a data directory does not hold, with its columns and no rows."""
    return pd.DataFrame({column.name: pd.Series(dtype=object) for column in spec.columns})
