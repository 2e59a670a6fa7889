"""`python -m atlas bench`: how the map callback scales, measured through Dash's own request path.

Synthetic data directories (hubs and partners drawn from the GeoNames gazetteer, random years and
sectors) are written in the project's format, loaded by `load_atlas`, and the real app is built on
each of them. For every size the bench reports:

- `callback_ms_median`: median server time of the map callback (the hub's links, which the browser
  then filters by year and sectors itself) for all hubs and the busiest ones, a POST to
  `/_dash-update-component` through Flask's test client (routing, Talisman, Dash's dispatch and JSON);
- `payload_bytes`: the size of that response for all hubs, every link;
- `floor_ms`: the time to JSON-encode only the visible links' endpoint coordinates (four numbers a
  link, Python's `json` on Python floats): what sending the links costs before anything else.

The world pair list in `../shared/` is imported with `import-pairs` and measured beside them.
`--load` instead serves a 3,000-link directory with gunicorn and sends concurrent requests;
`--slow-clients N` serves data/ as deployed while N clients send their headers slowly, and reports the
share of other requests answered.

This module builds the Dash app, so it imports `app` and `layouts` (lazily): it measures the whole
stack, unlike the rest of atlas/.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from atlas.paths import DEFAULT_DATA_DIR, PROJECT_ROOT

SIZES = (100, 3_000, 20_000)
WORLD_FILE = PROJECT_ROOT.parent / "shared" / "reference" / "world" / "twin_cities.csv"
WORLD_SOURCE_TITLE = "Wikipedia's twin-town lists, compiled by Hekman/twincities (MIT licence)"
WORLD_SOURCE_URL = "https://github.com/Hekman/twincities"
FIRST_YEAR, LAST_YEAR = 1973, 2024
PARTNERS_PER_HUB = 50  # Chongqing has 56
UNDATED_SHARE = 0.05
HUBS_TIMED = 10  # all hubs and the nine busiest
LOAD_LINKS = 3_000
LOAD_REQUESTS = 1_000
LOAD_CLIENTS = 16
LOAD_WORKERS = max(2, os.cpu_count() or 2)  # CPU-bound: one worker a core
DASH_ENDPOINT = "/_dash-update-component"
GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"
SLOW_CLIENTS = 10
SLOW_SECONDS = 30.0
SLOW_BYTE_INTERVAL = 2.0  # a header byte every 2 s: slow enough to hold a connection, fast enough to keep it
PROBE_INTERVAL = 0.25
PROBE_TIMEOUT = 5.0


# --- Synthetic data --------------------------------------------------------------------------------


def gazetteer(min_population: int = 15_000) -> list[dict[str, Any]]:
    """Towns of the world gazetteer, one per (name, admin1, country), biggest first."""
    import numpy as np

    from atlas.places.gazetteer import gazetteer as world
    from atlas.places.vocabulary import LEVELS

    places = world()
    towns = np.flatnonzero((places.level == LEVELS.index("city")) & (places.population >= min_population))
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for number in sorted(towns.tolist(), key=lambda number: (-int(places.population[number]), number)):
        town = places.place(number)
        key = (town.name.strip(), town.admin1, town.country)
        if key in seen or not town.name.strip():
            continue
        seen.add(key)
        unique.append(
            {
                "name": town.name,
                "admin1code": town.admin1,
                "countrycode": town.country,
                "population": town.population,
                "latitude": town.lat,
                "longitude": town.lon,
                "source": town.source,
            }
        )
    return unique


def write_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_synthetic(directory: Path, links: int, seed: int = 8) -> Path:
    """A valid data directory of `links` partnerships between gazetteer cities; returns it."""
    from atlas.validate import partnership_key

    rng = np.random.default_rng(seed + links)
    cities = gazetteer()
    population = np.array([city["population"] for city in cities], dtype=float)
    hub_count = max(2, min(links // PARTNERS_PER_HUB, len(cities) // 4))
    # Hubs are the bigger cities (weighted by population), partners any city.
    hub_index = rng.choice(len(cities), size=hub_count, replace=False, p=population / population.sum())
    hubs = [cities[i] for i in hub_index]
    weights = rng.pareto(1.2, size=hub_count) + 1
    hub_of_link = rng.choice(hub_count, size=links, p=weights / weights.sum())
    sectors = [row["sector"] for row in csv.DictReader((DEFAULT_DATA_DIR / "sectors.csv").open(encoding="utf-8"))]
    seen: set[tuple[str, str, str, str]] = set()
    used: dict[tuple[str, str, str], dict[str, Any]] = {}
    partnerships, events = [], []
    for number, hub_number in enumerate(hub_of_link):
        home = hubs[hub_number]
        while True:
            partner = cities[int(rng.integers(len(cities)))]
            key = partnership_key(home["name"], home["countrycode"], partner["name"], partner["countrycode"])
            if partner is not home and key not in seen:
                break
        seen.add(key)
        for city in (home, partner):
            used[(city["name"].strip(), city["admin1code"], city["countrycode"])] = city
        dated = rng.random() >= UNDATED_SHARE
        year = int(rng.integers(FIRST_YEAR, LAST_YEAR + 1))
        established = f"{year}-{int(rng.integers(1, 13)):02d}" if dated else ""
        partnership_id = f"link-{number + 1}"
        partnerships.append(
            [
                partnership_id,
                home["name"].strip(),
                "",
                "city",
                "",
                home["admin1code"],
                home["countrycode"],
                partner["name"].strip(),
                "",
                "city",
                partner["admin1code"],
                partner["countrycode"],
                established,
                "sister city",
                "",
                ["high", "medium", "low"][int(rng.choice(3, p=[0.6, 0.3, 0.1]))],
                "",
                "Synthetic benchmark data",
                "",
            ]
        )
        for _ in range(int(rng.integers(0, 3))):
            chosen = rng.choice(sectors, size=int(rng.integers(1, 3)), replace=False)
            date = str(int(rng.integers(year, LAST_YEAR + 1))) if dated else ""
            events.append(
                [partnership_id, date, "exchange", ";".join(chosen), "Synthetic exchange", "", "", "", "Synthetic"]
            )
    directory.mkdir(parents=True, exist_ok=True)
    write_rows(
        directory / "partnerships.csv",
        [
            "id",
            "home",
            "home_zh",
            "home_level",
            "home_province",
            "home_admin1",
            "home_country",
            "partner",
            "partner_zh",
            "partner_level",
            "partner_admin1",
            "country",
            "established",
            "relation",
            "relation_zh",
            "confidence",
            "source_url",
            "source_title",
            "notes",
        ],
        partnerships,
    )
    write_rows(
        directory / "events.csv",
        [
            "partnership_id",
            "date",
            "kind",
            "sectors",
            "summary",
            "summary_zh",
            "institutions",
            "source_url",
            "source_title",
        ],
        events,
    )
    write_rows(
        directory / "places.csv",
        ["name", "admin1", "country", "lat", "lon", "precision", "source"],
        [
            [name, admin1, country, f"{city['latitude']:.5f}", f"{city['longitude']:.5f}", "point", "geonames"]
            for (name, admin1, country), city in used.items()
        ],
    )
    shutil.copyfile(DEFAULT_DATA_DIR / "sectors.csv", directory / "sectors.csv")
    return directory


def import_world(directory: Path, source: Path = WORLD_FILE) -> Path:
    """The world pair list as a data directory, through `import-pairs`."""
    from atlas.pairs import import_pairs

    import_pairs(source, directory, source_title=WORLD_SOURCE_TITLE, source_url=WORLD_SOURCE_URL)
    return directory


# --- Measuring the map callback --------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    links: int
    callback_ms_median: float
    payload_bytes: int
    floor_ms: float


def map_request(home: str, lang: str = "en") -> dict:
    """The body Dash's renderer posts when the map needs a hub's links (a new hub or language)."""
    from layouts import ids

    values = [
        (ids.HOME_SELECT, "value", home),
        (ids.PARTNER_SEARCH, "value", None),
        (ids.LANG_STORE, "data", lang),
        (ids.PRESENT_STORE, "data", False),
        (ids.CONTRAST_STORE, "data", False),
        (ids.UNCONFIRMED_TOGGLE, "value", ["show"]),
    ]
    return {
        "output": f"{ids.MAP_SOURCE}.data",
        "outputs": {"id": ids.MAP_SOURCE, "property": "data"},
        "inputs": [{"id": component, "property": prop, "value": value} for component, prop, value in values],
        "changedPropIds": [f"{ids.HOME_SELECT}.value"],
        "state": [],
    }


def busiest_hubs(atlas, count: int = HUBS_TIMED) -> list[str]:
    """All hubs, then the busiest ones: the views whose links the map callback sends."""
    from atlas.load import HUB_ALL

    return [HUB_ALL, *(hub.id for hub in atlas.hubs[: count - 1])]


def encode_floor_ms(frame) -> float:
    """Time to JSON-encode the endpoint coordinates of the links in `frame`, and nothing else."""
    started = time.perf_counter()
    json.dumps(frame[["home_lon", "home_lat", "lon", "lat"]].to_numpy().tolist())
    return (time.perf_counter() - started) * 1000


def measure(data_dir: Path, repeats: int = 3, links: int | None = None) -> Case:
    """Build the app on `data_dir` and time the map callback for all hubs and the busiest ones.

    `links` names the case (default: the partnerships loaded): the world list is named by its 25,917
    rows although its duplicates (the same pair listed under each city) are drawn once."""
    from atlas.filters import filter_partnerships
    from atlas.load import HUB_ALL, load_atlas

    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    import app as app_module

    atlas = load_atlas(data_dir)
    client = app_module.create_app(data_dir).server.test_client()
    assert client.get("/").status_code == 200  # Dash sets up its routes on the first request
    full = client.post(DASH_ENDPOINT, json=map_request(HUB_ALL))
    if full.status_code != 200:
        raise RuntimeError(f"map callback answered {full.status_code}: {full.get_data(as_text=True)[:500]}")
    timings = []
    for _ in range(repeats):
        for home in busiest_hubs(atlas):
            body = map_request(home)
            started = time.perf_counter()
            response = client.post(DASH_ENDPOINT, json=body)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    floors = [encode_floor_ms(filter_partnerships(atlas, HUB_ALL, None)) for _ in range(repeats)]
    return Case(
        links=len(atlas.partnerships) if links is None else links,
        callback_ms_median=round(statistics.median(timings), 1),
        payload_bytes=len(full.get_data()),
        floor_ms=round(statistics.median(floors), 2),
    )


def pair_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as stream:
        return sum(1 for _ in csv.reader(stream)) - 1


def run_cases(sizes: Sequence[int], world: Path | None, repeats: int, log=print) -> list[Case]:
    from atlas.load import load_atlas

    cases = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as scratch:
        for links in sizes:
            directory = write_synthetic(Path(scratch) / f"synthetic-{links}", links)
            cases.append(measure(directory, repeats))
            log(describe(cases[-1], "synthetic"))
        if world is not None:
            directory = import_world(Path(scratch) / "world", world)
            cases.append(measure(directory, repeats, links=pair_rows(world)))
            drawn = len(load_atlas(directory).partnerships)
            log(describe(cases[-1], f"world: {world.name}, {drawn} distinct pairs drawn"))
    return cases


def describe(case: Case, kind: str) -> str:
    ratio = case.callback_ms_median / case.floor_ms if case.floor_ms else float("inf")
    return (
        f"{case.links:>6} links ({kind}): callback {case.callback_ms_median:.1f} ms median, "
        f"{case.payload_bytes / 1e6:.2f} MB, floor {case.floor_ms:.2f} ms ({ratio:.1f}× floor)"
    )


# --- Load test with gunicorn -----------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    workers: int
    clients: int
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(data_dir: Path, workers: int, log_path: Path, *options: str) -> Iterator[int]:
    """The README's deployment (`gunicorn -c gunicorn.conf.py`) with N workers on a free loopback port;
    yields the port. `options` are more gunicorn options (they win over the file's)."""
    port = free_port()
    env = {**os.environ, "ATLAS_DATA_DIR": str(data_dir)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(GUNICORN_CONF),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, *options],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(port, process, log_path)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(port: int, process: subprocess.Popen, log_path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log_path.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout} s")


def load_test(
    data_dir: Path, workers: int = LOAD_WORKERS, clients: int = LOAD_CLIENTS, requests: int = LOAD_REQUESTS
) -> LoadResult:
    """`requests` map-callback POSTs from `clients` concurrent threads, for all hubs and the busiest ones."""
    from atlas.load import load_atlas

    homes = busiest_hubs(load_atlas(data_dir))
    bodies = [json.dumps(map_request(homes[number % len(homes)])).encode() for number in range(requests)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    next_request = iter(range(requests))

    with (
        tempfile.NamedTemporaryFile(prefix="atlas-gunicorn-", suffix=".log") as log,
        gunicorn(data_dir, workers, Path(log.name)) as port,
    ):

        def client() -> None:
            while True:
                with lock:
                    number = next(next_request, None)
                if number is None:
                    return
                started = time.perf_counter()
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request(
                        "POST", DASH_ENDPOINT, body=bodies[number], headers={"Content-Type": "application/json"}
                    )
                    response = connection.getresponse()
                    response.read()
                    connection.close()
                    failure = None if response.status == 200 else f"HTTP {response.status}"
                except OSError as error:
                    failure = f"{type(error).__name__}: {error}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if failure:
                        errors.append(failure)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return LoadResult(
        workers=workers,
        clients=clients,
        requests=len(latencies),
        errors=len(errors),
        seconds=round(seconds, 2),
        requests_per_second=round(len(latencies) / seconds, 1),
        p50_ms=round(float(np.percentile(ordered, 50)), 1),
        p99_ms=round(float(np.percentile(ordered, 99)), 1),
    )


# --- Slow clients ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlowClientResult:
    workers: int
    slow_clients: int
    seconds: float
    requests: int  # other requests sent meanwhile, one every PROBE_INTERVAL
    answered: int  # answered 200 within PROBE_TIMEOUT
    answered_share: float
    p50_ms: float
    max_ms: float


def send_slowly(port: int, stop: threading.Event, byte_interval: float) -> None:
    """A client that sends its request headers one byte at a time, reconnecting when it is cut off."""
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n" + b"X-Padding: " + b"x" * 4000
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=PROBE_TIMEOUT) as connection:
                for byte in request:
                    if stop.wait(byte_interval):
                        return
                    connection.send(bytes([byte]))
        except OSError:
            stop.wait(0.1)


def slow_client_probe(
    data_dir: Path,
    workers: int = LOAD_WORKERS,
    slow_clients: int = SLOW_CLIENTS,
    seconds: float = SLOW_SECONDS,
    byte_interval: float = SLOW_BYTE_INTERVAL,
    options: Sequence[str] = (),
) -> SlowClientResult:
    """Serve `data_dir` as deployed while `slow_clients` send headers slowly; meanwhile ask for the page
    every PROBE_INTERVAL and count what is answered in time."""
    latencies: list[float] = []
    requests = 0
    with (
        tempfile.NamedTemporaryFile(prefix="atlas-gunicorn-", suffix=".log") as log,
        gunicorn(data_dir, workers, Path(log.name), *options) as port,
    ):
        stop = threading.Event()
        slow = [threading.Thread(target=send_slowly, args=(port, stop, byte_interval)) for _ in range(slow_clients)]
        for thread in slow:
            thread.start()
        time.sleep(min(1.0, seconds / 4))  # every slow client connected and holding its connection
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                requests += 1
                started = time.perf_counter()
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
                    connection.request("GET", "/")
                    response = connection.getresponse()
                    response.read()
                    connection.close()
                    if response.status == 200:
                        latencies.append((time.perf_counter() - started) * 1000)
                except OSError:
                    pass
                time.sleep(max(0.0, PROBE_INTERVAL - (time.perf_counter() - started)))
        finally:
            stop.set()
            for thread in slow:
                thread.join()
    return SlowClientResult(
        workers=workers,
        slow_clients=slow_clients,
        seconds=seconds,
        requests=requests,
        answered=len(latencies),
        answered_share=round(len(latencies) / requests, 3) if requests else 0.0,
        p50_ms=round(float(np.percentile(latencies, 50)), 1) if latencies else float("nan"),
        max_ms=round(max(latencies), 1) if latencies else float("nan"),
    )


# --- Command line ----------------------------------------------------------------------------------


def run_bench(args: argparse.Namespace) -> int:
    log = (lambda text: print(text, file=sys.stderr)) if args.json else print
    if args.browser:
        if str(PROJECT_ROOT) not in sys.path:
            sys.path.insert(0, str(PROJECT_ROOT))
        from benchmarks.browser import run_browser_bench

        world = None if args.no_world or not args.world.exists() else args.world
        return run_browser_bench(world, args.runs, args.json)
    if args.slow_clients:
        options = ["-k", "sync", "--threads", "1"] if args.sync_workers else []
        probe = slow_client_probe(DEFAULT_DATA_DIR, args.workers, args.slow_clients, args.seconds, options=options)
        if args.json:
            print(json.dumps({"slow_clients": asdict(probe)}))
        else:
            print(
                f"gunicorn -c gunicorn.conf.py -w {probe.workers}{' ' + ' '.join(options) if options else ''}: "
                f"{probe.slow_clients} clients sending a header byte every {SLOW_BYTE_INTERVAL:g} s for "
                f"{probe.seconds:g} s; other requests answered {probe.answered}/{probe.requests} "
                f"({probe.answered_share:.0%}) within {PROBE_TIMEOUT:g} s, p50 {probe.p50_ms} ms, max {probe.max_ms} ms"
            )
        return 0
    if args.load:
        with tempfile.TemporaryDirectory(prefix="atlas-load-") as scratch:
            directory = write_synthetic(Path(scratch) / f"synthetic-{args.load_links}", args.load_links)
            result = load_test(directory, args.workers, args.clients, args.requests)
        if args.json:
            print(json.dumps({"load": {"links": args.load_links, **asdict(result)}}))
        else:
            print(
                f"gunicorn -w {result.workers}, {args.load_links} links: {result.requests} requests from "
                f"{result.clients} clients in {result.seconds} s, {result.errors} error(s), "
                f"{result.requests_per_second} req/s, p50 {result.p50_ms} ms, p99 {result.p99_ms} ms"
            )
        return 1 if result.errors else 0
    world = None if args.no_world else args.world
    if world is not None and not world.exists():
        log(f"bench: {world} not found: the world case is left out")
        world = None
    cases = run_cases(args.sizes, world, args.repeats, log)
    if args.json:
        print(json.dumps({"cases": [asdict(case) for case in cases]}))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "bench",
        help="time the map callback at 100, 3,000 and 20,000 links and on the world pair list",
        description=(
            "Generate synthetic data directories, build the app on each and time the map callback through "
            "Dash's request path; --load serves one with gunicorn and sends concurrent requests instead."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SIZES), metavar="N", help="links per synthetic case"
    )
    parser.add_argument("--repeats", type=int, default=3, help="passes over the hubs per case (default: 3)")
    parser.add_argument("--world", type=Path, default=WORLD_FILE, metavar="FILE", help="pair list measured as well")
    parser.add_argument("--no-world", action="store_true", help="leave out the world pair list")
    parser.add_argument("--load", action="store_true", help="load-test the README's gunicorn deployment instead")
    parser.add_argument("--load-links", type=int, default=LOAD_LINKS, metavar="N", help="links served (--load)")
    parser.add_argument("--workers", type=int, default=LOAD_WORKERS, help="gunicorn workers (--load)")
    parser.add_argument("--clients", type=int, default=LOAD_CLIENTS, help="concurrent clients (--load)")
    parser.add_argument("--requests", type=int, default=LOAD_REQUESTS, help="requests in all (--load)")
    parser.add_argument(
        "--slow-clients",
        type=int,
        default=0,
        metavar="N",
        help="serve data/ as deployed while N clients send headers a byte every 2 s; print the share of other "
        f"requests answered (the README's figure: {SLOW_CLIENTS})",
    )
    parser.add_argument("--seconds", type=float, default=SLOW_SECONDS, help="how long (--slow-clients)")
    parser.add_argument("--sync-workers", action="store_true", help="with sync workers instead (--slow-clients)")
    parser.add_argument(
        "--browser",
        action="store_true",
        help="first render, slider step and bytes in headless Chromium, beside a floor",
    )
    parser.add_argument("--runs", type=int, default=5, help="cold loads per case (--browser; default: 5)")
    parser.set_defaults(run=run_bench)
