"""Pure figure builders: (frame, options) -> a Plotly figure dict, tested without a browser.

The map sends two endpoints per link with a gap between links; Plotly's geo projection draws each
segment as a great circle itself, so nothing is interpolated here. Coordinates travel as float32
typed arrays (base64 of the array's bytes, the form plotly.js reads natively).

The map is rebuilt on every slider step, for up to tens of thousands of links, so it is a plain
figure dict with its arrays already encoded: wrapping it in `go.Figure` (copies, validation, and
typed-array conversion through narwhals) cost more than everything else at 100 links.
tests/test_bench.py validates the same figures with Plotly to keep them honest.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from atlas.activity import ACTIVE, DORMANT, QUIET, UNKNOWN, legend_name
from atlas.filters import hub_rows, seen_from
from atlas.i18n import continent_label, country_label, localized, t
from atlas.load import HUB_ALL, Atlas
from atlas.theme import DECADE_COLOURS, Theme, decade_colour, sector_colour, theme_for

# Above this many partner markers, markers that share a map cell are drawn as one counted cluster.
CLUSTER_THRESHOLD = 300
# Cells are as small as possible while the map keeps at most MAX_MARKER_CELLS markers.
CLUSTER_CELL_DEGREES = (2.0, 3.0, 4.0, 6.0, 8.0)
MAX_MARKER_CELLS = 300
MAX_CLUSTER_SIZE = 32
# A cluster's marker grows with the square root of its count: CLUSTER_SIZE[0] + CLUSTER_SIZE[1] * sqrt(n).
CLUSTER_SIZE = (11.0, 1.6)
MAX_NAMES_IN_CLUSTER_HOVER = 8
# Hubs labelled on the map: those with a real share of the links, and none on another's label.
LABEL_MIN_SHARE = 0.1
# How much of the world map a hub's label covers at the usual zoom (longitude, latitude): two
# hubs closer than that share the place, one labelled above its star and the other below.
LABEL_SPAN_DEGREES = (24.0, 8.0)
ABOVE, BELOW = "top center", "bottom center"
# With more hubs than this (every city of a world pair list is one), only the busiest get a star.
MAX_HUB_MARKERS = 20
# Above this many links, lines get thinner and fainter so that crossings do not fill the map.
DENSE_LINKS = 1000
MIN_LINK_OPACITY = 0.2
MIN_LINK_WIDTH = 0.5
# Order in the key: hubs, clusters, then the two kinds of link.
HUB_LEGEND_RANK = 100
CLUSTER_LEGEND_RANK = 150
LINK_LEGEND_RANK = 200
# The kinds of link, in the key's order (`link_templates`); the browser numbers them the same.
LINKS, UNCONFIRMED = "links", "unconfirmed"
LINK_KINDS = (LINKS, ACTIVE, QUIET, DORMANT, UNKNOWN, UNCONFIRMED)
LEGEND_MIN_FONT = 12
CHART_MAX_FONT = 14
# The second legend: hubs, clusters and the kinds of link; above the map, and on stage (in larger
# type) on a line of its own under the decades: one legend for both keys ran off both sides of a
# 1920-pixel screen.
KEY_LEGEND = "legend2"
KEY_HEIGHT, KEY_HEIGHT_PRESENT = 30, 44
CIRCLE, OPEN_CIRCLE = 0, 100  # Plotly's numeric marker symbols
# Outline widths of a partner's marker: a confirmed partnership, an unconfirmed one (open circle).
OUTLINE_WIDTH, UNCONFIRMED_OUTLINE_WIDTH = 0.6, 2.0
FONT_FAMILY = "Atlas Sans, Noto Sans, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"

Trace = dict[str, Any]
Figure = dict[str, Any]
# numpy dtypes plotly.js reads as typed arrays (it has no 64-bit integers).
TYPED_ARRAY_CODES = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}
HOVER_COLUMNS = (
    "unconfirmed",
    "partner",
    "partner_zh",
    "country",
    "relation",
    "relation_zh",
    "established",
    "home",
    "home_zh",
    "exchanges",
)
PARTNER_COLUMNS = (*HOVER_COLUMNS, "id", "decade", "lat", "lon", "activity")  # activity: when computed
MARKER_OPACITY = 0.95


@dataclass(frozen=True)
class MapOptions:
    lang: str = "en"
    home: str = HUB_ALL
    focus: str | None = None
    contrast: bool = False
    present: bool = False
    title: str | None = None  # exports carry a title and a source line
    source_line: str | None = None
    cluster_threshold: int = CLUSTER_THRESHOLD


def escape(text: str) -> str:
    """Plotly reads a few HTML tags in its text; data is shown literally, never as markup.

    Quotes stay as they are: no tag can form without "<", and Plotly would draw `&quot;` as written."""
    return html.escape(text, quote=False)


def narrowed(values: np.ndarray) -> np.ndarray:
    """64-bit integers as 32-bit ones where they fit: plotly.js has no 64-bit typed arrays."""
    if values.dtype.kind not in "iu" or values.dtype.itemsize != 8 or not len(values):
        return values
    limits = np.iinfo(np.int32)
    return values.astype(np.int32) if limits.min <= values.min() and values.max() <= limits.max else values


def typed_array(values: np.ndarray) -> dict[str, str] | list[Any]:
    """`values` as plotly.js's typed-array spec; arrays it cannot read as one travel as a list."""
    values = narrowed(values)
    code = TYPED_ARRAY_CODES.get(values.dtype.name)
    if code is None or not len(values):
        return values.tolist()
    return {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(values)).decode("ascii")}


