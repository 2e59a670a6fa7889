"""Ties gone quiet: the list follows the settled view (hub, year, sectors, activity, language) and
the browser draws it; an entry opens its story."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from atlas.load import Atlas
from atlas.views import partner_options, quiet_view, settled_state, state_from_controls
from layouts import ids


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(
        Output(ids.QUIET_LIST, "data"),
        Input(ids.VIEW_SETTLED, "data"),
        prevent_initial_call=True,
    )
    def list_gone_quiet(settled):
        atlas = current_atlas()
        return asdict(quiet_view(atlas, settled_state(atlas, settled)))

    app.clientside_callback(
        ClientsideFunction("atlas", "drawQuiet"),
        Output(ids.GONE_QUIET, "title"),
        Input(ids.QUIET_LIST, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.PARTNER_SEARCH, "value", allow_duplicate=True),
        Output(ids.PARTNER_SEARCH, "options", allow_duplicate=True),
        Input(ids.QUIET_OPEN, "data"),
        State(ids.HOME_SELECT, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def open_quiet_tie(pressed, home, lang):
        atlas = current_atlas()
        tie = pressed.get("id") if isinstance(pressed, dict) else None
        state = state_from_controls(atlas, home, None, [], tie if isinstance(tie, str) else None, lang)
        if state.focus is None:
            return no_update, no_update
        return state.focus, partner_options(atlas, state.lang, state.home, None, state.focus)
