"""The map of a hub for every year and sector at once: what the browser filters as the slider moves.

A slider step, a sector or playback redraws the map in the browser (assets/atlas-map.js) without
asking the server: the hub's links come once, with their years, sectors, hover texts and styles,
and the browser keeps those shown by the year and sectors, clusters crowded partners and stars
the busiest hubs the way `atlas.figures.map_figure` does (a browser test compares the two).

Everything the browser needs to decide is here, computed by the same functions as the server's
figure: the trace templates, the per-link values and the rules (cluster cells, label spacing,
line weights), and presentation mode's milestone caption of each year. Arrays travel as plotly.js
typed arrays, like the figure's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from slugify import slugify

from atlas.activity import CODED, status_by_year
from atlas.dates import display_date
from atlas.figures import (
    ABOVE,
    BELOW,
    CIRCLE,
    CLUSTER_CELL_DEGREES,
    CLUSTER_SIZE,
    CLUSTER_THRESHOLD,
    DENSE_LINKS,
    HOVER_COLUMNS,
    LABEL_MIN_SHARE,
    LABEL_SPAN_DEGREES,
    LINK_LEGEND_RANK,
    MAX_CLUSTER_SIZE,
    MAX_HUB_MARKERS,
    MAX_MARKER_CELLS,
    MAX_NAMES_IN_CLUSTER_HOVER,
    MIN_LINK_OPACITY,
    MIN_LINK_WIDTH,
    OPEN_CIRCLE,
    OUTLINE_WIDTH,
    UNCONFIRMED_OUTLINE_WIDTH,
    MapOptions,
    cluster_template,
    decade_template,
    encode_arrays,
    escape,
    focus_traces,
    hover_texts,
    hub_template,
    link_fades,
    link_templates,
    map_layout,
    marker_sizes,
)
from atlas.filters import ViewState, hub_partnerships, official_counts
from atlas.i18n import localized, t
from atlas.load import Atlas
from atlas.theme import DECADE_COLOURS, Theme, theme_for
from atlas.views import caption_texts, hub_name

NOT_DRAWN = 255  # the decade index of a partner no decade trace draws (a decade outside the key)


def codes(values: np.ndarray) -> np.ndarray:
    """Small non-negative integers in the narrowest typed array that holds them (bytes on the wire)."""
    return values.astype(np.uint16 if not len(values) or values.max() < 2**16 else np.int32)


def link_columns(frame: pd.DataFrame, lang: str, theme: Theme) -> dict[str, Any]:
    """One value per link, in the frame's order: where, when, how it looks, what its hover says.

    The home's place is its row of `home_table`; a partner's name for a cluster's hover is the
    start of its own hover text (`<b>name</b>`, escaped), so neither is sent twice."""
    decade_index = {name: number for number, name in enumerate(DECADE_COLOURS)}
    homes, _ = pd.factorize(frame["home_id"])
    countries, _ = pd.factorize(frame["country"])
    return {
        "year": frame["year_drawn"].to_numpy(np.int16),
        "undated": frame["year"].isna().to_numpy(np.uint8),
        "country": codes(countries),
        "home": codes(homes),
        "lon": frame["lon"].to_numpy(np.float32),
        "lat": frame["lat"].to_numpy(np.float32),
        "unconfirmed": frame["unconfirmed"].to_numpy(np.uint8),
        "lesser": frame["lesser"].to_numpy(np.uint8),
        "decade": np.array([decade_index.get(name, NOT_DRAWN) for name in frame["decade"]], dtype=np.uint8),
        "size": marker_sizes(frame["exchanges"].to_numpy(), theme).astype(np.float32),
        "id": frame["id"].tolist(),
        "hover": hover_texts({name: frame[name].to_numpy() for name in HOVER_COLUMNS}, lang),
    }


def home_table(frame: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The homes the links start from, in the order of `link_columns`' `home` codes."""
    codes, _ = pd.factorize(frame["home_id"])
    first_rows = np.unique(codes, return_index=True)[1] if len(codes) else np.array([], dtype=np.intp)
    rows = frame.iloc[first_rows]
    return {
        "lon": rows["home_lon"].to_numpy(np.float32),
        "lat": rows["home_lat"].to_numpy(np.float32),
        "name": [
            escape(localized(name, name_zh, lang))
            for name, name_zh in zip(rows["home"].tolist(), rows["home_zh"].tolist(), strict=True)
        ],
    }


