"""A deployment that holds: every worker follows the data directory and serves one validated version;
an invalid change keeps the last good one serving; slow clients leave the rest answered; a second
machine takes whole versions from the one that writes."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from callback_requests import MAP, MAP_SOURCE, UPDATE, callback_body, find_callback, server_callbacks
from datadir import copy_data, file_hashes, run_atlas, set_cell
from test_store import WRITER_IN_A_LOOP, town_change, towns
from versions import versions_served, wait_for_versions

from app import DATA_VERSION_HEADER, create_app
from atlas.bench import gunicorn, slow_client_probe
from atlas.live import LiveAtlas
from atlas.store import REPLICA_FILE, DataStore, StoreError
from atlas.validate import has_errors, validate_directory
from atlas.views import shown_table_data, shown_table_state, state_from_controls

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def add_town(data_dir: Path, number: int) -> str:
    """Commit a new partnership (and its place and event) through the store; the new version."""
    store = DataStore(data_dir)
    base = store.read()
    return store.commit(town_change(base, number), base).after.version


def break_tables(data_dir: Path) -> None:
    """An edit by hand that does not validate (the write path would refuse it)."""
    set_cell(data_dir / "partnerships.csv", 5, "established", "2023-02-29")


# --- One process: LiveAtlas -----------------------------------------------------------------------


def test_a_change_to_the_tables_is_served_after_one_look(data_dir: Path) -> None:
    live = LiveAtlas(data_dir)
    before = live.current()
    assert live.refresh() is False  # nothing changed
    version = add_town(data_dir, 1)
    assert live.refresh() is True
    assert live.current().version == version != before.version
    assert len(live.current().partnerships) == len(before.partnerships) + 1


def test_an_invalid_change_keeps_the_last_good_tables_and_says_so_once(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live = LiveAtlas(data_dir)
    good = live.current()
    break_tables(data_dir)
    with caplog.at_level(logging.INFO, logger="atlas"):
        assert live.refresh() is False
        assert live.refresh() is False
    assert live.current() is good
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert f"cannot be served; still serving version {good.version}" in record.getMessage()
    assert "partnerships.csv row 5 column 'established'" in record.getMessage()
    set_cell(data_dir / "partnerships.csv", 5, "established", "2023-02-28")  # fixed
    assert live.refresh() is True


def test_a_grid_holding_rows_of_other_tables_is_filled_anew(data_dir: Path) -> None:
    live = LiveAtlas(data_dir)
    state = state_from_controls(live.current(), "Chongqing", 2010, [], None, "en")
    shown = shown_table_data(live.current(), state)
    assert shown_table_state(live.current(), shown) == state
    add_town(data_dir, 1)
    live.refresh()
    assert shown_table_state(live.current(), shown) is None  # the grid gets every row again


def links_sent(response: Any) -> int:
    """How many of the hub's links the map callback sent the browser."""
    return len(response.get_json()["response"][MAP_SOURCE]["data"]["links"]["id"])


def test_the_page_and_the_callbacks_follow_the_tables_without_a_restart(data_dir: Path) -> None:
    client = create_app(data_dir).server.test_client()
    first = client.get("/_dash-layout")
    version = first.headers[DATA_VERSION_HEADER]
    chongqing = re.search(r"Chongqing \((\d+)\)", first.get_data(as_text=True))
    assert chongqing, "the hub list names Chongqing with its count"
    map_call = find_callback(server_callbacks(client), MAP)
    body = callback_body(map_call, ["Chongqing", None, "en", False, False, ["show"]])
    count = links_sent(client.post(UPDATE, json=body))
    new_version = add_town(data_dir, 1)
    deadline = time.monotonic() + 15
    while client.get("/_dash-layout").headers[DATA_VERSION_HEADER] == version:
        assert time.monotonic() < deadline, "the app never served the new tables"
        time.sleep(0.2)
    response = client.post(UPDATE, json=body)
    assert response.headers[DATA_VERSION_HEADER] == new_version
    assert links_sent(response) == count + 1
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert f"Chongqing ({int(chongqing[1]) + 1})" in layout  # the page is laid out from the new tables


# --- Several workers: the README's gunicorn deployment ----------------------------------------------


def worker_pids(log: Path) -> set[str]:
    return set(re.findall(r"Booting worker with pid: (\d+)", log.read_text()))


