"""Component ids, shared by layouts, callbacks and browser tests so that they cannot drift apart.

The ids spelled out by the issues (home-select, year-slider, play, sector-filter, summary, details)
are a contract: keep them.
"""

URL = "url"
ROOT = "app-root"
NOTICE = "notice"

HOME_SELECT = "home-select"
PARTNER_SEARCH = "partner-search"
COMPARE_SELECT = "compare-select"  # a second hub drawn beside the first (`compare=` in the URL)
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
MAP_PANEL = "map-panel"
# The second hub of `compare=`, beside the first: its map, summary, name and statistics.
MAP_COMPARE = "map-compare"
MAP_SOURCE_COMPARE = "map-source-compare"
MAP_SOURCE_COMPARE_KEPT = "map-source-compare-kept"
SUMMARY_COMPARE = "summary-compare"
MAP_COMPARE_COLUMN = "map-compare-column"
STATS_COMPARE_COLUMN = "stats-compare-column"
MAP_NAME = "map-name"
MAP_COMPARE_NAME = "map-compare-name"
STATS = "stats"
STATS_NAME = "stats-name"
STATS_COMPARE_NAME = "stats-compare-name"
GROWTH_CHART_COMPARE = "growth-chart-compare"
CONTINENT_CHART_COMPARE = "continent-chart-compare"
COUNTRY_CHART_COMPARE = "country-chart-compare"
SECTOR_CHART_COMPARE = "sector-chart-compare"
YEAR_SLIDER = "year-slider"
YEAR_SLIDER_NAME = "year-slider-name"  # the slider thumb's accessible name
YEAR_LABEL = "year-label"
PLAY = "play"
PLAY_TIMER = "play-timer"
PLAY_SPEED = "play-speed"
PLAY_SPEED_NAME = "play-speed-name"  # names the group of speed choices
TIMELINE_NOTE = "timeline-note"
PRESENT_YEAR = "present-year"
MILESTONE_CAPTION = "milestone-caption"

SECTOR_FILTER = "sector-filter"
SECTORS_HEADING = "sectors-heading"  # names the group of sector checkboxes
ACTIVITY_FILTER = "activity-filter"  # all, or only the active, quiet or dormant ties (`activity=`)
ACTIVITY_RULE = "activity-rule"  # the thresholds, in words
ACTIVITY_HEADING = "activity-heading"  # names the group of activity choices
SECTOR_NOTE = "sector-note"
UNCONFIRMED_TOGGLE = "unconfirmed-toggle"  # shows or hides the ties no source confirms
DETAILS = "details"
ACTIVITY = "activity"  # in the story: the tie's status at the year shown, its last exchange and that year
GONE_QUIET = "gone-quiet"  # the ties gone quiet, longest silent first
QUIET_LIST = "quiet-list"  # the ties of that list as data; the browser draws them (atlas.js `drawQuiet`)
QUIET_OPEN = "quiet-open"  # the tie whose entry was pressed: {"id": <partnership>, "at": <time>}

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
VIDEO_BUTTON = "export-video"
VIDEO_PROGRESS = "video-progress"
VIDEO_FRAMES = "video-frames"  # the maps of every year, for the browser to record

LABEL = "label"  # pattern-matching type for every translated text: {"type": LABEL, "key": <i18n key>}


def label(key: str) -> dict[str, str]:
    return {"type": LABEL, "key": key}


# The editing page (/edit). The ids the issue spells out (editor-name, editor-password, editor-sign-in,
# ingest-text, ingest-propose, ingest-proposals, upload-table, save-changes, undo-last, change-log) are a contract.
EDITOR_URL = "editor-url"
EDITOR_ROOT = "editor-root"
EDITOR_LANG = "editor-lang"
EDITOR_LANG_TOGGLE = "editor-lang-toggle"
EDITOR_NAME = "editor-name"
EDITOR_PASSWORD = "editor-password"  # noqa: S105 (an element id)
EDITOR_SIGN_IN = "editor-sign-in"
SIGN_IN_MESSAGE = "sign-in-message"
SIGN_OUT = "sign-out"
INGEST_TEXT = "ingest-text"
INGEST_FILE = "ingest-file"
INGEST_PROPOSE = "ingest-propose"
INGEST_MESSAGE = "ingest-message"
INGEST_PROPOSALS = "ingest-proposals"
UPLOAD_TABLE = "upload-table"
UPLOAD_GATED = "upload-gated"  # the dropped file, once the browser has checked its size
SHEET = "sheet"
SHEET_MAPPING = "sheet-mapping"
SHEET_PROBLEMS = "sheet-problems"
REVIEW_MAP = "review-map"
DRAFT = "draft"
ACCEPT_ALL = "accept-all"
SAVE_CHANGES = "save-changes"
SAVE_STATUS = "save-status"
UNDO_LAST = "undo-last"
CHANGE_LOG = "change-log"
LOG_VERSION = "log-version"
ROW_PICK = "row-pick"
ROW_FORM = "row-form"
ROW_STAGE = "row-stage"
ROW_REMOVE = "row-remove"
# Pattern-matching types: one per item under review, field and button.
ITEM_FIELD = "item-field"  # {"type", "key", "field"}
ITEM_ACCEPT = "item-accept"  # {"type", "key"}, class "accept"
ITEM_REJECT = "item-reject"
MAP_FIELD = "map-field"  # {"type", "field"}: the spreadsheet column chosen for a field
ROW_FIELD = "row-field"  # {"type", "row", "field"}: row "partnership" or "event-N"
ROW_EVENT_REMOVE = "row-event-remove"  # {"type", "row"}
EDITOR_LABEL = "editor-label"  # {"type", "key"}: a translated text of the editing page


def editor_label(key: str) -> dict[str, str]:
    return {"type": EDITOR_LABEL, "key": key}
