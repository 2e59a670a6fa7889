"""What a person does with the app, as small helpers for the browser tests."""

from __future__ import annotations

import csv
import re

from datadir import FIXTURE_DATA
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from layouts import ids

SUMMARY = f"#{ids.SUMMARY}"
DETAILS = f"#{ids.DETAILS}"
SLIDER_THUMB = f"#{ids.YEAR_SLIDER} [role=slider]"


def open_app(page, app, query: str = "") -> None:
    page.goto(app.url + "/" + query)
    page.wait_for_selector(f"#{ids.MAP} .js-plotly-plot .geo")
    page.wait_for_function(f"() => (document.querySelector('{SUMMARY}')?.textContent || '').length > 0")


def summary(page) -> str:
    return page.inner_text(SUMMARY)


def wait_for_summary(page, pattern: str, timeout: float = 20_000) -> str:
    """Wait until the summary line matches `pattern` (a regular expression), and return it."""
    try:
        page.wait_for_function(
            "([selector, pattern]) => new RegExp(pattern).test(document.querySelector(selector)?.textContent || '')",
            arg=[SUMMARY, pattern],
            timeout=timeout,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"summary {summary(page)!r} never matched {pattern!r} (at {page.url})") from None
    return summary(page)


def wait_for_query(page, timeout: float = 10_000, **expected: str | None) -> None:
    """Wait until the address bar holds each `name=value` (None: the name is absent)."""
    try:
        page.wait_for_function(
            """expected => {
                const query = new URLSearchParams(location.search);
                return Object.entries(expected).every(([name, value]) => query.get(name) === value);
            }""",
            arg=expected,
            timeout=timeout,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"the address {page.url} never held {expected}") from None


def show_table(page) -> None:
    """Scroll to the table, as a person does: the grid is made when it comes near the screen."""
    page.locator(f"#{ids.TABLE_SLOT}").scroll_into_view_if_needed()
    page.wait_for_selector(f"#{ids.TABLE} .ag-root")


def shown_count(page) -> int:
    return int(re.match(r"\d+", summary(page)).group(0))


def slider_year(page) -> int:
    return int(page.get_attribute(SLIDER_THUMB, "aria-valuenow"))


def move_slider_to(page, year: int) -> None:
    """Drive the slider with its keyboard, as a person can: Home, End and arrow keys."""
    thumb = page.locator(SLIDER_THUMB)
    thumb.focus()
    low, high = int(thumb.get_attribute("aria-valuemin")), int(thumb.get_attribute("aria-valuemax"))
    if year - low < high - year:
        thumb.press("Home")
        key, steps = "ArrowRight", year - low
    else:
        thumb.press("End")
        key, steps = "ArrowLeft", high - year
    for _ in range(steps):
        thumb.press(key)
    page.wait_for_function(f"() => document.querySelector('{SLIDER_THUMB}').getAttribute('aria-valuenow') == '{year}'")
    # The big year label is drawn by the server: until it shows the year, a later wait on the label
    # could be satisfied by the year it showed before.
    page.wait_for_function(f"() => document.querySelector('#{ids.YEAR_LABEL}').textContent === '{year}'")


def choose_option(page, dropdown_id: str, label: str) -> None:
    page.click(f"#{dropdown_id}")
    page.locator("[role=listbox] [role=option]", has_text=label).first.click()


def search_and_choose(page, dropdown_id: str, text: str, label: str) -> None:
    page.click(f"#{dropdown_id}")
    page.keyboard.type(text)
    page.locator("[role=listbox] [role=option]", has_text=label).first.click()


def map_data(page) -> list[dict]:
    return page.evaluate(f"() => document.querySelector('#{ids.MAP} .js-plotly-plot').data")


def click_partner_on_map(page, partnership_id: str) -> None:
    """Click the partner's marker where it is drawn on screen."""
    box = page.evaluate(
        """(wanted) => {
            const graph = document.querySelector('#map .js-plotly-plot');
            for (const point of graph.querySelectorAll('.scatterlayer .trace.scattergeo path.point')) {
                const traceData = point.closest('g.trace').__data__;
                const trace = traceData && traceData[0] ? traceData[0].trace : null;
                const custom = trace && trace.customdata ? trace.customdata[point.__data__.i] : null;
                if (custom === wanted) {
                    const rect = point.getBoundingClientRect();
                    return {x: rect.x + rect.width / 2, y: rect.y + rect.height / 2};
                }
            }
            return null;
        }""",
        partnership_id,
    )
    assert box is not None, f"{partnership_id} is not drawn on the map"
    page.mouse.move(box["x"], box["y"])
    page.mouse.click(box["x"], box["y"])


def partnerships_table() -> list[dict[str, str]]:
    """The fixture table the served app reads, read independently of the app, as the oracle for expected counts."""
    with open(FIXTURE_DATA / "partnerships.csv", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def expected_count(hub: str = "all", year: int | None = None) -> int:
    rows = partnerships_table()
    latest = max(int(row["established"][:4]) for row in rows if row["established"])
    year = latest if year is None else year
    count = 0
    for row in rows:
        in_hub = hub == "all" or hub in (row["home"], row["home_province"])
        drawn = int(row["established"][:4]) if row["established"] else latest
        count += in_hub and drawn <= year
    return count
