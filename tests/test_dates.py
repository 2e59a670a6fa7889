"""Dates keep the precision their source gives: YYYY, YYYY-MM or YYYY-MM-DD, never an invented day."""

from __future__ import annotations

import pytest

from atlas.dates import PartialDate, display_date, parse_partial_date


def test_year_alone_has_year_precision() -> None:
    date = parse_partial_date("1983")
    assert date == PartialDate(1983)
    assert date.precision == "year"
    assert date.iso() == "1983"


def test_year_and_month_have_month_precision() -> None:
    date = parse_partial_date("1982-12")
    assert date == PartialDate(1982, 12)
    assert date.precision == "month"
    assert date.iso() == "1982-12"


def test_full_date_has_day_precision() -> None:
    date = parse_partial_date("2004-07-22")
    assert date == PartialDate(2004, 7, 22)
    assert date.precision == "day"
    assert date.iso() == "2004-07-22"


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_partial_date("  2004-07 \t") == PartialDate(2004, 7)


def test_leap_day_exists_in_a_leap_year() -> None:
    assert parse_partial_date("2024-02-29") == PartialDate(2024, 2, 29)


def test_leap_day_in_a_common_year_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"'2023-02-29': day 29 does not exist in 2023-02"):
        parse_partial_date("2023-02-29")


@pytest.mark.parametrize("text", ["2004-04-31", "2004-01-32", "2004-01-00"])
def test_impossible_day_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="does not exist in 2004-"):
        parse_partial_date(text)


@pytest.mark.parametrize("text", ["2004-00", "2004-13", "2004-13-01"])
def test_impossible_month_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"month (0|13) does not exist"):
        parse_partial_date(text)


@pytest.mark.parametrize(("text", "year"), [("1899", 1899), ("2101-01", 2101), ("0000", 0), ("9999-12-31", 9999)])
def test_year_outside_1900_to_2100_is_rejected(text: str, year: int) -> None:
    with pytest.raises(ValueError, match=f"year {year} is outside 1900-2100"):
        parse_partial_date(text)


def test_first_and_last_accepted_years() -> None:
    assert parse_partial_date("1900").year == 1900
    assert parse_partial_date("2100-12-31").day == 31


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "circa 1990",
        "1990s",
        "04",
        "2004-7",
        "2004-07-2",
        "2004/07/22",
        "22.07.2004",
        "2004-07-22T00:00",
        "2004--07",
        "+2004",
        "٢٠٠٤",  # Arabic-Indic digits: int() reads them, pandas does not
        "２００４",  # full-width digits
    ],
)
def test_garbage_is_rejected_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="use YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_partial_date(text)


def test_dates_sort_by_year_then_month_then_day() -> None:
    dates = [parse_partial_date(text) for text in ("2004-07-22", "1983", "2004-07-01", "2004-03")]
    assert [date.iso() for date in sorted(dates)] == ["1983", "2004-03", "2004-07-01", "2004-07-22"]


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("1983", "1983", "1983年"),
        ("1982-12", "December 1982", "1982年12月"),
        ("2004-07-22", "22 July 2004", "2004年7月22日"),
        ("2001-01-05", "5 January 2001", "2001年1月5日"),
    ],
)
def test_display_shows_only_the_precision_given(text: str, english: str, chinese: str) -> None:
    date = parse_partial_date(text)
    assert date.display() == english
    assert date.display("en") == english
    assert date.display("zh") == chinese
    assert display_date(text, "en") == english
    assert display_date(text, "zh") == chinese


def test_missing_date_is_shown_as_unknown() -> None:
    assert display_date("") == "date unknown"
    assert display_date("", "zh") == "日期不详"


def test_display_of_a_bad_stored_date_raises_the_parse_error() -> None:
    with pytest.raises(ValueError, match="month 13 does not exist"):
        display_date("2004-13")
