"""Dates at the precision a source gives: YYYY, YYYY-MM or YYYY-MM-DD, never an invented day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# ASCII digits only: `\d` would also accept "٢٠٠٤", which int() reads but pandas does not.
PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self, lang: str = "en") -> str:
        """'22 July 2004' / '2004年7月22日', showing only the precision the source gave."""
        if lang == "zh":
            text = f"{self.year}年"
            if self.month is not None:
                text += f"{self.month}月"
            if self.day is not None:
                text += f"{self.day}日"
            return text
        if self.month is None:
            return str(self.year)
        month = MONTHS_EN[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"


def parse_partial_date(text: str) -> PartialDate:
    """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; raise ValueError saying what is wrong."""
    match = PARTIAL_DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"{text!r}: year {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r}: day {day} does not exist in {year}-{month:02d}") from None
    return PartialDate(year, month, day)


def display_date(text: str, lang: str = "en") -> str:
    """A stored date string for people; empty means no source gives a date."""
    if not text:
        return "date unknown" if lang == "en" else "日期不详"
    return parse_partial_date(text).display(lang)


MONTH_NUMBERS = (
    {name.casefold(): number for number, name in enumerate(MONTHS_EN, start=1)}
    | {name[:3].casefold(): number for number, name in enumerate(MONTHS_EN, start=1)}
    | {"sept": 9}
)
LOOSE_DATE_FORMS = (
    # 2004, 2004-07, 2004-7-22, 2004/07/22, 2004.7.22
    (re.compile(r"([0-9]{4})(?:[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?)?"), ("year", "month", "day")),
    # 22.07.2004, 22/7/2004 (day first, as every office outside North America writes it), 07/2004
    (re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})"), ("day", "month", "year")),
    (re.compile(r"([0-9]{1,2})[./-]([0-9]{4})"), ("month", "year")),
    # 2004年7月22日, 2004年7月, 2004年
    (re.compile(r"([0-9]{4})\s*年(?:\s*([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*日)?)?"), ("year", "month", "day")),
    # July 2004, 22 July 2004, July 22, 2004, Jul. 2004
    (re.compile(r"([A-Za-z]+)\.?\s+([0-9]{4})"), ("month", "year")),
    (re.compile(r"([0-9]{1,2})\s+([A-Za-z]+)\.?,?\s+([0-9]{4})"), ("day", "month", "year")),
    (re.compile(r"([A-Za-z]+)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})"), ("month", "day", "year")),
)


def read_date(text: str) -> PartialDate:
    """A date as people type it in a spreadsheet cell, at the precision given: '2004', 'July 2004',
    '22.07.2004', '2004/7/22', '2004年7月'. ValueError saying what is wrong otherwise."""
    cleaned = " ".join(text.replace("\u3000", " ").split()).strip()
    for pattern, parts in LOOSE_DATE_FORMS:
        match = pattern.fullmatch(cleaned)
        if not match:
            continue
        found = dict(zip(parts, match.groups(), strict=True))
        month = found.get("month")
        if month is not None and not month.isdigit():
            if month.casefold() not in MONTH_NUMBERS:
                raise ValueError(f"{text!r}: {month!r} is not a month")
            month = str(MONTH_NUMBERS[month.casefold()])
        iso = found["year"]
        if month is not None:
            iso += f"-{int(month):02d}"
            if found.get("day") is not None:
                iso += f"-{int(found['day']):02d}"
        try:
            return parse_partial_date(iso)
        except ValueError as error:
            raise ValueError(f"{text!r}: {str(error).split(': ', 1)[-1]}") from None
    raise ValueError(f"{text!r} is not a date: write e.g. 2004, July 2004, 2004-07-22 or 2004年7月22日")
