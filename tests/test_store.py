"""`atlas.store`: one write path. Locked, checked against the tables it was made from, committed as one
unit, and read whole: a crash at any moment leaves the old tables or the new ones."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from datadir import copy_data, file_hashes, read_rows, run_atlas

from atlas.errors import ValidationFailed
from atlas.store import CHANGES_LOG, JOURNAL_FILE, DataStore, Snapshot, StaleData, StoreBusy
from atlas.validate import has_errors, validate_directory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TABLES_CHANGED = ("places.csv", "partnerships.csv", "events.csv")


def with_rows(snapshot: Snapshot, file: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = snapshot.frame(file)
    addition = pd.DataFrame([{column: row.get(column, "") for column in frame.columns} for row in rows], dtype=object)
    return pd.concat([frame, addition], ignore_index=True)


def town_rows(number: int) -> dict[str, dict[str, str]]:
    """A new partnership of Chongqing with an invented town, its place and one event: three tables."""
    town = f"Testtown {number}"
    return {
        "places.csv": {
            "name": town,
            "country": "DE",
            "lat": "50.00000",
            "lon": f"{number % 180}.00000",
            "precision": "point",
            "source": "test",
        },
        "partnerships.csv": {
            "id": f"chongqing-testtown-{number}",
            "home": "Chongqing",
            "home_zh": "重庆",
            "home_level": "municipality",
            "home_province": "Chongqing",
            "home_country": "CN",
            "partner": town,
            "partner_level": "city",
            "country": "DE",
            "established": "2020",
            "relation": "sister city",
            "confidence": "low",
            "source_title": "test",
        },
        "events.csv": {
            "partnership_id": f"chongqing-testtown-{number}",
            "date": "2021",
            "kind": "visit",
            "sectors": "culture",
            "summary": f"A visit to {town}",
            "source_title": "test",
        },
    }


def town_change(snapshot: Snapshot, *numbers: int) -> dict[str, pd.DataFrame]:
    return {file: with_rows(snapshot, file, [town_rows(number)[file] for number in numbers]) for file in TABLES_CHANGED}


def towns(snapshot: Snapshot) -> list[list[str]]:
    """The invented towns each of the three tables names (by its first column), sorted."""
    return [
        sorted(value for value in snapshot.frame(file).iloc[:, 0] if "testtown" in value.casefold())
        for file in TABLES_CHANGED
    ]


def partnership_ids(data_dir: Path) -> set[str]:
    return {row[0] for row in read_rows(data_dir / "partnerships.csv")[1:]}


def leftovers(data_dir: Path) -> list[str]:
    return sorted(path.name for path in data_dir.iterdir() if path.name.endswith(".tmp") or path.name == JOURNAL_FILE)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def test_a_change_to_three_tables_is_written_and_validates(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    commit = store.commit(town_change(base, 1), base)
    assert commit.changed == TABLES_CHANGED and commit.merged == ()
    assert commit.before.version == base.version != commit.after.version
    assert store.read().version == commit.after.version
    assert "chongqing-testtown-1" in partnership_ids(data_dir)
    assert not has_errors(validate_directory(data_dir))
    assert leftovers(data_dir) == []


def test_places_are_kept_in_their_order(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    store.commit(town_change(base, 1), base)
    places = read_rows(data_dir / "places.csv")[1:]
    keys = [(row[2], row[0], row[1]) for row in places]
    assert keys == sorted(keys)


def test_undo_restores_the_tables_exactly(data_dir: Path) -> None:
    before = file_hashes(data_dir)
    store = DataStore(data_dir)
    base = store.read()
    commit = store.commit(town_change(base, 1), base)
    undone = store.commit(commit.undo, base=commit.after)
    assert undone.after.version == base.version
    assert file_hashes(data_dir) == before


def test_rows_added_meanwhile_are_kept_when_a_change_made_earlier_adds_rows(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    store.commit(town_change(base, 1), base)  # another writer, after `base` was read
    commit = store.commit(town_change(base, 2), base)
    assert set(commit.merged) == set(TABLES_CHANGED)
    assert {"chongqing-testtown-1", "chongqing-testtown-2"} <= partnership_ids(data_dir)
    assert not has_errors(validate_directory(data_dir))


def test_the_same_rows_added_twice_are_kept_once(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    store.commit(town_change(base, 1), base)
    store.commit(town_change(base, 1), base)
    ids = [row[0] for row in read_rows(data_dir / "partnerships.csv")[1:]]
    assert ids.count("chongqing-testtown-1") == 1


def test_an_edit_of_a_table_changed_meanwhile_is_refused_and_nothing_is_written(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    store.commit(town_change(base, 1), base)
    written = file_hashes(data_dir)
    edited = base.frame("partnerships.csv")
    edited.iloc[0, edited.columns.get_loc("established")] = "1981"
    with pytest.raises(StaleData, match=r"partnerships\.csv changed since the tables were read"):
        store.commit({"partnerships.csv": edited}, base)
    assert file_hashes(data_dir) == written


def test_an_edit_of_a_table_nobody_else_changed_is_taken(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    event = town_rows(0)["events.csv"] | {"partnership_id": "chongqing-toulouse"}
    other = store.commit({"events.csv": with_rows(base, "events.csv", [event])}, base)  # another writer
    assert other.changed == ("events.csv",)
    edited = base.frame("partnerships.csv")
    edited.iloc[0, edited.columns.get_loc("established")] = "1981"
    commit = store.commit({"partnerships.csv": edited}, base)
    assert commit.changed == ("partnerships.csv",) and commit.merged == ()


def test_a_change_that_does_not_validate_is_refused_and_nothing_is_written(data_dir: Path) -> None:
    before = file_hashes(data_dir)
    store = DataStore(data_dir)
    base = store.read()
    change = town_change(base, 1)
    del change["places.csv"]  # the new partner is not geocoded
    with pytest.raises(ValidationFailed) as failure:
        store.commit(change, base)
    assert any("is not geocoded" in problem.message for problem in failure.value.problems)
    assert file_hashes(data_dir) == before


def test_the_change_log_is_written_with_the_tables(data_dir: Path) -> None:
    store = DataStore(data_dir)
    base = store.read()
    commit = store.commit(town_change(base, 1), base, log_entry=lambda commit: {"who": "editor"})
    [line] = (data_dir / CHANGES_LOG).read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {"version": commit.after.version, "base": base.version, "who": "editor"}
    assert store.read().version == commit.after.version  # the log is no table


def test_a_writer_holding_the_lock_makes_another_wait_then_give_up_with_a_message(data_dir: Path) -> None:
    holder, waiter = DataStore(data_dir), DataStore(data_dir, timeout=0.3)
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with holder.locked():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        entered.wait(10)
        base = waiter.read()  # reading needs no lock
        with pytest.raises(StoreBusy, match="another command is changing the tables"):
            waiter.commit(town_change(base, 1), base)
    finally:
        release.set()
        thread.join()


def test_readers_never_see_half_of_a_change(data_dir: Path) -> None:
    """A writer commits three tables again and again; every read holds the same towns in all three."""
    store = DataStore(data_dir)
    stop = threading.Event()

    def write() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            base = store.read()
            store.commit(town_change(base, number), base)

    writer = threading.Thread(target=write)
    writer.start()
    reads = 0
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            found = towns(DataStore(data_dir).read())
            assert len({len(names) for names in found}) == 1, f"a read saw {found} in {TABLES_CHANGED}"
            reads += 1
    finally:
        stop.set()
        writer.join()
    assert reads > 10


# A child process that commits a change of three tables, and stops dead at the chosen checkpoint:
# it says so through the `ready` file and hangs until the test kills it.
WRITER_THAT_STOPS = """
import sys
import time
from pathlib import Path

