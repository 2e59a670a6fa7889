"""Pure figure builders: (frame, options) -> go.Figure, tested without a browser.

The map sends two endpoints per link with a gap between links; Plotly's geo projection draws each
segment as a great circle itself, so nothing is interpolated here. Coordinates travel as float32
numpy arrays, which Plotly encodes as compact typed arrays.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas.i18n import continent_label, country_label, t
from atlas.load import HUB_ALL, Atlas
from atlas.theme import DECADE_COLOURS, Theme, decade_colour, sector_colour, theme_for

# Above this many partner markers, markers that share a map cell are drawn as one counted cluster.
CLUSTER_THRESHOLD = 300
CLUSTER_CELL_DEGREES = 2.0
MAX_NAMES_IN_CLUSTER_HOVER = 8
# Hubs labelled on the map: those with a real share of the links, and none on top of another.
LABEL_MIN_SHARE = 0.1
# Legend order: decades first (under the legend title), then hubs, then the two kinds of link.
HUB_LEGEND_RANK = 100
LINK_LEGEND_RANK = 200
LABEL_MIN_DEGREES = 2.0
FONT_FAMILY = "Atlas Sans, Noto Sans, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


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


def escape(values: pd.Series) -> pd.Series:
    """Plotly reads a few HTML tags in hover text; data is shown literally, never as markup."""
    return values.astype(str).map(html.escape)


def link_arrays(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """lon/lat arrays of [home, partner, gap] per link."""
    count = len(frame)
    lon = np.full(count * 3, np.nan, dtype=np.float32)
    lat = np.full(count * 3, np.nan, dtype=np.float32)
    lon[0::3], lon[1::3] = frame["home_lon"].to_numpy(np.float32), frame["lon"].to_numpy(np.float32)
    lat[0::3], lat[1::3] = frame["home_lat"].to_numpy(np.float32), frame["lat"].to_numpy(np.float32)
    return lon, lat


def decade_name(decade: str, lang: str) -> str:
    if decade == "unknown":
        return t("date_unknown", lang)
    return f"{decade[:4]}年代" if lang == "zh" else decade


def partner_hover(frame: pd.DataFrame, lang: str) -> pd.Series:
    names = escape(frame["partner"])
    if lang == "zh":
        names = escape(frame["partner_zh"].where(frame["partner_zh"] != "", frame["partner"]))
    countries = frame["country"].map(lambda code: country_label(code, lang))
    relations = escape(frame["relation_zh"].where((frame["relation_zh"] != "") & (lang == "zh"), frame["relation"]))
    years = frame["established"].where(frame["established"] != "", t("date_unknown", lang))
    homes = escape(frame["home_zh"].where((frame["home_zh"] != "") & (lang == "zh"), frame["home"]))
    return (
        "<b>"
        + names
        + "</b> ("
        + countries
        + ")<br>"
        + relations
        + " · "
        + years
        + "<br>"
        + homes
        + " · "
        + frame["exchanges"].astype(str)
        + " "
        + t("exchanges", lang)
    )


def marker_sizes(frame: pd.DataFrame, theme: Theme) -> np.ndarray:
    return ((7 + 3.0 * np.sqrt(frame["exchanges"].to_numpy(dtype=float))) * theme.marker_scale).round(1)


def cluster_cells(frame: pd.DataFrame) -> pd.Series:
    cell_lat = np.floor(frame["lat"] / CLUSTER_CELL_DEGREES).astype(int)
    cell_lon = np.floor(frame["lon"] / CLUSTER_CELL_DEGREES).astype(int)
    return cell_lat.astype(str) + ":" + cell_lon.astype(str)


def partner_traces(frame: pd.DataFrame, options: MapOptions, theme: Theme) -> list[go.Scattergeo]:
    traces = []
    singles, clusters = frame, frame.iloc[0:0]
    if len(frame) > options.cluster_threshold:
        cells = cluster_cells(frame)
        crowded = cells.map(cells.value_counts()) > 1
        singles, clusters = frame[~crowded], frame[crowded]
    hover = partner_hover(singles, options.lang)
    for decade in [name for name in DECADE_COLOURS if name in set(singles["decade"])]:
        part = singles[singles["decade"] == decade]
        low = (part["confidence"] == "low").to_numpy()
        traces.append(
            go.Scattergeo(
                name=decade_name(decade, options.lang),
                legendrank=len(traces) + 1,
                lon=part["lon"].to_numpy(np.float32),
                lat=part["lat"].to_numpy(np.float32),
                mode="markers",
                marker={
                    "size": marker_sizes(part, theme),
                    "color": decade_colour(decade),
                    "symbol": np.where(low, "circle-open", "circle"),
                    "line": {
                        "width": np.where(low, 2, 0.6),
                        "color": np.where(low, decade_colour(decade), theme.paper),
                    },
                    "opacity": 0.95,
                },
                customdata=part["id"].to_numpy(),
                hovertext=hover[part.index].to_numpy(),
                hoverinfo="text",
            )
        )
    if len(clusters):
        traces.append(cluster_trace(clusters, options, theme))
    return traces


def cluster_trace(frame: pd.DataFrame, options: MapOptions, theme: Theme) -> go.Scattergeo:
    names = frame["partner_zh"].where((frame["partner_zh"] != "") & (options.lang == "zh"), frame["partner"])
    grouped = frame.assign(cell=cluster_cells(frame), label=escape(names)).groupby("cell", sort=False)
    summary = grouped.agg(lat=("lat", "mean"), lon=("lon", "mean"), count=("id", "size"), first=("id", "first"))
    shown = grouped["label"].agg(lambda labels: ", ".join(labels.iloc[:MAX_NAMES_IN_CLUSTER_HOVER]))
    more = (summary["count"] - MAX_NAMES_IN_CLUSTER_HOVER).clip(lower=0)
    hover = (
        "<b>"
        + summary["count"].astype(str)
        + " "
        + t("cluster", options.lang)
        + "</b><br>"
        + shown
        + more.map(lambda extra: f" +{extra}" if extra else "")
    )
    return go.Scattergeo(
        name=t("cluster", options.lang).capitalize(),
        lon=summary["lon"].to_numpy(np.float32),
        lat=summary["lat"].to_numpy(np.float32),
        mode="markers+text",
        text=summary["count"].astype(str).to_numpy(),
        textfont={"color": "#ffffff", "size": 10 * theme.marker_scale},
        marker={
            "size": (10 + 4 * np.sqrt(summary["count"].to_numpy(dtype=float))) * theme.marker_scale,
            "color": "#5b3a8e",
            "opacity": 0.85,
            "line": {"width": 1, "color": theme.paper},
        },
        customdata=np.where(summary["count"].to_numpy() == 1, summary["first"].to_numpy(), ""),
        hovertext=hover.to_numpy(),
        hoverinfo="text",
    )


def link_traces(frame: pd.DataFrame, options: MapOptions, theme: Theme) -> list[go.Scattergeo]:
    traces = []
    confident = frame[frame["confidence"] != "low"]
    low = frame[frame["confidence"] == "low"]
    for part, name, colour, dash in (
        (confident, t("legend_links", options.lang), theme.link, "solid"),
        (low, t("legend_low", options.lang), theme.link_low, "dot"),
    ):
        if part.empty:
            continue
        lon, lat = link_arrays(part)
        traces.append(
            go.Scattergeo(
                name=name,
                legendrank=LINK_LEGEND_RANK + len(traces),
                lon=lon,
                lat=lat,
                mode="lines",
                line={"width": theme.link_width, "color": colour, "dash": dash},
                hoverinfo="skip",
            )
        )
    return traces


def labelled_homes(homes: pd.DataFrame, counts: pd.Series) -> set[str]:
    """The busiest homes, skipping any that would sit on the label of a busier one."""
    chosen: list[tuple[float, float]] = []
    names = set()
    located = homes.set_index("home")
    for home, count in counts.items():
        if count < LABEL_MIN_SHARE * counts.sum() and names:
            break
        lat, lon = located.at[home, "lat"], located.at[home, "lon"]
        if all(abs(lat - other_lat) + abs(lon - other_lon) >= LABEL_MIN_DEGREES for other_lat, other_lon in chosen):
            chosen.append((lat, lon))
            names.add(home)
    return names


def hub_trace(atlas: Atlas, frame: pd.DataFrame, options: MapOptions, theme: Theme) -> go.Scattergeo:
    counts = frame["home"].value_counts()
    homes = atlas.homes[atlas.homes["home"].isin(counts.index)]
    names = escape(homes["home_zh"].where((homes["home_zh"] != "") & (options.lang == "zh"), homes["home"]))
    labelled = labelled_homes(homes, counts)
    labels = names.where(homes["home"].isin(labelled), "")
    return go.Scattergeo(
        name=t("legend_hubs", options.lang),
        legendrank=HUB_LEGEND_RANK,
        lon=homes["lon"].to_numpy(np.float32),
        lat=homes["lat"].to_numpy(np.float32),
        mode="markers+text",
        text=labels.to_numpy(),
        textposition="bottom center",
        textfont={"size": 13 * theme.marker_scale, "color": theme.hub},
        marker={
            "size": 14 * theme.marker_scale,
            "symbol": "star",
            "color": theme.hub,
            "line": {"width": 1, "color": theme.paper},
        },
        hovertext=names.to_numpy(),
        hoverinfo="text",
    )


def focus_traces(atlas: Atlas, options: MapOptions, theme: Theme) -> list[go.Scattergeo]:
    if not options.focus:
        return []
    chosen = atlas.partnerships[atlas.partnerships["id"] == options.focus]
    if chosen.empty:
        return []
    lon, lat = link_arrays(chosen)
    return [
        go.Scattergeo(
            lon=lon,
            lat=lat,
            mode="lines",
            line={"width": 3.5 * theme.marker_scale, "color": theme.focus},
            hoverinfo="skip",
            showlegend=False,
        ),
        go.Scattergeo(
            lon=chosen["lon"].to_numpy(np.float32),
            lat=chosen["lat"].to_numpy(np.float32),
            mode="markers",
            marker={
                "size": 24 * theme.marker_scale,
                "symbol": "circle-open",
                "color": theme.focus,
                "line": {"width": 3},
            },
            customdata=chosen["id"].to_numpy(),
            hovertext=partner_hover(chosen, options.lang).to_numpy(),
            hoverinfo="text",
            showlegend=False,
        ),
    ]


def map_centre(atlas: Atlas, home: str) -> float:
    """Longitude the map is rotated to: the hub's, or for all hubs the middle of every home."""
    homes = atlas.homes
    if home != HUB_ALL:
        members = atlas.partnerships[
            (atlas.partnerships["home"] == home) | (atlas.partnerships["home_province"] == home)
        ]
        if len(members):
            return float(members["home_lon"].median())
    return float(homes["lon"].median()) if len(homes) else 0.0


