"""Component ids, shared by layouts, callbacks and browser tests so that they cannot drift apart.

The ids spelled out by the issues (home-select, year-slider, play, sector-filter, summary, details)
are a contract: keep them.
"""

URL = "url"
ROOT = "app-root"
NOTICE = "notice"

HOME_SELECT = "home-select"
PARTNER_SEARCH = "partner-search"
LANG_TOGGLE = "lang-toggle"
PRESENT_TOGGLE = "present-toggle"
PRESENT_EXIT = "present-exit"
CONTRAST_TOGGLE = "contrast-toggle"
PRINT_BUTTON = "print"

LANG_STORE = "lang"
VIEW_SETTLED = "view-settled"  # hub, year, sectors, language and theme once they stop changing
PRESENT_STORE = "present"
CONTRAST_STORE = "contrast"
EXPORT_META = "export-meta"
URL_QUERIES = "url-queries"  # the address for each year of the view, written as the slider moves
URL_POPSTATE = "url-popstate"

MAP = "map"
MAP_SOURCE = "map-source"  # the hub's links for every year and sector, filtered in the browser
MAP_SOURCE_KEPT = "map-source-kept"  # the number of the source the browser keeps for its steps
SUMMARY = "summary"
YEAR_SLIDER = "year-slider"
YEAR_LABEL = "year-label"
PLAY = "play"
PLAY_TIMER = "play-timer"
PLAY_SPEED = "play-speed"
TIMELINE_NOTE = "timeline-note"
PRESENT_YEAR = "present-year"
MILESTONE_CAPTION = "milestone-caption"

SECTOR_FILTER = "sector-filter"
SECTOR_NOTE = "sector-note"
UNCONFIRMED_TOGGLE = "unconfirmed-toggle"  # shows or hides the ties no source confirms
DETAILS = "details"

GROWTH_CHART = "growth-chart"
CONTINENT_CHART = "continent-chart"
COUNTRY_CHART = "country-chart"
SECTOR_CHART = "sector-chart"

TABLE = "table"
TABLE_SLOT = "table-slot"  # where the grid goes once the table is near the screen
TABLE_SCRIPT = "table-script"  # the URL of AG Grid's script, loaded only then
TABLE_WANTED = "table-wanted"
TABLE_UPDATE = "table-update"  # rows or a transaction for the grid, applied in the browser
TABLE_SEARCH = "table-search"
TABLE_SHOWN = "table-shown"  # the view whose rows the grid holds
CSV_BUTTON = "export-csv"
PNG_BUTTON = "export-png"
HTML_BUTTON = "export-html"
HTML_DOWNLOAD = "html-download"

LABEL = "label"  # pattern-matching type for every translated text: {"type": LABEL, "key": <i18n key>}


def label(key: str) -> dict[str, str]:
    return {"type": LABEL, "key": key}
