"""The small map of the rows under review: a line from each home to its partner, numbered as in the list."""

from __future__ import annotations

from typing import Any

from atlas.theme import NORMAL

MAP_HEIGHT = 320


def review_map(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A plain figure dict (as the public map's): partners as numbered markers, homes as stars."""
    theme = NORMAL
    lats: list[float | None] = []
    lons: list[float | None] = []
    partners: dict[str, list[Any]] = {"lat": [], "lon": [], "text": [], "hover": []}
    homes: dict[str, list[Any]] = {"lat": [], "lon": [], "hover": []}
    for number, item in enumerate(items, start=1):
        located = item.get("located") or {}
        partner, home = located.get("partner"), located.get("home")
        if item.get("status") == "rejected" or not isinstance(partner, dict):
            continue
        fields = item.get("fields") or {}
        partners["lat"].append(partner["lat"])
        partners["lon"].append(partner["lon"])
        partners["text"].append(str(number))
        partners["hover"].append(f"{number}. {fields.get('home', '')} – {fields.get('partner', '')}")
        if isinstance(home, dict):
            homes["lat"].append(home["lat"])
            homes["lon"].append(home["lon"])
            homes["hover"].append(str(fields.get("home", "")))
            lats += [home["lat"], partner["lat"], None]
            lons += [home["lon"], partner["lon"], None]
    traces = [
        {
            "type": "scattergeo",
            "mode": "lines",
            "lat": lats,
            "lon": lons,
            "line": {"width": 1.5, "color": theme.link},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scattergeo",
            "mode": "markers",
            "lat": homes["lat"],
            "lon": homes["lon"],
            "hovertext": homes["hover"],
            "hoverinfo": "text",
            "marker": {"symbol": "star", "size": 12, "color": theme.hub},
            "showlegend": False,
        },
        {
            "type": "scattergeo",
            "mode": "markers+text",
            "lat": partners["lat"],
            "lon": partners["lon"],
            "text": partners["text"],
            "textposition": "top center",
            "hovertext": partners["hover"],
            "hoverinfo": "text",
            "marker": {"size": 9, "color": theme.focus},
            "showlegend": False,
        },
    ]
    return {
        "data": traces,
        "layout": {
            "height": MAP_HEIGHT,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "geo": {
                "projection": {"type": "natural earth"},
                "showland": True,
                "landcolor": theme.land,
                "showcountries": True,
                "countrycolor": theme.border,
                "showocean": True,
                "oceancolor": theme.ocean,
                "showframe": False,
                "resolution": 110,
            },
            "font": {"family": "Atlas Sans, sans-serif"},
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }
