"""Browser-test fixtures: the real app served on loopback, driven by Debian's headless Chromium.

Every page records requests; one that leaves the machine fails the test that made it, because at a
forum there may be no network at all.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from datadir import copy_data
from playwright.sync_api import expect

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The tests assert what a person sees, not how fast (benchmarks measure that): on a loaded 2-core
# machine, with three test workers, a redraw can take longer than Playwright's 5 s default.
expect.set_options(timeout=15_000)

# Every app, command and loader of the test session reads a private copy of the frozen fixture tables
# (tests/fixtures/data), never the live data/: adding a true row there must not break a test.
FIXTURE_COPY = copy_data(Path(tempfile.mkdtemp(prefix="atlas-fixture-")))
os.environ["ATLAS_DATA_DIR"] = str(FIXTURE_COPY)
# Editors, the session secret and the undo copies of the test session live in a private instance folder.
INSTANCE_DIR = Path(tempfile.mkdtemp(prefix="atlas-instance-"))
os.environ["ATLAS_INSTANCE_DIR"] = str(INSTANCE_DIR)


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(FIXTURE_COPY.parent, ignore_errors=True)
    shutil.rmtree(INSTANCE_DIR, ignore_errors=True)


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServedApp:
    """`python app.py` in a subprocess, as a user would start it."""

    def __init__(self, data_dir: Path | None = None, extra_env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port), "DASH_DEBUG": "false", **(extra_env or {})}
        if data_dir is not None:
            env["ATLAS_DATA_DIR"] = str(data_dir)
        # A file, not a pipe: nobody reads the request log while tests run, and a full pipe would
        # block the server.
        self.log = tempfile.NamedTemporaryFile("w+", prefix="atlas-app-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "app.py"], cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_until_ready()

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app.py exited: {self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"app.py did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def served_app() -> Iterator[ServedApp]:
    app = ServedApp()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., ServedApp]]:
    """Start another app, e.g. on a different data directory; stopped at the end of the session."""
    started: list[ServedApp] = []

    def start(data_dir: Path | None = None, **env: str) -> ServedApp:
        app = ServedApp(data_dir, env)
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageLog:
    def __init__(self) -> None:
        self.outside_requests: list[str] = []
        self.local_requests: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def block_outside(route, log: PageLog) -> None:
    url = route.request.url
    host = urlparse(url).hostname
    if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
        log.local_requests.append(url)
        route.continue_()
    else:
        log.outside_requests.append(url)
        route.abort()


def record_console_error(message, log: PageLog) -> None:
    """Console errors are failures: a blocked script, a failed callback, a policy violation."""
    if message.type == "error":
        log.errors.append(message.text)


@pytest.fixture
def page(browser, page_log: PageLog, request):
    """A fresh 1400×900 page; fails the test if anything asked for the network beyond this machine."""
    viewport = getattr(request, "param", None) or {"width": 1400, "height": 900}
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="en-US")
    context.route("**/*", lambda route: block_outside(route, page_log))
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: page_log.errors.append(str(error)))
    new_page.on("console", lambda message: record_console_error(message, page_log))
    new_page.set_default_timeout(20_000)
    yield new_page
    context.close()
    assert page_log.outside_requests == [], f"requests left the machine: {page_log.outside_requests}"
    assert page_log.errors == [], f"errors in the page: {page_log.errors}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last, so that a fast failure of the pure logic shows first."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
