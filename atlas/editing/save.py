"""Saving accepted items, the change log, and undoing the last save exactly.

A save applies its items to the tables as they are when it runs (not as they were when the page
opened them): rows another editor added meanwhile stay, and a change to a row that someone else
changed or removed meanwhile is refused. It commits through `atlas.store.DataStore`, which holds the
directory's lock from reading to writing, validates the result, commits every table as one unit and
appends the log entry to `changes.jsonl` with it. The tables as they were before each save are kept in
the instance folder (`undo/`), so that Undo restores them byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from atlas.editing.items import (
    FIELDS,
    Homes,
    clean_items,
    event_key,
    partnership_row,
    place_rows,
    same_partnership,
)
from atlas.errors import AtlasError, ValidationFailed
from atlas.geocode import ChainGeocoder, build_geocoder
from atlas.schema import EVENTS, PARTNERSHIPS, PLACES
from atlas.store import CHANGES_LOG, Commit, DataStore, Snapshot, StaleData
from atlas.tables import atomic_write_text, parse_table
from atlas.validate import place_key

UNDO_DIR = "undo"
SAVE_ATTEMPTS = 3
LOCK_WAIT_SECONDS = 20.0
MAX_LOG_ENTRIES_SHOWN = 50


class EditRefused(AtlasError):
    """The accepted items cannot be saved as they are; `problems` says why, item by item."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:5]) + (f" … and {len(problems) - 5} more" if len(problems) > 5 else ""))


class NothingToUndo(AtlasError):
    """No save is left to undo, or the tables changed since the last one."""


@dataclass
class Plan:
    change: dict[str, pd.DataFrame]
    sources: list[str]


def geocoder_for(data_dir: Path) -> ChainGeocoder:
    """The offline chain of `data_dir`: its places and overrides, then the process's shared gazetteer."""
    return build_geocoder(data_dir)


def store_for(data_dir: Path) -> DataStore:
    return DataStore(data_dir, timeout=LOCK_WAIT_SECONDS)


def frames_of(snapshot: Snapshot) -> dict[str, pd.DataFrame]:
    return {file: snapshot.frame(file).reset_index(drop=True) for file in snapshot.files}


def label(item: dict[str, Any]) -> str:
    fields = {**(item.get("original") or {}), **item["fields"]}
    if item["table"] == "partnerships":
        what = f"{fields.get('home', '')}–{fields.get('partner', '')}"
    else:
        what = f"exchange {fields.get('partnership_id', '')} {fields.get('date', '')}".strip()
    origin = item.get("origin") or {}
    return f"{what} ({origin.get('label', 'edit')})" if isinstance(origin, dict) else what


def matches(frame: pd.DataFrame, original: dict[str, str]) -> pd.Series:
    found = pd.Series(True, index=frame.index)
    for column, value in original.items():
        if column in frame:
            found &= frame[column] == value
    return found


