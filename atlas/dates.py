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
