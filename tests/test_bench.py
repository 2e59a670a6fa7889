"""`python -m atlas bench`, and the map figures it times: fast to build, still valid Plotly."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from datadir import COMMITTED_DATA, run_atlas

from atlas.bench import WORLD_FILE, pair_rows, write_synthetic
from atlas.filters import ViewState, filter_view
from atlas.load import HUB_ALL, Atlas, load_atlas
from atlas.validate import has_errors, validate_directory
from atlas.views import map_view

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


@pytest.mark.parametrize("which", ["committed", "synthetic"])
def test_the_map_is_valid_plotly_although_built_without_validation(which: str, synthetic: Atlas) -> None:
    atlas = synthetic if which == "synthetic" else load_atlas(COMMITTED_DATA)
    for state in views(atlas):
        figure = map_view(atlas, state, title=True).figure
        go.Figure(figure.to_dict())  # Plotly's validation raises on any property it does not know


def test_crowded_partners_become_clusters_that_count_them(synthetic: Atlas) -> None:
    state = ViewState(home=HUB_ALL, year=synthetic.last_year)
    shown = len(filter_view(synthetic, state))
    figure = map_view(synthetic, state).figure
    [clusters] = [trace for trace in figure.data if trace.mode == "markers+text" and trace.name != "Hubs"]
    singles = sum(len(trace.lon) for trace in figure.data if trace.mode == "markers" and trace.showlegend is not False)
    counts = [int(count) for count in clusters.text]
    assert min(counts) >= 2
    assert sum(counts) + singles == shown
    for count, hover in zip(counts, clusters.hovertext, strict=True):
        assert hover.startswith(f"<b>{count} partners here</b>")


def test_links_travel_as_two_float32_endpoints_and_a_gap(synthetic: Atlas) -> None:
    state = ViewState(home=HUB_ALL, year=synthetic.last_year)
    figure = map_view(synthetic, state).figure
    lines = [trace for trace in figure.data if trace.mode == "lines"]
    assert sum(len(trace.lon) for trace in lines) == 3 * len(filter_view(synthetic, state))
    assert all(trace.lon.dtype.name == "float32" for trace in lines)
