"""CSV meant for spreadsheets holds no cell a spreadsheet would run as a formula; the data keeps the true text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from datadir import append_row, copy_data, read_rows, run_atlas
from ui import expected_count, open_app, show_table

from atlas.cli import locate_csv
from atlas.geocode import ChainGeocoder, TableGeocoder
from atlas.spreadsheet import FORMULA_STARTS, GRID_CELL_FUNCTION, spreadsheet_safe, table_csv_params
from layouts import ids

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FORMULAS = ['=HYPERLINK("http://evil.invalid","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_cell_that_would_run_as_a_formula_is_prefixed(formula: str) -> None:
    assert spreadsheet_safe(formula) == "'" + formula


@pytest.mark.parametrize("text", ["Düsseldorf", "友好城市", "", "2011-03", "a=b", "'quoted", "e-mail"])
def test_other_text_is_kept(text: str) -> None:
    assert spreadsheet_safe(text) == text


def test_the_tables_download_applies_the_same_rule_in_the_browser() -> None:
    params = table_csv_params("view.csv", ["partner", "country_name"])
    assert params["fileName"] == "view.csv"
    assert params["columnKeys"] == ["partner", "country_name"]
    call = params["processCellCallback"]["function"]
    assert call.startswith(f"{GRID_CELL_FUNCTION}(params, ")
    assert json.loads(call[call.index(", ") + 2 : -1]) == "".join(FORMULA_STARTS)
    script = (PROJECT_ROOT / "assets" / "dashAgGridFunctions.js").read_text(encoding="utf-8")
    assert re.search(rf"functions\.{GRID_CELL_FUNCTION} = function \(params, starts\)", script)


def test_locate_csv_writes_formulas_as_text_and_coordinates_as_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = pd.DataFrame(
        [["=1+1", "", "DE", "50.1", "8.6", "point"], ["Córdoba", "", "AR", "-31.4", "-64.2", "point"]],
        columns=["name", "admin1", "country", "lat", "lon", "precision"],
    )
    places = tmp_path / "places.csv"
    places.write_text('name,country\n"=HYPERLINK(""http://evil.invalid"",""x"")",DE\n=1+1,DE\nCórdoba,AR\n')
    assert locate_csv(ChainGeocoder([TableGeocoder(known, "@cache")]), places) == 1  # the first is not found
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1] == ['\'=HYPERLINK("http://evil.invalid","x")', "DE", "", "", "unresolved"]
    assert rows[2] == ["'=1+1", "DE", "50.1", "8.6", "'@cache"]
    assert rows[3] == ["Córdoba", "AR", "-31.4", "-64.2", "'@cache"]  # coordinates stay numbers


# --- The table's Download CSV, in the browser -----------------------------------------------------

# Where each formula is put: (partner, partner_zh, relation) of two Changsha partnerships.
FORMULA_ROWS = [
    ('=HYPERLINK("http://evil.invalid","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)"),
    ("-2+3", "=1+1", "+sister city"),
]


@pytest.fixture(scope="module")
def formula_app(tmp_path_factory: pytest.TempPathFactory, serve):
    data_dir = copy_data(tmp_path_factory.mktemp("formulas"))
    header, *rows = read_rows(data_dir / "partnerships.csv")
    changsha = dict(zip(header, next(row for row in rows if row[header.index("home")] == "Changsha"), strict=True))
    for number, (partner, partner_zh, relation) in enumerate(FORMULA_ROWS):
        fields = {"partner": partner, "partner_zh": partner_zh, "relation": relation, "partner_admin1": ""}
        append_row(data_dir / "partnerships.csv", changsha | fields | {"id": f"changsha-formula-{number}"})
        place = {"name": partner, "country": changsha["country"], "lat": "10", "lon": str(20 + number)}
        append_row(data_dir / "places.csv", place | {"precision": "point", "source": "override"})
    checked = run_atlas("validate", "--data", str(data_dir))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return serve(data_dir)


@pytest.mark.browser
def test_download_csv_holds_no_cell_a_spreadsheet_would_run(page, formula_app) -> None:
    open_app(page, formula_app, "?home=Changsha")
    show_table(page)
    rows = "#table .ag-center-cols-container .ag-row"
    changsha = expected_count("Changsha") + len(FORMULA_ROWS)
    page.wait_for_function(f"() => document.querySelectorAll('{rows}').length === {changsha}")
    # The grid shows the true text.
    shown = page.locator("#table .ag-pinned-left-cols-container .ag-cell").all_inner_texts()
    assert {partner for partner, _, _ in FORMULA_ROWS} <= set(shown)
    with page.expect_download() as download:
        page.click(f"#{ids.CSV_BUTTON}")
    text = download.value.path().read_text(encoding="utf-8-sig")
    header, *cells = list(csv.reader(io.StringIO(text)))
    assert len(cells) == changsha
    assert [cell for row in cells for cell in row if cell.startswith(FORMULA_STARTS)] == []
    written = {row[header.index("Partner")]: row for row in cells}
    for partner, partner_zh, relation in FORMULA_ROWS:
        assert written["'" + partner][header.index("Relation")] == "'" + relation
        assert "'" + partner_zh in written["'" + partner]
