"""The world gazetteer (`atlas.places.gazetteer`) as a geocoder."""

from __future__ import annotations

from geopy.location import Location

from atlas.places.gazetteer import Gazetteer
from atlas.places.gazetteer import gazetteer as shared_gazetteer
from atlas.places.geocode.base import PlaceGeocoder, PlaceQuery, location


class GazetteerGeocoder(PlaceGeocoder):
    """Towns, regions, counties and every Chinese division, chosen as `Gazetteer.lookup` chooses:
    by parent place, admin1 (a region's name or ISO 3166-2 code), kind and population. Portland, US
    is Portland, Oregon; Portland, AU is Portland, Victoria; a region query is never answered by a
    town of its name. `raw` carries the source, the precision and the reason."""

    source = "geonames"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__()
        self.gazetteer = gazetteer or shared_gazetteer()

    def matches(self, query: PlaceQuery) -> list[Location]:
        found = self.gazetteer.lookup(query.name, query.country, admin1=query.admin1, kind=query.kind)
        return [
            location(query, match.place.lat, match.place.lon, match.place.source, match.place.precision, match.reason)
            for match in found
        ]
