"""The world gazetteer: every place the project knows, asked by name in English or Chinese.

    from atlas.places.gazetteer import gazetteer
    best = gazetteer().lookup("Suzhou, Jiangsu", "CN")[0]       # Match: place, reason
    best.place.name, best.place.name_zh, best.place.lat          # 'Suzhou', '苏州', 31.3…
    gazetteer().mentions("长沙与布拉柴维尔结为友好城市", "zh")       # spans with their candidates

A lookup reads the name as people write it: a qualifier naming the parent place ("Panyu
(Guangzhou)", "Coventry, Rhode Island", "Vienna 9 – Alsergrund"), a level word before or after
("County Meath", "Gauteng Province", 豪登省), a district number ("Prague 5"); and, when that finds
nothing, the name as other sources write it ("St Clears", "Gars am Inn", "Bad Kötzting", the first
town of "Brig-Glis", another transliteration) and a territory written under its country. Among
places of that name it prefers, in this order, one in the parent place, one in the asked admin1, one
of the asked kind and level, then the most populous; every match says why it was chosen.

The index is built once from the packages (see `atlas.places.build`) into a cache folder and mapped
into memory by every process that loads it; `gazetteer()` is the one instance of a process.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from filelock import FileLock

from atlas.places import build
from atlas.places.countries import COUNTRY_CODES, TERRITORIES, country_code, country_label
from atlas.places.names import has_cjk, search_key, spelling_key
from atlas.places.vocabulary import (
    ABBREVIATED_WORDS,
    ADJECTIVE_ENDINGS,
    AREA_LEVELS,
    COMMON_WORDS_EN,
    COMPATIBLE_LEVELS,
    COMPOUND_NAME_WORDS,
    COUNTIES_NOT_NAMED_AFTER_SEATS,
    FIRST_WORD_FORMS,
    JOINING_WORDS,
    LEADING_DESCRIPTORS,
    LEADING_PHRASES,
    LEVEL_PHRASES_EN,
    LEVEL_WORDS_EN,
    LEVELS,
    LOCATIVE_PARTICLES,
    TABLE_LEVELS,
    TRAILING_DESCRIPTORS,
    ZH_LEVEL_CHARACTERS,
)

# A place within this distance of a parent place of that level is in it ("Vaihingen (Stuttgart)").
PARENT_RADIUS_KM = {"city": 20.0, "county": 80.0, "prefecture": 120.0, "region": 400.0, "country": 5000.0}
# A place of the name asked this close to the parent place named with it, but not in it, is drawn
# rather than the parent: "Lazarevac (Belgrade)" lies in the city's territory, 50 km from its centre.
NEAR_PARENT_KM = 100.0
MAX_CANDIDATES = 500
# A place asked by one of its alternate names ranks as if it had this many times fewer people than
# a place of that very name: "Richland" is Richland, Washington, not Orange, California, once called so.
ALTERNATE_DISCOUNT = 10
# A place whose own name is the name asked written otherwise (other accents or spaces) ranks as if it
# had this many times fewer people: "Lohne" is Lohne, Lower Saxony, not Löhne; "Stari Grad" the
# town of Hvar, not Starigrad.
OTHER_SPELLING_DISCOUNT = 3
# An area without a population counts as this many people when ranked against towns of its name:
# "Hunan" is the province before a village of Fujian.
AREA_WEIGHTS = {"country": 10_000_000, "region": 500_000, "prefecture": 300_000, "county": 50_000}
# GeoNames lists a town of unknown population (or of fewer than 500 people) only as the seat of an
# administrative division, and the countries-states-cities database lists municipalities and
# districts without their population: such a town ranks as a town of this many people, before a
# village that GeoNames lists for its 500 people ("Mamak" is the district of Ankara, not a village of
# Tunceli; "Avcılar" the district of Istanbul, not a village of Adana).
SEAT_POPULATION = 1_000
# A town this close to the seat of a Chinese county of its name is that county's town.
SAME_PLACE_KM = 10.0
DASHES = re.compile(r"\s+[–—-]\s+")
PARENTHESIS = re.compile(r"^(.+?)\s*[(（]([^()（）]+)[)）]\s*$")
NUMBERED = re.compile(r"^(.+?)\s+(\d{1,2}|[IVX]{1,5})$")


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    name_zh: str
    country: str
    admin1: str  # ISO 3166-2 code of the first-level subdivision it is in, or ""
    level: str  # one of vocabulary.LEVELS
    lat: float
    lon: float
    population: int
    # "geonames:ID", "cpca:ADCODE", "iso3166-2:CODE", "csc:ID", "country:CODE", or "sections:ID" (a
    # municipality named only by its sections, ID its largest section's GeoNames id)
    source: str
    parent: int  # id of the place it belongs to (Chinese divisions), or -1

    @property
    def kind(self) -> str:
        """'city' for a populated place, 'region' for an area drawn at its seat or centre."""
        return "city" if self.level == "city" else "region"

    @property
    def town_like(self) -> bool:
        """A town, or a Chinese county drawn at its seat: what a list of towns means by "Haiyan" or
        "Zhangping" (Haiyan County, the county-level city of Zhangping)."""
        return self.level == "city" or (self.source.startswith("cpca:") and self.level == "county")

    @property
    def precision(self) -> str:
        return "point" if self.level == "city" else "region"


@dataclass(frozen=True)
class Match:
    place: Place
    reason: str


@dataclass(frozen=True)
class Reading:
    """One way to read a name as asked: the name proper, its parent place, the level it names."""

    name: str
    parent: str = ""
    level: str = ""
    how: str = ""
    parent_only: bool = False
    loose: bool = False  # the name as another transliteration writes it


def level_of_words(name: str) -> tuple[str, str] | None:
    """'Williamson County' -> ('Williamson', 'county'); 'County Meath' -> ('Meath', 'county')."""
    words = name.split()
    if len(words) < 2:
        return None
    lowered = [word.casefold() for word in words]
    for phrase, level in LEVEL_PHRASES_EN.items():
        size = len(phrase.split())
        if len(words) > size and " ".join(lowered[-size:]) == phrase and phrase not in LEADING_PHRASES:
            return " ".join(words[:-size]), level
        if len(words) > size and " ".join(lowered[:size]) == phrase:
            return " ".join(words[size:]), level
    if lowered[-1] in LEVEL_WORDS_EN:
        return " ".join(words[:-1]), LEVEL_WORDS_EN[lowered[-1]]
    if lowered[0] in LEVEL_WORDS_EN and lowered[0] not in ("city", "town", "village"):
        return " ".join(words[1:]), LEVEL_WORDS_EN[lowered[0]]
    return None


def seat_names(adjective: str) -> list[str]:
    """'Yeysky' -> 'Yeysk', …: the names a Russian district's seat may have."""
    lowered = adjective.casefold()
    for ending, replacements in ADJECTIVE_ENDINGS:
        if lowered.endswith(ending) and len(lowered) > len(ending) + 2:
            stem = adjective[: -len(ending)]
            return [stem + replacement for replacement in replacements]
    return []


