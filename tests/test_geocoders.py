"""One contract for every geocoder of places, and for a chain of them (the STYLE's geopy habit):
an unknown place is None, `exactly_one=False` is a list, `raw` carries source, precision and reason.
Each backend subclasses `GeocoderContract` with a geocoder that knows Portland, Victoria."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest
from geopy.location import Location

from atlas.places.build import PlaceRecord
from atlas.places.gazetteer import small_gazetteer
from atlas.places.geocode import (
    ChainGeocoder,
    GazetteerGeocoder,
    NominatimGeocoder,
    PlaceGeocoder,
    TableGeocoder,
)

PORTLAND_VICTORIA = (-38.34, 141.60)
PRECISIONS = {"point", "region"}


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_args: object, **_kwargs: object) -> None:
        raise OSError("tests run without the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)


def portland_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "name": "Portland",
                "admin1": "Victoria",
                "country": "AU",
                "lat": "-38.34",
                "lon": "141.60",
                "precision": "point",
            },
            {"name": "Victoria", "admin1": "", "country": "AU", "lat": "-37.0", "lon": "144.0", "precision": "region"},
        ]
    )


def portland_gazetteer(directory: Path) -> GazetteerGeocoder:
    portland = PlaceRecord("Portland", "AU", "city", *PORTLAND_VICTORIA, 10_000, "test:portland", admin1="AU-VIC")
    victoria = PlaceRecord("Victoria", "AU", "region", -37.0, 144.0, source="test:victoria", admin1="AU-VIC")
    for place in (portland, victoria):
        place.add_name(place.name, 1 | 2)
    return GazetteerGeocoder(small_gazetteer([portland, victoria], directory))


class GeocoderContract:
    """What every geocoder of places promises; a subclass provides `geocoder`."""

    @pytest.fixture
    def geocoder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceGeocoder:
        raise NotImplementedError

    def test_a_known_place_is_a_location_near_it(self, geocoder: PlaceGeocoder) -> None:
        found = geocoder.geocode("Portland", country_codes="AU")
        assert isinstance(found, Location)
        assert (round(found.latitude, 2), round(found.longitude, 2)) == PORTLAND_VICTORIA

    def test_an_unknown_place_is_none(self, geocoder: PlaceGeocoder) -> None:
        assert geocoder.geocode("Atlantis", country_codes="GR") is None
        assert geocoder.geocode("Atlantis", exactly_one=False, country_codes="GR") is None

    def test_not_exactly_one_is_a_list_of_locations(self, geocoder: PlaceGeocoder) -> None:
        found = geocoder.geocode({"city": "Portland", "country": "AU"}, exactly_one=False)
        assert isinstance(found, list) and found
        assert all(isinstance(item, Location) for item in found)

    def test_raw_carries_source_precision_and_reason(self, geocoder: PlaceGeocoder) -> None:
        raw: dict[str, Any] = geocoder.geocode({"city": "Portland", "country": "AU"}).raw
        assert raw["source"] and raw["reason"]
        assert raw["precision"] in PRECISIONS
        assert (raw["name"], raw["country"]) == ("Portland", "AU")

    def test_a_region_query_is_answered_as_a_region(self, geocoder: PlaceGeocoder) -> None:
        found = geocoder.geocode({"state": "Victoria", "country": "AU"})
        assert found is not None and found.raw["kind"] == "region"


class TestTableGeocoder(GeocoderContract):
    @pytest.fixture
    def geocoder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceGeocoder:
        return TableGeocoder(portland_table(), "override")

    def test_a_row_answers_a_city_query_only_in_its_admin1(self, geocoder: PlaceGeocoder) -> None:
        assert geocoder.geocode({"city": "Portland", "state": "Maine", "country": "AU"}) is None


class TestGazetteerGeocoder(GeocoderContract):
    @pytest.fixture
    def geocoder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceGeocoder:
        return portland_gazetteer(tmp_path / "index")

    def test_the_reason_says_why_the_place_was_chosen(self, geocoder: PlaceGeocoder) -> None:
        assert "the only place of that name" in geocoder.geocode("Portland", country_codes="AU").raw["reason"]


class FakeNominatim:
    """Stands in for geopy's Nominatim: knows Portland and Victoria, and records what it was asked."""

    asked: ClassVar[list[dict[str, str]]] = []

    def __init__(self, **_settings: object) -> None:
        pass

    def geocode(self, query: dict[str, str], **_kwargs: object) -> Location | None:
        FakeNominatim.asked.append(query)
        known = {"Portland": PORTLAND_VICTORIA, "Victoria": (-37.0, 144.0)}
        name = query.get("city") or query.get("state")
        return Location(name, known[name], {}) if name in known else None


class TestNominatimGeocoder(GeocoderContract):
    @pytest.fixture
    def geocoder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceGeocoder:
        monkeypatch.setattr("geopy.geocoders.Nominatim", FakeNominatim)
        monkeypatch.setattr("geopy.extra.rate_limiter.sleep", lambda _seconds: None)  # a second between requests
        return NominatimGeocoder()

    def test_it_asks_nominatim_with_the_country(self, geocoder: PlaceGeocoder) -> None:
        geocoder.geocode({"city": "Portland", "state": "Victoria", "country": "AU"})
        assert FakeNominatim.asked[-1] == {"city": "Portland", "state": "Victoria", "country": "AU"}


class TestChainGeocoder(GeocoderContract):
    """A chain of an empty table and the gazetteer is one more geocoder."""

    @pytest.fixture
    def geocoder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceGeocoder:
        empty = TableGeocoder(portland_table().iloc[0:0], "cache")
        return ChainGeocoder([empty, portland_gazetteer(tmp_path / "index")])

    def test_the_first_geocoder_that_knows_the_place_answers(self, tmp_path: Path) -> None:
        chain = ChainGeocoder([TableGeocoder(portland_table(), "override"), portland_gazetteer(tmp_path / "g")])
        assert chain.geocode("Portland", country_codes="AU").raw["source"] == "override"


class TestChainOfChains(GeocoderContract):
    @pytest.fixture
    def geocoder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceGeocoder:
        return ChainGeocoder([ChainGeocoder([]), ChainGeocoder([TableGeocoder(portland_table(), "cache")])])
