"""`python -m atlas import-pairs`: a list of twinned city pairs becomes a data directory the app serves."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from datadir import PROJECT_ROOT, run_atlas

from atlas.errors import AtlasError
from atlas.filters import filter_partnerships
from atlas.load import HUB_ALL, load_atlas
from atlas.pairs import country_code, import_pairs
from atlas.story import partnership_story

SHARED = PROJECT_ROOT.parent / "shared"
WORLD = SHARED / "reference" / "world" / "twin_cities.csv"

PAIRS = """city1,country1,lat1,lng1,city2,country2,lat2,lng2
Düsseldorf,Germany,51.2256,6.7767,Chongqing,China,29.5637,106.5504
Chongqing,China,29.5637,106.5504,Düsseldorf,Germany,51.2256,6.7767
Düsseldorf,Germany,51.2256,6.7767,Chongqing,China,29.5637,106.5504
São Paulo,Brazil,-23.5505,-46.6333,Kraków,Poland,50.0614,19.9366
Portland,United States,45.5202,-122.6742,Sapporo,Japan,43.0619,141.3544
Portland,United States,43.6591,-70.2568,Shinagawa,Japan,35.6,139.7333
Atlantis,Narnia,0,0,Paris,France,48.8566,2.3522
Cardiff,Wales,51.4816,-3.1791,Stuttgart,Germany,48.7758,9.1829
Tbilisi,Georgia (country),41.7151,44.8271,Ljubljana,Slovenia,46.0569,14.5058
Düsseldorf,Germany,51.2255,6.7768,Moscow,Russia,55.7558,37.6173
Portsmouth,England,50.8058,-1.0872,Falkland Islands,,-51.73,-59.22
Maui County,United States,20.7581,-156.3105,American Samoa,,-14.3,-170.7
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The pair list above imported on the command line, as a person would run it."""
    folder = tmp_path_factory.mktemp("pairs")
    source = folder / "pairs.csv"
    source.write_text(PAIRS, encoding="utf-8")
    out = folder / "out"
    return out, run_atlas("import-pairs", str(source), "--out", str(out), "--source-title", "Hand-written pairs")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_imported_directory_validates(imported) -> None:
    out, result = imported
    assert result.returncode == 0, result.stderr
    checked = run_atlas("validate", "--data", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{out}: 0 error(s)" in checked.stderr


def test_a_country_name_that_cannot_be_mapped_is_reported_with_its_row(imported) -> None:
    out, result = imported
    assert "pairs.csv row 8 column 'country1': 'Narnia' is not a country name I know" in result.stderr
    assert "1 row(s) left out" in result.stderr
    assert all(row["home"] != "Atlantis" and row["partner"] != "Atlantis" for row in rows(out / "partnerships.csv"))


def test_duplicate_and_reversed_pairs_are_kept_once(imported) -> None:
    out, result = imported
    assert "2 duplicate pair(s) merged, 1 of them reversed" in result.stderr
    pairs = [{row["home"], row["partner"]} for row in rows(out / "partnerships.csv")]
    assert pairs.count({"Düsseldorf", "Chongqing"}) == 1
    # A few metres apart in two lists is still one Düsseldorf.
    assert [row["name"] for row in rows(out / "places.csv")].count("Düsseldorf") == 1


def test_names_keep_their_accents_and_ids_are_plain_slugs(imported) -> None:
    out, _ = imported
    partnerships = rows(out / "partnerships.csv")
    names = {row["home"] for row in partnerships} | {row["partner"] for row in partnerships}
    assert {"Düsseldorf", "São Paulo", "Kraków"} <= names
    assert "sao-paulo-krakow" in {row["id"] for row in partnerships}


def test_countries_are_mapped_to_iso_codes(imported) -> None:
    out, _ = imported
    countries = {row["name"]: row["country"] for row in rows(out / "places.csv")}
    assert countries["Cardiff"] == "GB"  # Wales
    assert countries["Tbilisi"] == "GE"  # Georgia (country)
    assert countries["Moscow"] == "RU"  # Russia
    assert countries["Portland"] == "US"
    # No country given: the city is a territory with a code of its own.
    assert (countries["Falkland Islands"], countries["American Samoa"]) == ("FK", "AS")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Albania", "AL"),
        ("England, United Kingdom", "GB"),
        ("Scotland", "GB"),
        ("Brandenburg, Germany", "DE"),
        ("Georgia (country)", "GE"),
        ("Turkey", "TR"),
        ("Northern Cyprus", "CY"),
        ("Kosovo", "XK"),
        ("Falkland Islands", "FK"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_country_names_as_pair_lists_write_them(name: str, code: str | None) -> None:
    assert country_code(name) == code


def test_two_cities_of_one_name_in_one_country_stay_apart(imported) -> None:
    out, _ = imported
    portlands = [row for row in rows(out / "places.csv") if row["name"] == "Portland"]
    assert len(portlands) == 2
    assert {row["admin1"] for row in portlands} == {"45.52°N 122.67°W", "43.66°N 70.26°W"}
    atlas = load_atlas(out)
    hubs = [hub for hub in atlas.hubs if hub.name.startswith("Portland")]
    assert sorted(hub.id for hub in hubs) == ["Portland, 43.66°N 70.26°W, US", "Portland, 45.52°N 122.67°W, US"]
    oregon = filter_partnerships(atlas, "Portland, 45.52°N 122.67°W, US", None)
    assert list(oregon["partner"]) == ["Sapporo"]
    assert oregon["home_lon"].iloc[0] == pytest.approx(-122.6742)


def test_every_city_can_be_the_hub_and_its_links_start_there(imported) -> None:
    out, _ = imported
    atlas = load_atlas(out)
    assert {"Sapporo", "Kraków", "Chongqing", "Düsseldorf"} <= {hub.id for hub in atlas.hubs}
    sapporo = filter_partnerships(atlas, "Sapporo", None)
    assert list(sapporo["home"]) == ["Sapporo"]
    assert list(sapporo["partner"]) == ["Portland"]
    assert (sapporo["home_lat"].iloc[0], sapporo["lat"].iloc[0]) == pytest.approx((43.0619, 45.5202))
    assert list(filter_partnerships(atlas, "Düsseldorf", None)["partner"]) == ["Chongqing", "Moscow"]
    # All hubs: each pair drawn once.
    assert len(filter_partnerships(atlas, HUB_ALL, None)) == len(rows(out / "partnerships.csv")) == 9


def test_a_story_opened_from_the_partner_side_is_told_from_there(imported) -> None:
    out, _ = imported
    atlas = load_atlas(out)
    [pair_id] = filter_partnerships(atlas, "Sapporo", None)["id"]
    from_sapporo = partnership_story(atlas, pair_id, "en", "Sapporo")
    assert (from_sapporo.name, from_sapporo.home, from_sapporo.country) == ("Portland", "Sapporo", "United States")
    from_portland = partnership_story(atlas, pair_id, "en", HUB_ALL)
    assert (from_portland.name, from_portland.home, from_portland.country) == ("Sapporo", "Portland", "Japan")


def test_the_directory_has_no_dates_and_no_sectors(imported) -> None:
    out, _ = imported
    atlas = load_atlas(out)
    assert not atlas.has_dates
    assert not atlas.has_sectors
    assert {row["source_title"] for row in rows(out / "partnerships.csv")} == {"Hand-written pairs"}


def test_an_existing_data_directory_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text(PAIRS, encoding="utf-8")
    with pytest.raises(AtlasError, match="never writes into the project's own data directory"):
        import_pairs(source, PROJECT_ROOT / "data", force=True)
    out = tmp_path / "out"
    import_pairs(source, out)
    with pytest.raises(AtlasError, match="already holds a data directory"):
        import_pairs(source, out)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is missing (a clean clone): the world pair list is not here")
def test_the_world_pair_list_imports_and_loads(tmp_path: Path) -> None:
    report = import_pairs(WORLD, tmp_path / "world", source_title="Wikipedia's twin-town lists (Hekman/twincities)")
    assert report.rows == 25_917
    assert report.pairs + report.duplicates + len(report.skipped) == report.rows
    assert len(report.skipped) <= 10, [str(problem) for problem in report.skipped]
    assert (tmp_path / "world" / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    atlas = load_atlas(tmp_path / "world")
    assert len(atlas.partnerships) == report.pairs
    assert atlas.hub("Chongqing") is not None
    assert len(filter_partnerships(atlas, "Chongqing", None)) >= 20
