"""The story panel, and the two ways to open a story: a click on the map, or the search box."""

from __future__ import annotations

from collections.abc import Callable

from dash import Dash, Input, Output, State, no_update

from atlas.load import Atlas
from atlas.story import Story
from atlas.views import details_view, partner_options, settled_state, state_from_controls
from layouts import ids
from layouts.details import render_overview, render_story

MAX_SEARCH = 100


def clicked_partnership(click: object) -> object:
    """The customdata of the first clicked point; None for anything that is not Plotly's clickData."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    return point.get("customdata") if isinstance(point, dict) else None


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(
        Output(ids.DETAILS, "children"),
        Input(ids.PARTNER_SEARCH, "value"),
        Input(ids.VIEW_SETTLED, "data"),
        prevent_initial_call=True,
    )
    def show_details(focus, settled):
        atlas = current_atlas()
        state = settled_state(atlas, settled, focus)
        view = details_view(atlas, state)
        return render_story(view, state.lang) if isinstance(view, Story) else render_overview(view, state.lang)

    @app.callback(
        Output(ids.PARTNER_SEARCH, "value", allow_duplicate=True),
        Output(ids.PARTNER_SEARCH, "options", allow_duplicate=True),
        Input(ids.MAP, "clickData"),
        State(ids.HOME_SELECT, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def focus_clicked_partner(click, home, lang):
        atlas = current_atlas()
        state = state_from_controls(atlas, home, None, [], clicked_partnership(click), lang)
        if state.focus is None:
            return no_update, no_update
        # The partner comes with its option, or the dropdown would drop a value it does not list.
        return state.focus, partner_options(atlas, state.lang, state.home, None, state.focus)

    @app.callback(
        Output(ids.PARTNER_SEARCH, "options"),
        Input(ids.PARTNER_SEARCH, "search_value"),
        Input(ids.LANG_STORE, "data"),
        Input(ids.HOME_SELECT, "value"),
        State(ids.PARTNER_SEARCH, "value"),
    )
    def list_partners(search, lang, home, selected):
        atlas = current_atlas()
        state = state_from_controls(atlas, home, None, [], selected, lang)
        typed = search[:MAX_SEARCH] if isinstance(search, str) else None
        return partner_options(atlas, state.lang, state.home, typed, state.focus)
