"""The dashboard as a person uses it: served for real, driven in headless Chromium, offline."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect
from ui import (
    DETAILS,
    SUMMARY,
    choose_option,
    click_partner_on_map,
    expected_count,
    map_data,
    move_slider_to,
    open_app,
    partnerships_table,
    search_and_choose,
    show_table,
    slider_year,
    summary,
    wait_for_query,
    wait_for_summary,
)

from layouts import ids

pytestmark = pytest.mark.browser


def test_map_draws_countries_and_links_with_no_request_leaving_the_machine(page, page_log, served_app):
    open_app(page, served_app)
    wait_for_summary(page, rf"^{expected_count()} partnerships · \d+ countries · 1982–2024")
    page.wait_for_function(
        "() => (document.querySelector('#map .geo .layer.countries path')?.getAttribute('d') || '').length > 10000"
    )
    link_paths = page.locator("#map .scatterlayer .trace.scattergeo path.js-line")
    assert link_paths.count() >= 1
    assert any(url.endswith("/assets/topojson/world_110m.json") for url in page_log.local_requests)
    assert page_log.outside_requests == []


def test_slider_hides_partnerships_established_later(page, served_app):
    open_app(page, served_app)
    move_slider_to(page, 1982)
    wait_for_summary(page, rf"^{expected_count(year=1982)} partnerships")
    move_slider_to(page, 2004)
    wait_for_summary(page, rf"^{expected_count(year=2004)} partnerships")
    assert page.inner_text(f"#{ids.YEAR_LABEL}") == "2004"


def test_undated_partnerships_appear_only_at_the_latest_year(page, served_app):
    open_app(page, served_app, "?home=Changsha")
    wait_for_summary(page, r"^12 partnerships .*3 date unknown")
    move_slider_to(page, 2023)
    wait_for_summary(page, rf"^{expected_count('Changsha', 2023)} partnerships")
    assert "date unknown" not in summary(page)


def test_play_advances_a_year_a_second_and_pause_keeps_the_year(page, served_app):
    open_app(page, served_app)
    move_slider_to(page, 1990)
    page.click(f"#{ids.PLAY}")
    page.wait_for_function("() => Number(document.querySelector('#year-label').textContent) >= 1992", timeout=6000)
    page.click(f"#{ids.PLAY}")
    paused_at = slider_year(page)
    page.wait_for_timeout(2200)
    assert slider_year(page) == paused_at
    assert page.inner_text(f"#{ids.YEAR_LABEL}") == str(paused_at)
    wait_for_summary(page, rf"^{expected_count(year=paused_at)} partnerships")


def test_a_tick_arriving_after_pause_does_not_start_playback_again(page, served_app):
    open_app(page, served_app, "?year=1990&speed=4")
    page.click(f"#{ids.PLAY}")
    page.wait_for_function("() => Number(document.querySelector('#year-label').textContent) >= 1992")
    page.click(f"#{ids.PLAY}")
    paused_at = slider_year(page)
    # The interval's last tick can reach the browser after the click: deliver one by hand.
    page.evaluate(
        """() => {
            const timer = window.dash_component_api.getLayout('play-timer');
            window.dash_clientside.set_props('play-timer', {n_intervals: (timer.props.n_intervals || 0) + 1});
        }"""
    )
    page.wait_for_timeout(1500)
    assert slider_year(page) == paused_at
    assert page.inner_text(f"#{ids.PLAY}") == "▶"


def test_play_stops_at_the_latest_year(page, served_app):
    open_app(page, served_app)
    move_slider_to(page, 2022)
    page.click(f"#{ids.PLAY}")
    page.wait_for_function("() => document.querySelector('#year-label').textContent === '2024'", timeout=6000)
    page.wait_for_timeout(1500)
    assert slider_year(page) == 2024
    assert page.inner_text(f"#{ids.PLAY}") == "▶"


def test_play_from_the_end_replays_from_the_first_year(page, served_app):
    open_app(page, served_app)
    page.click(f"#{ids.PLAY}")
    page.wait_for_function("() => Number(document.querySelector('#year-label').textContent) <= 1984", timeout=6000)
    page.click(f"#{ids.PLAY}")


def test_sector_filter_keeps_partnerships_with_an_exchange_in_that_sector(page, served_app):
    open_app(page, served_app)
    page.locator(f"#{ids.SECTOR_FILTER} label", has_text="Health").click()
    wait_for_summary(page, r"^2 partnerships · 2 countries")
    page.locator(f"#{ids.SECTOR_FILTER} label", has_text="Logistics").click()
    wait_for_summary(page, r"^2 partnerships")
    move_slider_to(page, 2011)
    # By 2011 only the dated Yuxinou railway exchange (March 2011) counts: Düsseldorf alone.
    wait_for_summary(page, r"^1 partnership · 1 country")
    move_slider_to(page, 2010)
    wait_for_summary(page, r"^0 partnerships")


def test_hub_selector_shows_only_that_hubs_partnerships(page, served_app):
    open_app(page, served_app)
    choose_option(page, ids.HOME_SELECT, "Changsha")
    wait_for_summary(page, rf"^{expected_count('Changsha')} partnerships")
    choose_option(page, ids.HOME_SELECT, "Hunan")
    wait_for_summary(page, rf"^{expected_count('Hunan')} partnerships")
    choose_option(page, ids.HOME_SELECT, "Chongqing")
    wait_for_summary(page, rf"^{expected_count('Chongqing')} partnerships")
    wait_for_query(page, home="Chongqing")


def test_clicking_a_partner_on_the_map_opens_its_story(page, served_app):
    open_app(page, served_app, "?home=Chongqing")
    wait_for_summary(page, rf"^{expected_count('Chongqing')} partnerships")
    click_partner_on_map(page, "chongqing-voronezh")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-voronezh]")
    story = page.inner_text(DETAILS)
    assert "Voronezh" in story and "沃罗涅日" in story
    assert "20 October 1993" in story
    assert "Chongqing Third People's Hospital" in story
    assert "iChongqing, 20 Mar 2024" in story
    wait_for_query(page, focus="chongqing-voronezh")


def test_search_box_opens_a_partners_story_with_timeline_and_sources(page, served_app):
    open_app(page, served_app)
    search_and_choose(page, ids.PARTNER_SEARCH, "Dusseldorf", "Düsseldorf")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-dusseldorf]")
    story = page.inner_text(DETAILS)
    assert "22 July 2004" in story
    assert "Schiller High School" in story
    assert "Logistics & transport" in story
    links = page.eval_on_selector_all(f"{DETAILS} a.source", "links => links.map(a => a.href)")
    assert "https://www.duesseldorf.de/internationales/partnerschaften/chongqing.html" in links


def test_link_reproduces_the_view(page, served_app):
    query = "?home=Chongqing&year=2011&sectors=logistics&focus=chongqing-dusseldorf"
    open_app(page, served_app, query)
    wait_for_summary(page, r"^1 partnership · 1 country · 2004")
    assert slider_year(page) == 2011
    assert page.is_checked(f"#{ids.SECTOR_FILTER} input[value=logistics]")
    page.wait_for_selector(f"{DETAILS} [data-partnership=chongqing-dusseldorf]")
    move_slider_to(page, 2012)
    wait_for_query(page, year="2012")
    params = parse_qs(urlparse(page.url).query)
    assert params == {
        "home": ["Chongqing"],
        "year": ["2012"],
        "sectors": ["logistics"],
        "focus": ["chongqing-dusseldorf"],
    }
    page.reload()
    wait_for_summary(page, r"^1 partnership")
    assert slider_year(page) == 2012


def test_back_button_restores_the_previous_view(page, served_app):
    open_app(page, served_app, "?home=Changsha")
    wait_for_summary(page, r"^12 partnerships")
    choose_option(page, ids.HOME_SELECT, "Chongqing")
    wait_for_summary(page, rf"^{expected_count('Chongqing')} partnerships")
    page.go_back()
    wait_for_summary(page, r"^12 partnerships")


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=-99999",
        "?home=Atlantis",
        "?sectors=;;;",
        "?present=maybe&lang=xx",
        "?focus=%3Cscript%3Ewindow.hacked%3D1%3C%2Fscript%3E",
        "?home=" + "x" * 10_000,
    ],
)
def test_malformed_url_parameters_fall_back_to_defaults(page, served_app, query):
    response = page.goto(served_app.url + "/" + query)
    assert response.status == 200
    wait_for_summary(page, rf"^{expected_count()} partnerships")
    assert page.evaluate("window.hacked") is None


def test_unknown_hub_in_the_url_shows_a_quiet_notice(page, served_app):
    open_app(page, served_app, "?home=Atlantis&year=abc")
    page.wait_for_function("() => (document.querySelector('#notice')?.textContent || '').includes('Atlantis')")
    assert "year" in page.inner_text(f"#{ids.NOTICE}")


def test_statistics_and_table_follow_the_filters(page, served_app):
    open_app(page, served_app, "?home=Changsha")
    wait_for_summary(page, r"^12 partnerships")
    show_table(page)
    page.wait_for_function("() => document.querySelectorAll('#table .ag-center-cols-container .ag-row').length === 12")
    growth = page.evaluate("() => Array.from(document.querySelector('#growth-chart .js-plotly-plot')._fullData[0].y)")
    assert growth[-1] == 9  # the nine dated Changsha partnerships
    continents = page.evaluate(
        "() => Array.from(document.querySelector('#continent-chart .js-plotly-plot')._fullData[0].x)"
    )
    assert sum(continents) == 12


def test_csv_download_holds_exactly_the_rows_shown(page, served_app):
    open_app(page, served_app, "?home=Changsha")
    show_table(page)
    page.wait_for_function("() => document.querySelectorAll('#table .ag-center-cols-container .ag-row').length === 12")
    page.fill(f"#{ids.TABLE_SEARCH}", "Kagoshima")
    page.wait_for_function("() => document.querySelectorAll('#table .ag-center-cols-container .ag-row').length === 1")
    with page.expect_download() as download_info:
        page.click(f"#{ids.CSV_BUTTON}")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["Partner"] == "Kagoshima"
    assert rows[0]["Established"] == "1982-10-30"
    assert "Edit" not in rows[0]  # the link column is the grid's, not the data's


def test_both_keys_show_when_a_single_decade_is_on_the_map(page, served_app):
    """Plotly hides a legend it finds too small; the keys explain the map's styles, so they stay."""
    open_app(page, served_app, "?year=1985")
    wait_for_summary(page, rf"^{expected_count(year=1985)} partnerships")
    expect(page.locator("#map .legend .legendtext")).to_have_text(["1980s"])
    # In 1985 Seattle's 1982 visit is recent and the 1982 signings are three years old (atlas.activity).
    expect(page.locator("#map .legend2 .legend2text")).to_have_text(
        ["Hubs", "Active: an exchange in 3 years", "Quiet: 3–7 years (dashed)"]
    )


