"""The URL is the view: controls write it, and a link (or back/forward) sets the controls."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, no_update

from atlas.filters import parse_query_string, view_state_query
from atlas.load import Atlas
from atlas.views import notice_text, state_from_controls
from layouts import ids

CONTROLS = (
    (ids.HOME_SELECT, "value"),
    (ids.YEAR_SLIDER, "value"),
    (ids.SECTOR_FILTER, "value"),
    (ids.PARTNER_SEARCH, "value"),
    (ids.LANG_STORE, "data"),
    (ids.PRESENT_STORE, "data"),
    (ids.CONTRAST_STORE, "data"),
)


def same(new: object, current: object) -> bool:
    if isinstance(new, list) and isinstance(current, list):
        return sorted(new) == sorted(current)
    return new == current


def register(app: Dash, atlas: Atlas) -> None:
    @app.callback(
        *[Output(component, prop) for component, prop in CONTROLS],
        Output(ids.NOTICE, "children"),
        Input(ids.URL, "search"),
        *[State(component, prop) for component, prop in CONTROLS],
    )
    def url_to_controls(search, *current):
        state, notices = parse_query_string(search, atlas)
        wanted = [state.home, state.year, list(state.sectors), state.focus, state.lang, state.present, state.contrast]
        updates = [no_update if same(new, old) else new for new, old in zip(wanted, current, strict=True)]
        return *updates, notice_text(notices, state.lang)

    @app.callback(
        Output(ids.URL, "search"),
        *[Input(component, prop) for component, prop in CONTROLS[:4]],
        Input(ids.LANG_TOGGLE, "n_clicks"),
        Input(ids.PRESENT_TOGGLE, "n_clicks"),
        Input(ids.PRESENT_EXIT, "n_clicks"),
        Input(ids.CONTRAST_TOGGLE, "n_clicks"),
        *[State(component, prop) for component, prop in CONTROLS[4:]],
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def controls_to_url(
        home,
        year,
        sectors,
        focus,
        _lang_clicks,
        _present_clicks,
        _exit_clicks,
        _contrast_clicks,
        lang,
        present,
        contrast,
        search,
    ):
        trigger = ctx.triggered_id
        if trigger == ids.LANG_TOGGLE:
            lang = "en" if lang == "zh" else "zh"
        elif trigger == ids.PRESENT_TOGGLE:
            present = not present
        elif trigger == ids.PRESENT_EXIT:
            present = False
        elif trigger == ids.CONTRAST_TOGGLE:
            contrast = not contrast
        state = state_from_controls(atlas, home, year, sectors, focus, lang, present, contrast)
        query = view_state_query(state, atlas)
        return no_update if query == (search or "") else query
