"""Geocoders asked in turn, as one geocoder."""

from __future__ import annotations

from collections.abc import Iterable

from geopy.location import Location

from atlas.places.geocode.base import PlaceGeocoder, PlaceQuery


class ChainGeocoder(PlaceGeocoder):
    """Ask each geocoder in turn; the first that knows the place answers (with all its matches)."""

    source = "chain"

    def __init__(self, geocoders: Iterable[PlaceGeocoder]):
        super().__init__()
        self.geocoders = list(geocoders)

    def matches(self, query: PlaceQuery) -> list[Location]:
        for geocoder in self.geocoders:
            found = geocoder.matches(query)
            if found:
                return found
        return []
