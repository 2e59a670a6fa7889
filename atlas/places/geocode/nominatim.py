"""OpenStreetMap's Nominatim as a geocoder: only on request (`--online`), never from the app."""

from __future__ import annotations

from geopy.location import Location

from atlas.errors import GeocodeError
from atlas.places.geocode.base import USER_AGENT, PlaceGeocoder, PlaceQuery, location


class NominatimGeocoder(PlaceGeocoder):
    """Nominatim behind geopy's RateLimiter; a failure is the project's own `GeocodeError`."""

    source = "nominatim"

    def __init__(self, max_retries: int = 0):
        super().__init__()
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.nominatim = Nominatim(user_agent=USER_AGENT, timeout=10)
        # One request a second is Nominatim's usage policy; retries are off because offline
        # each retry would wait for nothing.
        self.limited = RateLimiter(
            self.nominatim.geocode, min_delay_seconds=1.0, max_retries=max_retries, swallow_exceptions=False
        )

    def matches(self, query: PlaceQuery) -> list[Location]:
        from geopy.exc import GeopyError

        try:
            found = self.limited(query.as_dict(), exactly_one=True, country_codes=query.country.lower())
        except GeopyError as error:
            raise GeocodeError(f"Nominatim could not be asked about {query.name!r}: {error}") from error
        if found is None:
            return []
        return [location(query, found.latitude, found.longitude, "nominatim", "point", "found by Nominatim")]
