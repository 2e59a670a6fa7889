"""The page: header controls, the map with its timeline, filters, story, statistics and table."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from atlas.activity import STATUSES, rule_text
from atlas.filters import PLAY_SPEEDS, default_state, year_queries
from atlas.i18n import t
from atlas.load import HUB_ALL, Atlas
from atlas.map_source import base_map, map_source
from atlas.spreadsheet import table_csv_params
from atlas.views import TABLE_COLUMNS, UNCONFIRMED_SHOWN, hub_options
from layouts import ids
from layouts.ids import label

PLAY_INTERVAL_MS = 1000  # a year a second at 1×
TABLE_HEIGHT = "520px"


def text(key: str, tag: type = html.Span, **kwargs: object) -> html.Component:
    """A translated text element; the language callback rewrites every one of them."""
    return tag(t(key, "en"), id=label(key), **kwargs)


def year_marks(first: int, last: int) -> dict[int, str]:
    step = 10 if last - first > 30 else 5
    marks = {year: str(year) for year in range(first - first % step + step, last, step) if year - first >= step / 2}
    marks[first] = str(first)
    marks[last] = str(last)
    return dict(sorted(marks.items()))


def header(atlas: Atlas) -> html.Header:
    return html.Header(
        className="topbar",
        children=[
            html.Div(
                className="brand",
                children=[text("title", html.H1), text("tagline", html.Span, className="tagline")],
            ),
            html.Div(
                className="pickers",
                children=[
                    html.Label(
                        [text("hub", html.Span, className="picker-label"), hub_dropdown(atlas)], className="picker"
                    ),
                    html.Div(compare_dropdown(atlas), className="picker compare"),
                    html.Div(
                        dcc.Dropdown(
                            id=ids.PARTNER_SEARCH, options=[], placeholder=t("search_partner", "en"), clearable=True
                        ),
                        className="picker search",
                    ),
                ],
            ),
            html.Div(
                className="actions",
                children=[
                    html.Button(t("language", "en"), id=ids.LANG_TOGGLE, className="action", lang="zh"),
                    html.Button(t("contrast", "en"), id=ids.CONTRAST_TOGGLE, className="action"),
                    html.Button(t("present", "en"), id=ids.PRESENT_TOGGLE, className="action primary"),
                    html.Button(t("export_png", "en"), id=ids.PNG_BUTTON, className="action"),
                    html.Button(t("export_html", "en"), id=ids.HTML_BUTTON, className="action"),
                    video_button(atlas),
                    html.Button(t("print", "en"), id=ids.PRINT_BUTTON, className="action"),
                ],
            ),
        ],
    )


def video_button(atlas: Atlas) -> html.Button:
    """Export video, at the playback speed; the data without dates has no growth to play."""
    return html.Button(t("export_video", "en"), id=ids.VIDEO_BUTTON, className="action", disabled=not atlas.has_dates)


def compare_dropdown(atlas: Atlas) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=ids.COMPARE_SELECT,
        options=hub_options(atlas, "en", None, None)[1:],
        value=None,
        placeholder=t("compare_with", "en"),
        clearable=True,
        searchable=True,
    )


def activity_options(lang: str) -> list[dict[str, str]]:
    """All ties, or those of one status; the empty value is all of them."""
    return [{"label": t("activity_all", lang), "value": ""}] + [
        {"label": t(f"activity_{status}", lang), "value": status} for status in STATUSES
    ]


def activity_card(atlas: Atlas) -> html.Section:
    return html.Section(
        className="card activity-card",
        children=[
            html.H2(text("activity"), id=ids.ACTIVITY_HEADING),
            html.Div(
                dcc.RadioItems(
                    id=ids.ACTIVITY_FILTER,
                    options=activity_options("en"),
                    value="",
                    inline=True,
                    className="activity-filter",
                    inputClassName="activity-box",
                ),
                role="radiogroup",
                **{"aria-labelledby": ids.ACTIVITY_HEADING},
            ),
            html.P(rule_text("en"), id=ids.ACTIVITY_RULE, className="hint"),
        ],
    )


def hub_dropdown(atlas: Atlas) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=ids.HOME_SELECT,
        options=hub_options(atlas, "en", None, None),
        value=HUB_ALL,
        clearable=False,
        searchable=True,
    )


def timeline(atlas: Atlas) -> html.Div:
    return html.Div(
        className="timeline",
        children=[
            html.Button(
                "▶",
                id=ids.PLAY,
                className="play",
                title=t("play", "en"),
                disabled=not atlas.has_dates,
                **{"aria-label": t("play", "en")},
            ),
            # The slider's thumb is named by this (assets/accessibility.js): dcc.Slider takes no name.
            html.Span(text("year"), id=ids.YEAR_SLIDER_NAME, className="visually-hidden"),
            html.Div(
                dcc.Slider(
                    id=ids.YEAR_SLIDER,
                    min=atlas.first_year,
                    max=atlas.last_year,
                    step=1,
                    value=atlas.last_year,
                    marks=year_marks(atlas.first_year, atlas.last_year),
                    disabled=not atlas.has_dates,
                    allow_direct_input=False,
                ),
                className="slider",
            ),
            html.Div(str(atlas.last_year), id=ids.YEAR_LABEL, className="year-label"),
            html.Div(
                className="speed",
                role="radiogroup",
                **{"aria-labelledby": ids.PLAY_SPEED_NAME},
                children=[
                    html.Span(text("speed"), id=ids.PLAY_SPEED_NAME, className="speed-label"),
                    dcc.RadioItems(
                        id=ids.PLAY_SPEED,
                        options=[
                            {"label": f"{speed}×", "value": speed, "disabled": not atlas.has_dates}
                            for speed in PLAY_SPEEDS
                        ],
                        value=PLAY_SPEEDS[0],
                        inline=True,
                        className="speed-choices",
                    ),
                ],
            ),
            html.Div(t("no_dates", "en") if not atlas.has_dates else "", id=ids.TIMELINE_NOTE, className="idle-note"),
            dcc.Interval(id=ids.PLAY_TIMER, interval=PLAY_INTERVAL_MS, disabled=True),
        ],
    )


def map_panel(atlas: Atlas, graph_config: dict) -> html.Section:
    """The map of the hub, and beside it (with `compare=`) the second hub's map: one timeline for both."""
    return html.Section(
        id=ids.MAP_PANEL,
        className="map-panel",
        children=[
            html.Div(
                className="maps",
                children=[
                    html.Div(
                        className="map-column",
                        children=[
                            html.Div(id=ids.MAP_NAME, className="map-name compare-only"),
                            html.Div(id=ids.SUMMARY, className="summary", role="status"),
                            html.Div(
                                className="map-wrap",
                                children=[
                                    dcc.Graph(
                                        id=ids.MAP,
                                        figure=base_map(atlas),
                                        config=graph_config,
                                        className="map",
                                        responsive=True,
                                    ),
                                    html.Div(id=ids.PRESENT_YEAR, className="present-year"),
                                    html.Div(id=ids.MILESTONE_CAPTION, className="milestone-caption", role="status"),
                                    html.Button(
                                        "×",
                                        id=ids.PRESENT_EXIT,
                                        className="present-exit",
                                        title=t("leave_present", "en"),
                                        **{"aria-label": t("leave_present", "en")},
                                    ),
                                ],
                            ),
                        ],
                    ),
                    html.Div(
                        id=ids.MAP_COMPARE_COLUMN,
                        className="map-column compare-column",
                        children=[
                            html.Div(id=ids.MAP_COMPARE_NAME, className="map-name"),
                            html.Div(id=ids.SUMMARY_COMPARE, className="summary", role="status"),
                            html.Div(
                                dcc.Graph(id=ids.MAP_COMPARE, config=graph_config, className="map", responsive=True),
                                className="map-wrap",
                            ),
                        ],
                    ),
                ],
            ),
            timeline(atlas),
        ],
    )


