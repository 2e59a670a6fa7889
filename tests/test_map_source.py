"""What the browser gets to draw a hub's map for any year and sectors: every link, once, typed."""

from __future__ import annotations

import base64
import csv

import numpy as np
import pytest
from datadir import FIXTURE_DATA

from atlas.filters import ViewState, filter_partnerships, hub_partnerships
from atlas.load import HUB_ALL, Atlas, load_atlas
from atlas.map_source import map_source
from atlas.views import caption_view


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


def milestones_in_file(hubs: set[str] | None, lang: str) -> dict[str, str]:
    """facts.csv's milestone captions of `hubs` (None: every hub), joined by year in the file's order."""
    by_year: dict[str, list[str]] = {}
    with (FIXTURE_DATA / "facts.csv").open(encoding="utf-8") as table:
        for fact in csv.DictReader(table):
            if fact["kind"] == "milestone" and (hubs is None or fact["hub"] in hubs):
                by_year.setdefault(fact["date"][:4], []).append(fact["caption_zh" if lang == "zh" else "caption_en"])
    return {year: " · ".join(captions) for year, captions in by_year.items()}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("home", "hubs"), [(HUB_ALL, None), ("Hunan", {"Hunan", "Changsha"}), ("Changsha", {"Changsha"})]
)
def test_the_presentation_captions_come_with_the_links_by_year(
    atlas: Atlas, home: str, hubs: set[str] | None, lang: str
) -> None:
    captions = map_source(atlas, ViewState(home=home, lang=lang))["captions"]
    assert captions == milestones_in_file(hubs, lang)
    for year in range(atlas.first_year, atlas.last_year + 1):
        assert captions.get(str(year), "") == caption_view(atlas, ViewState(home=home, year=year, lang=lang))
