"""What the ingest knows before it reads: the data directory's tables and the world gazetteer.

Places come only from the gazetteer (atlas.places); the tables add which places are already homes
or partners (so the data's own names and rows are used) and the sectors with their keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from atlas.errors import AtlasError
from atlas.places.gazetteer import Gazetteer, Place, gazetteer
from atlas.places.names import fold
from atlas.schema import EVENTS, PARTNERSHIPS, PLACES, SECTORS, TableSpec
from atlas.tables import read_table
from atlas.validate import partnership_key

TOWN_LEVELS = {"city", "town", "municipality", "village"}  # partner_level values of a town


@dataclass(frozen=True)
class Side:
    """One side of a partnership as the tables write it."""

    name: str
    name_zh: str
    level: str  # as partnerships.csv writes it: municipality, province, city, county, ...
    admin1: str
    country: str
    province: str = ""  # for a home: its province, as home_province


@dataclass(frozen=True)
class SectorKeywords:
    sector: str
    english: re.Pattern[str] | None
    chinese: tuple[str, ...]

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = [match.span() for match in self.english.finditer(text)] if self.english else []
        for word in self.chinese:
            found += [(match.start(), match.end()) for match in re.finditer(re.escape(word), text)]
        return found


def sector_keywords(record: dict[str, str]) -> SectorKeywords:
    english = [re.escape(word.strip()).replace(r"\ ", r"[\s-]+") for word in record["keywords_en"].split(";")]
    english = [word for word in english if word]
    pattern = re.compile(rf"\b(?:{'|'.join(english)})\b", re.IGNORECASE) if english else None
    chinese = tuple(word.strip() for word in record["keywords_zh"].split(";") if word.strip())
    return SectorKeywords(record["sector"], pattern, chinese)


def read_with_columns(directory: Path, spec: TableSpec) -> pd.DataFrame:
    """A table with every column its schema requires; other problems are for `atlas validate`."""
    frame = read_table(directory / spec.file)
    missing = [column for column in spec.required if column not in frame]
    if missing:
        raise AtlasError(
            f"{spec.file} row 1 column '{missing[0]}': required column is missing; see `python -m atlas validate`"
        )
    return frame


# 'Xiangxi Tujia and Miao Autonomous Prefecture' and '湘西土家族苗族自治州' are known as Xiangxi, 湘西(州).
AUTONOMOUS_EN = re.compile(
    r"\s+(?:[A-Z][\w'-]*\s+(?:and\s+[A-Z][\w'-]*\s+)?)?Autonomous\s+(?:Prefecture|County|Region)$"
)
AUTONOMOUS_ZH = re.compile(r"^([\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+自治([州县区旗])$")


def name_keys(name: str) -> set[str]:
    """Keys a name is known by: folded, and without a level word ('Hunan Province', '长沙市')."""
    short = AUTONOMOUS_ZH.sub(r"\1\2", AUTONOMOUS_EN.sub("", name))
    if short != name:
        return name_keys(short) | {fold(name)}
    key = fold(name)
    keys = {key} if key else set()
    stripped = re.sub(r"(?:province|municipality|city|oblast|prefecture|county|district|region|state)$", "", key)
    if stripped and stripped != key:
        keys.add(stripped)
    if len(key) > 2 and key[-1] in "省市州县区郡":
        keys.add(key[:-1])
    return keys


@dataclass
class Knowledge:
    """The tables of a data directory and the gazetteer, indexed for reading articles."""

    data_dir: Path
    partnerships: pd.DataFrame
    events: pd.DataFrame
    places: pd.DataFrame
    sectors: list[SectorKeywords]
    gazetteer: Gazetteer
    homes: dict[str, Side] = field(default_factory=dict)  # name key -> home
    partners: dict[tuple[str, str], Side] = field(default_factory=dict)  # (name key, country) -> partner
    rows_by_key: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path, places: Gazetteer | None = None) -> Knowledge:
        directory = Path(directory)
        partnerships = read_with_columns(directory, PARTNERSHIPS)
        sectors = [sector_keywords(record) for record in read_with_columns(directory, SECTORS).to_dict("records")]
        knowledge = cls(
            directory,
            partnerships,
            read_with_columns(directory, EVENTS),
            read_with_columns(directory, PLACES),
            sectors,
            places or gazetteer(),
        )
        for row, record in zip(partnerships.index, partnerships.to_dict("records"), strict=True):
            home = Side(
                record["home"],
                record.get("home_zh", ""),
                record["home_level"],
                record.get("home_admin1", ""),
                record["home_country"],
                record.get("home_province", ""),
            )
            partner = Side(
                record["partner"],
                record["partner_zh"],
                record["partner_level"],
                record["partner_admin1"],
                record["country"],
            )
            for name in (home.name, home.name_zh):
                for key in name_keys(name):
                    knowledge.homes.setdefault(key, home)
            for name in (partner.name, partner.name_zh):
                for key in name_keys(name):
                    knowledge.partners.setdefault((key, partner.country), partner)
            knowledge.rows_by_key[partnership_key(home.name, home.country, partner.name, partner.country)] = int(row)
        return knowledge

    def known_home(self, place: Place) -> Side | None:
        """The home of the tables this gazetteer place is, if any."""
        if place.country != "CN":
            return None
        for name in (place.name, place.name_zh):
            for key in name_keys(name):
                if key in self.homes and self.homes[key].country == place.country:
                    return self.homes[key]
        return None

    def partner_named(self, name_zh: str, country: str) -> Side | None:
        """The partner of the tables whose Chinese name is exactly `name_zh`."""
        side = self.partners.get((fold(name_zh), country))
        return side if side is not None and side.name_zh == name_zh else None

    def is_home(self, side: Side) -> bool:
        return any(key in self.homes for key in name_keys(side.name))

    def known_partner(self, place: Place) -> Side | None:
        """The partner of the tables this place is: same name and country, and a town for a town
        (Lincoln is not Lincolnshire, though 林肯 is 林肯郡 without its level word)."""
        for name in (place.name, place.name_zh):
            for key in name_keys(name):
                side = self.partners.get((key, place.country))
                if side is not None and (place.level == "city") == (side.level in TOWN_LEVELS):
                    return side
        return None

    def existing_row(self, home: Side, partner: Side) -> int | None:
        """The spreadsheet row of this partnership in partnerships.csv, if it is there."""
        return self.rows_by_key.get(partnership_key(home.name, home.country, partner.name, partner.country))

    def sectors_in(self, text: str) -> list[str]:
        return [keywords.sector for keywords in self.sectors if keywords.spans(text)]

    def in_sector_order(self, sectors: list[str]) -> list[str]:
        wanted = set(sectors)
        return [keywords.sector for keywords in self.sectors if keywords.sector in wanted]