sys.path.insert(0, "tests")
import atlas.store
from test_store import town_change

data_dir, ready, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
reached = []


def checkpoint(step, file=""):
    reached.append(f"{step} {file}".strip())
    if len(reached) == stop_at:
        ready.write_text(reached[-1])
        time.sleep(120)


atlas.store.checkpoint = checkpoint
store = atlas.store.DataStore(data_dir)
base = store.read()
store.commit(town_change(base, 1), base)
print("\\n".join(reached))
"""
CHECKPOINTS = [
    "written places.csv",
    "written partnerships.csv",
    "written events.csv",
    "journal",
    "renamed places.csv",
    "renamed partnerships.csv",
    "renamed events.csv",
    "done",
]


def run_writer(data_dir: Path, ready: Path, stop_at: int) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(ready.parent / "tmp")}
    (ready.parent / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", WRITER_THAT_STOPS, str(data_dir), str(ready), str(stop_at)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_writer_passes_every_checkpoint_in_order(data_dir: Path, tmp_path: Path) -> None:
    child = run_writer(data_dir, tmp_path / "ready", 0)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.split("\n")[:-1] == CHECKPOINTS


@pytest.mark.parametrize("stop_at", range(1, len(CHECKPOINTS) + 1), ids=CHECKPOINTS)
def test_kill_at_any_checkpoint_leaves_the_old_tables_or_the_new_ones(
    tmp_path: Path, data_dir: Path, stop_at: int
) -> None:
    old = DataStore(data_dir).read()
    (tmp_path / "expected").mkdir()
    expected_store = DataStore(copy_data(tmp_path / "expected"))
    expected_base = expected_store.read()
    expected = expected_store.commit(town_change(expected_base, 1), expected_base).after
    ready = tmp_path / "ready"
    child = run_writer(data_dir, ready, stop_at)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert child.poll() is None, child.communicate()[1]
            assert time.monotonic() < deadline, "the writer never reached its checkpoint"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    after = DataStore(data_dir).read()  # finishes the journal if the kill came after it
    committed = stop_at > CHECKPOINTS.index("journal")
    assert after.version == (expected.version if committed else old.version)
    assert after.files == (expected.files if committed else old.files)
    assert leftovers(data_dir) == []
    assert list((tmp_path / "tmp").iterdir()) == []  # no temporary copy of the data directory
    assert not has_errors(validate_directory(data_dir))


# A child that commits one numbered town after another until it is killed.
WRITER_IN_A_LOOP = """
import sys
from pathlib import Path

