"""`python -m atlas ingest FILE`: propose the partnerships and dated events a press article describes.

The article is plain text, in English or Chinese. A partner is a place that partnerships.csv, the
place overrides or the offline gazetteer knows, named in a sentence with a phrase such as "sister
city" or 友好城市; its home is --home, or a home of partnerships.csv named nearby. Dates keep the
precision the text gives; sectors come from the keywords of sectors.csv. The review compares what
was found with the tables; only --apply writes, only new rows, and only after validating the result.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from slugify import slugify

from atlas.cli import add_data_option, data_dir
from atlas.dates import MONTHS_EN, PartialDate, parse_partial_date
from atlas.errors import AtlasError, ValidationFailed
from atlas.geocode import ChainGeocoder, build_geocoder, locate, place_kind
from atlas.places.build import PRIMARY
from atlas.places.countries import country_names
from atlas.places.gazetteer import gazetteer
from atlas.places.vocabulary import LEVEL_WORDS_EN, NOT_PLACES_EN, TABLE_LEVELS, ZH_LEVEL_CHARACTERS
from atlas.schema import EVENTS, PARTNERSHIPS, PLACE_OVERRIDES, PLACES, SECTORS, TableSpec
from atlas.store import DataStore, Snapshot
from atlas.tables import CONTROL_CHARACTERS, read_table
from atlas.validate import fold, partnership_key, place_key

INGESTED_CONFIDENCE = "medium"
SUMMARY_LENGTH = 300
# Without a country named in the same sentence, a gazetteer town must be this big to count as a
# partner: GeoNames lists thousands of small places called "Union", "Summit" or "Over"; with one,
# this big.
UNHINTED_MIN_POPULATION = 100_000
HINTED_MIN_POPULATION = 1_000


# An article is read in bounded time: the longest seed page is 6 KB, and 200 KB on one line without
# a full stop takes about 25 s.
MAX_ARTICLE_BYTES = 200_000


class ArticleError(AtlasError):
    """The article cannot be read as text."""


# --- Reading the article ------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")
URL = re.compile(r"https?://[^\s<>\"'）)\]]+")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
BULLET = re.compile(r"^[•·▪●◦*\-–]\s+")
SECTION_SUFFIX = re.compile(r"\s*[|｜]\s*[^|｜]{1,40}$")
# Site furniture around the article: licences, cookie banners, contact lines, bylines.
FURNITURE = re.compile(
    r"ICP备|许可证号|版权所有|All Rights Reserved|Copyright|©|Privacy|\bcookies?\b|About Us|Contact Us|"
    r"telephone number|please email|Leaving a message|^I Agree$|^(?:By|Reporter|Editor)\b.{0,60}\||"
    r"^(?:作者|记者|编辑|责任编辑|来源|发布时间|时间|日期)\s*[:：]",
    re.IGNORECASE,
)
# Lists of other articles: a headline with its date glued on, or a teaser cut off with "...".
LINK_LIST = re.compile(r"(?:\.\.\.|…)$|(?<!\s)[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SOURCE_LINE = re.compile(r"^Source\s*:", re.IGNORECASE)
# A line naming where the article came from, in either language: its address is the row's source_url.
SOURCE_URL_LINE = re.compile(r"^(?:Source|来源)\s*[:：]", re.IGNORECASE)
PHOTO_CREDIT = re.compile(r"\s*[(（](?:Photo|Photos|图|摄)\s*[/／:：][^)）]*[)）]", re.IGNORECASE)
FURNITURE_MAX_LENGTH = 200


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int  # -1 for the title


@dataclass(frozen=True)
class Article:
    path: Path
    title: str
    url: str
    published: PartialDate | None
    sentences: tuple[Sentence, ...]  # the body in reading order, title excluded

    @property
    def source_title(self) -> str:
        """Where an ingested row came from: the title, with the file name when there is no address."""
        return self.title if self.url else f"{self.path.name}: {self.title}"


def read_text(path: Path) -> str:
    """The article as text; ArticleError naming the file (and line) when it is not UTF-8 text."""
    if path.is_dir():
        raise ArticleError(f"{path}: is a directory, not an article")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"{path}: {size:,} bytes is longer than an article may be ({MAX_ARTICLE_BYTES:,} bytes); "
                "give the text of one article"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: file not found") from None
    except OSError as error:
        raise ArticleError(f"{path}: cannot be read: {error.strerror}") from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ArticleError(f"{path} line {line}: a NUL byte: this is not a text file; give a plain-text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.start + 4]
        raise ArticleError(
            f"{path} line {line}: bytes {bad!r} at offset {error.start} are not UTF-8; "
            "give a plain-text article saved as UTF-8"
        ) from None
    for number, line_text in enumerate(text.splitlines(), start=1):
        if any(char in CONTROL_CHARACTERS - {"\f", "\v"} for char in line_text):
            raise ArticleError(f"{path} line {number}: holds control characters, so it is not a plain-text article")
    if not text.strip():
        raise ArticleError(f"{path}: is empty: nothing to read")
    return text


def read_article(path: Path) -> Article:
    path = Path(path)
    text = read_text(path).translate(FULLWIDTH_DIGITS).replace("\u00a0", " ").replace("\u3000", " ")
    lines = [BULLET.sub("", line.strip()) for line in text.splitlines()]
    published = publication_date(lines)
    body = article_lines(lines)
    title, body = split_title(body)
    paragraphs = join_wrapped_lines(body)
    sentences = tuple(
        Sentence(sentence, number)
        for number, paragraph in enumerate(paragraphs)
        for sentence in split_sentences(PHOTO_CREDIT.sub("", paragraph))
    )
    if not title:
        title = sentences[0].text if sentences else path.stem
    return Article(path, SECTION_SUFFIX.sub("", title), article_url(lines), published, sentences)


def article_url(lines: list[str]) -> str:
    """The article's own address: a URL alone on its first line, or the one its source line gives
    ("Source: https://…"). A link inside the text is not where the article came from."""
    first = next((line for line in lines if line), "")
    if URL.fullmatch(first):
        return first
    for line in lines:
        found = URL.search(line) if SOURCE_URL_LINE.match(line) else None
        if found:
            return found.group(0)
    return ""


def publication_date(lines: list[str]) -> PartialDate | None:
    """The day a byline or date line near the top gives; yearless dates in the text are read against it."""
    for line in lines[:12]:
        if not FURNITURE.search(line) and not re.fullmatch(r"[0-9年月日/\-:.\s]{8,30}", line):
            continue
        dated = [mention.date for mention in find_dates(line)[0] if mention.date.precision == "day"]
        if dated:
            return dated[0]
    return None


def is_furniture(line: str) -> bool:
    return len(line) <= FURNITURE_MAX_LENGTH and bool(FURNITURE.search(line) or LINK_LIST.search(line))


def article_lines(lines: list[str]) -> list[str]:
    """The lines of the article itself, with blank lines kept as paragraph breaks."""
    kept: list[str] = []
    for line in lines:
        # A press release closes with its source; what follows is the site's footer.
        if SOURCE_LINE.match(line) and sum(bool(entry) for entry in kept) >= 2:
            break
        if line and is_furniture(line):
            continue
        kept.append(line)
    return kept


def word_count(line: str) -> int:
    return len(line.split()) + len(CJK.findall(line)) // 2


def split_title(lines: list[str]) -> tuple[str, list[str]]:
    """The heading line at the top, if the article has one, and the lines after it.

    Short lines above it (a site's name) are dropped with it; a first line that is a full
    paragraph means the article has no heading.
    """
    for index, line in enumerate(lines[:6]):
        if word_count(line) < 3:
            continue
        if len(line) <= FURNITURE_MAX_LENGTH and not re.search(r"[.。!?！？]$", line):
            return line, lines[index + 1 :]
        return "", lines
    return "", lines


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Paragraphs: one per line, except where a hard-wrapped sentence continues in lower case."""
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if not line:
            previous = ""
            continue
        if previous and re.search(r"[A-Za-z,]$", previous) and re.match(r"[a-z]", line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        previous = paragraphs[-1]
    return paragraphs


SENTENCE_BREAK = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|[。！？；][”’」』）]*\s*")
# Words a full stop follows without ending the sentence: "No. 8", "St. Vinzenz", "Oct. 20".
ABBREVIATIONS = (
    {
        "no",
        "nos",
        "st",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "co",
        "ltd",
        "inc",
        "corp",
        "jr",
        "sr",
        "vs",
        "etc",
        "gov",
        "dept",
        "univ",
        "int'l",
    }
    | {month[:3].casefold() for month in MONTHS_EN}
    | {"sept"}
)


def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(paragraph):
        if paragraph[match.start()] == ".":
            word = re.search(r"([\w'.]+)$", paragraph[start : match.start()])
            token = word.group(1).casefold() if word else ""
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or "." in token:
                continue
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [sentence for sentence in sentences if sentence]


# --- Dates --------------------------------------------------------------------------------------

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
ORDINAL = r"(?:st|nd|rd|th)?"
ZH_DIGIT_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_DIGITS = "".join(ZH_DIGIT_VALUES)
ZH_NUMBER = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
# Patterns from the most specific to the least; a later match overlapping an earlier one is dropped.
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "relative",
        re.compile(
            rf"(?:\b(?P<month>{MONTH})\s+(?:of\s+)?)?(?i:\b(?:the|that)\s+(?P<which>same|following|next)\s+year\b)"
        ),
    ),
    (
        "relative",
        re.compile(
            rf"(?P<which>同年|当年|次年|翌年|第二年)(?:(?P<month>{ZH_NUMBER})月(?:(?P<day>{ZH_NUMBER})[日号])?)?"
        ),
    ),
    (
        "explicit",
        re.compile(
            rf"(?P<year>[0-9]{{4}}|[{ZH_DIGITS}]{{4}})\s*年(?:\s*(?P<month>{ZH_NUMBER})\s*月(?:\s*(?P<day>{ZH_NUMBER})\s*[日号])?)?"
        ),
    ),
    (
        "explicit",
        re.compile(r"(?<![0-9.])(?P<year>[0-9]{4})[-/.](?P<month>[0-9]{1,2})[-/.](?P<day>[0-9]{1,2})(?![0-9])"),
    ),
    ("explicit", re.compile(r"(?<![0-9.])(?P<year>[0-9]{4})[-/](?P<month>[0-9]{1,2})(?![-/0-9])")),
    ("explicit", re.compile(rf"\b(?P<month>{MONTH})\s*(?P<day>[0-9]{{1,2}}){ORDINAL},?\s*(?P<year>[0-9]{{4}})\b")),
    (
        "explicit",
        re.compile(rf"\b(?P<day>[0-9]{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<month>{MONTH}),?\s+(?P<year>[0-9]{{4}})\b"),
    ),
    ("explicit", re.compile(rf"\b(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>[0-9]{{4}})\b")),
    ("yearless", re.compile(rf"\b(?P<month>{MONTH})\s+(?P<day>[0-9]{{1,2}}){ORDINAL}\b")),
    ("yearless", re.compile(rf"\b(?P<day>[0-9]{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<month>{MONTH})")),
    ("yearless", re.compile(r"(?<![年0-9])(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*[日号]")),
    (
        "explicit",
        re.compile(r"(?i:\b(?:in|since|from|during|year|early|late|mid)[\s-]+)(?P<year>[0-9]{4})\b(?![-–/][0-9])"),
    ),
)
RELATIVE_YEARS = {"same": 0, "同年": 0, "当年": 0, "following": 1, "next": 1, "次年": 1, "翌年": 1, "第二年": 1}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: PartialDate


