"""Dates in running text, at the precision written: '1982年10月30日', 'Oct. 20, 1993', 'In Oct.1982'.

Finding is separate from resolving: `find_dates` returns what the text writes (a year, month and
day where given, or a word such as 同年 / 'this year'); `resolve` fills in what the context knows,
never more: the year named before for 'the same year', the article's own date for '25日' or
'this year', the year in an event's name ('Conference 2024 kicked off on May 22'). A date the
context cannot complete is dropped, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from atlas.dates import PartialDate, parse_partial_date
from atlas.ingest.lexicon import lexicon

ZH_DIGIT_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_DIGITS = "".join(ZH_DIGIT_VALUES)
ZH_NUMBER = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
ORDINAL = r"(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)[0-9]{2}"
RANGE = r"\s*(?:to|-|–|—|and|until|till|至|到|~|－)\s*"


@dataclass(frozen=True)
class DateMention:
    """A date as written: `year`, `month`, `day` where the text gives them; `relative` for a word
    that takes its year from the context ('same_year', 'this_year', 'weekday', ...)."""

    start: int
    end: int
    year: int | None
    month: int | None = None
    day: int | None = None
    relative: str = ""
    event_year: bool = False  # a year in a name ("Conference 2024"): it dates nothing by itself
    weekday: int | None = None  # 0 for Monday: 'on Wednesday'


@dataclass(frozen=True)
class DateContext:
    published: PartialDate | None = None  # the article's own date
    last_year: int | None = None  # the latest year named before this sentence
    event_year: int | None = None  # a year in an event's name in the same sentence
    future: bool = False  # the sentence speaks of a plan: a yearless date lies ahead, not behind
    dateline: PartialDate | None = None  # a full date written before, in the same sentence ('Nov. 10 (Xinhua)')
    lead_year: int | None = None  # '2018年,重庆市…' opening an article published later: the year it tells of


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
    if text[0].isascii() and text[0].isalpha():
        return lexicon().months_en.index(text[:3].casefold()) + 1
    return chinese_number(text)


# Words of the lexicon ([dates] of en.toml and zh.toml) that date by the context.
YEAR_WORDS = ("same_year", "next_year", "this_year", "last_year")
DAY_WORDS = ("yesterday", "today", "this_month")
RELATIVE_KEYS = YEAR_WORDS + DAY_WORDS


def words(keys: tuple[str, ...], language: str) -> str:
    """The lexicon's words for `keys` in one script, longest first, as one alternation."""
    chinese = re.compile(r"[\u3400-\u9fff]")
    found = [
        word
        for key in keys
        for word in lexicon().relative_words[key]
        if bool(chinese.search(word)) == (language == "zh")
    ]
    return "|".join(re.escape(word) for word in sorted(found, key=len, reverse=True))


