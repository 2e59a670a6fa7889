"""Proposals from a pasted or dropped article, through the article reader (`atlas.ingest`).

This module is the one place the editor meets the reader: when the reader becomes the package
`atlas/ingest/` with proposals that carry their evidence span, confidence and reason, only
`read_proposals` changes.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from slugify import slugify

from atlas.editing.items import EVENT_FIELDS, PARTNERSHIP_FIELDS, new_item
from atlas.editing.sheet import located_sides
from atlas.errors import AtlasError
from atlas.ingest import FULLWIDTH_DIGITS, Knowledge, propose, read_article, review
from atlas.ingest import event_row as ingest_event_row
from atlas.ingest import partnership_row as ingest_partnership_row

MAX_ARTICLE_CHARS = 100_000
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
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise ArticleTextError(f"{name}: is not UTF-8 or GB18030 text") from None
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


def find_span(text: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` stands in `text`, whatever the line breaks and spaces between its words."""
    words = sentence.split()
    if not words:
        return None
    found = re.search(r"\s*".join(re.escape(word) for word in words), text, re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def evidence(text: str, sentence: str) -> dict[str, Any] | None:
    span = find_span(text, sentence)
    if span is None:
        return {"text": sentence, "start": 0, "end": len(sentence)} if sentence else None
    start, end = span
    before = max(text.rfind("\n", 0, start) + 1, start - 160)
    after = min(len(text), end + 160)
    newline = text.find("\n", end)
    if newline != -1:
        after = min(after, newline)
    return {"text": text[before:after], "start": start - before, "end": end - before, "at": start}


def read_proposals(text: str, data_dir: Path, name: str = "pasted article") -> ArticleProposals:
    """The partnerships and exchanges `text` describes, as items under review, with what the reader noticed."""
    if not text.strip():
        raise ArticleTextError("the article is empty: paste its text or drop a .txt or .html file")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleTextError(f"the article is {len(text):,} characters long: at most {MAX_ARTICLE_CHARS:,}")
    file_name = (slugify(name.rsplit(".", 1)[0])[:60] or "article") + ".txt"
    with tempfile.TemporaryDirectory(prefix="atlas-article-") as scratch:
        path = Path(scratch) / file_name
        path.write_text(text, encoding="utf-8")
        article = read_article(path)
        knowledge = Knowledge.load(data_dir)
        proposal = propose(article, knowledge)
        result = review(proposal, knowledge)
        geocoder = knowledge.geocoder()
    # The reader works on the text with full-width digits and special spaces made plain, character for character.
    plain = text.translate(FULLWIDTH_DIGITS).replace("\u00a0", " ").replace("\u3000", " ")
    origin = {"kind": "article", "label": f"{name}: {article.title}"[:200]}
    found = ArticleProposals(article.title, notes=list(proposal.notes))
    new_ids = {row["id"] for row in result.new_partnerships}
    for partnership in proposal.partnerships:
        row = ingest_partnership_row(partnership, article)
        conflicts = [
            conflict.split(": ", 1)[-1] for conflict in result.conflicts if conflict.startswith(f"{row['id']}:")
        ]
        if row["id"] in new_ids:
            fields = {column: row.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)}
            fields["source_title"] = fields["source_title"] if fields["source_url"] else article.title[:200]
            item = new_item(f"article-{row['id']}", "partnerships", "add", fields, origin)
        elif conflicts and partnership.established is not None and partnership.existing_row is not None:
            current = knowledge.partnerships.loc[partnership.existing_row].to_dict()
            original = {column: current.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)}
            fields = {**original, "established": partnership.established.iso()}
            item = new_item(f"article-{row['id']}", "partnerships", "change", fields, origin, original)
        else:
            found.notes.append(f"{row['home']}–{row['partner']}: {result.findings.get(partnership.id, '')}")
            continue
        item["evidence"] = evidence(plain, partnership.evidence) if partnership.evidence else None
        item["confidence"] = row["confidence"]
        item["reason"] = result.findings.get(partnership.id, "")
        item["warnings"] = conflicts
        item["located"] = located_sides({**row, **fields}, geocoder)
        found.items.append(item)
    for number, event in enumerate(proposal.events):
        row = ingest_event_row(event, article)
        what = f"exchange {row['date']} of {row['partnership_id']}"
        if event.duplicate_of is not None:
            found.notes.append(f"{what}: already in events.csv row {event.duplicate_of}")
            continue
        if event.held_back:
            found.notes.append(f"{what}: held back, it dates the tie differently from the data")
            continue
        fields = {column: row.get(column, "") for column in EVENT_FIELDS}
        fields["source_title"] = fields["source_title"] if fields["source_url"] else article.title[:200]
        item = new_item(f"article-event-{number}", "events", "add", fields, origin)
        item["evidence"] = evidence(plain, event.summary)
        item["confidence"] = "medium"
        item["reason"] = f"a dated {event.kind} of {row['partnership_id']}"
        found.items.append(item)
    found.notes += [f"{place} cannot be located offline: add it to place_overrides.csv" for place in result.unlocated]
    return found
