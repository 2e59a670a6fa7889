"""Places an article names, each read as one place of the world gazetteer.

The gazetteer finds the names and the places each may mean (`Gazetteer.mentions`); this stage
chooses among them with what the text says around the name: a country or region written beside
it ('日本鹿儿岛市', "Japan's Kobe", 'Kimberley in South Africa', 'Carmel, Indiana') picks the place
there and is itself only a qualifier, never a party; a place the tables already know is preferred;
a name inside an organisation's ('University of Leicester', '北京大学') is marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from atlas.ingest.knowledge import Knowledge
from atlas.ingest.lexicon import lexicon
from atlas.places.gazetteer import Gazetteer, Match, Mention, Place, level_of_words

# Text between a place and a country or region that says where the place is.
QUALIFIER_AFTER = re.compile(
    r"^(?:\s+(?:county|district|city|prefecture))?"  # 'Haiyan county, Zhejiang Province'
    r"(?:\s*,\s*(?:the\s+)?|\s+in\s+(?:the\s+)?|\s*\((?:[a-z ]+\)\s*,?\s*)?|\s*[(（]|\s+of\s+(?:the\s+)?|"
    r"\s+in\s+(?:[a-z-]+\s+)?China['’]s\s+|"  # 'Fengdu County in southwest China's Chongqing Municipality'
    # 'Kansas City, US state of Missouri'
    r"(?:\s*,\s*|\s+of\s+)(?:the\s+)?(?:US\s+|U\.S\.\s+)?(?:state|province)\s+of\s+|)$"
)
QUALIFIER_BEFORE = re.compile(r"^(?:['’]s\s+|的|\s*|友城|友好城市|首都)$")
ORGANISATION_WINDOW = 40
BIG_TOWN = 50_000  # people: a town this big is meant by its name before a region of that name
CJK = re.compile(r"[\u3400-\u9fff]+")
MAX_NAME_CHARS = 12  # of a Chinese place name
LEVEL_SUFFIX = re.compile(r"[省州市县区郡道府]$")
AREA_SUFFIXES = "省州郡县道"
NUMERALS = "一二两三四五六七八九十百千几多数"
NAME_DOTS = "•·‧・"  # between the parts of a transliterated personal name
# A dot a few characters before or after a Chinese name: it is part of a person's name ('拉法埃尔·皮诺').
PERSON_BEFORE = re.compile(rf"[{NAME_DOTS}][\u4e00-\u9fff]{{0,3}}$")
PERSON_AFTER = re.compile(rf"[\u4e00-\u9fff]{{0,3}}[{NAME_DOTS}]")
# A name right after an office is the holder's: '副市长瓦尔蒂基耶' (not Valff).
TITLE_BEFORE = re.compile(r"(?:市长|省长|州长|区长|县长|议长|议员|主席|书记|大使|领事|总统|总理|部长|局长|先生|女士)$")
# A name before ', mayor of …' is the holder's: 'Yao Gaoyuan, mayor of Hangzhou' (Gaoyuan is no Planaltina).
HOLDER_BEFORE_OFFICE = re.compile(
    r",\s+(?:the\s+)?(?:(?:deputy|vice|former|executive|party)\s+)?"
    r"(?:mayor|governor|president|chairman|chairwoman|secretary|director|minister|ambassador|consul|head)(?:-general)?\s+of\b",
    re.IGNORECASE,
)
OFFICE_AFTER = re.compile(
    r"\s+(?:County|City|Province|State|Municipal)\s+(?:Executive|Councill?or|Mayor|Governor|Commissioner|Official)s?\b"
)
LONGER_NAME = re.compile(
    r"\s+(?!(?:Province|State|County|City|District|Region|Prefecture|Oblast|Megye|Municipality|Island|Sister|"
    r"Friendship|Council|Government)\b)[A-Z][a-z]"  # a county council is the county's government
)
# A foreign region written right before a name the gazetteer does not know: '魁北克省沙威尼根市'.
UNKNOWN_PLACE_AFTER = re.compile(r"^[\u4e00-\u9fff]{2,6}?[市县郡]")


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    place: Place
    qualifier: bool = False  # names where the place beside it is: not a party
    organisation: bool = False  # part of an organisation's name
    reason: str = ""
    qualified: bool = False  # a country or region written beside it says where it is

    @property
    def is_country(self) -> bool:
        return self.place.level == "country"

    @property
    def is_chinese(self) -> bool:
        return self.place.country == "CN"


def contains(area: Place, place: Place, places: Gazetteer | None = None) -> bool:
    """Whether `area` (a country or first-level region; with the gazetteer, also a Chinese prefecture
    that `place` belongs to) holds `place`."""
    if area.level == "country":
        return area.country == place.country and place.level != "country"
    if area.level == "region" and area.admin1:
        return place.admin1 == area.admin1 and place.id != area.id and place.level != "region"
    if places is not None and area.level == "prefecture" and area.country == place.country == "CN":
        # 'Chongqing Municipality' holds Fengdu County, which cpca files under another 重庆市
        return any(above.name_zh == area.name_zh for above in places.ancestors(place))
    return False


def choose(
    candidates: tuple[Match, ...], knowledge: Knowledge, areas: list[Place], surface: str, following: str = ""
) -> Match | None:
    """The candidate inside a neighbouring country or region, else one the tables know, else the first.

    A Chinese name without a level word ('奈良', not '奈良县') is a town before an area of that name,
    and so is an English one of a big town ('Maribor', not the municipality; 'Tashkent'); two Chinese
    characters that name only a foreign county are taken for a word (国家 is no county)."""
    if CJK.fullmatch(surface) and LEVEL_SUFFIX.search(surface):
        # '沅江市': the county-level city of that very name, not the town at its seat GeoNames also calls so
        exact = tuple(
            sorted(
                (match for match in candidates if match.place.name_zh == surface),
                key=lambda match: not match.place.source.startswith("cpca:"),
            )
        )
        candidates = exact + tuple(match for match in candidates if match not in exact)
    if CJK.fullmatch(surface) and following[:1] in AREA_SUFFIXES:
        # '乌里扬诺夫斯克州': the name was found without its level word; the area, not the town.
        areas_first = tuple(match for match in candidates if match.place.level not in ("city", "country"))
        candidates = areas_first + tuple(match for match in candidates if match not in areas_first)
    elif CJK.fullmatch(surface) and not LEVEL_SUFFIX.search(surface) and candidates[0].place.level != "country":
        towns = tuple(match for match in candidates if match.place.level == "city")
        if towns:
            candidates = towns + tuple(match for match in candidates if match.place.level != "city")
        elif len(surface) <= 2 and candidates[0].place.country != "CN" and candidates[0].place.level == "county":
            return None
    elif not CJK.search(surface) and candidates[0].place.level == "region" and not level_of_words(surface):
        # 'Maribor', 'Tashkent', 'Daegu' without a level word: the big town, not the region named after it
        region = candidates[0].place
        towns = tuple(
            match
            for match in candidates
            if match.place.level == "city"
            and match.place.country == region.country
            and match.place.population >= BIG_TOWN
        )
        candidates = towns + tuple(match for match in candidates if match not in towns)
    for area in areas:
        inside = [match for match in candidates if contains(area, match.place)]
        if inside:
            return inside[0]
    known = [match for match in candidates if knowledge.known_home(match.place) or knowledge.known_partner(match.place)]
    return known[0] if known else candidates[0]


def is_noise(surface: str, place: Place, areas: list[Place], text: str, start: int, end: int) -> bool:
    """Readings the text itself rules out.

    - a name right after a country, but no place of that country ('越南平阳' is no town of China);
    - an acronym ('SCI', 'CSCI') that is no country;
    - a name before ', mayor of': a person's ('Yao Gaoyuan, mayor of Hangzhou');
    - a Chinese name inside a name joined by '•' to another, or right after an office: a person's
      ('科林•戴维', '拉法埃尔·皮诺', '副市长瓦尔蒂基耶');
    - two Chinese characters naming a foreign area without its level word or its country beside
      them ('中央' is no province of Iran);
    - two Chinese characters after a numeral ('五大洲': five continents, not Ōzu)."""
    countries = [area for area in areas if area.level == "country"]
    if countries and place.level != "country" and not any(contains(area, place) for area in countries):
        return True
    if re.fullmatch(r"[A-Z]{2,5}", surface) and place.level != "country":
        return True
    if not CJK.search(surface) and HOLDER_BEFORE_OFFICE.match(text, end):
        return True
    if CJK.fullmatch(surface) and (
        PERSON_BEFORE.search(text, 0, start) or PERSON_AFTER.match(text, end) or TITLE_BEFORE.search(text, 0, start)
    ):
        return True
    if CJK.fullmatch(surface) and len(surface) <= 2 and place.country != "CN" and start and text[start - 1] in NUMERALS:
        return True
    return bool(
        CJK.fullmatch(surface)
        and len(surface) <= 2
        and not LEVEL_SUFFIX.search(surface)
        and place.country != "CN"
        and place.level not in ("city", "country")
        and not countries
    )


def place_mentions(text: str, knowledge: Knowledge) -> list[PlaceMention]:
    """Every place `text` names (the article's analysis text), in order."""
    places = knowledge.gazetteer
    first = places.mentions(text)
    countries = {
        mention.candidates[0].place.country for mention in first if mention.candidates[0].place.level == "country"
    }
    raw = places.mentions(text, countries=countries) if countries else first
    raw = resplit_countries(raw, text, places, countries)
    words = lexicon()
    chosen: list[PlaceMention] = []
    for index, mention in enumerate(raw):
        neighbours = []
        if index + 1 < len(raw) and qualifies_after(text, mention, raw[index + 1]):
            neighbours.append(raw[index + 1])
        if index > 0 and QUALIFIER_BEFORE.match(text[raw[index - 1].end : mention.start]):
            neighbours.append(raw[index - 1])
        areas = [
            neighbour.candidates[0].place
            for neighbour in neighbours
            if neighbour.candidates[0].place.level in ("country", "region")
        ]
        following = text[mention.end : mention.end + 1]
        match = choose(mention.candidates, knowledge, areas, mention.text, following)
        if match is None or is_noise(mention.text, match.place, areas, text, mention.start, mention.end):
            continue
        if following and following in AREA_SUFFIXES and match.place.level == "city":
            # '乌里扬诺夫斯克州': the gazetteer knows only the town; the tables know the oblast by that name.
            side = knowledge.partner_named(mention.text + following, match.place.country)
            if side is not None:
                area = replace(match.place, name=side.name, name_zh=side.name_zh, level="region")
                match = Match(area, f"the partner {side.name} of the tables, written {mention.text + following}")
        after = text[mention.end : mention.end + ORGANISATION_WINDOW]
        before = text[max(0, mention.start - ORGANISATION_WINDOW) : mention.start]
        organisation = bool(words.organisation_after.search(after) or words.organisation_before.search(before))
        # A foreign name that goes on in capitals is part of a longer one: 'Southeast Asia', 'Sacramento Kings'.
        # ('Italy Piacenza City', a translation of 意大利皮亚琴察市: a country before its own town, no longer name)
        before_its_town = (
            match.place.level == "country"
            and index + 1 < len(raw)
            and raw[index + 1].start == mention.end + 1
            and raw[index + 1].candidates[0].place.country == match.place.country
        )
        longer = match.place.country != "CN" and bool(LONGER_NAME.match(after)) and not before_its_town
        organisation = organisation or longer
        organisation = organisation or bool(OFFICE_AFTER.match(after))  # 'Lincoln County Executive Colin Davy'
        chosen.append(
            PlaceMention(
                mention.start, mention.end, mention.text, match.place, False, organisation, match.reason, bool(areas)
            )
        )
    return joined_organisations(mark_qualifiers(chosen, text, places), text)


def qualifies_after(text: str, mention: Mention, following: Mention) -> bool:
    """Whether `following` says where `mention` is ('Carmel, Indiana', '萨尔茨堡州(奥地利)'). Chinese writes
    the country before its town: in '北海道、山形县,韩国忠清北道' Korea begins the next item."""
    gap = text[mention.end : following.start]
    if CJK.fullmatch(mention.text) and CJK.fullmatch(following.text) and re.search(r"[,，]", gap):
        return False
    return bool(QUALIFIER_AFTER.match(gap))


def resplit_countries(raw: list[Mention], text: str, places: Gazetteer, countries: set[str]) -> list[Mention]:
    """'刚果金沙萨' is 刚果(金) and 金沙萨: a country's longer name (刚果金) must not eat the first character
    of a town of that country written right after it."""
    found: list[Mention] = []
    for index, mention in enumerate(raw):
        following = raw[index + 1].start if index + 1 < len(raw) else len(text)
        if CJK.fullmatch(mention.text) and mention.candidates[0].place.level == "country" and following > mention.end:
            found += country_and_town(mention, text, places, countries) or [mention]
        else:
            found.append(mention)
    return found


def country_and_town(mention: Mention, text: str, places: Gazetteer, countries: set[str]) -> list[Mention]:
    country = mention.candidates[0].place.country
    for cut in range(len(mention.text) - 1, 1, -1):
        start = mention.start + cut
        rest = places.mentions(text[start : start + MAX_NAME_CHARS], lang="zh", countries=countries | {country})
        if not rest or rest[0].start != 0 or start + rest[0].end <= mention.end:
            continue
        town = [
            match for match in rest[0].candidates if match.place.country == country and match.place.level != "country"
        ]
        if town:
            head = Mention(mention.start, start, mention.text[:cut], mention.candidates)
            return [head, Mention(start, start + rest[0].end, rest[0].text, tuple(town))]
    return []


def joined_organisations(found: list[PlaceMention], text: str) -> list[PlaceMention]:
    """'the Economic Promotion Agencies of Dusseldorf and Duisburg': both are in the organisation's name."""
    marked = list(found)
    for index in range(1, len(found)):
        previous, mention = marked[index - 1], found[index]
        if (
            previous.organisation
            and not mention.organisation
            and re.fullmatch(r"\s*(?:and|&|、|和)\s*", text[previous.end : mention.start])
        ):
            marked[index] = replace(mention, organisation=True)
    return marked


def mark_qualifiers(found: list[PlaceMention], text: str, places: Gazetteer) -> list[PlaceMention]:
    """A country or region written beside a place it holds qualifies that place."""
    marked = list(found)
    for index, mention in enumerate(found):
        previous = found[index - 1] if index else None
        if (
            mention.place.level == "region"
            and previous is not None
            and previous.is_country
            and previous.place.country == mention.place.country
            and re.fullmatch(r"\s+and\s+|及|和", text[previous.end : mention.start])
        ):
            marked[index] = replace(mention, qualifier=True)  # '…of Great Britain and Northern Ireland': the country
            continue
        if mention.place.level == "region" and CJK.fullmatch(mention.surface):
            following = found[index + 1].start if index + 1 < len(found) else len(text)
            if UNKNOWN_PLACE_AFTER.match(text[mention.end : following]):
                marked[index] = replace(mention, qualifier=True)
                continue
        for other_index in (index - 1, index + 1):
            if not 0 <= other_index < len(found):
                continue
            other = found[other_index]
            if not contains(mention.place, other.place, places):
                continue
            if other_index < index:
                beside = QUALIFIER_AFTER.match(text[other.end : mention.start])
            else:
                beside = QUALIFIER_BEFORE.match(text[mention.end : other.start]) and (
                    mention.is_country or mention.place.country == "CN"
                )
            if beside:
                marked[index] = replace(mention, qualifier=True)
                break
    return marked
