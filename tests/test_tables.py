"""Reading tables strictly (rows numbered as a spreadsheet shows them) and writing them atomically."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from datadir import FIXTURE_DATA, PROJECT_ROOT

from atlas.errors import DataError, Problem
from atlas.tables import atomic_write_text, read_table, table_to_csv, write_table


def write_bytes(directory: Path, content: bytes, name: str = "table.csv") -> Path:
    path = directory / name
    path.write_bytes(content)
    return path


def read_problem(path: Path) -> Problem:
    with pytest.raises(DataError) as caught:
        read_table(path)
    assert str(caught.value) == str(caught.value.problem)
    return caught.value.problem


def test_header_is_row_one_so_the_first_record_is_row_two(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, b"name,country\nPortland,US\nPortland,AU\n"))
    assert list(frame.columns) == ["name", "country"]
    assert list(frame.index) == [2, 3]
    assert frame.loc[3, "country"] == "AU"


def test_blank_lines_are_skipped_but_still_counted(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, b"name,country\n\nPortland,US\n ,  \n\nPortland,AU\n\n"))
    assert list(frame.index) == [3, 6]


def test_a_quoted_cell_spanning_lines_is_one_row(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, b'name,note\nA,"two\nlines"\nB,one line\n'))
    assert frame.loc[2, "note"] == "two\nlines"
    assert frame.loc[3, "name"] == "B"


def test_cells_are_stripped_strings_never_numbers(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, b"value, lat \n 007 ,-31.40\n, 1e3\n"))
    assert list(frame.columns) == ["value", "lat"]
    assert frame.loc[2].tolist() == ["007", "-31.40"]
    assert frame.loc[3].tolist() == ["", "1e3"]


def test_windows_line_endings_are_read(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, b"name,country\r\nToulouse,FR\r\n"))
    assert frame.loc[2].tolist() == ["Toulouse", "FR"]


def test_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, "\ufeffname,country\nCórdoba,ES\n".encode()))
    assert list(frame.columns) == ["name", "country"]
    assert frame.loc[2, "name"] == "Córdoba"


def test_header_only_table_has_its_columns_and_no_rows(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, b"name,country\n"))
    assert list(frame.columns) == ["name", "country"]
    assert frame.empty


def test_missing_file_names_file_and_directory(tmp_path: Path) -> None:
    assert read_problem(tmp_path / "events.csv") == Problem("events.csv", None, None, f"file not found in {tmp_path}")


@pytest.mark.parametrize("content", [b"", b"\n\n", b"  \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_empty_file_asks_for_a_header_row(tmp_path: Path, content: bytes) -> None:
    path = write_bytes(tmp_path, content)
    assert read_problem(path) == Problem("table.csv", None, None, "file is empty: expected a header row")


def test_bytes_that_are_not_utf8_name_their_row(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"name,country\nToulouse,FR\n" + "Düsseldorf,DE\n".encode("latin-1"))
    problem = read_problem(path)
    assert (problem.file, problem.row, problem.column) == ("table.csv", 3, None)
    assert problem.message == "bytes b'\\xfcsse' at offset 26 are not UTF-8; save the file as UTF-8"


def test_row_with_too_few_fields_is_rejected_with_its_row(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"name,admin1,country\nToulouse,Occitanie,FR\nSeattle,US\n")
    assert read_problem(path) == Problem("table.csv", 3, None, "has 2 fields, the header has 3")


def test_row_with_too_many_fields_is_rejected_with_its_row(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"name,country\n\nToulouse,Occitanie,FR\n")
    assert read_problem(path) == Problem("table.csv", 3, None, "has 3 fields, the header has 2")


def test_column_named_twice_is_rejected(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"name,country, name\nA,FR,B\n")
    assert read_problem(path) == Problem("table.csv", 1, "name", "column appears twice in the header")


@pytest.mark.parametrize("header", [b"name,,country", b"name, ,country", b"name,country,", b"", b" , , "])
def test_empty_column_name_is_rejected(tmp_path: Path, header: bytes) -> None:
    path = write_bytes(tmp_path, header + b"\nA,B,C\n")
    assert read_problem(path) == Problem("table.csv", 1, None, "header has an empty column name")


def test_stray_quote_swallowing_a_large_file_is_a_data_error(tmp_path: Path) -> None:
    rows = b"".join(b"place %d,FR\n" % number for number in range(20_000))
    path = write_bytes(tmp_path, b'name,country\nToulouse,FR\n"Seattle,US\n' + rows)
    problem = read_problem(path)
    assert (problem.row, problem.column) == (3, None)
    assert problem.message == (
        "has a cell longer than 131,072 characters (128 KB), the most a cell may hold; "
        "or a stray quote makes the rest of the file one cell"
    )


def test_a_cell_of_128_kb_is_read_and_a_longer_one_is_named_by_its_row(tmp_path: Path) -> None:
    longest = "x" * 131_072
    assert read_table(write_bytes(tmp_path, f"name\nA\n{longest}\n".encode()))["name"][3] == longest
    problem = read_problem(write_bytes(tmp_path, f"name\nA\n{longest}y\n".encode()))
    assert (problem.row, problem.message.split(",")[0]) == (3, "has a cell longer than 131")


def test_written_table_reads_back_unchanged(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"name": ["Córdoba", 'Say "hi", then\nleave'], "admin1": ["", "Minnesota"], "country": ["ES", "US"]},
        dtype=object,
    )
    path = tmp_path / "places.csv"
    write_table(frame, path)
    assert path.read_text(encoding="utf-8").startswith("name,admin1,country\nCórdoba,,ES\n")
    assert read_table(path).reset_index(drop=True).equals(frame)
    assert table_to_csv(read_table(path)) == path.read_text(encoding="utf-8")


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = write_bytes(tmp_path, b"old\n", "places.csv")
    atomic_write_text(target, "new,table\n")
    assert target.read_bytes() == b"new,table\n"
    assert [path.name for path in tmp_path.iterdir()] == ["places.csv"]


def test_atomic_write_creates_a_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "places.csv"
    atomic_write_text(target, "name\nSeattle\n")
    assert target.read_text(encoding="utf-8") == "name\nSeattle\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_atomic_write_keeps_the_permissions_of_the_replaced_file(tmp_path: Path) -> None:
    target = write_bytes(tmp_path, b"old\n", "places.csv")
    target.chmod(0o664)
    atomic_write_text(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_atomic_write_writes_utf8_without_translating_newlines(tmp_path: Path) -> None:
    target = tmp_path / "places.csv"
    atomic_write_text(target, "重庆,Düsseldorf\r\nline\n")
    assert target.read_bytes() == "重庆,Düsseldorf\r\nline\n".encode()


@pytest.mark.parametrize("failure", [OSError("No space left on device"), KeyboardInterrupt()])
def test_failure_midway_through_a_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = write_bytes(tmp_path, b"old,table\n", "places.csv")

    def fail(_descriptor: int) -> None:
        raise failure

    monkeypatch.setattr("atlas.tables.os.fsync", fail)
    with pytest.raises(type(failure)):
        atomic_write_text(target, "new,table\n" * 1000)
    assert target.read_bytes() == b"old,table\n"
    assert [path.name for path in tmp_path.iterdir()] == ["places.csv"]


# Runs in a child process: starts an atomic write of a large table, says so through the `ready`
# file at the chosen moment, and hangs there until the test kills it.
WRITER_THAT_HANGS = """
import os
import sys
import time
from pathlib import Path