def chinese_number(text: str) -> int:
    """'10' / '十' / '二十一' / '二〇〇九' as an int."""
    if text.isascii():
        return int(text)
    if "十" not in text:
        return int("".join(str(ZH_DIGIT_VALUES[char]) for char in text))
    tens, _, units = text.partition("十")
    return (ZH_DIGIT_VALUES[tens] if tens else 1) * 10 + (ZH_DIGIT_VALUES[units] if units else 0)


def month_number(text: str | None) -> int | None:
    if not text:
        return None
    if text[0].isalpha() and text[0].isascii():
        return [month[:3] for month in MONTHS_EN].index(text[:3].capitalize()) + 1
    return chinese_number(text)


@lru_cache(maxsize=8)
def yearless_parser(published: PartialDate) -> Any:
    # dateparser is slow to import and only needed here.
    from dateparser.date import DateDataParser

    base = datetime(published.year, published.month or 1, published.day or 1)
    return DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]},
    )


def resolve_yearless(month: int, day: int, published: PartialDate | None) -> PartialDate | None:
    """'March 21' in an article published on 23 March 2023 is 2023-03-21; without a publication date, unknown."""
    if published is None:
        return None
    found = yearless_parser(published).get_date_data(f"{MONTHS_EN[month - 1]} {day}").date_obj
    return PartialDate(found.year, found.month, found.day) if found else None


def find_dates(
    text: str, last_year: int | None = None, published: PartialDate | None = None
) -> tuple[list[DateMention], int | None]:
    """Every date in `text` at the precision it is given, and the last year mentioned.

    `last_year` is the latest year mentioned before `text`: "In May of the same year" refers to it.
    """
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if not any(match.start() < end and start < match.end() for start, end, _, _ in found):
                found.append((match.start(), match.end(), kind, match))
    mentions = []
    for start, end, kind, match in sorted(found, key=lambda entry: entry[0]):
        groups = match.groupdict()
        month, day = month_number(groups.get("month")), groups.get("day")
        day_number = chinese_number(day) if day else None
        if kind == "relative":
            if last_year is None:
                continue
            date = PartialDate(last_year + RELATIVE_YEARS[groups["which"]], month, day_number if month else None)
        elif kind == "yearless":
            resolved = resolve_yearless(month or 1, day_number or 1, published)
            if resolved is None:
                continue
            date = resolved
        else:
            date = PartialDate(chinese_number(groups["year"]), month, day_number if month else None)
        try:
            date = parse_partial_date(date.iso())
        except ValueError:
            continue  # a year outside the atlas's range, or a day that does not exist
        last_year = date.year
        mentions.append(DateMention(start, end, date))
    return mentions, last_year


def chronological(date: PartialDate) -> tuple[int, int, int]:
    """Sort key: a date without a month sorts before the months of its year."""
    return (date.year, date.month or 0, date.day or 0)


def compatible(first: PartialDate, second: PartialDate) -> bool:
    """True when the dates agree wherever both give a value: 1982 and 1982-08 agree."""
    pairs = ((first.year, second.year), (first.month, second.month), (first.day, second.day))
    return all(a == b for a, b in pairs if a is not None and b is not None)


# --- Phrases ------------------------------------------------------------------------------------

