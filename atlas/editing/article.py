"""Proposals from a pasted or dropped article, through the article reader (`atlas.ingest`): each
with its evidence sentence and span, confidence, reason and warnings where it duplicates or
contradicts the data. The one place the editor meets the reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from atlas.editing.items import EVENT_FIELDS, PARTNERSHIP_FIELDS, new_item
from atlas.errors import AtlasError
from atlas.ingest import Evidence, Knowledge, propose
from atlas.ingest.apply import event_row, partnership_row
from atlas.ingest.article import MAX_ARTICLE_BYTES
from atlas.places.gazetteer import Place
from atlas.tables import office_text

BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}
SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class ArticleTextError(AtlasError):
    """What was given is not an article the reader can take."""


class TextOfHtml(HTMLParser):
    """The visible text of an HTML page, a line per block; scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in SKIPPED_TAGS:
            self.skipping += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.parts).splitlines()]
        return "\n\n".join(line for line in lines if line)


def article_text(name: str, content: bytes) -> str:
    """The text of a dropped .txt or .html file."""
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if suffix not in ("txt", "html", "htm", "text", "md"):
        raise ArticleTextError(f"{name}: drop a .txt or .html article, or paste its text")
    text = office_text(content)
    if text is None:
        raise ArticleTextError(f"{name}: is not UTF-8 or GB18030 text")
    if suffix in ("html", "htm"):
        parser = TextOfHtml()
        parser.feed(text)
        parser.close()
        body = parser.text()
        title = " ".join(parser.title.split())
        text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return text


@dataclass
class ArticleProposals:
    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


CONTEXT_CHARACTERS = 160


def evidence(text: str, found: Evidence) -> dict[str, Any]:
    """The evidence sentence in its paragraph (up to a few lines around it), and where it stands in it."""
    start, end = found.start, found.end
    before = max(text.rfind("\n", 0, start) + 1, start - CONTEXT_CHARACTERS)
    newline = text.find("\n", end)
    after = min(len(text) if newline == -1 else newline, end + CONTEXT_CHARACTERS)
    return {"text": text[before:after], "start": start - before, "end": end - before}


def located(place: Place | None) -> dict[str, Any] | None:
    """A gazetteer place as `atlas.geocode.locate` answers, for the small map."""
    if place is None:
        return None
    return {
        "name": place.name,
        "country": place.country,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "source": place.source,
        "precision": place.precision,
    }


def read_proposals(text: str, data_dir: Path, name: str = "pasted article") -> ArticleProposals:
    """The partnerships and exchanges `text` describes, as items under review, with what the reader noticed."""
    if not text.strip():
        raise ArticleTextError("the article is empty: paste its text or drop a .txt or .html file")
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise ArticleTextError(f"the article is longer than {MAX_ARTICLE_BYTES:,} bytes: paste a single article")
    knowledge = Knowledge.load(data_dir)
    proposals = propose(text, knowledge, name=name)
    article = proposals.article
    origin = {"kind": "article", "label": f"{name}: {article.title}"[:200]}
    found = ArticleProposals(article.title, notes=list(proposals.notes))
    kept: set[str] = set()
    for partnership in proposals.partnerships:
        row = partnership_row(partnership, proposals)
        if partnership.existing_row is None:
            fields = {column: row.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)}
            item = new_item(f"article-{row['id']}", "partnerships", "add", fields, origin)
        elif partnership.warnings and partnership.established is not None:
            current = knowledge.partnerships.loc[partnership.existing_row].to_dict()
            original = {column: current.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)}
            fields = {**original, "established": partnership.established.iso()}
            item = new_item(f"article-{row['id']}", "partnerships", "change", fields, origin, original)
        else:
            found.notes.append(f"{row['home']}–{row['partner']}: {partnership.status}")
            kept.add(partnership.id)
            continue
        kept.add(partnership.id)
        item["evidence"] = evidence(article.text, partnership.evidence)
        item["confidence"] = partnership.confidence
        item["reason"] = partnership.reason
        item["warnings"] = list(partnership.warnings)
        item["located"] = {"partner": located(partnership.partner_place), "home": located(partnership.home_place)}
        found.items.append(item)
    for number, event in enumerate(proposals.events):
        row = event_row(event, proposals)
        what = f"exchange {row['date']} of {row['partnership_id']}"
        if event.duplicate_of is not None:
            found.notes.append(f"{what}: already in events.csv row {event.duplicate_of}")
            continue
        if event.partnership.id not in kept:
            continue
        fields = {column: row.get(column, "") for column in EVENT_FIELDS}
        item = new_item(f"article-event-{number}", "events", "add", fields, origin)
        item["evidence"] = evidence(article.text, event.evidence)
        item["confidence"] = event.confidence
        item["reason"] = event.reason
        item["warnings"] = list(event.warnings)
        found.items.append(item)
    return found
