"""The app's own plotly.js: only the traces it draws, the version the `plotly` package ships, used by every graph."""

from __future__ import annotations

import json
import re

import pytest
from datadir import FIXTURE_DATA, PROJECT_ROOT
from plotly.offline import get_plotlyjs_version
from ui import open_app

from atlas.filters import ViewState
from atlas.load import HUB_ALL, load_atlas
from atlas.views import map_view, statistics_figures

BUNDLE = PROJECT_ROOT / "assets" / "plotly-atlas.min.js"
BUNDLE_DIR = PROJECT_ROOT / "tools" / "plotly-bundle"


def figure_trace_types() -> set[str]:
    """Every trace type the app's figures use: the map (with a focus and an export title) and the charts."""
    atlas = load_atlas(FIXTURE_DATA)
    focus = str(atlas.partnerships["id"].iat[0])
    state = ViewState(home=HUB_ALL, year=atlas.last_year, focus=focus)
    figures = [map_view(atlas, state, title=True).figure, *statistics_figures(atlas, state)]
    return {trace["type"] for figure in figures for trace in figure["data"]}


def test_the_bundle_is_the_plotly_js_version_the_plotly_package_ships() -> None:
    banner = re.match(r"/\* plotly\.js v(\S+) ", BUNDLE.read_text(encoding="utf-8")[:200])
    assert banner, f"{BUNDLE.name} has no plotly.js banner: rebuild it with tools/plotly-bundle"
    assert banner.group(1) == get_plotlyjs_version()
    lock = json.loads((BUNDLE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/plotly.js"]["version"] == get_plotlyjs_version()


@pytest.mark.browser
def test_every_graph_draws_with_the_bundle_and_it_has_every_trace_type_the_figures_use(
    page, page_log, served_app
) -> None:
    open_app(page, served_app)
    page.wait_for_selector("#country-chart .bars path", state="attached")
    page.wait_for_selector("#growth-chart .scatterlayer path.js-fill", state="attached")
    bundle = page.evaluate("() => ({version: Plotly.version, traces: Object.keys(Plotly.PlotSchema.get().traces)})")
    assert bundle["version"] == get_plotlyjs_version()
    assert figure_trace_types() <= set(bundle["traces"])
    assert "choropleth" not in bundle["traces"]  # only what the app draws
    scripts = [url for url in page_log.local_requests if ".js" in url]
    assert any("/assets/plotly-atlas.min.js" in url for url in scripts)
    assert not any("plotly.min.js" in url for url in scripts), "dcc.Graph loaded its own plotly.js as well"
