"""Hostile data and hostile links, in the browser: every string is shown as text, nothing runs.

A partnership whose every field holds markup, script, Plotly template syntax, right-to-left text,
emoji and a very long name is added to a copy of the data; a person looks at it in the story, the
table, the partner list and the map's hover label. Links with malformed parameters open the
default view with a quiet notice. The page runs under the Content-Security-Policy with no violation.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from datadir import append_row, copy_data, read_rows, run_atlas, set_cell
from ui import DETAILS, expected_count, map_data, move_slider_to, open_app, show_table, wait_for_summary

from atlas.export import figure_html
from atlas.load import load_atlas
from atlas.views import map_view, state_from_controls, statistics_figures
from layouts import ids

pytestmark = pytest.mark.browser

HOSTILE_ID = "changsha-hostile"
CHANGSHA_WITH_HOSTILE = expected_count("Changsha") + 1
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
BOLD = "<b>bold</b>"
TEMPLATE = "%{customdata}"
JAVASCRIPT = "javascript:alert(document.domain)"
RTL = "مدينة السلام עיר"
EMOJI = "🏙️🌏"
LONG = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 4
PARTNER = f"{SCRIPT} {IMG} {BOLD} {TEMPLATE} {JAVASCRIPT} {RTL} {EMOJI} {LONG}"
PARTNER_ZH = "<script>window.__xss=3</script>友城🏯"
RELATION = '<img src=x onerror="window.__xss=4"> twin town <b>bold</b>'
NOTES = '<script>window.__xss=5</script> javascript:alert(1) <a href="javascript:alert(1)">click</a> %{customdata}'
SOURCE_TITLE = "<b>Source</b> <script>window.__xss=6</script>"
SUMMARY_TEXT = "<script>window.__xss=7</script> %{customdata} delegation 🎎"
INSTITUTIONS = '<img src=x onerror="window.__xss=8"> Institute of <i>Things</i>'
CAPTION = "<script>window.__xss=9</script> milestone <b>bold</b>"
SECTOR_LABEL = "Culture & arts <b>bold</b> <script>window.__xss=10</script>"
# What the page shows of each, literally.
SHOWN = [SCRIPT, IMG, BOLD, TEMPLATE, JAVASCRIPT, RTL, EMOJI, LONG]
SHOWN_WITHOUT_QUOTES = [text for text in SHOWN if '"' not in text]
# What Plotly does with text it draws (plotly.js svg_text_utils): these tags are read as markup,
# any other is drawn as written; these entities are decoded, any other is drawn as written.
PLOTLY_TAGS = {"br", "sup", "sub", "s", "u", "b", "i", "a", "span", "em"}
PLOTLY_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")
PLOTLY_NAMED = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×", "plusmn": "±", "deg": "°"}

NO_MARKUP_RAN = """() => ({
    xss: typeof window.__xss,
    images: document.querySelectorAll('img[src="x"], img[onerror], [onerror]').length,
    scripts: Array.from(document.scripts).filter(script => script.text.includes('__xss')).length,
    bold: Array.from(document.querySelectorAll('#app-root b')).filter(b => b.textContent === 'bold').length,
})"""


def build_hostile_data(destination: Path) -> Path:
    """A copy of the fixture data with one Changsha partnership in French Polynesia holding
    hostile text in every free-text field, its place geocoded, one exchange and one milestone;
    the culture sector's label is hostile too."""
    data_dir = copy_data(destination)
    sectors = data_dir / "sectors.csv"
    culture = [row[0] for row in read_rows(sectors)].index("culture") + 1
    set_cell(sectors, culture, "label_en", SECTOR_LABEL)
    partnerships = data_dir / "partnerships.csv"
    header, *rows = read_rows(partnerships)
    changsha = dict(zip(header, next(row for row in rows if row[header.index("home")] == "Changsha"), strict=True))
    append_row(
        partnerships,
        changsha
        | {
            "id": HOSTILE_ID,
            "partner": PARTNER,
            "partner_zh": PARTNER_ZH,
            "partner_level": "city",
            "partner_admin1": "",
            "country": "PF",
            "established": "2020-05",
            "relation": RELATION,
            "relation_zh": RELATION,
            "confidence": "high",
            "source_url": "https://example.invalid/hostile?q=%3Cscript%3E",
            "source_title": SOURCE_TITLE,
            "notes": NOTES,
        },
    )
    append_row(
        data_dir / "places.csv",
        {
            "name": PARTNER,
            "admin1": "",
            "country": "PF",
            "lat": "-17.535",
            "lon": "-149.569",
            "precision": "point",
            "source": "override",
        },
    )
    append_row(
        data_dir / "events.csv",
        {
            "partnership_id": HOSTILE_ID,
            "date": "2021-06-01",
            "kind": "visit",
            "sectors": "culture",
            "summary": SUMMARY_TEXT,
            "summary_zh": SUMMARY_TEXT,
            "institutions": INSTITUTIONS,
            "source_url": "https://example.invalid/event",
            "source_title": SOURCE_TITLE,
        },
    )
    append_row(
        data_dir / "facts.csv",
        {
            "id": "changsha-hostile-milestone",
            "hub": "Changsha",
            "date": "2021-06",
            "kind": "milestone",
            "partnership_id": HOSTILE_ID,
            "caption_en": CAPTION,
            "caption_zh": CAPTION,
            "source_url": "https://example.invalid/fact",
        },
    )
    return data_dir


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory, serve):
    data_dir = build_hostile_data(tmp_path_factory.mktemp("hostile"))
    checked = run_atlas("validate", "--data", str(data_dir))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return serve(data_dir)


