"""The editing page (/edit): sign-in, or the editor's workbench. Pure functions of what they are given.

Every string that comes from an article, a spreadsheet or the data is passed as a child or a value,
so React renders it as text, never as markup.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from atlas.editing.items import FIELDS
from atlas.i18n import html_lang, t
from atlas.sheets import FIELDS as SHEET_FIELDS
from layouts import ids
from layouts.ids import editor_label

LONG_FIELDS = {"summary", "summary_zh", "notes"}
MAX_CARDS = 200
ACTION_TITLES = {
    ("partnerships", "add"): "new_partnership",
    ("events", "add"): "new_exchange",
    ("partnerships", "change"): "change_partnership",
    ("events", "change"): "change_exchange",
    ("partnerships", "remove"): "remove_partnership",
    ("events", "remove"): "remove_exchange",
}


def text(key: str, tag: type = html.Span, lang: str = "en", **kwargs: object) -> html.Component:
    """A translated text of the page, rewritten by the language callback (each key used once)."""
    return tag(t(key, lang), id=editor_label(key), **kwargs)


def header(lang: str, editor: str | None) -> html.Header:
    actions: list[html.Component] = [
        html.Button(t("language", lang), id=ids.EDITOR_LANG_TOGGLE, className="action"),
        html.A(t("back_to_map", lang), href="/", className="action", id=editor_label("back_to_map")),
    ]
    if editor:
        actions = [
            html.Span([text("signed_in_as", lang=lang), " ", html.Strong(editor)], className="signed-in"),
            *actions,
            html.Button(text("sign_out", lang=lang), id=ids.SIGN_OUT, className="action"),
        ]
    return html.Header(
        className="topbar",
        children=[
            html.Div(className="brand", children=[text("edit_title", html.H1, lang)]),
            html.Div(className="actions", children=actions),
        ],
    )


def shell(lang: str, editor: str | None, body: list[html.Component]) -> html.Div:
    return html.Div(
        id=ids.EDITOR_ROOT,
        className="app editor",
        lang=html_lang(lang),
        children=[
            dcc.Location(id=ids.EDITOR_URL, refresh=True),
            dcc.Store(id=ids.EDITOR_LANG, data=lang, storage_type="local"),
            header(lang, editor),
            html.Main(className="editor-main", children=body),
        ],
    )


def editing_off_page(lang: str = "en") -> html.Div:
    return shell(
        lang,
        None,
        [
            html.Section(
                className="card editor-card",
                children=[text("edit_off", html.H2, lang), html.P(html.Code(t("edit_off_how", lang)))],
            )
        ],
    )


def sign_in_page(lang: str = "en") -> html.Div:
    return shell(
        lang,
        None,
        [
            html.Section(
                className="card editor-card sign-in",
                children=[
                    text("sign_in", html.H2, lang),
                    text("sign_in_hint", html.P, lang, className="hint"),
                    html.Label([text("editor_name", lang=lang), dcc.Input(id=ids.EDITOR_NAME, type="text")]),
                    html.Label(
                        [
                            text("editor_password", lang=lang),
                            dcc.Input(id=ids.EDITOR_PASSWORD, type="password", n_submit=0),
                        ]
                    ),
                    html.Button(text("sign_in_button", lang=lang), id=ids.EDITOR_SIGN_IN, className="action primary"),
                    html.P(id=ids.SIGN_IN_MESSAGE, className="message", role="alert"),
                ],
            )
        ],
    )


def editor_page(editor: str, map_config: dict, lang: str = "en") -> html.Div:
    return shell(
        lang,
        editor,
        [
            dcc.Store(id=ids.DRAFT, data={"items": []}),
            dcc.Store(id=ids.SHEET, data=None),
            dcc.Store(id=ids.UPLOAD_GATED, data=None),
            dcc.Store(id=ids.LOG_VERSION, data=0),
            html.Div(
                className="editor-columns",
                children=[
                    html.Div(
                        className="editor-inputs",
                        children=[
                            html.Section(
                                className="card",
                                children=[
                                    text("from_article", html.H2, lang),
                                    text("article_hint", html.P, lang, className="hint"),
                                    dcc.Textarea(id=ids.INGEST_TEXT, className="article-text", value=""),
                                    dcc.Upload(
                                        id=ids.INGEST_FILE,
                                        children=text("drop_article", lang=lang),
                                        className="drop",
                                        accept=".txt,.html,.htm",
                                    ),
                                    html.Button(
                                        text("propose", lang=lang), id=ids.INGEST_PROPOSE, className="action primary"
                                    ),
                                    html.Div(id=ids.INGEST_MESSAGE, className="message", role="status"),
                                ],
                            ),
                            html.Section(
                                className="card",
                                children=[
                                    text("from_sheet", html.H2, lang),
                                    text("sheet_hint", html.P, lang, className="hint"),
                                    dcc.Upload(
                                        id=ids.UPLOAD_TABLE,
                                        children=text("drop_sheet", lang=lang),
                                        className="drop",
                                        accept=".xlsx,.csv",
                                    ),
                                    html.Div(id=ids.SHEET_MAPPING, className="mapping"),
                                    html.Div(id=ids.SHEET_PROBLEMS, className="problems", role="status"),
                                ],
                            ),
                            html.Section(
                                className="card",
                                children=[
                                    text("edit_row", html.H2, lang),
                                    text("edit_row_hint", html.P, lang, className="hint"),
                                    dcc.Dropdown(id=ids.ROW_PICK, options=[], placeholder=t("pick_row", lang)),
                                    html.Div(id=ids.ROW_FORM, className="row-form"),
                                ],
                            ),
                        ],
                    ),
                    html.Div(
                        className="editor-review",
                        children=[
                            html.Section(
                                className="card",
                                children=[
                                    text("review", html.H2, lang),
                                    text("review_hint", html.P, lang, className="hint"),
                                    dcc.Graph(id=ids.REVIEW_MAP, className="review-map", config=map_config),
                                    html.Div(id=ids.INGEST_PROPOSALS, className="proposals"),
                                    html.Div(
                                        className="save-bar",
                                        children=[
                                            html.Button(
                                                text("accept_all", lang=lang), id=ids.ACCEPT_ALL, className="action"
                                            ),
                                            html.Button(
                                                text("save", lang=lang), id=ids.SAVE_CHANGES, className="action primary"
                                            ),
                                            html.Button(text("undo", lang=lang), id=ids.UNDO_LAST, className="action"),
                                        ],
                                    ),
                                    html.Div(id=ids.SAVE_STATUS, className="message", role="status"),
                                ],
                            ),
                            html.Section(
                                className="card",
                                children=[text("change_log", html.H2, lang), html.Div(id=ids.CHANGE_LOG)],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def validation_layout(map_config: dict) -> html.Div:
    """Every component any version of the page holds, so Dash can check the callbacks against them."""
    sample = {"id": "a-b", "home": "A", "partner": "B"}
    return html.Div([editor_page("editor", map_config), sign_in_page(), row_form(sample, [], "en")])


# --- Parts drawn by callbacks ------------------------------------------------------------------------


def message(lines: list[str], kind: str = "info") -> html.Component:
    if not lines:
        return html.Div()
    if len(lines) == 1:
        return html.P(lines[0], className=f"message-line {kind}")
    return html.Ul([html.Li(line) for line in lines], className=f"message-list {kind}")


def evidence_block(evidence: dict[str, Any] | None, lang: str) -> html.Component | None:
    if not isinstance(evidence, dict) or not isinstance(evidence.get("text"), str):
        return None
    quote, start, end = evidence["text"], evidence.get("start", 0), evidence.get("end", 0)
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(quote)):
        start, end = 0, len(quote)
    return html.Div(
        [
            html.Span(f"{t('evidence', lang)}: ", className="muted"),
            html.Blockquote([quote[:start], html.Mark(quote[start:end]), quote[end:]], className="evidence"),
        ]
    )


def where(located: dict[str, Any] | None, lang: str) -> html.Component | None:
    partner = (located or {}).get("partner") if isinstance(located, dict) else None
    if located is None or "partner" not in (located or {}):
        return None
    if not isinstance(partner, dict):
        return html.P(f"{t('located_at', lang)}: {t('not_located', lang)}", className="where warning")
    return html.P(
        f"{t('located_at', lang)}: {partner['lat']:.2f}, {partner['lon']:.2f} ({partner['source']})",
        className="where",
    )


def field_input(key: str, field: str, value: str, lang: str) -> html.Label:
    component_id = {"type": ids.ITEM_FIELD, "key": key, "field": field}
    control = (
        dcc.Textarea(id=component_id, value=value, className="field-long")
        if field in LONG_FIELDS
        else dcc.Input(id=component_id, value=value, type="text", debounce=False)
    )
    return html.Label([html.Span(t(f"field_{field}", lang), className="field-name"), control], className="field")


def proposal_card(number: int, item: dict[str, Any], lang: str) -> html.Div:
    key, status = str(item["key"]), item.get("status", "pending")
    fields = item.get("fields") or {}
    editable = item["action"] != "remove"
    shown = [field for field in FIELDS[item["table"]] if field in fields or item["action"] == "add"]
    children: list[html.Component | None] = [
        html.Div(
            [
                html.Span(f"{number}. ", className="number"),
                html.Strong(t(ACTION_TITLES[(item["table"], item["action"])], lang)),
                html.Span(f" · {(item.get('origin') or {}).get('label', '')}", className="muted origin"),
                html.Span(t(status, lang), className=f"status {status}"),
            ],
            className="proposal-head",
        ),
        evidence_block(item.get("evidence"), lang),
        where(item.get("located"), lang),
        html.P(f"{item['reason']} · {t('field_confidence', lang)}: {item.get('confidence', '')}", className="muted")
        if item.get("reason")
        else None,
    ]
    warnings = [str(warning) for warning in item.get("warnings") or []]
    if warnings:
        children.append(html.Ul([html.Li(warning) for warning in warnings], className="warnings"))
    if editable:
        children.append(
            html.Div([field_input(key, field, str(fields.get(field, "")), lang) for field in shown], className="fields")
        )
    else:
        summary = " · ".join(str(v) for v in (item.get("original") or {}).values() if v)
        children.append(html.P(summary, className="removed-row"))
    children.append(
        html.Div(
            [
                html.Button(t("accept", lang), id={"type": ids.ITEM_ACCEPT, "key": key}, className="accept action"),
                html.Button(t("reject", lang), id={"type": ids.ITEM_REJECT, "key": key}, className="reject action"),
            ],
            className="proposal-buttons",
        )
    )
    return html.Div(
        [child for child in children if child is not None], className=f"proposal {status}", **{"data-key": key}
    )


def proposal_cards(items: list[dict[str, Any]], notes: list[str], lang: str) -> list[html.Component]:
    """The first MAX_CARDS items as cards (a page of thousands of forms would not draw); Accept all takes every one."""
    shown = items[:MAX_CARDS]
    cards: list[html.Component] = [proposal_card(number, item, lang) for number, item in enumerate(shown, start=1)]
    if len(items) > len(shown):
        cards.append(html.P(t("more_items", lang).format(count=len(items) - len(shown)), className="muted"))
    if not cards:
        cards.append(html.P(t("no_proposals", lang), className="muted"))
    if notes:
        cards.append(html.Ul([html.Li(note) for note in notes], className="notes-list"))
    return cards


def mapping_controls(header: list[str], mapping: dict[str, str | None], lang: str) -> html.Div:
    options = [{"label": t("not_mapped", lang), "value": ""}] + [{"label": name, "value": name} for name in header]
    return html.Div(
        [
            text("mapping", html.H3, lang),
            html.Div(
                [
                    html.Label(
                        [
                            text(f"field_{field}", lang=lang, className="field-name"),
                            dcc.Dropdown(
                                id={"type": ids.MAP_FIELD, "field": field},
                                options=options,
                                value=mapping.get(field) or "",
                                clearable=False,
                            ),
                        ],
                        className="field",
                    )
                    for field in SHEET_FIELDS
                ],
                className="fields",
            ),
        ]
    )


def problems_list(problems: list[str], lang: str) -> html.Component:
    if not problems:
        return html.Div()
    return html.Div([text("problems", html.H3, lang), html.Ul([html.Li(problem) for problem in problems])])


def change_log(lines: list[dict[str, str]], lang: str) -> html.Component:
    if not lines:
        return html.P(t("no_changes", lang), className="muted")
    return html.Ol(
        [
            html.Li(
                [
                    html.Span(line["at"].replace("T", " ").replace("+00:00", " UTC"), className="when"),
                    " ",
                    html.Strong(line["editor"], className="log-editor"),
                    f" · {line['action']}" + (" (undone)" if line["undone"] else ""),
                    html.Div(line["what"], className="log-what"),
                    html.Div(line["sources"], className="muted log-sources"),
                ],
                className="log-entry" + (" undone" if line["undone"] else ""),
            )
            for line in lines
        ],
        className="log",
    )


def row_form(partnership: dict[str, str], events: list[dict[str, str]], lang: str) -> html.Div:
    def inputs(row_key: str, table: str, values: dict[str, str]) -> html.Div:
        return html.Div(
            [
                html.Label(
                    [
                        html.Span(t(f"field_{field}", lang), className="field-name"),
                        (dcc.Textarea if field in LONG_FIELDS else dcc.Input)(
                            id={"type": ids.ROW_FIELD, "row": row_key, "field": field},
                            value=values.get(field, ""),
                            **({} if field in LONG_FIELDS else {"type": "text"}),
                        ),
                    ],
                    className="field",
                )
                for field in FIELDS[table]
                if field in values and field != "partnership_id"
            ],
            className="fields",
        )

    children: list[html.Component] = [html.H3(f"{partnership['home']} – {partnership['partner']}")]
    children.append(inputs("partnership", "partnerships", partnership))
    for number, event in enumerate(events):
        children.append(
            html.Details(
                [
                    html.Summary(
                        f"{event.get('date') or '—'} · {event.get('kind', '')} · {event.get('summary', '')[:80]}"
                    ),
                    inputs(f"event-{number}", "events", event),
                    dcc.Checklist(
                        id={"type": ids.ROW_EVENT_REMOVE, "row": f"event-{number}"},
                        options=[{"label": t("remove_exchange_button", lang), "value": "remove"}],
                        value=[],
                    ),
                ],
                className="row-event",
            )
        )
    children.append(
        html.Div(
            [
                html.Button(t("stage_row", lang), id=ids.ROW_STAGE, className="action primary"),
                html.Button(t("remove_row", lang), id=ids.ROW_REMOVE, className="action danger"),
            ],
            className="proposal-buttons",
        )
    )
    return html.Div(children)
