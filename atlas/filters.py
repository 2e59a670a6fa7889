"""What the user asked to see (the view state, kept in the URL) and the partnerships it selects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from atlas.activity import STATUSES, frame_activity
from atlas.dates import display_date, parse_partial_date
from atlas.i18n import normalize_lang, t
from atlas.load import HUB_ALL, Atlas
from atlas.validate import fold

MAX_PARAMETER_LENGTH = 200
NO_ROWS = np.array([], dtype=np.intp)
# Columns that trade places when a reciprocal pair is seen from its partner's side.
TURNED_COLUMNS = (
    ("home", "partner"),
    ("home_zh", "partner_zh"),
    ("home_level", "partner_level"),
    ("home_admin1", "partner_admin1"),
    ("home_country", "country"),
    ("home_lat", "lat"),
    ("home_lon", "lon"),
    ("home_id", "partner_id"),
    ("home_continent", "continent"),
)
PLAY_SPEEDS = (1, 2, 4)  # years a second when playing
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class ViewState:
    home: str = HUB_ALL
    year: int | None = None  # None: the latest year in the data
    sectors: tuple[str, ...] = ()
    focus: str | None = None  # a partnership id
    lang: str = "en"
    present: bool = False
    contrast: bool = False
    speed: int = 1  # one of PLAY_SPEEDS
    unconfirmed: bool = True  # ties only a single non-official list claims: drawn apart, or hidden
    activity: str | None = None  # only the ties active, quiet or dormant at the year shown (atlas.activity)
    compare: str | None = None  # a second hub, drawn beside `home`


FLAGS = ("present", "contrast", "unconfirmed")


def default_state(atlas: Atlas) -> ViewState:
    return ViewState(year=atlas.last_year)


def resolve_hub(atlas: Atlas, value: str) -> str | None:
    """The first hub whose folded id or Chinese name is `value`; looked up, as there may be 20,000."""
    if atlas.hub(value) is not None:
        return value  # exactly a hub's id: of two that fold alike, 'San Jose' is not 'San José'
    wanted = fold(value)
    if wanted == HUB_ALL:
        return HUB_ALL
    found = [hub for hub in (atlas.hubs_by_folded_id.get(wanted), atlas.hubs_by_name_zh.get(value)) if hub]
    return min(found, key=atlas.hub_order.__getitem__, default=None)


def resolve_focus(atlas: Atlas, value: str) -> str | None:
    """A partnership id, or a partner's name in English or Chinese (the first row that has it)."""
    if value in atlas.partnership_positions:
        return value
    wanted = fold(value)
    if not wanted:
        return None
    found = [
        position
        for position in (atlas.partners_by_folded_name.get(wanted), atlas.partners_by_name_zh.get(value.strip()))
        if position is not None
    ]
    return str(atlas.partnerships["id"].iat[min(found)]) if found else None