def test_table_follows_slider_steps_row_for_row(page, served_app):
    """Slider steps send the grid only the rows that come and go: after steps down and up it holds
    exactly the partnerships of the year shown, as its row count and the CSV download say."""
    open_app(page, served_app)
    show_table(page)
    paging = page.locator(f"#{ids.TABLE} .ag-paging-row-summary-panel")
    expect(paging).to_contain_text(f"of {expected_count()}")
    for year in (2004, 2012, 1995, 2012):
        move_slider_to(page, year)
        wait_for_summary(page, rf"^{expected_count(year=year)} partnerships")
        expect(paging).to_contain_text(f"of {expected_count(year=year)}")
    with page.expect_download() as download_info:
        page.click(f"#{ids.CSV_BUTTON}")
    shown = list(csv.DictReader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    expected = [row["partner"] for row in partnerships_table() if row["established"] and row["established"] < "2013"]
    assert sorted(row["Partner"] for row in shown) == sorted(expected)


def test_map_hover_text_names_partner_country_year_and_relation(page, served_app):
    open_app(page, served_app, "?home=Chongqing")
    hover = [text for trace in map_data(page) for text in (trace.get("hovertext") or [])]
    voronezh = next(text for text in hover if "Voronezh" in text)
    assert re.search(r"Voronezh</b> \(Russia\)<br>sister city · 1993-10-20", voronezh)
    assert page.inner_text(SUMMARY).startswith(f"{expected_count('Chongqing')} partnerships")
