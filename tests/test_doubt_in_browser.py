"""What a person sees of unconfirmed ties, disputed facts and official counts, in the browser."""

from __future__ import annotations

import pytest
from datadir import append_row, copy_data, run_atlas
from playwright.sync_api import expect
from test_doubt import BLOG_LISTED, mark_unconfirmed
from ui import DETAILS, open_app, wait_for_query, wait_for_summary

from layouts import ids

pytestmark = pytest.mark.browser
CHONGQING_CONFIRMED = 44 - len(BLOG_LISTED)


@pytest.fixture(scope="module")
def doubtful_app(tmp_path_factory: pytest.TempPathFactory, serve):
    data_dir = copy_data(tmp_path_factory.mktemp("doubt"))
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
    checked = run_atlas("validate", "--data", str(data_dir))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return serve(data_dir)


def dotted_links(page) -> int:
    """How many links the map draws dotted (the unconfirmed ones), read from the figure it draws."""
    return page.evaluate(
        """() => document.querySelector('#map .js-plotly-plot').data
            .filter(trace => trace.mode === 'lines' && trace.line.dash === 'dot')
            .reduce((count, trace) => count + Array.from(trace.lon).filter(Number.isFinite).length / 2, 0)"""
    )


def test_the_summary_sets_sister_cities_beside_the_official_count_and_names_the_unconfirmed(page, doubtful_app):
    open_app(page, doubtful_app, "?home=Chongqing")
    wait_for_summary(
        page, rf"^{CHONGQING_CONFIRMED} of 56 partnerships \(official count, May 2024\) · .* · 3 unconfirmed$"
    )
    assert dotted_links(page) == len(BLOG_LISTED)
    open_app(page, doubtful_app, "?home=Chongqing&lang=zh")
    wait_for_summary(page, rf"^{CHONGQING_CONFIRMED}对友城（官方统计56对，2024年5月） · .* · 另有3对未经证实$")
    # Before May 2024 no official count is known: the slider's year decides.
    open_app(page, doubtful_app, "?home=Chongqing&year=2010")
    wait_for_summary(page, r"^\d+ partnerships · (?!.*official)")


def test_unconfirmed_ties_hide_with_the_toggle_and_the_choice_is_kept_in_the_url(page, doubtful_app):
    open_app(page, doubtful_app, "?home=Chongqing")
    wait_for_summary(page, r" · 3 unconfirmed$")
    toggle = page.locator(f"#{ids.UNCONFIRMED_TOGGLE} input")
    expect(toggle).to_be_checked()
    page.locator(f"#{ids.UNCONFIRMED_TOGGLE} label").click()
    wait_for_summary(page, rf"^{CHONGQING_CONFIRMED} of 56 partnerships (?!.*unconfirmed)")
    wait_for_query(page, home="Chongqing", unconfirmed="0")
    assert dotted_links(page) == 0
    page.reload()
    expect(page.locator(f"#{ids.UNCONFIRMED_TOGGLE} input")).not_to_be_checked()
    wait_for_summary(page, rf"^{CHONGQING_CONFIRMED} of 56 partnerships (?!.*unconfirmed)")


def test_a_story_shows_an_unconfirmed_tie_and_a_disputed_date_for_what_they_are(page, doubtful_app):
    open_app(page, doubtful_app, "?focus=chongqing-vladimir")
    expect(page.locator(f"{DETAILS} .unconfirmed-note")).to_contain_text("only a single non-official list")
    open_app(page, doubtful_app, "?focus=chongqing-toulouse")
    conflict = page.locator(f"{DETAILS} .conflicts li")
    expect(conflict).to_contain_text("Established: December 1982 (this record) · 1981 (another source")
    expect(conflict.locator("a")).to_have_attribute(
        "href", "https://www.toulouseinfos.fr/actualites/politique/1465-toulouse-et-chongqing-partenariat-davenir.html"
    )
    open_app(page, doubtful_app, "?focus=chongqing-toulouse&lang=zh")
    expect(page.locator(f"{DETAILS} .conflicts li")).to_contain_text(
        "缔结时间：1982年12月（本记录） · 1981年（另一来源："
    )
