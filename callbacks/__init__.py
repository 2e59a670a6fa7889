"""Wiring only: each module's `register(app, atlas)` connects components to atlas functions."""

from dash import Dash

from atlas.load import Atlas
from callbacks import activity, brief, exports, language, playback, presentation, story, url, view


def register_all(app: Dash, atlas: Atlas) -> None:
    for module in (url, view, story, activity, playback, presentation, language, exports, brief):
        module.register(app, atlas)
