"""Rows of an office's spreadsheet as items under review: new partnerships, or changes where the data differs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from atlas.editing.items import (
    PARTNERSHIP_FIELDS,
    Homes,
    new_item,
    partnership_row,
    same_partnership,
)
from atlas.geocode import ChainGeocoder, locate, place_kind
from atlas.sheets import Sheet, read_rows


@dataclass
class SheetProposals:
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # by row and column
    notes: list[str] = field(default_factory=list)


def located_sides(row: dict[str, str], geocoder: ChainGeocoder) -> dict[str, Any]:
    """Where the partner and the home of a row are, found offline (None where not found)."""
    sides = {
        "partner": (row["partner"], row.get("partner_admin1", ""), row["country"], row.get("partner_level", "city")),
        "home": (row["home"], row.get("home_admin1", ""), row.get("home_country", ""), row.get("home_level", "city")),
    }
    return {
        side: locate(geocoder, name, country, admin1, place_kind(level)) if name and country else None
        for side, (name, admin1, country, level) in sides.items()
    }


def sheet_items(
    sheet: Sheet, mapping: dict[str, str | None], partnerships: pd.DataFrame, geocoder: ChainGeocoder
) -> SheetProposals:
    found = SheetProposals()
    homes = Homes.of(partnerships)
    existing = partnerships.to_dict("records")
    taken = set(partnerships["id"])
    columns = list(partnerships.columns)
    origin_label = sheet.name[:120]
    for sheet_row in read_rows(sheet, mapping):
        errors = [problem for problem in sheet_row.problems if problem.severity == "error"]
        if errors:
            found.problems += [str(problem).removeprefix("error: ") for problem in errors]
            continue
        fields = dict(sheet_row.fields)
        fields.setdefault("source_title", "")
        fields["source_title"] = fields["source_title"] or sheet.name[:200]
        fields["notes"] = fields.get("notes") or f"From {sheet.name} row {sheet_row.row}"
        row, notes = partnership_row(fields, columns, homes, taken)
        origin = {"kind": "sheet", "label": f"{origin_label} row {sheet_row.row}"}
        same = next((other for other in existing if same_partnership(row, other)), None)
        if same is not None:
            if not row["established"] or row["established"] == same.get("established", ""):
                found.notes.append(f"{sheet.name} row {sheet_row.row}: already in the data as {same['id']}")
                continue
            original = {column: same.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)}
            item = new_item(
                f"sheet-{sheet_row.row}",
                "partnerships",
                "change",
                {**original, "established": row["established"]},
                origin,
                original,
            )
            item["warnings"] = [
                f"contradicts the data: {same['id']} is established {same.get('established') or 'with no date'}, "
                f"the sheet says {row['established']}"
            ]
        else:
            taken.add(row["id"])
            item = new_item(
                f"sheet-{sheet_row.row}",
                "partnerships",
                "add",
                {column: row.get(column, "") for column in ("id", *PARTNERSHIP_FIELDS)},
                origin,
            )
            item["warnings"] = notes
        item["located"] = located_sides(row, geocoder)
        if item["located"]["partner"] is None:
            column = sheet.column_label(mapping["partner"]) if mapping.get("partner") else "partner"
            message = f"{row['partner']}, {row['country']} cannot be located offline: add it to place_overrides.csv"
            found.problems.append(f"{sheet.name} row {sheet_row.row} column '{column}': {message}")
            item["warnings"].append(message)
        item["reason"] = f"{sheet.name} row {sheet_row.row}"
        item["confidence"] = row["confidence"]
        found.items.append(item)
    return found
