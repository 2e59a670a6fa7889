"""Which version of the tables a running server answers from (the `X-Atlas-Data-Version` header)."""

from __future__ import annotations

import http.client
import time

from app import DATA_VERSION_HEADER


def version_of_response(port: int, path: str = "/_dash-layout") -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Connection": "close"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200
    return response.headers[DATA_VERSION_HEADER]


def versions_served(port: int, count: int = 30) -> set[str]:
    return {version_of_response(port) for _ in range(count)}


def wait_for_versions(port: int, wanted: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while (seen := versions_served(port)) != {wanted}:
        assert time.monotonic() < deadline, f"workers serve {seen}, not {wanted} alone"
        time.sleep(0.2)