TRIGGER_EN = re.compile(
    r"\b(?:(?:city|province|state)[- ](?:province|state|city)\s+)?sister[- ](?:cit(?:y|ies)|towns?|provinces?|states?|"
    r"regions?|count(?:y|ies)|prefectures?|relations?|relationships?|ties|partnerships?)\b"
    r"|\b(?:friendship|friendly|twin|partner)[- ](?:cit(?:y|ies)|towns?|provinces?)\b"
    r"|\bfriendly\s+(?:city|province|state|prefecture|region)(?:-(?:city|province|state|prefecture|region|oblast))?"
    r"\s+(?:relations?|relationships?|ties)\b"
    r"|\btwinned\b|\btwinning\b|\bjumelage\b",
    re.IGNORECASE,
)
TRIGGER_ZH = re.compile(
    r"(?:结为|缔结|建立)?(?:友好(?:交流)?(?:城市|城镇|都市|省州|省|州|县|市)|[姊姐]妹(?:城市|省|州))(?:关系)?"
    r"|国际友城|友城|(?:结为|缔结)友好|结好"
)
ESTABLISH_EN = re.compile(
    r"\b(?:establish(?:ed|es|ing|ment)?|sign(?:ed|ing)?|became|become|becoming|twinned|formed|forged|concluded|"
    r"inked|since)\b",
    re.IGNORECASE,
)
ESTABLISH_ZH = re.compile(r"结为|缔结|建立|签署|签订|签约|成为|确立|结好|以来")
RENEWAL = re.compile(r"\brenew\w*|续签|重签", re.IGNORECASE)
PROVINCIAL = re.compile(r"province|state|region|prefecture|oblast|county|省|州|县", re.IGNORECASE)
PLURAL_PLACES = re.compile(r"\b(?:cities|towns|provinces|states|regions|counties|prefectures)\b", re.IGNORECASE)
PLURALS = {
    "cities": "city",
    "towns": "town",
    "provinces": "province",
    "states": "state",
    "regions": "region",
    "counties": "county",
    "prefectures": "prefecture",
    "partnerships": "partnership",
}
# Event kinds in the order they win: a visit where an agreement is signed is an agreement.
EVENT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "agreement",
        re.compile(
            r"\b(?:sign(?:ed|s|ing)?|agreements?|memorand(?:um|a)|MoU|letters? of intent|establish(?:ed|es|ing)?|"
            r"twinned)\b|签署|签订|签约|协议|备忘录|意向书|缔结|结为",
            re.IGNORECASE,
        ),
    ),
    ("award", re.compile(r"\b(?:awards?|awarded|prizes?|honou?red|accolades?)\b|奖|授予", re.IGNORECASE)),
    (
        "forum",
        re.compile(
            r"\b(?:forums?|seminars?|summits?|conferences?|expos?|exhibitions?|fairs?|roundtables?|symposi(?:um|a))\b|"
            r"论坛|峰会|研讨会|博览会|展览会|交易会|洽谈会|推介会",
            re.IGNORECASE,
        ),
    ),
    (
        "visit",
        re.compile(
            r"\b(?:visit(?:ed|s|ing)?|delegations?|travell?ed|toured)\b|访问|来访|率团|代表团|考察", re.IGNORECASE
        ),
    ),
    (
        "exchange",
        re.compile(
            r"\b(?:exchanges?|exchanged|cooperat\w*|collaborat\w*|concerts?|festivals?|perform\w*|launch(?:ed)?|"
            r"inaugurat\w*|opened|hosted|held|donat\w*|partnered)\b|交流|合作|演出|开通|举办|举行|捐赠",
            re.IGNORECASE,
        ),
    ),
)
# An undated sentence after a dated one continues its event when it tells one of these
# ("... and the agreement was signed"), not when it merely comments ("their cooperation grew").
CONTINUING_KINDS = {"agreement", "award", "forum", "visit"}
DEFAULT_EVENT_SECTOR = "government"  # exchanges between cities are diplomacy when nothing narrower is named
INSTITUTION_HEAD = re.compile(
    r"\b(?:University|College|School|Institute|Academy|Hospital|Association|Commission|Committee|Office|Cent(?:er|re)|"
    r"Government|Parliament|Duma|Council|Agency|Agencies|Company|Co\.?,? Ltd\.?|Group|Bank|Museum|Daily|Television|"
    r"Bureau|Department|Ministry|Federation|Foundation|Society|Theat(?:er|re)|Orchestra|Library|Airport|Summit|Expo|"
    r"Forum|Conference)\b"
)
INSTITUTION_WORD = r"(?:[A-Z][\w'’.-]*|No\.\s?[0-9]+|[0-9]+(?:st|nd|rd|th)|\([A-Z][\w\s'’-]*\))"
INSTITUTION_RUN = re.compile(rf"{INSTITUTION_WORD}(?:\s+(?:(?:of|for|with|on|de|the)\s+)*{INSTITUTION_WORD})*")
INSTITUTION_LEADING = re.compile(
    r"^(?:(?:The|In|On|At|A|An|As|By|During|Both|Also|Furthermore|Moreover|Additionally|Similarly|Meanwhile|"
    r"Institutions|Representatives|Leaders|Officials|Jan\w*|Feb\w*|Mar\w*|Apr\w*|May|June?|July?|Aug\w*|Sep\w*|"
    r"Oct\w*|Nov\w*|Dec\w*|[0-9]+\w*)\s+)+"
)
INSTITUTION_ZH = re.compile(
    r"[\u4e00-\u9fff]{2,16}?(?:大学|学院|医院|中学|小学|学校|研究院|研究所|协会|委员会|人民政府|政府|办公室|外办|公司|集团|"
    r"博物馆|电视台|日报|报社|银行|商会|基金会|剧院)"
)
# "Deputy Speaker of the Mpumalanga Provincial Parliament" names the parliament, not the speaker.
PERSON_BEFORE_INSTITUTION = re.compile(
    r"^.*?\b(?:CEO|Chair(?:man|woman)?|President|Director(?:-General)?|Governor|Mayor|Speaker|Secretary|Head|"
    r"Minister|Ambassador|Consul(?:-General)?|Dean|Principal|Members?|Representatives?|Delegations?)\s+of\s+(?:the\s+)?"
)
ZH_BREAKS = re.compile(r"[与和及、，,的在由同向对将从了于为是并等：:；;“”《》（）()\s]")


def sentence_triggers(text: str) -> list[tuple[int, int, str]]:
    return [
        (match.start(), match.end(), match.group(0))
        for pattern in (TRIGGER_EN, TRIGGER_ZH)
        for match in pattern.finditer(text)
    ]


def establishment_cue(text: str) -> int | None:
    """Offset of a word saying a tie was made ('established', 缔结), or None; renewals do not count."""
    if RENEWAL.search(text):
        return None
    cues = [match.start() for pattern in (ESTABLISH_EN, ESTABLISH_ZH) for match in pattern.finditer(text)]
    return min(cues) if cues else None


def relation_phrases(trigger: str) -> tuple[str, str]:
    """(relation, relation_zh) for a phrase found in the text: 'sister cities' -> ('sister city', '友好城市')."""
    if CJK.search(trigger):
        chinese = re.sub(r"^(?:结为|缔结|建立)", "", trigger)
        chinese = re.sub(r"(城市|城镇|都市)关系$", r"\1", chinese)  # the tables say 友好城市, 友好省州关系
        chinese = chinese if chinese not in ("友好", "结好", "友城", "国际友城") else "友好城市"
        if PROVINCIAL.search(chinese):
            return "friendly province relationship", chinese
        return ("sister city" if "妹" in chinese else "friendship city"), chinese
    words = [PLURALS.get(word, word) for word in trigger.casefold().split()]
    relation = re.sub(r"^sister-", "sister ", " ".join(words))
    return relation, ("友好省州关系" if PROVINCIAL.search(relation) else "友好城市")


def event_kind(text: str) -> str | None:
    return next((kind for kind, pattern in EVENT_KINDS if pattern.search(text)), None)


def institutions_in(text: str) -> list[str]:
    names: list[str] = []
    for match in INSTITUTION_RUN.finditer(text):
        run = INSTITUTION_LEADING.sub("", PERSON_BEFORE_INSTITUTION.sub("", match.group(0))).strip(" .,")
        if INSTITUTION_HEAD.search(run) and run not in names:
            names.append(run)
    for chunk in ZH_BREAKS.split(text):
        names += [name for name in INSTITUTION_ZH.findall(chunk) if name not in names]
    return names


