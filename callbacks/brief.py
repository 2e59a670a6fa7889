"""`/brief/<id>`: a partnership's printable one-page brief, `?lang=zh` for Chinese; 404 for an unknown id."""

from __future__ import annotations

from collections.abc import Callable

from dash import Dash
from flask import Response, request

from atlas.brief import not_found_text, partnership_brief
from atlas.i18n import normalize_lang
from atlas.load import Atlas
from layouts.brief import brief_page


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    def show_brief(partnership_id: str) -> Response:
        lang = normalize_lang(request.args.get("lang"))
        brief = partnership_brief(current_atlas(), partnership_id, lang)
        message = "" if brief else not_found_text(partnership_id, lang)
        return Response(
            brief_page(brief, lang, app.get_asset_url, message),
            status=200 if brief else 404,
            mimetype="text/html",
        )

    app.server.add_url_rule("/brief/<path:partnership_id>", "brief", show_brief)
