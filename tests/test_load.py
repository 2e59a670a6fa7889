"""`load_atlas`: the validated tables as typed frames with every derived column, cached until a file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from datadir import FIXTURE_DATA, copy_data, read_rows, set_cell

from atlas.errors import Problem, ValidationFailed
from atlas.load import CONTINENTS, Atlas, load_atlas


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(FIXTURE_DATA)


def partnership(atlas: Atlas, partnership_id: str) -> pd.Series:
    [row] = atlas.partnerships[atlas.partnerships["id"] == partnership_id].to_dict("records")
    return pd.Series(row)


def first_years(atlas: Atlas, partnership_id: str) -> dict[str, int]:
    sectors = atlas.sector_years[atlas.sector_years["partnership_id"] == partnership_id]
    return dict(zip(sectors["sector"], sectors["year"], strict=True))


def test_every_partnership_is_loaded_with_typed_columns(atlas: Atlas) -> None:
    frame = atlas.partnerships
    assert len(frame) == len(read_rows(FIXTURE_DATA / "partnerships.csv")) - 1
    assert frame["year"].dtype == "Int64"
    assert atlas.events["year"].dtype == "Int64"
    assert atlas.facts["year"].dtype == "Int64"
    for column in ("lat", "lon", "home_lat", "home_lon"):
        assert frame[column].dtype == "float64"
        assert frame[column].notna().all(), column
    assert frame["year_drawn"].dtype == "int64"
    assert frame["exchanges"].dtype == "int64"


def test_years_and_decades_come_from_the_established_date(atlas: Atlas) -> None:
    toulouse = partnership(atlas, "chongqing-toulouse")
    assert (toulouse["established"], toulouse["year"], toulouse["decade"]) == ("1982-12", 1982, "1980s")
    assert partnership(atlas, "chongqing-dusseldorf")["decade"] == "2000s"
    assert set(atlas.partnerships["decade"]) <= {"1980s", "1990s", "2000s", "2010s", "2020s", "unknown"}


def test_undated_partnerships_are_drawn_at_the_last_year(atlas: Atlas) -> None:
    undated = atlas.partnerships[atlas.partnerships["year"].isna()]
    assert len(undated) == 13
    assert (undated["year_drawn"] == atlas.last_year).all()
    assert (undated["decade"] == "unknown").all()
    dated = atlas.partnerships[atlas.partnerships["year"].notna()]
    assert (dated["year_drawn"] == dated["year"]).all()


def test_first_and_last_year_span_the_data(atlas: Atlas) -> None:
    assert atlas.first_year == int(atlas.partnerships["year"].min())
    assert atlas.last_year == max(int(atlas.partnerships["year"].max()), int(atlas.events["year"].max()))


def test_continents_are_named(atlas: Atlas) -> None:
    assert partnership(atlas, "chongqing-toulouse")["continent"] == "Europe"
    assert partnership(atlas, "chongqing-seattle")["continent"] == "North America"
    assert partnership(atlas, "chongqing-mpumalanga")["continent"] == "Africa"
    assert partnership(atlas, "chongqing-cordoba-province")["continent"] == "South America"
    assert set(atlas.partnerships["continent"]) <= {*CONTINENTS.values(), "Other"}


def test_partner_coordinates_come_from_the_places_cache(atlas: Atlas) -> None:
    saint_paul = partnership(atlas, "changsha-saint-paul")
    assert (saint_paul["lat"], saint_paul["lon"]) == (44.94441, -93.09327)
    assert saint_paul["location_precision"] == "point"
    assert partnership(atlas, "chongqing-mpumalanga")["location_precision"] == "region"


def test_exchanges_count_the_events_of_each_partnership(atlas: Atlas) -> None:
    events = read_rows(FIXTURE_DATA / "events.csv")
    dusseldorf_events = sum(row[0] == "chongqing-dusseldorf" for row in events[1:])
    assert partnership(atlas, "chongqing-dusseldorf")["exchanges"] == dusseldorf_events == 15
    assert partnership(atlas, "chongqing-toronto")["exchanges"] == 0
    assert atlas.partnerships["exchanges"].sum() == len(events) - 1


def test_sector_years_give_the_first_year_of_each_sector(atlas: Atlas) -> None:
    assert first_years(atlas, "chongqing-mpumalanga") == {
        "agriculture": 2008,
        "education": 2008,
        "government": 2001,
        "trade": 2001,
    }


def test_sectors_seen_only_in_undated_exchanges_count_from_the_last_year(atlas: Atlas) -> None:
    years = first_years(atlas, "chongqing-dusseldorf")
    assert years["government"] == 2001
    assert years["trade"] == 2011  # dated 2011-03, and again undated later
    assert years["health"] == years["culture"] == atlas.last_year


def test_events_carry_their_sector_lists(atlas: Atlas) -> None:
    first = atlas.events.iloc[0]
    assert (first["partnership_id"], first["sector_list"], first["year"]) == (
        "chongqing-mpumalanga",
        ["trade", "government"],
        2001,
    )


def test_warnings_are_kept_and_errors_are_absent(atlas: Atlas) -> None:
    assert atlas.warnings
    assert {problem.severity for problem in atlas.warnings} == {"warning"}


def test_cache_returns_the_same_atlas_until_a_file_changes(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    first = load_atlas(data_dir)
    assert load_atlas(data_dir) is first
    assert load_atlas(data_dir / ".." / "data") is first

    table = data_dir / "partnerships.csv"
    set_cell(table, 5, "established", "1987-10-23")
    modified = table.stat().st_mtime_ns + 1_000_000_000
    os.utime(table, ns=(modified, modified))
    reloaded = load_atlas(data_dir)
    assert reloaded is not first
    assert partnership(reloaded, "chongqing-hiroshima")["year"] == 1987
    assert load_atlas(data_dir) is reloaded


def test_directory_with_errors_raises_validation_failed_naming_the_problem(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    set_cell(data_dir / "partnerships.csv", 5, "established", "2023-02-29")
    with pytest.raises(ValidationFailed) as caught:
        load_atlas(data_dir)
    problem = Problem("partnerships.csv", 5, "established", "'2023-02-29': day 29 does not exist in 2023-02")
    assert problem in caught.value.problems
    assert str(caught.value) == f"1 error(s) in the data:\n{problem}"


def test_missing_facts_table_loads_as_empty_facts(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    (data_dir / "facts.csv").unlink()
    atlas = load_atlas(data_dir)
    assert atlas.facts.empty
    assert "year" in atlas.facts
