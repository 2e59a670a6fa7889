"""Everything a callback returns, computed from the view state: callbacks only wire these up.

Control values arrive from the browser and are not trusted: `state_from_controls` turns them into
a valid ViewState the same way URL parameters are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import pandas as pd
from rapidfuzz import fuzz, process
from slugify import slugify

from atlas.activity import frame_activity, gone_quiet, rule_text
from atlas.dates import display_date
from atlas.figures import (
    Figure,
    MapOptions,
    continent_figure,
    country_figure,
    escape,
    growth_figure,
    map_figure,
    sector_figure,
)
from atlas.filters import (
    ViewState,
    filter_view,
    hub_mask,
    official_count,
    parse_view_state,
    seen_from,
    summary_text,
)
from atlas.i18n import confidence_label, continent_label, country_label, localized, t
from atlas.load import HUB_ALL, Atlas
from atlas.story import HubOverview, Story, hub_overview, milestone_captions_by_year, partnership_story
from atlas.theme import theme_for

MAX_OPTIONS = 200
# The value of the unconfirmed-ties toggle when they are shown (a one-box checklist).
UNCONFIRMED_SHOWN = ("show",)


def state_from_controls(
    atlas: Atlas,
    home: Any,
    year: Any,
    sectors: Any,
    focus: Any,
    lang: Any,
    present: Any = False,
    contrast: Any = False,
    unconfirmed: Any = UNCONFIRMED_SHOWN,
    activity: Any = None,
    compare: Any = None,
) -> ViewState:
    """Controls -> ViewState through the URL parser, so both paths accept exactly the same values.
    `unconfirmed` is the toggle's value: UNCONFIRMED_SHOWN when the unconfirmed ties are shown."""
    params = {
        "home": str(home) if home else HUB_ALL,
        "year": str(year) if year is not None else "",
        "sectors": ",".join(str(name) for name in sectors) if isinstance(sectors, list | tuple) else "",
        "focus": str(focus) if focus else "",
        "lang": str(lang) if lang else "en",
        "present": "1" if present is True else "0",
        "contrast": "1" if contrast is True else "0",
        "activity": str(activity) if activity else "",
        "compare": str(compare) if compare else "",
        "unconfirmed": "1" if isinstance(unconfirmed, list | tuple) and UNCONFIRMED_SHOWN[0] in unconfirmed else "0",
    }
    if not params["year"]:
        del params["year"]
    state, _ = parse_view_state(params, atlas)
    return state


def settled_state(atlas: Atlas, settled: Any, focus: Any = None) -> ViewState:
    """The view the statistics, table and story show: the browser's settled hub, year, sectors,
    language and theme (untrusted: read like any control)."""
    data = settled if isinstance(settled, dict) else {}
    return state_from_controls(
        atlas,
        data.get("home"),
        data.get("year"),
        data.get("sectors"),
        focus,
        data.get("lang"),
        contrast=data.get("contrast"),
        activity=data.get("activity"),
        compare=data.get("compare"),
        unconfirmed=data.get("unconfirmed"),
    )


@dataclass(frozen=True)
class MapView:
    figure: Figure
    summary: str
    export_title: str
    export_file: str


def hub_name(atlas: Atlas, home: str, lang: str) -> str:
    hub = atlas.hub(home)
    return t("all_hubs", lang) if hub is None else localized(hub.name, hub.name_zh, lang)


def map_view(atlas: Atlas, state: ViewState, title: bool = False) -> MapView:
    frame = filter_view(atlas, state)
    frame = frame.join(frame_activity(atlas, frame, state.year or atlas.last_year)["activity"])
    summary = summary_text(frame, state.lang, official_count(atlas, state.home, state.year))
    export_title = f"{t('title', state.lang)} · {hub_name(atlas, state.home, state.lang)} · {state.year}"
    options = MapOptions(
        lang=state.lang,
        home=state.home,
        focus=state.focus,
        contrast=state.contrast,
        present=state.present,
        title=f"{export_title}: {summary}" if title else None,
        source_line=t("source_line", state.lang) if title else None,
    )
    file_stem = slugify(f"sister-city-atlas-{state.home}-{state.year}") or "sister-city-atlas"
    return MapView(map_figure(atlas, frame, options), summary, f"{export_title}: {summary}", file_stem)