def test_every_worker_serves_the_new_version_and_keeps_it_when_a_change_is_invalid(
    data_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "gunicorn.log"
    with gunicorn(data_dir, 2, log) as port:
        first = DataStore(data_dir).read().version
        assert versions_served(port) == {first}
        second = add_town(data_dir, 1)
        wait_for_versions(port, second)
        deadline = time.monotonic() + 10
        while len(re.findall(rf"now serving version {second}", log.read_text())) < 2:
            assert time.monotonic() < deadline, "not every worker loaded the new version"
            time.sleep(0.2)

        break_tables(data_dir)
        time.sleep(5)  # two looks of every worker
        assert versions_served(port) == {second}
        assert len(re.findall(rf"cannot be served; still serving version {second}", log.read_text())) == 2

        # A worker started now (forked from the app preloaded with the first version) never serves that one.
        set_cell(data_dir / "partnerships.csv", 5, "established", "2023-02-28")
        third = DataStore(data_dir).read().version
        wait_for_versions(port, third)
        before = worker_pids(log)
        os.kill(int(sorted(before)[0]), signal.SIGTERM)
        deadline = time.monotonic() + 20
        while len(worker_pids(log)) == len(before):
            assert time.monotonic() < deadline, "gunicorn did not start another worker"
            time.sleep(0.1)
        assert versions_served(port, 40) == {third}


def test_slow_clients_leave_other_requests_answered_by_the_deployment(data_dir: Path) -> None:
    """The mechanism of `python -m atlas bench --slow-clients 10` (README), briefly: threaded workers
    answer while slow clients hold connections; one sync worker, as the README once deployed, does not."""
    threaded = slow_client_probe(data_dir, workers=1, slow_clients=4, seconds=3, byte_interval=0.5)
    assert threaded.answered_share >= 0.9, threaded
    sync = slow_client_probe(
        data_dir, workers=1, slow_clients=4, seconds=3, byte_interval=0.5, options=["-k", "sync", "--threads", "1"]
    )
    assert sync.answered_share < 0.5, sync


# --- Several machines: one writes, the others copy whole versions -----------------------------------


def test_a_copy_takes_only_whole_versions_while_the_writer_writes(tmp_path: Path) -> None:
    (tmp_path / "writer").mkdir()
    (tmp_path / "copy").mkdir()
    writer_dir, copy_dir = copy_data(tmp_path / "writer"), copy_data(tmp_path / "copy")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER_IN_A_LOOP, str(writer_dir), "0"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copy, seen = DataStore(copy_dir), set()
    try:
        writer.stdout.readline()
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            commit = copy.sync_from(DataStore(writer_dir))
            found = towns(commit.after)
            assert len({len(names) for names in found}) == 1, found
            seen.add(len(found[0]))
    finally:
        writer.kill()
        writer.wait()
    assert len(seen) > 3  # the copy followed the writer through several versions
    assert not has_errors(validate_directory(copy_dir))
    assert (copy_dir / REPLICA_FILE).read_text().strip() == str(writer_dir.resolve())


def test_a_copy_refuses_changes_made_on_it(tmp_path: Path) -> None:
    (tmp_path / "writer").mkdir()
    (tmp_path / "copy").mkdir()
    writer_dir, copy_dir = copy_data(tmp_path / "writer"), copy_data(tmp_path / "copy")
    synced = run_atlas("sync", str(writer_dir), "--data", str(copy_dir))
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith(f"{copy_dir}: already version ")
    store = DataStore(copy_dir)
    base = store.read()
    with pytest.raises(StoreError, match=r"is a copy of .*: make the change there"):
        store.commit(town_change(base, 1), base)
    article = PROJECT_ROOT / "tests" / "fixtures" / "articles" / "changsha_two_partners.txt"
    before = file_hashes(copy_dir)
    refused = run_atlas("ingest", str(article), "--apply", "--data", str(copy_dir))
    assert refused.returncode == 1
    assert f"error: {copy_dir}: is a copy of {writer_dir.resolve()}" in refused.stderr
    assert file_hashes(copy_dir) == before


def test_an_invalid_change_of_the_writer_is_not_copied(tmp_path: Path) -> None:
    (tmp_path / "writer").mkdir()
    (tmp_path / "copy").mkdir()
    writer_dir, copy_dir = copy_data(tmp_path / "writer"), copy_data(tmp_path / "copy")
    add_town(writer_dir, 1)
    assert run_atlas("sync", str(writer_dir), "--data", str(copy_dir)).stdout.startswith(f"{copy_dir}: now version")
    before = file_hashes(copy_dir)
    break_tables(writer_dir)
    refused = run_atlas("sync", str(writer_dir), "--data", str(copy_dir))
    assert refused.returncode == 1
    assert "partnerships.csv row 5 column 'established'" in refused.stderr
    assert refused.stderr.endswith(f"sync: the tables of {writer_dir} do not validate; {copy_dir} is unchanged\n")
    assert file_hashes(copy_dir) == before
