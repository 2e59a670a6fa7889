"""The story of a partnership, and a hub's overview, as plain data for the layout to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from atlas.activity import RECENT_YEARS, UNKNOWN, activity_at
from atlas.dates import display_date
from atlas.filters import seen_from
from atlas.i18n import country_label, field_label, kind_label, localized, t
from atlas.load import HUB_ALL, Atlas

# Facts shown as headline figures rather than on the timeline of milestones.
FIGURE_KINDS = ("figure", "count")


@dataclass(frozen=True)
class Source:
    url: str
    title: str

    @property
    def label(self) -> str:
        return self.title or urlparse(self.url).netloc or self.url


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    kind: str
    summary: str
    sectors: tuple[str, ...] = ()
    institutions: str = ""
    source: Source | None = None
    iso: str = ""  # the date as stored (YYYY, YYYY-MM or YYYY-MM-DD); '' when undated


@dataclass(frozen=True)
class Conflict:
    """What another source says of one field, beside what the row says: both shown, neither chosen."""

    field: str
    stated: str
    claimed: str
    source: Source | None
    note: str


@dataclass(frozen=True)
class Activity:
    """How alive a tie is at `year`: its status and what it rests on (atlas.activity)."""

    year: int
    status: str  # active, quiet, dormant, unknown; or "later" when the tie was not yet established
    label: str  # 'Active in 2010'
    last: str  # 'Last exchange: 22 July 2004 (2004), Visit: …', or what stands in for it
    recent: str  # '0 exchanges in 2006–2010'


@dataclass(frozen=True)
class Story:
    id: str
    name: str
    other_name: str
    home: str
    country: str
    relation: str
    established: str
    confidence: str
    low_confidence: bool
    unconfirmed: bool
    location_note: str
    timeline: tuple[TimelineEntry, ...]
    sources: tuple[Source, ...]
    milestones: tuple[str, ...]
    notes: str
    conflicts: tuple[Conflict, ...] = ()
    activity: Activity | None = None


@dataclass(frozen=True)
class Figure:
    value: str
    caption: str
    date: str
    source: Source | None


@dataclass(frozen=True)
class HubOverview:
    name: str
    figures: tuple[Figure, ...] = field(default=())
    milestones: tuple[TimelineEntry, ...] = field(default=())


def source_of(record: pd.Series) -> Source | None:
    url, title = record.get("source_url", ""), record.get("source_title", "")
    return Source(url, title) if url or title else None


def home_label(atlas: Atlas, row: pd.Series, lang: str) -> str:
    """The home, under its municipality or province when it is a city, district or county of one."""
    home = localized(row["home"], row["home_zh"], lang)
    hub = atlas.hub(row["home_province"]) if row["home_province"] != row["home"] else None
    if hub is None:
        return home
    province = localized(hub.name, hub.name_zh, lang)
    return f"{province}{home}" if lang == "zh" else f"{home}, {province}"


def disputed_value(field: str, value: str, value_zh: str, lang: str) -> str:
    if field == "established":
        return display_date(value, lang)
    if field == "country":
        return country_label(value, lang)
    return localized(value, value_zh, lang)


def stated_value(row: pd.Series, field: str, lang: str) -> str:
    if field in ("home", "partner", "relation"):
        return localized(row[field], row[f"{field}_zh"], lang)
    return disputed_value(field, row[field], "", lang)


def conflicts_of(atlas: Atlas, row: pd.Series, lang: str) -> tuple[Conflict, ...]:
    claims = atlas.conflicts[atlas.conflicts["partnership_id"] == row["id"]]
    return tuple(
        Conflict(
            field_label(claim["field"], lang),
            stated_value(row, claim["field"], lang),
            disputed_value(claim["field"], claim["value"], claim.get("value_zh", "") or "", lang),
            source_of(claim),
            claim["note"],
        )
        for _, claim in claims.iterrows()
    )


def sector_labels(atlas: Atlas, sectors: list[str], lang: str) -> tuple[str, ...]:
    labels = atlas.sectors.set_index("sector")["label_zh" if lang == "zh" else "label_en"]
    return tuple(str(labels.get(name, name)) for name in sectors)


def sort_key(date: str) -> tuple[int, str]:
    """Dated entries in order, undated ones after them."""
    return (0, date) if date else (1, "")


def activity_of(atlas: Atlas, row: pd.Series, year: int, lang: str) -> Activity:
    """The activity of the partnership `row` (a row of atlas.partnerships, by its index) at `year`."""
    if row["year_drawn"] > year:
        return Activity(year, "later", t("activity_later", lang).format(year=year), "", "")
    established = np.array([row["year"]], dtype=float) if pd.notna(row["year"]) else np.array([np.nan])
    found = activity_at(atlas.exchange_index, np.array([row.name]), established, year).iloc[0]
    status = found["activity"]
    label = t(f"activity_{status}_at", lang).format(year=year)
    if found["last_row"] >= 0:
        event = atlas.events.loc[found["last_row"]]
        last = t("last_exchange", lang).format(
            date=display_date(event["date"], lang),
            year=int(found["last_year"]),
            what=f"{kind_label(event['kind'], lang)}: {localized(event['summary'], event['summary_zh'], lang)}",
        )
    elif status != UNKNOWN:
        last = t("no_exchange_since_signing", lang).format(date=display_date(row["established"], lang))
    else:
        last = t("no_dated_exchange", lang)
    recent = t("recent_exchanges", lang).format(count=int(found["recent"]), first=year - RECENT_YEARS + 1, last=year)
    return Activity(year, status, label, last, recent)


def partnership_story(
    atlas: Atlas, partnership_id: str | None, lang: str, home: str = HUB_ALL, year: int | None = None
) -> Story | None:
    """The story of one partnership, told from `home`: a reciprocal pair seen from its partner side
    names that side as home and the other place as the partner, as the map draws it; with its
    activity at `year` (the latest year when None)."""
    chosen = atlas.partnerships[atlas.partnerships["id"] == partnership_id]
    if chosen.empty:
        return None
    row = seen_from(chosen, home).iloc[0]
    events = atlas.events[atlas.events["partnership_id"] == partnership_id]
    entries = []
    event_dates = set(events["date"])
    if row["established"] and row["established"] not in event_dates:
        entries.append(
            (
                row["established"],
                TimelineEntry(
                    display_date(row["established"], lang),
                    kind_label("established", lang),
                    localized(row["relation"], row["relation_zh"], lang),
                    source=source_of(row),
                    iso=row["established"],
                ),
            )
        )
    for _, event in events.iterrows():
        entries.append(
            (
                event["date"],
                TimelineEntry(
                    display_date(event["date"], lang),
                    kind_label(event["kind"], lang),
                    localized(event["summary"], event["summary_zh"], lang),
                    sector_labels(atlas, event["sector_list"], lang),
                    event["institutions"],
                    source_of(event),
                    event["date"],
                ),
            )
        )
    entries.sort(key=lambda entry: sort_key(entry[0]))
    sources = [source_of(row)] + [source_of(event) for _, event in events.iterrows()]
    unique_sources = tuple(dict.fromkeys(source for source in sources if source is not None))
    facts = atlas.facts[atlas.facts["partnership_id"] == partnership_id]
    precision = row["location_precision"]
    name = localized(row["partner"], row["partner_zh"], lang)
    other = row["partner"] if lang == "zh" else row["partner_zh"]
    return Story(
        id=row["id"],
        name=name,
        other_name=other if other != name else "",
        home=home_label(atlas, row, lang),
        country=country_label(row["country"], lang),
        relation=localized(row["relation"], row["relation_zh"], lang),
        established=display_date(row["established"], lang),
        confidence=t(f"confidence_{row['confidence']}", lang),
        low_confidence=row["confidence"] == "low",
        unconfirmed=bool(row["unconfirmed"]),
        location_note=t(f"precision_{precision}", lang) if precision in ("region", "country") else "",
        timeline=tuple(entry for _, entry in entries),
        sources=unique_sources,
        milestones=tuple(localized(fact["caption_en"], fact["caption_zh"], lang) for _, fact in facts.iterrows()),
        notes=row["notes"],
        conflicts=conflicts_of(atlas, row, lang),
        activity=activity_of(atlas, row, atlas.last_year if year is None else year, lang),
    )


def hub_facts(atlas: Atlas, home: str) -> pd.DataFrame:
    facts = atlas.facts
    if home == HUB_ALL:
        return facts
    members = atlas.partnerships.loc[atlas.partnerships["home_province"] == home, "home"]
    return facts[(facts["hub"] == home) | facts["hub"].isin(set(members))]


def hub_overview(atlas: Atlas, home: str, year: int, lang: str) -> HubOverview:
    """Headline figures and milestones of a hub, up to the year shown."""
    hub = atlas.hub(home)
    name = t("all_hubs", lang) if hub is None else localized(hub.name, hub.name_zh, lang)
    facts = hub_facts(atlas, home)
    facts = facts[facts["year"].fillna(atlas.last_year) <= year].sort_values("date", kind="stable")
    figures = tuple(
        Figure(
            fact["value"],
            localized(fact["caption_en"], fact["caption_zh"], lang),
            display_date(fact["date"], lang),
            source_of(fact),
        )
        for _, fact in facts[facts["kind"].isin(FIGURE_KINDS)].iterrows()
    )
    milestones = tuple(
        TimelineEntry(
            display_date(fact["date"], lang),
            kind_label(fact["kind"], lang),
            localized(fact["caption_en"], fact["caption_zh"], lang),
            sector_labels(atlas, [name for name in fact["sectors"].split(";") if name], lang),
            source=source_of(fact),
        )
        for _, fact in facts[~facts["kind"].isin(FIGURE_KINDS)].iterrows()
    )
    return HubOverview(name, figures, milestones)


def milestone_captions_by_year(atlas: Atlas, home: str, lang: str) -> dict[int, list[str]]:
    """Captions of the hub's milestones, by the year each was reached, for presentation mode."""
    facts = hub_facts(atlas, home)
    facts = facts[(facts["kind"] == "milestone") & facts["year"].notna()]
    captions: dict[int, list[str]] = {}
    for _, fact in facts.iterrows():
        captions.setdefault(int(fact["year"]), []).append(localized(fact["caption_en"], fact["caption_zh"], lang))
    return captions


def milestone_captions(atlas: Atlas, home: str, year: int, lang: str) -> list[str]:
    """Captions of the milestones reached in exactly `year`."""
    return milestone_captions_by_year(atlas, home, lang).get(year, [])