# --- What the data knows: homes, partners, places, countries, sectors ----------------------------


@dataclass(frozen=True)
class Home:
    name: str
    name_zh: str
    level: str
    province: str
    admin1: str
    country: str


@dataclass(frozen=True)
class Place:
    name: str
    name_zh: str
    level: str
    admin1: str
    country: str
    source: str  # "partnerships", "override" or "gazetteer"


@dataclass(frozen=True)
class Country:
    code: str


Named = Home | Place | Country

# Capitalised words that are never a partner, however many towns GeoNames names after them.
NOT_PLACES = NOT_PLACES_EN | {fold(month) for month in MONTHS_EN}


def level_from_name(name: str, precision: str) -> str:
    words = name.casefold().split()
    if words and words[-1] in TABLE_LEVELS:
        return words[-1]
    return "region" if precision in ("region", "country") else "city"


def home_from_row(row: dict[str, str]) -> Home:
    return Home(
        row["home"],
        row.get("home_zh", ""),
        row["home_level"],
        row.get("home_province", ""),
        row.get("home_admin1", ""),
        row["home_country"],
    )


def partner_from_row(row: dict[str, str]) -> Place:
    return Place(
        row["partner"], row["partner_zh"], row["partner_level"], row["partner_admin1"], row["country"], "partnerships"
    )


def zh_variants(name: str) -> list[str]:
    """'普马兰加省' is also written '普马兰加'."""
    return [name[:-1]] if len(name) > 3 and name[-1] in ZH_LEVEL_CHARACTERS else []


@dataclass(frozen=True)
class SectorKeywords:
    sector: str
    english: re.Pattern[str] | None
    chinese: tuple[str, ...]

    def named_in(self, text: str) -> bool:
        return bool(self.english and self.english.search(text)) or any(word in text for word in self.chinese)


def sector_keywords(record: dict[str, str]) -> SectorKeywords:
    english = [re.escape(word.strip()).replace(r"\ ", r"\s+") for word in record["keywords_en"].split(";")]
    english = [word for word in english if word]
    pattern = re.compile(rf"\b(?:{'|'.join(english)})\b", re.IGNORECASE) if english else None
    chinese = tuple(word.strip() for word in record["keywords_zh"].split(";") if word.strip())
    return SectorKeywords(record["sector"], pattern, chinese)


def read_with_columns(directory: Path, spec: TableSpec) -> pd.DataFrame:
    """A table with every column its schema requires; other problems are for `atlas validate` to report."""
    frame = read_table(directory / spec.file)
    missing = [column for column in spec.required if column not in frame]
    if missing:
        raise AtlasError(
            f"{spec.file} row 1 column '{missing[0]}': required column is missing; see `python -m atlas validate`"
        )
    return frame


@dataclass
class Knowledge:
    """The tables of a data directory, indexed for finding names in text."""

    data_dir: Path
    partnerships: pd.DataFrame
    events: pd.DataFrame
    places: pd.DataFrame
    sectors: list[SectorKeywords]
    homes: dict[str, Home] = field(default_factory=dict)
    partners: dict[str, Place] = field(default_factory=dict)
    overrides: dict[str, Place] = field(default_factory=dict)
    rows_by_key: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Knowledge:
        directory = Path(directory)
        partnerships = read_with_columns(directory, PARTNERSHIPS)
        sectors = [sector_keywords(record) for record in read_with_columns(directory, SECTORS).to_dict("records")]
        events, places = read_with_columns(directory, EVENTS), read_with_columns(directory, PLACES)
        knowledge = cls(directory, partnerships, events, places, sectors)
        records = partnerships.to_dict("records")
        partners = [partner_from_row(record) for record in records]
        for partner in partners:  # shortened Chinese names first, so that full names win
            for variant in zh_variants(partner.name_zh):
                knowledge.partners[fold(variant)] = partner
        for partner in partners:
            for name in (partner.name, partner.name_zh):
                if name:
                    knowledge.partners[fold(name)] = partner
        for record in records:
            home = home_from_row(record)
            for name in (home.name, home.name_zh):
                if name:
                    knowledge.homes[fold(name)] = home
        for row, record in zip(partnerships.index, records, strict=True):
            knowledge.rows_by_key[
                partnership_key(record["home"], record["home_country"], record["partner"], record["country"])
            ] = int(row)
        overrides_path = directory / PLACE_OVERRIDES.file
        if overrides_path.exists():
            for record in read_table(overrides_path).to_dict("records"):
                level = level_from_name(record["name"], record["precision"])
                place = Place(record["name"], "", level, record["admin1"], record["country"], "override")
                knowledge.overrides[fold(record["name"])] = place
        return knowledge

    def known(self, key: str) -> Named | None:
        """A name the tables know: homes first, then partners, place overrides and countries."""
        for index in (self.homes, self.partners, self.overrides):
            if key in index:
                return index[key]
        code = country_names().get(key)
        return Country(code) if code else None

    def fuzzy_partner(self, key: str) -> Place | None:
        """A partner of the data spelled another way: 'Duesseldorf', 'Voronesh'."""
        if len(key) < 6 or CJK.search(key):
            return None
        match = process.extractOne(key, list(self.partners), scorer=fuzz.ratio, score_cutoff=86)
        return self.partners[match[0]] if match else None

    def gazetteer_place(self, key: str, hints: set[str]) -> Place | None:
        """A town the gazetteer knows by this name: in a country named nearby, or a big one anywhere
        (by its own name only, not an alternate one)."""
        if key in NOT_PLACES or len(key) < 2:
            return None
        towns = [(place, flags) for place, flags in gazetteer().named(key) if place.level == "city"]
        if hints:
            candidates = [
                place for place, _ in towns if place.country in hints and place.population >= HINTED_MIN_POPULATION
            ]
        else:
            candidates = [
                place
                for place, flags in towns
                if place.population >= UNHINTED_MIN_POPULATION and (CJK.search(key) or flags & PRIMARY)
            ]
        if not candidates:
            return None
        city = max(candidates, key=lambda candidate: candidate.population)
        known = self.partners.get(fold(city.name))
        if known is not None and known.country == city.country:
            return known
        # A Chinese name only when the text gave it: GeoNames' are often traditional or Japanese.
        return Place(city.name, key if CJK.search(key) else "", "city", "", city.country, "gazetteer")

    def resolve_home(self, name: str) -> Home:
        """The home --home names: a home of partnerships.csv (spelling may vary), else a gazetteer city."""
        key = fold(name)
        if key in self.homes:
            return self.homes[key]
        match = process.extractOne(key, list(self.homes), scorer=fuzz.ratio, score_cutoff=85)
        if match:
            return self.homes[match[0]]
        place = self.gazetteer_place(key, {"CN"}) or self.gazetteer_place(key, set())
        if place is None:
            raise AtlasError(
                f"--home {name!r}: not a home in {PARTNERSHIPS.file} and not a place the offline gazetteer knows"
            )
        return Home(place.name, place.name_zh, "city", "", "", place.country)

    def existing_row(self, home: Home, partner: Place) -> int | None:
        """The spreadsheet row of this partnership in partnerships.csv, if it is there."""
        return self.rows_by_key.get(partnership_key(home.name, home.country, partner.name, partner.country))

    def sectors_in(self, text: str) -> list[str]:
        return [keywords.sector for keywords in self.sectors if keywords.named_in(text)]

    def in_sector_order(self, sectors: list[str]) -> list[str]:
        return [keywords.sector for keywords in self.sectors if keywords.sector in set(sectors)]

    def geocoder(self) -> ChainGeocoder:
        return build_geocoder(self.data_dir, gazetteer())


