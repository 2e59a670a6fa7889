"""Random links and random control values: the app reads them as a valid view, never as a crash.

Whatever a link or a hand-made callback request holds, the view state that comes out is one the
data can show, the pure functions draw it, and the link written back reproduces it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from callback_requests import MAP, MAP_CONTROLS, UPDATE, callback_body, find_callback, server_callbacks, value_count
from datadir import FIXTURE_DATA, append_row, copy_data, copy_row, read_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.errors import AtlasError
from atlas.filters import (
    MAX_PARAMETER_LENGTH,
    PLAY_SPEEDS,
    ViewState,
    filter_view,
    parse_query_string,
    parse_view_state,
    view_state_query,
    year_queries,
)
from atlas.load import HUB_ALL, load_atlas
from atlas.story import HubOverview, Story
from atlas.views import (
    caption_view,
    details_view,
    hub_options,
    map_view,
    partner_options,
    shown_table_data,
    shown_table_state,
    state_from_controls,
    statistics_figures,
    table_rows,
    table_update,
)

ATLAS = load_atlas(FIXTURE_DATA)
HUBS = [hub.id for hub in ATLAS.hubs]
PARTNERSHIPS = list(ATLAS.partnerships["id"])
PARTNERS = list(ATLAS.partnerships["partner"]) + [name for name in ATLAS.partnerships["partner_zh"] if name]
SECTORS = list(ATLAS.sectors["sector"])
URL_KEYS = ["home", "year", "sectors", "focus", "lang", "present", "contrast"]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values a person could mean, so that examples also reach the paths where a value is accepted.
MEANINGFUL = st.sampled_from(
    [
        HUB_ALL,
        "ALL",
        "en",
        "zh",
        "1",
        "0",
        "true",
        "off",
        "",
        " ",
        *HUBS,
        *PARTNERSHIPS[:20],
        *PARTNERS[:20],
        *SECTORS,
        ";".join(SECTORS[:3]),
        *(str(year) for year in range(ATLAS.first_year - 2, ATLAS.last_year + 3)),
    ]
)
AWKWARD = st.sampled_from(
    [
        "abc",
        "-99999",
        "99999999999999999999999",
        "1e3",
        "2004.0",
        "٢٠٠٤",
        "２００４",
        ";;;",
        ",,,",
        "maybe",
        "xx",
        "<script>window.__xss=1</script>",
        '<img src=x onerror="window.__xss=2">',
        "%{customdata}",
        "javascript:alert(1)",
        "\x00",
        "\u202e",
        "%",
        "%ZZ",
        "&",
        "=",
        "x" * 10_000,
    ]
)
TEXT = st.text(max_size=40)
URL_VALUE = st.one_of(MEANINGFUL, AWKWARD, TEXT, st.integers().map(str), st.text(min_size=190, max_size=260))
URL_PARAMS = st.dictionaries(
    st.one_of(st.sampled_from([*URL_KEYS, "speed"]), TEXT),
    st.one_of(URL_VALUE, st.lists(URL_VALUE, max_size=3)),
    max_size=9,
)

# Anything JSON can carry from the browser: a control's value is not trusted to have its own type.
JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    TEXT,
    MEANINGFUL,
    AWKWARD,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)
CONTROL_VALUE = st.one_of(JSON_VALUE, st.lists(st.sampled_from(SECTORS), max_size=4))


def assert_valid(state: ViewState) -> None:
    assert state.home == HUB_ALL or ATLAS.hub(state.home) is not None, state.home
    assert isinstance(state.year, int)
    assert ATLAS.first_year <= state.year <= ATLAS.last_year
    assert isinstance(state.sectors, tuple)
    assert set(state.sectors) <= set(SECTORS)
    assert state.focus is None or state.focus in PARTNERSHIPS
    assert state.lang in ("en", "zh")
    assert isinstance(state.present, bool)
    assert isinstance(state.contrast, bool)
    assert state.speed in PLAY_SPEEDS


def assert_round_trips(state: ViewState) -> None:
    query = view_state_query(state, ATLAS)
    assert parse_query_string(query, ATLAS) == (state, []), query


@given(URL_PARAMS)
@SETTINGS
def test_random_url_parameters_give_a_valid_view_that_its_link_reproduces(params: dict) -> None:
    try:
        state, notices = parse_view_state(params, ATLAS)
    except AtlasError:
        return  # the project's own error, with its own message, is an acceptable answer
    assert_valid(state)
    assert all(isinstance(notice, str) and notice for notice in notices)
    # A value is echoed only up to the length limit (repr can write a character as ten).
    assert all(len(notice) < 10 * MAX_PARAMETER_LENGTH + 100 for notice in notices), "a notice echoes a huge value"
    assert_round_trips(state)


@given(st.one_of(URL_PARAMS.map(lambda params: urlencode(params, doseq=True)), TEXT, st.none()))
@SETTINGS
def test_random_query_strings_give_a_valid_view(search: str | None) -> None:
    for query in (search, f"?{search}" if search is not None else None):
        state, _ = parse_query_string(query, ATLAS)
        assert_valid(state)
        assert_round_trips(state)


@given(st.fixed_dictionaries({key: CONTROL_VALUE for key in URL_KEYS}))
@settings(SETTINGS, max_examples=100)  # each example draws five figures
def test_random_control_values_are_drawn_without_error(controls: dict[str, Any]) -> None:
    state = state_from_controls(ATLAS, *(controls[key] for key in URL_KEYS))
    assert_valid(state)
    assert_round_trips(state)
    view = map_view(ATLAS, state)
    assert view.summary.startswith(str(len(filter_view(ATLAS, state))))
    assert len(statistics_figures(ATLAS, state)) == 4
    rows = table_rows(ATLAS, state)
    assert len(rows) == len(filter_view(ATLAS, state))
    json.dumps(rows)
    assert isinstance(details_view(ATLAS, state), Story | HubOverview)
    assert isinstance(caption_view(ATLAS, state), str)


@given(st.fixed_dictionaries({key: CONTROL_VALUE for key in URL_KEYS}), st.sampled_from(PLAY_SPEEDS))
@settings(SETTINGS, max_examples=50)
def test_the_address_sent_for_each_year_reproduces_the_view_at_that_year(controls: dict[str, Any], speed: int) -> None:
    state = replace(state_from_controls(ATLAS, *(controls[key] for key in URL_KEYS)), speed=speed)
    queries = year_queries(state, ATLAS)
    assert set(queries["years"]) == {str(year) for year in range(ATLAS.first_year, ATLAS.last_year + 1)}
    for year, query in queries["years"].items():
        assert parse_query_string(query, ATLAS) == (replace(state, year=int(year)), []), query
    assert parse_query_string(queries["other"], ATLAS) == (replace(state, year=ATLAS.last_year), [])


YEARS = st.integers(min_value=ATLAS.first_year - 3, max_value=ATLAS.last_year + 3)
SECTOR_CHOICE = st.lists(st.sampled_from(SECTORS), max_size=3)


def rows_after(update: Any, shown: ViewState | None) -> dict[str, dict]:
    """The grid's rows after `update`, when it showed `shown`: as AG Grid applies a transaction,
    except that removing a row it does not hold or adding one it holds fails here."""
    if update.rows is not None:
        return {row["id"]: row for row in update.rows}
    rows = {row["id"]: row for row in table_rows(ATLAS, shown)}
    for removed in update.transaction["remove"]:
        del rows[removed["id"]]
    for added in update.transaction["add"]:
        assert added["id"] not in rows
        rows[added["id"]] = added
    return rows


@given(
    home=st.sampled_from([HUB_ALL, *HUBS]),
    lang=st.sampled_from(["en", "zh"]),
    before=st.tuples(YEARS, SECTOR_CHOICE),
    after=st.tuples(YEARS, SECTOR_CHOICE),
)
@settings(SETTINGS)
def test_a_slider_step_sends_only_the_rows_that_come_and_go(home, lang, before, after) -> None:
    shown = state_from_controls(ATLAS, home, *before, None, lang)
    state = state_from_controls(ATLAS, home, *after, None, lang)
    update = table_update(ATLAS, state, shown_table_state(ATLAS, shown_table_data(ATLAS, shown)))
    assert update.rows is None
    assert rows_after(update, shown) == {row["id"]: row for row in table_rows(ATLAS, state)}
    assert shown_table_state(ATLAS, update.shown) == state


@given(shown=st.one_of(JSON_VALUE, st.fixed_dictionaries({key: CONTROL_VALUE for key in URL_KEYS})))
@settings(SETTINGS)
def test_whatever_the_browser_says_the_grid_shows_it_ends_with_the_rows_of_the_view(shown: Any) -> None:
    state = state_from_controls(ATLAS, "Chongqing", 2010, ["health"], None, "en")
    believed = shown_table_state(ATLAS, shown)
    update = table_update(ATLAS, state, believed)
    assert rows_after(update, believed) == {row["id"]: row for row in table_rows(ATLAS, state)}


def test_a_new_hub_or_language_refills_the_grid() -> None:
    shown = state_from_controls(ATLAS, "Chongqing", 2010, [], None, "en")
    for state in (
        state_from_controls(ATLAS, "Changsha", 2010, [], None, "en"),
        state_from_controls(ATLAS, "Chongqing", 2010, [], None, "zh"),
    ):
        update = table_update(ATLAS, state, shown)
        assert update.transaction is None and update.rows == table_rows(ATLAS, state)
    assert table_update(ATLAS, shown, None).rows == table_rows(ATLAS, shown)


@given(
    lang=st.sampled_from(["en", "zh"]),
    search=st.one_of(st.none(), TEXT, AWKWARD, MEANINGFUL),
    selected=st.one_of(st.none(), st.sampled_from(HUBS + PARTNERSHIPS), TEXT),
    home=st.sampled_from([HUB_ALL, *HUBS]),
)
@SETTINGS
def test_option_lists_answer_any_search(lang: str, search: str | None, selected: str | None, home: str) -> None:
    hubs = hub_options(ATLAS, lang, search, selected if ATLAS.hub(str(selected)) else None)
    assert hubs[0] == {"label": "All hubs" if lang == "en" else "全部", "value": HUB_ALL}
    assert {option["value"] for option in hubs} <= {HUB_ALL, *HUBS}
    partners = partner_options(ATLAS, lang, home, search, selected)
    assert {option["value"] for option in partners} <= set(PARTNERSHIPS)
    assert all(isinstance(option["label"], str) and option["label"] for option in hubs + partners)


def test_a_link_to_a_hub_opens_that_hub_when_another_folds_alike(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    partnerships = data_dir / "partnerships.csv"
    toulouse = next(number for number, row in enumerate(read_rows(partnerships), 1) if row[0] == "chongqing-toulouse")
    copy_row(partnerships, toulouse, id="changsha-upper-toulouse", home="CHANGSHA", home_province="")
    place = {"name": "CHANGSHA", "country": "CN", "lat": "28.2", "lon": "113", "precision": "point", "source": "x"}
    append_row(data_dir / "places.csv", place)
    atlas = load_atlas(data_dir)
    assert {"Changsha", "CHANGSHA"} <= {hub.id for hub in atlas.hubs}
    state = ViewState(home="CHANGSHA", year=atlas.last_year)
    assert parse_query_string(view_state_query(state, atlas), atlas) == (state, [])


# The real callback endpoint, driven through Flask's test client.

# A callback that still fails on a malformed value, in a module outside this change: its own test
# below is expected to fail until it is fixed, and then says so.


@pytest.fixture(scope="module")
def client() -> Any:
    from app import create_app

    return create_app(data_dir=FIXTURE_DATA).server.test_client()


@pytest.fixture(scope="module")
def callbacks(client: Any) -> list[dict]:
    return server_callbacks(client)


@given(values=st.lists(CONTROL_VALUE, min_size=len(MAP_CONTROLS), max_size=len(MAP_CONTROLS)))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_map_callback_answers_random_values_without_a_server_error(
    client: Any, callbacks: list[dict], values: list[Any]
) -> None:
    response = client.post(UPDATE, json=callback_body(find_callback(callbacks, MAP), values))
    assert response.status_code == 200, response.text[:300]
    source = response.get_json()["response"]["map-source"]["data"]
    assert isinstance(source["layout"]["geo"], dict)
    assert isinstance(source["links"]["id"], list)


@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_server_callback_answers_random_values_without_a_server_error(
    client: Any, callbacks: list[dict], data: st.DataObject
) -> None:
    dependency = data.draw(st.sampled_from(callbacks))
    values = data.draw(st.lists(CONTROL_VALUE, min_size=value_count(dependency), max_size=value_count(dependency)))
    response = client.post(UPDATE, json=callback_body(dependency, values))
    # 204: the callback chose to change nothing.
    assert response.status_code in (200, 204), (dependency["output"], response.status_code)


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        {"output": "map.figure"},
        {"output": "no-such.output", "inputs": []},
        {"output": "..map.figure...summary.children...export-meta.data..", "inputs": "all"},
        {"output": "..map.figure...summary.children...export-meta.data..", "inputs": [], "state": 3},
    ],
)
def test_a_callback_request_for_no_known_callback_is_refused_with_400(client: Any, body: object) -> None:
    assert client.post(UPDATE, json=body).status_code == 400


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/json", 400),
        (b'{"output": "map.figure"', "application/json", 400),
        (b"output=map.figure", "application/x-www-form-urlencoded", 415),
    ],
)
def test_a_callback_request_that_is_not_json_is_refused_with_a_client_error(
    client: Any, body: bytes, content_type: str, status: int
) -> None:
    assert client.post(UPDATE, data=body, content_type=content_type).status_code == status


def test_playback_speed_is_read_from_the_url_and_kept_in_its_link() -> None:
    state, notices = parse_query_string("?speed=4&year=2001", ATLAS)
    assert (state.speed, notices) == (4, [])
    assert "speed=4" in view_state_query(state, ATLAS)
    assert "speed" not in view_state_query(parse_query_string("?speed=1", ATLAS)[0], ATLAS)
    slow, notices = parse_query_string("?speed=3", ATLAS)
    assert slow.speed == 1 and notices == ["speed: '3' is not 1, 2 or 4"]
