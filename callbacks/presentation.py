"""Presentation mode and theme classes, the big year and the milestone captions."""

from __future__ import annotations

from collections.abc import Callable

from dash import ClientsideFunction, Dash, Input, Output

from atlas.load import Atlas
from layouts import ids


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(
        Output(ids.ROOT, "className"),
        Input(ids.PRESENT_STORE, "data"),
        Input(ids.CONTRAST_STORE, "data"),
        Input(ids.COMPARE_SELECT, "value"),
    )
    def root_classes(present, contrast, compare):
        comparing = current_atlas().hub(str(compare)) is not None
        flags = (("present", present is True), ("contrast", contrast is True), ("comparing", comparing))
        return " ".join(["app", *(name for name, on in flags if on)])

    app.clientside_callback(
        ClientsideFunction("atlas", "showYear"),
        Output(ids.YEAR_LABEL, "children"),
        Output(ids.PRESENT_YEAR, "children"),
        Input(ids.YEAR_SLIDER, "value"),
    )

    # The captions come with the map's links (atlas.map_source): a year of playback asks nothing.
    app.clientside_callback(
        ClientsideFunction("atlasMap", "caption"),
        Output(ids.MILESTONE_CAPTION, "children"),
        Input(ids.MAP_SOURCE_KEPT, "data"),
        Input(ids.YEAR_SLIDER, "value"),
    )
