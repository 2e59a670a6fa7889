"""What every geocoder of places shares: the query, the answer, and `geocode()` as geopy has it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

USER_AGENT = "sister-city-atlas/1.0 (geocoding at build time only)"


@dataclass(frozen=True)
class PlaceQuery:
    name: str
    country: str
    admin1: str = ""
    kind: str = "city"  # or "region"

    @classmethod
    def from_query(cls, query: str | dict[str, str], country_codes: str | list[str] | None) -> PlaceQuery:
        """Accept geopy's forms: a plain string, or a dict with city / state / country keys.

        A dict without `city` asks for a region (its `state` or `county`).
        """
        if isinstance(query, dict):
            if query.get("city"):
                name, admin1, kind = query["city"], query.get("state", ""), "city"
            else:
                name, admin1, kind = query.get("state") or query.get("county") or "", "", "region"
            country = query.get("country", "")
        else:
            name, admin1, country, kind = query, "", "", "city"
        if country_codes:
            country = country_codes if isinstance(country_codes, str) else country_codes[0]
        return cls(name.strip(), country.strip().upper(), admin1.strip(), kind)

    def as_dict(self) -> dict[str, str]:
        if self.kind == "region":
            return {"state": self.name, "country": self.country}
        query = {"city": self.name, "country": self.country}
        if self.admin1:
            query["state"] = self.admin1
        return query


def location(query: PlaceQuery, lat: float, lon: float, source: str, precision: str, reason: str = "") -> Location:
    """A geopy Location whose `raw` says where it comes from, how precise it is and why."""
    address = ", ".join(part for part in (query.name, query.admin1, query.country) if part)
    raw = {"source": source, "precision": precision, "reason": reason or f"from the {source}", **query.__dict__}
    return Location(address, (lat, lon), raw)


class PlaceGeocoder(Geocoder):
    """A geocoder of places with geopy's `geocode()`; a backend says only which places match."""

    source = "places"

    def __init__(self) -> None:
        super().__init__(user_agent=USER_AGENT)

    def geocode(
        self,
        query: str | dict[str, str],
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
        **_: Any,
    ) -> Location | list[Location] | None:
        matches = self.matches(PlaceQuery.from_query(query, country_codes))
        if not matches:
            return None
        return matches[0] if exactly_one else matches

    def matches(self, query: PlaceQuery) -> list[Location]:
        """Every place the query may mean, the likeliest first; [] when none."""
        raise NotImplementedError
