"""The partner brief at /brief/<id> and the story's activity line, without a browser (Flask's test client).

The browser test (tests/test_insight_browser.py) prints the brief to PDF and counts its pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from datadir import append_row, copy_data

from app import create_app
from atlas.brief import partnership_brief
from atlas.load import Atlas, load_atlas
from atlas.story import partnership_story


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = copy_data(tmp_path_factory.mktemp("brief"))
    # A partner whose names try to be markup: shown as text, never run.
    append_row(
        data_dir / "partnerships.csv",
        {
            "id": "chongqing-markup",
            "home": "Chongqing",
            "home_zh": "重庆",
            "home_level": "municipality",
            "home_country": "CN",
            "partner": "<script>alert(1)</script>",
            "partner_zh": "</script><b>",
            "partner_level": "city",
            "country": "DE",
            "established": "2010",
            "relation": "sister city",
            "confidence": "low",
            "source_url": "https://example.org/a?b=<c>",
        },
    )
    append_row(
        data_dir / "places.csv",
        {
            "name": "<script>alert(1)</script>",
            "country": "DE",
            "lat": "50",
            "lon": "8",
            "precision": "point",
            "source": "test",
        },
    )
    return data_dir


@pytest.fixture(scope="module")
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Any:
    return create_app(data_dir=data_dir).server.test_client()


def test_brief_has_both_names_in_both_scripts_the_year_the_timeline_and_numbered_sources(client: Any) -> None:
    page = client.get("/brief/chongqing-dusseldorf")
    assert page.status_code == 200
    text = page.text
    for name in ("Chongqing", "重庆", "Düsseldorf", "杜塞尔多夫", "Germany", "22 July 2004", "municipality"):
        assert name in text
    assert 'id="brief"' in text and 'id="activity"' in text
    # Numbered citations, each with its URL, and marks in the timeline pointing at them.
    assert re.search(r'<li value="1" id="source-1">[^<]*— <a href="https://www\.duesseldorf\.de/', text)
    assert '<a href="#source-2">[2]</a>' in text
    assert text.count('class="when"') == 15  # its 15 exchanges (tests/fixtures/data/events.csv)


def test_brief_in_chinese(client: Any) -> None:
    text = client.get("/brief/chongqing-dusseldorf?lang=zh").text
    assert '<html lang="zh-Hans">' in text
    for words in ("重庆 – 杜塞尔多夫", "德国", "2004年7月22日", "交流大事记", "资料来源", "休眠（2024年）"):
        assert words in text


def test_unknown_brief_is_a_404_page_that_says_so(client: Any) -> None:
    page = client.get("/brief/no-such-tie")
    assert page.status_code == 404
    assert "No partnership has the id “no-such-tie”." in page.text
    assert "没有编号为“no-such-tie”的友城。" in client.get("/brief/no-such-tie?lang=zh").text


def test_brief_runs_no_inline_script_and_shows_markup_as_text(client: Any) -> None:
    page = client.get("/brief/chongqing-markup")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", page.text, re.S)
    assert [attributes for attributes, _ in inline] == [' type="application/json" id="brief-map-figure"']
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text and "</script><b>" not in page.text
    assert 'href="https://example.org/a?b=&lt;c&gt;"' in page.text


def test_brief_tells_how_the_tie_began_and_its_activity(atlas: Atlas) -> None:
    brief = partnership_brief(atlas, "chongqing-dusseldorf", "en")
    assert [entry.date for entry in brief.began] == ["2001", "22 July 2004"]
    assert brief.began_on_signing
    assert brief.activity.label == "Dormant in 2024"  # its last dated exchange: November 2014
    assert brief.activity_rule.startswith("Active: an exchange (or the signing) in the last 3 years")
    assert brief.density == "dense"
    assert partnership_brief(atlas, "no-such-tie", "en") is None


def test_story_states_its_activity_at_the_year_shown(atlas: Atlas) -> None:
    in_2010 = partnership_story(atlas, "chongqing-dusseldorf", "en", "Chongqing", 2010).activity
    assert in_2010.label == "Quiet in 2010"
    assert in_2010.last.startswith("Last exchange: 22 July 2004 (2004), Agreement: The partnership treaty is signed")
    assert in_2010.recent == "0 exchanges in 2006–2010"
    in_2012 = partnership_story(atlas, "chongqing-dusseldorf", "zh", "Chongqing", 2012).activity
    assert (in_2012.label, in_2012.recent) == ("活跃（2012年）", "2008—2012年交流1次")
    assert partnership_story(atlas, "chongqing-dusseldorf", "en", "Chongqing", 2003).activity.label == (
        "Not yet established in 2003"
    )
    signed_only = partnership_story(atlas, "chongqing-toulouse", "en", "Chongqing", 1984).activity
    assert (signed_only.label, signed_only.last) == (
        "Active in 1984",
        "No exchange recorded since the signing (December 1982)",
    )


def test_video_frames_are_one_map_a_year_in_the_language_with_title_source_and_captions(atlas: Atlas) -> None:
    from atlas.filters import parse_query_string
    from atlas.views import video_frames

    state, _ = parse_query_string("?home=Hunan&lang=zh", atlas)
    video = video_frames(atlas, state, 4)
    years = [frame["year"] for frame in video["frames"]]
    assert years == list(range(atlas.first_year, atlas.last_year + 1))
    assert video["speed"] == 4 and video["file"] == f"sister-city-atlas-hunan-{atlas.first_year}-{atlas.last_year}"
    first = video["frames"][years.index(1982)]
    assert first["figure"]["layout"]["title"]["text"].startswith("友城地图 · 湖南 · 1982")
    assert first["figure"]["layout"]["annotations"][0]["text"].startswith("资料来源")
    assert "长沙—布拉柴维尔" in first["caption"]
    assert video["frames"][years.index(1990)]["caption"] == ""
    assert video["words"]["video_saved"].startswith("视频已保存")
