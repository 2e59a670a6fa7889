"""The map with thousands of links, in the browser: 3,000 synthetic links and the world pair list.

Times are printed (run with `-s` to see them), never asserted: they depend on the machine.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from datadir import PROJECT_ROOT
from playwright.sync_api import expect
from ui import SLIDER_THUMB, open_app, wait_for_summary

from atlas.bench import WORLD_SOURCE_TITLE, write_synthetic
from atlas.pairs import import_pairs
from layouts import ids

pytestmark = pytest.mark.browser

SHARED = PROJECT_ROOT.parent / "shared"
WORLD = SHARED / "reference" / "world" / "twin_cities.csv"
LINKS = 3_000

# Records when the map has drawn: each plotly_afterplot with the number of link points then drawn.
RECORD_AFTERPLOTS = """
window.atlasDraws = [];
(() => {
  const record = (graph) => () => {
    const points = (graph._fullData || [])
      .filter((trace) => trace.mode === 'lines')
      .reduce((sum, trace) => sum + (trace.lon ? trace.lon.length : 0), 0);
    window.atlasDraws.push({at: performance.now(), points: points});
  };
  // Hooked as soon as Plotly has set up the graph, long before the first map arrives.
  const hook = () => {
    const graph = document.querySelector('#map .js-plotly-plot');
    if (graph && graph.on && !graph.atlasHooked) {
      graph.atlasHooked = true;
      graph.on('plotly_afterplot', record(graph));
    }
    return Boolean(graph && graph.atlasHooked);
  };
  const observer = new MutationObserver(() => hook() && observer.disconnect());
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, {childList: true, subtree: true, attributes: true});
  });
})();
"""


def established_years(data_dir: Path) -> list[int | None]:
    """The oracle, read from the CSV without the app's code: each partnership's year, or None."""
    with (data_dir / "partnerships.csv").open(encoding="utf-8", newline="") as stream:
        return [int(row["established"][:4]) if row["established"] else None for row in csv.DictReader(stream)]


def drawn_at(page, points: int, after: float = 0) -> float:
    """performance.now() of the first draw after `after` that shows `points` link points."""
    page.wait_for_function(
        "([points, after]) => window.atlasDraws.some((draw) => draw.points === points && draw.at > after)",
        arg=[points, after],
    )
    return page.evaluate(
        "([points, after]) => window.atlasDraws.find((draw) => draw.points === points && draw.at > after).at",
        [points, after],
    )


@pytest.fixture(scope="module")
def synthetic_app(serve, tmp_path_factory: pytest.TempPathFactory):
    data_dir = write_synthetic(tmp_path_factory.mktemp("scale") / "data", LINKS)
    return serve(data_dir), data_dir


def test_3000_links_draw_with_counted_clusters_and_follow_the_slider(page, synthetic_app) -> None:
    app, data_dir = synthetic_app
    years = established_years(data_dir)
    last = max(year for year in years if year is not None)
    page.add_init_script(RECORD_AFTERPLOTS)
    open_app(page, app)
    wait_for_summary(page, rf"^{LINKS} partnerships · \d+ countries")
    first_render = drawn_at(page, 3 * LINKS)

    clusters = page.evaluate(
        """() => {
            const trace = document.querySelector('#map .js-plotly-plot')._fullData
                .find((t) => t.mode === 'markers+text' && t.name === 'Partners here');
            return {counts: Array.from(trace.text).map(Number), hover: Array.from(trace.hovertext)};
        }"""
    )
    singles = page.evaluate(
        """() => document.querySelector('#map .js-plotly-plot')._fullData
            .filter((t) => t.mode === 'markers' && t.name)
            .reduce((sum, t) => sum + t.lon.length, 0)"""
    )
    assert min(clusters["counts"]) >= 2
    assert sum(clusters["counts"]) + singles == LINKS
    assert clusters["hover"][0].startswith(f"<b>{clusters['counts'][0]} partners here</b>")

    # One step of the slider, with the keyboard, as a person can.
    expected = sum(year is not None and year <= last - 1 for year in years)
    thumb = page.locator(SLIDER_THUMB)
    thumb.focus()
    pressed = page.evaluate("() => performance.now()")
    thumb.press("ArrowLeft")
    wait_for_summary(page, rf"^{expected} partnerships")
    step = drawn_at(page, 3 * expected, after=pressed) - pressed
    print(f"\n{LINKS} links: first render {first_render:.0f} ms after navigation, slider step {step:.0f} ms")


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is missing (a clean clone): no world pair list to serve")
def test_the_world_pair_list_is_served_with_a_searchable_hub_and_idle_controls(
    page, serve, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("world") / "data"
    report = import_pairs(WORLD, data_dir, source_title=WORLD_SOURCE_TITLE)
    app = serve(data_dir)
    page.add_init_script(RECORD_AFTERPLOTS)
    open_app(page, app)
    wait_for_summary(page, rf"^{report.pairs} partnerships · \d+ countries")
    first_render = drawn_at(page, 3 * report.pairs)

    # Idle controls say why.
    expect(page.locator(f"#{ids.PLAY}")).to_be_disabled()
    expect(page.locator(SLIDER_THUMB)).to_have_attribute("data-disabled", re.compile(".*"))
    expect(page.locator(f"#{ids.TIMELINE_NOTE}")).to_contain_text("no dates")
    expect(page.locator(f"#{ids.SECTOR_NOTE}")).to_contain_text("no exchanges by sector")

    # Any city is a hub, found by typing its name: Changsha is far below the first options listed.
    with (data_dir / "partnerships.csv").open(encoding="utf-8", newline="") as stream:
        changsha = sum("Changsha" in (row["home"], row["partner"]) for row in csv.DictReader(stream))
    page.click(f"#{ids.HOME_SELECT}")
    page.click(".dash-dropdown-search")
    page.keyboard.type("Changs")
    page.locator("[role=listbox] [role=option]", has_text=f"Changsha ({changsha})").first.click()
    wait_for_summary(page, rf"^{changsha} partnerships")
    drawn_at(page, 3 * changsha)
    homes = page.evaluate(
        """() => document.querySelector('#map .js-plotly-plot')._fullData
            .find((t) => t.name === 'Hubs').hovertext"""
    )
    assert list(homes) == ["Changsha"]
    print(f"\nworld ({report.pairs} links): first render {first_render:.0f} ms after navigation")
