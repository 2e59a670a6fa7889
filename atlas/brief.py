"""A partnership's one-page brief (`/brief/<id>`), as plain data for layouts/brief.py to render.

Everything comes from the story (atlas.story), so the brief and the story panel cannot differ; the
brief adds both names in both scripts, the levels, how the tie began, numbered citations and a
small map. Its activity is the latest year's: a brief is printed for the office as things stand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas.activity import rule_text
from atlas.dates import display_date
from atlas.figures import Figure, brief_map_figure
from atlas.i18n import country_label, level_label, localized, t
from atlas.load import HUB_ALL, Atlas
from atlas.story import Activity, Source, partnership_story

# More entries than this and the brief's type gets smaller, so that it still prints on one A4 page.
DENSE_ENTRIES = 12
DENSER_ENTRIES = 24


@dataclass(frozen=True)
class Citation:
    number: int
    label: str
    url: str


@dataclass(frozen=True)
class BriefEntry:
    date: str
    kind: str
    summary: str
    sectors: tuple[str, ...]
    institutions: str
    citation: int | None


@dataclass(frozen=True)
class Place:
    name: str  # in the brief's language
    other: str  # in the other script ('' when the data has only one)
    level: str


@dataclass(frozen=True)
class Brief:
    id: str
    lang: str
    home: Place
    partner: Place
    country: str
    relation: str
    established: str
    established_citation: int | None
    began: tuple[BriefEntry, ...]  # how the tie began: the entries up to the year it was established
    began_on_signing: bool  # one of them is the signing itself
    milestones: tuple[str, ...]
    timeline: tuple[BriefEntry, ...]  # the exchanges after those, each told once
    activity: Activity
    activity_rule: str
    citations: tuple[Citation, ...]
    unconfirmed: bool
    map: Figure
    density: str  # "", "dense" or "denser": how tightly the page is set

    @property
    def title(self) -> str:
        return f"{self.home.name} – {self.partner.name}"


def place(name: str, name_zh: str, level: str, lang: str) -> Place:
    shown = localized(name, name_zh, lang)
    other = name if lang == "zh" else name_zh
    return Place(shown, other if other != shown else "", level_label(level, lang))


def partnership_brief(atlas: Atlas, partnership_id: str, lang: str) -> Brief | None:
    """The brief of `partnership_id` in `lang`; None when there is no such partnership."""
    story = partnership_story(atlas, partnership_id, lang, HUB_ALL)
    if story is None:
        return None
    row = atlas.partnerships.iloc[atlas.partnership_positions[partnership_id]]
    numbers: dict[Source, int] = {source: number for number, source in enumerate(story.sources, start=1)}
    established_source = Source(row["source_url"], row["source_title"])
    entries = tuple(
        BriefEntry(
            entry.date,
            entry.kind,
            entry.summary,
            entry.sectors,
            entry.institutions,
            numbers.get(entry.source) if entry.source else None,
        )
        for entry in story.timeline
    )
    # The tie began with the entries dated up to the end of the year it was established; the timeline
    # goes on from there, so that each entry is told once.
    began = [bool(told.iso) and pd.notna(row["year"]) and int(told.iso[:4]) <= row["year"] for told in story.timeline]
    began_dates = [told.iso for told, first in zip(story.timeline, began, strict=True) if first]
    size = len(entries) + len(story.milestones)
    density = "denser" if size > DENSER_ENTRIES else "dense" if size > DENSE_ENTRIES else ""
    return Brief(
        id=partnership_id,
        lang=lang,
        home=place(row["home"], row["home_zh"], row["home_level"], lang),
        partner=place(row["partner"], row["partner_zh"], row["partner_level"], lang),
        country=country_label(row["country"], lang),
        relation=story.relation,
        established=display_date(row["established"], lang),
        established_citation=numbers.get(established_source),
        began=tuple(entry for entry, first in zip(entries, began, strict=True) if first),
        began_on_signing=row["established"] in began_dates,
        milestones=story.milestones,
        timeline=tuple(entry for entry, first in zip(entries, began, strict=True) if not first),
        activity=story.activity,
        activity_rule=rule_text(lang),
        citations=tuple(
            Citation(number, source.label, source.url)
            for source, number in numbers.items()
            if source.url or source.title
        ),
        unconfirmed=story.unconfirmed,
        map=brief_map_figure(row, lang),
        density=density,
    )


def not_found_text(partnership_id: str, lang: str) -> str:
    return t("brief_not_found", lang).format(id=partnership_id)