def readings(text: str) -> list[Reading]:
    """Every way to read `text`, most literal first."""
    text = " ".join(text.split())
    found: list[Reading] = [Reading(text)]
    parenthesis = PARENTHESIS.match(text)
    if parenthesis:
        inner, outer = parenthesis.group(2).strip(), parenthesis.group(1).strip()
        inner_level = LEVEL_WORDS_EN.get(inner.casefold())
        if inner_level:
            found.append(Reading(outer, level=inner_level, how=f"the {inner.casefold()} of {outer}"))
            first = first_part(outer)
            if first:  # "Amberg-Sulzbach (district)" is seated at Amberg
                found.append(Reading(first, how=f"the {inner.casefold()} of {outer}, drawn at {first}"))
        else:
            found += with_levels(Reading(outer, parent=inner))
            found += spelling_variants(Reading(outer, parent=inner))
            found.append(loosely(Reading(outer, parent=inner)))
            found.append(Reading(inner, how=f"{outer} is not known: drawn at {inner}", parent_only=True))
        return found
    if DASHES.search(text):
        left, right = DASHES.split(text, maxsplit=1)
        found += with_levels(Reading(right, parent=left))
        found += with_levels(Reading(left, parent=right))
        found.append(Reading(left, how=f"{right} is not known: drawn at {left}", parent_only=True))
        return found
    if "," in text:
        name, parent = (part.strip() for part in text.rsplit(",", 1))
        found += with_levels(Reading(name, parent=parent))
        found.append(loosely(Reading(name, parent=parent)))
        found.append(Reading(parent, how=f"{name} is not known: drawn at {parent}", parent_only=True))
        return found
    found += with_levels(Reading(text))[1:]
    for variant in spelling_variants(Reading(text)):
        found += with_levels(variant)
    found.append(loosely(Reading(text)))
    first = first_part(text)
    if first:  # merged municipalities: "Brig-Glis", "Faaborg-Midtfyn", "Bà Rịa–Vũng Tàu"
        reading = Reading(first, how=f"{text} is drawn at {first}, the first of its parts")
        found += [reading, *spelling_variants(reading)]  # "Bad Wimsbach-Neydharting" at Wimsbach
    return found


