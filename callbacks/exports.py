"""Exports of the current view: PNG drawn in the browser, HTML built here, CSV from the table's grid."""

from __future__ import annotations

from collections.abc import Callable

from dash import ClientsideFunction, Dash, Input, Output, State, dcc

from atlas.export import figure_html
from atlas.load import Atlas
from atlas.views import map_view, state_from_controls
from layouts import ids


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "exportPng"),
        Output(ids.PNG_BUTTON, "value"),
        Input(ids.PNG_BUTTON, "n_clicks"),
        State(ids.EXPORT_META, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "print"),
        Output(ids.PRINT_BUTTON, "value"),
        Input(ids.PRINT_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.HTML_DOWNLOAD, "data"),
        Input(ids.HTML_BUTTON, "n_clicks"),
        State(ids.HOME_SELECT, "value"),
        State(ids.YEAR_SLIDER, "value"),
        State(ids.SECTOR_FILTER, "value"),
        State(ids.PARTNER_SEARCH, "value"),
        State(ids.LANG_STORE, "data"),
        State(ids.CONTRAST_STORE, "data"),
        prevent_initial_call=True,
    )
    def export_html(_clicks, home, year, sectors, focus, lang, contrast):
        atlas = current_atlas()
        state = state_from_controls(atlas, home, year, sectors, focus, lang, contrast=contrast)
        view = map_view(atlas, state, title=True)
        return dcc.send_string(
            figure_html(view.figure, view.export_title, state.lang), f"{view.export_file}.html", type="text/html"
        )

    # In the browser: the grid joins the page only when the table is near the screen.
    app.clientside_callback(
        ClientsideFunction("atlas", "exportCsv"),
        Output(ids.CSV_BUTTON, "value"),
        Input(ids.CSV_BUTTON, "n_clicks"),
        State(ids.EXPORT_META, "data"),
        prevent_initial_call=True,
    )
