"""Which ties are alive: the last exchange, the exchanges of the last five years and the status at a
year, as a table of cases run through one test; then the same rules on the fixture data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from datadir import FIXTURE_DATA

from atlas.activity import (
    ACTIVE_YEARS,
    DORMANT_YEARS,
    RECENT_YEARS,
    ExchangeIndex,
    activity_at,
    frame_activity,
    gone_quiet,
)
from atlas.filters import filter_partnerships
from atlas.load import Atlas, load_atlas

# established, exchange dates, year shown -> last exchange's year, exchanges in the last five years, status
CASES = [
    # An exchange this year, or one or two years before: active.
    ("1990", ["2010-05"], 2010, 2010, 1, "active"),
    ("1990", ["2008"], 2010, 2008, 1, "active"),
    # Three to seven years since the last one: quiet.
    ("1990", ["2007-12-31"], 2010, 2007, 1, "quiet"),
    ("1990", ["2003"], 2010, 2003, 0, "quiet"),
    # Eight years or more: dormant.
    ("1990", ["2002"], 2010, 2002, 0, "dormant"),
    ("1990", ["1995", "1996"], 2010, 1996, 0, "dormant"),
    # It follows the year shown: exchanges after it do not count yet.
    ("1990", ["1995", "2012"], 2000, 1995, 0, "quiet"),
    ("1990", ["1996", "2012"], 2000, 1996, 1, "quiet"),
    ("1990", ["1995", "2012"], 2012, 2012, 1, "active"),
    # No exchange at all: the signing is the last sign of life, dormant eight years after it.
    ("2008", [], 2010, None, 0, "active"),
    ("2005-06", [], 2010, None, 0, "quiet"),
    ("2002", [], 2010, None, 0, "dormant"),
    # A signing after the last exchange (an origin story before the tie) counts from the signing.
    ("2009", ["1999"], 2010, 1999, 0, "active"),
    # Undated exchanges say nothing about when; an undated tie with dated exchanges counts from them.
    ("1990", ["", "2009"], 2010, 2009, 1, "active"),
    ("", ["2001"], 2010, 2001, 0, "dormant"),
    ("", [], 2010, None, 0, "unknown"),
    ("", [""], 2010, None, 0, "unknown"),
    # Five years up to the year shown, that year included.
    ("1990", ["2005", "2006", "2008", "2010", "2010-02"], 2010, 2010, 4, "active"),
]


def index_of(cases: list[tuple]) -> tuple[ExchangeIndex, np.ndarray]:
    ids = pd.Series([f"tie-{number}" for number in range(len(cases))])
    rows = [(f"tie-{number}", date) for number, case in enumerate(cases) for date in case[1]]
    events = pd.DataFrame(rows, columns=["partnership_id", "date"])
    events["year"] = pd.to_numeric(events["date"].str[:4], errors="coerce").astype("Int64")
    established = np.array([float(case[0][:4]) if case[0] else np.nan for case in cases])
    return ExchangeIndex.build(ids, events), established


@pytest.mark.parametrize(("established", "dates", "year", "last_year", "recent", "status"), CASES)
def test_activity_of_one_tie(established, dates, year, last_year, recent, status) -> None:
    index, established_years = index_of([(established, dates)])
    found = activity_at(index, np.array([0]), established_years, year).iloc[0]
    assert found["activity"] == status
    if last_year is None:
        assert np.isnan(found["last_year"]) and found["last_row"] == -1
    else:
        assert found["last_year"] == last_year
    assert found["recent"] == recent


def test_many_ties_at_once_give_what_each_gives_alone() -> None:
    """The vectorised path over every case together (neighbours in one sorted array) agrees with the table."""
    index, established = index_of(CASES)
    years = [case[2] for case in CASES]
    for year in sorted(set(years)):
        found = activity_at(index, np.arange(len(CASES)), established, year)
        for number, case in enumerate(CASES):
            if case[2] == year:
                assert found["activity"].iat[number] == case[5], case
                assert found["recent"].iat[number] == case[4], case


def test_thresholds_are_the_ones_the_issue_names() -> None:
    assert (ACTIVE_YEARS, DORMANT_YEARS, RECENT_YEARS) == (3, 8, 5)


def test_last_row_points_at_the_latest_exchange_of_its_year() -> None:
    ids = pd.Series(["a", "b"])
    events = pd.DataFrame(
        {"partnership_id": ["b", "a", "a", "a"], "date": ["2001", "2004-07-22", "2004", "2004-03"]},
        index=[10, 11, 12, 13],
    )
    events["year"] = pd.to_numeric(events["date"].str[:4]).astype("Int64")
    found = activity_at(ExchangeIndex.build(ids, events), np.array([0, 1]), np.array([2000.0, 2000.0]), 2006)
    assert found["last_row"].tolist() == [11, 10]
    assert found["recent"].tolist() == [3, 0]


def test_no_exchanges_in_the_whole_data() -> None:
    index = ExchangeIndex.build(pd.Series(["a"]), pd.DataFrame({"partnership_id": [], "date": [], "year": []}))
    found = activity_at(index, np.array([0]), np.array([2000.0]), 2010)
    assert found["activity"].tolist() == ["dormant"]


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(Path(FIXTURE_DATA))


def test_dusseldorf_is_quiet_in_2010_and_active_in_2011(atlas: Atlas) -> None:
    """Its exchanges: 2001, 22 July 2004, then October 2011 and later (tests/fixtures/data/events.csv)."""
    frame = filter_partnerships(atlas, "Chongqing", 2010)
    row = frame_activity(atlas, frame, 2010).loc[frame.index[frame["id"] == "chongqing-dusseldorf"][0]]
    assert (row["activity"], row["last_year"], row["since"]) == ("quiet", 2004, 6)
    assert atlas.events.loc[row["last_row"], "date"] == "2004-07-22"
    frame = filter_partnerships(atlas, "Chongqing", 2011)
    row = frame_activity(atlas, frame, 2011).loc[frame.index[frame["id"] == "chongqing-dusseldorf"][0]]
    assert row["activity"] == "active"


def test_ties_gone_quiet_are_the_quiet_and_dormant_ones_longest_silent_first(atlas: Atlas) -> None:
    frame = filter_partnerships(atlas, "Chongqing", 2010)
    quiet = gone_quiet(atlas, frame, 2010)
    assert set(quiet["activity"]) == {"quiet", "dormant"}
    assert quiet["since"].is_monotonic_decreasing
    # Toulouse (1982, no exchange since) heads Chongqing's list; Mpumalanga (an exchange in 2010) is not on it.
    assert quiet["id"].iat[0] == "chongqing-toulouse"
    assert "chongqing-mpumalanga" not in set(quiet["id"])
    everything = frame_activity(atlas, frame, 2010)["activity"]
    assert len(quiet) == int(everything.isin(["quiet", "dormant"]).sum())


def test_activity_filter_splits_a_hubs_ties_and_follows_the_year(atlas: Atlas) -> None:
    everything = filter_partnerships(atlas, "Chongqing", 2016)
    split = {
        status: set(filter_partnerships(atlas, "Chongqing", 2016, activity=status)["id"])
        for status in ("active", "quiet", "dormant")
    }
    assert split["active"] and split["dormant"]
    assert sum(map(len, split.values())) <= len(everything)
    assert not (split["active"] & split["dormant"]) and not (split["active"] & split["quiet"])
    assert "chongqing-dusseldorf" in split["active"]  # an award in November 2014
    assert "chongqing-dusseldorf" in set(filter_partnerships(atlas, "Chongqing", 2010, activity="quiet")["id"])


def test_activity_and_compare_travel_in_the_url(atlas: Atlas) -> None:
    from atlas.filters import parse_query_string, view_state_query

    state, notices = parse_query_string("?home=Chongqing&compare=changsha&activity=Dormant", atlas)
    assert (state.compare, state.activity, notices) == ("Changsha", "dormant", [])
    assert view_state_query(state, atlas) == "?home=Chongqing&activity=dormant&compare=Changsha"
    state, notices = parse_query_string("?activity=sleepy&compare=Atlantis", atlas)
    assert (state.activity, state.compare) == (None, None)
    assert notices == ["activity: 'sleepy' is not active, quiet or dormant", "compare: unknown hub 'Atlantis'"]


def test_map_draws_quiet_ties_dashed_and_dormant_ones_faded_with_the_thresholds_in_its_key(atlas: Atlas) -> None:
    from atlas.filters import parse_query_string
    from atlas.views import map_view

    state, _ = parse_query_string("?home=Chongqing&year=2016", atlas)
    links = {trace["name"]: trace for trace in map_view(atlas, state).figure["data"] if trace["mode"] == "lines"}
    active, quiet, dormant = (
        links["Active: an exchange in 3 years"],
        links["Quiet: 3–7 years (dashed)"],
        links["Dormant: 8+ years (faded)"],
    )
    assert (active["line"]["dash"], quiet["line"]["dash"]) == ("solid", "dash")
    assert dormant["opacity"] < 0.5 <= active["opacity"]
    faded = [
        trace for trace in map_view(atlas, state).figure["data"] if trace["mode"] == "markers" and trace.get("name")
    ]
    assert any(trace["marker"]["opacity"] < 0.5 for trace in faded)
    state, _ = parse_query_string("?home=Chongqing&year=2016&lang=zh", atlas)
    names = {trace["name"] for trace in map_view(atlas, state).figure["data"] if trace["mode"] == "lines"}
    assert "休眠：8年以上无交流（淡色）" in names


def test_status_by_year_is_the_status_of_each_year_as_the_browser_reads_it(atlas: Atlas) -> None:
    from atlas.activity import CODED, status_by_year

    frame = filter_partnerships(atlas, "Chongqing", atlas.last_year)
    years = range(atlas.first_year, atlas.last_year + 1)
    table = status_by_year(atlas, frame, atlas.first_year, atlas.last_year).reshape(len(frame), len(years))
    for column, year in enumerate(years):
        expected = frame_activity(atlas, frame, year)["activity"].tolist()
        assert [CODED[code] for code in table[:, column]] == expected, year


def test_the_browser_gets_each_links_status_for_every_year(atlas: Atlas) -> None:
    import base64

    from atlas.filters import parse_query_string
    from atlas.map_source import map_source

    state, _ = parse_query_string("?home=Chongqing", atlas)
    source = map_source(atlas, state)
    status = np.frombuffer(base64.b64decode(source["activity"]["status"]["bdata"]), dtype=np.uint8)
    years = atlas.last_year - atlas.first_year + 1
    assert len(status) == len(source["links"]["id"]) * years
    assert source["activity"]["statuses"] == ["active", "quiet", "dormant", "unknown"]
    dusseldorf = source["links"]["id"].index("chongqing-dusseldorf")
    assert status[dusseldorf * years + (2010 - atlas.first_year)] == 1  # quiet in 2010
    assert [template["name"] for template in source["templates"]["links"]][1:4] == [
        "Active: an exchange in 3 years",
        "Quiet: 3–7 years (dashed)",
        "Dormant: 8+ years (faded)",
    ]
