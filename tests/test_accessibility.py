"""A page everyone can use: axe-core finds no serious or critical problem on the five views; the page's
language is on <html>; every control has a name and is reached and used with the keyboard; text is
readable in both themes.

axe-core is vendored in tests/vendor/axe-core (npm `axe-core`, MPL-2.0) and injected into the pages the
tests open, in a browser context that bypasses the app's Content-Security-Policy; the app never serves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PageLog, block_outside, record_console_error
from playwright.sync_api import expect
from ui import DETAILS, SLIDER_THUMB, open_app, show_table, summary, wait_for_summary

from atlas.load import HUB_ALL
from atlas.theme import HIGH_CONTRAST, NORMAL, Theme
from atlas.views import UNCONFIRMED_SHOWN
from layouts import ids

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWS = {
    "main": "",
    "chinese": "?lang=zh",
    "presentation": "?present=1",
    "story": "?focus=chongqing-dusseldorf",
    "high contrast": "?contrast=1",
}
RUN_AXE = """async tags => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return result.violations.map(violation => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map(node => node.target.join(' ')),
    }));
}"""


@pytest.fixture
def axe_page(browser, page_log: PageLog) -> Iterator:
    """A page in which axe-core can be injected (the app's CSP rightly refuses inline scripts)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True, locale="en-US")
    context.route("**/*", lambda route: block_outside(route, page_log))
    page = context.new_page()
    page.on("pageerror", lambda error: page_log.errors.append(str(error)))
    page.on("console", lambda message: record_console_error(message, page_log))
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert page_log.outside_requests == [], page_log.outside_requests
    assert page_log.errors == [], page_log.errors


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


@pytest.mark.parametrize("query", VIEWS.values(), ids=VIEWS.keys())
def test_axe_finds_no_serious_or_critical_violation(axe_page, served_app, query: str) -> None:
    open_app(axe_page, served_app, query)
    if "present" not in query:  # presentation shows no table
        show_table(axe_page)
        axe_page.wait_for_selector(f"#{ids.TABLE} .ag-row")
    if "focus" in query:
        axe_page.wait_for_selector(f"{DETAILS} .story-body")
    if "present" in query:
        expect(axe_page.locator(f"#{ids.ROOT}")).to_have_class("app present")
    if "lang" in query:
        expect(axe_page.locator("html")).to_have_attribute("lang", "zh-Hans")
    violations = axe_violations(axe_page)
    serious = [violation for violation in violations if violation["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes'][:3]}" for v in serious)


def test_the_page_language_is_on_html_and_follows_the_language_shown(page, served_app) -> None:
    open_app(page, served_app)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_year_slider_and_the_sector_boxes_have_names(page, served_app) -> None:
    open_app(page, served_app)
    expect(page.get_by_role("slider", name="Year")).to_have_attribute("aria-valuenow", "2024")
    expect(page.get_by_role("group", name="Exchanges by sector")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Health")).not_to_be_checked()
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(page.get_by_role("slider", name="年份")).to_be_visible()
    expect(page.get_by_role("group", name="交流领域")).to_be_visible()


def focused(page) -> str:
    """What has the keyboard focus: the id of the element or of the nearest ancestor that has one."""
    return page.evaluate(
        """() => {
            let element = document.activeElement;
            if (element.matches('[role=slider]')) return 'year-slider';
            if (element.matches('input[type=checkbox]')) return element.closest('[id]').id + ':' + element.value;
            while (element && !element.id) element = element.parentElement;
            return element ? element.id : '';
        }"""
    )


def test_every_control_is_reached_with_the_tab_key(page, served_app) -> None:
    open_app(page, served_app)
    show_table(page)
    page.wait_for_selector(f"#{ids.TABLE} .ag-row")
    reached = []
    # The list of ties gone quiet holds a button for each of them: room for a long list.
    for _ in range(240):
        page.keyboard.press("Tab")
        reached.append(focused(page))
    controls = [
        ids.HOME_SELECT,
        ids.COMPARE_SELECT,
        ids.PARTNER_SEARCH,
        ids.LANG_TOGGLE,
        ids.CONTRAST_TOGGLE,
        ids.PRESENT_TOGGLE,
        ids.PNG_BUTTON,
        ids.HTML_BUTTON,
        ids.VIDEO_BUTTON,
        ids.PRINT_BUTTON,
        ids.PLAY,
        ids.YEAR_SLIDER,
        ids.PLAY_SPEED,
        ids.ACTIVITY_FILTER,
        "sector-filter:health",
        f"{ids.UNCONFIRMED_TOGGLE}:{UNCONFIRMED_SHOWN[0]}",
        ids.TABLE_SEARCH,
        ids.CSV_BUTTON,
        ids.TABLE,
    ]
    assert [control for control in controls if control not in reached] == []
    positions = [reached.index(control) for control in controls]
    assert positions == sorted(positions), "the Tab order follows the page"


def test_the_controls_work_from_the_keyboard(page, served_app) -> None:
    open_app(page, served_app)
    # A hub, from its dropdown: Enter opens its list on the option chosen, arrows move, Enter chooses.
    page.focus(f"#{ids.HOME_SELECT}")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.value === {HUB_ALL!r}")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.activeElement.value === 'Chongqing'")
    page.keyboard.press("Enter")
    wait_for_summary(page, r"^44 partnerships")
    # The year, with the slider's keys.
    page.focus(SLIDER_THUMB)
    page.keyboard.press("Home")
    expect(page.locator(f"#{ids.YEAR_LABEL}")).to_have_text("1982")
    page.keyboard.press("End")
    expect(page.locator(f"#{ids.YEAR_LABEL}")).to_have_text("2024")
    # A sector, with the space bar.
    before = summary(page)
    page.get_by_role("checkbox", name="Health").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Health")).to_be_checked()
    page.wait_for_function(f"() => document.querySelector('#{ids.SUMMARY}').textContent !== {before!r}")
    # A partner on the map, through the list of partners: typed, chosen with Enter.
    page.focus(f"#{ids.PARTNER_SEARCH}")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.type === 'search'")
    page.keyboard.type("Düss")
    page.wait_for_function("() => document.querySelectorAll('[role=listbox] [role=option]').length === 1")
    # The list may be drawn again when the server's options arrive: the arrow key is pressed again then.
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if page.evaluate("() => document.activeElement.value") == "chongqing-dusseldorf":
            break
        page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    expect(page.locator(f"{DETAILS} .story-name")).to_have_text("Düsseldorf")


def test_presentation_is_left_with_a_named_button(page, served_app) -> None:
    open_app(page, served_app, "?present=1")
    leave = page.get_by_role("button", name="Leave presentation")
    leave.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{ids.ROOT}")).to_have_class("app")


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=lambda theme: theme.name)
def test_text_drawn_on_the_map_and_charts_is_readable_in_both_themes(theme: Theme) -> None:
    """axe cannot tell the background of text drawn in SVG: the theme's own colours are checked."""
    for background in (theme.paper, theme.land, theme.ocean):
        assert contrast_ratio(theme.text, background) >= 4.5, (theme.name, background)


# The colour of text, and of the first opaque background behind it, as the browser computes them.
MEASURED_CONTRAST = """selector => {
    // rgb(r, g, b[, a]) in 0..255, or color(srgb r g b[ / a]) in 0..1 (what color-mix() computes to).
    const rgb = value => {
        const numbers = (value.match(/[\\d.]+/g) || []).map(Number);
        if (!value.startsWith('color(')) return numbers;
        return numbers.map((number, index) => index < 3 ? number * 255 : number);
    };
    const luminance = ([r, g, b]) => {
        const linear = [r, g, b].map(c => c / 255).map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    };
    const background = element => {
        for (let node = element; node; node = node.parentElement) {
            const colour = rgb(getComputedStyle(node).backgroundColor);
            if (colour.length === 3 || colour[3] === 1) return colour.slice(0, 3);
        }
        return [255, 255, 255];
    };
    const texts = Array.from(document.querySelectorAll(selector)).filter(element => element.textContent.trim());
    return texts.map(element => {
        const ink = luminance(rgb(getComputedStyle(element).color));
        const [a, b] = [ink, luminance(background(element))].sort((x, y) => y - x);
        return {text: element.textContent.trim().slice(0, 30), ratio: (a + 0.05) / (b + 0.05)};
    });
}"""


@pytest.mark.parametrize("query", ["?focus=chongqing-dusseldorf", "?focus=chongqing-dusseldorf&contrast=1"])
def test_text_axe_cannot_measure_is_readable_in_both_themes(page, served_app, query: str) -> None:
    """Sector tags in a scrolling story and the table's text: axe leaves them 'incomplete'."""
    open_app(page, served_app, query)
    page.wait_for_selector(f"{DETAILS} .sector-tag")
    show_table(page)
    page.wait_for_selector(f"#{ids.TABLE} .ag-cell")
    for selector in (f"{DETAILS} .sector-tag", f"#{ids.TABLE} .ag-header-cell-text", f"#{ids.TABLE} .ag-cell"):
        measured = page.evaluate(MEASURED_CONTRAST, selector)
        assert measured, selector
        assert [item for item in measured if item["ratio"] < 4.5] == [], selector
