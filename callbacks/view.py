"""Map, summary, statistics and table follow the hub, year, sectors, activity and language; with
`compare=` a second hub's map and statistics follow them too.

The server sends the map's links once per hub, language and theme; the year slider and the sector
filter redraw the map in the browser (assets/atlas-map.js), without a request. The statistics, the
table and the story follow the settled view: the browser settles it once the controls have been
still for a moment and playback has stopped, so a slider step or a year of playback waits on none
of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from atlas.load import Atlas
from atlas.map_source import map_source
from atlas.views import (
    hub_name,
    settled_state,
    shown_table_state,
    state_from_controls,
    statistics_figures,
    table_columns,
    table_update,
)
from layouts import ids
from layouts.page import table_grid

COMPARE_COLUMN = "map-column compare-column"
COMPARE_STATS = "stats-half compare-column"


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    # The page comes with the default view's links; another hub, language, theme or choice of ties asks for its own.
    @app.callback(
        Output(ids.MAP_SOURCE, "data"),
        Input(ids.HOME_SELECT, "value"),
        Input(ids.PARTNER_SEARCH, "value"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.PRESENT_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
        Input(ids.UNCONFIRMED_TOGGLE, "value"),
        prevent_initial_call=True,
    )
    def send_map_source(home, focus, lang, present, contrast, unconfirmed):
        atlas = current_atlas()
        state = state_from_controls(atlas, home, None, [], focus, lang, present, contrast, unconfirmed)
        return map_source(atlas, state)

    app.clientside_callback(
        ClientsideFunction("atlasMap", "keep"),
        Output(ids.MAP_SOURCE_KEPT, "data"),
        Input(ids.MAP_SOURCE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("atlasMap", "draw"),
        Output(ids.MAP, "figure"),
        Output(ids.SUMMARY, "children"),
        Output(ids.EXPORT_META, "data"),
        Input(ids.MAP_SOURCE_KEPT, "data"),
        Input(ids.YEAR_SLIDER, "value"),
        Input(ids.SECTOR_FILTER, "value"),
        Input(ids.ACTIVITY_FILTER, "value"),
    )

    # The second hub of `compare=`: its links sent once like the first's, drawn by the same steps.
    @app.callback(
        Output(ids.MAP_SOURCE_COMPARE, "data"),
        Input(ids.COMPARE_SELECT, "value"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.PRESENT_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
        Input(ids.UNCONFIRMED_TOGGLE, "value"),
    )
    def send_compare_source(compare, lang, present, contrast, unconfirmed):
        atlas = current_atlas()
        if atlas.hub(str(compare)) is None:
            return None
        state = state_from_controls(atlas, compare, None, [], None, lang, present, contrast, unconfirmed)
        return map_source(atlas, state)

    app.clientside_callback(
        ClientsideFunction("atlasMap", "keepCompare"),
        Output(ids.MAP_SOURCE_COMPARE_KEPT, "data"),
        Input(ids.MAP_SOURCE_COMPARE, "data"),
    )
    # The column shows in the same render as its map: a graph drawn while hidden has no size.
    app.clientside_callback(
        ClientsideFunction("atlasMap", "drawCompare"),
        Output(ids.MAP_COMPARE, "figure"),
        Output(ids.SUMMARY_COMPARE, "children"),
        Output(ids.MAP_COMPARE_COLUMN, "className"),
        Input(ids.MAP_SOURCE_COMPARE_KEPT, "data"),
        Input(ids.YEAR_SLIDER, "value"),
        Input(ids.SECTOR_FILTER, "value"),
        Input(ids.ACTIVITY_FILTER, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "settle"),
        Output(ids.VIEW_SETTLED, "data"),
        Input(ids.MAP_SOURCE_KEPT, "data"),
        Input(ids.HOME_SELECT, "value"),
        Input(ids.YEAR_SLIDER, "value"),
        Input(ids.SECTOR_FILTER, "value"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
        Input(ids.UNCONFIRMED_TOGGLE, "value"),
        Input(ids.PLAY_TIMER, "disabled"),
        Input(ids.ACTIVITY_FILTER, "value"),
        Input(ids.COMPARE_SELECT, "value"),
    )

    @app.callback(
        Output(ids.GROWTH_CHART, "figure"),
        Output(ids.CONTINENT_CHART, "figure"),
        Output(ids.COUNTRY_CHART, "figure"),
        Output(ids.SECTOR_CHART, "figure"),
        Input(ids.VIEW_SETTLED, "data"),
        prevent_initial_call=True,
    )
    def update_statistics(settled):
        atlas = current_atlas()
        return statistics_figures(atlas, settled_state(atlas, settled))

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
        Input(ids.VIEW_SETTLED, "data"),
        prevent_initial_call=True,
    )
    def update_compare_statistics(settled):
        atlas = current_atlas()
        state = settled_state(atlas, settled)
        if state.compare is None:
            return ("", "", "", "", *[no_update] * 4, COMPARE_STATS)
        other = replace(state, home=state.compare)
        names = hub_name(atlas, state.home, state.lang), hub_name(atlas, other.home, other.lang)
        return (*names, *names, *statistics_figures(atlas, other), f"{COMPARE_STATS} shown")

    app.clientside_callback(
        ClientsideFunction("atlas", "loadTableWhenNear"),
        Output(ids.TABLE_WANTED, "data"),
        Input(ids.TABLE_SCRIPT, "data"),
    )

    @app.callback(
        Output(ids.TABLE_SLOT, "children"),
        Input(ids.TABLE_WANTED, "data"),
        State(ids.TABLE_SEARCH, "value"),
        prevent_initial_call=True,
    )
    def show_table(wanted, search):
        return table_grid(search if isinstance(search, str) else "") if wanted is True else no_update

    # Dash refuses a callback whose output is not on the page, and the grid joins it late: the
    # rows go to a store, and the browser hands them to the grid (atlas.js `applyTable`), which
    # also tells what the grid holds. The grid's arrival (an optional input) asks for every row.
    @app.callback(
        Output(ids.TABLE_UPDATE, "data"),
        Input(ids.VIEW_SETTLED, "data"),
        Input(ids.TABLE, "id", allow_optional=True),
        State(ids.TABLE_SHOWN, "data"),
    )
    def update_table(settled, grid, shown):
        atlas = current_atlas()
        if grid is None:
            return no_update
        state = settled_state(atlas, settled)
        update = table_update(atlas, state, shown_table_state(atlas, shown))
        if update.rows is None:
            return {"transaction": update.transaction, "shown": update.shown}
        return {"rows": update.rows, "columns": table_columns(state.lang), "shown": update.shown}

    app.clientside_callback(
        ClientsideFunction("atlas", "applyTable"),
        Output(ids.TABLE_SHOWN, "data"),
        Input(ids.TABLE_UPDATE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "searchTable"),
        Output(ids.TABLE_SEARCH, "title"),
        Input(ids.TABLE_SEARCH, "value"),
        prevent_initial_call=True,
    )
