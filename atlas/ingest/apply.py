"""Proposals as table rows, and the write: new rows only, committed through the data directory's
store (atlas.store: locked, validated whole, journaled). Thin on purpose: the rows are made here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import pandas as pd

from atlas.errors import ValidationFailed
from atlas.ingest.knowledge import Knowledge
from atlas.ingest.propose import Proposals, ProposedEvent, ProposedPartnership
from atlas.places.gazetteer import Place
from atlas.schema import EVENTS, PARTNERSHIPS, PLACES
from atlas.store import DataStore, Snapshot
from atlas.validate import place_key

INGESTED_CONFIDENCE = "medium"


@dataclass
class Additions:
    partnerships: list[dict[str, str]] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)
    places: list[dict[str, str]] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)  # why a proposal is not added

    def __bool__(self) -> bool:
        return bool(self.partnerships or self.events or self.places)


def partnership_row(found: ProposedPartnership, proposals: Proposals) -> dict[str, str]:
    article = proposals.article
    home, partner = found.home, found.partner
    return {
        "id": found.id,
        "home": home.name,
        "home_zh": home.name_zh,
        "home_level": home.level,
        "home_province": home.province,
        "home_admin1": home.admin1,
        "home_country": home.country,
        "partner": partner.name,
        "partner_zh": partner.name_zh,
        "partner_level": partner.level,
        "partner_admin1": partner.admin1,
        "country": partner.country,
        "established": found.established.iso() if found.established else "",
        "relation": found.relation.name,
        "relation_zh": found.relation.zh,
        "confidence": INGESTED_CONFIDENCE,
        "source_url": article.url,
        "source_title": article.source_title,
        "notes": f"Ingested from {article.name}: '{found.evidence.sentence}' ({found.reason})",
    }


def event_row(event: ProposedEvent, proposals: Proposals) -> dict[str, str]:
    return {
        "partnership_id": event.partnership.id,
        "date": event.date.iso(),
        "kind": event.kind,
        "sectors": ";".join(event.sectors or ["government"]),
        "summary": event.summary,
        "summary_zh": event.summary_zh,
        "institutions": "",
        "source_url": proposals.article.url,
        "source_title": proposals.article.source_title,
    }


def place_row(name: str, admin1: str, place: Place) -> dict[str, str]:
    return {
        "name": name,
        "admin1": admin1,
        "country": place.country,
        "lat": f"{place.lat:.5f}",
        "lon": f"{place.lon:.5f}",
        "precision": place.precision,
        "source": place.source,
    }


def additions(proposals: Proposals, knowledge: Knowledge) -> Additions:
    """The rows the proposals add to the tables: new partnerships, new events, places not yet cached."""
    result = Additions()
    cached = {place_key(*values) for values in knowledge.places[["name", "admin1", "country"]].itertuples(index=False)}
    added: set[str] = set()
    for found in proposals.partnerships:
        if found.existing_row is not None:
            continue
        row = partnership_row(found, proposals)
        result.partnerships.append(row)
        added.add(found.id)
        sides = (
            (row["partner"], row["partner_admin1"], found.partner_place),
            (row["home"], row["home_admin1"], found.home_place),
        )
        for name, admin1, place in sides:
            if place is None:
                continue
            key = place_key(name, admin1, place.country)
            if key not in cached:
                cached.add(key)
                result.places.append(place_row(name, admin1, place))
    for event in proposals.events:
        partnership = event.partnership
        if event.duplicate_of is not None:
            continue
        if event.warnings:
            result.held_back.append(
                f"{partnership.id} {event.date.iso()}: the article dates the tie differently from the data"
            )
            continue
        if partnership.id in added or partnership.existing_row is not None:
            result.events.append(event_row(event, proposals))
    return result


def merged(frame: pd.DataFrame, rows: list[dict[str, str]]) -> pd.DataFrame:
    """`frame` with `rows` appended, in the file's own columns; existing rows untouched."""
    addition = pd.DataFrame([{column: row.get(column, "") for column in frame.columns} for row in rows], dtype=object)
    return pd.concat([frame, addition], ignore_index=True)


def write(result: Additions, knowledge: Knowledge, store: DataStore, base: Snapshot) -> int:
    """Commit the new rows as one change made from `base` through the data directory's store, if the
    tables with them validate; otherwise write nothing and return 1."""
    if not result:
        print(f"\napply: nothing to add; {knowledge.data_dir} is unchanged")
        return 0
    tables: dict[str, pd.DataFrame] = {}
    if result.places:
        tables[PLACES.file] = merged(knowledge.places, result.places)
    if result.partnerships:
        tables[PARTNERSHIPS.file] = merged(knowledge.partnerships, result.partnerships)
    if result.events:
        tables[EVENTS.file] = merged(knowledge.events, result.events)
    try:
        commit = store.commit(tables, base)
    except ValidationFailed as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        print(f"apply: the tables would not validate; nothing was written to {knowledge.data_dir}", file=sys.stderr)
        return 1
    merged_note = f" (after rows another change added to {', '.join(commit.merged)})" if commit.merged else ""
    print(
        f"\napply: added {len(result.partnerships)} partnership(s), {len(result.events)} event(s) "
        f"and {len(result.places)} place(s) to {knowledge.data_dir}{merged_note}"
    )
    return 0