def unconfirmed_options(lang: str) -> list[dict[str, str]]:
    return [{"label": t("show_unconfirmed", lang), "value": UNCONFIRMED_SHOWN[0]}]


def side_panel(atlas: Atlas) -> html.Aside:
    return html.Aside(
        className="side",
        children=[
            activity_card(atlas),
            html.Section(
                className="card sectors",
                children=[
                    html.H2(text("sectors"), id=ids.SECTORS_HEADING),
                    html.Div(
                        dcc.Checklist(
                            id=ids.SECTOR_FILTER,
                            options=[
                                {"label": row.label_en, "value": row.sector}
                                for row in atlas.sectors.itertuples(index=False)
                            ],
                            value=[],
                            className="sector-list",
                            inputClassName="sector-box",
                        ),
                        role="group",
                        **{"aria-labelledby": ids.SECTORS_HEADING},
                    ),
                    text("sectors_hint", html.P, className="hint"),
                    dcc.Checklist(
                        id=ids.UNCONFIRMED_TOGGLE,
                        options=unconfirmed_options("en"),
                        value=list(UNCONFIRMED_SHOWN),
                        className="unconfirmed-toggle",
                        inputClassName="sector-box",
                    ),
                    html.P(
                        t("no_sectors", "en") if not atlas.has_sectors else "",
                        id=ids.SECTOR_NOTE,
                        className="idle-note",
                    ),
                ],
            ),
            html.Section(className="card story", children=[html.Div(id=ids.DETAILS, className="details")]),
        ],
    )


def quiet_section() -> html.Section:
    """Ties gone quiet, each entry a button to the tie's story. The browser draws the list from its
    data (callbacks/activity.py): as Dash components, its few hundred elements slowed every slider step,
    since each step's store updates visit every component of the page."""
    return html.Section(
        className="quiet-section",
        children=[
            text("gone_quiet", html.H2),
            html.Div(id=ids.GONE_QUIET),
            dcc.Store(id=ids.QUIET_LIST, data=None),
            dcc.Store(id=ids.QUIET_OPEN, data=None),
        ],
        **{"aria-live": "polite"},
    )


