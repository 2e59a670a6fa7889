"""Offline geocoding: overrides, then GeoNames chosen by country, admin1 and population; never the network
unless asked with --online."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from datadir import append_row, copy_data, copy_row, drop_column, file_hashes, read_rows, run_atlas, set_cell
from geopy.location import Location

from atlas.cli import main
from atlas.errors import GeocodeError
from atlas.geocode import GazetteerGeocoder, build_geocoder, locate
from atlas.places.build import PlaceRecord
from atlas.places.gazetteer import small_gazetteer
from atlas.validate import has_errors, validate_directory

PORTLAND_VICTORIA = "geonames:2152667"
PORTLAND_OREGON = "geonames:5746545"
PORTLAND_MAINE = "geonames:4975802"
CORDOBA_ANDALUSIA = "geonames:2519240"
CORDOBA_ARGENTINA = "geonames:3860259"
SAINT_PAUL_MINNESOTA = "geonames:5045360"
KANSAS_CITY_MISSOURI = "geonames:4393217"
KANSAS_CITY_KANSAS = "geonames:4273837"


class OnlineGeocoderUsed(AssertionError):
    pass


@pytest.fixture(scope="module")
def gazetteer() -> GazetteerGeocoder:
    """The world gazetteer as a geocoder; every chain shares the one index of the process."""
    return GazetteerGeocoder()


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the network or build Nominatim."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OnlineGeocoderUsed("the online geocoder was asked without --online")

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise OSError("tests run without the network")

    monkeypatch.setattr("geopy.geocoders.Nominatim", refuse)
    monkeypatch.setattr(socket.socket, "connect", no_network)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def source_of(location: Location | None) -> str:
    assert location is not None
    return location.raw["source"]


def new_partnership(partner: str, partner_admin1: str, country: str, level: str = "city") -> dict[str, str]:
    slug = "-".join(partner.lower().split())
    return {
        "id": f"chongqing-{slug}",
        "home": "Chongqing",
        "home_zh": "重庆",
        "home_level": "municipality",
        "home_province": "Chongqing",
        "home_country": "CN",
        "partner": partner,
        "partner_level": level,
        "partner_admin1": partner_admin1,
        "country": country,
        "established": "2024",
        "relation": "sister city",
        "confidence": "low",
        "source_title": "test",
    }


# The gazetteer chooses by country, admin1 and population


def test_portland_australia_is_portland_victoria(gazetteer: GazetteerGeocoder) -> None:
    location = gazetteer.geocode("Portland", country_codes="AU")
    assert source_of(location) == PORTLAND_VICTORIA
    assert location.latitude == pytest.approx(-38.346, abs=0.01)
    assert location.longitude == pytest.approx(141.603, abs=0.01)


def test_portland_united_states_is_portland_oregon_the_most_populous(gazetteer: GazetteerGeocoder) -> None:
    location = gazetteer.geocode({"city": "Portland", "country": "US"})
    assert source_of(location) == PORTLAND_OREGON
    assert location.latitude == pytest.approx(45.52, abs=0.01)


def test_all_candidates_come_most_likely_first(gazetteer: GazetteerGeocoder) -> None:
    locations = gazetteer.geocode("Portland", exactly_one=False, country_codes=["US"])
    assert [source_of(location) for location in locations[:2]] == [PORTLAND_OREGON, PORTLAND_MAINE]


def test_admin1_picks_the_smaller_namesake(gazetteer: GazetteerGeocoder) -> None:
    location = gazetteer.geocode({"city": "Portland", "state": "Maine", "country": "US"})
    assert source_of(location) == PORTLAND_MAINE


@pytest.mark.parametrize(
    ("name", "country", "source", "latitude"),
    [
        ("Córdoba", "ES", CORDOBA_ANDALUSIA, 37.89),
        ("Córdoba", "AR", CORDOBA_ARGENTINA, -31.41),
        ("Cordoba", "AR", CORDOBA_ARGENTINA, -31.41),
        ("CÓRDOBA", "es", CORDOBA_ANDALUSIA, 37.89),
    ],
)
def test_cordoba_resolves_by_country(
    gazetteer: GazetteerGeocoder, name: str, country: str, source: str, latitude: float
) -> None:
    location = gazetteer.geocode({"city": name, "country": country})
    assert source_of(location) == source
    assert location.latitude == pytest.approx(latitude, abs=0.01)


@pytest.mark.parametrize("state", ["Minnesota", "MN", "minnesota"])
def test_saint_paul_minnesota(gazetteer: GazetteerGeocoder, state: str) -> None:
    location = gazetteer.geocode({"city": "Saint Paul", "state": state, "country": "US"})
    assert source_of(location) == SAINT_PAUL_MINNESOTA
    assert (location.latitude, location.longitude) == pytest.approx((44.944, -93.093), abs=0.01)


@pytest.mark.parametrize(
    ("state", "source"),
    [("Missouri", KANSAS_CITY_MISSOURI), ("MO", KANSAS_CITY_MISSOURI), ("Kansas", KANSAS_CITY_KANSAS)],
)
def test_kansas_city_follows_the_state(gazetteer: GazetteerGeocoder, state: str, source: str) -> None:
    assert source_of(gazetteer.geocode({"city": "Kansas City", "state": state, "country": "US"})) == source


def test_region_query_is_never_answered_by_a_town_of_its_name(gazetteer: GazetteerGeocoder) -> None:
    kwazulu_natal_town = gazetteer.geocode({"city": "Mpumalanga", "country": "ZA"})
    assert kwazulu_natal_town.latitude == pytest.approx(-29.81, abs=0.01)
    province = gazetteer.geocode({"state": "Mpumalanga", "country": "ZA"})
    assert province.raw["source"] == "iso3166-2:ZA-MP"
    assert province.raw["precision"] == "region"


def test_province_of_mpumalanga_answers_from_the_overrides(data_dir: Path) -> None:
    chain = build_geocoder(data_dir, use_cache=False)
    location = chain.geocode({"state": "Mpumalanga", "country": "ZA"})
    assert (location.latitude, location.longitude) == (-25.4753, 30.9694)
    assert location.raw["source"] == "override"
    assert location.raw["precision"] == "region"


@pytest.mark.parametrize(("name", "country"), [("Atlantis", "GR"), ("Portland", "FR"), ("Seattle", "CA"), ("", "US")])
def test_unknown_place_is_none(gazetteer: GazetteerGeocoder, data_dir: Path, name: str, country: str) -> None:
    assert gazetteer.geocode(name, country_codes=country) is None
    assert locate(build_geocoder(data_dir), name, country) is None


# The chain: cache, then overrides, then the gazetteer


def test_override_comes_before_the_gazetteer(data_dir: Path) -> None:
    append_row(
        data_dir / "place_overrides.csv",
        {"name": "Portland", "country": "AU", "lat": "-38.0", "lon": "141.5", "precision": "point"},
    )
    found = locate(build_geocoder(data_dir), "Portland", "AU")
    assert found == {
        "name": "Portland",
        "admin1": "",
        "country": "AU",
        "lat": -38.0,
        "lon": 141.5,
        "source": "override",
        "precision": "point",
    }


def test_cache_comes_before_the_overrides(data_dir: Path) -> None:
    set_cell(data_dir / "places.csv", 3, "lat", "10.5")  # Santa Fe Province, AR, also an override
    assert locate(build_geocoder(data_dir), "Santa Fe Province", "AR")["lat"] == 10.5
    assert locate(build_geocoder(data_dir, use_cache=False), "Santa Fe Province", "AR")["lat"] == -31.6333


def test_cached_place_in_another_state_does_not_answer(data_dir: Path) -> None:
    chain = build_geocoder(data_dir)
    assert locate(chain, "Kansas City", "US", "Missouri")["source"] == KANSAS_CITY_MISSOURI
    assert locate(chain, "Kansas City", "US", "Kansas")["source"] == KANSAS_CITY_KANSAS


def test_locate_rounds_to_five_places_and_upper_cases_the_country(data_dir: Path) -> None:
    found = locate(build_geocoder(data_dir), "Portland", "au", admin1="Victoria")
    assert found["country"] == "AU"
    assert found["source"] == PORTLAND_VICTORIA
    assert found["lat"] == round(found["lat"], 5)
    assert found["precision"] == "point"


def test_region_kind_passes_through_locate(data_dir: Path) -> None:
    chain = build_geocoder(data_dir, use_cache=False)
    assert locate(chain, "Mpumalanga", "ZA", kind="region")["source"] == "override"
    assert locate(chain, "Portland", "AU", kind="region") is None


# `python -m atlas locate`


def test_locate_prints_one_json_result(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "Córdoba", "--country", "ES", "--data", str(data_dir)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["name"] == "Córdoba"
    assert found["source"] == CORDOBA_ANDALUSIA
    assert found["lat"] == pytest.approx(37.89, abs=0.01)


def test_locate_of_an_unknown_place_exits_1(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "Atlantis", "--country", "GR", "--data", str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "locate: 'Atlantis' (GR) not found\n"


def test_locate_without_a_country_asks_for_one(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "Portland", "--data", str(data_dir)]) == 2
    assert "give NAME and --country ISO2" in capsys.readouterr().err


def test_locate_csv_answers_every_row_in_order(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = tmp_path / "places-to-find.csv"
    places.write_text("name,country\nPortland,US\nPortland,AU\nAtlantis,GR\nCórdoba,AR\nCórdoba,ES\n", encoding="utf-8")
    assert main(["locate", "--csv", str(places), "--data", str(data_dir)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "name,country,lat,lon,source"
    rows = [line.split(",") for line in lines[1:]]
    assert [(name, country) for name, country, *_ in rows] == [
        ("Portland", "US"),
        ("Portland", "AU"),
        ("Atlantis", "GR"),
        ("Córdoba", "AR"),
        ("Córdoba", "ES"),
    ]
    assert [source for *_, source in rows] == [
        PORTLAND_OREGON,
        PORTLAND_VICTORIA,
        "unresolved",
        CORDOBA_ARGENTINA,
        CORDOBA_ANDALUSIA,
    ]
    assert rows[2] == ["Atlantis", "GR", "", "", "unresolved"]
    assert float(rows[1][2]) == pytest.approx(-38.346, abs=0.01)
    assert captured.err == "places-to-find.csv row 4: 'Atlantis' (GR) not found\n"


def test_locate_csv_exits_0_when_everything_resolves(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = tmp_path / "places-to-find.csv"
    places.write_text("name,country,admin1\nSaint Paul,US,Minnesota\nMpumalanga,ZA,\n", encoding="utf-8")
    assert main(["locate", "--csv", str(places), "--data", str(data_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        f"Saint Paul,US,44.94441,-93.09327,{SAINT_PAUL_MINNESOTA}",
        "Mpumalanga,ZA,-25.4753,30.9694,override",
    ]


def test_locate_csv_without_a_country_column_names_the_file(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = tmp_path / "places-to-find.csv"
    places.write_text("name\nPortland\n", encoding="utf-8")
    assert main(["locate", "--csv", str(places), "--data", str(data_dir)]) == 1
    assert capsys.readouterr().err == "error: places-to-find.csv row 1: missing column(s) country\n"


# `python -m atlas geocode`


def test_geocode_adds_a_new_place_to_the_cache(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append_row(data_dir / "partnerships.csv", new_partnership("Portland", "Victoria", "AU"))
    places_before = read_rows(data_dir / "places.csv")
    others_before = {name: digest for name, digest in file_hashes(data_dir).items() if name != "places.csv"}

    assert main(["geocode", "--data", str(data_dir)]) == 0

    captured = capsys.readouterr()
    assert captured.out.startswith("added Portland, AU: -38.34620, 141.60257 (geonames:2152667)")
    assert captured.err == "geocode: 1 place(s) added\n"
    places_after = read_rows(data_dir / "places.csv")
    assert ["Portland", "Victoria", "AU", "-38.34620", "141.60257", "point", PORTLAND_VICTORIA] in places_after
    assert [row for row in places_after if row[0] != "Portland"] == places_before
    assert {name: digest for name, digest in file_hashes(data_dir).items() if name != "places.csv"} == others_before
    assert not has_errors(validate_directory(data_dir))


def test_geocode_adds_a_region_from_the_overrides(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append_row(
        data_dir / "place_overrides.csv",
        {"name": "Western Cape", "country": "ZA", "lat": "-33.9", "lon": "18.4", "precision": "region"},
    )
    append_row(data_dir / "partnerships.csv", new_partnership("Western Cape", "", "ZA", level="province"))
    assert main(["geocode", "--data", str(data_dir)]) == 0
    assert "added Western Cape, ZA: -33.90000, 18.40000 (override)" in capsys.readouterr().out
    assert ["Western Cape", "", "ZA", "-33.90000", "18.40000", "region", "override"] in read_rows(
        data_dir / "places.csv"
    )


def test_geocode_with_nothing_new_writes_nothing(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = file_hashes(data_dir)
    assert main(["geocode", "--data", str(data_dir)]) == 0
    assert capsys.readouterr().err == "geocode: 0 place(s) added\n"
    assert file_hashes(data_dir) == before


def test_geocode_lists_an_unknown_place_with_its_row_and_exits_1(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = append_row(data_dir / "partnerships.csv", new_partnership("Atlantis", "", "GR"))
    before = file_hashes(data_dir)
    assert main(["geocode", "--data", str(data_dir)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"unresolved: Atlantis, GR (partnerships.csv row {row} column 'partner')",
        "geocode: 1 place(s) unresolved: add them to place_overrides.csv or try --online",
    ]
    assert file_hashes(data_dir) == before


def test_geocode_refuses_a_broken_table_and_changes_nothing(data_dir: Path) -> None:
    set_cell(data_dir / "partnerships.csv", 5, "established", "2023-02-29")
    append_row(data_dir / "partnerships.csv", new_partnership("Portland", "Victoria", "AU"))
    before = file_hashes(data_dir)
    result = run_atlas("geocode", "--data", str(data_dir))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: partnerships.csv row 5 column 'established': '2023-02-29': day 29 does not exist in 2023-02",
        "geocode: fix the errors above first; nothing was written",
    ]
    assert file_hashes(data_dir) == before


def append_bytes_that_are_not_utf8(data_dir: Path) -> None:
    with (data_dir / "partnerships.csv").open("ab") as table:
        table.write("zürich-chongqing\n".encode("latin-1"))


# Issue 7's broken tables, each after a new place has been added so that there is work to write.
BROKEN_TABLES = {
    "impossible date": (
        lambda data_dir: set_cell(data_dir / "partnerships.csv", 5, "established", "2023-02-29"),
        "error: partnerships.csv row 5 column 'established': '2023-02-29': day 29 does not exist in 2023-02",
    ),
    "missing column": (
        lambda data_dir: drop_column(data_dir / "partnerships.csv", "confidence"),
        "error: partnerships.csv row 1 column 'confidence': required column is missing",
    ),
    "duplicate partnership": (
        lambda data_dir: copy_row(data_dir / "partnerships.csv", 9, id="chongqing-dusseldorf-again"),
        "error: partnerships.csv row 87 column 'partner': duplicate partnership (same home, partner and country)",
    ),
    "unknown country code": (
        lambda data_dir: set_cell(data_dir / "partnerships.csv", 2, "country", "XX"),
        "error: partnerships.csv row 2 column 'country': 'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    "bytes that are not UTF-8": (
        append_bytes_that_are_not_utf8,
        "error: partnerships.csv row 87: bytes b'\\xfcric' at offset ",
    ),
    "empty file": (
        lambda data_dir: (data_dir / "events.csv").write_bytes(b""),
        "error: events.csv: file is empty: expected a header row",
    ),
}


@pytest.mark.parametrize(("breakage", "message"), BROKEN_TABLES.values(), ids=BROKEN_TABLES.keys())
def test_geocode_on_a_broken_table_names_the_problem_and_writes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], breakage: Callable[[Path], object], message: str
) -> None:
    append_row(data_dir / "partnerships.csv", new_partnership("Portland", "Victoria", "AU"))
    breakage(data_dir)
    before = file_hashes(data_dir)
    assert main(["geocode", "--data", str(data_dir)]) == 1
    printed = capsys.readouterr().err.splitlines()
    assert any(line.startswith(message) for line in printed), printed
    assert printed[-1] == "geocode: fix the errors above first; nothing was written"
    assert file_hashes(data_dir) == before


# The online geocoder


def test_online_geocoder_is_asked_only_with_online(data_dir: Path) -> None:
    with pytest.raises(OnlineGeocoderUsed):
        main(["locate", "Atlantis", "--country", "GR", "--online", "--data", str(data_dir)])


def test_online_failure_is_the_projects_own_error(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geopy.exc import GeocoderUnavailable

    class UnreachableNominatim:
        def __init__(self, **_settings: object) -> None:
            pass

        def geocode(self, *_args: object, **_kwargs: object) -> None:
            raise GeocoderUnavailable("no route to host")

    monkeypatch.setattr("geopy.geocoders.Nominatim", UnreachableNominatim)
    chain = build_geocoder(data_dir, online=True)
    assert locate(chain, "Portland", "AU")["source"] == PORTLAND_VICTORIA
    with pytest.raises(GeocodeError, match="Nominatim could not be asked about 'Atlantis': no route to host"):
        locate(chain, "Atlantis", "GR")


# Bad input and the world list


def test_locate_names_a_bad_country_code_and_an_empty_name(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "Portland", "--country", "XX", "--data", str(data_dir)]) == 2
    assert capsys.readouterr().err == "locate: 'XX' is not an ISO 3166-1 alpha-2 country code\n"
    assert main(["locate", " ", "--country", "US", "--data", str(data_dir)]) == 2
    assert capsys.readouterr().err == "locate: the name is empty\n"


def test_locate_csv_gives_every_bad_row_its_message(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = tmp_path / "many.csv"
    rows = ["name,country", ",US", "Portland,XX"] + [f"Portland,{'AU' if n % 2 else 'US'}" for n in range(10_000)]
    places.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["locate", "--csv", str(places), "--data", str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "many.csv row 2: the name is empty",
        "many.csv row 3: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ]
    assert len(captured.out.splitlines()) == 1 + 10_002


def test_build_geocoder_takes_the_gazetteer_it_is_given(tmp_path: Path, data_dir: Path) -> None:
    town = PlaceRecord("Atlantis", "GR", "city", 36.4, 25.4, 1200, "test:atlantis")
    town.add_name("Atlantis", 1 | 2)
    chain = build_geocoder(data_dir, small_gazetteer([town], tmp_path / "index"), use_cache=False)
    found = locate(chain, "Atlantis", "GR")
    assert (found["lat"], found["source"]) == (36.4, "test:atlantis")
    assert locate(chain, "Portland", "AU") is None


def test_gazetteer_location_carries_its_reason(gazetteer: GazetteerGeocoder) -> None:
    location = gazetteer.geocode({"city": "Portland", "state": "Maine", "country": "US"})
    assert "admin1 US-ME" in location.raw["reason"]


WORLD_LIST = Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "world" / "twin_cities.csv"


@pytest.mark.skipif(not WORLD_LIST.exists(), reason="the world list (../shared) is not here")
def test_score_on_the_world_list_prints_its_shares(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "--score", str(WORLD_LIST), "--sample", "200", "--seed", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "locate --score: 200 place(s)"
    within = float(lines[1].split("(")[1].rstrip("%)"))
    assert within >= 80.0, lines


def test_score_tells_a_place_the_list_puts_in_another_country() -> None:
    from atlas.places import score
    from atlas.places.gazetteer import gazetteer

    listed = [
        score.ListedPlace("Portland", "Australia", -38.34, 141.60),  # Portland, Victoria: right
        score.ListedPlace("Liverpool", "Australia", 53.41, -2.99),  # the list's point is in England
        score.ListedPlace("Atlantis", "Greece", 36.40, 25.40),  # not a place: unresolved, in Greece
    ]
    result = score.score(gazetteer(), listed)
    assert (result.within, len(result.elsewhere), len(result.unresolved)) == (1, 1, 1)
    assert [line.split(" at ")[0] for line in result.foreign] == ["Liverpool (Australia)"]
    assert result.foreign[0].endswith("in GB")
