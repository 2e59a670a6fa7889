"""Which ties are alive: each partnership's last exchange, its exchanges of the last five years, and
its status at the year shown.

The thresholds live here and nowhere else; the legend and the brief state them from these numbers.
At year Y a tie is *active* when its last sign of life is less than ACTIVE_YEARS old (an exchange in
Y, Y-1 or Y-2), *quiet* when it is ACTIVE_YEARS to DORMANT_YEARS-1 years old, *dormant* from
DORMANT_YEARS on. The sign of life is the last dated exchange up to Y, or the signing itself when
that is later: a tie signed in 2009 is active in 2010, and one with no exchange at all is dormant
DORMANT_YEARS after it was established. A tie with neither a date nor a dated exchange is *unknown*.
Undated exchanges say nothing about when a tie was alive and are left out.

Everything is computed for many partnerships at once from one sorted array of (partnership, year)
keys, built once per data directory: a year of the slider for 25,000 links is a few searchsorted calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from atlas.i18n import t

if TYPE_CHECKING:
    from atlas.load import Atlas

ACTIVE_YEARS = 3
DORMANT_YEARS = 8
RECENT_YEARS = 5
ACTIVE, QUIET, DORMANT, UNKNOWN = "active", "quiet", "dormant", "unknown"
STATUSES = (ACTIVE, QUIET, DORMANT)  # what the `activity=` filter accepts; UNKNOWN is never chosen
CODED = (*STATUSES, UNKNOWN)  # the status numbered as the browser reads it (`status_by_year`)
# Keys are position * YEAR_SPAN + year: years are four digits (atlas.dates keeps them in 1900-2100).
YEAR_SPAN = 10_000


def rule_text(lang: str) -> str:
    """The thresholds in words, for the legend and the brief."""
    return t("activity_rule", lang).format(active=ACTIVE_YEARS, quiet=DORMANT_YEARS - 1, dormant=DORMANT_YEARS)


def legend_name(status: str, lang: str) -> str:
    """The map key's entry for links of `status`, with the thresholds in it."""
    return t(f"legend_{status}", lang).format(active=ACTIVE_YEARS, quiet=DORMANT_YEARS - 1, dormant=DORMANT_YEARS)


@dataclass(frozen=True)
class ExchangeIndex:
    """Every dated exchange as a key `partnership position * YEAR_SPAN + year`, sorted; within a year
    the latest date comes last. `rows` are the exchanges' rows in the events table, in key order."""

    keys: np.ndarray
    rows: np.ndarray

    @classmethod
    def build(cls, partnership_ids: pd.Series, events: pd.DataFrame) -> ExchangeIndex:
        positions = pd.Series(np.arange(len(partnership_ids)), index=partnership_ids.to_numpy())
        dated = events[events["year"].notna() & events["partnership_id"].isin(positions.index)]
        keys = positions.loc[dated["partnership_id"]].to_numpy(np.int64) * YEAR_SPAN + dated["year"].to_numpy(np.int64)
        # Dates sort as text (YYYY < YYYY-MM < YYYY-MM-DD within a year); then by key, stably.
        by_date = np.argsort(dated["date"].to_numpy(str), kind="stable")
        order = by_date[np.argsort(keys[by_date], kind="stable")]
        return cls(keys[order], dated.index.to_numpy()[order])


def activity_at(index: ExchangeIndex, positions: np.ndarray, established: np.ndarray, year: int) -> pd.DataFrame:
    """The activity at `year` of the partnerships at `positions` (rows of the partnerships table),
    established in `established` (float years, NaN for no date), one row each in that order:

    - `last_year`, `last_row`: the year and events-table row of the last dated exchange up to `year`
      (NaN and -1 when there is none);
    - `recent`: exchanges in the RECENT_YEARS years up to `year` (`year` included);
    - `since`: years from the last sign of life (exchange or signing) to `year` (NaN when unknown);
    - `activity`: active, quiet, dormant or unknown."""
    positions = np.asarray(positions, dtype=np.int64)
    # A key below every real one, so that "the key before" always exists.
    keys, rows = np.r_[-1, index.keys], np.r_[-1, index.rows]
    upto = np.searchsorted(keys, positions * YEAR_SPAN + year, side="right")
    before_recent = np.searchsorted(keys, positions * YEAR_SPAN + (year - RECENT_YEARS), side="right")
    last = upto - 1
    has_last = keys[last] // YEAR_SPAN == positions
    last_year = np.where(has_last, keys[last] % YEAR_SPAN, np.nan)
    last_row = np.where(has_last, rows[last], -1)
    established = np.asarray(established, dtype=float)
    sign_of_life = np.fmax(last_year, established)
    since = year - sign_of_life
    status = np.array(CODED)[status_codes(since)]
    return pd.DataFrame(
        {
            "last_year": last_year,
            "last_row": last_row.astype(np.int64),
            "recent": (upto - before_recent).astype(np.int64),
            "since": since,
            "activity": status,
        }
    )


def status_codes(since: np.ndarray) -> np.ndarray:
    """The status (its number in CODED) of ties silent for `since` years (NaN: unknown)."""
    return np.select(
        [np.isnan(since), since < ACTIVE_YEARS, since < DORMANT_YEARS],
        [CODED.index(UNKNOWN), CODED.index(ACTIVE), CODED.index(QUIET)],
        default=CODED.index(DORMANT),
    ).astype(np.uint8)


def status_by_year(atlas: Atlas, frame: pd.DataFrame, first_year: int, last_year: int) -> np.ndarray:
    """The status (number in CODED) of each partnership of `frame` (as for `frame_activity`) in each
    year from `first_year` to `last_year`: one row per partnership, one column per year, flattened
    row by row, for the browser to look up as the slider moves."""
    positions = frame.index.to_numpy()
    established = frame["year"].to_numpy(float, na_value=np.nan)
    years = range(first_year, last_year + 1)
    table = np.empty((len(frame), len(years)), dtype=np.uint8)
    for column, year in enumerate(years):
        table[:, column] = status_codes(
            year - np.fmax(last_exchange_years(atlas.exchange_index, positions, year), established)
        )
    return table.ravel()


def last_exchange_years(index: ExchangeIndex, positions: np.ndarray, year: int) -> np.ndarray:
    """The year of each partnership's last dated exchange up to `year` (NaN: none)."""
    keys = np.r_[-1, index.keys]
    last = np.searchsorted(keys, np.asarray(positions, dtype=np.int64) * YEAR_SPAN + year, side="right") - 1
    return np.where(keys[last] // YEAR_SPAN == positions, keys[last] % YEAR_SPAN, np.nan)


def frame_activity(atlas: Atlas, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """`activity_at` for the partnerships of `frame`, a selection of `atlas.partnerships` that keeps
    its index (the row positions, as every filter of atlas.filters does); indexed like `frame`."""
    found = activity_at(
        atlas.exchange_index, frame.index.to_numpy(), frame["year"].to_numpy(float, na_value=np.nan), year
    )
    found.index = frame.index
    return found


def gone_quiet(atlas: Atlas, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The quiet and dormant ties of `frame` at `year`, longest silent first (then by partner name),
    with their activity columns: whom an office should call."""
    found = frame.join(frame_activity(atlas, frame, year))
    found = found[found["activity"].isin((QUIET, DORMANT))]
    return found.sort_values(["since", "partner"], ascending=[False, True], kind="stable")