sys.path.insert(0, "tests")
from atlas.store import DataStore
from test_store import town_change

store = DataStore(Path(sys.argv[1]))
number = int(sys.argv[2])
while True:
    number += 1
    base = store.read()
    store.commit(town_change(base, number), base)
    print(number, flush=True)
"""


KILLS = 10


def test_kill_at_random_moments_leaves_whole_changes_only(data_dir: Path) -> None:
    chance = random.Random(11)
    kills = 0
    for run in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER_IN_A_LOOP, str(data_dir), str(run * 10_000)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            child.stdout.readline()  # one commit done: the writer is in its loop
            time.sleep(chance.uniform(0, 0.3))
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            assert child.returncode == -signal.SIGKILL, child.stderr.read()
            kills += 1
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        found = towns(DataStore(data_dir).read())
        assert len({len(names) for names in found}) == 1, found
        assert leftovers(data_dir) == []
        assert not has_errors(validate_directory(data_dir))
    assert kills == KILLS


def test_leftover_temporaries_are_removed_by_the_next_command(data_dir: Path) -> None:
    (data_dir / ".places.csv.0123abcd.tmp").write_text("half a table")
    (data_dir / ".events.csv.x1y2z3_q.tmp").write_text("an older writer's temporary")
    before = file_hashes(data_dir)
    result = run_atlas("geocode", "--data", str(data_dir))
    assert result.returncode == 0, result.stderr
    after = file_hashes(data_dir)
    assert set(before) - set(after) == {".places.csv.0123abcd.tmp", ".events.csv.x1y2z3_q.tmp"}
    assert leftovers(data_dir) == []


# --- `ingest --apply` run twice at once, as two people would -----------------------------------

ARTICLES = PROJECT_ROOT / "tests" / "fixtures" / "articles"
KAZAN, CHANGSHA, ULYANOVSK = "zhuzhou_kazan.txt", "changsha_two_partners.txt", "hunan_ulyanovsk_zh.txt"


def all_rows(data_dir: Path) -> dict[str, set[tuple[str, ...]]]:
    return {file: {tuple(row) for row in read_rows(data_dir / file)[1:]} for file in TABLES_CHANGED}


def start_ingest(article: str, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "atlas", "ingest", str(ARTICLES / article), "--apply", "--data", str(data_dir)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(child: subprocess.Popen[str]) -> str:
    out, err = child.communicate(timeout=180)
    assert child.returncode == 0, err
    assert "\napply: added " in out, out
    return out


@pytest.fixture(scope="module")
def added_alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, set[tuple[str, ...]]]]:
    """The rows each article adds to each table when it is ingested alone."""
    runs = {}
    for article in (KAZAN, CHANGSHA, ULYANOVSK):
        data_dir = copy_data(tmp_path_factory.mktemp("alone"))
        runs[article] = (data_dir, all_rows(data_dir), start_ingest(article, data_dir))
    added = {}
    for article, (data_dir, before, child) in runs.items():
        finish(child)
        after = all_rows(data_dir)
        added[article] = {file: after[file] - before[file] for file in TABLES_CHANGED}
        assert any(added[article].values()), f"{article} adds nothing: the test would prove nothing"
    return added


@pytest.mark.parametrize(
    ("first", "second", "apart"), [(KAZAN, CHANGSHA, 0), (CHANGSHA, ULYANOVSK, 0.5), (ULYANOVSK, KAZAN, 2)]
)
def test_two_ingest_runs_at_once_keep_everything_each_adds(
    data_dir: Path, added_alone: dict[str, dict[str, set[tuple[str, ...]]]], first: str, second: str, apart: float
) -> None:
    before = all_rows(data_dir)
    runs = [start_ingest(first, data_dir)]
    time.sleep(apart)
    runs.append(start_ingest(second, data_dir))
    for child in runs:
        finish(child)
    after = all_rows(data_dir)
    for file in TABLES_CHANGED:
        expected = before[file] | added_alone[first][file] | added_alone[second][file]
        assert after[file] == expected, f"{file}: lost {expected - after[file]}, gained {after[file] - expected}"
    assert not has_errors(validate_directory(data_dir))
    assert leftovers(data_dir) == []