def statistics_figures(atlas: Atlas, state: ViewState) -> tuple[Figure, Figure, Figure, Figure]:
    frame = filter_view(atlas, state)
    year = state.year or atlas.last_year
    return (
        growth_figure(frame, atlas.first_year, year, state.lang, state.contrast),
        continent_figure(frame, state.lang, state.contrast),
        country_figure(frame, state.lang, state.contrast),
        sector_figure(atlas, frame, year, state.lang, state.contrast),
    )


TABLE_COLUMNS = (
    ("partner", "partner"),
    ("partner_zh", "partner_zh"),
    ("country_name", "country_column"),
    ("continent", "continent"),
    ("home", "home"),
    ("established", "established"),
    ("relation", "relation"),
    ("confidence", "confidence"),
    ("exchanges", "exchanges_column"),
    ("sectors", "sectors_column"),
)


# Where a partnership is opened for editing (the editing page asks for a sign-in first).
EDIT_HREF = "/edit/?partnership="


def edit_href(partnership_id: str) -> str:
    return EDIT_HREF + quote(partnership_id, safe="")


def table_columns(lang: str) -> list[dict[str, Any]]:
    columns = [{"field": field, "headerName": t(key, lang)} for field, key in TABLE_COLUMNS]
    columns[0]["pinned"] = "left"
    # Each row opens on the editing page (assets/dashAgGridFunctions.js draws the link); not in the CSV.
    columns.append(
        {
            "colId": "edit",
            "field": "id",
            "headerName": t("edit_link", lang),
            "cellRenderer": "EditLink",
            "cellRendererParams": {"href": EDIT_HREF, "label": t("edit_link", lang)},
            "sortable": False,
            "filter": False,
            "suppressHeaderMenuButton": True,
            "minWidth": 80,
            "maxWidth": 110,
        }
    )
    return columns


def sector_texts(atlas: Atlas, partnership_ids: list[str], lang: str) -> list[str]:
    """'Trade & investment; Education' for each partnership: its exchanges' sectors, first seen first."""
    labels = dict(zip(atlas.sectors["sector"], atlas.sectors["label_zh" if lang == "zh" else "label_en"], strict=True))
    sectors = atlas.sectors_by_partnership
    return ["; ".join(labels.get(name, name) for name in sectors.get(pid, ())) for pid in partnership_ids]


