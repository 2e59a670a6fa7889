"""Colours and sizes, in one place: the normal screen theme and a high-contrast one for projectors."""

from __future__ import annotations

from dataclasses import dataclass, replace

# Decades run from warm (early) to cool (recent); the order is the legend's order.
DECADE_COLOURS = {
    "1940s": "#7f2704",
    "1950s": "#8c2d04",
    "1960s": "#a63603",
    "1970s": "#b8470b",
    "1980s": "#d94801",
    "1990s": "#f16913",
    "2000s": "#2b8cbe",
    "2010s": "#0868ac",
    "2020s": "#084081",
    "unknown": "#8c8c8c",
}

# On a black projector background dark blues vanish: the same order, in bright tints.
CONTRAST_DECADE_COLOURS = {
    "1940s": "#ff8a65",
    "1950s": "#ff8a65",
    "1960s": "#ff7043",
    "1970s": "#ff7043",
    "1980s": "#ff5722",
    "1990s": "#ffab40",
    "2000s": "#4fc3f7",
    "2010s": "#29b6f6",
    "2020s": "#b3e5fc",
    "unknown": "#bdbdbd",
}

SECTOR_COLOURS = {
    "trade": "#1f77b4",
    "education": "#ff7f0e",
    "health": "#d62728",
    "culture": "#9467bd",
    "tourism": "#17becf",
    "science": "#2ca02c",
    "logistics": "#8c564b",
    "agriculture": "#bcbd22",
    "sports": "#e377c2",
    "media": "#7f7f7f",
    "urban": "#393b79",
    "government": "#637939",
}


@dataclass(frozen=True)
class Theme:
    name: str
    paper: str
    land: str
    ocean: str
    border: str
    coast: str
    text: str
    link: str
    link_unconfirmed: str
    link_width: float
    hub: str
    focus: str
    font_size: int
    marker_scale: float


NORMAL = Theme(
    name="normal",
    paper="#ffffff",
    land="#eef0f2",
    ocean="#f7fbff",
    border="#c4c8cc",
    coast="#aab0b6",
    text="#1b1f24",
    link="rgba(200, 60, 40, 0.55)",
    link_unconfirmed="rgba(120, 120, 120, 0.55)",
    link_width=1.3,
    hub="#b30000",
    focus="#111111",
    font_size=13,
    marker_scale=1.0,
)

HIGH_CONTRAST = Theme(
    name="contrast",
    paper="#000000",
    land="#1d1d1d",
    ocean="#000000",
    border="#7a7a7a",
    coast="#bdbdbd",
    text="#ffffff",
    link="rgba(255, 214, 0, 0.9)",
    link_unconfirmed="rgba(200, 200, 200, 0.8)",
    link_width=2.2,
    hub="#ff3b30",
    focus="#ffffff",
    font_size=18,
    marker_scale=1.5,
)


def theme_for(contrast: bool, present: bool = False) -> Theme:
    """The screen or projector theme; on stage everything is drawn larger, to be read from the back."""
    theme = HIGH_CONTRAST if contrast else NORMAL
    if present:
        theme = replace(
            theme,
            font_size=theme.font_size + 6,
            link_width=theme.link_width * 1.8,
            marker_scale=theme.marker_scale * 1.5,
        )
    return theme


def decade_colour(decade: str, contrast: bool = False) -> str:
    palette = CONTRAST_DECADE_COLOURS if contrast else DECADE_COLOURS
    return palette.get(decade, "#444444")


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, "#555555")
