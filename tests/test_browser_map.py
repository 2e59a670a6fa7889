"""The map the browser draws from a hub's links (assets/atlas-map.js) is the server's map of the same view.

atlas.figures.map_figure stays the reference (the HTML export uses it): for each view below the
figure, summary and export title read from the page must equal what the server computes.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from ui import SLIDER_THUMB, move_slider_to, open_app, wait_for_summary

from atlas.bench import write_synthetic
from atlas.filters import ViewState, view_state_query
from atlas.load import HUB_ALL, Atlas, load_atlas
from atlas.views import map_view
from layouts import ids

pytestmark = pytest.mark.browser

DTYPES = {"i1": "int8", "u1": "uint8", "i2": "int16", "u2": "uint16", "i4": "int32", "u4": "uint32"}
DTYPES |= {"f4": "float32", "f8": "float64"}
# The page's figure with typed arrays (its own, or plotly.js specs it was sent) as plain lists.
PLAIN_FIGURE = """() => {
    const graph = document.querySelector('#map .js-plotly-plot');
    const types = {i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array, i4: Int32Array,
                   u4: Uint32Array, f4: Float32Array, f8: Float64Array};
    const plain = (value) => {
        if (ArrayBuffer.isView(value)) return Array.from(value, (x) => (Number.isNaN(x) ? 'NaN' : x));
        if (Array.isArray(value)) return value.map(plain);
        if (value && typeof value === 'object') {
            if (typeof value.bdata === 'string') {
                const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
                return plain(new types[value.dtype](bytes.buffer));
            }
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
        }
        return value;
    };
    return {data: plain(graph.data), summary: document.querySelector('#summary').textContent};
}"""


def plain(value: Any) -> Any:
    """The server's figure with typed-array specs decoded, NaN spelled as the page's helper spells it."""
    if isinstance(value, dict) and isinstance(value.get("bdata"), str):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=DTYPES[value["dtype"]])
        return plain(array.tolist())
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def assert_same(page_value: Any, server_value: Any, where: str = "") -> None:
    """Equal, floats to float32 precision; keys plotly.js adds (uid) are ignored."""
    if isinstance(server_value, dict):
        assert isinstance(page_value, dict), where
        for key, item in server_value.items():
            assert key in page_value, f"{where}.{key} missing in the page's figure"
            assert_same(page_value[key], item, f"{where}.{key}")
    elif isinstance(server_value, list):
        assert isinstance(page_value, list) and len(page_value) == len(server_value), f"{where}: lengths differ"
        for number, (mine, theirs) in enumerate(zip(page_value, server_value, strict=True)):
            assert_same(mine, theirs, f"{where}[{number}]")
    elif isinstance(server_value, float) and isinstance(page_value, int | float):
        assert math.isclose(page_value, server_value, rel_tol=1e-5, abs_tol=1e-4), f"{where}: {page_value}"
    else:
        assert page_value == server_value, f"{where}: {page_value!r} != {server_value!r}"


def check_view(page, atlas: Atlas, state: ViewState) -> None:
    view = map_view(atlas, state)
    wait_for_summary(page, f"^{re.escape(view.summary)}$")
    shown = page.evaluate(PLAIN_FIGURE)
    server_data = plain(view.figure["data"])
    assert [trace.get("name") for trace in shown["data"]] == [trace.get("name") for trace in server_data]
    assert_same(shown["data"], server_data, "data")


@pytest.fixture(scope="module")
def synthetic(serve, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Atlas]:
    data_dir: Path = write_synthetic(tmp_path_factory.mktemp("browser-map") / "data", 1_500)
    return serve(data_dir), load_atlas(data_dir)


def test_the_browser_draws_the_servers_map_as_the_slider_and_sectors_move(page, synthetic) -> None:
    app, atlas = synthetic
    open_app(page, app)
    check_view(page, atlas, ViewState(home=HUB_ALL, year=atlas.last_year))
    move_slider_to(page, atlas.last_year - 20)
    check_view(page, atlas, ViewState(home=HUB_ALL, year=atlas.last_year - 20))
    move_slider_to(page, atlas.first_year + 3)
    check_view(page, atlas, ViewState(home=HUB_ALL, year=atlas.first_year + 3))
    page.locator(f"#{ids.SECTOR_FILTER} input[value=education]").check()
    page.locator(f"#{ids.SECTOR_FILTER} input[value=trade]").check()
    check_view(page, atlas, ViewState(home=HUB_ALL, year=atlas.first_year + 3, sectors=("trade", "education")))
    page.locator(SLIDER_THUMB).press("End")
    check_view(page, atlas, ViewState(home=HUB_ALL, year=atlas.last_year, sectors=("trade", "education")))


@pytest.mark.parametrize(
    "query",
    ["?lang=zh&year=2001", "?present=1&contrast=1&year=1995", "?home={hub}&sectors=health&year=2010"],
)
def test_the_browser_draws_the_servers_map_in_each_language_theme_and_hub(page, synthetic, query: str) -> None:
    app, atlas = synthetic
    hub = atlas.hubs[0].id
    open_app(page, app, query.format(hub=hub))
    params = dict(part.split("=") for part in query.lstrip("?").split("&"))
    state = ViewState(
        home=hub if "home" in params else HUB_ALL,
        year=int(params["year"]),
        sectors=tuple(params["sectors"].split(",")) if "sectors" in params else (),
        lang=params.get("lang", "en"),
        present="present" in params,
        contrast="contrast" in params,
    )
    check_view(page, atlas, state)


def test_the_address_the_browser_writes_as_the_slider_moves_is_the_servers(page, synthetic) -> None:
    app, atlas = synthetic
    hub = atlas.hubs[0].id
    state = ViewState(home=hub, sectors=("health",), lang="zh", contrast=True, speed=2, unconfirmed=False)
    open_app(page, app, view_state_query(state, atlas))
    for year in (atlas.last_year - 1, atlas.first_year + 3, atlas.last_year):
        move_slider_to(page, year)
        expected = view_state_query(replace(state, year=year), atlas)
        page.wait_for_function("(query) => location.search === query", arg=expected)
