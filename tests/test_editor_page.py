"""The editing page in a real browser, on a copy of the data: sign in, add from an article and from a
spreadsheet, save, see it on the public map and in the change log, undo, and replay a save without
the session. Screenshots of every view, in English and Chinese, go to tests/artifacts/."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from datadir import copy_data, file_hashes, read_rows
from ui import show_table
from versions import wait_for_versions

from atlas import editors
from atlas.store import DataStore
from atlas.validate import has_errors, validate_directory
from layouts import ids

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ARTICLE = (Path(__file__).parent / "fixtures" / "articles" / "changsha_ulm.txt").read_text(encoding="utf-8")
ARTIFACTS = Path(__file__).parent / "artifacts"
SLOW = 90_000  # the first proposal builds the offline gazetteer's index in the server
HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> =HYPERLINK("http://x") @SUM(A1)'


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("editing")
    instance = root / "instance"
    editors.add_editor(instance, "Li Wei", PASSWORD)
    return copy_data(root), instance


@pytest.fixture(scope="module")
def editing_app(serve, workspace):
    data_dir, instance = workspace
    return serve(data_dir, ATLAS_INSTANCE_DIR=str(instance))


def tables(data_dir: Path) -> dict[str, str]:
    return {name: digest for name, digest in file_hashes(data_dir).items() if name.endswith(".csv")}


def partnership_ids(data_dir: Path) -> list[str]:
    return [row[0] for row in read_rows(data_dir / "partnerships.csv")[1:]]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"editor-{name}.png", full_page=True)


def sign_in(page, app, password: str = PASSWORD, query: str = "") -> None:
    page.goto(f"{app.url}/edit{query}")
    page.fill(f"#{ids.EDITOR_NAME}", "Li Wei")
    page.fill(f"#{ids.EDITOR_PASSWORD}", password)
    page.click(f"#{ids.EDITOR_SIGN_IN}")


def signed_in(page, app, query: str = "") -> None:
    sign_in(page, app, query=query)
    page.wait_for_selector(f"#{ids.INGEST_TEXT}")


def accept_all(page) -> None:
    cards = page.locator(f"#{ids.INGEST_PROPOSALS} .proposal")
    for number in range(cards.count()):
        page.locator(f"#{ids.INGEST_PROPOSALS} .proposal >> nth={number}").locator("button.accept").click()
        page.wait_for_selector(f"#{ids.INGEST_PROPOSALS} .proposal.accepted >> nth={number}")


def save(page) -> str:
    page.click(f"#{ids.SAVE_CHANGES}")
    page.wait_for_function(
        f"() => /Saved|Nothing/.test(document.querySelector('#{ids.SAVE_STATUS}').textContent)", timeout=SLOW
    )
    return page.inner_text(f"#{ids.SAVE_STATUS}")


def test_signed_out_the_page_shows_only_the_sign_in_and_a_wrong_password_does_not_sign_in(page, editing_app):
    page.goto(editing_app.url + "/edit")
    page.wait_for_selector(f"#{ids.EDITOR_SIGN_IN}")
    for hidden in (ids.INGEST_TEXT, ids.UPLOAD_TABLE, ids.SAVE_CHANGES, ids.UNDO_LAST, ids.CHANGE_LOG):
        assert page.locator(f"#{hidden}").count() == 0
    shot(page, "sign-in-en")
    sign_in(page, editing_app, password="not the password")
    page.wait_for_function(f"() => document.querySelector('#{ids.SIGN_IN_MESSAGE}').textContent.length > 0")
    assert page.inner_text(f"#{ids.SIGN_IN_MESSAGE}") == "Wrong name or password."
    page.reload()
    page.wait_for_selector(f"#{ids.EDITOR_SIGN_IN}")
    assert page.locator(f"#{ids.INGEST_TEXT}").count() == 0
    page.click(f"#{ids.EDITOR_LANG_TOGGLE}")
    page.wait_for_function(
        f"() => document.querySelector('#{ids.EDITOR_SIGN_IN}').closest('main').innerText.includes('登录')"
    )
    shot(page, "sign-in-zh")


def test_an_article_becomes_a_saved_partnership_on_the_map_in_the_log_and_undo_restores_every_table(
    page, browser, editing_app, workspace
):
    data_dir, _ = workspace
    before = tables(data_dir)
    signed_in(page, editing_app)
    page.fill(f"#{ids.INGEST_TEXT}", ARTICLE)
    page.click(f"#{ids.INGEST_PROPOSE}")
    page.wait_for_selector(f"#{ids.INGEST_PROPOSALS} .proposal", timeout=SLOW)
    first = page.locator(f"#{ids.INGEST_PROPOSALS} .proposal").first
    assert "New partnership" in first.inner_text()
    established = first.locator("input").nth(6)
    assert established.input_value() == "2019-06-12"
    assert "Changsha established sister city relations with Ulm" in first.locator("mark").inner_text()
    page.wait_for_function(f"() => document.querySelector('#{ids.REVIEW_MAP} .js-plotly-plot')?.data?.[2]?.lat?.length")
    shot(page, "article-en")
    saves = []
    page.on(
        "request",
        lambda request: saves.append(request.post_data) if "save-status" in (request.post_data or "") else None,
    )
    accept_all(page)
    assert save(page).startswith("Saved")
    assert "changsha-ulm" in partnership_ids(data_dir)
    assert not has_errors(validate_directory(data_dir))
    page.wait_for_function(f"() => document.querySelector('#{ids.CHANGE_LOG}').innerText.includes('Li Wei')")
    assert "partnerships.csv: 1 added" in page.inner_text(f"#{ids.CHANGE_LOG}")
    shot(page, "saved-en")
    page.click(f"#{ids.EDITOR_LANG_TOGGLE}")
    page.wait_for_function(
        f"() => document.querySelector('#{ids.CHANGE_LOG}').closest('section').innerText.includes('修改记录')"
    )
    shot(page, "saved-zh")

    # The public map of the same running server follows the tables within seconds: it shows the new
    # partner with ?focus=.
    wait_for_versions(editing_app.port, DataStore(data_dir).read().version, timeout=20)
    public = browser.new_page()
    try:
        public.goto(editing_app.url + "/?focus=changsha-ulm")
        public.wait_for_function(f"() => document.querySelector('#{ids.DETAILS} .story-name')?.textContent === 'Ulm'")
        assert "12 June 2019" in public.inner_text(f"#{ids.DETAILS}")
    finally:
        public.close()

    # The save request replayed without the session (no cookie) changes nothing.
    saved = tables(data_dir)
    assert saves, "the browser sent the save request"
    body = json.loads(saves[0])
    replay = urllib.request.Request(
        editing_app.url + "/edit/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(replay, timeout=30) as response:
        assert "signed out" in response.read().decode()
    assert tables(data_dir) == saved

    page.click(f"#{ids.UNDO_LAST}")
    page.wait_for_function(f"() => /撤销|Undone/.test(document.querySelector('#{ids.SAVE_STATUS}').textContent)")
    assert tables(data_dir) == before


def test_a_spreadsheet_with_its_own_column_names_becomes_saved_rows(page, editing_app, workspace, tmp_path):
    data_dir, _ = workspace
    sheet = tmp_path / "office list.csv"
    sheet.write_text(
        "Chinese city,Partner city,Country,Date signed\nChangsha,Brest,France,June 2019\n长沙,Tours,法国,2020年10月\n"
        "Changsha,Nowhereville,Atlantis,2021\n",
        encoding="utf-8",
    )
    signed_in(page, editing_app)
    page.set_input_files(f"#{ids.UPLOAD_TABLE} input[type=file]", str(sheet))
    page.wait_for_selector(f"#{ids.INGEST_PROPOSALS} .proposal", timeout=SLOW)
    assert "row 4 column 'C \"Country\"': 'Atlantis' is not a country" in page.inner_text(f"#{ids.SHEET_PROBLEMS}")
    assert page.locator(f"#{ids.INGEST_PROPOSALS} .proposal").count() == 2
    shot(page, "sheet-en")
    page.click(f"#{ids.ACCEPT_ALL}")
    page.wait_for_function(
        f"() => document.querySelectorAll('#{ids.INGEST_PROPOSALS} .proposal.accepted').length === 2"
    )
    assert save(page).startswith("Saved")
    assert {"changsha-brest", "changsha-tours"} <= set(partnership_ids(data_dir))
    assert not has_errors(validate_directory(data_dir))
    page.click(f"#{ids.EDITOR_LANG_TOGGLE}")
    page.wait_for_function(f"() => document.querySelector('#{ids.SAVE_CHANGES}').textContent.includes('保存')")
    page.wait_for_function(f"() => document.querySelector('#{ids.SHEET_MAPPING}').innerText.includes('列对应')")
    assert "中方城市" in page.inner_text(f"#{ids.SHEET_MAPPING}")
    shot(page, "sheet-zh")


def test_a_row_opened_from_the_story_is_changed_in_the_form(page, editing_app, workspace):
    data_dir, _ = workspace
    page.goto(editing_app.url + "/?focus=chongqing-dusseldorf")
    page.click(f"#{ids.DETAILS} a.edit-link")
    page.wait_for_selector(f"#{ids.EDITOR_SIGN_IN}")
    assert page.url.endswith("/edit/?partnership=chongqing-dusseldorf")
    page.fill(f"#{ids.EDITOR_NAME}", "Li Wei")
    page.fill(f"#{ids.EDITOR_PASSWORD}", PASSWORD)
    page.click(f"#{ids.EDITOR_SIGN_IN}")
    page.wait_for_selector(f"#{ids.ROW_FORM} input", timeout=SLOW)
    assert "Chongqing – Düsseldorf" in page.inner_text(f"#{ids.ROW_FORM}")
    notes = page.locator(f"#{ids.ROW_FORM} textarea").first
    notes.fill("Checked against the city's own list, 2026.")
    shot(page, "row-en")
    page.click(f"#{ids.ROW_STAGE}")
    page.wait_for_selector(f"#{ids.INGEST_PROPOSALS} .proposal.accepted")
    assert save(page).startswith("Saved")
    rows = {row[0]: row for row in read_rows(data_dir / "partnerships.csv")}
    assert "Checked against the city's own list, 2026." in rows["chongqing-dusseldorf"]


def test_a_row_of_the_table_opens_on_the_editing_page(page, editing_app):
    page.goto(editing_app.url + "/?home=Changsha&lang=zh")
    show_table(page)
    page.fill(f"#{ids.TABLE_SEARCH}", "Kagoshima")
    page.wait_for_function("() => document.querySelectorAll('#table .ag-center-cols-container .ag-row').length === 1")
    link = page.locator(f"#{ids.TABLE} a.edit-link")
    assert link.inner_text() == "编辑"
    assert link.get_attribute("aria-label") == "编辑 Kagoshima"
    shot(page, "table-edit-link")
    link.click()
    page.wait_for_selector(f"#{ids.EDITOR_SIGN_IN}")
    assert page.url.endswith("/edit/?partnership=changsha-kagoshima")
    page.fill(f"#{ids.EDITOR_NAME}", "Li Wei")
    page.fill(f"#{ids.EDITOR_PASSWORD}", PASSWORD)
    page.click(f"#{ids.EDITOR_SIGN_IN}")
    page.wait_for_selector(f"#{ids.ROW_FORM} input", timeout=SLOW)
    assert "Kagoshima" in page.inner_text(f"#{ids.ROW_FORM}")


def test_hostile_text_in_every_field_is_shown_as_text(page, editing_app, tmp_path):
    sheet = tmp_path / "hostile.csv"
    sheet.write_text(
        "Chinese city,Partner city,Country,Date signed,Notes\n"
        f'Changsha,"{HOSTILE.replace(chr(34), chr(34) * 2)}",DE,2020,"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n',
        encoding="utf-8",
    )
    signed_in(page, editing_app)
    page.fill(f"#{ids.INGEST_TEXT}", ARTICLE.replace("a delegation", f"a delegation {HOSTILE}"))
    page.click(f"#{ids.INGEST_PROPOSE}")
    page.wait_for_selector(f"#{ids.INGEST_PROPOSALS} .proposal", timeout=SLOW)
    page.set_input_files(f"#{ids.UPLOAD_TABLE} input[type=file]", str(sheet))
    page.wait_for_function(f"() => document.querySelector('#{ids.SHEET_PROBLEMS}').innerText.includes('onerror')")
    page.wait_for_function(
        f"() => [...document.querySelectorAll('#{ids.INGEST_PROPOSALS} input')].some(i => i.value.includes('onerror'))"
    )
    assert page.evaluate("() => window.__xss") is None
    assert page.locator(f"#{ids.INGEST_PROPOSALS} img, #{ids.SHEET_PROBLEMS} img").count() == 0
    assert page.locator(f"#{ids.INGEST_PROPOSALS} script, #{ids.SHEET_PROBLEMS} script").count() == 0
    assert HOSTILE in page.inner_text(f"#{ids.INGEST_PROPOSALS}")
    shot(page, "hostile-en")


def test_a_dropped_article_file_an_xlsx_and_a_file_too_big_each_get_an_answer(page, editing_app, tmp_path):
    signed_in(page, editing_app)
    page.set_input_files(
        f"#{ids.INGEST_FILE} input[type=file]",
        str(Path(__file__).parent / "fixtures" / "articles" / "changsha_ulm.txt"),
    )
    page.wait_for_function(f"() => document.querySelector('#{ids.INGEST_TEXT}').value.includes('Ulm')")

    workbook = openpyxl.Workbook()
    workbook.active.append(["中方城市", "友好城市", "国家", "缔结时间"])
    workbook.active.append(["长沙", "Lyon", "法国", "2018年5月"])
    workbook.save(tmp_path / "名单.xlsx")
    page.set_input_files(f"#{ids.UPLOAD_TABLE} input[type=file]", str(tmp_path / "名单.xlsx"))
    page.wait_for_selector(f"#{ids.INGEST_PROPOSALS} .proposal", timeout=SLOW)
    card = page.locator(f"#{ids.INGEST_PROPOSALS} .proposal").first
    assert "名单.xlsx row 2" in card.inner_text()
    assert [card.locator("input").nth(n).input_value() for n in (2, 5, 6)] == ["Lyon", "FR", "2018-05"]

    (tmp_path / "huge.csv").write_bytes(b"Chinese city,Partner city,Country\n" + b"Changsha,Ulm,DE\n" * 250_000)
    page.set_input_files(f"#{ids.UPLOAD_TABLE} input[type=file]", str(tmp_path / "huge.csv"))
    page.wait_for_function(f"() => document.querySelector('#{ids.SHEET_PROBLEMS}').innerText.includes('too big')")
    assert "huge.csv: 4.0 MB is too big: at most 3 MB" in page.inner_text(f"#{ids.SHEET_PROBLEMS}")
