"""The one way to change a data directory, and to read all of its tables at one moment.

Every command that writes (`ingest --apply`, `geocode`, and the editor to come) commits through
`DataStore.commit`; the app's loader and `validate` read through `DataStore.read`.

- One lock (`filelock`, on `.atlas.lock` in the directory) is held for a whole read-validate-write,
  and while a reader copies the tables' bytes, so nobody reads half of a change.
- A change names the snapshot it was made from. A table that has changed since then takes the
  change only if the change just appends rows to it: they are merged onto the newer table. Anything
  else is refused with `StaleData`, and nothing is written.
- Every change is validated as a whole before anything is written.
- The tables of one change are committed as one unit through a journal: each new file is written
  and fsynced beside the old one (`.X.csv.<txn>.tmp`), then the journal naming the renames is
  fsynced (`.atlas-journal`: the moment of commit), then the renames are made and the journal
  removed. Whoever takes the lock next finishes a journal a killed writer left, and throws away
  temporaries without one. A crash at any moment leaves the old set of tables or the new set.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from atlas.errors import AtlasError, DataError, Problem, ValidationFailed
from atlas.schema import TABLES
from atlas.tables import parse_table, table_to_csv
from atlas.validate import validate_files

LOCK_FILE = ".atlas.lock"
JOURNAL_FILE = ".atlas-journal"
# The editor's log of changes: written with the tables it describes, never part of their version.
CHANGES_LOG = "changes.jsonl"
# Marks a directory kept as a copy of another by `python -m atlas sync`; it names the source.
REPLICA_FILE = ".atlas-replica"
LOCK_TIMEOUT_SECONDS = 120.0
# What a write leaves beside the tables until it commits: `.places.csv.<txn>.tmp`, `.atlas-journal.<txn>.tmp`
# (and the `.places.csv.<random>.tmp` of single-file writes before the store).
TEMPORARY = re.compile(r"^\.[^/]+\.[A-Za-z0-9_]+\.tmp$")

log = logging.getLogger(__name__)

# A table's new content: a frame (written as CSV, in the table's order), text or bytes as they are,
# or None to remove the file.
Content = pd.DataFrame | str | bytes | None


class StoreError(AtlasError):
    """The data directory cannot be read or changed as asked."""


class StoreBusy(StoreError):
    """Another process held the data directory's lock for longer than we would wait."""


class StaleData(StoreError):
    """A table changed since the snapshot a change was made from, and the change is not a plain append."""


def checkpoint(step: str, file: str = "") -> None:
    """A named moment of a commit ("written", "journal", "renamed", "done"); tests stop a writer here."""


@dataclass(frozen=True)
class Snapshot:
    """The tables of a data directory as they were at one moment: their bytes by file name.

    A snapshot of only some tables is a valid base for a change to those tables.
    """

    data_dir: Path
    files: Mapping[str, bytes]

    @cached_property
    def hashes(self) -> dict[str, str]:
        return {file: hashlib.sha256(data).hexdigest() for file, data in self.files.items()}

    @cached_property
    def version(self) -> str:
        """Changes whenever any table's bytes change."""
        listing = "".join(f"{file}\0{digest}\n" for file, digest in sorted(self.hashes.items()))
        return hashlib.sha256(listing.encode()).hexdigest()[:16]

    def frame(self, file: str) -> pd.DataFrame:
        return parse_table(file, self.files[file])


@dataclass(frozen=True)
class Commit:
    """What one change did: the tables before and after it, and which ones it wrote."""

    before: Snapshot
    after: Snapshot
    changed: tuple[str, ...]
    merged: tuple[str, ...]  # tables that had changed since the base: the change's new rows were appended

    @property
    def undo(self) -> dict[str, bytes | None]:
        """The change that restores `before` exactly: `store.commit(commit.undo, base=commit.after)`."""
        return {file: self.before.files.get(file) for file in self.changed}


def is_error(problem: Problem) -> bool:
    return problem.severity == "error"


