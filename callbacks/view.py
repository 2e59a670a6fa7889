"""Map, summary, statistics and table follow the hub, year, sectors and language.

The server sends the map's links once per hub, language and theme; the year slider and the sector
filter redraw the map in the browser (assets/atlas-map.js), without a request. The statistics, the
table and the story follow the settled view: the browser settles it once the controls have been
still for a moment and playback has stopped, so a slider step or a year of playback waits on none
of them."""

from __future__ import annotations

from collections.abc import Callable

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from atlas.load import Atlas
from atlas.map_source import map_source
from atlas.views import (
    settled_state,
    shown_table_state,
    state_from_controls,
    statistics_figures,
    table_columns,
    table_update,
)
from layouts import ids
from layouts.page import table_grid


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
