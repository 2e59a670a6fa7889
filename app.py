"""Sister City Atlas: `python app.py` serves it; `gunicorn -c gunicorn.conf.py` deploys it (`wsgi.py`).

Everything the page needs is served from this process: scripts, styles, fonts and the world map.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import dash_ag_grid
from dash import Dash
from dash.exceptions import DependencyException
from dash.fingerprint import build_fingerprint
from flask import Flask, Response, abort, redirect, request
from flask_compress import Compress
from flask_talisman import Talisman

from atlas import editors, export
from atlas.errors import AtlasError
from atlas.live import LiveAtlas
from atlas.paths import data_dir_from_env
from callbacks import editor as editor_callbacks
from callbacks import register_all
from layouts.page import page

MAX_REQUEST_BYTES = 1_000_000
# A signed-in editor may send a spreadsheet (3 MB, as base64) with the callback that reads it.
MAX_EDITOR_REQUEST_BYTES = 5_000_000
EDITOR_PATH = "/edit/"
SESSION_COOKIE = "atlas_editor"
# Static files whose URL names their version (Dash's `?m=` on every asset it links, `?v=` in
# fonts.css) never change under that URL: browsers keep them a year.
VERSIONED_ASSET = "public, max-age=31536000, immutable"
# Dash's page, with a language on <html> (the clientside keeps it to the language shown) and its
# scripts straight in <body>: Dash wraps them in a <footer>, a second `contentinfo` landmark.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""
DATA_VERSION_HEADER = "X-Atlas-Data-Version"


def graph_config(app: Dash) -> dict:
    return {
        "topojsonURL": app.get_asset_url("topojson/"),
        "displaylogo": False,
        "scrollZoom": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
        "responsive": True,
    }


def content_security_policy(*apps: Dash) -> dict[str, str | list[str]]:
    hashes = sorted({digest for app in apps for digest in app.csp_hashes()})
    return {
        "default-src": "'self'",
        # Dash's inline start-up script is allowed by its hash, nothing else inline runs.
        "script-src": ["'self'", *hashes],
        # Plotly and React set inline styles on elements.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def refuse_malformed_callback_requests(app: Dash):
    """A callback request that names no known callback is the client's mistake: 400, not a 500."""
    endpoint = app.config.requests_pathname_prefix + "_dash-update-component"

    def check() -> None:
        # A body that is not JSON at all is left to Dash, which answers 415 or 400 itself.
        if request.method != "POST" or request.path != endpoint or not request.is_json:
            return
        if app.config.requests_pathname_prefix == EDITOR_PATH and request.cookies.get(SESSION_COOKIE):
            request.max_content_length = MAX_EDITOR_REQUEST_BYTES
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            abort(400, "the request body is nested too deeply")
        callback = app.callback_map.get(body.get("output")) if isinstance(body, dict) else None
        # Each input and state of the callback is one item of the request (a list for a pattern).
        if not (
            isinstance(callback, dict)
            and isinstance(body.get("inputs"), list)
            and isinstance(body.get("state", []), list)
            and len(body["inputs"]) == len(callback["inputs"])
            and len(body.get("state", [])) == len(callback["state"])
        ):
            abort(400, "not a request for one of this app's callbacks")

    return check


def compress_responses(server: Flask) -> None:
    """Scripts, JSON, CSS and the world map compressed as the browser accepts; fonts are WOFF2 already.

    zstd first: at its default level it compresses plotly.js's 1.4 MB in about 6 ms on this machine
    (brotli 19 ms, gzip 33 ms, for the same size), so every response is compressed as it goes."""
    server.config["COMPRESS_ALGORITHM"] = ["zstd", "br", "gzip"]
    Compress(server)


def cache_versioned_assets(response: Response) -> Response:
    if (
        response.status_code == 200
        and request.path.startswith("/assets/")
        and ("m" in request.args or "v" in request.args)
    ):
        response.headers["Cache-Control"] = VERSIONED_ASSET
    return response


def not_found(_error: DependencyException) -> tuple[str, int]:
    """A script Dash does not serve was asked for: the client's mistake, answered without the
    traceback that lists every path Dash serves."""
    return "Not found", 404


