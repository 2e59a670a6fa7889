"""An office's spreadsheet read as partnership fields: columns guessed by header or content, dates at
the precision given, and a clear message (never a traceback) for a file that is not a spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from atlas.dates import read_date
from atlas.sheets import MAX_FILE_BYTES, SheetError, guess_mapping, read_rows, read_sheet


def xlsx(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2004", "2004"),
        ("2004-07", "2004-07"),
        ("2004/7/22", "2004-07-22"),
        ("22.07.2004", "2004-07-22"),
        ("07/2004", "2004-07"),
        ("July 2004", "2004-07"),
        ("22 July 2004", "2004-07-22"),
        ("July 22, 2004", "2004-07-22"),
        ("2004年7月", "2004-07"),
        ("2004年7月22日", "2004-07-22"),
    ],
)
def test_dates_are_read_at_the_precision_typed(typed: str, iso: str) -> None:
    assert read_date(typed).iso() == iso


@pytest.mark.parametrize("typed", ["32/13/2020", "Juli 2004", "soon", "1850"])
def test_a_cell_that_is_not_a_date_says_so(typed: str) -> None:
    with pytest.raises(ValueError, match=typed.split("/")[0]):
        read_date(typed)


def test_the_office_column_names_are_matched_to_fields() -> None:
    sheet = read_sheet("list.csv", b"Chinese city,Partner city,Country,Date signed\nChangsha,Ulm,Germany,2019\n")
    mapping = guess_mapping(sheet)
    assert {field: mapping[field] for field in ("home", "partner", "country", "established")} == {
        "home": "Chinese city",
        "partner": "Partner city",
        "country": "Country",
        "established": "Date signed",
    }


def test_chinese_headers_and_a_gb18030_file_are_read() -> None:
    text = "中方城市,友好城市,国家,缔结时间\n长沙,图卢兹,法国,2020年10月\n"
    sheet = read_sheet("名单.csv", text.encode("gb18030"))
    mapping = guess_mapping(sheet)
    [row] = read_rows(sheet, mapping)
    assert row.fields == {"home": "长沙", "partner": "图卢兹", "country": "FR", "established": "2020-10"}


def test_unnamed_columns_are_guessed_from_their_content() -> None:
    sheet = read_sheet(
        "x.csv", b"Chinese city,Partner city,A,B\nChangsha,Ulm,DE,June 2019\nZhuzhou,Kazan,Russia,2015\n"
    )
    mapping = guess_mapping(sheet)
    assert mapping["country"] == "A" and mapping["established"] == "B"


def test_an_xlsx_keeps_the_precision_its_date_format_shows() -> None:
    content = xlsx(
        [
            ["Chinese city", "Partner city", "Country", "Date signed"],
            ["Changsha", "Ulm", "DE", dt.datetime(2019, 6, 1)],
            ["Changsha", "Brest", "FR", dt.datetime(2020, 1, 1)],
            ["Changsha", "Tours", "FR", dt.datetime(2021, 3, 9)],
            ["Changsha", "Lyon", "FR", 2022],
        ],
        {"D2": "mmm yyyy", "D3": "yyyy", "D4": "yyyy-mm-dd"},
    )
    sheet = read_sheet("list.xlsx", content)
    rows = read_rows(sheet, guess_mapping(sheet))
    assert [row.fields["established"] for row in rows] == ["2019-06", "2020", "2021-03-09", "2022"]


def test_problems_name_the_row_and_the_column() -> None:
    sheet = read_sheet("list.csv", b"Chinese city,Partner city,Country,Date signed\nChangsha,,Atlantis,2019-13\n")
    [row] = read_rows(sheet, guess_mapping(sheet))
    assert sorted(str(problem) for problem in row.problems) == [
        "error: list.csv row 2 column 'B \"Partner city\"': is empty",
        "error: list.csv row 2 column 'C \"Country\"': 'Atlantis' is not a country I know",
        "error: list.csv row 2 column 'D \"Date signed\"': '2019-13': month 13 does not exist",
    ]


def test_hostile_text_stays_text() -> None:
    sheet = read_sheet("list.csv", b'Chinese city,Partner city,Country\nChangsha,"=HYPERLINK(""http://x"")",DE\n')
    [row] = read_rows(sheet, guess_mapping(sheet))
    assert row.fields["partner"] == '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xlsx", b"not a zip at all", "not a zip archive"),
        ("list.xls", b"\xd0\xcf\x11\xe0", "old Excel"),
        ("list.pdf", b"%PDF", "not a spreadsheet"),
        ("list.csv", b"", "is empty"),
        ("list.csv", b"\x00\x01\x02", "NUL bytes"),
        ("list.csv", b"\xff\xfe\xfa\xfb" * 10, "neither UTF-8 nor GB18030"),
        ("list.csv", b"x" * (MAX_FILE_BYTES + 1), "too big"),
        ("list.csv", ("a," * 100 + "\n").encode(), "more than 60 columns"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(name: str, content: bytes, message: str) -> None:
    with pytest.raises(SheetError, match=message):
        read_sheet(name, content)


def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 80_000_000 + b">")
    with pytest.raises(SheetError, match="unpacks to"):
        read_sheet("bomb.xlsx", buffer.getvalue())


def test_a_broken_xlsx_gets_a_message_not_a_traceback() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<broken")
    with pytest.raises(SheetError, match=r"cannot be read as an \.xlsx workbook"):
        read_sheet("broken.xlsx", buffer.getvalue())
