"""An office's own spreadsheet (.xlsx or .csv) read as partnership fields, with a guess of which column is which.

Reading is `openpyxl` for .xlsx (with `defusedxml` installed it refuses XML bombs) and the csv module
for .csv. Every problem names the row and the column a person sees in their spreadsheet.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

from atlas.dates import read_date
from atlas.errors import AtlasError, Problem
from atlas.places.countries import country_code
from atlas.tables import CONTROL_CHARACTERS, office_text
from atlas.validate import fold

MAX_FILE_BYTES = 3_000_000
MAX_UNPACKED_BYTES = 60_000_000  # an .xlsx is a zip: refuse one that unpacks to far more than it weighs
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELL_LENGTH = 2_000
GUESS_SHARE = 0.6  # a column is taken for countries or dates when this share of its values read as such

# Fields a spreadsheet row can give, and the headers offices use for them (compared folded).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "home": ("Chinese city", "home", "home city", "city in China", "Chinese side", "中方城市", "国内城市", "我方城市"),
    "home_zh": ("Chinese city (Chinese)", "home_zh", "中方城市中文名"),
    "partner": (
        "partner city",
        "partner",
        "sister city",
        "friendship city",
        "foreign city",
        "twin town",
        "友好城市",
        "友城",
        "外方城市",
        "国外城市",
    ),
    "partner_zh": ("partner (Chinese)", "partner_zh", "Chinese name", "partner Chinese name", "友城中文名", "中文名"),
    "country": ("country", "partner country", "nation", "国家", "国别", "所在国"),
    "partner_admin1": ("state", "province or state", "region", "partner region", "partner_admin1", "州", "州省"),
    "established": (
        "date signed",
        "date",
        "signed",
        "established",
        "year",
        "year signed",
        "signing date",
        "缔结时间",
        "缔结日期",
        "签约时间",
        "签署日期",
        "结好时间",
        "日期",
        "年份",
    ),
    "relation": ("relation", "relationship", "type", "kind", "关系", "类型", "友好关系类型"),
    "home_province": ("Chinese province", "province", "home_province", "省份", "所属省份"),
    "source_url": ("source", "source url", "link", "url", "来源", "链接"),
    "source_title": ("source title", "reference", "来源名称"),
    "notes": ("notes", "remarks", "comment", "comments", "备注", "说明"),
}
FIELDS = tuple(FIELD_HEADERS)
REQUIRED_FIELDS = ("home", "partner", "country")


class SheetError(AtlasError):
    """The file cannot be read as a spreadsheet."""


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    first_row: int = 2  # the spreadsheet row of rows[0]: the header's row + 1

    def row_number(self, position: int) -> int:
        return self.first_row + position

    def column_label(self, column: str) -> str:
        """'C "Date signed"': the letter a spreadsheet shows, and the header."""
        return f'{get_column_letter(self.header.index(column) + 1)} "{column}"'


@dataclass
class SheetRow:
    """One row read through a mapping: its fields as text, and what is wrong with them."""

    row: int
    fields: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


def read_sheet(name: str, content: bytes) -> Sheet:
    """A spreadsheet from its file name and bytes: .xlsx or .csv."""
    if len(content) > MAX_FILE_BYTES:
        raise SheetError(f"{name}: {len(content) / 1e6:.1f} MB is too big: at most {MAX_FILE_BYTES / 1e6:.0f} MB")
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if suffix in ("xlsx", "xlsm"):
        cells = xlsx_cells(name, content)
    elif suffix in ("csv", "txt", "tsv"):
        cells = csv_cells(name, content)
    elif suffix == "xls":
        raise SheetError(f"{name}: an .xls file from an old Excel: save it as .xlsx or .csv and drop it again")
    else:
        raise SheetError(f"{name}: not a spreadsheet: drop an .xlsx or a .csv file")
    return sheet_from_cells(name, cells)


def xlsx_cells(name: str, content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SheetError(f"{name}: is not an .xlsx file (it is not a zip archive): save it as .xlsx or .csv") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(f"{name}: unpacks to {unpacked / 1e6:.0f} MB: too big for a list of partnerships")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) for broken files
        raise SheetError(f"{name}: cannot be read as an .xlsx workbook ({type(error).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        cells = []
        for record in sheet.iter_rows(max_col=MAX_COLUMNS + 1):
            texts = [cell_text(cell.value, getattr(cell, "number_format", "")) for cell in record]
            while texts and not texts[-1]:  # read-only sheets pad every row to the widest one asked for
                texts.pop()
            cells.append(texts)
            if len(cells) > MAX_ROWS + 1:
                break
        return cells
    except Exception as error:
        raise SheetError(f"{name}: cannot be read as an .xlsx workbook ({type(error).__name__})") from None
    finally:
        workbook.close()


def cell_text(value: object, number_format: str) -> str:
    """A cell as the office typed it; a date keeps the precision its format shows (yyyy, mmm yyyy or a day)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        shown = number_format.casefold()
        if "d" not in shown and "m" in shown:
            return f"{value.year:04d}-{value.month:02d}"
        if "d" not in shown and "m" not in shown and "y" in shown:
            return f"{value.year:04d}"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_cells(name: str, content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        raise SheetError(f"{name}: holds NUL bytes, so it is not a text .csv file: save it as .xlsx or .csv")
    text = office_text(content)
    if text is None:
        raise SheetError(f"{name}: is neither UTF-8 nor GB18030 text: save it as CSV UTF-8 or .xlsx")
    sample = text[:10_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        cells = []
        for record in csv.reader(io.StringIO(text, newline=""), dialect):
            cells.append(record)
            if len(cells) > MAX_ROWS + 1:
                break
        return cells
    except csv.Error as error:
        raise SheetError(f"{name} row {len(cells) + 1}: is not valid CSV: {error}") from None


def sheet_from_cells(name: str, cells: list[list[str]]) -> Sheet:
    cells = [[cell.strip() for cell in record] for record in cells]
    start = next((number for number, record in enumerate(cells) if any(record)), None)
    if start is None:
        raise SheetError(f"{name}: is empty: expected a header row and a row per partnership")
    if len(cells) - start > MAX_ROWS + 1:
        raise SheetError(f"{name}: has more than {MAX_ROWS} rows: split it into smaller files")
    width = max(len(record) for record in cells[start:])
    if width > MAX_COLUMNS:
        raise SheetError(f"{name}: has more than {MAX_COLUMNS} columns: keep only the partnership columns")
    header = header_names(cells[start], width)
    rows = tuple(tuple(record + [""] * (width - len(record))) for record in cells[start + 1 :])
    return Sheet(name, header, rows, first_row=start + 2)


def header_names(record: list[str], width: int) -> tuple[str, ...]:
    """The header, with an empty or repeated name replaced by its column letter."""
    names: list[str] = []
    for position in range(width):
        cell = record[position] if position < len(record) else ""
        cell = "".join(char for char in cell if char not in CONTROL_CHARACTERS)[:80]
        names.append(cell if cell and cell not in names else f"Column {get_column_letter(position + 1)}")
    return tuple(names)


# --- Which column is which ------------------------------------------------------------------------


def share(values: list[str], reads: object) -> float:
    given = [value for value in values if value]
    if not given:
        return 0.0
    good = 0
    for value in given[:200]:
        with contextlib.suppress(ValueError):
            good += bool(reads(value))  # type: ignore[operator]
    return good / min(len(given), 200)


def guess_mapping(sheet: Sheet) -> dict[str, str | None]:
    """Field -> column: by header first (folded, English or Chinese), then by content for country and date."""
    mapping: dict[str, str | None] = dict.fromkeys(FIELDS)
    free = list(sheet.header)
    for wanted in FIELDS:
        synonyms = [fold(name) for name in FIELD_HEADERS[wanted]]
        best = min(free, key=lambda column: header_rank(column, synonyms), default=None)
        if best is not None and header_rank(best, synonyms) < len(synonyms) * 2:
            mapping[wanted] = best
            free.remove(best)
    columns = {column: [row[position] for row in sheet.rows] for position, column in enumerate(sheet.header)}
    for wanted, reads in (("country", country_code), ("established", read_date)):
        if mapping[wanted] is None:
            scores = {column: share(columns[column], reads) for column in free}
            best = max(scores, key=lambda column: scores[column], default=None)
            if best is not None and scores[best] >= GUESS_SHARE:
                mapping[wanted] = best
                free.remove(best)
    return mapping


def header_rank(column: str, synonyms: list[str]) -> int:
    """0 for the first synonym exactly, then later ones; a header containing a synonym ranks after every exact one."""
    folded = fold(column)
    if folded in synonyms:
        return synonyms.index(folded)
    for position, synonym in enumerate(synonyms):
        if len(synonym) >= 4 and synonym in folded:
            return len(synonyms) + position
    return len(synonyms) * 2


def read_rows(sheet: Sheet, mapping: dict[str, str | None]) -> list[SheetRow]:
    """Each non-empty row's fields through `mapping`, the country as ISO2 and the date as YYYY[-MM[-DD]]."""
    problems_for_mapping = [
        Problem(sheet.name, None, None, f"no column is chosen for {wanted}")
        for wanted in REQUIRED_FIELDS
        if not mapping.get(wanted)
    ]
    positions = {wanted: sheet.header.index(column) for wanted, column in mapping.items() if column in sheet.header}
    found = []
    for number, record in enumerate(sheet.rows):
        if not any(record):
            continue
        row = SheetRow(sheet.row_number(number), {wanted: record[position] for wanted, position in positions.items()})
        row.problems += problems_for_mapping
        for wanted, value in list(row.fields.items()):
            column = sheet.column_label(mapping[wanted])  # type: ignore[arg-type]
            problem = cell_problem(wanted, value)
            if problem:
                row.problems.append(Problem(sheet.name, row.row, column, problem))
                continue
            if wanted == "country" and value:
                code = country_code(value)
                if code is None:
                    row.problems.append(Problem(sheet.name, row.row, column, f"{value!r} is not a country I know"))
                row.fields[wanted] = code or value
            elif wanted == "established" and value:
                try:
                    row.fields[wanted] = read_date(value).iso()
                except ValueError as error:
                    row.problems.append(Problem(sheet.name, row.row, column, str(error)))
        for wanted in REQUIRED_FIELDS:
            if wanted in positions and not record[positions[wanted]]:
                row.problems.append(Problem(sheet.name, row.row, sheet.column_label(mapping[wanted]), "is empty"))  # type: ignore[arg-type]
        found.append(row)
    return found


def cell_problem(wanted: str, value: str) -> str | None:
    if any(char in CONTROL_CHARACTERS for char in value):
        return "holds a control character"
    if len(value) > MAX_CELL_LENGTH:
        return f"is {len(value)} characters long: at most {MAX_CELL_LENGTH}"
    if wanted == "source_url" and value and not value.startswith(("http://", "https://")):
        return f"{value[:60]!r} is not an http(s) address"
    return None
