"""The self-contained HTML export of the current map, which works offline.

Plotly's HTML export fetches the world topojson from a CDN when a geo map is opened. Here the
topojson is embedded: plotly.js looks in `window.PlotlyGeoAssets.topojson` before fetching. So is
the app's font, so that Chinese names show on a machine without a Chinese system font.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs

from atlas.figures import Figure
from atlas.i18n import html_lang
from atlas.paths import PROJECT_ROOT

TOPOJSON_DIR = PROJECT_ROOT / "assets" / "topojson"
TOPOJSON_NAME = "world_110m"
FONT_FILE = PROJECT_ROOT / "assets" / "fonts" / "atlas-sans-sc-regular.woff2"


@lru_cache(maxsize=2)
def topojson_text(name: str = TOPOJSON_NAME) -> str:
    return (TOPOJSON_DIR / f"{name}.json").read_text(encoding="utf-8")


def embedded_topojson_script(name: str = TOPOJSON_NAME) -> str:
    # The JSON is parsed from a string so that no part of it can close the <script> element.
    payload = json.dumps(topojson_text(name)).replace("</", "<\\/")
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(name)}] = JSON.parse({payload});</script>"
    )


@lru_cache(maxsize=1)
def embedded_font_style() -> str:
    """Atlas Sans (the regular weight; bold is drawn from it) as a data URL in a @font-face rule."""
    encoded = base64.b64encode(FONT_FILE.read_bytes()).decode("ascii")
    return (
        '<style>@font-face{font-family:"Atlas Sans";font-weight:400;'
        f'src:url(data:font/woff2;base64,{encoded}) format("woff2");}}</style>'
    )


def preload() -> None:
    """Read the files the HTML export embeds at start-up, not while answering a request."""
    topojson_text()
    embedded_font_style()


def figure_html(figure: Figure, title: str, lang: str = "en") -> str:
    """A single HTML file with plotly.js, the figure, the world map and the font: opens offline.

    The map is drawn once the embedded font is ready: Plotly measures text when it draws and keeps
    the measures, so text drawn first in a fallback font would overflow its boxes afterwards."""
    # Plotly's encoder writes "<", ">" and "/" as \u escapes: no name can close the <script> it is in.
    figure_json = to_json_plotly(figure)
    config = json.dumps({"displaylogo": False, "responsive": True, "topojsonURL": "./"})
    escaped_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(lang)}"><head><meta charset="utf-8">'
        f"<title>{escaped_title}</title>"
        "<style>html,body{margin:0;height:100%}#map{width:100%;height:100vh}</style>"
        f"{embedded_font_style()}</head><body>"
        '<div id="map"></div>'
        f'<script type="application/json" id="figure">{figure_json}</script>'
        f"<script>{get_plotlyjs()}</script>"
        f"{embedded_topojson_script()}"
        "<script>document.fonts.load('16px \"Atlas Sans\"', '友').finally(function () {"
        " var figure = JSON.parse(document.getElementById('figure').textContent);"
        f" Plotly.newPlot('map', figure.data, figure.layout, {config});"
        " });</script>"
        "</body></html>\n"
    )