def first_value(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        value = value[0] if len(value) else ""
    return value


def parse_view_state(params: Mapping[str, str | Sequence[str]], atlas: Atlas) -> tuple[ViewState, list[str]]:
    """Read URL parameters; anything unknown or malformed falls back to its default, with a notice."""
    state = default_state(atlas)
    notices: list[str] = []

    def value_of(key: str) -> str | None:
        value = first_value(params, key)
        if value is not None and len(value) > MAX_PARAMETER_LENGTH:
            notices.append(f"{key}: value too long")
            return None
        return value

    home = value_of("home")
    if home is not None:
        hub = resolve_hub(atlas, home)
        if hub is None:
            notices.append(f"home: unknown hub {home!r}")
        else:
            state = replace(state, home=hub)
    year = value_of("year")
    if year is not None:
        try:
            number = int(year.strip())
        except ValueError:
            notices.append(f"year: {year!r} is not a year")
        else:
            if atlas.first_year <= number <= atlas.last_year:
                state = replace(state, year=number)
            else:
                notices.append(f"year: {number} is outside {atlas.first_year}–{atlas.last_year}")
    sectors = value_of("sectors")
    if sectors is not None:
        known = set(atlas.sectors["sector"])
        asked = [name.strip().lower() for name in sectors.replace(";", ",").split(",") if name.strip()]
        unknown = [name for name in asked if name not in known]
        if unknown:
            notices.append(f"sectors: unknown {', '.join(map(repr, unknown))}")
        kept = [name for name in atlas.sectors["sector"] if name in asked]
        state = replace(state, sectors=tuple(kept))
    focus = value_of("focus")
    if focus:
        partnership = resolve_focus(atlas, focus)
        if partnership is None:
            notices.append(f"focus: no partner {focus!r}")
        else:
            state = replace(state, focus=partnership)
    activity = value_of("activity")
    if activity:
        if activity.strip().lower() in STATUSES:
            state = replace(state, activity=activity.strip().lower())
        else:
            notices.append(f"activity: {activity!r} is not {', '.join(STATUSES[:-1])} or {STATUSES[-1]}")
    compare = value_of("compare")
    if compare:
        hub = resolve_hub(atlas, compare)
        if hub is None:
            notices.append(f"compare: unknown hub {compare!r}")
        else:
            state = replace(state, compare=hub)
    lang = value_of("lang")
    if lang is not None:
        if lang not in ("en", "zh"):
            notices.append(f"lang: {lang!r} is not en or zh")
        state = replace(state, lang=normalize_lang(lang))
    speed = value_of("speed")
    if speed is not None:
        if speed.strip() in {str(choice) for choice in PLAY_SPEEDS}:
            state = replace(state, speed=int(speed))
        else:
            notices.append(f"speed: {speed!r} is not {', '.join(map(str, PLAY_SPEEDS[:-1]))} or {PLAY_SPEEDS[-1]}")
    for key in FLAGS:
        flag = value_of(key)
        if flag is None:
            continue
        word = flag.strip().lower()
        if word in TRUE_WORDS:
            state = replace(state, **{key: True})
        elif word in FALSE_WORDS:
            state = replace(state, **{key: False})
        else:
            notices.append(f"{key}: {flag!r} is not 1 or 0")
    return state, notices


def parse_query_string(search: object, atlas: Atlas) -> tuple[ViewState, list[str]]:
    """`search` comes from the browser: anything but a string is read as no parameters."""
    query = search.lstrip("?") if isinstance(search, str) else ""
    return parse_view_state(parse_qs(query, keep_blank_values=True), atlas)


def view_state_query(state: ViewState, atlas: Atlas) -> str:
    """The URL query that reproduces `state`, leaving out defaults; '' when everything is default."""
    default = default_state(atlas)
    params: dict[str, str] = {}
    if state.home != default.home:
        params["home"] = state.home
    if state.year is not None and state.year != default.year:
        params["year"] = str(state.year)
    if state.sectors:
        params["sectors"] = ",".join(state.sectors)
    if state.focus:
        params["focus"] = state.focus
    if state.activity:
        params["activity"] = state.activity
    if state.compare:
        params["compare"] = state.compare
    if state.lang != default.lang:
        params["lang"] = state.lang
    for key in FLAGS:
        if getattr(state, key) != getattr(default, key):
            params[key] = "1" if getattr(state, key) else "0"
    if state.speed != default.speed:
        params["speed"] = str(state.speed)
    return "?" + urlencode(params, safe=",") if params else ""


def year_queries(state: ViewState, atlas: Atlas) -> dict[str, Any]:
    """`view_state_query` of `state` at each year of the data (`years`, keyed by the year as JSON
    writes it) and at any other (`other`): the browser writes the address as the slider moves or
    plays without asking the server, and the rules stay here."""
    years = range(atlas.first_year, atlas.last_year + 1)
    return {
        "years": {str(year): view_state_query(replace(state, year=year), atlas) for year in years},
        "other": view_state_query(replace(state, year=None), atlas),
    }


def hub_rows(atlas: Atlas, home: str) -> np.ndarray:
    return atlas.hub_rows.get(home, NO_ROWS)


def hub_mask(atlas: Atlas, home: str) -> pd.Series:
    """The hub's partnerships: its own, its province's cities', and reciprocal pairs it is part of."""
    frame = atlas.partnerships
    if home == HUB_ALL:
        return pd.Series(True, index=frame.index)
    mask = np.zeros(len(frame), dtype=bool)
    mask[hub_rows(atlas, home)] = True
    return pd.Series(mask, index=frame.index)


def seen_from(frame: pd.DataFrame, home: str) -> pd.DataFrame:
    """Reciprocal pairs of which `home` is the partner, turned round so that `home` is their home:
    links are drawn from the chosen hub, and the partner shown is the other place."""
    if home == HUB_ALL:
        return frame
    turned = (frame["reciprocal"] & (frame["partner_id"] == home) & (frame["home_id"] != home)).to_numpy()
    if not turned.any():
        return frame
    frame = frame.copy()
    for home_column, partner_column in TURNED_COLUMNS:
        home_values, partner_values = frame[home_column].to_numpy(), frame[partner_column].to_numpy()
        frame[home_column] = np.where(turned, partner_values, home_values)
        frame[partner_column] = np.where(turned, home_values, partner_values)
    frame["home_province"] = frame["home_province"].where(~turned, "")
    frame["hub_province"] = frame["hub_province"].where(~turned, frame["home"])
    return frame


def hub_partnerships(atlas: Atlas, home: str, unconfirmed: bool = True) -> pd.DataFrame:
    """Every partnership of `home`, of any year and sector, seen from `home`: what the browser filters;
    without the unconfirmed ties unless `unconfirmed`."""
    frame = atlas.partnerships
    frame = frame if home == HUB_ALL else frame.iloc[hub_rows(atlas, home)]
    return seen_from(frame if unconfirmed else frame[~frame["unconfirmed"]], home)


def filter_partnerships(
    atlas: Atlas,
    home: str,
    year: int | None,
    sectors: Sequence[str] = (),
    unconfirmed: bool = True,
    activity: str | None = None,
) -> pd.DataFrame:
    """Partnerships of `home` established by `year` (undated ones only at the latest year), with at
    least one exchange in one of `sectors` by `year` when sectors are given, without the
    unconfirmed ties unless `unconfirmed`, and only those of status `activity` at `year` when it is
    given; seen from `home`."""
    frame = atlas.partnerships
    if home != HUB_ALL:
        frame = frame.iloc[hub_rows(atlas, home)]
    year = atlas.last_year if year is None else year
    mask = frame["year_drawn"] <= year
    if not unconfirmed:
        mask &= ~frame["unconfirmed"]
    if sectors:
        reached = atlas.sector_years
        reached = reached[reached["sector"].isin(list(sectors)) & (reached["year"] <= year)]
        mask &= frame["id"].isin(reached["partnership_id"].unique())
    frame = frame[mask]
    if activity:
        frame = frame[frame_activity(atlas, frame, year)["activity"] == activity]
    return seen_from(frame, home)


def filter_view(atlas: Atlas, state: ViewState) -> pd.DataFrame:
    return filter_partnerships(atlas, state.home, state.year, state.sectors, state.unconfirmed, state.activity)


@dataclass(frozen=True)
class OfficialCount:
    """A hub's sister-city ties as its government counted them (a `count` row of facts.csv)."""

    value: int
    date: str

    @property
    def year(self) -> int:
        return parse_partial_date(self.date).year


def official_counts(atlas: Atlas, home: str) -> list[OfficialCount]:
    """The hub's official counts, oldest first."""
    facts = atlas.facts
    counts = facts[(facts["hub"] == home) & (facts["kind"] == "count") & (facts["value"] != "")]
    if home == HUB_ALL:
        return []
    return [OfficialCount(int(value), date) for value, date in counts.sort_values("date")[["value", "date"]].values]


def official_count(atlas: Atlas, home: str, year: int | None) -> OfficialCount | None:
    """The hub's latest official count dated no later than `year`, to set beside what the map shows."""
    year = atlas.last_year if year is None else year
    known = [count for count in official_counts(atlas, home) if count.year <= year]
    return known[-1] if known else None


def summary_text(frame: pd.DataFrame, lang: str, official: OfficialCount | None = None) -> str:
    """'37 partnerships · 24 countries · 1982–2004', always starting with the number of sister-city ties
    shown (confirmed, of the kind a government counts); beside it the hub's official count where one is
    known, and after it the lesser ties (letters of intent, memoranda…) and the unconfirmed ones."""
    unconfirmed = frame["unconfirmed"].to_numpy()
    lesser = frame["lesser"].to_numpy() & ~unconfirmed
    shown = frame[~unconfirmed & ~lesser]
    count = len(shown)
    countries = shown["country"].nunique()
    years = shown["year"].dropna()
    if lang == "zh":
        parts = [f"{count}{t('partnerships', lang)}", f"{countries}{t('countries', lang)}"]
    else:
        noun = t("partnership" if count == 1 and official is None else "partnerships", lang)
        parts = [f"{count} {noun}", f"{countries} {t('country' if countries == 1 else 'countries', lang)}"]
    if official is not None:
        parts[0] = t("official_count", lang).format(
            count=count, value=official.value, date=display_date(official.date, lang)
        )
    if len(years):
        first, last = int(years.min()), int(years.max())
        parts.append(f"{first}–{last}" if first != last else str(first))
    undated = int(shown["year"].isna().sum())
    if undated:
        parts.append(f"{t('undated_prefix', lang)}{undated}{t('undated_suffix', lang)}")
    if lesser.any():
        key = "lesser_count_one" if lesser.sum() == 1 else "lesser_count"
        parts.append(t(key, lang).format(count=int(lesser.sum())))
    if unconfirmed.any():
        parts.append(t("unconfirmed_count", lang).format(count=int(unconfirmed.sum())))
    return " · ".join(parts)
