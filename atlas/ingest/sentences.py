"""Sentences of an article with their spans, in English and Chinese.

A line is never continued by the next one (lists and headings stand alone); within a line,
sentencex (Wikimedia's rule-based segmenter) finds the breaks: it knows abbreviations ('St.',
'No. 8', 'Oct. 20') and splits text run together after a full stop ('Germany.Mr.Grisch' is two
sentences, 'Mr.Grisch' one name), and Chinese sentence ends with their closing quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sentencex

from atlas.ingest.article import Article


@dataclass(frozen=True)
class Sentence:
    start: int  # span in Article.text
    end: int
    line: int  # index in Article.lines
    paragraph: int
    is_title: bool


# A Chinese full stop ends a sentence even with a digit after it ('…开始于1979年。1979年武汉…').
CHINESE_END = re.compile(r"(?<=[。！？])(?![”’」』）)\]。！？])")


def pieces(text: str) -> list[str]:
    return [part for piece in sentencex.segment("en", text) for part in CHINESE_END.split(piece)]


def split_line(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of one line, leading and trailing spaces left out."""
    spans = []
    position = 0
    for piece in pieces(text):
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, position)
        if start < 0:  # the segmenter changed the text: keep the rest whole
            spans.append((position, len(text.rstrip())))
            return spans
        spans.append((start, start + len(stripped)))
        position = start + len(stripped)
    return spans


def sentences(article: Article) -> list[Sentence]:
    found = []
    for number, line in enumerate(article.lines):
        for start, end in split_line(article.text[line.start : line.end]):
            if not re.search(r"[^\W\d_]", article.text[line.start + start : line.start + end]):
                continue  # a list number ('1.') or a lone mark
            found.append(
                Sentence(line.start + start, line.start + end, number, line.paragraph, line.start < article.title_end)
            )
    return found
