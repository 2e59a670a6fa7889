"""The map answers the slider and playback in the browser; the rest follows once the view rests."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from ui import expected_count, move_slider_to, open_app, show_table, slider_year, wait_for_summary

from layouts import ids

pytestmark = pytest.mark.browser

UPDATE = "/_dash-update-component"


class ServerCalls:
    """The outputs of every callback request the page sends, in order."""

    def __init__(self, page) -> None:
        self.outputs: list[str] = []
        page.on("request", self.record)

    def record(self, request) -> None:
        if request.method == "POST" and urlparse(request.url).path == UPDATE:
            self.outputs.append(json.loads(request.post_data)["output"])

    def count(self, component: str) -> int:
        return sum(component in output for output in self.outputs)


def test_slider_steps_redraw_the_map_without_asking_the_server_for_it(page, served_app) -> None:
    open_app(page, served_app)
    wait_for_summary(page, rf"^{expected_count()} partnerships")
    calls = ServerCalls(page)
    move_slider_to(page, 1995)
    wait_for_summary(page, rf"^{expected_count(year=1995)} partnerships")
    links = page.evaluate(
        """() => document.querySelector('#map .js-plotly-plot').data
            .filter((trace) => trace.mode === 'lines' && trace.showlegend !== false)
            .reduce((sum, trace) => sum + trace.lon.length, 0)"""
    )
    assert links == 3 * expected_count(year=1995)
    assert calls.count(ids.MAP_SOURCE) == 0
    # A new hub is a new view: its links come from the server, once.
    page.click(f"#{ids.HOME_SELECT}")
    page.locator("[role=listbox] [role=option]", has_text="Changsha").first.click()
    wait_for_summary(page, rf"^{expected_count('Changsha', 1995)} partnerships")
    assert calls.count(ids.MAP_SOURCE) == 1


def test_statistics_table_and_story_wait_until_playback_stops(page, served_app) -> None:
    open_app(page, served_app, "?year=1990&speed=4")
    show_table(page)
    paging = page.locator(f"#{ids.TABLE} .ag-paging-row-summary-panel")
    expect(paging).to_contain_text(f"of {expected_count(year=1990)}")
    calls = ServerCalls(page)
    page.click(f"#{ids.PLAY}")
    page.wait_for_function("() => Number(document.querySelector('#year-label').textContent) >= 1996")
    assert calls.count(ids.GROWTH_CHART) == calls.count(ids.TABLE_UPDATE) == calls.count(ids.DETAILS) == 0
    page.click(f"#{ids.PLAY}")
    paused_at = slider_year(page)
    wait_for_summary(page, rf"^{expected_count(year=paused_at)} partnerships")
    expect(paging).to_contain_text(f"of {expected_count(year=paused_at)}")
    # The growth chart counts dated partnerships: before the latest year, every one shown.
    page.wait_for_function(
        """(count) => {
            const y = document.querySelector('#growth-chart .js-plotly-plot')._fullData[0].y;
            return y[y.length - 1] === count;
        }""",
        arg=expected_count(year=paused_at),
    )
    assert calls.count(ids.GROWTH_CHART) == 1 and calls.count(ids.DETAILS) == 1


def test_playback_speed_is_kept_in_the_url_and_plays_faster(page, served_app) -> None:
    open_app(page, served_app, "?year=1990")
    expect(page.locator(f"#{ids.PLAY_SPEED} input[value='1']")).to_be_checked()
    page.locator(f"#{ids.PLAY_SPEED} label", has_text="4×").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('speed') === '4'")
    page.reload()
    expect(page.locator(f"#{ids.PLAY_SPEED} input[value='4']")).to_be_checked()
    page.click(f"#{ids.PLAY}")
    # Four years a second: ten years well within the five seconds one year a second would take.
    page.wait_for_function("() => Number(document.querySelector('#year-label').textContent) >= 2000", timeout=5000)
    page.click(f"#{ids.PLAY}")


def test_the_table_and_its_grid_script_load_only_when_scrolled_to(page, page_log, served_app) -> None:
    open_app(page, served_app)
    wait_for_summary(page, rf"^{expected_count()} partnerships")
    page.wait_for_timeout(500)
    assert not any("dash_ag_grid" in url for url in page_log.local_requests)
    assert page.locator(f"#{ids.TABLE}").count() == 0
    show_table(page)
    assert any("dash_ag_grid" in url for url in page_log.local_requests)
    expect(page.locator(f"#{ids.TABLE} .ag-paging-row-summary-panel")).to_contain_text(f"of {expected_count()}")