def loosely(reading: Reading) -> Reading:
    """The reading, matched against names in other transliterations: the last resort for a name."""
    how = f"{reading.name} as another transliteration writes it"
    return Reading(reading.name, reading.parent, reading.level, how, loose=True)


def first_part(name: str) -> str:
    """'Brig-Glis' -> 'Brig': the first town a merged municipality is named after, or '' (also for
    a name whose parts are one name: 'Fontaine-sur-Somme', 'Sainte-Opportune-la-Mare')."""
    parts = [part for part in re.split(r"\s*[–—-]\s*", name) if part]
    if len(parts) < 2:
        return ""
    first_words = {word.rstrip(".") for word in parts[0].casefold().split()}
    second = parts[1].casefold()
    if first_words & COMPOUND_NAME_WORDS or second in COMPOUND_NAME_WORDS or re.match(r"[dl][’']", second):
        return ""
    return parts[0]


def spelling_variants(reading: Reading) -> list[Reading]:
    """The name as other sources write it: 'St Clears' as 'Saint Clears', 'Bad Kötzting' as
    'Kötzting', 'Gars am Inn' as Gars by the Inn, 'Tonbridge and Malling' at Tonbridge."""
    name, found = reading.name, []
    words = name.split()
    if len(words) < 2 or has_cjk(name):
        return []
    head, separator, rest = re.match(r"^([^\s-]+)([\s-])(.*)$", name).groups()
    for form in FIRST_WORD_FORMS.get(head.casefold().rstrip("."), ()):
        spelled = form.capitalize() + separator + rest
        found.append(Reading(spelled, reading.parent, reading.level, f"{name} as {spelled}"))
    lowered = [word.casefold() for word in words]
    if lowered[0] in LEADING_DESCRIPTORS:
        found.append(Reading(" ".join(words[1:]), reading.parent, reading.level, f"{name} as {' '.join(words[1:])}"))
    if lowered[-1] in TRAILING_DESCRIPTORS:
        found.append(Reading(" ".join(words[:-1]), reading.parent, reading.level, f"{name} as {' '.join(words[:-1])}"))
    for particle in LOCATIVE_PARTICLES:
        size = len(particle.split())
        for position in range(1, len(words) - size):
            if " ".join(lowered[position : position + size]) == particle:
                town, by = " ".join(words[:position]), " ".join(words[position + size :])
                found.append(Reading(town, reading.parent or by, reading.level, f"{name}: {town} by {by}"))
                break
        else:
            continue
        break
    for position in range(1, len(words) - 1):
        if lowered[position] in JOINING_WORDS:
            town = " ".join(words[:position])
            found.append(Reading(town, reading.parent, reading.level, f"{name} is drawn at {town}, the first named"))
            break
    return found


def with_levels(reading: Reading) -> list[Reading]:
    """The reading, then its name without a level word, then a Russian district's seat."""
    found = [reading]
    numbered = NUMBERED.match(reading.name)
    if numbered and not has_cjk(reading.name):
        found.append(Reading(numbered.group(1), reading.parent, reading.level, f"district {numbered.group(2)} of"))
    split = level_of_words(reading.name)
    if split:
        name, level = split
        found.append(Reading(name, reading.parent, level, f"{reading.name}: the {level} named {name}"))
        if level == "county" and not reading.parent:
            for seat in seat_names(name):
                found.append(Reading(seat, reading.parent, "", f"{reading.name}: drawn at its seat {seat}"))
    return found


def names_fit(place: Place, key: str) -> bool:
    """The place's own name is the name asked, not one of its alternate names (浏阳 is Liuyang,
    not Guankou, the town at its seat that GeoNames also calls 浏阳)."""
    names = (place.name, place.name_zh, place.name_zh[:-1] if len(place.name_zh) > 2 else "")
    return any(search_key(name) == key for name in names if name)


# One letter written two ways: Romanian ș and ț with a comma below, or (as GeoNames often has them)
# with a cedilla, ş and ţ.
ONE_LETTER = str.maketrans({"ş": "ș", "ţ": "ț"})