def chart(component_id: str) -> dcc.Graph:
    return dcc.Graph(id=component_id, config={"displayModeBar": False, "responsive": True}, className="chart")


def statistics() -> html.Section:
    """The hub's charts; with `compare=` the second hub's beside them, each half under its hub's name."""
    return html.Section(
        id=ids.STATS,
        className="stats",
        children=[
            text("statistics", html.H2),
            html.Div(
                className="stats-halves",
                children=[
                    html.Div(
                        className="stats-half",
                        children=[
                            html.H3(id=ids.STATS_NAME, className="stats-name compare-only"),
                            html.Div(
                                className="chart-grid",
                                children=[
                                    chart(ids.GROWTH_CHART),
                                    chart(ids.CONTINENT_CHART),
                                    chart(ids.COUNTRY_CHART),
                                    chart(ids.SECTOR_CHART),
                                ],
                            ),
                        ],
                    ),
                    html.Div(
                        id=ids.STATS_COMPARE_COLUMN,
                        className="stats-half compare-column",
                        children=[
                            html.H3(id=ids.STATS_COMPARE_NAME, className="stats-name"),
                            html.Div(
                                className="chart-grid",
                                children=[
                                    chart(ids.GROWTH_CHART_COMPARE),
                                    chart(ids.CONTINENT_CHART_COMPARE),
                                    chart(ids.COUNTRY_CHART_COMPARE),
                                    chart(ids.SECTOR_CHART_COMPARE),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def table_section() -> html.Section:
    return html.Section(
        className="table-section",
        children=[
            html.Div(
                className="table-head",
                children=[
                    text("table", html.H2),
                    dcc.Input(
                        id=ids.TABLE_SEARCH,
                        type="search",
                        placeholder=t("table_search", "en"),
                        className="table-search",
                    ),
                    html.Button(t("export_csv", "en"), id=ids.CSV_BUTTON, className="action"),
                ],
            ),
            # The grid (and AG Grid's 1.3 MB script) comes when the table is near the screen.
            html.Div(id=ids.TABLE_SLOT, className="grid-slot", style={"minHeight": TABLE_HEIGHT}),
        ],
    )


def table_grid(search: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.TABLE,
        rowData=[],
        columnDefs=[],
        # Rows are known by their partnership id: slider steps add and remove only those.
        getRowId="params.data.id",
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={
            "animateRows": False,
            "pagination": True,
            "paginationPageSize": 50,
            "quickFilterText": search,
        },
        columnSize="responsiveSizeToFit",
        csvExportParams=table_csv_params("sister-city-atlas.csv", [field for field, _ in TABLE_COLUMNS]),
        className="ag-theme-quartz grid",
        style={"height": TABLE_HEIGHT},
    )


def page(atlas: Atlas, graph_config: dict, table_script: str) -> html.Div:
    """The whole page; `table_script` is where the browser gets AG Grid's script once the table is near."""
    return html.Div(
        id=ids.ROOT,
        className="app",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE, data="en"),
            dcc.Store(id=ids.PRESENT_STORE, data=False),
            dcc.Store(id=ids.CONTRAST_STORE, data=False),
            dcc.Store(id=ids.EXPORT_META, data={}),
            # The default view's links come with the page: the map needs no request of its own.
            dcc.Store(id=ids.MAP_SOURCE, data=map_source(atlas, default_state(atlas))),
            dcc.Store(id=ids.MAP_SOURCE_KEPT, data=0),
            dcc.Store(id=ids.MAP_SOURCE_COMPARE, data=None),
            dcc.Store(id=ids.MAP_SOURCE_COMPARE_KEPT, data=0),
            # The default view's address for each year: a first slider step writes it without asking.
            dcc.Store(id=ids.URL_QUERIES, data=year_queries(default_state(atlas), atlas)),
            dcc.Store(id=ids.URL_POPSTATE, data=None),
            dcc.Store(id=ids.TABLE_SHOWN, data=None),
            dcc.Store(id=ids.VIEW_SETTLED, data=None),
            dcc.Store(id=ids.TABLE_SCRIPT, data=table_script),
            dcc.Store(id=ids.TABLE_WANTED, data=False),
            dcc.Store(id=ids.TABLE_UPDATE, data=None),
            dcc.Download(id=ids.HTML_DOWNLOAD),
            header(atlas),
            # Everything but the header and the footer is the page's main content (one landmark).
            html.Main(
                className="content",
                children=[
                    html.Div(id=ids.NOTICE, className="notice", role="status"),
                    html.Div(id=ids.VIDEO_PROGRESS, className="notice video-progress", role="status"),
                    dcc.Store(id=ids.VIDEO_FRAMES, data=None),
                    html.Div(className="layout", children=[map_panel(atlas, graph_config), side_panel(atlas)]),
                    quiet_section(),
                    statistics(),
                    table_section(),
                ],
            ),
            html.Footer(text("attribution", html.P), className="footer"),
        ],
    )
