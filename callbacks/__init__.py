"""Wiring only: each module's `register(app, atlas)` connects components to atlas functions."""

from dash import Dash

from atlas.load import Atlas
from callbacks import exports, language, playback, presentation, story, url, view


def register_all(app: Dash, atlas: Atlas) -> None:
    for module in (url, view, story, playback, presentation, language, exports):
        module.register(app, atlas)