def plan_change(snapshot: Snapshot, items: list[dict[str, Any]], geocoder: ChainGeocoder) -> Plan:
    """The tables after applying the accepted `items` to `snapshot`; EditRefused naming every item that cannot apply."""
    frames = frames_of(snapshot)
    partnerships, events, places = frames[PARTNERSHIPS.file], frames[EVENTS.file], frames[PLACES.file]
    homes = Homes.of(partnerships)
    known_places = {place_key(*values) for values in places[["name", "admin1", "country"]].itertuples(index=False)}
    taken = set(partnerships["id"])
    problems: list[str] = []
    new_places: list[dict[str, str]] = []
    touched: set[str] = set()
    sources: list[str] = []
    for item in items:
        table, action, fields, original = item["table"], item["action"], item["fields"], item["original"]
        what = label(item)
        origin = item.get("origin") if isinstance(item.get("origin"), dict) else {}
        if origin.get("label") and origin["label"] not in sources:
            sources.append(str(origin["label"]))
        if table == "partnerships":
            touched.add(PARTNERSHIPS.file)
            columns = list(partnerships.columns)
            if action == "add":
                row, _ = partnership_row(fields, columns, homes, taken)
                duplicate = [other["id"] for other in partnerships.to_dict("records") if same_partnership(row, other)]
                if duplicate:
                    problems.append(f"{what}: already in {PARTNERSHIPS.file} as {duplicate[0]}")
                    continue
                taken.add(row["id"])
                partnerships = pd.concat([partnerships, pd.DataFrame([row], dtype=object)], ignore_index=True)
            else:
                wanted = (original or {}).get("id", "")
                found = partnerships.index[partnerships["id"] == wanted]
                if len(found) == 0:
                    problems.append(f"{what}: {wanted!r} was removed by another save since you opened it")
                    continue
                if not matches(partnerships.loc[found], original or {}).all():
                    problems.append(f"{what}: changed by another save since you opened it; open it again")
                    continue
                if action == "remove":
                    partnerships = partnerships.drop(index=found).reset_index(drop=True)
                    touched.add(EVENTS.file)
                    events = events[events["partnership_id"] != wanted].reset_index(drop=True)
                    continue
                for column, value in fields.items():
                    if column in FIELDS["partnerships"] and column in partnerships:
                        partnerships.loc[found, column] = value
                row = partnerships.loc[found[0]].to_dict()
            added, missing, _ = place_rows(row, known_places, geocoder)
            new_places += added
            problems += [
                f"{what}: {place} cannot be located offline: add it to place_overrides.csv" for place in missing
            ]
        else:
            touched.add(EVENTS.file)
            if action == "add":
                row = {column: fields.get(column, "") for column in events.columns}
                events = pd.concat([events, pd.DataFrame([row], dtype=object)], ignore_index=True)
                continue
            key = event_key(original or {})
            positions = [n for n, record in enumerate(events.to_dict("records")) if event_key(record) == key]
            if not positions:
                problems.append(f"{what}: changed or removed by another save since you opened it; open it again")
                continue
            if action == "remove":
                events = events.drop(index=events.index[positions[0]]).reset_index(drop=True)
            else:
                for column, value in fields.items():
                    if column in FIELDS["events"] and column in events:
                        events.loc[events.index[positions[0]], column] = value
    if problems:
        raise EditRefused(problems)
    change: dict[str, pd.DataFrame] = {}
    if PARTNERSHIPS.file in touched:
        change[PARTNERSHIPS.file] = partnerships
    if EVENTS.file in touched:
        change[EVENTS.file] = events
    if new_places:
        change[PLACES.file] = pd.concat([places, pd.DataFrame(new_places, dtype=object)], ignore_index=True)
    return Plan(change, sources)


# --- What changed ---------------------------------------------------------------------------------------


def table_changes(file: str, before: bytes | None, after: bytes | None) -> dict[str, Any]:
    """Rows added and removed (and, for partnerships, columns changed by id) between two versions of a table."""
    old = parse_table(file, before).to_dict("records") if before else []
    new = parse_table(file, after).to_dict("records") if after else []
    remaining = Counter(json.dumps(row, sort_keys=True) for row in old)
    added = []
    for row in new:
        encoded = json.dumps(row, sort_keys=True)
        if remaining[encoded] > 0:
            remaining[encoded] -= 1
        else:
            added.append(row)
    removed = [json.loads(encoded) for encoded, count in remaining.items() for _ in range(count)]
    result: dict[str, Any] = {}
    if file == PARTNERSHIPS.file:
        old_by_id = {row["id"]: row for row in removed}
        changed = {}
        for row in list(added):
            if row["id"] in old_by_id:
                before_row = old_by_id.pop(row["id"])
                changed[row["id"]] = {c: [before_row.get(c, ""), v] for c, v in row.items() if before_row.get(c) != v}
                added.remove(row)
        removed = list(old_by_id.values())
        if changed:
            result["changed"] = changed
    if added:
        result["added"] = added
    if removed:
        result["removed"] = removed
    return result


def digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def describe(commit: Commit) -> dict[str, Any]:
    return {
        "changes": {
            file: table_changes(file, commit.before.files.get(file), commit.after.files.get(file))
            for file in commit.changed
        },
        "tables": {
            file: {"before": digest(commit.before.files.get(file)), "after": digest(commit.after.files.get(file))}
            for file in commit.changed
        },
    }


def undo_path(instance: Path, entry_id: str) -> Path:
    return instance / UNDO_DIR / f"{entry_id}.json"


