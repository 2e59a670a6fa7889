"""Ties no source confirms, disputed facts and official counts: shown for what they are, never settled.

An unconfirmed tie (only a single non-official list names it) keeps its source, is drawn dotted and
hollow, is left out of the hub's count and can be hidden; a claim of another source that disagrees with
a row is shown beside it in the story; the summary sets what the map shows beside the official figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from datadir import append_row, copy_data, read_rows, write_rows

from atlas.filters import filter_partnerships, parse_query_string, summary_text, view_state_query
from atlas.load import Atlas, load_atlas
from atlas.story import partnership_story
from atlas.validate import validate_directory
from atlas.views import map_view

BLOG_LISTED = ("chongqing-vladimir", "chongqing-chiang-mai", "chongqing-chennai")


def mark_unconfirmed(data_dir: Path, partnership_ids: tuple[str, ...]) -> None:
    rows = read_rows(data_dir / "partnerships.csv")
    header = [*rows[0], "status"]
    id_column = header.index("id")
    body = [[*row, "unconfirmed" if row[id_column] in partnership_ids else ""] for row in rows[1:]]
    write_rows(data_dir / "partnerships.csv", [header, *body])


@pytest.fixture
def doubtful(tmp_path: Path) -> Atlas:
    data_dir = copy_data(tmp_path)
    mark_unconfirmed(data_dir, BLOG_LISTED)
    append_row(
        data_dir / "facts.csv",
        {
            "id": "chongqing-official-2024",
            "hub": "Chongqing",
            "date": "2024-05",
            "kind": "count",
            "value": "56",
            "caption_en": "sister cities",
            "caption_zh": "个国际友好城市",
            "source_url": "https://example.org/chongqing-56",
        },
    )
    return load_atlas(data_dir)


def test_unconfirmed_ties_are_left_out_of_the_hubs_count(doubtful: Atlas) -> None:
    shown = filter_partnerships(doubtful, "Chongqing", None)
    assert doubtful.hub("Chongqing").partnerships == len(shown) - len(BLOG_LISTED)
    assert set(shown.loc[shown["unconfirmed"], "id"]) == set(BLOG_LISTED)


def test_summary_counts_confirmed_ties_beside_the_official_figure_and_names_the_unconfirmed(doubtful: Atlas) -> None:
    state, _ = parse_query_string("?home=Chongqing", doubtful)
    confirmed = doubtful.hub("Chongqing").partnerships
    assert map_view(doubtful, state).summary.startswith(f"{confirmed} of 56 partnerships (official count, May 2024) · ")
    assert map_view(doubtful, state).summary.endswith(" · 3 unconfirmed")
    chinese, _ = parse_query_string("?home=Chongqing&lang=zh", doubtful)
    assert map_view(doubtful, chinese).summary.startswith(f"{confirmed}对友城（官方统计56对，2024年5月）")


def test_lesser_ties_are_drawn_but_counted_apart_from_sister_cities(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    rows = read_rows(data_dir / "partnerships.csv")
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("id")] in ("chongqing-vastra-gotaland", "chongqing-mito"):
            row[header.index("relation")] = "memorandum of understanding"
    write_rows(data_dir / "partnerships.csv", rows)
    atlas = load_atlas(data_dir)
    shown = filter_partnerships(atlas, "Chongqing", None)
    assert atlas.hub("Chongqing").partnerships == len(shown) - 2
    state, _ = parse_query_string("?home=Chongqing", atlas)
    summary = map_view(atlas, state).summary
    assert summary.startswith(f"{len(shown) - 2} partnerships · ") and summary.endswith(" · 2 other agreements")
    chinese, _ = parse_query_string("?home=Chongqing&lang=zh", atlas)
    assert map_view(atlas, chinese).summary.endswith(" · 另有2项其他友好协议")


def test_official_count_is_the_latest_known_at_the_year_shown(doubtful: Atlas) -> None:
    earlier, _ = parse_query_string("?home=Chongqing&year=2010", doubtful)
    assert "official count" not in map_view(doubtful, earlier).summary
    other_hub, _ = parse_query_string("?home=Hunan", doubtful)
    assert "official count" not in map_view(doubtful, other_hub).summary


def test_unconfirmed_ties_are_drawn_dotted_and_hollow(doubtful: Atlas) -> None:
    state, _ = parse_query_string("?home=Chongqing", doubtful)
    traces = map_view(doubtful, state).figure["data"]
    dotted = [trace for trace in traces if trace.get("mode") == "lines" and trace["line"]["dash"] == "dot"]
    assert [trace["name"] for trace in dotted] == ["Unconfirmed: one non-official list only (dotted, hollow)"]
    hovers = [text for trace in traces for text in trace.get("hovertext", []) if "unconfirmed" in text]
    assert len(hovers) == len(BLOG_LISTED)


def test_unconfirmed_ties_can_be_hidden_and_the_choice_round_trips_in_the_url(doubtful: Atlas) -> None:
    state, notices = parse_query_string("?home=Chongqing&unconfirmed=0", doubtful)
    assert notices == [] and state.unconfirmed is False
    frame = filter_partnerships(doubtful, state.home, state.year, state.sectors, state.unconfirmed)
    assert not frame["unconfirmed"].any()
    assert len(frame) == doubtful.hub("Chongqing").partnerships
    assert view_state_query(state, doubtful) == "?home=Chongqing&unconfirmed=0"
    shown, _ = parse_query_string("?home=Chongqing&unconfirmed=1", doubtful)
    assert view_state_query(shown, doubtful) == "?home=Chongqing"
    _, bad = parse_query_string("?unconfirmed=perhaps", doubtful)
    assert bad == ["unconfirmed: 'perhaps' is not 1 or 0"]


def test_story_of_an_unconfirmed_tie_says_so(doubtful: Atlas) -> None:
    story = partnership_story(doubtful, "chongqing-vladimir", "en")
    assert story.unconfirmed and story.sources
    assert partnership_story(doubtful, "chongqing-dusseldorf", "en").unconfirmed is False


def test_a_disputed_date_is_shown_beside_the_stated_one_with_its_source(doubtful: Atlas) -> None:
    [conflict] = partnership_story(doubtful, "chongqing-toulouse", "en").conflicts
    assert (conflict.field, conflict.stated, conflict.claimed) == ("Established", "December 1982", "1981")
    assert conflict.source.url.startswith("https://www.toulouseinfos.fr/")
    [chinese] = partnership_story(doubtful, "chongqing-toulouse", "zh").conflicts
    assert (chinese.field, chinese.stated, chinese.claimed) == ("缔结时间", "1982年12月", "1981年")


def test_a_district_tie_is_shown_under_its_municipality(doubtful: Atlas) -> None:
    assert partnership_story(doubtful, "jiangjin-district-miyakonojo", "en").home == "Jiangjin District, Chongqing"
    assert partnership_story(doubtful, "jiangjin-district-miyakonojo", "zh").home == "重庆江津区"
    assert partnership_story(doubtful, "chongqing-toulouse", "en").home == "Chongqing"


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"partnership_id": "chongqing-atlantis", "field": "established", "value": "1990"}, "partnership_id", "is not"),
        ({"partnership_id": "chongqing-toulouse", "field": "established", "value": "spring"}, "value", "established"),
        ({"partnership_id": "chongqing-toulouse", "field": "country", "value": "XX"}, "value", "country"),
        ({"partnership_id": "chongqing-toulouse", "field": "mood", "value": "sunny"}, "field", "is not one of"),
    ],
)
def test_a_bad_conflict_row_is_reported_by_row_and_column(
    tmp_path: Path, values: dict[str, str], column: str, message: str
) -> None:
    data_dir = copy_data(tmp_path)
    row = append_row(data_dir / "conflicts.csv", {**values, "source_title": "a source"})
    errors = [problem for problem in validate_directory(data_dir) if problem.severity == "error"]
    assert [(problem.file, problem.row, problem.column) for problem in errors] == [("conflicts.csv", row, column)]
    assert message in errors[0].message


def test_summary_of_a_hub_without_official_count_or_doubt_reads_as_before(doubtful: Atlas) -> None:
    frame = filter_partnerships(doubtful, "Changsha", None)
    assert summary_text(frame, "en").startswith(f"{len(frame)} partnerships · ")