def load_later(app: Dash, package, script: str) -> str:
    """Leave a component package's `script` out of the page; the URL the browser fetches it from later.

    Dash puts every component package's script in the page, and AG Grid's is 1.3 MB of the first
    visit: only the table uses it, so the browser loads it when the table comes near the screen.
    Marked dynamic, Dash still serves it (under a fingerprinted URL kept a year) without linking it."""
    for resource in package._js_dist:
        if resource.get("relative_package_path") == script:
            resource["dynamic"] = True
    path = Path(package.__file__).parent / script
    fingerprint = build_fingerprint(script, package.__version__, int(path.stat().st_mtime))
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/{package.__name__}/{fingerprint}"


def create_editor(app: Dash, data_dir: Path, instance: Path) -> Dash:
    """The editing page at /edit/, a second Dash app on the same server: the public map's layout and
    callbacks are not touched, and none of the editing callbacks exists on the public endpoint."""
    editors.check_outside_data(instance, data_dir)
    server = app.server
    server.secret_key = editors.secret_key(instance)
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_PATH=EDITOR_PATH,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=os.environ.get("ATLAS_SECURE_COOKIE", "").lower() == "true",
    )
    editor = Dash(
        __name__,
        server=server,
        url_base_pathname=EDITOR_PATH,
        title="Sister City Atlas · Editing",
        update_title=None,
        serve_locally=True,
        suppress_callback_exceptions=True,
        assets_ignore=r"^atlas",
        assets_path_ignore=["^brief$"],
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    editor_callbacks.register(editor, editor_callbacks.Settings(data_dir.resolve(), instance, server.secret_key))
    return editor


def create_app(data_dir: Path | None = None) -> Dash:
    """The app on `data_dir` (default: $ATLAS_DATA_DIR or data/), following its tables as they change,
    with the editing page at /edit/."""
    data_dir = data_dir or data_dir_from_env()
    try:
        live = LiveAtlas(data_dir)
    except AtlasError as error:
        sys.exit(f"Sister City Atlas cannot start: {error}")
    export.preload()
    app = Dash(
        __name__,
        title="Sister City Atlas · 友城地图",
        update_title=None,
        serve_locally=True,
        # The brief's own script and style (assets/brief/) are served, not put on the app's page.
        assets_path_ignore=["^brief$"],
        # The editing page's files belong to the editing app (create_editor).
        assets_ignore=r"^editor",
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        # The table's grid joins the page when it is near the screen (its script is loaded then): the
        # callbacks that fill it name a component the first page does not have yet. And the layout is
        # a function (below): Dash would otherwise embed a copy of it in every page to check callbacks.
        suppress_callback_exceptions=True,
    )
    app.index_string = INDEX_STRING
    config = graph_config(app)
    table_script = load_later(app, dash_ag_grid, "dash_ag_grid.min.js")
    # A function: each page is laid out from the tables served now (years, hubs, sectors).
    app.layout = lambda: page(live.current(), config, table_script)
    register_all(app, live.current)
    try:
        editor = create_editor(app, data_dir, editors.instance_dir())
    except AtlasError as error:
        sys.exit(f"Sister City Atlas cannot start: {error}")
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.server.before_request(live.watch)
    app.server.before_request(refuse_malformed_callback_requests(app))
    app.server.before_request(refuse_malformed_callback_requests(editor))
    app.server.add_url_rule("/edit", "edit", lambda: redirect(EDITOR_PATH))
    app.server.after_request(cache_versioned_assets)
    app.server.after_request(data_version_header(live))
    compress_responses(app.server)
    app.server.register_error_handler(DependencyException, not_found)
    Talisman(
        app.server,
        force_https=False,
        session_cookie_secure=app.server.config["SESSION_COOKIE_SECURE"],
        # Talisman sets the session cookie's SameSite itself (Lax unless told).
        session_cookie_samesite="Strict",
        frame_options="DENY",
        referrer_policy="no-referrer",
        content_security_policy=content_security_policy(app, editor),
    )
    return app


def data_version_header(live: LiveAtlas):
    """Every response says which version of the tables answered it."""

    def add(response: Response) -> Response:
        response.headers[DATA_VERSION_HEADER] = live.current().version
        return response

    return add


def main() -> None:
    """`python app.py`: serve on HOST:PORT (127.0.0.1:8050), saying in the terminal when the tables change."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.getLogger("atlas").addHandler(handler)
    logging.getLogger("atlas").setLevel(logging.INFO)
    create_app().run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG", "").lower() == "true",
    )


if __name__ == "__main__":
    main()