def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """From the most specific to the least; a later match overlapping an earlier one is dropped."""
    zh_year = rf"(?P<year>{YEAR}|[{ZH_DIGITS}]{{4}})\s*年"
    zh_to = rf"\s*(?:至|到|-|–|~|－)\s*(?:(?:{ZH_NUMBER})\s*月\s*)?(?:{ZH_NUMBER})\s*[日号]"
    zh_range = rf"(?:{zh_to})?"
    zh_day = rf"(?:\s*[日号]{zh_range}|{zh_to})"  # '18日至22日', and '5月18至22日' without the first 日
    zh_month_day = rf"(?P<month>{ZH_NUMBER})\s*月(?:\s*(?P<day>{ZH_NUMBER}){zh_day})?"
    return (
        ("written", re.compile(rf"{zh_year}(?:\s*{zh_month_day})?")),
        (
            "written",
            re.compile(rf"(?<![0-9.])(?P<year>{YEAR})[-/.](?P<month>[0-9]{{1,2}})[-/.](?P<day>[0-9]{{1,2}})(?![0-9])"),
        ),
        ("written", re.compile(rf"(?<![0-9.])(?P<year>{YEAR})[-/](?P<month>[0-9]{{1,2}})(?![-/0-9])")),
        (
            "written",
            re.compile(
                rf"\b(?P<month>{MONTH})\s*(?P<day>[0-9]{{1,2}}){ORDINAL}(?:{RANGE}(?:{MONTH}\s*)?[0-9]{{1,2}}{ORDINAL})?"
                rf",?\s*(?P<year>{YEAR})\b"
            ),
        ),
        (
            "written",
            re.compile(
                rf"\b(?P<day>[0-9]{{1,2}}){ORDINAL}(?:{RANGE}[0-9]{{1,2}}{ORDINAL})?\s+(?:of\s+)?(?P<month>{MONTH}),?\s*(?P<year>{YEAR})\b"
            ),
        ),
        ("written", re.compile(rf"\b(?P<month>{MONTH}),?\s*(?:of\s+)?(?P<year>{YEAR})\b")),
        ("this_year", re.compile(rf"(?i:\b(?P<month>{MONTH})\s+(?:of\s+)?this\s+year\b)")),
        ("same_year", re.compile(rf"(?i:\b(?P<month>{MONTH})\s+(?:of\s+)?(?:the|that)\s+same\s+year\b)")),
        ("zh_relative", re.compile(rf"(?P<word>{words(YEAR_WORDS, 'zh')})(?:\s*{zh_month_day})?")),
        ("yearless", re.compile(rf"\b(?P<month>{MONTH})\s*(?P<day>[0-9]{{1,2}}){ORDINAL}\b(?!\s*(?:,\s*)?[0-9]{{4}})")),
        (
            "yearless",
            re.compile(rf"\b(?P<day>[0-9]{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<month>{MONTH})(?!\s*,?\s*[0-9]{{4}})"),
        ),
        ("yearless", re.compile(rf"(?<![年0-9])(?P<month>{ZH_NUMBER})\s*月\s*(?P<day>{ZH_NUMBER}){zh_day}")),
        ("day_only", re.compile(r"(?<![月0-9.])(?P<day>[0-9]{1,2})\s*[日号](?![本报])")),
        ("weekday", re.compile(rf"(?i:\bon\s+(?P<weekday>{'|'.join(lexicon().weekdays_en)})\b)")),
        ("event_year", re.compile(rf"(?<![0-9])(?P<year>{YEAR})(?=[\u4e00-\u9fff](?<!年))|(?<=·)(?P<year2>{YEAR})")),
        (
            "event_year",
            re.compile(
                rf"\b(?:Conference|Forum|Summit|Expo|Week|Fair|Festival|Games|Congress|Meeting)\s+(?P<year>{YEAR})\b"
                rf"|\bthe\s+(?P<year2>{YEAR})\s+(?=[A-Z])"
            ),
        ),
        (
            "written",
            re.compile(
                rf"(?i:\b(?:in|since|from|during|year|early|late|mid|by|until|of|before|after)[\s-]+)(?P<year>{YEAR})\b"
                rf"(?![-–/][0-9])|^\s*(?P<year2>{YEAR})\s*[,:]"
            ),
        ),
        (
            "relative_word",
            re.compile(rf"(?i:\b(?P<word>{words(RELATIVE_KEYS, 'en')})\b)|(?P<zhword>{words(DAY_WORDS, 'zh')})"),
        ),
    )


PATTERNS = _patterns()
RELATIVE_WORDS = {word.casefold(): key for key, found in lexicon().relative_words.items() for word in found}


