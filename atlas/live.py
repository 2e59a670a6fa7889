"""The tables a server process answers from: the data directory's current version, validated, swapped in whole.

Every worker of a deployment serves one version at a time and follows the data directory by itself:
a thread in each process looks at the tables every `interval` seconds (a `stat` of each), reads a
changed set through the store (never half of a change), and loads and validates it once. A set that
validates replaces the old one in one assignment; one that does not is logged once, and the last
good version goes on being served. A worker forked from a preloaded app looks before its first
answer, so it never serves the version its parent loaded at start-up after the tables changed.

The thread starts with the first request a process serves (`watch`), never in a process that only
loads the app and forks: a fork copies no threads, and a lock one held would stay held in the child.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from atlas.errors import AtlasError
from atlas.load import Atlas, load_snapshot
from atlas.store import DataStore, StoreBusy

RELOAD_INTERVAL_SECONDS = 2.0

log = logging.getLogger(__name__)


class LiveAtlas:
    """The Atlas of `data_dir` as it is now; `current()` is what a callback answers from."""

    def __init__(self, data_dir: Path, interval: float = RELOAD_INTERVAL_SECONDS):
        self.store = DataStore(Path(data_dir).resolve())
        self.interval = interval
        seen = self.store.table_stats()
        self.atlas = load_snapshot(self.store.read())  # an invalid directory at start-up raises
        self.seen = seen
        self.refused: str | None = None  # the last problem logged, so that it is logged once
        self.watching_pid: int | None = None
        self.lock = threading.Lock()

    def current(self) -> Atlas:
        return self.atlas

    def watch(self) -> None:
        """Follow the data directory from this process (once per process; cheap to call on every request)."""
        if self.watching_pid == os.getpid():
            return
        with self.lock:
            if self.watching_pid == os.getpid():
                return
            self.refresh()  # a worker forked after the tables changed answers from the new ones
            threading.Thread(target=self.follow, name="atlas-data", daemon=True).start()
            self.watching_pid = os.getpid()

    def follow(self) -> None:
        while True:
            time.sleep(self.interval)
            try:
                self.refresh()
            except Exception:  # the thread must outlive any surprise; what went wrong is logged
                log.exception("%s: checking the tables failed", self.store.data_dir)

    def refresh(self) -> bool:
        """Load the tables if they changed since the last look; True if a new version is served."""
        seen = self.store.table_stats()
        if seen == self.seen:
            return False
        try:
            snapshot = self.store.read(timeout=self.interval)
            if snapshot.version == self.atlas.version:
                self.seen = seen
                return False
            atlas = load_snapshot(snapshot)
        except StoreBusy:
            return False  # a commit under way: the next look finds it done
        except AtlasError as error:
            self.seen = seen
            if str(error) != self.refused:
                self.refused = str(error)
                log.error(
                    "%s: the tables changed but cannot be served; still serving version %s\n%s",
                    self.store.data_dir,
                    self.atlas.version,
                    error,
                )
            return False
        self.atlas, self.seen, self.refused = atlas, seen, None
        log.info("%s: now serving version %s", self.store.data_dir, atlas.version)
        return True
