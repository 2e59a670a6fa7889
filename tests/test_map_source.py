"""What the browser gets to draw a hub's map for any year and sectors: every link, once, typed."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from datadir import FIXTURE_DATA

from atlas.filters import ViewState, filter_partnerships, hub_partnerships
from atlas.load import HUB_ALL, Atlas, load_atlas
from atlas.map_source import map_source


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(FIXTURE_DATA)


def decoded(spec: dict | list) -> np.ndarray:
    if isinstance(spec, list):
        return np.array(spec)
    dtype = {"i2": np.int16, "i4": np.int32, "u1": np.uint8, "u2": np.uint16, "f4": np.float32}[spec["dtype"]]
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype)


@pytest.mark.parametrize("home", [HUB_ALL, "Changsha", "Hunan"])
def test_every_link_of_the_hub_comes_once_with_its_year(atlas: Atlas, home: str) -> None:
    source = map_source(atlas, ViewState(home=home))
    links = source["links"]
    assert links["id"] == hub_partnerships(atlas, home)["id"].tolist()
    years = decoded(links["year"])
    for year in (1990, 2005, atlas.last_year):
        shown = [pid for pid, drawn in zip(links["id"], years, strict=True) if drawn <= year]
        assert shown == filter_partnerships(atlas, home, year)["id"].tolist()
    assert len(links["hover"]) == len(decoded(links["lon"])) == len(links["id"])


def test_a_sector_keeps_the_links_that_had_an_exchange_in_it_by_the_year(atlas: Atlas) -> None:
    source = map_source(atlas, ViewState(home=HUB_ALL))
    ids, drawn = source["links"]["id"], decoded(source["links"]["year"])
    for sector, reach in source["sectors"].items():
        first_years = dict(zip(decoded(reach["link"]).tolist(), decoded(reach["year"]).tolist(), strict=True))
        for year in (2000, atlas.last_year):
            # Established by the year, and an exchange in the sector by then.
            shown = [pid for row, pid in enumerate(ids) if drawn[row] <= year and first_years.get(row, 10_000) <= year]
            assert shown == filter_partnerships(atlas, HUB_ALL, year, [sector])["id"].tolist(), (sector, year)


def test_the_source_names_the_hub_and_language_it_was_made_for(atlas: Atlas) -> None:
    source = map_source(atlas, ViewState(home="Changsha", lang="zh"))
    assert source["export"]["title"] == "友城地图 · 长沙"
    assert source["export"]["file"] == "sister-city-atlas-changsha"
    assert source["layout"]["uirevision"] == "Changsha|zh"
    assert source["words"]["zh"] is True