def same_letters(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().translate(ONE_LETTER)


def written_otherwise(place: Place, key: str, spelled: str) -> bool:
    """The place's own name is the name asked (`key` folded, `spelled` in lower case) with other
    accents or spaces: Löhne for "Lohne", Starigrad for "Stari Grad"."""
    return search_key(place.name) == key and same_letters(place.name) != spelled


def town_at_seat_first(ordered: list[tuple[Place, int]]) -> list[tuple[Place, int]]:
    """A town asked for, where a Chinese county of its name came first: a GeoNames town of that name
    at the county's seat is the same place, drawn at the town's own point (Liuyang at Liuyang's
    centre, not 1.6 km off at the county's offices)."""
    county = ordered[0][0]
    for position, (place, _) in enumerate(ordered[1:], 1):
        near = build.distance_km(place.lat, place.lon, county.lat, county.lon) <= SAME_PLACE_KM
        if place.level == "city" and place.source.startswith("geonames:") and near:
            return [ordered[position], *ordered[:position], *ordered[position + 1 :]]
    return ordered


def weight(place: Place) -> int:
    """Population, or for an area whose population is not counted, that of a town of its rank."""
    if place.level == "city" and not place.population and place.source.startswith(("geonames:", "csc:")):
        return SEAT_POPULATION
    return place.population or AREA_WEIGHTS.get(place.level, 0)


def seats_of_areas(places: list[Place]) -> dict[int, Place]:
    """The town at the seat of each second-level area of its name (the largest such town near it, as
    the builder draws the area), by the town's id: it ranks with the area's weight where that is the
    larger ("Sincan" is the district of Ankara seated there, not a village of Sivas; "Lagoa" the town
    of the Algarve, seat of a municipality of 34,000 people, before the larger town of the Azores,
    whose municipality has 19,000)."""
    found: dict[int, Place] = {}
    for area in places:
        if area.level != "county" or not area.source.startswith("geonames:"):
            continue
        if area.country in COUNTIES_NOT_NAMED_AFTER_SEATS:
            continue
        near = [
            town
            for town in places
            if town.level == "city"
            and (town.country, town.admin1) == (area.country, area.admin1)
            and build.distance_km(town.lat, town.lon, area.lat, area.lon) <= build.SEAT_OF_AREA_KM
        ]
        if near:
            seat = max(near, key=lambda town: (weight(town), -town.id))
            if seat.id not in found or weight(area) > weight(found[seat.id]):
                found[seat.id] = area
    return found


def seat_weight(place: Place, seats: dict[int, Place]) -> int:
    area = seats.get(place.id)
    return max(weight(place), weight(area)) if area is not None else weight(place)


WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ](?:[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ0-9'’]|-(?=[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]))*")
POSSESSIVE = re.compile(r"['’]s?$")
PARTICLES = {"de", "del", "la", "le", "am", "an", "upon", "sur", "der", "den", "van", "von", "di", "da", "do", "du"}
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
MAX_NAME_WORDS = 5
MAX_NAME_CHARS_ZH = 12
# A town named in running text counts when it has this many people, or (in a country the text
# names, given as `countries`) this many; a name that opens a sentence, or has three letters, and a
# foreign town named in Chinese in a text that does not name its country, need the larger figure.
TEXT_MIN_POPULATION = 15_000
HINTED_MIN_POPULATION = 1_000
BARE_WORD_MIN_POPULATION = 100_000


class Gazetteer:
    """An index of places mapped from its folder; see the module's docstring."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        arrays = {path.stem: np.load(path, mmap_mode="r") for path in self.directory.glob("*.npy")}
        self.lat, self.lon = arrays["lat"], arrays["lon"]
        self.population, self.level = arrays["population"], arrays["level"]
        self.country, self.parent = arrays["country"], arrays["parent"]
        self.name_ids, self.name_zh_ids = arrays["name"], arrays["name_zh"]
        self.source_ids, self.admin1_ids = arrays["source"], arrays["admin1"]
        self.blob, self.offsets = arrays["string_blob"], arrays["string_offsets"]
        self.key_hash, self.key_start = arrays["key_hash"], arrays["key_start"]
        self.entry_place, self.entry_flags = arrays["entry_place"], arrays["entry_flags"]
        self.word_hash = arrays.get("word_hash", np.zeros(0, dtype=np.uint64))
        self._places: dict[int, Place] = {}
        self._regions: dict[str, int] | None = None

    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        """The index in `directory` (default: the cache folder), built first when it is missing."""
        directory = Path(directory) if directory else build.index_dir()
        if not (directory / "key_hash.npy").exists():
            # Processes that start together (server or test workers) build it once, not each.
            directory.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(f"{directory}.lock"):
                if not (directory / "key_hash.npy").exists():
                    build.build_index(directory)
        return cls(directory)

    def __len__(self) -> int:
        return len(self.lat)

    def string(self, number: int) -> str:
        return bytes(self.blob[self.offsets[number] : self.offsets[number + 1]]).decode("utf-8")

    def place(self, number: int) -> Place:
        if number not in self._places:
            self._places[number] = Place(
                int(number),
                self.string(self.name_ids[number]),
                self.string(self.name_zh_ids[number]),
                str(self.country[number]),
                self.string(self.admin1_ids[number]),
                LEVELS[self.level[number]],
                float(self.lat[number]),
                float(self.lon[number]),
                int(self.population[number]),
                self.string(self.source_ids[number]),
                int(self.parent[number]),
            )
        return self._places[number]

    def entries(self, key: str) -> list[tuple[int, int]]:
        """(place id, name flags) of every place with this search key."""
        if not key:
            return []
        digest = np.uint64(build.key_hash(key))
        position = int(np.searchsorted(self.key_hash, digest))
        if position >= len(self.key_hash) or self.key_hash[position] != digest:
            return []
        start, end = int(self.key_start[position]), int(self.key_start[position + 1])
        return list(zip(self.entry_place[start:end].tolist(), self.entry_flags[start:end].tolist(), strict=True))

    def named(self, name: str, country: str | None = None) -> list[tuple[Place, int]]:
        found = [(self.place(number), flags) for number, flags in self.entries(search_key(name))]
        return [(place, flags) for place, flags in found if country is None or place.country == country]

    def spelled_like(self, name: str, country: str | None = None) -> list[tuple[Place, int]]:
        """Places whose own name is this name in another transliteration (Zalishchyky for
        "Zalischyky", Chaïdári for "Haidari"), as if it were one of their alternate names."""
        loose = spelling_key(name)
        if len(loose) < 4:
            return []
        found = [(self.place(number), 0) for number, _ in self.entries(build.LOOSE_PREFIX + loose)]
        return [(place, flags) for place, flags in found if country is None or place.country == country]

    def region(self, code: str) -> Place | None:
        """The first-level subdivision with this ISO 3166-2 code."""
        if self._regions is None:
            numbers = np.flatnonzero(self.level == LEVELS.index("region"))
            self._regions = {self.string(self.admin1_ids[number]): int(number) for number in numbers}
        number = self._regions.get(code)
        return self.place(number) if number is not None else None

    def ancestors(self, place: Place) -> list[Place]:
        chain, current = [], place
        while current.parent >= 0 and len(chain) < 4:
            current = self.place(current.parent)
            chain.append(current)
        return chain

    @lru_cache(maxsize=4096)  # noqa: B019 - one shared instance a process; the cache lives as long
    def admin1_codes(self, admin1: str, country: str) -> frozenset[str]:
        """ISO 3166-2 codes an admin1 as written may mean: 'MN', 'US-MN', 'Minnesota', 'Hiroshima Prefecture'."""
        text = admin1.strip()
        if not text:
            return frozenset()
        for code in (text.upper(), f"{country}-{text.upper()}"):
            if self.region(code) is not None:
                return frozenset({code})
        areas = [match.place for match in self.lookup(text, country, kind="region") if match.place.admin1]
        if not areas:
            areas = [match.place for match in self.lookup(text, country)[:3] if match.place.admin1]
        return frozenset(place.admin1 for place in areas)

    def in_parent(self, place: Place, parents: list[Place]) -> Place | None:
        for parent in parents:
            if parent.id == place.id or search_key(place.name) == search_key(parent.name):
                continue
            if parent.level == "region" and parent.admin1 and place.admin1 == parent.admin1:
                return parent
            if any(ancestor.id == parent.id for ancestor in self.ancestors(place)):
                return parent
            if parent.admin1 and place.admin1 and parent.admin1 != place.admin1:
                continue
            near = build.distance_km(place.lat, place.lon, parent.lat, parent.lon) <= PARENT_RADIUS_KM[parent.level]
            if near and (parent.level != "region" or not parent.admin1):
                return parent
        return None

    def lookup(
        self, name: str, country: str | None = None, *, admin1: str = "", level: str = "", kind: str = ""
    ) -> list[Match]:
        """Places this name may mean, the most likely first, each with the reason it ranks there.

        `country` is an ISO2 code (None: anywhere); `admin1` a region as written or its code; `level`
        a gazetteer level or a level of the partnerships table ("province", "county"); `kind`
        'city' or 'region' (a region is never answered by a town of its name, "Mpumalanga").
        An empty name, or a country code that does not exist, finds nothing."""
        name = (name or "").strip()
        country = country.strip().upper() if country else None
        if not name or (country is not None and country not in COUNTRY_CODES):
            return []
        asked_level = TABLE_LEVELS.get(level.casefold(), level.casefold()) if level else ""
        if asked_level and not kind:
            kind = "region" if asked_level in AREA_LEVELS else "city"
        found = self.lookup_in(name, country, admin1, asked_level, kind)
        for territory in TERRITORIES.get(country or "", ()) if not found else ():
            found = self.lookup_in(name, territory, "", asked_level, kind)
            if found:
                note = f"in {country_label(territory, 'en')}, a territory of {country_label(country, 'en')}"
                return [Match(match.place, f"{note}; {match.reason}") for match in found]
        return found

    def lookup_in(self, name: str, country: str | None, admin1: str, asked_level: str, kind: str) -> list[Match]:
        admin1_codes = self.admin1_codes(admin1, country) if admin1 and country else frozenset()
        outside: Outside | None = None  # the first places found of the name, none in the parent named
        for reading in readings(name):
            if reading.parent_only and outside is not None and outside.near_parent():
                return outside.matches_with_distance()  # "Lazarevac (Belgrade)", rather than Belgrade
            parents = self.parent_places(reading.parent, country) if reading.parent else []
            if reading.parent and not parents:
                if reading.name != reading.parent and self.named(reading.name, country):
                    code = country_code(reading.parent)
                    known = code is not None and (country is None or code == country)
                    note = f"in {reading.parent}" if known else f"{reading.parent} is not known"
                    how = "; ".join(part for part in (reading.how, note) if part)
                    reading = Reading(reading.name, level=reading.level, how=how)
                else:
                    continue
            level_asked = reading.level or asked_level
            matches = self.rank(reading, country, admin1_codes, level_asked, kind, parents)
            if not matches:
                continue
            if parents and self.in_parent(matches[0].place, parents) is None:
                outside = outside or Outside(matches, reading, parents)
                continue
            return matches
        # No place of the name is in the parent place named, and the parent itself is not known.
        return outside.matches if outside is not None else []

    def mentions(self, text: str, lang: str | None = None, countries: Iterable[str] = ()) -> list[Mention]:
        """Place names in running text, in order, each with the places it may mean (most likely first).

        Only names the index marks for text count (a Chinese word such as 文化 or 合作 is no place
        there, nor is 'Union' or 'Summit'), and a town only when it is big enough: see
        TEXT_MIN_POPULATION. `lang` 'en' reads only Latin script, 'zh' only Chinese, None both;
        `countries` (ISO2 codes the text names) lets smaller towns of those countries count."""
        hinted = frozenset(code.upper() for code in countries)
        found: list[Mention] = []
        if lang != "zh":
            lowered = {word.group(0) for word in WORD.finditer(text) if word.group(0).islower()}
            for run in capitalised_runs(text):
                found += self.run_mentions(text, run, hinted, lowered)
        if lang != "en":
            found += self.chinese_mentions(text, hinted)
        return sorted(found, key=lambda mention: mention.start)

    def run_mentions(
        self, text: str, run: list[tuple[int, int]], hinted: frozenset[str], lowered: set[str]
    ) -> list[Mention]:
        found, position = [], 0
        while position < len(run):
            for size in range(min(MAX_NAME_WORDS, len(run) - position), 0, -1):
                start, end = run[position][0], run[position + size - 1][1]
                surface = POSSESSIVE.sub("", text[start:end])
                if text[slice(*run[position + size - 1])] in PARTICLES:
                    continue
                bare = size == 1 and (sentence_start(text, start) or len(surface) <= 3)
                if size == 1 and (surface.casefold() in lowered or (bare and surface.casefold() in COMMON_WORDS_EN)):
                    continue  # a word rather than a name: written in lower case elsewhere, or opening a sentence
                candidates = self.text_candidates(surface, hinted, bare)
                # the last of three capitalised words or more, none of the others a place, ends a
                # person's name: "Mario Alejandro Navarro" is no Navarro (a small town), but "Sierra
                # Leones Freetown" is Freetown
                surname = size == 1 and position >= 2 and position == len(run) - 1 and not found
                if candidates and not (surname and weight(candidates[0].place) < BARE_WORD_MIN_POPULATION):
                    found.append(Mention(start, start + len(surface), surface, candidates))
                    position += size
                    break
            else:
                # "St. Mary" is no Mary: the word after an abbreviated first word is not a name alone
                abbreviated = text[slice(*run[position])].casefold() in ABBREVIATED_WORDS
                position += 2 if abbreviated else 1
        return found

    def chinese_mentions(self, text: str, hinted: frozenset[str]) -> list[Mention]:
        """Chinese has no spaces: at each character the longest name first. A foreign town or region
        of two characters is no name where a frequent word runs across its edge: 知多 in 知多少, 向日
        in 向日本, 大数 in 大数据 (a level word after it, 熊本市, is no such word)."""
        found = []
        for run in CJK_RUN.finditer(text):
            position = run.start()
            while position < run.end() - 1:
                for end in range(min(position + MAX_NAME_CHARS_ZH, run.end()), position + 1, -1):
                    candidates = self.text_candidates(text[position:end], hinted, False)
                    if end - position == 2 and candidates and self.cut_from_word(text, position, end, run):
                        candidates = tuple(match for match in candidates if not abroad_below_country(match.place))
                    if candidates:
                        found.append(Mention(position, end, text[position:end], candidates))
                        position = end
                        break
                else:
                    position += 1
        return found

    def cut_from_word(self, text: str, start: int, end: int, run: re.Match[str]) -> bool:
        """Whether a frequent two-character word runs across either edge of text[start:end]."""
        across = []
        if end < run.end() and text[end] not in ZH_LEVEL_CHARACTERS:
            across.append(text[end - 1 : end + 1])
        if start > run.start() and text[start - 1] not in ZH_LEVEL_CHARACTERS:
            across.append(text[start - 1 : start + 1])
        return any(self.is_frequent_word(word) for word in across)

    def is_frequent_word(self, word: str) -> bool:
        digest = np.uint64(build.key_hash(word))
        position = int(np.searchsorted(self.word_hash, digest))
        return position < len(self.word_hash) and self.word_hash[position] == digest

    def text_candidates(self, surface: str, hinted: frozenset[str], bare: bool) -> tuple[Match, ...]:
        names = [(surface, "")]
        split = level_of_words(surface) if not has_cjk(surface) else None
        if split and split[1]:
            names.append(split)
        chinese = has_cjk(surface)
        for name, level in names:
            eligible = []
            for number, flags in self.entries(search_key(name)):
                place = self.place(number)
                if not flags & build.TEXT or (level and place.level not in COMPATIBLE_LEVELS.get(level, {level})):
                    continue
                if bare and not flags & build.PRIMARY:
                    continue  # a word opening a sentence is no other name of a place: "Part of …" is not Perth
                if place.level == "city":
                    floor = HINTED_MIN_POPULATION if place.country in hinted else TEXT_MIN_POPULATION
                    # A Chinese text names a foreign town with its country; without it, a short name is
                    # as often the start of a longer one (奥兰 in 奥兰加巴德, Aurangabad).
                    unhinted_abroad = chinese and place.country not in hinted and place.country != "CN"
                    if place.population < (max(floor, BARE_WORD_MIN_POPULATION) if bare or unhinted_abroad else floor):
                        continue
                eligible.append(place)
            if eligible:
                key = search_key(name)
                eligible.sort(
                    key=lambda place: (place.country in hinted, names_fit(place, key), weight(place)), reverse=True
                )
                return tuple(Match(place, f"named in the text as {surface!r}") for place in eligible)
        return ()

    def parent_places(self, parent: str, country: str | None) -> list[Place]:
        """The places a parent named may be: the likeliest, and others of that very name (not the
        Regierungsbezirk that GeoNames also calls Stuttgart)."""
        found = [match.place for match in self.lookup(parent, country)[:5]]
        key = search_key(parent)
        return found[:1] + [place for place in found[1:] if names_fit(place, key)]

    def rank(
        self,
        reading: Reading,
        country: str | None,
        admin1_codes: frozenset[str],
        level: str,
        kind: str,
        parents: list[Place],
    ) -> list[Match]:
        found = (self.spelled_like if reading.loose else self.named)(reading.name, country)[:MAX_CANDIDATES]
        if kind == "region" or reading.level in AREA_LEVELS:
            allowed = COMPATIBLE_LEVELS.get(reading.level, AREA_LEVELS)
            areas = [(place, flags) for place, flags in found if place.level in allowed]
            # "Chrzanów County" may be drawn at the town it is named after, "Mpumalanga" never, and
            # a county of the United States is not named after its seat.
            seat_named = reading.level and (country or "") not in COUNTIES_NOT_NAMED_AFTER_SEATS
            found = areas or (found if seat_named else [])
        if not found:
            return []

        key = search_key(reading.name)
        spelled = same_letters(reading.name)
        seats = seats_of_areas([place for place, _ in found])
        divisions = [place for place, flags in found if place.source.startswith("cpca:") and flags & build.PRIMARY]

        def other_name_of_no_division(place: Place, flags: int) -> bool:
            return (
                bool(divisions)
                and place.country == "CN"
                and not flags & build.PRIMARY
                and not any(
                    build.distance_km(place.lat, place.lon, division.lat, division.lon) <= SAME_PLACE_KM
                    for division in divisions
                )
            )

        def order(item: tuple[Place, int]) -> tuple:
            place, flags = item
            return (
                bool(parents) and self.in_parent(place, parents) is not None,
                bool(admin1_codes) and place.admin1 in admin1_codes,
                not kind or (place.town_like if kind == "city" else place.kind == kind),
                bool(level) and place.level == level,
                # China's divisions are all known: a town asked by an alternate name, at the seat of
                # no division of that name, yields to one ("Tang" is Tang County, not Tanggu; "Yiyang"
                # still Heshan, at the seat of the city of Yiyang).
                not other_name_of_no_division(place, flags),
                seat_weight(place, seats)
                * (ALTERNATE_DISCOUNT if flags & build.PRIMARY else 1)
                * (1 if written_otherwise(place, key, spelled) else OTHER_SPELLING_DISCOUNT),
                names_fit(place, key),
                place.level == "city",
                -place.id,
            )

        ordered = sorted(found, key=order, reverse=True)
        county = ordered[0][0] if kind == "city" and ordered[0][0].source.startswith("cpca:") else None
        if county is not None:
            ordered = town_at_seat_first(ordered)

        def seat_note(place: Place) -> str:
            return f"the seat of {seats[place.id].name}; " if place.id in seats else ""

        matches = [
            Match(place, seat_note(place) + self.reason(place, ordered, reading, admin1_codes, level, parents))
            for place, _ in ordered
        ]
        if county is not None and matches[0].place is not county:
            matches[0] = Match(matches[0].place, f"the town at the seat of {county.name}; {matches[0].reason}")
        return matches

    def reason(
        self,
        place: Place,
        ordered: list[tuple[Place, int]],
        reading: Reading,
        admin1_codes: frozenset[str],
        level: str,
        parents: list[Place],
    ) -> str:
        parts = [reading.how] if reading.how else []
        others = len(ordered) - 1
        parent = self.in_parent(place, parents) if parents else None
        if parent is not None:
            parts.append(f"in {parent.name} ({parent.level})")
        elif parents:
            parts.append(f"none of that name is in {reading.parent}")
        if admin1_codes and place.admin1 in admin1_codes:
            parts.append(f"in admin1 {place.admin1}")
        if level and place.level == level:
            parts.append(f"the {level} asked")
        if others == 0:
            parts.append("the only place of that name")
        elif place.population:
            parts.append(f"most populous of {others + 1} places of that name ({place.population:,} people)")
        elif place.level != "city":
            parts.append(f"the {place.level} before the other {others} place(s) of that name")
        else:
            parts.append(f"first of {others + 1} places of that name")
        return "; ".join(part for part in parts if part)


def abroad_below_country(place: Place) -> bool:
    """A foreign town or region (not a Chinese place, not a country)."""
    return place.country != "CN" and place.level != "country"


@dataclass(frozen=True)
class Outside:
    """Places of the name asked, none of them in the parent place named with it."""

    matches: list[Match]
    reading: Reading
    parents: list[Place]

    def near_parent(self) -> bool:
        """The first is of its own name (not Vaihingen an der Enz for "Vaihingen") and near a parent."""
        place = self.matches[0].place
        return names_fit(place, search_key(self.reading.name)) and any(
            build.distance_km(place.lat, place.lon, parent.lat, parent.lon) <= NEAR_PARENT_KM for parent in self.parents
        )

    def matches_with_distance(self) -> list[Match]:
        best, parent = self.matches[0], self.parents[0]
        off = build.distance_km(best.place.lat, best.place.lon, parent.lat, parent.lon)
        return [Match(best.place, f"{off:.0f} km from {parent.name}, outside it; {best.reason}"), *self.matches[1:]]


@dataclass(frozen=True)
class Mention:
    """A place name found in running text: where it is, as written, and the places it may mean."""

    start: int
    end: int
    text: str
    candidates: tuple[Match, ...]


def capitalised_runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of capitalised words ('Kansas City', 'Frankfurt am Main'), as word spans."""
    words = list(WORD.finditer(text))
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    for index, word in enumerate(words):
        token = word.group(0)
        gap = text[run[-1][1] : word.start()] if run else ""
        # "St. Paul", "Mt. Gambier": the abbreviated first word of a name, with its full stop
        joined = gap == " " or (gap == ". " and text[slice(*run[-1])].casefold() in ABBREVIATED_WORDS and len(run) == 1)
        following = words[index + 1] if index + 1 < len(words) else None
        particle = (
            token in PARTICLES
            and joined
            and following is not None
            and following.group(0)[0].isupper()
            and text[word.end() : following.start()] == " "
        )
        if run and (not joined or not (token[0].isupper() or particle)):
            runs.append(run)
            run = []
        if token[0].isupper() or (particle and run):
            run.append(word.span())
        if run and POSSESSIVE.search(token):  # "Dusseldorf's" ends a name
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:;\n。！？"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer of this process: loaded once (building its index first if it is missing)."""
    return Gazetteer.load()


def small_gazetteer(places: Iterable[build.PlaceRecord], directory: Path) -> Gazetteer:
    """A gazetteer of only the given places, for tests: `build.PlaceRecord(name, country, level, lat, lon)`."""
    return Gazetteer(build.build_small_index(places, Path(directory)))
