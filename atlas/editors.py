"""Who may edit: editors and their password hashes, the session secret, and slowed-down sign-ins.

All of it lives in the instance folder (`ATLAS_INSTANCE_DIR`, default `instance/` beside app.py),
never in the data directory and never committed. `python -m atlas editor add NAME --password-stdin`
adds an editor; with none, editing is off.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from atlas.errors import AtlasError
from atlas.paths import PROJECT_ROOT
from atlas.tables import atomic_write_text

DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"
EDITORS_FILE = "editors.json"
SECRET_FILE = "secret_key"  # noqa: S105 (a file name)
THROTTLE_FILE = "sign-in-failures.sqlite"
NAME = re.compile(r"[^\W_][\w .'-]{0,39}")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
# Failed sign-ins: the first few are free, then each name and each address waits twice as long
# after every failure, up to a quarter of an hour; an hour without failures forgets them.
FREE_FAILURES = 3
MAX_WAIT_SECONDS = 900
FORGET_AFTER_SECONDS = 3600
SESSION_HOURS = 12

HASHER = PasswordHasher()  # argon2id, salted, with the library's current memory and time costs


class EditorError(AtlasError):
    """An editor cannot be added, removed or signed in as asked."""


def instance_dir() -> Path:
    return Path(os.environ.get("ATLAS_INSTANCE_DIR") or DEFAULT_INSTANCE_DIR)


def private_dir(directory: Path) -> Path:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def check_outside_data(directory: Path, data_dir: Path) -> None:
    """The instance folder holds secrets: it must not sit inside the data directory, which is committed."""
    instance, data = directory.resolve(), data_dir.resolve()
    if instance == data or data in instance.parents:
        raise EditorError(f"{directory}: the instance folder is inside the data directory {data_dir}; move it out")


# --- Editors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Editor:
    name: str
    password_hash: str
    added: str


def read_editors(directory: Path) -> dict[str, Editor]:
    path = directory / EDITORS_FILE
    if not path.exists():
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {name: Editor(name, entry["hash"], entry.get("added", "")) for name, entry in stored["editors"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise EditorError(f"{path}: is not an editors file; move it away and add the editors again") from None


def write_editors(directory: Path, editors: dict[str, Editor]) -> None:
    stored = {"editors": {e.name: {"hash": e.password_hash, "added": e.added} for e in editors.values()}}
    path = private_dir(directory) / EDITORS_FILE
    atomic_write_text(path, json.dumps(stored, ensure_ascii=False, indent=2) + "\n")
    os.chmod(path, 0o600)


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.fullmatch(name):
        raise EditorError(
            f"{name!r} is not an editor name: 1 to 40 letters, digits, spaces, dots, hyphens or apostrophes"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise EditorError(f"the password is too short: give at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise EditorError(f"the password is too long: give at most {MAX_PASSWORD_LENGTH} characters")
    return password


def add_editor(directory: Path, name: str, password: str) -> Editor:
    """Add an editor, or give an existing one a new password (which signs out their sessions)."""
    name, password = check_name(name), check_password(password)
    editors = read_editors(directory)
    editor = Editor(name, HASHER.hash(password), datetime.now(UTC).isoformat(timespec="seconds"))
    editors[name] = editor
    write_editors(directory, editors)
    return editor


def remove_editor(directory: Path, name: str) -> None:
    editors = read_editors(directory)
    if name not in editors:
        raise EditorError(f"no editor named {name!r} in {directory / EDITORS_FILE}")
    del editors[name]
    write_editors(directory, editors)


def editing_enabled(directory: Path) -> bool:
    return bool(read_editors(directory))


# --- The session secret ---------------------------------------------------------------------------


def secret_key(directory: Path) -> str:
    """`ATLAS_SECRET_KEY`, or the key generated once into the instance folder (every worker reads the same)."""
    given = os.environ.get("ATLAS_SECRET_KEY")
    if given:
        return given
    path = private_dir(directory) / SECRET_FILE
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(secrets.token_hex(32))
            stream.flush()
            os.fsync(stream.fileno())
    for _ in range(50):  # another worker may have created it a moment ago and still be writing
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.02)
    raise EditorError(f"{path}: the session secret is empty; remove the file and start again")


def session_token(editor: Editor, key: str) -> str:
    """Ties a session to the editor's current password: a new password or a removal ends old sessions."""
    return hmac.new(key.encode(), editor.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def session_editor(directory: Path, key: str, session: dict) -> str | None:
    """The name of the editor `session` signs in, if it still holds; else None."""
    name, token, since = session.get("editor"), session.get("token"), session.get("since")
    if not (isinstance(name, str) and isinstance(token, str) and isinstance(since, int | float)):
        return None
    if time.time() - since > SESSION_HOURS * 3600:
        return None
    editor = read_editors(directory).get(name)
    if editor is None or not hmac.compare_digest(token, session_token(editor, key)):
        return None
    return name


def new_session(editor: Editor, key: str) -> dict[str, object]:
    return {"editor": editor.name, "token": session_token(editor, key), "since": int(time.time())}


# --- Signing in, slowed down after failures -------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    editor: Editor | None
    wait_seconds: int = 0  # > 0: refused without trying, too many recent failures


def throttle_db(directory: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(private_dir(directory) / THROTTLE_FILE, timeout=10, isolation_level=None)
    connection.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER, last REAL)")
    return connection


def wait_after(count: int) -> float:
    return 0.0 if count < FREE_FAILURES else min(2.0 ** (count - FREE_FAILURES + 1), MAX_WAIT_SECONDS)


def throttle_keys(name: str, address: str) -> list[str]:
    return [f"name:{name.strip().casefold()}", f"address:{address}"]


def seconds_to_wait(connection: sqlite3.Connection, keys: list[str], now: float) -> int:
    waits = [0.0]
    for key in keys:
        found = connection.execute("SELECT count, last FROM failures WHERE key = ?", (key,)).fetchone()
        if found and now - found[1] < FORGET_AFTER_SECONDS:
            waits.append(found[1] + wait_after(found[0]) - now)
    return max(0, int(max(waits) + 0.999))


def record_failure(connection: sqlite3.Connection, keys: list[str], now: float) -> None:
    for key in keys:
        found = connection.execute("SELECT count, last FROM failures WHERE key = ?", (key,)).fetchone()
        count = found[0] + 1 if found and now - found[1] < FORGET_AFTER_SECONDS else 1
        connection.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?)", (key, count, now))


