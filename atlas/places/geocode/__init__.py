"""Geocoders of places, each a geopy `Geocoder` with the same `geocode()` (the STYLE's shape):

- `TableGeocoder`: a table of places (the committed cache, `place_overrides.csv`);
- `GazetteerGeocoder`: the world gazetteer (`atlas.places.gazetteer`);
- `NominatimGeocoder`: OpenStreetMap's Nominatim behind geopy's RateLimiter, only when asked;
- `ChainGeocoder`: each in turn, the first that knows the place answering; itself one more backend.

Every backend answers an unknown place with None, `exactly_one=False` with a list, and carries in
each `Location.raw` its source, precision and reason (tests/test_geocoders.py holds the contract
every backend, and a chain, passes). `atlas.geocode` assembles them for a data directory.
"""

from atlas.places.geocode.base import PlaceGeocoder, PlaceQuery, location
from atlas.places.geocode.chain import ChainGeocoder
from atlas.places.geocode.gazetteer import GazetteerGeocoder
from atlas.places.geocode.nominatim import NominatimGeocoder
from atlas.places.geocode.table import TableGeocoder

__all__ = [
    "ChainGeocoder",
    "GazetteerGeocoder",
    "NominatimGeocoder",
    "PlaceGeocoder",
    "PlaceQuery",
    "TableGeocoder",
    "location",
]
