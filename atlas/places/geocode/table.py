"""A table of places (name, admin1, country, lat, lon, precision[, source]) as a geocoder."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from geopy.location import Location

from atlas.places.geocode.base import PlaceGeocoder, PlaceQuery, location
from atlas.places.names import fold


class TableGeocoder(PlaceGeocoder):
    """Answers from a table: the committed cache (`places.csv`) or `place_overrides.csv`. A row
    with an admin1 answers a city query only in that admin1; a row without one answers any."""

    def __init__(self, table: pd.DataFrame, source: str):
        super().__init__()
        self.source = source
        self.by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for record in table.to_dict("records"):
            self.by_key[(fold(record["name"]), record["country"].upper())].append(record)

    def matches(self, query: PlaceQuery) -> list[Location]:
        records = self.by_key.get((fold(query.name), query.country), [])
        if query.admin1 and query.kind == "city":
            same_region = [record for record in records if fold(record["admin1"]) == fold(query.admin1)]
            records = same_region or [record for record in records if not record["admin1"]]
        return [
            location(
                query,
                float(record["lat"]),
                float(record["lon"]),
                record.get("source") or self.source,
                record["precision"],
            )
            for record in records
        ]