def map_figure(atlas: Atlas, frame: pd.DataFrame, options: MapOptions) -> go.Figure:
    theme = theme_for(options.contrast)
    traces = link_traces(frame, options, theme)
    traces += partner_traces(frame, options, theme)
    if len(frame):
        traces.append(hub_trace(atlas, frame, options, theme))
    traces += focus_traces(atlas, options, theme)
    figure = go.Figure(data=traces)
    centre = map_centre(atlas, options.home)
    figure.update_geos(
        projection_type="natural earth",
        projection_rotation_lon=centre,
        showcountries=True,
        countrycolor=theme.border,
        showcoastlines=True,
        coastlinecolor=theme.coast,
        showland=True,
        landcolor=theme.land,
        showocean=True,
        oceancolor=theme.ocean,
        showframe=False,
        bgcolor=theme.paper,
        lataxis_range=[-58, 84],
        lonaxis_range=[centre - 180, centre + 180],
    )
    font_size = theme.font_size + (4 if options.present else 0)
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 50 if options.title else 0, "b": 90 if options.source_line else 60},
        paper_bgcolor=theme.paper,
        font={
            "color": theme.text,
            "size": font_size,
            "family": FONT_FAMILY,
        },
        legend={
            "orientation": "h",
            "x": 0.5,
            "y": 0,
            "xanchor": "center",
            "yanchor": "top",
            "bgcolor": "rgba(0,0,0,0)",
            "itemsizing": "constant",
            "title": {"text": f"{t('established', options.lang)}:", "side": "left"},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        hoverlabel={"font_size": font_size},
        # Zoom and pan survive year and sector changes; a new hub or language resets the view.
        uirevision=f"{options.home}|{options.lang}",
        dragmode="pan",
    )
    if options.title:
        figure.update_layout(title={"text": html.escape(options.title), "x": 0.5, "font": {"size": font_size + 8}})
    if options.source_line:
        figure.add_annotation(
            text=html.escape(options.source_line),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            xanchor="right",
            yanchor="top",
            yshift=-6,
            font={"size": font_size - 2},
        )
    return figure


