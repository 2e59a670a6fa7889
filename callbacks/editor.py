"""Wiring of the editing page. Every callback that reads or changes editing state asks the server-side
session who is signed in first (`signed_in`), whatever the page sent: a request without the session
changes nothing."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import flask
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from atlas import editors
from atlas.editing import article, rows, save
from atlas.editing.figure import review_map
from atlas.editing.items import FIELDS, clean_items
from atlas.errors import AtlasError, ValidationFailed
from atlas.i18n import html_lang, normalize_lang, t
from atlas.sheets import guess_mapping, read_sheet
from atlas.store import StaleData, StoreError
from layouts import editor as page
from layouts import ids

MAX_OPTIONS = 50


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    instance: Path
    secret: str


def signed_in(settings: Settings) -> str | None:
    """The editor the request's session signs in, checked against the editors file now."""
    return editors.session_editor(settings.instance, settings.secret, dict(flask.session))


def uploaded_bytes(contents: object) -> bytes:
    """The bytes of a dcc.Upload `contents` data URL."""
    if not isinstance(contents, str) or "," not in contents:
        raise AtlasError("the file could not be read: drop it again")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise AtlasError("the file could not be read: drop it again") from None


def field_values(states: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """{item key: {field: value}} from the pattern-matching states of the item fields."""
    found: dict[str, dict[str, str]] = {}
    for state in states:
        component = state.get("id") if isinstance(state, dict) else None
        if isinstance(component, dict) and isinstance(component.get("key"), str):
            value = state.get("value")
            found.setdefault(component["key"], {})[str(component.get("field"))] = (
                value if isinstance(value, str) else ""
            )
    return found


def with_fields(items: list[dict[str, Any]], values: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The items with what the editor typed into their fields."""
    for item in items:
        typed = values.get(str(item.get("key")), {})
        allowed = FIELDS[item["table"]]
        item["fields"] = {**item["fields"], **{k: v for k, v in typed.items() if k in allowed}}
    return items


def draft_items(draft: object) -> list[dict[str, Any]]:
    return clean_items(draft.get("items") if isinstance(draft, dict) else None)


def draft_notes(draft: object) -> list[str]:
    notes = draft.get("notes") if isinstance(draft, dict) else None
    return [str(note) for note in notes] if isinstance(notes, list) else []


def replaced(draft: object, kind: str, items: list[dict[str, Any]], notes: list[str]) -> dict[str, Any]:
    """The draft with the items of one origin kind (article, sheet) replaced by new ones."""
    kept = [item for item in draft_items(draft) if (item.get("origin") or {}).get("kind") != kind]
    return {"items": kept + items, "notes": notes}


def register(app: Dash, settings: Settings) -> None:
    def editor_or_refuse() -> str:
        editor = signed_in(settings)
        if editor is None:
            raise PreventUpdate
        return editor

    map_config = {"topojsonURL": app.get_asset_url("topojson/"), "displaylogo": False}

    def serve_layout() -> object:
        if not editors.editing_enabled(settings.instance):
            return page.editing_off_page()
        editor = signed_in(settings)
        return page.editor_page(editor, map_config) if editor else page.sign_in_page()

    app.layout = serve_layout
    app.validation_layout = page.validation_layout(map_config)

    @app.callback(
        Output(ids.SIGN_IN_MESSAGE, "children"),
        Output(ids.EDITOR_URL, "href"),
        Input(ids.EDITOR_SIGN_IN, "n_clicks"),
        Input(ids.EDITOR_PASSWORD, "n_submit"),
        State(ids.EDITOR_NAME, "value"),
        State(ids.EDITOR_PASSWORD, "value"),
        State(ids.EDITOR_LANG, "data"),
        State(ids.EDITOR_URL, "search"),
        prevent_initial_call=True,
    )
    def sign_in(_clicks, _submits, name, password, lang, search):
        lang = normalize_lang(lang)
        result = editors.sign_in(settings.instance, name, password, flask.request.remote_addr or "")
        if result.wait_seconds:
            return t("sign_in_wait", lang).format(seconds=result.wait_seconds), no_update
        if result.editor is None:
            return t("sign_in_failed", lang), no_update
        flask.session.clear()
        flask.session.update(editors.new_session(result.editor, settings.secret))
        # The page opens again signed in, on the row it was asked to open (?partnership=…).
        wanted = query_value(search, "partnership")
        return "", app.get_relative_path("/") + (f"?{urlencode({'partnership': wanted})}" if wanted else "")

    @app.callback(
        Output(ids.EDITOR_URL, "href", allow_duplicate=True), Input(ids.SIGN_OUT, "n_clicks"), prevent_initial_call=True
    )
    def sign_out(_clicks):
        flask.session.clear()
        return app.get_relative_path("/")

    @app.callback(
        Output(ids.EDITOR_LANG, "data"),
        Input(ids.EDITOR_LANG_TOGGLE, "n_clicks"),
        State(ids.EDITOR_LANG, "data"),
        prevent_initial_call=True,
    )
    def toggle_language(_clicks, lang):
        return "en" if normalize_lang(lang) == "zh" else "zh"

    @app.callback(
        Output({"type": ids.EDITOR_LABEL, "key": ALL}, "children"),
        Output(ids.EDITOR_LANG_TOGGLE, "children"),
        Output(ids.EDITOR_ROOT, "lang"),
        Input(ids.EDITOR_LANG, "data"),
    )
    def translate(lang):
        lang = normalize_lang(lang)
        keys = [output["id"]["key"] for output in ctx.outputs_list[0]]
        return [t(key, lang) for key in keys], t("language", lang), html_lang(lang)

    @app.callback(Output(ids.ROW_PICK, "placeholder"), Input(ids.EDITOR_LANG, "data"))
    def translate_placeholder(lang):
        return t("pick_row", normalize_lang(lang))

    # --- From an article -------------------------------------------------------------------------------

    @app.callback(
        Output(ids.INGEST_TEXT, "value"),
        Output(ids.INGEST_MESSAGE, "children", allow_duplicate=True),
        Input(ids.INGEST_FILE, "contents"),
        State(ids.INGEST_FILE, "filename"),
        prevent_initial_call=True,
    )
    def article_file(contents, filename):
        editor_or_refuse()
        try:
            return article.article_text(str(filename or "article.txt"), uploaded_bytes(contents)), ""
        except AtlasError as error:
            return no_update, page.message([str(error)], "error")

    @app.callback(
        Output(ids.DRAFT, "data", allow_duplicate=True),
        Output(ids.INGEST_MESSAGE, "children"),
        Input(ids.INGEST_PROPOSE, "n_clicks"),
        State(ids.INGEST_TEXT, "value"),
        State(ids.INGEST_FILE, "filename"),
        State(ids.DRAFT, "data"),
        prevent_initial_call=True,
    )
    def propose_from_article(_clicks, text, filename, draft):
        editor_or_refuse()
        try:
            found = article.read_proposals(
                text if isinstance(text, str) else "", settings.data_dir, str(filename or "pasted article")
            )
        except AtlasError as error:
            return no_update, page.message([str(error)], "error")
        counted = f"{found.title}: {len(found.items)} proposal(s)"
        return replaced(draft, "article", found.items, found.notes), page.message([counted, *found.notes])

    # --- From a spreadsheet ----------------------------------------------------------------------------

    app.clientside_callback(
        ClientsideFunction("editor", "gateUpload"),
        Output(ids.UPLOAD_GATED, "data"),
        Output(ids.SHEET_PROBLEMS, "children", allow_duplicate=True),
        Input(ids.UPLOAD_TABLE, "contents"),
        State(ids.UPLOAD_TABLE, "filename"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.SHEET, "data"),
        Output(ids.SHEET_MAPPING, "children"),
        Output(ids.SHEET_PROBLEMS, "children", allow_duplicate=True),
        Input(ids.UPLOAD_GATED, "data"),
        State(ids.EDITOR_LANG, "data"),
        prevent_initial_call=True,
    )
    def read_spreadsheet(upload, lang):
        editor_or_refuse()
        if not isinstance(upload, dict):
            raise PreventUpdate
        lang = normalize_lang(lang)
        try:
            found = read_sheet(str(upload.get("filename") or "sheet"), uploaded_bytes(upload.get("contents")))
        except AtlasError as error:
            return None, None, page.message([str(error)], "error")
        mapping = guess_mapping(found)
        stored = {
            "name": found.name,
            "header": list(found.header),
            "rows": [list(row) for row in found.rows],
            "first_row": found.first_row,
        }
        return stored, page.mapping_controls(list(found.header), mapping, lang), None

    @app.callback(
        Output(ids.DRAFT, "data", allow_duplicate=True),
        Output(ids.SHEET_PROBLEMS, "children"),
        Input({"type": ids.MAP_FIELD, "field": ALL}, "value"),
        State(ids.SHEET, "data"),
        State(ids.DRAFT, "data"),
        State(ids.EDITOR_LANG, "data"),
        prevent_initial_call=True,
    )
    def rows_from_spreadsheet(columns, stored, draft, lang):
        editor_or_refuse()
        if not isinstance(stored, dict) or not columns:
            raise PreventUpdate
        chosen = {state["id"]["field"]: value or None for state, value in zip(ctx.inputs_list[0], columns, strict=True)}
        try:
            found = rows.sheet_proposals(settings.data_dir, stored, chosen)
        except AtlasError as error:
            return no_update, page.message([str(error)], "error")
        return replaced(draft, "sheet", found.items, found.notes), page.problems_list(
            found.problems, normalize_lang(lang)
        )

    # --- Review ----------------------------------------------------------------------------------------

    @app.callback(
        Output(ids.INGEST_PROPOSALS, "children"),
        Output(ids.REVIEW_MAP, "figure"),
        Input(ids.DRAFT, "data"),
        Input(ids.EDITOR_LANG, "data"),
    )
    def show_review(draft, lang):
        editor_or_refuse()
        items = draft_items(draft)
        return page.proposal_cards(items, draft_notes(draft), normalize_lang(lang)), review_map(items)

    @app.callback(
        Output(ids.DRAFT, "data", allow_duplicate=True),
        Input({"type": ids.ITEM_ACCEPT, "key": ALL}, "n_clicks"),
        Input({"type": ids.ITEM_REJECT, "key": ALL}, "n_clicks"),
        State({"type": ids.ITEM_FIELD, "key": ALL, "field": ALL}, "value"),
        State(ids.DRAFT, "data"),
        prevent_initial_call=True,
    )
    def decide(_accepts, _rejects, _values, draft):
        editor_or_refuse()
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
            raise PreventUpdate  # the buttons of a list drawn anew, not a click
        items = with_fields(draft_items(draft), field_values(ctx.states_list[0]))
        for item in items:
            if item["key"] == trigger.get("key"):
                item["status"] = "accepted" if trigger.get("type") == ids.ITEM_ACCEPT else "rejected"
        return {"items": items, "notes": draft_notes(draft)}

    @app.callback(
        Output(ids.DRAFT, "data", allow_duplicate=True),
        Input(ids.ACCEPT_ALL, "n_clicks"),
        State({"type": ids.ITEM_FIELD, "key": ALL, "field": ALL}, "value"),
        State(ids.DRAFT, "data"),
        prevent_initial_call=True,
    )
    def accept_all(_clicks, _values, draft):
        editor_or_refuse()
        items = with_fields(draft_items(draft), field_values(ctx.states_list[0]))
        for item in items:
            if item.get("status") == "pending":
                item["status"] = "accepted"
        return {"items": items, "notes": draft_notes(draft)}

    @app.callback(
        Output(ids.SAVE_STATUS, "children"),
        Output(ids.DRAFT, "data", allow_duplicate=True),
        Output(ids.LOG_VERSION, "data"),
        Input(ids.SAVE_CHANGES, "n_clicks"),
        State({"type": ids.ITEM_FIELD, "key": ALL, "field": ALL}, "value"),
        State(ids.DRAFT, "data"),
        State(ids.LOG_VERSION, "data"),
        State(ids.EDITOR_LANG, "data"),
        prevent_initial_call=True,
    )
    def save_changes(_clicks, _values, draft, log_version, lang):
        lang = normalize_lang(lang)
        editor = signed_in(settings)
        if editor is None:
            return page.message([t("signed_out_not_saved", lang)], "error"), no_update, no_update
        items = with_fields(draft_items(draft), field_values(ctx.states_list[0]))
        try:
            saved = save.save_items(settings.data_dir, settings.instance, editor, items)
        except save.EditRefused as refused:
            return page.message([t("not_saved", lang), *refused.problems], "error"), no_update, no_update
        except ValidationFailed as failure:
            lines = [str(problem) for problem in failure.problems[:20]]
            return (
                page.message([t("not_saved_invalid", lang), *lines], "error"),
                no_update,
                no_update,
            )
        except (StaleData, StoreError) as error:
            return page.message([t("not_saved", lang), str(error)], "error"), no_update, no_update
        remaining = [item for item in items if item.get("status") != "accepted"]
        lines = [t("saved", lang).format(tables=", ".join(saved.commit.changed))]
        if saved.merged:
            lines.append(t("merged", lang).format(tables=", ".join(saved.merged)))
        return page.message(lines), {"items": remaining, "notes": []}, (log_version or 0) + 1

    @app.callback(
        Output(ids.SAVE_STATUS, "children", allow_duplicate=True),
        Output(ids.LOG_VERSION, "data", allow_duplicate=True),
        Input(ids.UNDO_LAST, "n_clicks"),
        State(ids.LOG_VERSION, "data"),
        State(ids.EDITOR_LANG, "data"),
        prevent_initial_call=True,
    )
    def undo(_clicks, log_version, lang):
        lang = normalize_lang(lang)
        editor = signed_in(settings)
        if editor is None:
            return page.message([t("signed_out_not_undone", lang)], "error"), no_update
        try:
            done = save.undo_last(settings.data_dir, settings.instance, editor)
        except (save.NothingToUndo, StaleData, StoreError, ValidationFailed) as error:
            return page.message([t("not_undone", lang), str(error)], "error"), no_update
        tables = ", ".join(done.commit.changed)
        return page.message([t("undone", lang).format(tables=tables)]), (log_version or 0) + 1

    @app.callback(Output(ids.CHANGE_LOG, "children"), Input(ids.LOG_VERSION, "data"), Input(ids.EDITOR_LANG, "data"))
    def show_log(_version, lang):
        editor_or_refuse()
        return page.change_log(save.log_lines(save.read_log(settings.data_dir)), normalize_lang(lang))

    # --- One row ---------------------------------------------------------------------------------------

    @app.callback(
        Output(ids.ROW_PICK, "options"),
        Output(ids.ROW_PICK, "value"),
        Input(ids.ROW_PICK, "search_value"),
        Input(ids.EDITOR_URL, "search"),
        State(ids.ROW_PICK, "value"),
    )
    def row_options(search, query, chosen):
        editor_or_refuse()
        wanted = (
            query_value(query, "partnership") if ctx.triggered_id == ids.EDITOR_URL or not ctx.triggered_id else None
        )
        picked = wanted or chosen
        return rows.partnership_options(
            settings.data_dir, search if isinstance(search, str) else "", picked, MAX_OPTIONS
        ), picked if wanted else no_update

    @app.callback(
        Output(ids.ROW_FORM, "children"),
        Input(ids.ROW_PICK, "value"),
        Input(ids.LOG_VERSION, "data"),
        State(ids.EDITOR_LANG, "data"),
    )
    def open_row(partnership_id, _version, lang):
        editor_or_refuse()
        found = (
            rows.partnership_with_events(settings.data_dir, partnership_id) if isinstance(partnership_id, str) else None
        )
        if found is None:
            return None
        return page.row_form(found[0], found[1], normalize_lang(lang))

    @app.callback(
        Output(ids.DRAFT, "data", allow_duplicate=True),
        Input(ids.ROW_STAGE, "n_clicks"),
        Input(ids.ROW_REMOVE, "n_clicks"),
        State(ids.ROW_PICK, "value"),
        State({"type": ids.ROW_FIELD, "row": ALL, "field": ALL}, "value"),
        State({"type": ids.ROW_EVENT_REMOVE, "row": ALL}, "value"),
        State(ids.DRAFT, "data"),
        prevent_initial_call=True,
    )
    def stage_row(stage, remove, partnership_id, _fields, _removals, draft):
        editor_or_refuse()
        if not (stage or remove) or not isinstance(partnership_id, str):
            raise PreventUpdate
        found = rows.partnership_with_events(settings.data_dir, partnership_id)
        if found is None:
            raise PreventUpdate
        typed: dict[str, dict[str, str]] = {}
        for state in ctx.states_list[1]:
            value = state.get("value")
            typed.setdefault(state["id"]["row"], {})[state["id"]["field"]] = value if isinstance(value, str) else ""
        removals = {state["id"]["row"] for state in ctx.states_list[2] if state.get("value")}
        try:
            staged = rows.row_items(found[0], found[1], typed, removals, ctx.triggered_id == ids.ROW_REMOVE)
        except AtlasError:
            raise PreventUpdate from None
        return {"items": draft_items(draft) + staged, "notes": draft_notes(draft)}


def query_value(query: object, name: str) -> str | None:
    values = parse_qs(query.lstrip("?")) if isinstance(query, str) else {}
    found = values.get(name, [None])[0]
    return found[:200] if isinstance(found, str) else None
