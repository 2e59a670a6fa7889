"""`python -m atlas bench --browser` (`make bench-browser`): the app in headless Chromium, beside a floor.

For each data directory (the committed data, 3,000 synthetic links, the world pair list when
../shared/ has it, and 24,805 synthetic links for slider steps at the world list's size) it serves
the app with `python app.py` and measures, over several cold loads (a fresh browser context each):

- first render: navigation start to the map's links painted (a plotly_afterplot with every link);
- slider step: key press on the slider to the map repainted with one year fewer (the first two
  steps after a load are not counted);
- bytes: what a cold visit moves on the wire until the page is idle (compressed sizes).

Beside each, in the same run and interleaved with it, the floor: a bare page that draws the same
figure (the server's map for all hubs at the latest year) with the stock `plotly.min.js` of the
`plotly` package, and whose slider step filters the links by year in typed arrays and redraws with
Plotly.react. Medians are printed with the spread (min–max) of the runs.

It serves the app and imports `app`'s package data, so it lives outside the pure `atlas/` package.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atlas.paths import DEFAULT_DATA_DIR, PROJECT_ROOT

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
VIEWPORT = {"width": 1400, "height": 900}
SYNTHETIC_LINKS = (3_000,)
STEP_LINKS = 24_805  # the world list's pairs, with years, for slider steps at that size
STEPS = 6  # slider steps a load; the first SKIPPED are not counted
SKIPPED = 2
TIMEOUT_MS = 60_000

# Each plotly_afterplot of the map, with the number of link points drawn then (as tests/test_scale.py).
RECORD_DRAWS = """
window.atlasDraws = [];
(() => {
  const record = (graph) => () => {
    const points = (graph._fullData || [])
      .filter((trace) => trace.mode === 'lines' && trace.showlegend !== false)
      .reduce((sum, trace) => sum + (trace.lon ? trace.lon.length : 0), 0);
    window.atlasDraws.push({at: performance.now(), points: points});
  };
  const hook = () => {
    const graph = document.querySelector('#map .js-plotly-plot') || document.querySelector('#map.js-plotly-plot');
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
WAIT_FOR_DRAW = "([points, after]) => window.atlasDraws.some((d) => d.points === points && d.at > after)"
DRAWN_AT = "([points, after]) => window.atlasDraws.find((d) => d.points === points && d.at > after).at"

# The floor: the same figure with the stock plotly.js; a step filters the links by year and redraws.
FLOOR_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>floor</title>
<style>html,body{margin:0} #map{width:1340px;height:560px}</style></head>
<body><div id="map"></div>
<script src="plotly.min.js"></script>
<script>
fetch("figure.json").then((response) => response.json()).then((bundle) => {
  const graph = document.getElementById("map");
  const config = {topojsonURL: "./", responsive: true};
  const others = bundle.figure.data.filter((trace) => trace.mode !== "lines");
  const lines = bundle.figure.data.find((trace) => trace.mode === "lines");
  const links = {
    homeLon: Float32Array.from(bundle.links.homeLon), homeLat: Float32Array.from(bundle.links.homeLat),
    lon: Float32Array.from(bundle.links.lon), lat: Float32Array.from(bundle.links.lat),
    year: Int16Array.from(bundle.links.year),
  };
  Plotly.newPlot(graph, bundle.figure.data, bundle.figure.layout, config);
  window.step = (year) => {
    const rows = [];
    for (let i = 0; i < links.year.length; i++) if (links.year[i] <= year) rows.push(i);
    const lon = new Float32Array(rows.length * 3).fill(NaN);
    const lat = new Float32Array(rows.length * 3).fill(NaN);
    rows.forEach((row, i) => {
      lon[3 * i] = links.homeLon[row]; lon[3 * i + 1] = links.lon[row];
      lat[3 * i] = links.homeLat[row]; lat[3 * i + 1] = links.lat[row];
    });
    Plotly.react(graph, [Object.assign({}, lines, {lon: lon, lat: lat})].concat(others), bundle.figure.layout, config);
  };
});
</script></body></html>
"""


@dataclass
class Figures:
    """One measure over the runs: every value, its median and spread."""

    values: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float | None]:
        if not self.values:
            return {"median": None, "min": None, "max": None, "runs": 0}
        return {
            "median": round(statistics.median(self.values), 1),
            "min": round(min(self.values), 1),
            "max": round(max(self.values), 1),
            "runs": len(self.values),
        }


@dataclass
class Side:
    first_render_ms: Figures = field(default_factory=Figures)
    step_ms: Figures = field(default_factory=Figures)
    bytes: Figures = field(default_factory=Figures)


@dataclass
class BrowserCase:
    name: str
    links: int
    app: Side = field(default_factory=Side)
    floor: Side = field(default_factory=Side)


def side_summary(side: Side) -> dict[str, dict[str, float | None]]:
    return {name: getattr(side, name).summary() for name in ("first_render_ms", "step_ms", "bytes")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"app.py did not answer on port {port} within {timeout} s")


@contextlib.contextmanager
def served_app(data_dir: Path) -> Iterator[str]:
    """`python app.py` on `data_dir`, as `make run` starts it."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "ATLAS_DATA_DIR": str(data_dir)}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "app.py"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log)
        try:
            wait_until_up(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served_floor(data_dir: Path) -> Iterator[tuple[str, LinksShown]]:
    """The bare page with the server's figure for all hubs at the latest year, and each year's links."""
    from plotly.io.json import to_json_plotly
    from plotly.offline import get_plotlyjs

    from atlas.filters import ViewState, hub_partnerships
    from atlas.load import HUB_ALL, load_atlas
    from atlas.views import map_view

    atlas = load_atlas(data_dir)
    figure = map_view(atlas, ViewState(home=HUB_ALL, year=atlas.last_year)).figure
    frame = hub_partnerships(atlas, HUB_ALL)
    links = {
        "homeLon": frame["home_lon"].tolist(),
        "homeLat": frame["home_lat"].tolist(),
        "lon": frame["lon"].tolist(),
        "lat": frame["lat"].tolist(),
        "year": frame["year_drawn"].tolist(),
    }
    with tempfile.TemporaryDirectory(prefix="atlas-floor-") as scratch:
        root = Path(scratch)
        (root / "index.html").write_text(FLOOR_PAGE, encoding="utf-8")
        (root / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
        (root / "figure.json").write_text(to_json_plotly({"figure": figure, "links": links}), encoding="utf-8")
        for topojson in (PROJECT_ROOT / "assets" / "topojson").glob("*.json"):
            shutil.copy(topojson, root / topojson.name)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", free_port()), functools.partial(QuietHandler, directory=str(root))
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}", LinksShown(links["year"])
        finally:
            server.shutdown()
            server.server_close()


class LinksShown:
    """How many links the map shows at a year (all hubs, no sectors): those drawn by then."""

    def __init__(self, years: list[int]) -> None:
        self.years = sorted(years)
        self.last = self.years[-1]

    def at(self, year: int) -> int:
        return bisect_right(self.years, year)

    def steps(self) -> list[int]:
        """The years a load steps the slider to: one fewer each time, from the latest."""
        return [self.last - number for number in range(1, STEPS + 1)]


def wire_bytes(page) -> dict[str, int]:
    """A running total of the compressed bytes the page receives (Chromium's encodedDataLength)."""
    total = {"bytes": 0}
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.on("Network.loadingFinished", lambda event: total.update(bytes=total["bytes"] + event["encodedDataLength"]))
    return total


def drawn_at(page, points: int, after: float = 0) -> float:
    page.wait_for_function(WAIT_FOR_DRAW, arg=[points, after], timeout=TIMEOUT_MS)
    return page.evaluate(DRAWN_AT, [points, after])


def measure_app(browser, url: str, shown: LinksShown, side: Side, steps: bool) -> None:
    from layouts import ids

    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_DRAWS)
        received = wire_bytes(page)
        page.goto(url + "/")
        side.first_render_ms.values.append(drawn_at(page, 3 * shown.at(shown.last)))
        page.wait_for_load_state("networkidle")
        side.bytes.values.append(received["bytes"])
        if not steps:
            return
        thumb = page.locator(f"#{ids.YEAR_SLIDER} [role=slider]")
        thumb.focus()
        for number, year in enumerate(shown.steps()):
            pressed = page.evaluate("() => performance.now()")
            thumb.press("ArrowLeft")
            took = drawn_at(page, 3 * shown.at(year), pressed) - pressed
            if number >= SKIPPED:
                side.step_ms.values.append(took)
    finally:
        context.close()


def measure_floor(browser, url: str, shown: LinksShown, side: Side, steps: bool) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.add_init_script(RECORD_DRAWS)
        received = wire_bytes(page)
        page.goto(url + "/index.html")
        side.first_render_ms.values.append(drawn_at(page, 3 * shown.at(shown.last)))
        page.wait_for_load_state("networkidle")
        side.bytes.values.append(received["bytes"])
        if not steps:
            return
        for number, year in enumerate(shown.steps()):
            pressed = page.evaluate("(year) => { const at = performance.now(); window.step(year); return at; }", year)
            took = drawn_at(page, 3 * shown.at(year), pressed) - pressed
            if number >= SKIPPED:
                side.step_ms.values.append(took)
    finally:
        context.close()


def measure_case(browser, case: BrowserCase, data_dir: Path, runs: int, steps: bool, log) -> BrowserCase:
    with served_app(data_dir) as app_url, served_floor(data_dir) as (floor_url, shown):
        for run in range(runs):
            # Interleaved, so that a busy moment of the shared machine falls on both.
            measure_app(browser, app_url, shown, case.app, steps)
            measure_floor(browser, floor_url, shown, case.floor, steps)
            log(f"  {case.name}: run {run + 1} of {runs}")
    return case


def describe(case: BrowserCase) -> list[str]:
    def cell(figures: Figures, unit: str, scale: float = 1.0) -> str:
        summary = figures.summary()
        if summary["median"] is None:
            return "n/a".ljust(24)
        median, low, high = (summary[key] / scale for key in ("median", "min", "max"))
        digits = 2 if unit in ("s", "MB") else 0
        return f"{median:.{digits}f} {unit} ({low:.{digits}f}–{high:.{digits}f})".ljust(24)

    def ratio(app: Figures, floor: Figures) -> str:
        a, f = app.summary()["median"], floor.summary()["median"]
        return f"{a / f:.2f}×" if a and f else "n/a"

    lines = [f"{case.name} ({case.links:,} links)        app                      floor (stock plotly.js)  app ÷ floor"]
    for label, app, floor, unit, scale in (
        ("first render", case.app.first_render_ms, case.floor.first_render_ms, "s", 1000),
        ("slider step", case.app.step_ms, case.floor.step_ms, "ms", 1),
        ("bytes", case.app.bytes, case.floor.bytes, "MB", 1e6),
    ):
        lines.append(f"  {label:<14}  {cell(app, unit, scale)} {cell(floor, unit, scale)} {ratio(app, floor)}")
    return lines


def cases_to_run(scratch: Path, world: Path | None) -> Iterator[tuple[BrowserCase, Path, bool]]:
    from atlas.bench import import_world, write_synthetic
    from atlas.load import load_atlas

    yield BrowserCase("committed data", len(load_atlas(DEFAULT_DATA_DIR).partnerships)), DEFAULT_DATA_DIR, True
    for links in SYNTHETIC_LINKS:
        yield BrowserCase("synthetic", links), write_synthetic(scratch / f"synthetic-{links}", links), True
    if world is not None:
        directory = import_world(scratch / "world", world)
        # No dates in the world list: the slider is idle, its steps are measured on synthetic links.
        yield BrowserCase("world list", len(load_atlas(directory).partnerships)), directory, False
    yield BrowserCase("synthetic", STEP_LINKS), write_synthetic(scratch / f"synthetic-{STEP_LINKS}", STEP_LINKS), True


def run_browser_bench(world: Path | None, runs: int, as_json: bool) -> int:
    from playwright.sync_api import sync_playwright

    log = (lambda text: print(text, file=sys.stderr)) if as_json else print
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-browser-") as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for case, data_dir, steps in cases_to_run(Path(scratch), world):
                results.append(measure_case(browser, case, data_dir, runs, steps, log))
                if not as_json:
                    print("\n".join(describe(results[-1])))
        finally:
            browser.close()
    if as_json:
        print(
            json.dumps(
                {
                    "browser_cases": [
                        {
                            "name": case.name,
                            "links": case.links,
                            **{side: side_summary(getattr(case, side)) for side in ("app", "floor")},
                        }
                        for case in results
                    ]
                }
            )
        )
    return 0
