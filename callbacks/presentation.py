"""Presentation mode and theme classes, the big year and the milestone captions."""

from __future__ import annotations

from collections.abc import Callable

from dash import ClientsideFunction, Dash, Input, Output

from atlas.load import Atlas
from atlas.views import caption_view, state_from_controls
from layouts import ids


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(Output(ids.ROOT, "className"), Input(ids.PRESENT_STORE, "data"), Input(ids.CONTRAST_STORE, "data"))
    def root_classes(present, contrast):
        return " ".join(["app", *(["present"] if present is True else []), *(["contrast"] if contrast is True else [])])

    app.clientside_callback(
        ClientsideFunction("atlas", "showYear"),
        Output(ids.YEAR_LABEL, "children"),
        Output(ids.PRESENT_YEAR, "children"),
        Input(ids.YEAR_SLIDER, "value"),
    )

    @app.callback(
        Output(ids.MILESTONE_CAPTION, "children"),
        Input(ids.YEAR_SLIDER, "value"),
        Input(ids.HOME_SELECT, "value"),
        Input(ids.LANG_STORE, "data"),
    )
    def caption(year, home, lang):
        atlas = current_atlas()
        return caption_view(atlas, state_from_controls(atlas, home, year, [], None, lang))
