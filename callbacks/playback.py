"""Play and pause: one, two or four years a second, in the browser, stopping at the last year."""

from __future__ import annotations

from collections.abc import Callable

from dash import ClientsideFunction, Dash, Input, Output, State

from atlas.load import Atlas
from layouts import ids
from layouts.page import PLAY_INTERVAL_MS


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    app.clientside_callback(
        f"function (speed) {{ return {PLAY_INTERVAL_MS} / (speed || 1); }}",
        Output(ids.PLAY_TIMER, "interval"),
        Input(ids.PLAY_SPEED, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "togglePlay"),
        Output(ids.PLAY_TIMER, "disabled"),
        Output(ids.YEAR_SLIDER, "value", allow_duplicate=True),
        Output(ids.PLAY, "children"),
        Input(ids.PLAY, "n_clicks"),
        State(ids.PLAY_TIMER, "disabled"),
        State(ids.YEAR_SLIDER, "value"),
        State(ids.YEAR_SLIDER, "min"),
        State(ids.YEAR_SLIDER, "max"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "nextYear"),
        Output(ids.YEAR_SLIDER, "value", allow_duplicate=True),
        Output(ids.PLAY_TIMER, "disabled", allow_duplicate=True),
        Output(ids.PLAY, "children", allow_duplicate=True),
        Input(ids.PLAY_TIMER, "n_intervals"),
        State(ids.YEAR_SLIDER, "value"),
        State(ids.YEAR_SLIDER, "max"),
        State(ids.PLAY_TIMER, "disabled"),
        prevent_initial_call=True,
    )