def find_dates(text: str) -> list[DateMention]:
    """Every date `text` writes, in order, as written (see the module docstring)."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if span[0] == span[1] or any(span[0] < end and start < span[1] for start, end, _, _ in found):
                continue
            found.append((span[0], span[1], kind, match))
    mentions = []
    for start, end, kind, match in sorted(found, key=lambda entry: entry[0]):
        mention = mention_of(start, end, kind, match.groupdict())
        if mention is not None:
            mentions.append(mention)
    return mentions


def mention_of(start: int, end: int, kind: str, groups: dict[str, str | None]) -> DateMention | None:
    month = month_number(groups.get("month"))
    day = chinese_number(groups["day"]) if groups.get("day") else None
    if kind in ("written", "event_year"):
        year_text = groups.get("year") or groups.get("year2")
        if year_text is None:
            return None
        return DateMention(
            start, end, chinese_number(year_text), month, day if month else None, "", kind == "event_year"
        )
    if kind in ("this_year", "same_year"):
        return DateMention(start, end, None, month, None, kind)
    if kind == "zh_relative":
        return DateMention(start, end, None, month, day if month else None, RELATIVE_WORDS[groups["word"]])
    if kind == "yearless":
        return DateMention(start, end, None, month, day, "yearless")
    if kind == "day_only":
        return DateMention(start, end, None, None, day, "day_only")
    if kind == "weekday":
        weekday = [name[:3] for name in lexicon().weekdays_en].index(groups["weekday"][:3].casefold())
        return DateMention(start, end, None, None, None, "weekday", weekday=weekday)
    word = (groups.get("word") or groups.get("zhword") or "").casefold()
    return DateMention(start, end, None, None, None, RELATIVE_WORDS[word])


def checked(year: int, month: int | None, day: int | None) -> PartialDate | None:
    """The date if it exists and lies in the atlas's range."""
    try:
        return parse_partial_date(PartialDate(year, month, day if month else None).iso())
    except ValueError:
        return None


def shifted_day(date: PartialDate, days: int) -> PartialDate | None:
    if date.day is None or date.month is None:
        return None
    moved = dt.date(date.year, date.month, date.day) + dt.timedelta(days=days)
    return PartialDate(moved.year, moved.month, moved.day)


def resolve(mention: DateMention, context: DateContext) -> PartialDate | None:
    """The date `mention` stands for in `context`, at the precision written, or None."""
    if mention.event_year:
        return None
    if mention.year is not None:
        return checked(mention.year, mention.month, mention.day)
    published = context.published
    relative = mention.relative
    if relative == "same_year":
        return checked(context.last_year, mention.month, mention.day) if context.last_year else None
    if relative == "next_year":
        return checked(context.last_year + 1, mention.month, mention.day) if context.last_year else None
    if relative in ("yearless", "day_only") and context.event_year:
        month = mention.month or (published.month if published and published.year == context.event_year else None)
        return checked(context.event_year, month, mention.day) if month else checked(context.event_year, None, None)
    if relative == "weekday" and context.dateline is not None and mention.weekday is not None:
        # 'CHONGQING, Nov. 10 (Xinhua) -- … on Wednesday signed': the last such day by the dateline's
        filed = dt.date(context.dateline.year, context.dateline.month, context.dateline.day)
        return shifted_day(context.dateline, -((filed.weekday() - mention.weekday) % 7))
    if published is None:
        return None
    if relative == "this_year":
        return checked(published.year, mention.month, mention.day)
    if relative == "this_month":
        return checked(published.year, published.month, None) if published.month else None
    if relative == "last_year":
        return checked(published.year - 1, mention.month, mention.day)
    if relative == "today":
        return published if published.day else None
    if relative == "yesterday":
        return shifted_day(published, -1)
    if relative == "weekday":
        return checked(published.year, published.month, None) if published.month else None
    if relative == "yearless" and mention.month and mention.day and context.lead_year:
        return checked(context.lead_year, mention.month, mention.day)
    if relative == "yearless" and mention.month and mention.day:
        year = published.year
        ahead = (mention.month, mention.day) > (published.month or 12, published.day or 31)
        if ahead and not context.future:
            year -= 1
        return checked(year, mention.month, mention.day)
    if relative == "day_only" and mention.day and published.month:
        month, year = published.month, published.year
        if published.day is not None and mention.day > published.day and not context.future:
            month, year = (month - 1, year) if month > 1 else (12, year - 1)
        return checked(year, month, mention.day)
    return None


def event_year_of(mentions: list[DateMention]) -> int | None:
    return next((mention.year for mention in mentions if mention.event_year), None)


def resolve_all(
    mentions: list[DateMention], context: DateContext
) -> tuple[list[tuple[DateMention, PartialDate]], int | None]:
    """Every mention that resolves, in order, each read after the ones before it ('2008年3月…同年5月');
    and the last year named."""
    resolved = []
    last_year = context.last_year
    dateline = None
    for mention in mentions:
        date = resolve(mention, replace(context, last_year=last_year, dateline=dateline))
        if date is not None:
            resolved.append((mention, date))
            last_year = date.year
            dateline = date if date.day else dateline
    return resolved, last_year
