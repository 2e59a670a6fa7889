"""The map answers the slider and playback in the browser; the rest follows once the view rests."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest
from datadir import FIXTURE_DATA
from playwright.sync_api import expect
from ui import (
    SLIDER_THUMB,
    expected_count,
    move_slider_to,
    open_app,
    show_table,
    slider_year,
    wait_for_query,
    wait_for_summary,
)

from atlas.filters import ViewState
from atlas.load import load_atlas
from atlas.views import caption_view
from layouts import ids

pytestmark = pytest.mark.browser

UPDATE = "/_dash-update-component"
ATLAS = load_atlas(FIXTURE_DATA)


def hunan(year: int, lang: str = "en") -> ViewState:
    return ViewState(home="Hunan", year=year, lang=lang)


class ServerCalls:
    """The outputs of every callback request the page sends, in order, and what set each off."""

    def __init__(self, page) -> None:
        self.outputs: list[str] = []
        self.triggers: list[str] = []
        page.on("request", self.record)

    def record(self, request) -> None:
        if request.method == "POST" and urlparse(request.url).path == UPDATE:
            body = json.loads(request.post_data)
            self.outputs.append(body["output"])
            self.triggers.extend(body.get("changedPropIds") or [])

    def count(self, component: str) -> int:
        """Requests with an output of `component` itself ('growth-chart', not 'growth-chart-compare')."""
        named = re.compile(rf"(^|\.){re.escape(component)}\.")
        return sum(bool(named.search(output)) for output in self.outputs)


def settle(page) -> None:
    """Let the view rest until what follows it (statistics, table, story) has been asked for."""
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")


def test_a_slider_step_writes_the_address_and_the_caption_without_a_request(page, served_app) -> None:
    open_app(page, served_app, "?present=1&home=Hunan&year=1984&speed=2")
    wait_for_summary(page, rf"^{expected_count('Hunan', 1984)} partnerships")
    settle(page)
    calls = ServerCalls(page)
    caption = page.locator(f"#{ids.MILESTONE_CAPTION}")
    thumb = page.locator(SLIDER_THUMB)
    thumb.focus()
    thumb.press("ArrowLeft")
    thumb.press("ArrowLeft")
    wait_for_query(page, home="Hunan", year="1982", present="1", speed="2")
    assert "Brazzaville" in caption_view(ATLAS, hunan(1982))
    expect(caption).to_have_text(caption_view(ATLAS, hunan(1982)))
    wait_for_summary(page, rf"^{expected_count('Hunan', 1982)} partnership")
    thumb.press("ArrowRight")
    wait_for_query(page, home="Hunan", year="1983", present="1", speed="2")
    expect(caption).to_have_text(caption_view(ATLAS, hunan(1983)))
    settle(page)
    # Only what follows the settled view asks the server, once the slider rests.
    assert calls.triggers and set(calls.triggers) == {f"{ids.VIEW_SETTLED}.data"}
    # Back steps through the years the slider showed.
    page.go_back()
    wait_for_query(page, year="1982")
    expect(page.locator(SLIDER_THUMB)).to_have_attribute("aria-valuenow", "1982")
    expect(caption).to_have_text(caption_view(ATLAS, hunan(1982)))


def test_playback_asks_the_server_nothing_until_it_stops(page, served_app) -> None:
    open_app(page, served_app, "?present=1&home=Hunan&year=1982&speed=4&lang=zh")
    settle(page)
    calls = ServerCalls(page)
    page.click(f"#{ids.PLAY}")
    expect(page.locator(f"#{ids.MILESTONE_CAPTION}")).to_have_text(caption_view(ATLAS, hunan(1983, "zh")))
    wait_for_query(page, year="1985", lang="zh", home="Hunan", speed="4", present="1")
    assert calls.outputs == []
    page.click(f"#{ids.PLAY}")
    settle(page)
    assert calls.count(ids.GROWTH_CHART) == 1


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
