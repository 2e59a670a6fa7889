"""Saving from the editing page: accepted items become rows through the store, every save is logged,
undo puts the tables back byte for byte, two saves at once lose nothing, and a killed save leaves the
old tables or the new ones."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from datadir import cell, copy_data, file_hashes, read_rows, set_cell

from atlas.editing.article import article_text, read_proposals
from atlas.editing.items import new_item
from atlas.editing.rows import partnership_with_events, row_items, sheet_proposals
from atlas.editing.save import EditRefused, NothingToUndo, read_log, save_items, undo_last
from atlas.store import CHANGES_LOG, DataStore
from atlas.validate import has_errors, validate_directory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """Changsha and Ulm sign sister city agreement

On 12 June 2019, Changsha established sister city relations with Ulm, Germany. The mayors signed the agreement.

In October 2019, a delegation of Ulm teachers visited Changsha to discuss school exchanges.
"""


def partnership(partner: str, country: str, established: str = "2020", home: str = "Changsha") -> dict:
    fields = {"home": home, "partner": partner, "country": country, "established": established, "source_title": "t"}
    return new_item(
        f"k-{partner}",
        "partnerships",
        "add",
        fields,
        {"kind": "sheet", "label": f"list row {partner}"},
        status="accepted",
    )


def ids(data_dir: Path) -> list[str]:
    return [row[0] for row in read_rows(data_dir / "partnerships.csv")[1:]]


def tables(data_dir: Path) -> dict[str, str]:
    return {name: digest for name, digest in file_hashes(data_dir).items() if name.endswith(".csv")}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return tmp_path / "instance"


def test_an_article_about_a_new_partnership_proposes_it_with_its_date_and_evidence(data_dir: Path) -> None:
    found = read_proposals(ARTICLE, data_dir)
    partnerships = [item for item in found.items if item["table"] == "partnerships"]
    assert len(partnerships) == 1
    item = partnerships[0]
    assert (item["fields"]["home"], item["fields"]["partner"], item["fields"]["country"]) == ("Changsha", "Ulm", "DE")
    assert item["fields"]["established"] == "2019-06-12"
    quote = item["evidence"]["text"][item["evidence"]["start"] : item["evidence"]["end"]]
    assert quote.startswith("On 12 June 2019, Changsha established sister city relations with Ulm")
    assert item["located"]["partner"]["country"] == "DE"
    assert {item["fields"]["date"] for item in found.items if item["table"] == "events"} == {"2019-06-12", "2019-10"}


def test_an_article_that_dates_a_partnership_differently_proposes_a_change_with_a_warning(data_dir: Path) -> None:
    found = read_proposals(
        "Chongqing and Toulouse\n\nOn 5 March 1985, Chongqing established sister city relations with Toulouse, France.",
        data_dir,
    )
    [item] = [item for item in found.items if item["table"] == "partnerships"]
    assert item["action"] == "change"
    assert item["original"]["established"] == "1982-12" and item["fields"]["established"] == "1985-03-05"
    assert any("1982-12" in warning for warning in item["warnings"])


def test_an_html_article_is_read_as_its_visible_text() -> None:
    html = b"<html><head><title>T</title><script>var x = 1;</script></head><body><p>One.</p><p>Two &amp; three.</p>"
    text = article_text("news.html", html + b"</body></html>")
    assert "var x" not in text and "One." in text and "Two & three." in text


def test_saving_accepted_rows_writes_them_validates_and_logs_who_when_what_and_from_where(
    data_dir: Path, instance: Path
) -> None:
    items = read_proposals(ARTICLE, data_dir).items
    for item in items:
        item["status"] = "accepted"
    saved = save_items(data_dir, instance, "Li Wei", items)
    assert set(saved.commit.changed) == {"partnerships.csv", "events.csv", "places.csv"}
    assert "changsha-ulm" in ids(data_dir)
    assert not has_errors(validate_directory(data_dir))
    [entry] = read_log(data_dir)
    assert entry["editor"] == "Li Wei" and entry["action"] == "save" and entry["at"]
    assert entry["sources"] == ["pasted article: Changsha and Ulm sign sister city agreement"]
    assert [row["id"] for row in entry["changes"]["partnerships.csv"]["added"]] == ["changsha-ulm"]
    assert len(entry["changes"]["events.csv"]["added"]) == 2


def test_rejected_and_pending_items_are_not_saved(data_dir: Path, instance: Path) -> None:
    rejected = partnership("Ulm", "DE") | {"status": "rejected"}
    with pytest.raises(EditRefused, match="nothing is accepted"):
        save_items(data_dir, instance, "Li Wei", [rejected, partnership("Brest", "FR") | {"status": "pending"}])


def test_undo_restores_every_table_byte_for_byte_and_is_logged(data_dir: Path, instance: Path) -> None:
    before = tables(data_dir)
    save_items(data_dir, instance, "Li Wei", [partnership("Ulm", "DE")])
    assert tables(data_dir) != before
    undo_last(data_dir, instance, "Wang Fang")
    assert tables(data_dir) == before
    entries = read_log(data_dir)
    assert [entry["action"] for entry in entries] == ["save", "undo"]
    assert entries[1]["editor"] == "Wang Fang" and entries[1]["undoes"] == entries[0]["id"]
    with pytest.raises(NothingToUndo):
        undo_last(data_dir, instance, "Li Wei")


def test_undo_undoes_saves_in_turn_latest_first(data_dir: Path, instance: Path) -> None:
    first = tables(data_dir)
    save_items(data_dir, instance, "Li Wei", [partnership("Ulm", "DE")])
    second = tables(data_dir)
    save_items(data_dir, instance, "Li Wei", [partnership("Brest", "FR")])
    undo_last(data_dir, instance, "Li Wei")
    assert tables(data_dir) == second
    undo_last(data_dir, instance, "Li Wei")
    assert tables(data_dir) == first


def test_undo_is_refused_when_the_tables_changed_after_the_save(data_dir: Path, instance: Path) -> None:
    save_items(data_dir, instance, "Li Wei", [partnership("Ulm", "DE")])
    set_cell(data_dir / "partnerships.csv", 2, "notes", "changed by hand")
    changed = tables(data_dir)
    with pytest.raises(NothingToUndo, match="changed after the save"):
        undo_last(data_dir, instance, "Li Wei")
    assert tables(data_dir) == changed


def test_a_row_that_would_not_validate_is_refused_and_nothing_is_written(data_dir: Path, instance: Path) -> None:
    before = file_hashes(data_dir)
    with pytest.raises(Exception, match=r"not an ISO 3166|cannot be located"):
        save_items(data_dir, instance, "Li Wei", [partnership("Ulm", "ZZ")])
    assert file_hashes(data_dir) == before


def test_a_partnership_already_in_the_data_is_refused(data_dir: Path, instance: Path) -> None:
    home, partner, country = (
        cell(data_dir / "partnerships.csv", 2, column) for column in ("home", "partner", "country")
    )
    with pytest.raises(EditRefused, match=r"already in partnerships\.csv"):
        save_items(data_dir, instance, "Li Wei", [partnership(partner, country, home=home)])


def test_a_row_edited_in_the_form_is_changed_and_its_removed_exchange_goes(data_dir: Path, instance: Path) -> None:
    row_id, row = "chongqing-dusseldorf", ids(data_dir).index("chongqing-dusseldorf") + 2
    partnership_row, events = partnership_with_events(data_dir, row_id)
    assert len(events) == 15
    items = row_items(partnership_row, events, {"partnership": {"notes": "checked 2026"}}, {"event-0"}, False)
    save_items(data_dir, instance, "Li Wei", items)
    assert cell(data_dir / "partnerships.csv", row, "notes") == "checked 2026"
    assert len(partnership_with_events(data_dir, row_id)[1]) == len(events) - 1


def test_removing_a_partnership_removes_its_exchanges(data_dir: Path, instance: Path) -> None:
    row_id = "chongqing-mpumalanga"  # 8 exchanges, named by no fact
    found = partnership_with_events(data_dir, row_id)
    assert len(found[1]) == 8 and not [row for row in read_rows(data_dir / "facts.csv")[1:] if row_id in row]
    save_items(data_dir, instance, "Li Wei", row_items(found[0], found[1], {}, set(), True))
    assert row_id not in ids(data_dir)
    assert all(row[0] != row_id for row in read_rows(data_dir / "events.csv")[1:])
    assert not has_errors(validate_directory(data_dir))


def test_an_edit_of_a_row_someone_changed_since_it_was_opened_is_refused(data_dir: Path, instance: Path) -> None:
    row_id = cell(data_dir / "partnerships.csv", 2, "id")
    opened = partnership_with_events(data_dir, row_id)
    set_cell(data_dir / "partnerships.csv", 2, "notes", "another editor's note")
    items = row_items(opened[0], opened[1], {"partnership": {"relation": "friendship city"}}, set(), False)
    with pytest.raises(EditRefused, match="changed by another save"):
        save_items(data_dir, instance, "Li Wei", items)
    assert cell(data_dir / "partnerships.csv", 2, "notes") == "another editor's note"


def test_two_saves_at_once_keep_both(data_dir: Path, instance: Path) -> None:
    errors: list[BaseException] = []

    def save(item: dict) -> None:
        try:
            save_items(data_dir, instance, "Li Wei", [item])
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=save, args=(partnership(name, code),))
        for name, code in (("Ulm", "DE"), ("Brest", "FR"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {"changsha-ulm", "changsha-brest"} <= set(ids(data_dir))
    assert len(read_log(data_dir)) == 2
    assert not has_errors(validate_directory(data_dir))


def test_two_edits_of_one_row_at_once_keep_one_and_refuse_the_other(data_dir: Path, instance: Path) -> None:
    row_id = cell(data_dir / "partnerships.csv", 2, "id")
    opened = partnership_with_events(data_dir, row_id)
    outcomes: list[str] = []

    def edit(note: str) -> None:
        try:
            save_items(
                data_dir,
                instance,
                "Li Wei",
                row_items(opened[0], opened[1], {"partnership": {"notes": note}}, set(), False),
            )
            outcomes.append(note)
        except EditRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=edit, args=(note,)) for note in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["first", "refused"], ["refused", "second"])
    kept = next(outcome for outcome in outcomes if outcome != "refused")
    assert cell(data_dir / "partnerships.csv", 2, "notes") == kept


# A save in a child process that stops dead at a checkpoint of the store's commit until it is killed.
SAVER_THAT_STOPS = """
import sys, time
from pathlib import Path
sys.path.insert(0, "tests")
import atlas.store
from atlas.editing.save import save_items
from test_editing import partnership

