"""On stage at a forum: presentation mode, the keyboard, English and 中文, themes and exports."""

from __future__ import annotations

import re
import struct

import pytest
from playwright.sync_api import expect
from ui import DETAILS, SUMMARY, artifact, open_app, show_table, slider_year, wait_for_query, wait_for_summary

from layouts import ids

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("page", [PROJECTOR], indirect=True)
def test_presentation_mode_fills_the_screen_with_large_type_and_the_year(page, served_app):
    open_app(page, served_app, "?present=1&home=Chongqing&year=2004")
    wait_for_summary(page, r"^13 partnerships")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(f"#{ids.SECTOR_FILTER}")).to_be_hidden()
    expect(page.locator(f"#{ids.DETAILS}")).to_be_hidden()
    map_box = page.locator(f"#{ids.MAP}").bounding_box()
    assert map_box["width"] >= 1800 and map_box["height"] >= 750
    expect(page.locator(f"#{ids.PRESENT_YEAR}")).to_have_text("2004")
    year_size = page.eval_on_selector(f"#{ids.PRESENT_YEAR}", "e => parseFloat(getComputedStyle(e).fontSize)")
    summary_size = page.eval_on_selector(SUMMARY, "e => parseFloat(getComputedStyle(e).fontSize)")
    assert year_size >= 96 and summary_size >= 30
    page.screenshot(path=str(artifact("present-2004.png")))


@pytest.mark.parametrize("page", [PROJECTOR, {"width": 1280, "height": 720}], indirect=True)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_stage_both_keys_stay_on_screen_clear_of_the_year(page, served_app, lang):
    open_app(page, served_app, f"?present=1&lang={lang}")
    page.wait_for_selector("#map .legend .traces")
    page.wait_for_selector("#map .legend2 .traces")
    page.evaluate("() => document.fonts.ready")
    boxes = page.evaluate(
        """() => {
            const box = (element) => { const r = element.getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
            return {
                map: box(document.querySelector('#map .main-svg')),
                year: box(document.querySelector('#present-year')),
                keys: [...document.querySelectorAll('#map .legend, #map .legend2')].map(box),
            };
        }"""
    )
    page.screenshot(path=str(artifact(f"present-keys-{lang}-{page.viewport_size['width']}.png")))
    assert len(boxes["keys"]) == 2
    for key in boxes["keys"]:
        assert boxes["map"]["left"] <= key["left"] and key["right"] <= boxes["map"]["right"] + 1, key
        assert boxes["map"]["top"] <= key["top"] and key["bottom"] <= boxes["map"]["bottom"] + 1, key
        year = boxes["year"]
        apart = key["right"] <= year["left"] or key["bottom"] <= year["top"] or key["top"] >= year["bottom"]
        assert apart, f"a key {key} runs under the year {year}"


@pytest.mark.parametrize("page", [PROJECTOR], indirect=True)
def test_milestone_caption_appears_as_the_animation_passes_it(page, served_app):
    open_app(page, served_app, "?present=1&home=Hunan&year=1981")
    page.click(f"#{ids.PLAY}")
    caption = page.locator(f"#{ids.MILESTONE_CAPTION}")
    caption.filter(has_text="Hunan's first friendship city").wait_for(timeout=8000)
    assert "Brazzaville" in caption.inner_text()
    page.screenshot(path=str(artifact("present-caption.png")))
    caption.filter(has_text="Hunan's first provincial-level").wait_for(timeout=8000)
    page.keyboard.press("Space")


def test_present_button_enters_and_escape_leaves(page, served_app):
    open_app(page, served_app)
    page.click(f"#{ids.PRESENT_TOGGLE}")
    page.wait_for_selector(".app.present")
    wait_for_query(page, present="1")
    page.keyboard.press("Escape")
    page.wait_for_selector(".app:not(.present)")
    wait_for_query(page, present=None)
    assert page.is_visible(".topbar")


def test_space_plays_and_pauses_and_arrows_step_a_year(page, served_app):
    open_app(page, served_app, "?present=1&year=2000")
    wait_for_summary(page, r"partnerships")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#present-year').textContent === '2001'")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('#present-year').textContent === '1999'")
    page.keyboard.press("Space")
    page.wait_for_function("() => Number(document.querySelector('#present-year').textContent) >= 2001", timeout=6000)
    page.keyboard.press("Space")
    paused = slider_year(page)
    page.wait_for_timeout(2000)
    assert slider_year(page) == paused
    assert page.inner_text(f"#{ids.PRESENT_YEAR}") == str(paused)


