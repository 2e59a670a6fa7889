"""The ingest's vocabulary, read from the data files beside it (lexicon/*.toml) and compiled once.

The words live in one file a language (en.toml, zh.toml) and the relations in relations.toml, so
a new wording is a line of data, not a change to the engine. English patterns match on word
boundaries without case; Chinese ones anywhere (Chinese has no spaces).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicon"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Relation:
    name: str  # as the --json output and partnerships.csv's `relation` say it
    zh: str
    rank: int  # 0 is the strongest
    tier: int
    establishes: bool = True


@dataclass(frozen=True)
class TiePhrase:
    pattern: re.Pattern[str]
    relation: Relation
    document: bool  # names what was signed ("memorandum"), which wins over the tie it is about


@dataclass(frozen=True)
class Lexicon:
    relations: dict[str, Relation]
    ties: tuple[TiePhrase, ...]
    not_ties: re.Pattern[str]
    establish: re.Pattern[str]
    renew: re.Pattern[str]
    hedge: re.Pattern[str]
    purpose: re.Pattern[str]  # an aim ('to establish'): a plan unless `signed` comes before it in the clause
    signed: re.Pattern[str]
    venue_before: re.Pattern[str]  # matched against the text just before a place
    dateline_after: re.Pattern[str]  # matched against the text just after a place: where a report was filed
    organisation_after: re.Pattern[str]  # matched against the text just after a place
    organisation_before: re.Pattern[str]  # "University of" before a place
    company_after: re.Pattern[str]  # a company or university named after a place, never its government
    pair_reference: re.Pattern[str]
    home_reference: re.Pattern[str]
    partner_reference: re.Pattern[str]
    anaphora: re.Pattern[str]
    as_of: re.Pattern[str]
    cooperation: re.Pattern[str]
    list_heading: re.Pattern[str]  # a line that introduces a list of partners
    event_kinds: tuple[tuple[str, re.Pattern[str]], ...]
    furniture: re.Pattern[str]
    published_labels: re.Pattern[str]
    months_en: tuple[str, ...]
    weekdays_en: tuple[str, ...]
    relative_words: dict[str, tuple[str, ...]]  # same_year, next_year, this_year, ... -> words of every language


def alternation(patterns: list[str], language: str, whole_words: bool = True) -> str:
    """One regular expression for the patterns of one language (English: whole words, any case)."""
    if not patterns:
        return r"(?!x)x"
    joined = "|".join(f"(?:{pattern})" for pattern in patterns)
    if language != "en":
        return f"(?:{joined})"
    return rf"(?i:(?<!\w)(?:{joined})(?!\w))" if whole_words else f"(?i:{joined})"


def compiled(
    files: dict[str, dict], key: str, *, section: str | None = None, whole_words: bool = True
) -> re.Pattern[str]:
    parts = []
    for language, data in files.items():
        source = data.get(section, {}) if section else data
        parts.append(alternation(source.get(key, []), language, whole_words))
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The vocabulary of every language, compiled once a process."""
    with (LEXICON_DIR / "relations.toml").open("rb") as stream:
        relation_rows = tomllib.load(stream)["relation"]
    tiers = [row["tier"] for row in relation_rows]
    relations = {
        row["name"]: Relation(row["name"], row["zh"], rank, row["tier"], row.get("establishes", True))
        for rank, row in enumerate(relation_rows)
    }
    if tiers != sorted(tiers, reverse=True):
        raise ValueError("relations.toml: relations must be listed from the strongest tier to the weakest")
    files: dict[str, dict] = {}
    for language in LANGUAGES:
        with (LEXICON_DIR / f"{language}.toml").open("rb") as stream:
            files[language] = tomllib.load(stream)
    ties = tuple(
        TiePhrase(
            re.compile(alternation(row["patterns"], language)), relations[row["relation"]], row.get("document", False)
        )
        for language, data in files.items()
        for row in data["tie"]
    )
    kinds: dict[str, list[str]] = {}
    for language, data in files.items():
        for kind, patterns in data["event_kinds"].items():
            kinds.setdefault(kind, []).append(alternation(patterns, language))
    relative_keys = ("same_year", "next_year", "this_year", "last_year", "this_month", "yesterday", "today")
    venue = "|".join(
        (rf"(?i:\b(?:{'|'.join(data['venue'])})\s*$)" if language == "en" else f"(?:{'|'.join(data['venue'])})\\s*$")
        for language, data in files.items()
    )
    organisation = "|".join(
        (
            rf"(?:^[\s'’s]*(?:{'|'.join(data['organisation'])})\b)"
            if language == "en"
            else f"(?:^[\u4e00-\u9fff]{{0,4}}?(?:{'|'.join(data['organisation'])}))"
        )
        for language, data in files.items()
    )
    return Lexicon(
        relations=relations,
        ties=ties,
        not_ties=compiled(files, "not_ties"),
        establish=compiled(files, "establish"),
        renew=compiled(files, "renew"),
        hedge=compiled(files, "hedge"),
        purpose=compiled(files, "purpose"),
        signed=compiled(files, "signed"),
        venue_before=re.compile(venue),
        dateline_after=compiled(files, "dateline_after"),
        organisation_after=re.compile(organisation),
        company_after=re.compile(
            "|".join(
                rf"(?:^\s+(?:[A-Z][\w'’]*\s+){{0,3}}(?:{'|'.join(data['company'])})\b)"
                if language == "en"
                else f"(?:^[\u4e00-\u9fff]{{0,4}}?(?:{'|'.join(data['company'])}))"
                for language, data in files.items()
            )
        ),
        organisation_before=re.compile(rf"\b(?:{'|'.join(files['en']['organisation'])})\s+(?:of|in)\s+(?:the\s+)?$"),
        pair_reference=compiled(files, "pair_reference"),
        home_reference=compiled(files, "home_reference"),
        partner_reference=compiled(files, "partner_reference"),
        anaphora=compiled(files, "anaphora"),
        as_of=compiled(files, "as_of"),
        cooperation=compiled(files, "cooperation"),
        list_heading=compiled(files, "list_heading"),
        event_kinds=tuple((kind, re.compile("|".join(patterns))) for kind, patterns in kinds.items()),
        furniture=compiled(files, "lines", section="furniture", whole_words=False),
        published_labels=compiled(files, "published_labels", section="dates"),
        months_en=tuple(files["en"]["dates"]["months"]),
        weekdays_en=tuple(files["en"]["dates"]["weekdays"]),  # dates.py spells weekday patterns with them
        relative_words={
            key: tuple(word for data in files.values() for word in data["dates"].get(key, [])) for key in relative_keys
        },
    )
