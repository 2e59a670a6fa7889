"""`python -m atlas bench`, and the map figures it times: fast to build, still valid Plotly."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from datadir import FIXTURE_DATA, run_atlas

from atlas.bench import WORLD_FILE, pair_rows, write_synthetic
from atlas.figures import ABOVE, BELOW, encode_arrays, label_positions, typed_array
from atlas.filters import ViewState, filter_view
from atlas.load import HUB_ALL, Atlas, load_atlas
from atlas.validate import has_errors, validate_directory
from atlas.views import map_view, statistics_figures

CASE_KEYS = {"links", "callback_ms_median", "payload_bytes", "floor_ms"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Atlas:
    """Enough links for clusters to form (above CLUSTER_THRESHOLD)."""
    return load_atlas(write_synthetic(tmp_path_factory.mktemp("bench") / "data", 600))


def test_bench_json_has_exactly_the_promised_shape() -> None:
    result = run_atlas("bench", "--json", "--sizes", "40", "--repeats", "1", "--no-world")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == ["cases"]
    [case] = report["cases"]
    assert set(case) == CASE_KEYS
    assert case["links"] == 40
    assert isinstance(case["payload_bytes"], int) and case["payload_bytes"] > 1000
    assert case["callback_ms_median"] > 0 and case["floor_ms"] > 0


def test_synthetic_data_is_a_valid_directory_with_dates_and_sectors(synthetic: Atlas) -> None:
    assert not has_errors(validate_directory(synthetic.data_dir))
    assert len(synthetic.partnerships) == 600
    assert synthetic.has_dates and synthetic.has_sectors
    assert synthetic.partnerships[["lat", "lon", "home_lat", "home_lon"]].notna().all().all()


@pytest.mark.skipif(not WORLD_FILE.parent.parent.parent.is_dir(), reason="../shared is missing (a clean clone)")
def test_the_world_case_is_named_by_the_rows_of_its_pair_list() -> None:
    assert pair_rows(WORLD_FILE) == 25_917


def views(atlas: Atlas) -> list[ViewState]:
    hub = atlas.hubs[0].id
    focus = str(atlas.partnerships["id"].iloc[0])
    return [
        ViewState(year=atlas.last_year),
        ViewState(year=atlas.first_year + 1, lang="zh", contrast=True, present=True),
        ViewState(home=hub, year=atlas.last_year, focus=focus),
    ]


@pytest.mark.parametrize("which", ["fixture", "synthetic"])
def test_the_map_and_charts_are_valid_plotly_although_built_without_validation(which: str, synthetic: Atlas) -> None:
    atlas = synthetic if which == "synthetic" else load_atlas(FIXTURE_DATA)
    for state in views(atlas):
        figure = map_view(atlas, state, title=True).figure
        go.Figure(figure)  # Plotly's validation raises on any property it does not know
        for chart in statistics_figures(atlas, state):
            go.Figure(chart)


def decoded(array: dict | list) -> np.ndarray:
    """A trace's array as plotly.js reads it: a typed-array spec's bytes, or a plain list."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray(array)


def test_crowded_partners_become_clusters_that_count_them(synthetic: Atlas) -> None:
    state = ViewState(home=HUB_ALL, year=synthetic.last_year)
    shown = len(filter_view(synthetic, state))
    traces = map_view(synthetic, state).figure["data"]
    [clusters] = [trace for trace in traces if trace["mode"] == "markers+text" and trace["name"] != "Hubs"]
    singles = sum(
        # Partner markers are the named marker traces (a decade's dormant partners are one out of the key).
        len(decoded(trace["lon"]))
        for trace in traces
        if trace["mode"] == "markers" and trace.get("name")
    )
    counts = decoded(clusters["text"]).tolist()
    assert min(counts) >= 2
    assert sum(counts) + singles == shown
    for count, hover in zip(counts, clusters["hovertext"], strict=True):
        assert hover.startswith(f"<b>{count} partners here</b>")


def test_links_travel_as_two_float32_endpoints_and_a_gap(synthetic: Atlas) -> None:
    state = ViewState(home=HUB_ALL, year=synthetic.last_year)
    shown = filter_view(synthetic, state)
    lines = [trace for trace in map_view(synthetic, state).figure["data"] if trace["mode"] == "lines"]
    assert all(trace["lon"]["dtype"] == "f4" and trace["lat"]["dtype"] == "f4" for trace in lines)
    lon = np.concatenate([decoded(trace["lon"]) for trace in lines])
    lat = np.concatenate([decoded(trace["lat"]) for trace in lines])
    assert len(lon) == len(lat) == 3 * len(shown)
    assert np.isnan(lon[2::3]).all() and np.isnan(lat[2::3]).all()
    # Every shown link appears once, from its home to its partner, whichever trace holds it.
    drawn = sorted(zip(lon[0::3].tolist(), lat[0::3].tolist(), lon[1::3].tolist(), lat[1::3].tolist(), strict=True))
    expected = shown[["home_lon", "home_lat", "lon", "lat"]].to_numpy(np.float32).tolist()
    assert drawn == sorted(map(tuple, expected))


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (np.array([1.5, np.nan, -180.0], dtype=np.float32), "f4"),
        (np.array([0.25, 7.0]), "f8"),
        (np.array([1, 2, 70_000], dtype=np.int64), "i4"),
        (np.array([0, 100], dtype=np.int8), "i1"),
    ],
)
def test_numeric_arrays_travel_as_typed_arrays_that_decode_to_the_same_values(values: np.ndarray, dtype: str) -> None:
    encoded = typed_array(values)
    assert encoded["dtype"] == dtype
    np.testing.assert_array_equal(decoded(encoded), values)


def test_arrays_plotly_cannot_type_travel_as_lists() -> None:
    assert typed_array(np.array([2**40, 1], dtype=np.int64)) == [2**40, 1]
    assert typed_array(np.array(["a", "b"], dtype=object)) == ["a", "b"]
    assert typed_array(np.array([], dtype=np.float32)) == []
    trace = encode_arrays({"lon": np.array([1.0], dtype=np.float32), "marker": {"size": np.array([3.0])}, "name": "x"})
    assert trace["name"] == "x" and trace["lon"]["dtype"] == "f4" and trace["marker"]["size"]["dtype"] == "f8"


def test_hub_labels_share_a_crowded_place_above_and_below_and_skip_a_third() -> None:
    # Busiest first: Chongqing; Hunan close to its south-east; Changsha close to both; Paris far.
    lat = np.array([29.56, 27.61, 28.23, 48.86], dtype=np.float32)
    lon = np.array([106.55, 111.71, 112.94, 2.35], dtype=np.float32)
    assert label_positions(lat, lon, np.array([40, 30, 20, 10])) == [ABOVE, BELOW, None, BELOW]
    # A hub with too small a share of the links is not labelled, wherever it is.
    assert label_positions(lat[[0, 3]], lon[[0, 3]], np.array([100, 5])) == [BELOW, None]