def sector_reach(atlas: Atlas, frame: pd.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """For each sector, the links that had an exchange in it and the first year they did."""
    position = pd.Series(np.arange(len(frame)), index=frame["id"].to_numpy())
    reached = atlas.sector_years[atlas.sector_years["partnership_id"].isin(position.index)]
    return {
        sector: {
            "link": codes(position.loc[rows["partnership_id"]].to_numpy()),
            "year": rows["year"].to_numpy(np.int16),
        }
        for sector, rows in reached.groupby("sector", sort=False)
    }


def base_map(atlas: Atlas) -> dict[str, Any]:
    """The default view's world map without its links: the page draws it (and fetches the world's
    outlines) while the links are on their way, instead of an empty chart first."""
    return {"data": [], "layout": map_layout(atlas, MapOptions(), theme_for(False, False))}


def map_source(atlas: Atlas, state: ViewState) -> dict[str, Any]:
    """Everything the browser needs to draw `state`'s hub for any year, sectors and activity."""
    options = MapOptions(
        lang=state.lang, home=state.home, focus=state.focus, contrast=state.contrast, present=state.present
    )
    theme = theme_for(options.contrast, options.present)
    frame = hub_partnerships(atlas, state.home, state.unconfirmed)
    return {
        "years": [atlas.first_year, atlas.last_year],
        "sectorNames": atlas.sectors["sector"].tolist(),
        "links": encode_arrays(link_columns(frame, state.lang, theme)),
        "homes": encode_arrays(home_table(frame, state.lang)),
        "sectors": {name: encode_arrays(reach) for name, reach in sector_reach(atlas, frame).items()},
        # Each link's status in each year, links by years, numbered as in `statuses` (atlas.activity).
        "activity": encode_arrays(
            {"status": status_by_year(atlas, frame, atlas.first_year, atlas.last_year), "statuses": list(CODED)}
        ),
        "layout": map_layout(atlas, options, theme),
        "templates": {
            "links": link_templates(options, theme),
            "decades": [decade_template(name, options, theme) for name in DECADE_COLOURS],
            "cluster": cluster_template(options, theme),
            "hub": hub_template(options, theme),
        },
        "focus": [encode_arrays(trace) for trace in focus_traces(atlas, options, theme)],
        "rules": {
            "linkWidth": theme.link_width,
            "linkFades": link_fades(theme),
            "dormantOpacity": theme.dormant_opacity,
            "linkLegendRank": LINK_LEGEND_RANK,
            "denseLinks": DENSE_LINKS,
            "minLinkWidth": MIN_LINK_WIDTH,
            "minLinkOpacity": MIN_LINK_OPACITY,
            "paper": theme.paper,
            "symbols": [CIRCLE, OPEN_CIRCLE],
            "outlineWidths": [OUTLINE_WIDTH, UNCONFIRMED_OUTLINE_WIDTH],
            "clusterThreshold": CLUSTER_THRESHOLD,
            "cellDegrees": list(CLUSTER_CELL_DEGREES),
            "maxCells": MAX_MARKER_CELLS,
            "clusterSize": [*CLUSTER_SIZE, MAX_CLUSTER_SIZE],
            "markerScale": theme.marker_scale,
            "maxNames": MAX_NAMES_IN_CLUSTER_HOVER,
            "clusterTitle": t("cluster", state.lang),
            "maxHubs": MAX_HUB_MARKERS,
            "labelMinShare": LABEL_MIN_SHARE,
            "labelSpan": list(LABEL_SPAN_DEGREES),
            "above": ABOVE,
            "below": BELOW,
        },
        "words": {
            "zh": state.lang == "zh",
            **{key: t(key, state.lang) for key in ("partnership", "partnerships", "country", "countries")},
            "undatedPrefix": t("undated_prefix", state.lang),
            "undatedSuffix": t("undated_suffix", state.lang),
            "officialCount": t("official_count", state.lang),
            "unconfirmedCount": t("unconfirmed_count", state.lang),
            "lesserCount": t("lesser_count", state.lang),
            "lesserCountOne": t("lesser_count_one", state.lang),
        },
        # [year, count, the date as written] of each official count, oldest first: the summary sets
        # the latest one up to the year shown beside the ties drawn.
        "official": [
            [count.year, count.value, display_date(count.date, state.lang)]
            for count in official_counts(atlas, state.home)
        ],
        "export": {
            "title": f"{t('title', state.lang)} · {hub_name(atlas, state.home, state.lang)}",
            "file": slugify(f"sister-city-atlas-{state.home}"),
            "source": escape(t("source_line", state.lang)),
        },
        "captions": caption_texts(atlas, state.home, state.lang),
    }