# --- Finding names in a sentence ------------------------------------------------------------------

LATIN = "A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"
WORD = re.compile(rf"[{LATIN}](?:[{LATIN}0-9'’]|-(?=[{LATIN}]))*")
POSSESSIVE = re.compile(r"['’]s?$")
PARTICLES = {"de", "del", "la", "le", "am", "an", "upon", "sur", "der", "den", "van", "von", "di", "da", "do", "du"}
MAX_NAME_WORDS = 5
MAX_NAME_CHARS_ZH = 10

Resolver = Callable[[str], Named | None]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    named: Named


def name_key(surface: str) -> str:
    return fold(POSSESSIVE.sub("", surface))


def key_variants(surface: str) -> list[str]:
    """The folded name, then without a generic last word: 'Mpumalanga Province' -> 'mpumalanga'."""
    words = surface.split()
    if len(words) > 1 and words[-1].casefold() in LEVEL_WORDS_EN:
        return [name_key(surface), name_key(" ".join(words[:-1]))]
    return [name_key(surface)]


def overlaps(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in blocked)


def capitalised_runs(text: str, blocked: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Runs of capitalised words ('Kansas City', 'Frankfurt am Main'), as word spans."""
    words = [word for word in WORD.finditer(text) if not overlaps(word.span(), blocked)]
    run: list[tuple[int, int]] = []
    for index, word in enumerate(words):
        token = word.group(0)
        follows_run = bool(run) and text[run[-1][1] : word.start()] == " "
        following = words[index + 1] if index + 1 < len(words) else None
        inner_particle = (
            token in PARTICLES
            and follows_run
            and following is not None
            and following.group(0)[0].isupper()
            and text[word.end() : following.start()] == " "
        )
        if token[0].isupper() and not follows_run and run:
            yield run
            run = []
        if token[0].isupper() or inner_particle:
            run.append(word.span())
        elif run:
            yield run
            run = []
        if run and POSSESSIVE.search(token):  # "Dusseldorf's" ends a name
            yield run
            run = []
    if run:
        yield run


def find_mentions(text: str, resolve: Resolver, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Names in `text` that `resolve` knows, longest first; `blocked` spans (trigger phrases) are skipped."""
    mentions: list[Mention] = []
    for run in capitalised_runs(text, blocked):
        position = 0
        while position < len(run):
            for size in range(min(MAX_NAME_WORDS, len(run) - position), 0, -1):
                words = run[position : position + size]
                if {text[slice(*words[0])], text[slice(*words[-1])]} & PARTICLES:
                    continue
                named = resolve(text[words[0][0] : words[-1][1]])
                if named is not None:
                    mentions.append(Mention(words[0][0], words[-1][1], named))
                    position += size
                    break
            else:
                mentions += hyphenated_mentions(text, run[position], resolve)
                position += 1
    mentions += cjk_mentions(text, resolve, blocked)
    return sorted(mentions, key=lambda mention: mention.start)


def hyphenated_mentions(text: str, span: tuple[int, int], resolve: Resolver) -> list[Mention]:
    """'Chongqing-Dusseldorf' names two places."""
    mentions = []
    start = span[0]
    for part in text[slice(*span)].split("-"):
        named = resolve(part) if part[:1].isupper() else None
        if named is not None:
            mentions.append(Mention(start, start + len(part), named))
        start += len(part) + 1
    return mentions


def cjk_mentions(text: str, resolve: Resolver, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Chinese has no spaces: at each character try the longest name first."""
    mentions = []
    for run in re.finditer(r"[\u3400-\u9fff]+", text):
        position = run.start()
        while position < run.end():
            for end in range(min(position + MAX_NAME_CHARS_ZH, run.end()), position + 1, -1):
                if overlaps((position, end), blocked):
                    continue
                named = resolve(text[position:end])
                if named is not None:
                    mentions.append(Mention(position, end, named))
                    position = end
                    break
            else:
                position += 1
    return mentions


# --- Reading the article for partnerships and events ---------------------------------------------


@dataclass
class Reading:
    """What one sentence holds."""

    sentence: Sentence
    dates: list[DateMention]
    triggers: list[tuple[int, int, str]]
    cue: int | None  # where the sentence says a tie was made
    mentions: list[Mention]

    @property
    def text(self) -> str:
        return self.sentence.text

    def places(self) -> list[Mention]:
        return [mention for mention in self.mentions if isinstance(mention.named, Place)]

    def homes(self) -> list[Mention]:
        return [mention for mention in self.mentions if isinstance(mention.named, Home)]

    def surface(self, mention: Mention) -> str:
        return self.text[mention.start : mention.end]

    @property
    def is_generic(self) -> bool:
        """About sister cities in general ('54 sister cities'), naming none and making no tie."""
        plural = any(PLURAL_PLACES.search(trigger) for _, _, trigger in self.triggers)
        return plural and not self.places() and self.cue is None


def read_sentence(
    sentence: Sentence, knowledge: Knowledge, last_year: int | None, published: PartialDate | None
) -> tuple[Reading, int | None]:
    text = sentence.text
    dates, last_year = find_dates(text, last_year, published)
    triggers = sentence_triggers(text)
    blocked = [(start, end) for start, end, _ in triggers]

    def known(surface: str) -> Named | None:
        return next((named for key in key_variants(surface) if (named := knowledge.known(key))), None)

    mentions = find_mentions(text, known, blocked)
    if triggers:
        # Only near a "sister city" phrase is an unknown name worth a fuzzy match or the gazetteer.
        hints = {mention.named.code for mention in mentions if isinstance(mention.named, Country)}

        def known_or_found(surface: str) -> Named | None:
            for key in key_variants(surface):
                named = knowledge.known(key) or knowledge.fuzzy_partner(key) or knowledge.gazetteer_place(key, hints)
                if named is not None:
                    return named
            return None

        mentions = find_mentions(text, known_or_found, blocked)
    cue = establishment_cue(text) if triggers else None
    return Reading(sentence, dates, triggers, cue, mentions), last_year


def distance(span: DateMention | Mention, position: int) -> int:
    return min(abs(span.start - position), abs(span.end - position))


def nearest(dates: list[DateMention], position: int) -> DateMention:
    return min(dates, key=lambda date: distance(date, position))


def nearest_mention(mentions: list[Mention], date: DateMention) -> Mention:
    return min(mentions, key=lambda mention: min(distance(mention, date.start), distance(mention, date.end)))


@dataclass(eq=False)  # identity: two finds of the same pair are still two objects
class FoundPartnership:
    home: Home
    partner: Place
    id: str = ""
    established: PartialDate | None = None
    evidence: str = ""  # the sentence the established date comes from
    other_dates: list[PartialDate] = field(default_factory=list)
    relation: str = ""
    relation_zh: str = ""
    sectors: list[str] = field(default_factory=list)
    existing_row: int | None = None  # spreadsheet row in partnerships.csv


@dataclass
class FoundEvent:
    partnership: FoundPartnership
    date: PartialDate
    kind: str
    sectors: list[str]
    summary: str
    summary_zh: str
    institutions: list[str]
    establishes: bool = False  # told by the sentence the established date comes from
    duplicate_of: int | None = None  # spreadsheet row in events.csv
    held_back: bool = False  # restates a tie the data dates differently


@dataclass
class Proposal:
    article: Article
    partnerships: list[FoundPartnership]
    events: list[FoundEvent]
    notes: list[str]


def propose(article: Article, knowledge: Knowledge, home: Home | None = None) -> Proposal:
    """The partnerships and dated events `article` describes, matched against `knowledge`."""
    title, _ = read_sentence(Sentence(article.title, -1), knowledge, None, article.published)
    body: list[Reading] = []
    last_year = None
    for sentence in article.sentences:
        reading, last_year = read_sentence(sentence, knowledge, last_year, article.published)
        body.append(reading)
    notes: list[str] = []
    found = choose_partnerships([title, *body], knowledge, home, notes)
    keep_chosen_partners([title, *body], found)
    for partnership in found:
        settle_establishment(partnership, [title, *body])
        partnership.existing_row = knowledge.existing_row(partnership.home, partnership.partner)
        partnership.id = partnership_id(partnership, knowledge)
    events = collect(found, title, body, knowledge)
    return Proposal(article, found, events, notes)


def choose_partnerships(
    readings: list[Reading], knowledge: Knowledge, home: Home | None, notes: list[str]
) -> list[FoundPartnership]:
    """Places named with a 'sister city' phrase, and partners the data pairs with a home named beside them."""
    candidates: list[Place] = []
    for reading in readings:
        for mention in reading.places():
            place = mention.named
            paired = any(knowledge.existing_row(other.named, place) is not None for other in reading.homes())
            if (reading.triggers or paired) and place not in candidates:
                candidates.append(place)
    counts = Counter(mention.named for reading in readings for mention in reading.homes())
    found = []
    for place in candidates:
        partner_home = home or choose_home(place, readings, knowledge, counts)
        if partner_home is None:
            notes.append(f"{place.name} ({place.country}) is named as a partner, but no home is: give --home NAME")
        elif partner_home.country != place.country and fold(partner_home.name) != fold(place.name):
            found.append(FoundPartnership(partner_home, place))
    return found


def choose_home(place: Place, readings: list[Reading], knowledge: Knowledge, counts: Counter) -> Home | None:
    """The home of `place`: one the data already pairs with it, else the nearest named, else the most named."""
    nearby: list[tuple[int, Home]] = []
    for reading in readings:
        for place_mention in (mention for mention in reading.places() if mention.named == place):
            nearby += [(abs(other.start - place_mention.start), other.named) for other in reading.homes()]
    homes = [home for _, home in sorted(nearby, key=lambda entry: entry[0])] + [
        home for home, _ in counts.most_common()
    ]
    paired = [home for home in homes if knowledge.existing_row(home, place) is not None]
    return (paired or homes or [None])[0]


def keep_chosen_partners(readings: list[Reading], found: list[FoundPartnership]) -> None:
    """Keep only mentions of the chosen partners, and find them in every sentence, by any name they went by."""
    chosen = {partnership.partner for partnership in found}
    by_key = {fold(name): place for place in chosen for name in (place.name, place.name_zh) if name}
    for reading in readings:
        for mention in reading.places():
            if mention.named in chosen:
                by_key[name_key(reading.surface(mention))] = mention.named

    def resolve(surface: str) -> Place | None:
        return next((by_key[key] for key in key_variants(surface) if key in by_key), None)

    for reading in readings:
        blocked = [(start, end) for start, end, _ in reading.triggers]
        others = [mention for mention in reading.mentions if not isinstance(mention.named, Place)]
        reading.mentions = sorted(others + find_mentions(reading.text, resolve, blocked), key=lambda m: m.start)


def settle_establishment(partnership: FoundPartnership, readings: list[Reading]) -> None:
    """The established date, from sentences saying the tie was made: the earliest, at its most precise.

    A sentence that names no partner ('Established as sister cities on July 22, 2004, ...') is about
    the partner named before it in the same paragraph.
    """
    candidates: list[tuple[PartialDate, str, str]] = []  # date, sentence, phrase
    phrase = ""
    carried = None
    paragraph = None
    for reading in readings:
        if reading.sentence.paragraph != paragraph:
            paragraph, carried = reading.sentence.paragraph, None
        named = [mention for mention in reading.places() if mention.named == partnership.partner]
        about = named or (carried == partnership.partner and not reading.places())
        if named and reading.triggers and not phrase:
            phrase = reading.triggers[0][2]
        cue = reading.cue
        # With several partners in the sentence, each date belongs to the one named nearest it.
        dates = [date for date in reading.dates if not named or nearest_mention(reading.places(), date) in named]
        if about and cue is not None and dates:
            date = nearest(dates, named[0].start if named else cue)
            trigger = min(reading.triggers, key=lambda found: abs(found[0] - cue))[2]
            candidates.append((date.date, reading.text, trigger))
        if reading.places():
            carried = reading.places()[-1].named
    if candidates:
        earliest = min((date for date, _, _ in candidates), key=chronological)
        agreeing = [entry for entry in candidates if compatible(entry[0], earliest)]
        partnership.established, partnership.evidence, phrase = max(agreeing, key=lambda entry: len(entry[0].iso()))
        partnership.other_dates = sorted(
            {date for date, _, _ in candidates if not compatible(date, earliest)}, key=chronological
        )
    partnership.relation, partnership.relation_zh = relation_phrases(phrase or "sister city")


def partnership_id(partnership: FoundPartnership, knowledge: Knowledge) -> str:
    if partnership.existing_row is not None:
        return knowledge.partnerships.at[partnership.existing_row, "id"]
    wanted = slugify(f"{partnership.home.name}-{partnership.partner.name}")
    if wanted in set(knowledge.partnerships["id"]):
        return slugify(f"{wanted}-{partnership.partner.country}")
    return wanted


def collect(
    found: list[FoundPartnership], title: Reading, body: list[Reading], knowledge: Knowledge
) -> list[FoundEvent]:
    """Fill in each partnership's sectors, and return the dated events of the sentences about it.

    A sentence is about the partners it names; one naming none is about those of the sentence
    before, unless it speaks of sister cities in general. An article about one partnership names
    its sectors anywhere in the text.
    """
    partner_of = {partnership.partner: partnership for partnership in found}
    if len(found) == 1:
        found[0].sectors = [sector for reading in [title, *body] for sector in knowledge.sectors_in(reading.text)]
    else:
        for mention in title.places():
            partner_of[mention.named].sectors += knowledge.sectors_in(title.text)
    events: list[FoundEvent] = []
    current: list[FoundPartnership] = []
    index = 0
    while index < len(body):
        reading = body[index]
        named = list(dict.fromkeys(partner_of[mention.named] for mention in reading.places()))
        current = [] if reading.is_generic else named or current
        texts = [reading.text]
        index += 1
        # Undated sentences that go on telling the same event ("... and the agreement was signed").
        while (
            reading.dates
            and index < len(body)
            and body[index].sentence.paragraph == reading.sentence.paragraph
            and not body[index].dates
            and all(partner_of[mention.named] in current for mention in body[index].places())
            and event_kind(body[index].text) in CONTINUING_KINDS
        ):
            texts.append(body[index].text)
            index += 1
        if len(found) > 1:
            for partnership in current:
                partnership.sectors += [sector for text in texts for sector in knowledge.sectors_in(text)]
        event = make_event(reading, texts, named or current, knowledge) if current and reading.dates else None
        if event is not None and not any(same_event(event, other) for other in events):
            events.append(event)
    for partnership in found:
        partnership.sectors = knowledge.in_sector_order(partnership.sectors)
    return sorted(events, key=lambda event: (found.index(event.partnership), chronological(event.date)))


def make_event(
    reading: Reading, texts: list[str], partnerships: list[FoundPartnership], knowledge: Knowledge
) -> FoundEvent | None:
    text = " ".join(texts)
    kind = event_kind(text)
    if kind is None:
        return None
    first = reading.dates[0]
    # Several partners in one sentence: the event is the one named nearest its date.
    position = {mention.named: mention.start for mention in reading.places()}
    partnership = min(partnerships, key=lambda found: abs(position.get(found.partner, 10**6) - first.start))
    joiner = "" if CJK.search(text) else " "  # Chinese sentences follow one another without a space
    summary = one_line(joiner.join([strip_leading_date(texts[0], first), *texts[1:]]))
    return FoundEvent(
        partnership,
        first.date,
        kind,
        knowledge.sectors_in(text) or [DEFAULT_EVENT_SECTOR],
        summary,
        summary if CJK.search(summary) else "",
        list(dict.fromkeys(name for part in texts for name in institutions_in(part))),
        establishes=reading.text == partnership.evidence,
    )


LEADING_DATE_WORDS = {"", "in", "on", "by", "since", "during", "early in", "late in", "in early", "in late", "于", "在"}


def strip_leading_date(text: str, date: DateMention) -> str:
    """'In October 2005, a delegation ...' -> 'A delegation ...': the date has a column of its own."""
    if text[: date.start].strip().casefold() not in LEADING_DATE_WORDS:
        return text
    rest = re.sub(r"^[\s,，、]*", "", text[date.end :])
    return rest[:1].upper() + rest[1:] if rest else text


def one_line(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".。")
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[: SUMMARY_LENGTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def summary_similarity(first: str, second: str) -> float:
    return fuzz.token_sort_ratio(first, second, processor=default_process)


def same_event(event: FoundEvent, other: FoundEvent) -> bool:
    return (
        event.partnership is other.partnership
        and event.date == other.date
        and summary_similarity(event.summary, other.summary) >= 90
    )


# --- Comparing with the tables -------------------------------------------------------------------

# Similarity of summaries (0-100) above which two events of one partnership are the same event.
SAME_DATE_SIMILARITY = 80  # same date: a loose match (word sets) is enough
CLOSE_DATE_SIMILARITY = 85  # dates that agree at different precision (2002-10 and 2002-10-18)
ANY_DATE_SIMILARITY = 92  # otherwise only a near-identical summary (strict: word order counts)


def known_date(text: str) -> PartialDate | None:
    try:
        return parse_partial_date(text) if text else None
    except ValueError:
        return None  # validation reports it; here it simply matches nothing


def duplicate_tier(event: FoundEvent, record: dict[str, str]) -> int | None:
    """0 if `record` is this event on the same date, 1 at a compatible date, 2 by summary alone, else None."""
    loose = fuzz.token_set_ratio(event.summary, record["summary"], processor=default_process)
    if event.summary_zh and record.get("summary_zh"):
        loose = max(loose, fuzz.token_set_ratio(event.summary_zh, record["summary_zh"], processor=default_process))
    same_kind = record["kind"] == event.kind
    recorded = known_date(record["date"])
    if recorded == event.date:
        return 0 if same_kind or loose >= SAME_DATE_SIMILARITY else None
    if recorded is not None and compatible(recorded, event.date):
        return 1 if same_kind or loose >= CLOSE_DATE_SIMILARITY else None
    return 2 if summary_similarity(event.summary, record["summary"]) >= ANY_DATE_SIMILARITY else None


def find_duplicate_event(event: FoundEvent, knowledge: Knowledge) -> int | None:
    """The events.csv row that already records `event`, preferring one with the same date."""
    events = knowledge.events
    records = events[events["partnership_id"] == event.partnership.id]
    tiers = [
        (tier, int(row))
        for row, record in zip(records.index, records.to_dict("records"), strict=True)
        if (tier := duplicate_tier(event, record)) is not None
    ]
    return min(tiers)[1] if tiers else None


def established_finding(partnership: FoundPartnership, recorded: str) -> tuple[str, bool]:
    """How the article's established date compares with the data's `recorded` one, and whether they conflict.

    A less precise date that agrees (1982 against 1982-08) is no conflict; a different one is.
    """
    found = partnership.established
    if found is None:
        return f"the article gives no established date (data: {recorded or 'none'})", False
    if not recorded:
        return f"the data has no established date; the article says {found.iso()} (not written)", False
    data_date = known_date(recorded)
    if data_date is None:
        return f"the data's established {recorded!r} is not a date: run `python -m atlas validate`", False
    if not compatible(found, data_date):
        return f"established: the data says {recorded}, the article says {found.iso()} (kept {recorded})", True
    if found == data_date:
        return f"established {recorded} agrees", False
    if len(found.iso()) > len(recorded):
        return f"the article is more precise: {found.iso()} (data: {recorded}; not changed)", False
    return f"the article says {found.iso()}, less precise than the data's {recorded}: no conflict", False


@dataclass
class Review:
    proposal: Proposal
    knowledge: Knowledge
    new_partnerships: list[dict[str, str]] = field(default_factory=list)
    new_events: list[dict[str, str]] = field(default_factory=list)
    new_places: list[dict[str, str]] = field(default_factory=list)
    findings: dict[str, str] = field(default_factory=dict)  # partnership id -> how it compares with the data
    conflicts: list[str] = field(default_factory=list)
    located: dict[str, list[str]] = field(default_factory=dict)  # partnership id -> where its places are
    unlocated: list[str] = field(default_factory=list)


def partnership_row(partnership: FoundPartnership, article: Article) -> dict[str, str]:
    home, partner = partnership.home, partnership.partner
    evidence = one_line(partnership.evidence)
    return {
        "id": partnership.id,
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
        "established": partnership.established.iso() if partnership.established else "",
        "relation": partnership.relation,
        "relation_zh": partnership.relation_zh,
        "confidence": INGESTED_CONFIDENCE,
        "source_url": article.url,
        "source_title": article.source_title,
        "notes": f"Ingested from {article.path.name}" + (f": '{evidence}'" if evidence else ""),
    }


def event_row(event: FoundEvent, article: Article) -> dict[str, str]:
    return {
        "partnership_id": event.partnership.id,
        "date": event.date.iso(),
        "kind": event.kind,
        "sectors": ";".join(event.sectors),
        "summary": event.summary,
        "summary_zh": event.summary_zh,
        "institutions": "; ".join(event.institutions),
        "source_url": article.url,
        "source_title": article.source_title,
    }


def place_row(found: dict[str, Any]) -> dict[str, str]:
    """A places.csv row for what `atlas.geocode.locate` found."""
    return {
        "name": found["name"],
        "admin1": found["admin1"],
        "country": found["country"],
        "lat": f"{found['lat']:.5f}",
        "lon": f"{found['lon']:.5f}",
        "precision": found["precision"],
        "source": found["source"],
    }


def review(proposal: Proposal, knowledge: Knowledge) -> Review:
    """What is already in the tables, what would be added, and where the article disagrees with the data."""
    geocoder = knowledge.geocoder()
    cached = {place_key(*values) for values in knowledge.places[["name", "admin1", "country"]].itertuples(index=False)}
    result = Review(proposal, knowledge)
    dated_differently: set[str] = set()  # partnership ids whose established date conflicts with the data
    for partnership in proposal.partnerships:
        home, partner = partnership.home, partnership.partner
        sides = [(partner.name, partner.admin1, partner.country, partner.level)]
        sides.append((home.name, home.admin1, home.country, home.level))
        result.located[partnership.id] = []
        for name, admin1, country, level in sides:
            found = locate(geocoder, name, country, admin1, place_kind(level))
            if found is None:
                result.located[partnership.id].append(f"{name}, {country}: not found by the offline geocoder")
            else:
                where = f"{found['lat']}, {found['lon']} ({found['source']}, {found['precision']})"
                result.located[partnership.id].append(f"{name}, {country}: {where}")
            if partnership.existing_row is None and place_key(name, admin1, country) not in cached:
                cached.add(place_key(name, admin1, country))
                if found is None:
                    result.unlocated.append(f"{name}, {country}")
                else:
                    result.new_places.append(place_row(found))
        if partnership.existing_row is None:
            result.new_partnerships.append(partnership_row(partnership, proposal.article))
            result.findings[partnership.id] = f"new: not in {PARTNERSHIPS.file}"
        else:
            recorded = knowledge.partnerships.at[partnership.existing_row, "established"]
            message, is_conflict = established_finding(partnership, recorded)
            result.findings[partnership.id] = f"exists: {PARTNERSHIPS.file} row {partnership.existing_row}; {message}"
            if is_conflict:
                result.conflicts.append(f"{partnership.id}: {message}")
                dated_differently.add(partnership.id)
        if partnership.other_dates:
            others = ", ".join(date.iso() for date in partnership.other_dates)
            result.conflicts.append(f"{partnership.id}: the article also dates the tie {others} (took the earliest)")
    for event in proposal.events:
        event.duplicate_of = find_duplicate_event(event, knowledge)
        # Adding it would record, as an event, the date the data disagrees with.
        event.held_back = event.duplicate_of is None and event.establishes and event.partnership.id in dated_differently
        if event.duplicate_of is None and not event.held_back:
            result.new_events.append(event_row(event, proposal.article))
    return result


# --- Output ----------------------------------------------------------------------------------------


def proposal_json(proposal: Proposal) -> dict[str, list[dict[str, Any]]]:
    return {
        "partnerships": [
            {
                "home": partnership.home.name,
                "partner": partnership.partner.name,
                "country": partnership.partner.country,
                "established": partnership.established.iso() if partnership.established else "",
                "relation": partnership.relation,
                "sectors": partnership.sectors,
            }
            for partnership in proposal.partnerships
        ],
        "events": [
            {
                "date": event.date.iso(),
                "kind": event.kind,
                "sectors": event.sectors,
                "summary": event.summary,
                "partnership": event.partnership.id,
            }
            for event in proposal.events
        ],
    }


def render_review(result: Review) -> str:
    proposal = result.proposal
    article = proposal.article
    lines = [f"{article.path.name}: {article.title}"]
    if not proposal.partnerships:
        lines.append(f"nothing found: {article.path.name} describes no partnership")
        lines += [f"note: {note}" for note in proposal.notes]
        return "\n".join(lines)
    count = len(proposal.partnerships)
    lines.append(f"\nFound {count} partnership{'s' if count > 1 else ''}:")
    for partnership in proposal.partnerships:
        home, partner = partnership.home, partnership.partner
        lines.append(f"  {home.name} – {partner.name}, {partner.country}  [{partnership.id}]")
        established = partnership.established.iso() if partnership.established else "not given"
        lines.append(f"    established  {established}")
        if partnership.evidence:
            lines.append(f'                 from: "{one_line(partnership.evidence)}"')
        lines.append(f"    relation     {partnership.relation} / {partnership.relation_zh}")
        lines.append(f"    sectors      {', '.join(partnership.sectors) or 'none named'}")
        for place in result.located[partnership.id]:
            lines.append(f"    located      {place}")
        lines.append(f"    status       {result.findings[partnership.id]}")
    lines.append(f"\nFound {len(proposal.events)} dated event(s):")
    for event in proposal.events:
        status = "new"
        if event.duplicate_of is not None:
            status = f"exists: {EVENTS.file} row {event.duplicate_of}"
        elif event.held_back:
            status = "held back: it dates the tie differently from the data"
        lines.append(f"  {event.date.iso():<10}  {event.kind:<9}  {event.partnership.id}  [{status}]")
        lines.append(f"      {event.summary}")
        lines.append(f"      sectors: {', '.join(event.sectors)}")
        if event.institutions:
            lines.append(f"      institutions: {'; '.join(event.institutions)}")
    lines.append("\nWould add:")
    additions = [
        (result.new_partnerships, PARTNERSHIPS.file, lambda row: row["id"]),
        (result.new_events, EVENTS.file, lambda row: f"{row['partnership_id']} {row['date']} {row['kind']}"),
        (result.new_places, PLACES.file, lambda row: f"{row['name']}, {row['country']}"),
    ]
    for rows, file, label in additions:
        lines.append(f"  {len(rows)} row(s) to {file}" + (": " + "; ".join(map(label, rows)) if rows else ""))
    lines.append("\nConflicts with the data:" if result.conflicts else "\nConflicts with the data: none")
    lines += [f"  {conflict}" for conflict in result.conflicts]
    lines += [f"note: {note}" for note in proposal.notes]
    lines += [
        f"note: {place} could not be located offline: add it to {PLACE_OVERRIDES.file}" for place in result.unlocated
    ]
    return "\n".join(lines)


# --- Writing -----------------------------------------------------------------------------------------


def merged(frame: pd.DataFrame, rows: list[dict[str, str]]) -> pd.DataFrame:
    """`frame` with `rows` appended, in the file's own columns; existing rows untouched."""
    addition = pd.DataFrame([{column: row.get(column, "") for column in frame.columns} for row in rows], dtype=object)
    return pd.concat([frame, addition], ignore_index=True)


def apply_review(result: Review, store: DataStore, base: Snapshot) -> int:
    """Write the new rows as one change made from `base`, if the tables with them validate; otherwise
    write nothing and return 1."""
    knowledge = result.knowledge
    if not (result.new_partnerships or result.new_events or result.new_places):
        print(f"\napply: nothing to add; {knowledge.data_dir} is unchanged")
        return 0
    tables: dict[str, pd.DataFrame] = {}
    if result.new_places:
        tables[PLACES.file] = merged(knowledge.places, result.new_places)
    if result.new_partnerships:
        tables[PARTNERSHIPS.file] = merged(knowledge.partnerships, result.new_partnerships)
    if result.new_events:
        tables[EVENTS.file] = merged(knowledge.events, result.new_events)
    try:
        commit = store.commit(tables, base)
    except ValidationFailed as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        print(f"apply: the tables would not validate; nothing was written to {knowledge.data_dir}", file=sys.stderr)
        return 1
    merged_note = f" (after rows another change added to {', '.join(commit.merged)})" if commit.merged else ""
    print(
        f"\napply: added {len(result.new_partnerships)} partnership(s), {len(result.new_events)} event(s) "
        f"and {len(result.new_places)} place(s) to {knowledge.data_dir}{merged_note}"
    )
    return 0


# --- Command line ----------------------------------------------------------------------------------


def run_ingest(args: argparse.Namespace) -> int:
    article = read_article(args.file)
    store = DataStore(data_dir(args))
    if args.apply:
        store.ensure_original()
    # --apply holds the data directory's lock from reading the tables to writing them: a second run
    # waits, then reads the rows this one added.
    with store.locked() if args.apply else contextlib.nullcontext():
        base = store.read() if args.apply else None
        knowledge = Knowledge.load(store.data_dir)
        home = knowledge.resolve_home(args.home) if args.home else None
        proposal = propose(article, knowledge, home)
        if args.json:
            print(json.dumps(proposal_json(proposal), ensure_ascii=False, indent=2))
            return 0
        result = review(proposal, knowledge)
        print(render_review(result))
        if base is not None and proposal.partnerships:
            return apply_review(result, store, base)
    if result.new_partnerships or result.new_events:
        print("\nNothing was written: run again with --apply to add the new rows.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="propose partnerships and events from an article (English or Chinese)",
        description="Read a plain-text article and propose the partnerships and dated events it describes.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the article, as UTF-8 plain text")
    parser.add_argument("--home", metavar="NAME", help="the home of every partnership (default: found in the text)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object; changes nothing")
    output.add_argument("--apply", action="store_true", help="add the new rows to the tables (validated first)")
    add_data_option(parser)
    parser.set_defaults(run=run_ingest)