def sign_in(directory: Path, name: object, password: object, address: str) -> SignIn:
    """Check a name and password; after a few failures for the name or the address, each try waits longer."""
    name = name if isinstance(name, str) else ""
    password = password if isinstance(password, str) else ""
    keys = throttle_keys(name, address)
    with contextlib.closing(throttle_db(directory)) as connection:
        wait = seconds_to_wait(connection, keys, time.time())
        if wait:
            return SignIn(None, wait)
        editor = read_editors(directory).get(name.strip())
        try:
            # An unknown name costs a hash too, so the time taken does not tell which names exist.
            HASHER.verify(editor.password_hash if editor else dummy_hash(), password[:MAX_PASSWORD_LENGTH])
            verified = editor is not None
        except (VerificationError, InvalidHashError):
            verified = False
        if not verified:
            record_failure(connection, keys, time.time())
            return SignIn(None)
        connection.execute("DELETE FROM failures WHERE key IN (?, ?)", keys)
    return SignIn(editor)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    return HASHER.hash(secrets.token_hex(16))


# --- Command line -----------------------------------------------------------------------------------


def read_new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise EditorError("give the password on standard input with --password-stdin")
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != first:
        raise EditorError("the two passwords differ; nothing was changed")
    return first


def run_editor(args: argparse.Namespace) -> int:
    directory = args.instance or instance_dir()
    if args.action == "add":
        editor = add_editor(directory, args.name, read_new_password(args))
        print(f"editor {editor.name!r} can sign in at /edit (kept in {directory / EDITORS_FILE})")
    elif args.action == "remove":
        remove_editor(directory, args.name)
        print(f"editor {args.name!r} removed; their sessions have ended")
    else:
        editors = read_editors(directory)
        for editor in editors.values():
            print(f"{editor.name}\tadded {editor.added}")
        if not editors:
            print(f"no editors in {directory}: editing is off", file=sys.stderr)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("editor", help="add, remove or list the people who may edit at /edit")
    parser.add_argument(
        "--instance", type=Path, metavar="DIR", help="instance folder (default: $ATLAS_INSTANCE_DIR or instance/)"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add an editor, or set a new password for one")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    remove = actions.add_parser("remove", help="remove an editor")
    remove.add_argument("name", metavar="NAME")
    actions.add_parser("list", help="list the editors")
    parser.set_defaults(run=run_editor)
