"""The URL is the view: controls write it, and a link (or back/forward) sets the controls.

The two directions are kept out of one loop on purpose. Controls produce the query for every year in
a store (atlas.filters.year_queries) and the browser writes the slider's into the address bar with
the History API; `url.search` is read when a page is opened, and the `url-popstate` store when the
user goes back or forward. A cycle of callbacks
through `url.search` makes Dash hold back every callback in it while a slider moves quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from atlas.filters import PLAY_SPEEDS, parse_query_string, year_queries
from atlas.load import Atlas
from atlas.views import UNCONFIRMED_SHOWN, hub_options, notice_text, partner_options, state_from_controls
from layouts import ids

CONTROLS = (
    (ids.HOME_SELECT, "value"),
    (ids.YEAR_SLIDER, "value"),
    (ids.SECTOR_FILTER, "value"),
    (ids.PARTNER_SEARCH, "value"),
    (ids.LANG_STORE, "data"),
    (ids.PRESENT_STORE, "data"),
    (ids.CONTRAST_STORE, "data"),
    (ids.PLAY_SPEED, "value"),
    (ids.UNCONFIRMED_TOGGLE, "value"),
    (ids.ACTIVITY_FILTER, "value"),
    (ids.COMPARE_SELECT, "value"),
)
TOGGLES = (ids.LANG_TOGGLE, ids.PRESENT_TOGGLE, ids.PRESENT_EXIT, ids.CONTRAST_TOGGLE)


def same(new: object, current: object) -> bool:
    """Whether a control already shows `new`; `current` comes from the browser and may be anything."""
    if isinstance(new, list) and isinstance(current, list):
        return all(isinstance(name, str) for name in current) and sorted(new) == sorted(current)
    return new == current


def parsed_speed(speed: object) -> int:
    """The speed control's value, from the browser: anything but a known speed is 1×."""
    return speed if isinstance(speed, int) and not isinstance(speed, bool) and speed in PLAY_SPEEDS else PLAY_SPEEDS[0]


def toggled(trigger: object, lang: str, present: bool, contrast: bool) -> tuple[str, bool, bool]:
    if trigger == ids.LANG_TOGGLE:
        return ("en" if lang == "zh" else "zh"), present, contrast
    if trigger == ids.PRESENT_TOGGLE:
        return lang, not present, contrast
    if trigger == ids.PRESENT_EXIT:
        return lang, False, contrast
    if trigger == ids.CONTRAST_TOGGLE:
        return lang, present, not contrast
    return lang, present, contrast


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(
        *[
            Output(
                component, prop, allow_duplicate=component in (ids.LANG_STORE, ids.PRESENT_STORE, ids.CONTRAST_STORE)
            )
            for component, prop in CONTROLS
        ],
        Output(ids.NOTICE, "children"),
        Output(ids.PARTNER_SEARCH, "options", allow_duplicate=True),
        Output(ids.HOME_SELECT, "options", allow_duplicate=True),
        Output(ids.COMPARE_SELECT, "options", allow_duplicate=True),
        Input(ids.URL, "search"),
        Input(ids.URL_POPSTATE, "data"),
        *[State(component, prop) for component, prop in CONTROLS],
        prevent_initial_call="initial_duplicate",
    )
    def url_to_controls(search, popstate, *current):
        atlas = current_atlas()
        if ctx.triggered_id == ids.URL_POPSTATE and isinstance(popstate, dict):
            search = popstate.get("search")
        state, notices = parse_query_string(search, atlas)
        wanted = [
            state.home,
            state.year,
            list(state.sectors),
            state.focus,
            state.lang,
            state.present,
            state.contrast,
            state.speed,
            list(UNCONFIRMED_SHOWN) if state.unconfirmed else [],
            state.activity or "",
            state.compare,
        ]
        updates = [no_update if same(new, old) else new for new, old in zip(wanted, current, strict=True)]
        # A dropdown drops a value missing from its options: the chosen hub and partner come with theirs.
        partners = partner_options(atlas, state.lang, state.home, None, state.focus) if state.focus else no_update
        hubs = hub_options(atlas, state.lang, None, state.home) if updates[0] is not no_update else no_update
        compared = hub_options(atlas, state.lang, None, state.compare)[1:] if state.compare else no_update
        return *updates, notice_text(notices, state.lang), partners, hubs, compared

    @app.callback(
        Output(ids.LANG_STORE, "data"),
        Output(ids.PRESENT_STORE, "data"),
        Output(ids.CONTRAST_STORE, "data"),
        *[Input(toggle, "n_clicks") for toggle in TOGGLES],
        State(ids.LANG_STORE, "data"),
        State(ids.PRESENT_STORE, "data"),
        State(ids.CONTRAST_STORE, "data"),
        prevent_initial_call=True,
    )
    def toggle_view(*clicks_and_state):
        lang, present, contrast = clicks_and_state[len(TOGGLES) :]
        return toggled(ctx.triggered_id, lang, present is True, contrast is True)

    # The address for every year of the view: the browser picks the slider's, so that a slider step
    # or a year of playback writes it without a request. Any other control asks for a new set.
    @app.callback(
        Output(ids.URL_QUERIES, "data"),
        *[Input(component, prop) for component, prop in CONTROLS if component != ids.YEAR_SLIDER],
        prevent_initial_call=True,
    )
    def controls_to_queries(home, sectors, focus, lang, present, contrast, speed, unconfirmed, activity, compare):
        atlas = current_atlas()
        state = state_from_controls(
            atlas, home, None, sectors, focus, lang, present, contrast, unconfirmed, activity=activity, compare=compare
        )
        return year_queries(replace(state, speed=parsed_speed(speed)), atlas)

    app.clientside_callback(
        ClientsideFunction("atlas", "writeQuery"),
        Output(ids.URL_QUERIES, "modified_timestamp"),
        Input(ids.URL_QUERIES, "data"),
        Input(ids.YEAR_SLIDER, "value"),
        State(ids.PLAY_TIMER, "disabled"),
        prevent_initial_call=True,
    )