def chart_layout(figure: go.Figure, title: str, contrast: bool) -> go.Figure:
    theme = theme_for(contrast)
    figure.update_layout(
        title={"text": html.escape(title), "x": 0, "font": {"size": theme.font_size + 2}},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        paper_bgcolor=theme.paper,
        plot_bgcolor=theme.paper,
        font={"color": theme.text, "size": theme.font_size},
        showlegend=False,
        height=280,
    )
    figure.update_xaxes(gridcolor=theme.border, automargin=True)
    figure.update_yaxes(gridcolor=theme.border, automargin=True)
    return figure


def growth_figure(frame: pd.DataFrame, first_year: int, year: int, lang: str, contrast: bool = False) -> go.Figure:
    years = np.arange(first_year, year + 1)
    per_year = frame["year"].dropna().astype(int).value_counts().reindex(years, fill_value=0)
    figure = go.Figure(
        go.Scatter(
            x=years,
            y=per_year.cumsum().to_numpy(),
            mode="lines",
            line_shape="hv",
            fill="tozeroy",
            line={"color": "#c83c28"},
        )
    )
    return chart_layout(figure, t("growth", lang), contrast)


def continent_figure(frame: pd.DataFrame, lang: str, contrast: bool = False) -> go.Figure:
    counts = frame["continent"].value_counts().sort_values()
    figure = go.Figure(
        go.Bar(
            x=counts.to_numpy(),
            y=[continent_label(name, lang) for name in counts.index],
            orientation="h",
            marker_color="#2b8cbe",
        )
    )
    return chart_layout(figure, t("by_continent", lang), contrast)


