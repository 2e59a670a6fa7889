"""English or Chinese: every label, button, placeholder and option follows the language."""

from __future__ import annotations

from collections.abc import Callable

from dash import ALL, Dash, Input, Output, State, callback_context

from atlas.i18n import html_lang, normalize_lang, t
from atlas.load import Atlas
from atlas.views import hub_options
from layouts import ids
from layouts.page import unconfirmed_options

MAX_SEARCH = 100
BUTTONS = (
    (ids.LANG_TOGGLE, "language"),
    (ids.CONTRAST_TOGGLE, "contrast"),
    (ids.PRESENT_TOGGLE, "present"),
    (ids.PNG_BUTTON, "export_png"),
    (ids.HTML_BUTTON, "export_html"),
    (ids.PRINT_BUTTON, "print"),
    (ids.CSV_BUTTON, "export_csv"),
)


def register(app: Dash, current_atlas: Callable[[], Atlas]) -> None:
    @app.callback(
        Output({"type": ids.LABEL, "key": ALL}, "children"),
        *[Output(button, "children") for button, _ in BUTTONS],
        Output(ids.PARTNER_SEARCH, "placeholder"),
        Output(ids.TABLE_SEARCH, "placeholder"),
        Output(ids.SECTOR_FILTER, "options"),
        Output(ids.UNCONFIRMED_TOGGLE, "options"),
        Output(ids.PRESENT_EXIT, "title"),
        Output(ids.ROOT, "lang"),
        Input(ids.LANG_STORE, "data"),
    )
    def translate(lang):
        atlas = current_atlas()
        lang = normalize_lang(lang)
        keys = [output["id"]["key"] for output in callback_context.outputs_list[0]]
        column = "label_zh" if lang == "zh" else "label_en"
        sectors = [{"label": row[column], "value": row["sector"]} for _, row in atlas.sectors.iterrows()]
        return (
            [t(key, lang) for key in keys],
            *[t(key, lang) for _, key in BUTTONS],
            t("search_partner", lang),
            t("table_search", lang),
            sectors,
            unconfirmed_options(lang),
            t("leave_present", lang),
            html_lang(lang),
        )

    @app.callback(
        Output(ids.HOME_SELECT, "options"),
        Input(ids.HOME_SELECT, "search_value"),
        Input(ids.LANG_STORE, "data"),
        State(ids.HOME_SELECT, "value"),
    )
    def list_hubs(search, lang, selected):
        atlas = current_atlas()
        typed = search[:MAX_SEARCH] if isinstance(search, str) else None
        return hub_options(atlas, normalize_lang(lang), typed, selected if atlas.hub(str(selected)) else None)