def hostile_marker(page) -> dict[str, float] | None:
    """Where the hostile partner's marker is drawn on screen."""
    return page.evaluate(
        """(wanted) => {
            for (const point of document.querySelectorAll('#map .scatterlayer .trace.scattergeo path.point')) {
                const trace = point.closest('g.trace').__data__[0].trace;
                if (trace.customdata && trace.customdata[point.__data__.i] === wanted) {
                    const rect = point.getBoundingClientRect();
                    return {x: rect.x + rect.width / 2, y: rect.y + rect.height / 2};
                }
            }
            return null;
        }""",
        HOSTILE_ID,
    )


def assert_shown_literally(text: str, *values: str) -> None:
    missing = [value for value in values if value not in text]
    assert not missing, f"not shown literally: {missing}"


def test_hostile_text_shows_literally_in_story_table_partner_list_and_map(page, hostile_app):
    open_app(page, hostile_app, "?home=Changsha")
    wait_for_summary(page, rf"^{CHANGSHA_WITH_HOSTILE} partnerships")

    # The figure carries the hover text escaped, so that Plotly shows the tags instead of reading them.
    hover_texts = [
        text
        for trace in map_data(page)
        for custom, text in zip(trace.get("customdata") or [], trace.get("hovertext") or [], strict=False)
        if custom == HOSTILE_ID
    ]
    assert hover_texts, "the hostile partner is not on the map"
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in hover_texts[0]
    assert SCRIPT not in hover_texts[0] and IMG not in hover_texts[0]

    marker = hostile_marker(page)
    page.mouse.move(marker["x"], marker["y"])
    label = page.wait_for_selector("#map .hoverlayer .hovertext")
    # Double quotes are checked without the browser below (the hover draws them as &quot; today);
    # once that is fixed this can check *SHOWN and RELATION.
    assert_shown_literally(label.text_content(), *SHOWN_WITHOUT_QUOTES, "<img src=x onerror=", "twin town <b>bold</b>")

    page.mouse.click(marker["x"], marker["y"])
    page.wait_for_selector(f"{DETAILS} [data-partnership={HOSTILE_ID}]")
    assert_shown_literally(
        page.inner_text(DETAILS),
        *SHOWN,
        PARTNER_ZH,
        RELATION,
        NOTES,
        SOURCE_TITLE,
        SUMMARY_TEXT,
        INSTITUTIONS,
        CAPTION,
        SECTOR_LABEL,
    )
    assert_shown_literally(page.inner_text(f"#{ids.SECTOR_FILTER}"), SECTOR_LABEL)
    assert page.get_attribute(f"{DETAILS} a.source >> nth=0", "href").startswith("https://example.invalid/")

    show_table(page)
    cells = f"#{ids.TABLE} .ag-cell"
    assert_shown_literally(page.locator(f"{cells}[col-id=partner]", has_text="Llanfair").inner_text(), *SHOWN)
    assert page.locator(f"{cells}[col-id=partner_zh]", has_text="友城🏯").inner_text() == PARTNER_ZH
    assert page.locator(f"{cells}[col-id=relation]", has_text="twin town").inner_text() == RELATION

    # The chosen partner shows in the search box, and in its list when it is opened.
    assert_shown_literally(page.inner_text(f"#{ids.PARTNER_SEARCH}"), SCRIPT, IMG, BOLD)
    page.click(f"#{ids.PARTNER_SEARCH}")
    option = page.locator("[role=listbox] [role=option]", has_text="Llanfair").first
    assert_shown_literally(option.inner_text(), SCRIPT, IMG, BOLD, TEMPLATE, EMOJI)
    page.keyboard.press("Escape")

    # Quiet since 2021: listed among the ties gone quiet, which the browser draws from data.
    assert_shown_literally(page.locator(f"#{ids.GONE_QUIET} .quiet-tie", has_text="Llanfair").inner_text(), *SHOWN)

    page.click(f"#{ids.LANG_TOGGLE}")
    page.wait_for_function(f"() => document.querySelector('{DETAILS} .story-name')?.textContent.includes('友城🏯')")
    assert_shown_literally(page.inner_text(DETAILS), PARTNER_ZH, PARTNER, RELATION, SUMMARY_TEXT)

    assert page.evaluate(NO_MARKUP_RAN) == {"xss": "undefined", "images": 0, "scripts": 0, "bold": 0}