data_dir, instance, ready, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

def checkpoint(step, file=""):
    if f"{step} {file}".strip() == stop_at:
        ready.write_text(stop_at)
        time.sleep(120)

atlas.store.checkpoint = checkpoint
save_items(data_dir, instance, "Li Wei", [partnership("Ulm", "DE")])
"""


@pytest.mark.parametrize("stop_at", ["written partnerships.csv", "journal", "renamed partnerships.csv"])
def test_kill_9_during_a_save_leaves_the_old_tables_or_the_new_ones(
    tmp_path: Path, data_dir: Path, instance: Path, stop_at: str
) -> None:
    old = DataStore(data_dir).read()
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER_THAT_STOPS, str(data_dir), str(instance), str(ready), stop_at],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not ready.exists():
            assert child.poll() is None, child.communicate()[1]
            assert time.monotonic() < deadline, "the save never reached its checkpoint"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    after = DataStore(data_dir).read()  # the next reader finishes a commit whose journal was written
    committed = stop_at != "written partnerships.csv"
    assert ("changsha-ulm" in ids(data_dir)) is committed
    if committed:
        assert {"places.csv", "partnerships.csv"} <= {f for f in after.files if after.files[f] != old.files.get(f)}
        assert [entry["editor"] for entry in read_log(data_dir)] == ["Li Wei"]
        undo_last(data_dir, instance, "Li Wei")  # the tables as they were were kept before the commit
        assert DataStore(data_dir).read().files == old.files
    else:
        assert after.files == old.files
        assert not (data_dir / CHANGES_LOG).exists()
    assert not has_errors(validate_directory(data_dir))


def test_spreadsheet_rows_become_items_and_problems_name_row_and_column(data_dir: Path, instance: Path) -> None:
    stored = {
        "name": "office.csv",
        "header": ["Chinese city", "Partner city", "Country", "Date signed"],
        "rows": [
            ["Changsha", "Ulm", "Germany", "June 2019"],
            ["长沙", "Brest", "法国", "2020年10月"],
            ["Changsha", "Nowhereville", "Atlantis", "2020"],
        ],
        "first_row": 2,
    }
    mapping = {"home": "Chinese city", "partner": "Partner city", "country": "Country", "established": "Date signed"}
    found = sheet_proposals(data_dir, stored, mapping)
    assert [(i["fields"]["partner"], i["fields"]["country"], i["fields"]["established"]) for i in found.items] == [
        ("Ulm", "DE", "2019-06"),
        ("Brest", "FR", "2020-10"),
    ]
    assert found.problems == ["office.csv row 4 column 'C \"Country\"': 'Atlantis' is not a country I know"]
    for item in found.items:
        item["status"] = "accepted"
    save_items(data_dir, instance, "Li Wei", found.items)
    assert {"changsha-ulm", "changsha-brest"} <= set(ids(data_dir))
    assert json.loads((data_dir / CHANGES_LOG).read_text().splitlines()[0])["sources"] == [
        "office.csv row 2",
        "office.csv row 3",
    ]


def test_a_long_review_list_draws_the_first_cards_and_says_how_many_more() -> None:
    from layouts.editor import MAX_CARDS, proposal_cards

    items = [partnership(f"Town {number}", "DE") | {"status": "pending"} for number in range(MAX_CARDS + 50)]
    cards = proposal_cards(items, [], "en")
    assert len(cards) == MAX_CARDS + 1
    assert cards[-1].children.startswith("… and 50 more")
