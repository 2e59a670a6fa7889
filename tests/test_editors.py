"""Who may edit: editors kept in the instance folder with slow salted hashes, sign-ins slowed after
failures, sessions checked on the server, and editing requests without a session changing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from callback_requests import output_specs
from datadir import copy_data, file_hashes

from atlas import editors

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
EDIT_UPDATE = "/edit/_dash-update-component"


def editor_command(instance: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "atlas", "editor", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "ATLAS_INSTANCE_DIR": str(instance)},
        input=password,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_editor_add_list_remove_from_the_command_line(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    added = editor_command(instance, "add", "Li Wei", "--password-stdin", password=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    stored = (instance / editors.EDITORS_FILE).read_text()
    assert PASSWORD not in stored and "$argon2id$" in stored
    assert oct((instance / editors.EDITORS_FILE).stat().st_mode & 0o777) == "0o600"
    assert editor_command(instance, "list").stdout.startswith("Li Wei\t")
    assert editor_command(instance, "remove", "Li Wei").returncode == 0
    assert editor_command(instance, "list").stdout == ""
    assert editors.read_editors(instance) == {}


@pytest.mark.parametrize(
    ("name", "password", "message"), [("Li Wei", "short", "too short"), ("<b>x</b>", PASSWORD, "not an editor name")]
)
def test_a_bad_name_or_password_is_refused_with_a_message(
    tmp_path: Path, name: str, password: str, message: str
) -> None:
    result = editor_command(tmp_path / "instance", "add", name, "--password-stdin", password=password)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_the_right_password_signs_in_and_a_wrong_one_does_not(tmp_path: Path) -> None:
    editors.add_editor(tmp_path, "Li Wei", PASSWORD)
    assert editors.sign_in(tmp_path, "Li Wei", PASSWORD, "10.0.0.1").editor.name == "Li Wei"
    assert editors.sign_in(tmp_path, "Li Wei", PASSWORD + "x", "10.0.0.1").editor is None
    assert editors.sign_in(tmp_path, "Nobody", PASSWORD, "10.0.0.1").editor is None
    assert editors.sign_in(tmp_path, None, ["not", "text"], "10.0.0.1").editor is None


def test_failed_sign_ins_slow_down_the_name_and_the_address(tmp_path: Path) -> None:
    editors.add_editor(tmp_path, "Li Wei", PASSWORD)
    for _ in range(editors.FREE_FAILURES):
        assert editors.sign_in(tmp_path, "Li Wei", "wrong password", "10.0.0.1").wait_seconds == 0
    refused = editors.sign_in(tmp_path, "Li Wei", PASSWORD, "10.0.0.2")  # the right password, another address
    assert refused.editor is None and refused.wait_seconds > 0
    from_there = editors.sign_in(tmp_path, "Wang Fang", "anything at all", "10.0.0.1")  # another name, same address
    assert from_there.editor is None and from_there.wait_seconds > 0


def test_a_session_ends_when_the_editor_is_removed_or_gets_a_new_password(tmp_path: Path) -> None:
    editor = editors.add_editor(tmp_path, "Li Wei", PASSWORD)
    key = editors.secret_key(tmp_path)
    session = editors.new_session(editor, key)
    assert editors.session_editor(tmp_path, key, session) == "Li Wei"
    assert editors.session_editor(tmp_path, "another key", session) is None
    assert editors.session_editor(tmp_path, key, {**session, "editor": "Wang Fang"}) is None
    editors.add_editor(tmp_path, "Li Wei", PASSWORD + " new")
    assert editors.session_editor(tmp_path, key, session) is None
    editors.remove_editor(tmp_path, "Li Wei")
    assert editors.session_editor(tmp_path, key, session) is None


def test_the_secret_key_is_generated_once_into_the_instance_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("ATLAS_SECRET_KEY", raising=False)
    first = editors.secret_key(tmp_path)
    assert len(first) == 64 and editors.secret_key(tmp_path) == first
    assert oct((tmp_path / editors.SECRET_FILE).stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("ATLAS_SECRET_KEY", "given")
    assert editors.secret_key(tmp_path) == "given"


def test_an_instance_folder_inside_the_data_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(editors.EditorError, match="inside the data directory"):
        editors.check_outside_data(tmp_path / "data" / "instance", tmp_path / "data")


# --- Through the server -----------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path, monkeypatch) -> tuple[Any, Path]:
    data_dir = copy_data(tmp_path)
    instance = tmp_path / "instance"
    editors.add_editor(instance, "Li Wei", PASSWORD)
    monkeypatch.setenv("ATLAS_INSTANCE_DIR", str(instance))
    from app import create_app

    return create_app(data_dir=data_dir), data_dir


def dependency(client: Any, output_part: str) -> dict:
    found = [dep for dep in client.get("/edit/_dash-dependencies").get_json() if output_part in dep["output"]]
    return found[0]


def request_body(dep: dict, inputs: list[Any], states: list[Any]) -> dict:
    def items(specs: list[dict], values: list[Any]) -> list[Any]:
        return [
            value
            if isinstance(spec["id"], str) and spec["id"].startswith("{")
            else {"id": spec["id"], "property": spec["property"], "value": value}
            for spec, value in zip(specs, values, strict=True)
        ]

    return {
        "output": dep["output"],
        "outputs": output_specs(dep["output"]),
        "inputs": items(dep["inputs"], inputs),
        "state": items(dep["state"], states),
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


def sign_in(client: Any, password: str) -> Any:
    dep = dependency(client, "sign-in-message.children")
    body = request_body(dep, [1, 0], ["Li Wei", password, "en", ""])
    return client.post(EDIT_UPDATE, json=body)


def save_request(client: Any) -> dict:
    item = {
        "key": "x",
        "table": "partnerships",
        "action": "add",
        "status": "accepted",
        "fields": {"home": "Changsha", "partner": "Ulm", "country": "DE", "established": "2019", "source_title": "t"},
        "original": None,
        "origin": {"kind": "sheet", "label": "replayed"},
    }
    dep = dependency(client, "save-status.children")
    return request_body(dep, [1], [[], {"items": [item]}, 0, "en"])


def test_the_session_cookie_is_signed_http_only_and_same_site_strict(served) -> None:
    app, _ = served
    client = app.server.test_client()
    assert "Wrong name or password" in sign_in(client, "wrong password").get_data(as_text=True)
    response = sign_in(client, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("atlas_editor=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/edit/" in cookie


def test_signed_out_the_editing_page_holds_only_the_sign_in(served) -> None:
    app, _ = served
    layout = json.dumps(app.server.test_client().get("/edit/_dash-layout").get_json())
    assert "editor-sign-in" in layout and "ingest-text" not in layout and "save-changes" not in layout


def test_a_save_replayed_without_the_session_changes_nothing(served) -> None:
    app, data_dir = served
    before = file_hashes(data_dir)
    stranger = app.server.test_client()
    replay = stranger.post(EDIT_UPDATE, json=save_request(stranger))
    assert replay.status_code == 200 and "signed out" in replay.get_data(as_text=True)
    forged = app.server.test_client()
    forged.set_cookie("atlas_editor", "eyJlZGl0b3IiOiJMaSBXZWkifQ.forged.signature", path="/edit/")
    forged.post(EDIT_UPDATE, json=save_request(forged))
    assert file_hashes(data_dir) == before
    # The same request with a signed-in session saves: the replay was refused for want of the session only.
    editor = app.server.test_client()
    sign_in(editor, PASSWORD)
    assert "Saved" in editor.post(EDIT_UPDATE, json=save_request(editor)).get_data(as_text=True)
    assert file_hashes(data_dir) != before


def test_the_public_callback_endpoint_has_no_editing_callback(served) -> None:
    app, data_dir = served
    client = app.server.test_client()
    before = file_hashes(data_dir)
    body = save_request(client)
    assert client.post("/_dash-update-component", json=body).status_code == 400
    assert file_hashes(data_dir) == before
    outputs = " ".join(dep["output"] for dep in client.get("/_dash-dependencies").get_json())
    assert "save-status" not in outputs and "draft" not in outputs


def test_with_no_editor_editing_is_off_and_the_page_says_how_to_turn_it_on(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_INSTANCE_DIR", str(tmp_path / "empty instance"))
    from app import create_app

    client = create_app(data_dir=copy_data(tmp_path)).server.test_client()
    layout = json.dumps(client.get("/edit/_dash-layout").get_json(), ensure_ascii=False)
    assert "python -m atlas editor add NAME --password-stdin" in layout
    assert "editor-sign-in" not in layout and "ingest-text" not in layout
