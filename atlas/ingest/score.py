"""Scoring proposals against hand-made keys: `python -m atlas ingest --score DIR`.

Each article of DIR is `NAME.txt` with a key `NAME.key.json` (see tests/fixtures/articles/real/
README.md). A stated fact is one of: a partner, its home, its country, its established date at the
precision the text gives, each sector the text names for it, each dated exchange (and each sector
named for that exchange). A fact is recovered when a proposal states it; a partnership proposed
that no key row states counts against the ingest as much as a fact missed. Names are compared
folded, without level words, in either script, and through the gazetteer ('St. Pölten' is
'Sankt Pölten'), so that spelling alone never decides.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from atlas.ingest.article import read_article_file
from atlas.ingest.knowledge import Knowledge, name_keys
from atlas.ingest.propose import Proposals, ProposedPartnership, propose
from atlas.places.gazetteer import Place

FACT_KINDS = ("partner", "home", "country", "established", "sectors", "events")
# The keys' short names for relations partnerships.csv spells out.
KEY_RELATIONS = {"MoU": "memorandum of understanding", "cooperation agreement": "friendly cooperation"}


@dataclass
class ArticleScore:
    name: str
    language: str
    found: Counter = field(default_factory=Counter)  # fact kind -> recovered
    stated: Counter = field(default_factory=Counter)  # fact kind -> in the key
    relations: tuple[int, int] = (0, 0)  # relation as keyed: (agreeing, partnerships matched)
    unstated: list[str] = field(default_factory=list)  # partnerships proposed that the key does not state
    missed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        total = sum(self.stated.values())
        return sum(self.found.values()) / total if total else 1.0


def same_place(
    name: str,
    name_zh: str | None,
    country: str,
    side_name: str,
    side_zh: str,
    place: Place | None,
    knowledge: Knowledge,
    home: bool = False,
) -> bool:
    keys = set()
    for text in (name, name_zh or ""):
        keys |= name_keys(text)
    mine = name_keys(side_name) | name_keys(side_zh)
    if place is not None:
        mine |= name_keys(place.name) | name_keys(place.name_zh)
    if keys & mine:
        return True
    if place is None:
        return False
    for text in (name, name_zh or ""):
        if text and any(match.place.id == place.id for match in knowledge.gazetteer.lookup(text, country)[:5]):
            return True
    return False


def matches(row: dict, proposal: ProposedPartnership, knowledge: Knowledge) -> tuple[bool, bool]:
    """(partner agrees, home agrees) between a key row and a proposal."""
    partner = same_place(
        row["partner"],
        row.get("partner_zh"),
        row["country"],
        proposal.partner.name,
        proposal.partner.name_zh,
        proposal.partner_place,
        knowledge,
    ) or same_place(
        row["partner"],
        row.get("partner_zh"),
        proposal.partner.country,
        proposal.partner.name,
        proposal.partner.name_zh,
        proposal.partner_place,
        knowledge,
    )
    home = same_place(
        row["home"], row.get("home_zh"), "CN", proposal.home.name, proposal.home.name_zh, proposal.home_place, knowledge
    )
    return partner, home


def score_article(text_path: Path, key: dict, knowledge: Knowledge) -> tuple[ArticleScore, Proposals]:
    proposals = propose(read_article_file(text_path), knowledge, name=text_path.name)
    score = ArticleScore(text_path.stem, key.get("lang", "en"))
    used: set[int] = set()
    agreeing_relations = 0
    pairs: list[tuple[dict, ProposedPartnership]] = []
    for row in key["partnerships"]:
        score.stated.update({"partner": 1, "home": 1, "country": 1})
        if row.get("established"):
            score.stated["established"] += 1
        score.stated["sectors"] += len(row.get("sectors", []))
        candidates = [
            (position, proposal, *matches(row, proposal, knowledge))
            for position, proposal in enumerate(proposals.partnerships)
            if position not in used
        ]
        candidates = [entry for entry in candidates if entry[2]]
        if not candidates:
            score.missed.append(f"{row['home']} – {row['partner']}")
            continue
        position, proposal, _, home = max(candidates, key=lambda entry: entry[3])
        used.add(position)
        pairs.append((row, proposal))
        score.found["partner"] += 1
        score.found["home"] += home
        score.found["country"] += proposal.partner.country == row["country"]
        if row.get("established"):
            score.found["established"] += (
                bool(proposal.established) and proposal.established.iso() == row["established"]
            )
        score.found["sectors"] += len(set(row.get("sectors", [])) & set(proposal.sectors))
        agreeing_relations += proposal.relation.name == KEY_RELATIONS.get(row["relation"], row["relation"])
        if not home:
            score.missed.append(f"home of {row['partner']}: {proposal.home.name}, not {row['home']}")
    score.relations = (agreeing_relations, len(pairs))
    for position, proposal in enumerate(proposals.partnerships):
        if position not in used:
            score.unstated.append(f"{proposal.home.name} – {proposal.partner.name}, {proposal.partner.country}")
    for row in key["events"]:
        score.stated["events"] += 1
        score.stated["sectors"] += len(row.get("sectors", []))
        matched = [
            proposal
            for key_row, proposal in pairs
            if key_row["home"] == row["home"] and key_row["partner"] == row["partner"]
        ]
        event = next(
            (e for e in proposals.events if matched and e.partnership is matched[0] and e.date.iso() == row["date"]),
            None,
        )
        if event is None:
            score.missed.append(f"event {row['date']} {row['home']} – {row['partner']}")
            continue
        score.found["events"] += 1
        score.found["sectors"] += len(set(row.get("sectors", [])) & set(event.sectors))
    return score, proposals


def score_directory(directory: Path, knowledge: Knowledge) -> list[ArticleScore]:
    scores = []
    for key_path in sorted(Path(directory).glob("*.key.json")):
        text_path = key_path.with_name(key_path.name.removesuffix(".key.json") + ".txt")
        key = json.loads(key_path.read_text(encoding="utf-8"))
        scores.append(score_article(text_path, key, knowledge)[0])
    return scores


def total(scores: list[ArticleScore]) -> tuple[Counter, Counter]:
    found, stated = Counter(), Counter()
    for score in scores:
        found.update(score.found)
        stated.update(score.stated)
    return found, stated


def percent(found: int, stated: int) -> str:
    return f"{100 * found / stated:5.1f}%" if stated else "    -"


def render(scores: list[ArticleScore], directory: Path) -> str:
    lines = [f"{directory}: {len(scores)} articles", ""]
    for score in scores:
        found, stated = sum(score.found.values()), sum(score.stated.values())
        unstated = f"  +{len(score.unstated)} not in key: {'; '.join(score.unstated)}" if score.unstated else ""
        lines.append(f"{score.name:<36} {found:>3}/{stated:<3} {percent(found, stated)}{unstated}")
    found, stated = total(scores)
    lines += [
        "",
        f"{'all':<36} {sum(found.values()):>3}/{sum(stated.values()):<3} "
        f"{percent(sum(found.values()), sum(stated.values()))}",
    ]
    for language in sorted({score.language for score in scores}):
        mine = [score for score in scores if score.language == language]
        lang_found, lang_stated = total(mine)
        lines.append(
            f"  {language} ({len(mine)} articles){'':<19} {sum(lang_found.values()):>3}/{sum(lang_stated.values()):<3} "
            f"{percent(sum(lang_found.values()), sum(lang_stated.values()))}"
        )
    for kind in FACT_KINDS:
        lines.append(f"  {kind:<34} {found[kind]:>3}/{stated[kind]:<3} {percent(found[kind], stated[kind])}")
    agreeing = sum(score.relations[0] for score in scores)
    matched = sum(score.relations[1] for score in scores)
    lines.append(f"  relation as keyed (not counted above) {agreeing:>3}/{matched:<3} {percent(agreeing, matched)}")
    unstated = sum(len(score.unstated) for score in scores)
    lines.append(f"  partnerships proposed that no key states: {unstated}")
    return "\n".join(lines)
