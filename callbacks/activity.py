"""Ties gone quiet: the list follows the settled view (hub, year, sectors, activity, language); an
entry opens its story."""

from __future__ import annotations

from collections.abc import Callable

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from atlas.load import Atlas
from atlas.views import partner_options, quiet_view, settled_state, state_from_controls
from layouts import ids
from layouts.details import render_quiet


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(
        Output(ids.GONE_QUIET, "children"),
        Input(ids.VIEW_SETTLED, "data"),
        prevent_initial_call=True,
    )
    def show_gone_quiet(settled):
        atlas = current_atlas()
        return render_quiet(quiet_view(atlas, settled_state(atlas, settled)))

    @app.callback(
        Output(ids.PARTNER_SEARCH, "value", allow_duplicate=True),
        Output(ids.PARTNER_SEARCH, "options", allow_duplicate=True),
        Input({"type": ids.QUIET_TIE, "id": ALL}, "n_clicks"),
        State(ids.HOME_SELECT, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def open_quiet_tie(_clicks, home, lang):
        atlas = current_atlas()
        # A list redrawn by a slider step fires this too, with buttons nobody has clicked.
        clicked = ctx.triggered_id if ctx.triggered and ctx.triggered[0]["value"] else None
        state = state_from_controls(atlas, home, None, [], clicked["id"] if isinstance(clicked, dict) else None, lang)
        if state.focus is None:
            return no_update, no_update
        return state.focus, partner_options(atlas, state.lang, state.home, None, state.focus)