def country_figure(frame: pd.DataFrame, lang: str, contrast: bool = False, top: int = 10) -> go.Figure:
    counts = frame["country"].value_counts().head(top).sort_values()
    figure = go.Figure(
        go.Bar(
            x=counts.to_numpy(),
            y=[country_label(code, lang) for code in counts.index],
            orientation="h",
            marker_color="#6a51a3",
        )
    )
    return chart_layout(figure, t("by_country", lang), contrast)


def exchanges_by_sector(atlas: Atlas, frame: pd.DataFrame, year: int) -> pd.Series:
    """Exchanges per sector among the shown partnerships up to `year` (undated ones at the latest year)."""
    events = atlas.events[atlas.events["partnership_id"].isin(frame["id"])]
    events = events[events["year"].fillna(atlas.last_year) <= year]
    return events["sector_list"].explode().dropna().value_counts()


def sector_figure(atlas: Atlas, frame: pd.DataFrame, year: int, lang: str, contrast: bool = False) -> go.Figure:
    counts = exchanges_by_sector(atlas, frame, year).sort_values()
    labels = atlas.sectors.set_index("sector")["label_zh" if lang == "zh" else "label_en"]
    figure = go.Figure(
        go.Bar(
            x=counts.to_numpy(),
            y=[labels.get(name, name) for name in counts.index],
            orientation="h",
            marker_color=[sector_colour(name) for name in counts.index],
        )
    )
    return chart_layout(figure, t("by_sector", lang), contrast)