def encode_arrays(properties: dict[str, Any]) -> dict[str, Any]:
    """A copy of `properties` (a trace or one of its parts) with every numpy array encoded."""
    encoded = {}
    for name, value in properties.items():
        if isinstance(value, np.ndarray):
            value = typed_array(value)
        elif isinstance(value, dict):
            value = encode_arrays(value)
        encoded[name] = value
    return encoded


def scattergeo(**properties: Any) -> Trace:
    return {"type": "scattergeo", **properties}


def link_arrays(frame: pd.DataFrame, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """lon/lat arrays of [home, partner, gap] per link (of the `rows` chosen by a boolean mask)."""

    def column(name: str) -> np.ndarray:
        values = frame[name].to_numpy(np.float32)
        return values if rows is None else values[rows]

    count = len(frame) if rows is None else int(np.count_nonzero(rows))
    lon = np.full(count * 3, np.nan, dtype=np.float32)
    lat = np.full(count * 3, np.nan, dtype=np.float32)
    lon[0::3], lon[1::3] = column("home_lon"), column("lon")
    lat[0::3], lat[1::3] = column("home_lat"), column("lat")
    return lon, lat


def decade_name(decade: str, lang: str) -> str:
    if decade == "unknown":
        return t("date_unknown", lang)
    return f"{decade[:4]}年代" if lang == "zh" else decade


def hover_texts(columns: dict[str, np.ndarray], lang: str) -> list[str]:
    """'<b>Partner</b> (Country)<br>relation · date<br>Home · n exchanges', escaped; one per row,
    the relation marked as unconfirmed where no source confirms it."""
    zh = lang == "zh"
    unknown, exchanges = t("date_unknown", lang), t("exchanges", lang)
    doubt = f" · {t('unconfirmed', lang)}"
    return [
        f"<b>{escape(partner_zh if zh and partner_zh else partner)}</b> ({country_label(country, lang)})<br>"
        f"{escape(relation_zh if zh and relation_zh else relation)} · {established or unknown}"
        f"{doubt if unconfirmed else ''}<br>"
        f"{escape(home_zh if zh and home_zh else home)} · {count} {exchanges}"
        for unconfirmed, partner, partner_zh, country, relation, relation_zh, established, home, home_zh, count in zip(
            *(columns[name] for name in HOVER_COLUMNS), strict=True
        )
    ]


def partner_hover(frame: pd.DataFrame, lang: str) -> pd.Series:
    texts = hover_texts({name: frame[name].to_numpy() for name in HOVER_COLUMNS}, lang)
    return pd.Series(texts, index=frame.index, dtype=object)


def marker_sizes(exchanges: np.ndarray, theme: Theme) -> np.ndarray:
    return ((7 + 3.0 * np.sqrt(exchanges.astype(float))) * theme.marker_scale).round(1)


def cluster_cells(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """One integer per map cell for every partner, with cells of the smallest size in
    CLUSTER_CELL_DEGREES that keeps the markers at MAX_MARKER_CELLS or fewer."""
    lat, lon = lat.astype(float), lon.astype(float)
    for degrees in CLUSTER_CELL_DEGREES:
        cells = np.floor(lat / degrees).astype(np.int64) * 1000 + np.floor(lon / degrees).astype(np.int64)
        if len(np.unique(cells)) <= MAX_MARKER_CELLS:
            break
    return cells


def decade_template(decade: str, options: MapOptions, theme: Theme) -> Trace:
    """A decade's partner markers, all but the points: the browser fills those in as well."""
    colour = decade_colour(decade, options.contrast)
    return scattergeo(
        name=decade_name(decade, options.lang),
        mode="markers",
        marker={
            "color": colour,
            "line": {"colorscale": [[0, theme.paper], [1, colour]], "cmin": 0, "cmax": 1},
            "opacity": MARKER_OPACITY,
        },
        hoverinfo="text",
    )


def partner_traces(frame: pd.DataFrame, options: MapOptions, theme: Theme) -> list[Trace]:
    """Partner markers, one trace per decade (the legend), crowded cells drawn as counted clusters.

    Works on the columns as numpy arrays: splitting a DataFrame copies every column each time."""
    traces = []
    columns = {name: frame[name].to_numpy() for name in PARTNER_COLUMNS if name in frame}
    crowded, cells = np.zeros(len(frame), dtype=bool), np.zeros(len(frame), dtype=np.int64)
    if len(frame) > options.cluster_threshold:
        cells = cluster_cells(columns["lat"], columns["lon"])
        _, cell_of, partners_in_cell = np.unique(cells, return_inverse=True, return_counts=True)
        crowded = partners_in_cell[cell_of] > 1
    singles = {name: values[~crowded] for name, values in columns.items()}
    hover = np.array(hover_texts(singles, options.lang), dtype=object)
    decades = singles["decade"]
    lon, lat = singles["lon"].astype(np.float32), singles["lat"].astype(np.float32)
    unconfirmed = singles["unconfirmed"].astype(bool)
    dormant = singles["activity"] == DORMANT if "activity" in singles else np.zeros(len(decades), dtype=bool)
    for decade in [name for name in DECADE_COLOURS if name in set(decades)]:
        in_decade = decades == decade
        # Dormant partners are a trace of their own, faded and out of the key: the key draws a
        # decade's swatch like the trace's points, and it should not look faded.
        for faded in (False, True):
            chosen = in_decade & (dormant == faded)
            if not chosen.any():
                continue
            doubtful = unconfirmed[chosen]
            trace = decade_template(decade, options, theme)
            marker = trace["marker"]
            # Per-point styles as numbers, which travel as typed arrays: symbol 0 is a circle, 100 an
            # open one; the outline's 0/1 picks paper or the decade colour from its colorscale.
            marker["size"] = marker_sizes(singles["exchanges"][chosen], theme)
            marker["symbol"] = np.where(doubtful, OPEN_CIRCLE, CIRCLE).astype(np.int8) if doubtful.any() else "circle"
            marker["line"]["width"] = (
                np.where(doubtful, UNCONFIRMED_OUTLINE_WIDTH, OUTLINE_WIDTH).astype(np.float32)
                if doubtful.any()
                else OUTLINE_WIDTH
            )
            marker["line"]["color"] = doubtful.astype(np.int8) if doubtful.any() else theme.paper
            if faded:
                marker["opacity"] = theme.dormant_opacity
                trace["showlegend"] = not (in_decade & ~dormant).any()
            trace.update(
                legendrank=len(traces) + 1,
                lon=lon[chosen],
                lat=lat[chosen],
                customdata=singles["id"][chosen].tolist(),
                hovertext=hover[chosen].tolist(),
            )
            traces.append(trace)
    if crowded.any():
        clustered = {name: values[crowded] for name, values in columns.items()}
        traces.append(cluster_trace(clustered, cells[crowded], options, theme))
    return traces


def cluster_template(options: MapOptions, theme: Theme) -> Trace:
    return scattergeo(
        name=t("cluster", options.lang).capitalize(),
        legend=KEY_LEGEND,
        legendrank=CLUSTER_LEGEND_RANK,
        mode="markers+text",
        textfont={"color": "#ffffff", "size": 10 * theme.marker_scale},
        marker={"color": "#5b3a8e", "opacity": 0.85, "line": {"width": 1, "color": theme.paper}},
        hoverinfo="text",
    )


def cluster_sizes(counts: np.ndarray, theme: Theme) -> np.ndarray:
    base, growth = CLUSTER_SIZE
    return (np.minimum(base + growth * np.sqrt(counts), MAX_CLUSTER_SIZE) * theme.marker_scale).round(1)


def cluster_trace(columns: dict[str, np.ndarray], cells: np.ndarray, options: MapOptions, theme: Theme) -> Trace:
    """One counted marker per crowded cell, at the partners' mean position, naming the first few."""
    zh = options.lang == "zh"
    partners = zip(columns["partner"].tolist(), columns["partner_zh"].tolist(), strict=True)
    names = [zh_name if zh and zh_name else name for name, zh_name in partners]
    order = np.argsort(cells, kind="stable")
    starts = np.flatnonzero(np.r_[True, cells[order][1:] != cells[order][:-1]])
    counts = np.diff(np.r_[starts, len(order)])
    lat = np.add.reduceat(columns["lat"].astype(float)[order], starts) / counts
    lon = np.add.reduceat(columns["lon"].astype(float)[order], starts) / counts
    ordered_names = [names[position] for position in order.tolist()]
    title = t("cluster", options.lang)
    hover = []
    for start, count in zip(starts.tolist(), counts.tolist(), strict=True):
        # Escaping the joined names is escaping each: ", " holds nothing to escape.
        shown = escape(", ".join(ordered_names[start : start + min(count, MAX_NAMES_IN_CLUSTER_HOVER)]))
        more = f" +{count - MAX_NAMES_IN_CLUSTER_HOVER}" if count > MAX_NAMES_IN_CLUSTER_HOVER else ""
        hover.append(f"<b>{count} {title}</b><br>{shown}{more}")
    trace = cluster_template(options, theme)
    trace["marker"]["size"] = cluster_sizes(counts, theme)
    # The counts as numbers, not strings: they travel as a typed array.
    trace.update(lon=lon.astype(np.float32), lat=lat.astype(np.float32), text=counts.astype(np.int32), hovertext=hover)
    return trace


def link_style(count: int, theme: Theme) -> tuple[float, float]:
    """Line width and opacity: thinner and fainter as links pile up, so the map stays readable."""
    if count <= DENSE_LINKS:
        return theme.link_width, 1.0
    scale = float(np.sqrt(DENSE_LINKS / count))
    return round(max(MIN_LINK_WIDTH, theme.link_width * scale), 2), round(max(MIN_LINK_OPACITY, scale), 2)


def link_templates(options: MapOptions, theme: Theme) -> list[Trace]:
    """The kinds of link (LINK_KINDS), all but the lines, their weight and opacity: one kind when no
    tie's activity can be told, else by activity at the year shown (atlas.activity: active solid,
    quiet dashed, dormant faded by `link_fades`), and the unconfirmed ties dotted apart from all."""
    lang = options.lang
    kinds = {
        LINKS: (t("legend_links", lang), theme.link, "solid"),
        ACTIVE: (legend_name(ACTIVE, lang), theme.link, "solid"),
        QUIET: (legend_name(QUIET, lang), theme.link, "dash"),
        DORMANT: (legend_name(DORMANT, lang), theme.link, "solid"),
        UNKNOWN: (t("legend_activity_unknown", lang), theme.link_unconfirmed, "solid"),
        UNCONFIRMED: (t("legend_unconfirmed", lang), theme.link_unconfirmed, "dot"),
    }
    return [
        scattergeo(name=name, legend=KEY_LEGEND, mode="lines", line={"color": colour, "dash": dash}, hoverinfo="skip")
        for name, colour, dash in (kinds[kind] for kind in LINK_KINDS)
    ]


def link_fades(theme: Theme) -> list[float]:
    """How much of its opacity each kind of link keeps: dormant ties fade."""
    return [theme.dormant_opacity if kind == DORMANT else 1.0 for kind in LINK_KINDS]


def link_kinds(frame: pd.DataFrame) -> np.ndarray:
    """Each link's kind, as its number in LINK_KINDS."""
    unconfirmed = frame["unconfirmed"].to_numpy(dtype=bool)
    kinds = np.full(len(frame), LINK_KINDS.index(LINKS), dtype=np.int8)
    if "activity" in frame:
        status = frame["activity"].to_numpy()
        if (status[~unconfirmed] != UNKNOWN).any():
            kinds = pd.Series(status).map({name: number for number, name in enumerate(LINK_KINDS)}).to_numpy(np.int8)
    kinds[unconfirmed] = LINK_KINDS.index(UNCONFIRMED)
    return kinds


def link_traces(frame: pd.DataFrame, options: MapOptions, theme: Theme) -> list[Trace]:
    traces = []
    width, opacity = link_style(len(frame), theme)
    kinds, fades = link_kinds(frame), link_fades(theme)
    for kind, template in enumerate(link_templates(options, theme)):
        rows = kinds == kind
        if not rows.any():
            continue
        lon, lat = link_arrays(frame, rows)
        trace = {**template, "line": {**template["line"], "width": width}}
        trace.update(legendrank=LINK_LEGEND_RANK + len(traces), lon=lon, lat=lat, opacity=opacity * fades[kind])
        traces.append(trace)
    return traces


def label_positions(lat: np.ndarray, lon: np.ndarray, counts: np.ndarray) -> list[str | None]:
    """Where each home's label goes, busiest first: below its star; when a busier labelled hub is
    close, the northern of the two above and the southern below; None when it is not labelled (too
    small a share of the links, or both places near it taken)."""
    positions: list[str | None] = [None] * len(counts)
    paired: set[int] = set()
    total = counts.sum()
    lat_list, lon_list = lat.tolist(), lon.tolist()
    for home, count in enumerate(counts.tolist()):
        if count < LABEL_MIN_SHARE * total and home:
            break
        near = [
            other
            for other, position in enumerate(positions[:home])
            if position
            and abs(lon_list[home] - lon_list[other]) < LABEL_SPAN_DEGREES[0]
            and abs(lat_list[home] - lat_list[other]) < LABEL_SPAN_DEGREES[1]
        ]
        if not near:
            positions[home] = BELOW
        elif len(near) == 1 and near[0] not in paired:
            other = near[0]
            north = lat_list[home] > lat_list[other]
            positions[home], positions[other] = (ABOVE, BELOW) if north else (BELOW, ABOVE)
            paired.update((home, other))
    return positions


def hub_trace(frame: pd.DataFrame, options: MapOptions, theme: Theme) -> Trace:
    """A star per home shown (the busiest MAX_HUB_MARKERS when there are more), busiest labelled.

    Reads only the home columns, as numpy arrays: selecting rows of the whole frame copies all of it."""
    codes, _ = pd.factorize(frame["home_id"])
    counts = np.bincount(codes)
    first_row = np.full(len(counts), len(codes))
    np.minimum.at(first_row, codes, np.arange(len(codes)))
    busiest = np.argsort(-counts, kind="stable")[:MAX_HUB_MARKERS]
    rows = first_row[busiest]
    lon, lat = frame["home_lon"].to_numpy(np.float32)[rows], frame["home_lat"].to_numpy(np.float32)[rows]
    names = [
        escape(localized(name, name_zh, options.lang))
        for name, name_zh in zip(
            frame["home"].to_numpy()[rows].tolist(), frame["home_zh"].to_numpy()[rows].tolist(), strict=True
        )
    ]
    positions = label_positions(lat, lon, counts[busiest])
    trace = hub_template(options, theme)
    trace.update(
        lon=lon,
        lat=lat,
        text=[name if position else "" for name, position in zip(names, positions, strict=True)],
        textposition=[position or BELOW for position in positions],
        hovertext=names,
    )
    return trace


def hub_template(options: MapOptions, theme: Theme) -> Trace:
    return scattergeo(
        name=t("legend_hubs", options.lang),
        legend=KEY_LEGEND,
        legendrank=HUB_LEGEND_RANK,
        mode="markers+text",
        textfont={"size": 13 * theme.marker_scale, "color": theme.hub},
        marker={
            "size": 14 * theme.marker_scale,
            "symbol": "star",
            "color": theme.hub,
            "line": {"width": 1, "color": theme.paper},
        },
        hoverinfo="text",
    )


def focus_traces(atlas: Atlas, options: MapOptions, theme: Theme) -> list[Trace]:
    if not options.focus or options.focus not in atlas.partnership_positions:
        return []
    chosen = seen_from(atlas.partnerships.iloc[[atlas.partnership_positions[options.focus]]], options.home)
    lon, lat = link_arrays(chosen)
    return [
        scattergeo(
            lon=lon,
            lat=lat,
            mode="lines",
            line={"width": 3.5 * theme.marker_scale, "color": theme.focus},
            hoverinfo="skip",
            showlegend=False,
        ),
        scattergeo(
            lon=chosen["lon"].to_numpy(np.float32),
            lat=chosen["lat"].to_numpy(np.float32),
            mode="markers",
            marker={
                "size": 24 * theme.marker_scale,
                "symbol": "circle-open",
                "color": theme.focus,
                "line": {"width": 3},
            },
            customdata=chosen["id"].tolist(),
            hovertext=partner_hover(chosen, options.lang).tolist(),
            hoverinfo="text",
            showlegend=False,
        ),
    ]


def map_centre(atlas: Atlas, home: str) -> float:
    """Longitude the map is rotated to: the hub's, or for all hubs the middle of every home."""
    if home != HUB_ALL:
        rows = hub_rows(atlas, home)
        if len(rows):
            return float(seen_from(atlas.partnerships.iloc[rows], home)["home_lon"].median())
    homes = atlas.homes
    return float(homes["lon"].median()) if len(homes) else 0.0


def geo_layout(centre: float, theme: Theme) -> dict[str, Any]:
    """The world in the Natural Earth projection, turned to `centre` (a longitude), in the theme's colours."""
    return {
        "projection": {"type": "natural earth", "rotation": {"lon": centre}},
        "showcountries": True,
        "countrycolor": theme.border,
        "showcoastlines": True,
        "coastlinecolor": theme.coast,
        "showland": True,
        "landcolor": theme.land,
        "showocean": True,
        "oceancolor": theme.ocean,
        "showframe": False,
        "showlakes": True,
        "lakecolor": theme.ocean,
        "subunitcolor": theme.paper,
        "bgcolor": theme.paper,
        "lataxis": {"range": [-58, 84]},
        "lonaxis": {"range": [centre - 180, centre + 180]},
    }


def map_layout(atlas: Atlas, options: MapOptions, theme: Theme) -> dict[str, Any]:
    centre = map_centre(atlas, options.home)
    font_size = theme.font_size
    legend_style = {
        "orientation": "h",
        "bgcolor": "rgba(0,0,0,0)",
        "itemsizing": "constant",
        "font": {"size": font_size + 2 if options.present else max(LEGEND_MIN_FONT, font_size - 2)},
        "itemclick": False,
        "itemdoubleclick": False,
    }
    layout: dict[str, Any] = {
        "geo": geo_layout(centre, theme),
        "margin": {
            "l": 0,
            "r": 0,
            "t": (0 if options.present else KEY_HEIGHT) + (50 if options.title else 0),
            "b": (90 if options.source_line else 60) + (KEY_HEIGHT_PRESENT if options.present else 0),
        },
        "paper_bgcolor": theme.paper,
        "font": {"color": theme.text, "size": font_size, "family": FONT_FAMILY},
        # Two keys, each on one line: what a marker's colour means under the map, what the lines
        # and stars are above it (one legend for both wrapped into ragged columns at 1400 px).
        "legend": {
            **legend_style,
            "x": 0.5,
            "y": 0,
            "xanchor": "center",
            "yanchor": "top",
            "title": {"text": f"{t('established', options.lang)}:", "side": "left", "font": legend_style["font"]},
        },
        # Plotly hides a legend it thinks too small to need (a single decade on the map, or one
        # kind of link): the keys explain the map's styles, so they always show.
        "showlegend": True,
        "hoverlabel": {"font": {"size": font_size}, "align": "left"},
        "hovermode": "closest",
        # Plotly's default template (6.5 KB) would travel with every slider step; the few settings
        # of it that the map uses are spelled out here instead.
        "template": {},
        # Zoom and pan survive year and sector changes; a new hub or language resets the view.
        "uirevision": f"{options.home}|{options.lang}",
        "dragmode": "pan",
    }
    if options.present:
        # Under the decades, at the foot of the figure: the top right holds the big year.
        key_place = {"x": 0.5, "xanchor": "center", "yref": "container", "y": 0, "yanchor": "bottom"}
    else:
        key_place = {"x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom"}
    layout[KEY_LEGEND] = {**legend_style, **key_place}
    if options.title:
        layout["title"] = {"text": escape(options.title), "x": 0.5, "font": {"size": font_size + 8}}
    if options.source_line:
        layout["annotations"] = [
            {
                "text": escape(options.source_line),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "xanchor": "right",
                "yanchor": "top",
                "yshift": -6,
                "font": {"size": font_size - 2},
            }
        ]
    return layout


def map_figure(atlas: Atlas, frame: pd.DataFrame, options: MapOptions) -> Figure:
    """The map of `frame` (as filtered and seen from the hub by atlas.filters)."""
    theme = theme_for(options.contrast, options.present)
    traces = link_traces(frame, options, theme)
    traces += partner_traces(frame, options, theme)
    if len(frame):
        traces.append(hub_trace(frame, options, theme))
    traces += focus_traces(atlas, options, theme)
    return {"data": [encode_arrays(trace) for trace in traces], "layout": map_layout(atlas, options, theme)}


def chart_figure(trace: Trace, title: str, contrast: bool) -> Figure:
    """A small chart of the statistics panel: one trace, the theme's colours.

    A plain figure dict like the map, without Plotly's 6.5 KB default template: four of these are
    sent on every slider step. The few settings of the template the charts show are spelled out."""
    theme = theme_for(contrast)
    # A quarter of the page wide: the projector theme's larger type would skip labels and clip titles.
    font_size = min(theme.font_size, CHART_MAX_FONT)
    axis = {"gridcolor": theme.border, "linecolor": theme.border, "zeroline": False, "automargin": True}
    layout = {
        "title": {"text": escape(title), "x": 0, "font": {"size": font_size + 2}},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "paper_bgcolor": theme.paper,
        "plot_bgcolor": theme.paper,
        "font": {"color": theme.text, "size": font_size, "family": FONT_FAMILY},
        "showlegend": False,
        "height": 280,
        "template": {},
        "xaxis": axis,
        "yaxis": axis,
    }
    return {"data": [encode_arrays(trace)], "layout": layout}


def bar(counts: pd.Series, labels: list[str], colour: str | list[str]) -> Trace:
    labels = [escape(str(label)) for label in labels]
    return {"type": "bar", "x": counts.to_numpy(), "y": labels, "orientation": "h", "marker": {"color": colour}}


def growth_figure(frame: pd.DataFrame, first_year: int, year: int, lang: str, contrast: bool = False) -> Figure:
    years = np.arange(first_year, year + 1)
    per_year = frame["year"].dropna().astype(int).value_counts().reindex(years, fill_value=0)
    trace = {
        "type": "scatter",
        "x": years,
        "y": per_year.cumsum().to_numpy(),
        "mode": "lines",
        "fill": "tozeroy",
        "line": {"color": "#c83c28", "shape": "hv"},
    }
    return chart_figure(trace, t("growth", lang), contrast)


def continent_figure(frame: pd.DataFrame, lang: str, contrast: bool = False) -> Figure:
    counts = frame["continent"].value_counts().sort_values()
    trace = bar(counts, [continent_label(name, lang) for name in counts.index], "#2b8cbe")
    return chart_figure(trace, t("by_continent", lang), contrast)


def country_figure(frame: pd.DataFrame, lang: str, contrast: bool = False, top: int = 10) -> Figure:
    counts = frame["country"].value_counts().head(top).sort_values()
    trace = bar(counts, [country_label(code, lang) for code in counts.index], "#6a51a3")
    return chart_figure(trace, t("by_country", lang), contrast)


def exchanges_by_sector(atlas: Atlas, frame: pd.DataFrame, year: int) -> pd.Series:
    """Exchanges per sector among the shown partnerships up to `year` (undated ones at the latest year)."""
    events = atlas.events[atlas.events["partnership_id"].isin(frame["id"])]
    events = events[events["year"].fillna(atlas.last_year) <= year]
    return events["sector_list"].explode().dropna().value_counts()


def sector_figure(atlas: Atlas, frame: pd.DataFrame, year: int, lang: str, contrast: bool = False) -> Figure:
    counts = exchanges_by_sector(atlas, frame, year).sort_values()
    labels = atlas.sectors.set_index("sector")["label_zh" if lang == "zh" else "label_en"]
    trace = bar(
        counts,
        [labels.get(name, name) for name in counts.index],
        [sector_colour(name) for name in counts.index],
    )
    return chart_figure(trace, t("by_sector", lang), contrast)


BRIEF_MAP_SIZE = (360, 200)  # CSS pixels: a quarter of an A4 page's width


def brief_map_figure(row: pd.Series, lang: str) -> Figure:
    """The small map of a partner brief: the world turned to the pair, the link, home and partner named."""
    theme = theme_for(False)
    lons = np.array([row["home_lon"], row["lon"]], dtype=np.float32)
    lats = np.array([row["home_lat"], row["lat"]], dtype=np.float32)
    located = bool(np.isfinite(lons).all() and np.isfinite(lats).all())
    # The middle of the two longitudes the short way round, so that a link across the Pacific stays whole.
    gap = (float(lons[1] - lons[0]) + 180) % 360 - 180 if located else 0.0
    centre = float(lons[0]) + gap / 2 if located else float(np.nan_to_num(lons[0]))
    names = [
        escape(localized(row["home"], row["home_zh"], lang)),
        escape(localized(row["partner"], row["partner_zh"], lang)),
    ]
    traces = []
    if located:
        traces.append(
            scattergeo(lon=lons, lat=lats, mode="lines", line={"width": 2, "color": theme.hub}, hoverinfo="skip")
        )
    for position, symbol, size in ((0, "star", 12), (1, "circle", 9)):
        if np.isfinite(lons[position]) and np.isfinite(lats[position]):
            traces.append(
                scattergeo(
                    lon=lons[position : position + 1],
                    lat=lats[position : position + 1],
                    mode="markers+text",
                    text=[names[position]],
                    textposition=BELOW if lats[position] <= lats[1 - position] or not located else ABOVE,
                    textfont={"size": 11, "color": theme.text},
                    marker={
                        "size": size,
                        "symbol": symbol,
                        "color": theme.hub,
                        "line": {"width": 1, "color": theme.paper},
                    },
                    hoverinfo="skip",
                )
            )
    width, height = BRIEF_MAP_SIZE
    layout = {
        "geo": geo_layout(centre, theme),
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "width": width,
        "height": height,
        "paper_bgcolor": theme.paper,
        "font": {"color": theme.text, "size": 11, "family": FONT_FAMILY},
        "showlegend": False,
        "template": {},
    }
    return {"data": [encode_arrays(trace) for trace in traces], "layout": layout}
