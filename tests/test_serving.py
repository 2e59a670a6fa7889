"""What travels: responses compressed as the browser accepts, versioned files kept by the browser a year."""

from __future__ import annotations

import re
from typing import Any

import pytest
from backports import zstd
from datadir import FIXTURE_DATA, PROJECT_ROOT

from app import VERSIONED_ASSET, create_app

ASSETS = PROJECT_ROOT / "assets"
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium sends


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app(data_dir=FIXTURE_DATA).server.test_client()


def linked(client: Any, pattern: str) -> str:
    """The URL the page itself links for a file, version included."""
    return re.search(rf'(?:src|href)="([^"]*{pattern}[^"]*)"', client.get("/").text)[1]


def test_the_plotly_bundle_travels_compressed_and_is_kept_a_year(client: Any) -> None:
    url = linked(client, "plotly-atlas.min.js")
    response = client.get(url, headers={"Accept-Encoding": BROWSER_ENCODINGS})
    assert response.headers["Content-Encoding"] == "zstd"
    assert response.headers["Cache-Control"] == VERSIONED_ASSET
    body = zstd.decompress(response.get_data())
    assert body == (ASSETS / "plotly-atlas.min.js").read_bytes()
    assert len(response.get_data()) < len(body) / 2


def test_a_browser_that_only_takes_gzip_gets_gzip(client: Any) -> None:
    response = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"].lower().count("accept-encoding") == 1


def test_fonts_are_asked_for_by_version_and_kept_a_year_but_not_compressed_again(client: Any) -> None:
    css = client.get(linked(client, "fonts.css")).get_data(as_text=True)
    urls = re.findall(r'url\("([^"]+\.woff2\?v=\w+)"\)', css)
    assert len(urls) == 2
    for url in urls:
        response = client.get(f"/assets/{url}", headers={"Accept-Encoding": BROWSER_ENCODINGS})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == VERSIONED_ASSET
        assert "Content-Encoding" not in response.headers  # WOFF2 is compressed already


def test_a_file_asked_for_without_its_version_is_checked_again_every_time(client: Any) -> None:
    response = client.get("/assets/topojson/world_110m.json")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