from atlas.tables import atomic_write_text

target, ready, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real_fdopen, real_fsync = os.fdopen, os.fsync


def say_ready_and_hang():
    ready.write_text("ready")
    time.sleep(120)


def fdopen_writing_half(descriptor, *args, **kwargs):
    stream = real_fdopen(descriptor, *args, **kwargs)
    write = stream.write

    def write_half(text):
        write(text[: len(text) // 2])
        stream.flush()
        say_ready_and_hang()

    stream.write = write_half
    return stream


def fsync_then_hang(descriptor):
    real_fsync(descriptor)
    say_ready_and_hang()


if moment == "mid-write":
    os.fdopen = fdopen_writing_half
else:
    os.fsync = fsync_then_hang
atomic_write_text(target, "name,country\\n" + "Nowhere,ZZ\\n" * 500_000)
"""


def wait_until_ready(ready: Path, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while not ready.exists():
        if child.poll() is not None:
            pytest.fail(f"writer exited early: {child.stderr.read().decode() if child.stderr else ''}")
        if time.monotonic() > deadline:
            pytest.fail("writer never reached the moment to be killed")
        time.sleep(0.01)


@pytest.mark.parametrize("moment", ["mid-write", "before-rename"])
def test_write_killed_midway_leaves_the_previous_file(tmp_path: Path, moment: str) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    original = (FIXTURE_DATA / "places.csv").read_bytes()
    target = write_bytes(data_dir, original, "places.csv")
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER_THAT_HANGS, str(target), str(ready), moment],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_ready(ready, child)
        [temporary] = data_dir.glob(".places.csv.*.tmp")
        assert temporary.stat().st_size > len(original)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert target.read_bytes() == original
    assert len(read_table(target)) == len(original.splitlines()) - 1
