"""The self-contained HTML export of the current map, which works offline.

Plotly's HTML export fetches the world topojson from a CDN when a geo map is opened. Here the
topojson is embedded: plotly.js looks in `window.PlotlyGeoAssets.topojson` before fetching.
"""

from __future__ import annotations

import json
from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio

from atlas.paths import PROJECT_ROOT

TOPOJSON_DIR = PROJECT_ROOT / "assets" / "topojson"
TOPOJSON_NAME = "world_110m"


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


def figure_html(figure: go.Figure | dict, title: str) -> str:
    """A single HTML file with plotly.js, the figure and the world map: opens offline."""
    body = pio.to_html(
        figure,
        include_plotlyjs=True,
        full_html=False,
        config={"displaylogo": False, "responsive": True, "topojsonURL": "./"},
        default_width="100%",
        default_height="100vh",
    )
    escaped_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escaped_title}</title>"
        "<style>html,body{margin:0;height:100%}</style></head><body>"
        f"{embedded_topojson_script()}{body}</body></html>\n"
    )
