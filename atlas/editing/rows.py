"""The rows of the data as the editing page opens them: a partnership with its exchanges, and search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atlas.editing.items import EVENT_FIELDS, PARTNERSHIP_FIELDS, new_item
from atlas.editing.save import geocoder_for, store_for
from atlas.editing.sheet import SheetProposals, sheet_items
from atlas.errors import AtlasError
from atlas.schema import EVENTS, PARTNERSHIPS
from atlas.sheets import Sheet
from atlas.validate import fold


def partnership_options(data_dir: Path, search: str, picked: str | None, limit: int) -> list[dict[str, str]]:
    """Dropdown options for the partnerships whose names contain `search` (folded), the picked one first."""
    frame = store_for(data_dir).read().frame(PARTNERSHIPS.file)
    wanted = fold(search[:100])
    options = []
    for record in frame.to_dict("records"):
        text = f"{record['home']} – {record['partner']} {record.get('partner_zh', '')} {record['id']}"
        if record["id"] == picked or (wanted and wanted in fold(text)) or (not wanted and len(options) < limit):
            options.append({"label": f"{record['home']} – {record['partner']} ({record['id']})", "value": record["id"]})
    options.sort(key=lambda option: option["value"] != picked)
    return options[:limit]


def partnership_with_events(data_dir: Path, partnership_id: str) -> tuple[dict[str, str], list[dict[str, str]]] | None:
    snapshot = store_for(data_dir).read()
    partnerships = snapshot.frame(PARTNERSHIPS.file)
    found = partnerships[partnerships["id"] == partnership_id]
    if found.empty:
        return None
    events = snapshot.frame(EVENTS.file)
    row = found.iloc[0].to_dict()
    return row, events[events["partnership_id"] == partnership_id].to_dict("records")


def row_items(
    partnership: dict[str, str],
    events: list[dict[str, str]],
    typed: dict[str, dict[str, str]],
    removals: set[str],
    remove_all: bool,
) -> list[dict[str, Any]]:
    """Accepted items for what the editor changed in the row form: a removal, or changes and removed exchanges."""
    origin = {"kind": "form", "label": f"edit of {partnership['id']}"}
    original = {column: partnership.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)}
    if remove_all:
        return [
            new_item(f"remove-{partnership['id']}", "partnerships", "remove", {}, origin, original, status="accepted")
        ]
    items = []
    changed = {
        field: value
        for field, value in typed.get("partnership", {}).items()
        if field in PARTNERSHIP_FIELDS and value != partnership.get(field, "")
    }
    if changed:
        items.append(
            new_item(
                f"change-{partnership['id']}", "partnerships", "change", changed, origin, original, status="accepted"
            )
        )
    for number, event in enumerate(events):
        key = f"event-{number}"
        event_original = {column: event.get(column, "") for column in EVENT_FIELDS}
        if key in removals:
            items.append(
                new_item(
                    f"remove-{partnership['id']}-{key}",
                    "events",
                    "remove",
                    {},
                    origin,
                    event_original,
                    status="accepted",
                )
            )
            continue
        event_changed = {
            field: value
            for field, value in typed.get(key, {}).items()
            if field in EVENT_FIELDS and value != event.get(field, "")
        }
        if event_changed:
            items.append(
                new_item(
                    f"change-{partnership['id']}-{key}",
                    "events",
                    "change",
                    event_changed,
                    origin,
                    event_original,
                    status="accepted",
                )
            )
    if not items:
        raise AtlasError("nothing was changed in the form")
    return items


def sheet_proposals(data_dir: Path, stored: dict[str, Any], mapping: dict[str, str | None]) -> SheetProposals:
    """Items for the rows of a spreadsheet the page keeps (as read by `atlas.sheets.read_sheet`)."""
    try:
        sheet = Sheet(
            str(stored["name"]),
            tuple(str(cell) for cell in stored["header"]),
            tuple(tuple(str(cell) for cell in row) for row in stored["rows"]),
            int(stored.get("first_row", 2)),
        )
    except (KeyError, TypeError, ValueError):
        raise AtlasError("the spreadsheet was not kept by the page: drop it again") from None
    if any(len(row) != len(sheet.header) for row in sheet.rows):
        raise AtlasError("the spreadsheet was not kept by the page: drop it again")
    mapping = {field: column if column in sheet.header else None for field, column in mapping.items()}
    partnerships = store_for(data_dir).read().frame(PARTNERSHIPS.file)
    return sheet_items(sheet, mapping, partnerships, geocoder_for(data_dir))
