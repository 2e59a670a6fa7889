"""Wiring only: each module's `register(app, current_atlas)` connects components to atlas functions.

`current_atlas()` is the Atlas served now (the tables change while the app runs): a callback reads it once,
at its start, and answers from it.
"""

from collections.abc import Callable

from dash import Dash

from atlas.load import Atlas
from callbacks import exports, language, playback, presentation, story, url, view


def register_all(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    for module in (url, view, story, playback, presentation, language, exports):
        module.register(app, current_atlas)