def keep_for_undo(instance: Path, entry_id: str, commit: Commit) -> None:
    """The tables as they were before `commit`, written before it commits (an unused one is harmless)."""
    path = undo_path(instance, entry_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    before = {
        file: commit.before.files[file].decode("utf-8") if file in commit.before.files else None
        for file in commit.changed
    }
    atomic_write_text(path, json.dumps(before, ensure_ascii=False))


def log_entry(instance: Path, editor: str, action: str, sources: list[str], **extra: Any) -> tuple[str, Any]:
    entry_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"

    def entry(commit: Commit) -> dict[str, Any]:
        keep_for_undo(instance, entry_id, commit)
        return {
            "id": entry_id,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "editor": editor,
            "action": action,
            "sources": sources,
            **extra,
            **describe(commit),
        }

    return entry_id, entry


# --- Saving and undoing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    entry_id: str
    commit: Commit
    merged: tuple[str, ...]  # tables another save had changed meanwhile: our rows were added to theirs


def save_items(data_dir: Path, instance: Path, editor: str, items: object) -> Saved:
    """Save the accepted items. EditRefused, ValidationFailed or StaleData (after retries): nothing was written."""
    accepted = [item for item in clean_items(items) if item.get("status") == "accepted"]
    if not accepted:
        raise EditRefused(["nothing is accepted: accept at least one proposal or edit first"])
    store = store_for(data_dir)
    geocoder = geocoder_for(data_dir)
    for attempt in range(SAVE_ATTEMPTS):
        base = store.read()
        plan = plan_change(base, accepted, geocoder)
        entry_id, entry = log_entry(instance, editor, "save", plan.sources)
        try:
            commit = store.commit(plan.change, base, log_entry=entry)
        except StaleData:
            # Another save changed a table we change in place: apply our items again to the newer tables.
            with contextlib.suppress(FileNotFoundError):
                undo_path(instance, entry_id).unlink()
            if attempt == SAVE_ATTEMPTS - 1:
                raise
            continue
        except ValidationFailed:
            with contextlib.suppress(FileNotFoundError):
                undo_path(instance, entry_id).unlink()
            raise
        if not commit.changed:
            raise EditRefused(["the accepted items change nothing: the tables already hold them"])
        return Saved(entry_id, commit, commit.merged)
    raise AssertionError("unreachable")


def read_log(data_dir: Path) -> list[dict[str, Any]]:
    """Every entry of changes.jsonl, oldest first; a line that is not an entry is skipped."""
    path = Path(data_dir) / CHANGES_LOG
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                entries.append(entry)
    return entries


def last_undoable(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest save not undone yet; undos undo saves in turn, latest first."""
    undone: set[str] = set()
    for entry in reversed(entries):
        if entry.get("action") == "undo":
            undone.add(str(entry.get("undoes")))
        elif entry["id"] not in undone:
            return entry
    return None


def undo_last(data_dir: Path, instance: Path, editor: str) -> Saved:
    """Put back the tables the last save changed, exactly as they were; refused if they changed since."""
    store = store_for(data_dir)
    with store.locked():
        current = store.read()
        target = last_undoable(read_log(data_dir))
        if target is None:
            raise NothingToUndo("there is no save to undo")
        tables = target.get("tables") if isinstance(target.get("tables"), dict) else {}
        for file, hashes in tables.items():
            if not isinstance(hashes, dict) or digest(current.files.get(file)) != hashes.get("after"):
                raise NothingToUndo(
                    f"{file} changed after the save of {target.get('at')} by {target.get('editor')} "
                    "(another command or save): it cannot be undone exactly; edit the rows instead"
                )
        try:
            before = json.loads(undo_path(instance, target["id"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise NothingToUndo(f"the tables as they were before save {target['id']} are not in {instance}") from None
        change = {file: text.encode("utf-8") if isinstance(text, str) else None for file, text in before.items()}
        entry_id, entry = log_entry(
            instance,
            editor,
            "undo",
            [f"undo of {target.get('editor')}'s save of {target.get('at')}"],
            undoes=target["id"],
        )
        commit = store.commit(change, current, log_entry=entry)
        return Saved(entry_id, commit, ())


def log_lines(entries: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The latest entries for people: when, who, what and from where."""
    shown = []
    undone = {str(entry.get("undoes")) for entry in entries if entry.get("action") == "undo"}
    for entry in reversed(entries[-MAX_LOG_ENTRIES_SHOWN:]):
        changes = entry.get("changes") if isinstance(entry.get("changes"), dict) else {}
        parts = []
        for file, change in changes.items():
            if not isinstance(change, dict):
                continue
            counts = [f"{len(change[kind])} {kind}" for kind in ("added", "changed", "removed") if change.get(kind)]
            if counts:
                parts.append(f"{file}: {', '.join(counts)}")
        sources = entry.get("sources") if isinstance(entry.get("sources"), list) else []
        shown.append(
            {
                "id": str(entry["id"]),
                "at": str(entry.get("at", "")),
                "editor": str(entry.get("editor", "")),
                "action": str(entry.get("action", "")),
                "what": "; ".join(parts) or "no table changed",
                "sources": "; ".join(str(source) for source in sources),
                "undone": "yes" if entry["id"] in undone else "",
            }
        )
    return shown