def encode(file: str, content: Content) -> bytes | None:
    if isinstance(content, pd.DataFrame):
        order = [column for column in TABLES[file].order if column in content]
        if order:
            content = content.sort_values(order, kind="stable")
        return table_to_csv(content).encode("utf-8")
    if isinstance(content, str):
        return content.encode("utf-8")
    return content


def rows(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    return list(frame.itertuples(index=False, name=None))


def appended_rows(file: str, base: Snapshot, proposed: bytes | None) -> tuple[list[str], list[tuple[str, ...]]]:
    """The header and the rows `proposed` adds to the base's table, if it only adds rows; else StaleData."""
    refusal = StaleData(
        f"{file} changed since the tables were read (version {base.version}), and this change does more than add "
        "rows to it: read the tables again and make the change anew"
    )
    if proposed is None or file not in base.files:
        raise refusal
    before, after = base.frame(file), parse_table(file, proposed)
    if list(before.columns) != list(after.columns):
        raise refusal
    remaining = Counter(rows(before))
    added = []
    for row in rows(after):
        if remaining[row] > 0:
            remaining[row] -= 1
        else:
            added.append(row)
    if any(count > 0 for count in remaining.values()):
        raise refusal
    return list(before.columns), added


def merge_appended(file: str, base: Snapshot, current: Snapshot, proposed: bytes | None) -> bytes:
    """The current table with the rows the change adds to the base's, each row once."""
    columns, added = appended_rows(file, base, proposed)
    if file not in current.files:
        raise StaleData(f"{file} was removed since the tables were read: read them again and make the change anew")
    now = current.frame(file)
    if list(now.columns) != columns:
        raise StaleData(f"{file} has other columns since the tables were read: read them again, make the change anew")
    present = Counter(rows(now))
    new_rows = []
    for row in added:
        if present[row] > 0:
            present[row] -= 1  # the newer table already holds it (the same row added twice)
        else:
            new_rows.append(row)
    merged = pd.concat([now, pd.DataFrame(new_rows, columns=columns, dtype=object)], ignore_index=True)
    encoded = encode(file, merged)
    assert encoded is not None
    return encoded


def fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_synced(path: Path, data: bytes, like: Path) -> None:
    """Write `path` and fsync it; it gets the permissions of `like` when that exists (else 0644)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, stat.S_IMODE(like.stat().st_mode) if like.exists() else 0o644)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class DataStore:
    """A data directory's tables, read whole and changed as one unit under one lock."""

    def __init__(self, data_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS):
        self.data_dir = Path(data_dir)
        self.timeout = timeout
        # The lock file stays: removing it on release would let a waiter lock a name no longer there.
        self.lock = FileLock(self.data_dir / LOCK_FILE, timeout=timeout, preserve_lock_file=True)

    @contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the directory's lock (again, if this thread holds it already). Taking it first finishes
        a commit a killed writer left and throws away its temporaries."""
        waited = self.timeout if timeout is None else timeout
        try:
            self.lock.acquire(timeout=waited)
        except Timeout:
            raise StoreBusy(
                f"{self.data_dir}: another command is changing the tables (waited {waited:g} s for its lock, "
                f"{LOCK_FILE}); try again when it has finished"
            ) from None
        try:
            if self.lock.lock_counter == 1:
                self.recover()
            yield
        finally:
            self.lock.release()

    def writable(self) -> bool:
        return os.access(self.data_dir, os.W_OK)

    def read(self, timeout: float | None = None) -> Snapshot:
        """Every table as it is between two commits, read without taking the lock.

        The read is kept only if no journal was there after the tables were first looked at and no
        table was replaced while they were read (a commit renames the tables while its journal exists).
        A journal that stays, with nobody holding the lock, is a killed writer's: it is finished first.
        """
        if not self.data_dir.is_dir():
            raise StoreError(f"{self.data_dir}: is not a directory")
        waited = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + waited
        while True:
            if self.lock.is_locked:  # this thread is the writer: nothing changes under it
                return self.read_files()
            seen = self.table_stats()
            if not (self.data_dir / JOURNAL_FILE).exists():
                snapshot = self.read_files()
                if self.table_stats() == seen:
                    self.tidy()
                    return snapshot
            elif self.writable():
                with contextlib.suppress(StoreBusy), self.locked(timeout=0):
                    continue  # taking the lock finished the journal
            else:
                raise StoreError(
                    f"{self.data_dir}: a change to the tables was interrupted; run `python -m atlas validate "
                    f"--data {self.data_dir}` as a user who may write there, to finish it"
                )
            if time.monotonic() > deadline:
                raise StoreBusy(f"{self.data_dir}: the tables kept changing for {waited:g} s while being read")
            time.sleep(0.02)

    def tidy(self) -> None:
        """Throw away the temporaries a killed writer left, unless a writer is at work."""
        if self.writable() and any(TEMPORARY.match(name) for name in os.listdir(self.data_dir)):
            with contextlib.suppress(StoreBusy), self.locked(timeout=0):
                pass

    def table_stats(self) -> tuple[tuple[int, int, int, int] | None, ...]:
        """What a rename over a table changes: its inode and times (None: no such file)."""
        found = []
        for file in TABLES:
            try:
                info = (self.data_dir / file).stat()
            except FileNotFoundError:
                found.append(None)
                continue
            found.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
        return tuple(found)

    def read_files(self) -> Snapshot:
        files = {}
        for file in TABLES:
            try:
                files[file] = (self.data_dir / file).read_bytes()
            except FileNotFoundError:
                continue
            except OSError as error:
                raise DataError(Problem(file, None, None, f"cannot be read: {error.strerror}")) from None
        return Snapshot(self.data_dir, files)

    def commit(
        self,
        change: Mapping[str, Content],
        base: Snapshot,
        *,
        blocking: Callable[[Problem], bool] = is_error,
        log_entry: Callable[[Commit], Mapping[str, object]] | None = None,
    ) -> Commit:
        """Write the tables of `change` (file name -> content) as one unit, made from the tables of `base`.

        A table that changed since `base` takes the change only if it adds rows (merged onto the newer
        rows); otherwise StaleData. The tables after the change are validated first: any problem for
        which `blocking` is true raises ValidationFailed. Either way nothing is written then.
        `log_entry`, if given, makes the JSON object appended to `changes.jsonl` in the same unit.
        """
        self.ensure_original()
        return self.commit_unit(change, base, blocking=blocking, log_entry=log_entry)

    def replica_source(self) -> str | None:
        marker = self.data_dir / REPLICA_FILE
        return marker.read_text(encoding="utf-8").strip() if marker.exists() else None

    def ensure_original(self) -> None:
        """StoreError if this directory is a copy kept by `sync`: its tables change only with the original's."""
        source = self.replica_source()
        if source is not None:
            raise StoreError(
                f"{self.data_dir}: is a copy of {source}, kept by `python -m atlas sync`: make the change there"
            )

    def sync_from(self, source: DataStore) -> Commit:
        """Make this directory hold exactly the tables of `source` as they are between two of its commits,
        in one change of this one, validated first; mark it a copy of `source`, which only that may change."""
        snapshot = source.read()
        with self.locked():
            current = self.read_files()
            change = {file: snapshot.files.get(file) for file in TABLES}
            marker = f"{source.data_dir.resolve()}\n".encode()
            return self.commit_unit(change, current, extra={REPLICA_FILE: marker})

    def commit_unit(
        self,
        change: Mapping[str, Content],
        base: Snapshot,
        *,
        blocking: Callable[[Problem], bool] = is_error,
        log_entry: Callable[[Commit], Mapping[str, object]] | None = None,
        extra: Mapping[str, bytes] | None = None,
    ) -> Commit:
        """`commit` on any directory, a copy too; `extra` files (not tables) are written in the same unit."""
        unknown = sorted(set(change) - set(TABLES))
        if unknown:
            raise StoreError(f"{', '.join(unknown)}: not a table of a data directory")
        with self.locked():
            current = self.read_files()
            planned: dict[str, bytes | None] = {}
            merged = []
            for file, content in change.items():
                proposed = encode(file, content)
                if current.hashes.get(file) == base.hashes.get(file):
                    planned[file] = proposed
                else:
                    planned[file] = merge_appended(file, base, current, proposed)
                    merged.append(file)
            planned = {file: data for file, data in planned.items() if data != current.files.get(file)}
            writes: dict[str, bytes | None] = {
                file: data
                for file, data in (extra or {}).items()
                if not (self.data_dir / file).exists() or (self.data_dir / file).read_bytes() != data
            }
            if not planned:
                if writes:
                    self.write_journaled(writes)
                return Commit(current, current, (), ())
            files = {**current.files, **planned}
            after = Snapshot(self.data_dir, {file: data for file, data in files.items() if data is not None})
            problems, _ = validate_files(after.files, self.data_dir)
            refused = [problem for problem in problems if blocking(problem)]
            if refused:
                raise ValidationFailed(refused)
            commit = Commit(current, after, tuple(planned), tuple(file for file in merged if file in planned))
            writes.update(planned)
            if log_entry is not None:
                entry = {"version": after.version, "base": current.version, **log_entry(commit)}
                line = json.dumps(entry, ensure_ascii=False) + "\n"
                log_path = self.data_dir / CHANGES_LOG
                writes[CHANGES_LOG] = (log_path.read_bytes() if log_path.exists() else b"") + line.encode()
            self.write_journaled(writes)
            return commit

    def write_journaled(self, writes: Mapping[str, bytes | None]) -> None:
        """Write every file of `writes` (None: remove it) as one unit. Call with the lock held."""
        txn = secrets.token_hex(8)
        temporaries: dict[str, str] = {}
        journal = self.data_dir / JOURNAL_FILE
        try:
            for file, data in writes.items():
                if data is None:
                    continue
                temporary = f".{file}.{txn}.tmp"
                temporaries[file] = temporary
                write_synced(self.data_dir / temporary, data, like=self.data_dir / file)
                checkpoint("written", file)
            record = {"replace": temporaries, "remove": [file for file, data in writes.items() if data is None]}
            staged = self.data_dir / f"{JOURNAL_FILE}.{txn}.tmp"
            write_synced(staged, json.dumps(record).encode(), like=staged)
            os.replace(staged, journal)
            fsync_directory(self.data_dir)
        except BaseException:
            for temporary in [*temporaries.values(), f"{JOURNAL_FILE}.{txn}.tmp"]:
                (self.data_dir / temporary).unlink(missing_ok=True)
            raise
        checkpoint("journal")
        self.finish(record)

    def finish(self, record: Mapping[str, object]) -> None:
        """Make the renames and removals a journal names, then remove the journal."""
        replace = record.get("replace", {})
        remove = record.get("remove", [])
        if not isinstance(replace, dict) or not isinstance(remove, list):
            raise StoreError(f"{self.data_dir / JOURNAL_FILE}: not a journal of this store; move it away")
        for file, temporary in replace.items():
            if (self.data_dir / temporary).exists():  # else renamed before the writer stopped
                os.replace(self.data_dir / temporary, self.data_dir / file)
                checkpoint("renamed", file)
        for file in remove:
            (self.data_dir / file).unlink(missing_ok=True)
        fsync_directory(self.data_dir)
        (self.data_dir / JOURNAL_FILE).unlink()
        fsync_directory(self.data_dir)
        checkpoint("done")

    def recover(self) -> None:
        """Finish a commit a writer left (its journal was written), and remove every temporary. Lock held."""
        journal = self.data_dir / JOURNAL_FILE
        if journal.exists():
            try:
                record = json.loads(journal.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                record = None
            if not isinstance(record, dict):
                raise StoreError(f"{journal}: not a journal of this store; move it away")
            self.finish(record)
            log.warning("%s: finished a change to the tables that was interrupted", self.data_dir)
        for entry in os.scandir(self.data_dir):
            if TEMPORARY.match(entry.name) and entry.is_file():
                os.unlink(entry.path)
