"""Which ties are alive, in the browser: the story's activity, the ties gone quiet and the partner brief."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from ui import (
    DETAILS,
    artifact,
    expected_count,
    map_data,
    move_slider_to,
    open_app,
    shown_count,
    wait_for_query,
    wait_for_summary,
)

from layouts import ids

pytestmark = pytest.mark.browser
ACTIVITY = f"#{ids.ACTIVITY}"
QUIET_TIES = f"#{ids.GONE_QUIET} .quiet-tie"


def test_story_states_its_activity_with_a_year_and_follows_the_slider(page, served_app):
    open_app(page, served_app, "?home=Chongqing&year=2010&focus=chongqing-dusseldorf")
    activity = page.locator(ACTIVITY)
    expect(activity).to_contain_text("Quiet in 2010")
    expect(activity).to_contain_text("Last exchange: 22 July 2004 (2004)")
    page.screenshot(path=str(artifact("story-activity-en.png")))
    move_slider_to(page, 2012)
    expect(activity).to_contain_text("Active in 2012")
    expect(activity).to_contain_text("March 2011 (2011)")
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(activity).to_contain_text("活跃（2012年）")
    expect(activity).to_contain_text("最近一次交流：2011年3月（2011年）")
    page.screenshot(path=str(artifact("story-activity-zh.png")))


def test_ties_gone_quiet_are_listed_longest_silent_first_and_open_by_keyboard(page, served_app):
    open_app(page, served_app, "?home=Chongqing&year=2010")
    ties = page.locator(QUIET_TIES)
    expect(ties.first).to_contain_text("Toulouse")
    silent = [int(re.search(r"(\d+) years silent", text).group(1)) for text in ties.all_inner_texts()]
    assert silent == sorted(silent, reverse=True) and silent[0] == 28 and min(silent) >= 3
    assert not any("Mpumalanga" in text for text in ties.all_inner_texts())  # an exchange in 2010
    expect(page.locator(f"#{ids.GONE_QUIET}")).to_contain_text("dormant: 8 years or more")
    page.locator(f"#{ids.GONE_QUIET}").scroll_into_view_if_needed()
    page.screenshot(path=str(artifact("gone-quiet-en.png")))
    # Tab from the button before it reaches the list's second entry; Enter opens that tie's story.
    ties.nth(0).focus()
    page.keyboard.press("Tab")
    expect(ties.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(DETAILS)).to_contain_text("Seattle")
    expect(page.locator(ACTIVITY)).to_contain_text("Dormant in 2010")
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(ties.first).to_contain_text("沉寂28年")
    page.locator(f"#{ids.GONE_QUIET}").scroll_into_view_if_needed()
    page.screenshot(path=str(artifact("gone-quiet-zh.png")))


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Chongqing", "重庆", "Düsseldorf", "杜塞尔多夫", "22 July 2004", "Timeline of exchanges", "Sources")),
        ("zh", ("重庆", "Chongqing", "杜塞尔多夫", "Düsseldorf", "2004年7月22日", "交流大事记", "资料来源")),
    ],
)
def test_brief_link_opens_a_brief_that_prints_on_one_a4_page(page, served_app, lang, words):
    query = "&lang=zh" if lang == "zh" else ""
    open_app(page, served_app, f"?home=Chongqing&focus=chongqing-dusseldorf{query}")
    with page.context.expect_page() as opened:
        page.locator(f"{DETAILS} a.brief-link").click()
    brief = opened.value
    brief.wait_for_selector("#brief.map-drawn")
    assert brief.url.endswith("/brief/chongqing-dusseldorf" + ("?lang=zh" if lang == "zh" else ""))
    text = brief.inner_text("#brief")
    for word in words:
        assert word in text
    assert brief.locator(".brief-timeline-list li").count() == 15
    assert brief.locator(".brief-sources li a[href^='https://']").count() >= 1
    # The small map is drawn offline: land and the link between the two places.
    assert brief.locator("#brief-map .geo .layer.land path").count() > 0
    brief.screenshot(path=str(artifact(f"brief-{lang}.png")), full_page=True)
    document = brief.pdf(format="A4")
    artifact(f"brief-{lang}.pdf").write_bytes(document)
    assert pdf_pages(document) == 1
    brief.close()


def video_facts(path) -> dict[str, str]:
    """What ffmpeg (the binary imageio-ffmpeg ships) reads from the file, decoding every frame."""
    import subprocess

    import imageio_ffmpeg

    decoded = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    duration = re.search(r"Duration: (\d+):(\d+):([\d.]+)", decoded)
    return {
        "seconds": int(duration.group(1)) * 3600 + int(duration.group(2)) * 60 + float(duration.group(3)),
        "size": re.search(r"Video: .*?(\d{3,4}x\d{3,4})", decoded).group(1),
        "frames": int(re.findall(r"frame=\s*(\d+)", decoded)[-1]),
    }


def test_export_video_downloads_a_1080p_video_of_the_growth_with_its_progress_shown(page, served_app):
    # The video plays at the playback speed: 4 years a second here.
    open_app(page, served_app, "?home=Chongqing&speed=4")
    progress = page.locator(f"#{ids.VIDEO_PROGRESS}")
    with page.expect_download(timeout=180_000) as download_info:
        page.click(f"#{ids.VIDEO_BUTTON}")
        expect(progress).to_contain_text(re.compile(r"Video: drawing year \d+ of 43"), timeout=30_000)
        expect(progress).to_contain_text(re.compile(r"Video: recording \d+ of 13 s"), timeout=90_000)
        expect(page.locator(f"#{ids.VIDEO_BUTTON}")).to_be_disabled()
    download = download_info.value
    assert re.fullmatch(r"sister-city-atlas-chongqing-1982-2024\.(mp4|webm)", download.suggested_filename)
    path = artifact(download.suggested_filename)
    download.save_as(path)
    data = path.read_bytes()
    assert len(data) > 100_000
    # An MP4 starts with its 'ftyp' box, a WebM with the EBML header.
    assert data[4:8] == b"ftyp" if path.suffix == ".mp4" else data[:4] == b"\x1a\x45\xdf\xa3"
    facts = video_facts(path)
    # 43 years at 4 a second, then the last year held 2 s.
    assert facts["size"] == "1920x1080"
    assert 11.5 <= facts["seconds"] <= 14, facts
    assert facts["frames"] >= 100
    expect(progress).to_contain_text(f"Video saved: {download.suggested_filename}")
    expect(page.locator(f"#{ids.VIDEO_BUTTON}")).to_be_enabled()


def choose_activity(page, label: str) -> None:
    page.locator(f"#{ids.ACTIVITY_FILTER} label", has_text=label).click()


def test_activity_filter_splits_a_hubs_partnerships_on_screen_and_in_the_url(page, served_app):
    open_app(page, served_app, "?home=Chongqing&year=2016")
    wait_for_summary(page, r"^32 partnerships")
    everything = shown_count(page)
    counts = {}
    for label, status in (("Active", "active"), ("Quiet", "quiet"), ("Dormant", "dormant")):
        choose_activity(page, label)
        wait_for_query(page, activity=status)
        page.wait_for_function(
            "(status) => { const data = document.querySelector('#map .js-plotly-plot').data || [];"
            " const links = data.filter(trace => trace.mode === 'lines' && trace.name);"
            " return links.length === 1 && links[0].name.toLowerCase().startsWith(status); }",
            arg=status,
        )
        counts[status] = shown_count(page)
    assert counts["active"] > 0 and counts["dormant"] > 0
    assert counts["active"] + counts["quiet"] + counts["dormant"] <= everything
    page.screenshot(path=str(artifact("activity-dormant-en.png")))
    choose_activity(page, "All")
    wait_for_query(page, activity=None)
    wait_for_summary(page, rf"^{everything} partnerships")
    # The key states the thresholds; the projector theme keeps quiet ties dashed and dormant ones visible.
    key = [trace["name"] for trace in map_data(page) if trace.get("mode") == "lines" and trace.get("name")]
    assert key[:3] == ["Active: an exchange in 3 years", "Quiet: 3–7 years (dashed)", "Dormant: 8+ years (faded)"]
    page.click(f"#{ids.CONTRAST_TOGGLE}")
    page.wait_for_selector(".app.contrast")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').layout.paper_bgcolor === '#000000'")
    page.screenshot(path=str(artifact("activity-contrast.png")))
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(page.locator(f"#{ids.ACTIVITY_FILTER}")).to_contain_text("休眠")
    page.wait_for_function(
        "(name) => (document.querySelector('#map .js-plotly-plot').data || []).some(trace => trace.name === name)",
        arg="休眠：8年以上无交流（淡色）",
    )
    page.screenshot(path=str(artifact("activity-zh.png")))


def summary_of(page, selector: str) -> int:
    return int(re.match(r"\d+", page.inner_text(selector)).group(0))


def test_compare_draws_a_second_hub_beside_the_first_sharing_year_sectors_and_language(page, served_app):
    open_app(page, served_app, "?home=Chongqing&compare=Changsha")
    compare = f"#{ids.SUMMARY_COMPARE}"
    page.wait_for_selector(f"#{ids.MAP_COMPARE} .js-plotly-plot .geo .layer.land path")
    expect(page.locator(compare)).to_contain_text(f"{expected_count('Changsha')} partnerships")
    assert shown_count(page) == expected_count("Chongqing") != summary_of(page, compare)
    expect(page.locator(f"#{ids.MAP_COMPARE_NAME}")).to_have_text("Changsha")
    # Two maps side by side, and each hub's statistics under its name.
    first, second = (page.locator(f"#{name}").bounding_box() for name in (ids.MAP, ids.MAP_COMPARE))
    assert second["x"] >= first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 60
    expect(page.locator(f"#{ids.STATS_COMPARE_NAME}")).to_have_text("Changsha")
    page.wait_for_selector(f"#{ids.GROWTH_CHART_COMPARE} .js-plotly-plot .scatterlayer path")
    page.screenshot(path=str(artifact("compare-en.png")))
    # One slider for both.
    move_slider_to(page, 2000)
    wait_for_summary(page, rf"^{expected_count('Chongqing', 2000)} partnerships")
    expect(page.locator(compare)).to_contain_text(f"{expected_count('Changsha', 2000)} partnerships")
    wait_for_query(page, home="Chongqing", compare="Changsha", year="2000")
    # One sector filter for both: Changsha has no exchange in urban development.
    page.locator(f"#{ids.SECTOR_FILTER} label", has_text="Urban development").click()
    expect(page.locator(compare)).to_contain_text(re.compile(r"^0 partnerships"))
    page.locator(f"#{ids.SECTOR_FILTER} label", has_text="Urban development").click()
    expect(page.locator(compare)).to_contain_text(f"{expected_count('Changsha', 2000)} partnerships")
    # One language for both.
    page.click(f"#{ids.LANG_TOGGLE}")
    expect(page.locator(compare)).to_contain_text("对友城")
    expect(page.locator(f"#{ids.MAP_COMPARE_NAME}")).to_have_text("长沙")
    page.screenshot(path=str(artifact("compare-zh.png")))
    # Clearing the second hub leaves one map.
    page.locator(f"#{ids.COMPARE_SELECT} .dash-dropdown-clear, #{ids.COMPARE_SELECT} [aria-label*=lear]").first.click()
    wait_for_query(page, compare=None)
    expect(page.locator(f"#{ids.MAP_COMPARE}")).to_be_hidden()


def test_a_brief_with_a_long_timeline_still_prints_on_one_a4_page(page, serve, tmp_path):
    """Forty exchanges and as many sources (the live data gives Chongqing–Düsseldorf thirty): set
    tighter, then fitted to the sheet."""
    from datadir import append_row, copy_data

    data_dir = copy_data(tmp_path)
    for number in range(40):
        append_row(
            data_dir / "events.csv",
            {
                "partnership_id": "chongqing-dusseldorf",
                "date": f"{1990 + number % 30}-{1 + number % 12:02d}",
                "kind": "exchange",
                "sectors": "culture;education",
                "summary": f"Exchange number {number}: a delegation of teachers and artists visits the partner city "
                "for a week of workshops, concerts and school visits",
                "institutions": "Düsseldorf Academy of Arts; Sichuan Fine Arts Institute",
                "source_url": f"https://example.org/dusseldorf/exchanges/{number}/a-long-path-to-the-article.html",
                "source_title": f"Report on exchange {number}",
            },
        )
    app = serve(data_dir)
    page.goto(app.url + "/brief/chongqing-dusseldorf")
    page.wait_for_selector("#brief.map-drawn")
    assert page.locator("#brief .when").count() == 55
    assert page.locator(".brief-sources li").count() == 42
    document = page.pdf(format="A4")
    artifact("brief-long.pdf").write_bytes(document)
    assert pdf_pages(document) == 1