def rows_of(atlas: Atlas, frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """The table's rows for the partnerships in `frame`, labelled in `lang`."""
    countries = {code: country_label(code, lang) for code in frame["country"].unique()}
    columns = {
        "id": frame["id"],
        "partner": frame["partner"],
        "partner_zh": frame["partner_zh"],
        "country_name": frame["country"].map(countries),
        "continent": frame["continent"].map(lambda name: continent_label(name, lang)),
        "home": frame["home_zh"].where((frame["home_zh"] != "") & (lang == "zh"), frame["home"]),
        "established": frame["established"].where(frame["established"] != "", t("date_unknown", lang)),
        "relation": frame["relation_zh"].where((frame["relation_zh"] != "") & (lang == "zh"), frame["relation"]),
        "confidence": frame["confidence"].map(lambda level: confidence_label(level, lang)),
        "exchanges": frame["exchanges"],
    }
    # Rows assembled from plain lists: DataFrame.to_dict("records") is several times slower.
    names, values = list(columns), [column.tolist() for column in columns.values()]
    names.append("sectors")
    values.append(sector_texts(atlas, columns["id"].tolist(), lang))
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def table_rows(atlas: Atlas, state: ViewState) -> list[dict[str, Any]]:
    return rows_of(atlas, filter_view(atlas, state), state.lang)


@dataclass(frozen=True)
class TableUpdate:
    """What the grid is sent: every row (`rows`), or only the rows that come and go (`transaction`)."""

    rows: list[dict[str, Any]] | None
    transaction: dict[str, Any] | None
    shown: dict[str, Any]  # the view the grid shows afterwards, kept in the browser


def shown_table_data(atlas: Atlas, state: ViewState) -> dict[str, Any]:
    return {
        "home": state.home,
        "year": state.year,
        "sectors": list(state.sectors),
        "lang": state.lang,
        "activity": state.activity,
        "version": atlas.version,
    }


def shown_table_state(atlas: Atlas, data: Any) -> ViewState | None:
    """The view the grid shows, from what the browser kept (untrusted: read like any control); None
    when the grid holds rows of other tables than those served now."""
    if not isinstance(data, dict) or data.get("version") != atlas.version:
        return None
    return state_from_controls(
        atlas,
        data.get("home"),
        data.get("year"),
        data.get("sectors"),
        None,
        data.get("lang"),
        activity=data.get("activity"),
    )


def table_update(atlas: Atlas, state: ViewState, shown: ViewState | None) -> TableUpdate:
    """The grid's rows for `state`, given the view it shows now.

    A slider step or a sector changes a few rows of tens of thousands: only those travel, as an AG
    Grid transaction. A new hub or language, or a grid that shows nothing yet, gets every row.
    Dash drops a callback's answer when a newer request of it is under way, so the grid always
    holds the view `shown` names when the next request is made."""
    if shown is None or (shown.home, shown.lang) != (state.home, state.lang):
        return TableUpdate(table_rows(atlas, state), None, shown_table_data(atlas, state))
    before = filter_view(atlas, shown)["id"]
    frame = filter_view(atlas, state)
    added = frame[~frame["id"].isin(before)]
    removed = before[~before.isin(frame["id"])]
    transaction = {
        "add": rows_of(atlas, added, state.lang),
        "remove": [{"id": partnership_id} for partnership_id in removed.tolist()],
        "async": False,
    }
    return TableUpdate(None, transaction, shown_table_data(atlas, state))


def details_view(atlas: Atlas, state: ViewState) -> Story | HubOverview:
    story = partnership_story(atlas, state.focus, state.lang, state.home, state.year) if state.focus else None
    return story or hub_overview(atlas, state.home, state.year or atlas.last_year, state.lang)


def video_frames(atlas: Atlas, state: ViewState, speed: int) -> dict[str, Any]:
    """Everything the browser needs to record the growth of `state`'s view as a video: one map a
    year from the first to the last, drawn as on stage (larger type), each with the title, the
    legend and the source line, the year's milestone captions, and the words of the progress line."""
    lang = state.lang
    frames = []
    for year in range(atlas.first_year, atlas.last_year + 1):
        shown = replace(state, year=year, present=True)
        view = map_view(atlas, shown, title=True)
        frames.append({"year": year, "figure": view.figure, "caption": escape(caption_view(atlas, shown))})
    words = ("video_drawing", "video_recording", "video_saved", "video_unsupported")
    return {
        "frames": frames,
        "speed": speed,
        "yearColour": theme_for(state.contrast).hub,
        "file": slugify(f"sister-city-atlas-{state.home}-{atlas.first_year}-{atlas.last_year}") or "sister-city-atlas",
        "words": {key: t(key, lang) for key in words},
    }


MAX_QUIET_SHOWN = 60


@dataclass(frozen=True)
class QuietTie:
    id: str
    partner: str
    home: str
    silent: str  # '28 years silent'
    status: str  # active, quiet or dormant: the CSS class
    status_label: str
    last: str  # 'last exchange 1982' or 'signed 1982, no exchange since'


@dataclass(frozen=True)
class QuietView:
    hint: str
    rule: str
    ties: tuple[QuietTie, ...]
    more: str  # 'and 12 more' when the list is cut, else ''
    empty: str  # what to say when no tie has gone quiet


def quiet_view(atlas: Atlas, state: ViewState) -> QuietView:
    """The ties gone quiet among those shown (hub, year, sectors), longest silent first: whom to call."""
    year = state.year or atlas.last_year
    lang = state.lang
    found = gone_quiet(atlas, filter_view(atlas, state), year)
    ties = tuple(
        QuietTie(
            id=row.id,
            partner=localized(row.partner, row.partner_zh, lang),
            home=localized(row.home, row.home_zh, lang),
            silent=t("years_silent", lang).format(count=int(row.since)),
            status=row.activity,
            status_label=t(f"activity_{row.activity}", lang),
            last=t("last_sign", lang).format(year=int(row.last_year))
            if row.last_row >= 0 and row.last_year >= (row.year if pd.notna(row.year) else 0)
            else t("signed_only", lang).format(year=int(row.year)),
        )
        for row in found.head(MAX_QUIET_SHOWN).itertuples(index=False)
    )
    more = len(found) - len(ties)
    return QuietView(
        hint=t("gone_quiet_hint", lang).format(year=year),
        rule=rule_text(lang),
        ties=ties,
        more=t("gone_quiet_more", lang).format(count=more) if more > 0 else "",
        empty=t("gone_quiet_none", lang).format(year=year),
    )


def caption_texts(atlas: Atlas, home: str, lang: str) -> dict[str, str]:
    """Presentation mode's caption for each year that has one, keyed by the year as JSON writes it:
    sent with the map's links, so that a slider step or playback shows it without asking."""
    return {str(year): " · ".join(captions) for year, captions in milestone_captions_by_year(atlas, home, lang).items()}


def caption_view(atlas: Atlas, state: ViewState) -> str:
    return caption_texts(atlas, state.home, state.lang).get(str(state.year or atlas.last_year), "")


def hub_options(atlas: Atlas, lang: str, search: str | None, selected: str | None) -> list[dict[str, str]]:
    """All hubs when there are few; the best matches of the typed text when there are thousands."""

    def option(hub_id: str) -> dict[str, str]:
        hub = atlas.hub(hub_id)
        if hub is None:
            return {"label": t("all_hubs", lang), "value": HUB_ALL}
        name = localized(hub.name, hub.name_zh, lang)
        return {"label": f"{name} ({hub.partnerships})", "value": hub.id}

    hubs = [hub.id for hub in atlas.hubs]
    if search:
        choices = atlas.hub_search_texts
        hubs = [match[2] for match in process.extract(search, choices, scorer=fuzz.WRatio, limit=MAX_OPTIONS)]
    chosen = [HUB_ALL, *hubs[:MAX_OPTIONS]]
    if selected and selected not in chosen:
        chosen.append(selected)
    return [option(hub_id) for hub_id in chosen]


def partner_options(
    atlas: Atlas, lang: str, home: str, search: str | None, selected: str | None
) -> list[dict[str, str]]:
    frame = atlas.partnerships
    if search:
        choices = atlas.partner_search_texts
        ids = [match[2] for match in process.extract(search, choices, scorer=fuzz.WRatio, limit=50)]
        chosen = frame.set_index("id").loc[ids].reset_index()
    else:
        chosen = seen_from(frame[hub_mask(atlas, home)].head(MAX_OPTIONS), home)
    if selected and selected not in set(chosen["id"]):
        chosen = pd.concat([chosen, frame[frame["id"] == selected]])
    return [
        {
            "label": f"{localized(row.partner, row.partner_zh, lang)} · {localized(row.home, row.home_zh, lang)}"
            f" ({display_date(row.established, lang)})",
            "value": row.id,
        }
        for row in chosen.itertuples(index=False)
    ]


def notice_text(notices: Sequence[str], lang: str) -> str:
    return f"{t('notice_prefix', lang)} {'; '.join(notices)}" if notices else ""