def as_plotly_draws(text: str) -> str:
    """The characters Plotly draws for `text`, markup left out."""

    def decode(entity: re.Match) -> str:
        name = entity[1]
        if name.startswith("#"):
            return chr(int(name[2:], 16) if name.startswith("#x") else int(name[1:]))
        return PLOTLY_NAMED.get(name, entity[0])

    drawn = []
    for part in re.split(r"(<[^<>]*>)", text):
        tag = re.fullmatch(r"<(/?)([^ >]*)(\s+(.*))?>", part, re.IGNORECASE | re.DOTALL)
        if not (tag and tag[2].lower() in PLOTLY_TAGS):
            drawn.append(PLOTLY_ENTITY.sub(decode, part))
    return "".join(drawn)


class ScriptCollector(HTMLParser):
    """The text of every <script> element, as a browser's parser splits the document."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self.inside = True
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self.inside = False

    def handle_data(self, data) -> None:
        if self.inside:
            self.scripts[-1] += data


def test_html_export_keeps_any_name_inside_its_figure_data() -> None:
    name = "</script><!--<script>window.__xss=3</script>-->"
    figure = {"data": [{"type": "scattergeo", "lon": [1], "lat": [2], "text": [name]}], "layout": {"title": name}}
    parser = ScriptCollector()
    parser.feed(figure_html(figure, name, "zh"))
    [data] = [script for script in parser.scripts if script.startswith('{"data"')]
    assert json.loads(data)["data"][0]["text"] == [name]
    assert len(parser.scripts) == 4  # the figure, plotly.js, the world map, the call that draws
    assert not any("window.__xss" in script for script in parser.scripts if script is not data)


def test_map_hover_text_decodes_to_the_data_exactly(tmp_path):
    atlas = load_atlas(build_hostile_data(tmp_path))
    figure = map_view(atlas, state_from_controls(atlas, "Changsha", None, [], HOSTILE_ID, "en")).figure
    hover = [
        as_plotly_draws(text)
        for trace in figure["data"]
        if "customdata" in trace
        for custom, text in zip(trace["customdata"], trace["hovertext"], strict=True)
        if custom == HOSTILE_ID
    ]
    assert hover
    assert_shown_literally(hover[0], PARTNER, RELATION)


def test_sector_chart_labels_decode_to_the_data_exactly(tmp_path):
    atlas = load_atlas(build_hostile_data(tmp_path))
    state = state_from_controls(atlas, "Changsha", None, [], None, "en")
    sector_chart = statistics_figures(atlas, state)[3]
    assert SECTOR_LABEL in [as_plotly_draws(label) for label in sector_chart["data"][0]["y"]]


def test_exports_and_playback_run_under_the_content_security_policy(page, hostile_app):
    """The conftest page fails on any console error, which is where a CSP violation is reported;
    the listener names the violated directive should one happen."""
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " event => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    response = page.goto(f"{hostile_app.url}/?home=Changsha&focus={HOSTILE_ID}")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_selector(f"{DETAILS} [data-partnership={HOSTILE_ID}]")
    wait_for_summary(page, rf"^{CHANGSHA_WITH_HOSTILE} partnerships")

    move_slider_to(page, 2018)
    page.click(f"#{ids.PLAY}")
    page.wait_for_function("() => Number(document.querySelector('#year-label').textContent) >= 2020", timeout=6000)
    page.click(f"#{ids.PLAY}")

    with page.expect_download() as png:
        page.click(f"#{ids.PNG_BUTTON}")
    assert png.value.suggested_filename.endswith(".png")
    assert png.value.path().read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as html:
        page.click(f"#{ids.HTML_BUTTON}")
    exported = html.value.path().read_text(encoding="utf-8")
    assert "window.__xss" in exported, "the export holds the hostile partner"
    assert SCRIPT not in exported and IMG not in exported
    assert page.evaluate("window.__violations") == []
    assert page.evaluate(NO_MARKUP_RAN)["xss"] == "undefined"


DEFAULT_SUMMARY = rf"^{expected_count()} partnerships · \d+ countries · 1982–2024"


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        pytest.param("?year=abc", "year: 'abc' is not a year", id="year-not-a-number"),
        pytest.param("?year=-99999", "year: -99999 is outside 1982–2024", id="year-out-of-range"),
        pytest.param("?home=Atlantis", "home: unknown hub 'Atlantis'", id="unknown-hub"),
        # An empty list of sectors is no sector filter, which is what the default view shows: no notice.
        pytest.param("?sectors=;;;", None, id="empty-sectors"),
        pytest.param("?home=" + "x" * 10_000, "home: value too long", id="10kB-value"),
        pytest.param("?present=maybe", "present: 'maybe' is not 1 or 0", id="present-maybe"),
        pytest.param("?lang=xx", "lang: 'xx' is not en or zh", id="unknown-language"),
        pytest.param("?focus=" + quote(SCRIPT), f"focus: no partner '{SCRIPT}'", id="script-as-focus"),
    ],
)
def test_malformed_link_opens_the_default_view_with_a_quiet_notice(page, served_app, query, notice):
    response = page.goto(served_app.url + "/" + query)
    assert response.status == 200
    wait_for_summary(page, DEFAULT_SUMMARY)
    if notice:
        page.wait_for_function("() => document.querySelector('#notice').textContent.length > 0")
    else:
        page.wait_for_load_state("networkidle")  # every callback has answered
    shown = page.inner_text(f"#{ids.NOTICE}")
    assert shown == (f"Some link settings were not understood and were reset: {notice}" if notice else "")
    assert page.inner_text(f"#{ids.YEAR_LABEL}") == "2024"
    assert page.inner_text(f"#{ids.LANG_TOGGLE}") == "中文"
    assert "present" not in page.get_attribute(f"#{ids.ROOT}", "class")
    assert page.locator(f"#{ids.SECTOR_FILTER} input:checked").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