def test_language_switch_translates_labels_summary_story_and_legend(page, served_app):
    open_app(page, served_app, "?focus=chongqing-voronezh")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-voronezh]")
    page.click(f"#{ids.LANG_TOGGLE}")
    wait_for_summary(page, r"^84对友城 · 42个国家")
    wait_for_query(page, lang="zh")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-voronezh][lang=zh-Hans]")
    story = page.inner_text(DETAILS)
    assert "沃罗涅日" in story and "1993年10月20日" in story and "交流大事记" in story
    assert "重庆市第三人民医院" in story
    expect(page.locator("h1")).to_have_text("友城地图")
    expect(page.locator(f"#{ids.SECTOR_FILTER} label", has_text="医疗卫生")).to_have_count(1)
    page.wait_for_function(
        """() => {
            const names = document.querySelector('#map .js-plotly-plot').data.map(trace => trace.name);
            return names.includes('1990年代') && names.includes('中心城市');
        }"""
    )
    expect(page.locator(f"#{ids.LANG_TOGGLE}")).to_have_text("English")
    page.click(f"#{ids.LANG_TOGGLE}")
    wait_for_summary(page, r"^84 partnerships")
    wait_for_query(page, lang=None)


def test_every_text_on_the_page_is_drawn_in_the_apps_font(page, served_app):
    """This browser has no Chinese system font: text in any other font stack shows boxes for 汉字."""
    open_app(page, served_app, "?lang=zh&focus=chongqing-dusseldorf")
    show_table(page)
    page.wait_for_selector(f"#{ids.TABLE} .ag-row")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-dusseldorf][lang=zh-Hans]")
    elsewhere = page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
            .filter(element => element.getClientRects().length
                && Array.from(element.childNodes).some(node => node.nodeType === 3 && node.textContent.trim()))
            .filter(element => !/^"?Atlas Sans/.test(getComputedStyle(element).fontFamily))
            .map(element => `${element.tagName} ${element.textContent.trim().slice(0, 30)}`)"""
    )
    assert elsewhere == []


def test_chinese_link_opens_in_chinese(page, served_app):
    open_app(page, served_app, "?lang=zh&home=Changsha")
    wait_for_summary(page, r"^12对友城")
    expect(page.locator(f"#{ids.ROOT}")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(f"#{ids.HOME_SELECT}")).to_contain_text("长沙")


def test_high_contrast_theme_for_projectors(page, served_app):
    open_app(page, served_app)
    page.click(f"#{ids.CONTRAST_TOGGLE}")
    page.wait_for_selector(".app.contrast")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').layout.paper_bgcolor === '#000000'")
    background = page.eval_on_selector(".app", "e => getComputedStyle(e).backgroundColor")
    text = page.eval_on_selector(SUMMARY, "e => getComputedStyle(e).color")
    assert background == "rgb(0, 0, 0)" and text == "rgb(255, 255, 255)"
    wait_for_query(page, contrast="1")


def test_print_layout_shows_map_and_story_without_controls(page, served_app):
    open_app(page, served_app, "?focus=chongqing-dusseldorf")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-dusseldorf]")
    page.emulate_media(media="print")
    assert not page.is_visible(".topbar .actions")
    assert not page.is_visible(f"#{ids.PLAY}")
    assert not page.is_visible(f"#{ids.SECTOR_FILTER}")
    assert page.is_visible(f"#{ids.MAP}") and page.is_visible(DETAILS)
    # On paper the whole story is laid out, and the statistics start below it.
    assert page.eval_on_selector(".story", "e => e.scrollHeight - e.clientHeight") <= 1
    story, stats = page.locator(".story").bounding_box(), page.locator(".stats").bounding_box()
    assert stats["y"] >= story["y"] + story["height"]
    page.pdf(path=str(artifact("print.pdf")))


def test_png_export_is_high_resolution_with_title_legend_and_source(page, served_app):
    open_app(page, served_app, "?home=Chongqing&year=2004")
    wait_for_summary(page, r"^13 partnerships")
    with page.expect_download() as download_info:
        page.click(f"#{ids.PNG_BUTTON}")
    download = download_info.value
    assert download.suggested_filename == "sister-city-atlas-chongqing-2004.png"
    data = download.path().read_bytes()
    assert png_size(data) == (3840, 2160)
    artifact("export.png").write_bytes(data)


def test_png_export_carries_the_title_and_source_line(page, served_app):
    open_app(page, served_app, "?home=Chongqing&year=2004")
    wait_for_summary(page, r"^13 partnerships")
    # The hook leaves what it saw on the page and the test waits for it: a promise awaited across
    # Playwright's evaluate can be collected before it is kept ("Resulting promise was garbage collected").
    page.evaluate(
        """() => {
            const original = Plotly.toImage;
            Plotly.toImage = (graph, options) => {
                Plotly.toImage = original;
                window.__exported = {
                    title: graph.layout.title.text, notes: graph.layout.annotations.map(a => a.text),
                    legend: graph._fullLayout.showlegend, width: options.width, format: options.format,
                };
                return original(graph, options);
            };
        }"""
    )
    page.click(f"#{ids.PNG_BUTTON}")
    texts = page.wait_for_function("() => window.__exported").json_value()
    assert texts["title"].startswith("Sister City Atlas · Chongqing · 2004: 13 partnerships")
    assert any(note.startswith("Source: Sister City Atlas") for note in texts["notes"])
    assert texts["legend"] is True and texts["width"] == 1920 and texts["format"] == "svg"


def test_png_export_in_chinese_carries_the_font_inside_its_drawing(page, served_app):
    """The export draws an SVG on a canvas; an SVG image cannot reach the page's web fonts, and this
    test browser has no Chinese system font: without Atlas Sans inside, every 汉字 would be a box."""
    open_app(page, served_app, "?home=Changsha&lang=zh")
    wait_for_summary(page, r"^12对友城")
    page.evaluate(
        """() => {
            const original = URL.createObjectURL;
            URL.createObjectURL = blob => {
                if (blob.type === 'image/svg+xml') {
                    URL.createObjectURL = original;
                    blob.text().then(text => { window.__drawn = text; });
                }
                return original(blob);
            };
        }"""
    )
    page.click(f"#{ids.PNG_BUTTON}")
    svg = page.wait_for_function("() => window.__drawn").json_value()
    assert "友城地图 · 长沙" in svg
    faces = re.findall(r'@font-face\{font-family:"Atlas Sans";font-weight:(\d+);src:url\(data:font/woff2;base64,', svg)
    assert faces == ["400", "700"]
    with page.expect_download() as download_info:
        page.click(f"#{ids.PNG_BUTTON}")
    assert png_size(download_info.value.path().read_bytes()) == (3840, 2160)
    download_info.value.save_as(artifact("export-zh.png"))


def test_html_export_draws_its_map_with_every_request_blocked(page, served_app, browser, tmp_path):
    open_app(page, served_app, "?home=Chongqing")
    wait_for_summary(page, r"^44 partnerships")
    with page.expect_download() as download_info:
        page.click(f"#{ids.HTML_BUTTON}")
    download = download_info.value
    assert download.suggested_filename == "sister-city-atlas-chongqing-2024.html"
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)

    offline = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    requests: list[str] = []

    def refuse(route):
        if route.request.url != exported.as_uri():
            requests.append(route.request.url)
        route.abort() if route.request.url != exported.as_uri() else route.continue_()

    offline.route("**/*", refuse)
    viewer = offline.new_page()
    errors: list[str] = []
    viewer.on("pageerror", lambda error: errors.append(str(error)))
    viewer.goto(exported.as_uri())
    viewer.wait_for_function(
        "() => (document.querySelector('.geo .layer.countries path')?.getAttribute('d') || '').length > 10000"
    )
    assert viewer.locator(".scatterlayer .trace.scattergeo path.js-line").count() >= 1
    assert "44 partnerships" in viewer.text_content(".gtitle")
    # The app's font travels inside the file: Chinese names do not depend on a system font.
    assert viewer.evaluate("() => document.fonts.load('16px \"Atlas Sans\"', '友城').then(faces => faces.length)") == 1
    viewer.screenshot(path=str(artifact("export-html.png")))
    offline.close()
    assert requests == [] and errors == []
