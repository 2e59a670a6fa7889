"""Map, summary, statistics and table follow the hub, year, sectors and language."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, no_update

from atlas.load import Atlas
from atlas.views import (
    export_meta,
    hub_name,
    map_view,
    shown_table_state,
    state_from_controls,
    statistics_figures,
    table_columns,
    table_update,
)
from layouts import ids

COMPARE_COLUMN = "map-column compare-column"
COMPARE_STATS = "stats-half compare-column"
FILTERS = (
    Input(ids.HOME_SELECT, "value"),
    Input(ids.YEAR_SLIDER, "value"),
    Input(ids.SECTOR_FILTER, "value"),
    Input(ids.ACTIVITY_FILTER, "value"),
)


def register(app: Dash, atlas: Atlas) -> None:
    @app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.SUMMARY, "children"),
        Output(ids.EXPORT_META, "data"),
        *FILTERS,
        Input(ids.PARTNER_SEARCH, "value"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.PRESENT_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
    )
    def update_map(home, year, sectors, activity, focus, lang, present, contrast):
        state = state_from_controls(atlas, home, year, sectors, focus, lang, present, contrast, activity)
        view = map_view(atlas, state)
        return view.figure, view.summary, export_meta(view, state.lang)

    @app.callback(
        Output(ids.GROWTH_CHART, "figure"),
        Output(ids.CONTINENT_CHART, "figure"),
        Output(ids.COUNTRY_CHART, "figure"),
        Output(ids.SECTOR_CHART, "figure"),
        *FILTERS,
        Input(ids.LANG_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
    )
    def update_statistics(home, year, sectors, activity, lang, contrast):
        state = state_from_controls(atlas, home, year, sectors, None, lang, contrast=contrast, activity=activity)
        return statistics_figures(atlas, state)

    @app.callback(
        Output(ids.TABLE, "rowData"),
        Output(ids.TABLE, "rowTransaction"),
        Output(ids.TABLE, "columnDefs"),
        Output(ids.TABLE_SHOWN, "data"),
        *FILTERS,
        Input(ids.LANG_STORE, "data"),
        State(ids.TABLE_SHOWN, "data"),
    )
    def update_table(home, year, sectors, activity, lang, shown):
        state = state_from_controls(atlas, home, year, sectors, None, lang, activity=activity)
        update = table_update(atlas, state, shown_table_state(atlas, shown))
        if update.rows is None:
            return no_update, update.transaction, no_update, update.shown
        return update.rows, no_update, table_columns(state.lang), update.shown

    @app.callback(
        Output(ids.MAP_COMPARE, "figure"),
        Output(ids.SUMMARY_COMPARE, "children"),
        Output(ids.MAP_COMPARE_COLUMN, "className"),
        Input(ids.COMPARE_SELECT, "value"),
        Input(ids.YEAR_SLIDER, "value"),
        Input(ids.SECTOR_FILTER, "value"),
        Input(ids.ACTIVITY_FILTER, "value"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.PRESENT_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
    )
    def update_compare_map(compare, year, sectors, activity, lang, present, contrast):
        # The column shows in the same render as its map: a graph drawn while hidden has no size.
        if atlas.hub(str(compare)) is None:
            return no_update, "", COMPARE_COLUMN
        state = state_from_controls(atlas, compare, year, sectors, None, lang, present, contrast, activity)
        view = map_view(atlas, state)
        return view.figure, view.summary, f"{COMPARE_COLUMN} shown"

    @app.callback(
        Output(ids.MAP_NAME, "children"),
        Output(ids.MAP_COMPARE_NAME, "children"),
        Output(ids.STATS_NAME, "children"),
        Output(ids.STATS_COMPARE_NAME, "children"),
        Output(ids.GROWTH_CHART_COMPARE, "figure"),
        Output(ids.CONTINENT_CHART_COMPARE, "figure"),
        Output(ids.COUNTRY_CHART_COMPARE, "figure"),
        Output(ids.SECTOR_CHART_COMPARE, "figure"),
        Output(ids.STATS_COMPARE_COLUMN, "className"),
        Input(ids.COMPARE_SELECT, "value"),
        *FILTERS,
        Input(ids.LANG_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
    )
    def update_compare_statistics(compare, home, year, sectors, activity, lang, contrast):
        if atlas.hub(str(compare)) is None:
            return ("", "", "", "", *[no_update] * 4, COMPARE_STATS)
        state = state_from_controls(atlas, home, year, sectors, None, lang, contrast=contrast, activity=activity)
        other = state_from_controls(atlas, compare, year, sectors, None, lang, contrast=contrast, activity=activity)
        names = hub_name(atlas, state.home, state.lang), hub_name(atlas, other.home, other.lang)
        return (*names, *names, *statistics_figures(atlas, other), f"{COMPARE_STATS} shown")

    @app.callback(Output(ids.TABLE, "dashGridOptions"), Input(ids.TABLE_SEARCH, "value"), prevent_initial_call=True)
    def search_table(text):
        options = Patch()
        options["quickFilterText"] = text or ""
        return options
