"""Production defaults: security headers on every response, a request size limit, nothing that writes
data, debug off and loopback only unless asked otherwise."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from callback_requests import MAP, MAP_CONTROLS, UPDATE, callback_body, find_callback, server_callbacks, value_count
from conftest import free_port
from dash import Dash
from datadir import copy_data, file_hashes

from app import MAX_REQUEST_BYTES, create_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The routes Dash serves, all read-only but the callback endpoint; anything new here must be read.
EXPECTED_ROUTES = {
    "/": {"GET"},
    "/<path:path>": {"GET"},
    "/static/<path:filename>": {"GET"},
    "/assets/<path:filename>": {"GET"},
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": {"GET"},
    "/_dash-layout": {"GET"},
    "/_dash-dependencies": {"GET"},
    "/_dash-update-component": {"POST"},
    "/_reload-hash": {"GET"},
    "/_favicon.ico": {"GET"},
    "/brief/<path:partnership_id>": {"GET"},
    # The editing page: a second Dash app under /edit/; its callbacks check the editor's session.
    "/edit": {"GET"},
    "/edit/": {"GET"},
    "/edit/<path:path>": {"GET"},
    "/edit/assets/<path:filename>": {"GET"},
    "/edit/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": {"GET"},
    "/edit/_dash-layout": {"GET"},
    "/edit/_dash-dependencies": {"GET"},
    "/edit/_dash-update-component": {"POST"},
    "/edit/_reload-hash": {"GET"},
    "/edit/_favicon.ico": {"GET"},
}
# HEAD and OPTIONS come with every route and read nothing.
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_data(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def app(data_dir: Path) -> Dash:
    return create_app(data_dir=data_dir)


@pytest.fixture(scope="module")
def client(app: Dash) -> Any:
    return app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(client: Any) -> list[dict]:
    return server_callbacks(client)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def map_request(callbacks: list[dict], **values: Any) -> dict[str, Any]:
    return callback_body(find_callback(callbacks, MAP), [values.get(name) for name in MAP_CONTROLS])


def responses(client: Any, callbacks: list[dict]) -> Iterator[tuple[str, Any]]:
    yield "page", client.get("/")
    yield "layout", client.get("/_dash-layout")
    yield "dependencies", client.get("/_dash-dependencies")
    yield "asset", client.get("/assets/atlas.js")
    yield "component suite", client.get(re.search(r'src="(/_dash-component-suites/[^"]+)"', client.get("/").text)[1])
    yield "404", client.get("/assets/no-such-file.js")
    yield "callback", client.post(UPDATE, json=map_request(callbacks, home="all", lang="en"))
    yield "413", client.post(UPDATE, data=b"x" * (MAX_REQUEST_BYTES + 1), content_type="application/json")


def test_every_response_carries_the_security_headers(client: Any, callbacks: list[dict]) -> None:
    for name, response in responses(client, callbacks):
        headers = response.headers
        policy = directives(headers.get("Content-Security-Policy", ""))
        assert policy.get("frame-ancestors") == ["'none'"], name
        assert policy.get("object-src") == ["'none'"], name
        assert policy.get("default-src") == ["'self'"], name
        script_sources = policy.get("script-src", [])
        assert "'self'" in script_sources, name
        assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources, name
        assert all(source == "'self'" or source.startswith("'sha256-") for source in script_sources), name
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("Referrer-Policy") == "no-referrer", name
        assert headers.get("X-Frame-Options") == "DENY", name


def test_the_404_is_a_404(client: Any) -> None:
    assert client.get("/assets/no-such-file.js").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/no_such_package/bundle.js",
        "/_dash-component-suites/dash/no-such-file.js",
        "/_dash-component-suites/dash_ag_grid/no-such.v35m1.js",
        "/_dash-component-suites/dash/../../etc/passwd",
    ],
)
def test_an_unknown_component_script_is_a_404_without_a_traceback(
    client: Any, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "registered" not in response.get_data(as_text=True)
    assert "Traceback" not in caplog.text and "registered" not in caplog.text


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_is_a_400(client: Any, opening: str, closing: str) -> None:
    body = opening * 10_000 + "1" + closing * 10_000
    response = client.post(UPDATE, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.get_data(as_text=True)


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client: Any) -> None:
    page = client.get("/")
    allowed = set(directives(page.headers["Content-Security-Policy"])["script-src"]) - {"'self'"}
    # Conditional comments for Internet Explorer never run in the browsers the policy is for.
    html = re.sub(r"<!--.*?-->", "", page.text, flags=re.S)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    executable = [body for attributes, body in inline if "application/json" not in attributes]
    assert executable, "Dash's start-up script is inline"
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in executable
    }
    assert hashes == allowed


def test_a_request_over_the_size_limit_is_refused_with_413(client: Any, callbacks: list[dict]) -> None:
    too_big = client.post(UPDATE, data=b" " * (MAX_REQUEST_BYTES + 1), content_type="application/json")
    assert too_big.status_code == 413
    padded = map_request(callbacks, home="all", lang="en") | {"padding": "x" * (MAX_REQUEST_BYTES - 10_000)}
    assert client.post(UPDATE, json=padded).status_code == 200


def test_no_route_takes_anything_but_reads_and_callbacks(app: Dash) -> None:
    routes = {rule.rule: set(rule.methods) - IMPLICIT_METHODS for rule in app.server.url_map.iter_rules()}
    assert routes == EXPECTED_ROUTES


@pytest.mark.parametrize(
    "path",
    ["/data/partnerships.csv", "/assets/../data/partnerships.csv", "/assets/..%2Fdata%2Fpartnerships.csv", "/app.py"],
)
def test_no_route_serves_the_data_files_or_the_code(client: Any, path: str) -> None:
    response = client.get(path)
    assert "chongqing-toulouse" not in response.text and "create_app" not in response.text


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_writing_methods_are_not_allowed_anywhere(client: Any, data_dir: Path, method: str) -> None:
    before = file_hashes(data_dir)
    for path in ("/", "/partnerships.csv", "/assets/atlas.js", "/_dash-layout", UPDATE, "/data/partnerships.csv"):
        assert client.open(path, method=method, data=b"id\nx\n").status_code == 405, (method, path)
    assert file_hashes(data_dir) == before


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["none", "bool", "int", "float", "text", "known", "list", "dict"]
    kind = rng.choice(kinds if depth < 2 else kinds[:6])
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rng.choice([0, -1, 1982, 2004, 2024, 99999, -(10**12)])
    if kind == "float":
        return rng.choice([0.5, 2004.0, -1e300, 1e300])
    if kind == "text":
        return "".join(rng.choice("aZ0-_/.;,%<>\"'&? 重庆\u202e") for _ in range(rng.randint(0, 30)))
    if kind == "known":
        return rng.choice(["all", "Chongqing", "Changsha", "trade", "zh", "en", "chongqing-voronezh", "../data"])
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {"points": [{"customdata": random_value(rng, depth + 1)}], "search": random_value(rng, depth + 1)}


def test_hundreds_of_random_callback_requests_leave_the_data_untouched(
    client: Any, callbacks: list[dict], data_dir: Path
) -> None:
    rng = random.Random(7)
    before = file_hashes(data_dir)
    for _ in range(300):
        dependency = rng.choice(callbacks)
        values = [random_value(rng) for _ in range(value_count(dependency))]
        client.post(UPDATE, json=callback_body(dependency, values))
    assert file_hashes(data_dir) == before


def test_debug_is_off_by_default(app: Dash) -> None:
    assert app.server.debug is False
    assert not any(app._dev_tools[flag] for flag in ("ui", "props_check", "hot_reload", "serve_dev_bundles"))


# `python app.py` as a user starts it: the environment says only which port.


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, from the kernel's own tables."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        with open(table) as stream:
            next(stream)
            for line in stream:
                local, _remote, state = line.split()[1:4]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    assert len(address) == width
                    found.add(kernel_address(address))
    return found


def kernel_address(address: str) -> str:
    if len(address) == 8:
        return ".".join(str(byte) for byte in reversed(bytes.fromhex(address)))
    words = [bytes.fromhex(address[i : i + 8])[::-1].hex() for i in range(0, 32, 8)]
    return ":".join("".join(words)[i : i + 4] for i in range(0, 32, 4))


@pytest.fixture(scope="module")
def default_server() -> Iterator[tuple[int, subprocess.Popen]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("HOST", "DASH_DEBUG", "ATLAS_DATA_DIR")}
    env["PORT"] = str(port)
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("python app.py did not answer on 127.0.0.1")
            time.sleep(0.2)
    yield port, process
    process.terminate()
    process.wait(timeout=10)


def fetch(port: int, path: str, body: bytes | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_python_app_py_listens_on_loopback_only_by_default(default_server: tuple[int, subprocess.Popen]) -> None:
    port, _ = default_server
    assert listening_addresses(port) == {"127.0.0.1"}


def test_python_app_py_runs_without_debugger_or_dev_tools_by_default(
    default_server: tuple[int, subprocess.Popen],
) -> None:
    port, _ = default_server
    status, _, page = fetch(port, "/")
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S)[1])
    assert status == 200
    assert config["ui"] is False and config["props_check"] is False
    assert "hot_reload" not in config
    assert ".dev.js" not in page
    # Dash always routes /_reload-hash; without dev tools nothing watches files and it has no hash.
    _, _, reload_hash = fetch(port, "/_reload-hash")
    assert json.loads(reload_hash)["reloadHash"] is None
    # Werkzeug's interactive debugger would answer with its console script.
    _, headers, debugger = fetch(port, "/?__debugger__=yes&cmd=resource&f=debugger.js")
    assert headers["Content-Type"].startswith("text/html") and "Werkzeug" not in debugger
    # A request the app cannot answer shows no traceback.
    status, _, error_page = fetch(port, UPDATE, b"{}")
    assert status == 400
    assert "Traceback" not in error_page and "File " not in error_page
