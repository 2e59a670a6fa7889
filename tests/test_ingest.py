"""`python -m atlas ingest`: partnerships and dated events proposed from an article, written only with --apply.

The seed articles are press pages kept verbatim in tests/fixtures/seeds; the articles directly in
tests/fixtures/articles were written for these tests (see tests/fixtures/README.md). The stages
have their own example tables in test_ingest_stages.py; the real articles are scored in
test_ingest_score.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datadir import FIXTURE_DATA, copy_data, file_hashes, read_rows, run_atlas, set_cell

from atlas.cli import main
from atlas.dates import PartialDate
from atlas.ingest import Knowledge, Proposals, clean, propose, read_article_file
from atlas.ingest.apply import additions
from atlas.validate import has_errors, validate_directory

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
SHARED_SEEDS = Path("/work/shared/seeds")


def seed(number: str) -> Path:
    """A seed article: the copy kept with the tests, else the shared folder it was collected in."""
    for folder in (FIXTURES / "seeds", SHARED_SEEDS):
        found = sorted(folder.glob(f"{number}_*.txt")) if folder.is_dir() else []
        if found:
            return found[0]
    pytest.skip(f"seed article {number} is in neither tests/fixtures/seeds nor {SHARED_SEEDS}")


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    """The fixture tables, read once: these tests only read them."""
    return Knowledge.load(FIXTURE_DATA)


def proposal_for(path: Path, knowledge: Knowledge) -> Proposals:
    return propose(read_article_file(path), knowledge, name=path.name)


def write_article(tmp_path: Path, text: str, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`python -m atlas ingest ARGS` in this process: (exit status, stdout, stderr)."""
    status = main(["ingest", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- The seed articles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "home", "partner", "country", "established", "sectors"),
    [
        (
            "000",
            "Chongqing",
            "Mpumalanga",
            "ZA",
            "2002-10-18",
            {"trade", "culture", "tourism", "education", "agriculture"},
        ),
        (
            "001",
            "Chongqing",
            "Düsseldorf",
            "DE",
            "2004-07-22",
            {"logistics", "health", "education", "culture", "trade", "urban"},
        ),
        ("002", "Chongqing", "Voronezh", "RU", "1993-10-20", {"health", "education", "culture", "media", "trade"}),
        ("004", "Changsha", "Brazzaville", "CG", "1982", {"trade", "culture", "education", "science"}),
    ],
)
def test_seed_article_gives_partner_country_date_and_sectors(
    knowledge: Knowledge, number: str, home: str, partner: str, country: str, established: str, sectors: set[str]
) -> None:
    proposal = proposal_for(seed(number), knowledge)

    assert len(proposal.partnerships) == 1
    found = proposal.partnerships[0]
    assert (found.home.name, found.partner.name, found.partner.country) == (home, partner, country)
    assert found.established is not None and found.established.iso() == established
    assert sectors <= set(found.sectors)


def test_article_about_envoys_finds_nothing_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = ingest(capsys, seed("003"))

    assert status == 0
    assert "nothing found" in out


def test_seed_copies_are_verbatim() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} is not on this machine: nothing to compare the copies with")
    for original in sorted(SHARED_SEEDS.glob("*.txt")):
        assert (FIXTURES / "seeds" / original.name).read_bytes() == original.read_bytes()


def test_same_year_refers_to_the_year_mentioned_before(knowledge: Knowledge) -> None:
    # "... in Chongqing in 2001, the CEO ... visited Chongqing. In May of the same year, a delegation ..."
    events = proposal_for(seed("000"), knowledge).events

    may_visit = next(event for event in events if event.summary.startswith("A delegation from Chongqing"))
    assert may_visit.date.iso() == "2001-05"
    assert may_visit.kind == "visit"


def test_events_already_recorded_are_recognised(knowledge: Knowledge) -> None:
    proposal = proposal_for(seed("001"), knowledge)

    result = additions(proposal, knowledge)
    assert [event.date.iso() for event in proposal.events] == ["2004-07-22", "2011-03", "2014-11"]
    assert all(event.duplicate_of is not None for event in proposal.events)
    assert result.events == [] and result.partnerships == []


# --- The --json contract --------------------------------------------------------------------------


def test_json_prints_one_object_with_the_contract_keys() -> None:
    result = run_atlas("ingest", str(seed("002")), "--json")

    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)  # the whole of stdout is one JSON object
    assert set(output) == {"partnerships", "events", "notes"}
    assert [set(partnership) for partnership in output["partnerships"]] == [
        {"home", "partner", "country", "established", "relation", "sectors"}
    ]
    partnership = output["partnerships"][0]
    assert {key: partnership[key] for key in ("home", "partner", "country", "established", "relation")} == {
        "home": "Chongqing",
        "partner": "Voronezh",
        "country": "RU",
        "established": "1993-10-20",
        "relation": "sister city",
    }
    assert {"health", "education", "culture", "media", "trade"} <= set(partnership["sectors"])
    assert output["events"]
    assert all(set(event) == {"date", "kind", "sectors", "summary", "partnership"} for event in output["events"])
    assert output["events"][0]["partnership"] == "chongqing-voronezh"


def test_json_for_an_article_without_partnership_is_empty(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = ingest(capsys, seed("003"), "--json")

    assert status == 0
    output = json.loads(out)
    assert (output["partnerships"], output["events"]) == ([], [])
    assert output["notes"] == ["no partnership found: the text states no tie between a Chinese place and a partner"]


def test_json_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = copy_data(tmp_path)
    before = file_hashes(data_dir)

    status, _, _ = ingest(capsys, ARTICLES / "zhuzhou_kazan.txt", "--json", "--data", data_dir)

    assert status == 0
    assert file_hashes(data_dir) == before


# --- Dates in other formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "established"),
    [
        ("On 20 October 1993", "1993-10-20"),
        ("On 1993-10-20", "1993-10-20"),
        ("On Oct. 20, 1993", "1993-10-20"),
        ("In October 1993", "1993-10"),
        ("In 1993", "1993"),
    ],
)
def test_established_date_in_other_formats(
    tmp_path: Path, knowledge: Knowledge, written: str, established: str
) -> None:
    article = write_article(
        tmp_path, f"Chongqing and Voronezh\n\n{written}, Chongqing established sister city relations with Voronezh.\n"
    )

    (found,) = proposal_for(article, knowledge).partnerships

    assert found.partner.name == "Voronezh"
    assert found.established is not None and found.established.iso() == established


# --- Other articles -------------------------------------------------------------------------------------


def test_chinese_article(knowledge: Knowledge) -> None:
    proposal = proposal_for(ARTICLES / "hunan_ulyanovsk_zh.txt", knowledge)

    (found,) = proposal.partnerships
    assert (found.home.name, found.partner.name, found.partner.country) == ("Hunan", "Ulyanovsk Oblast", "RU")
    assert found.established is not None and found.established.iso() == "2009-10"
    assert found.relation.zh == "友好省州关系"
    assert {"trade", "education", "culture"} <= set(found.sectors)
    # "同年11月": November of the year mentioned before
    assert "2009-11" in [event.date.iso() for event in proposal.events]


def test_article_about_two_partnerships(knowledge: Knowledge) -> None:
    proposal = proposal_for(ARTICLES / "changsha_two_partners.txt", knowledge)

    by_partner = {found.partner.name: found for found in proposal.partnerships}
    assert set(by_partner) == {"Kansas City", "Ölfus"}
    kansas_city, olfus = by_partner["Kansas City"], by_partner["Ölfus"]
    assert (kansas_city.partner.country, kansas_city.established) == ("US", PartialDate(2015, 1))
    assert (olfus.partner.country, olfus.established) == ("IS", PartialDate(2016))
    assert {"trade", "education", "culture"} <= set(kansas_city.sectors)
    assert "tourism" in olfus.sectors and "tourism" not in kansas_city.sectors
    signing = next(event for event in proposal.events if event.date.iso() == "2016-05-12")
    assert signing.partnership is olfus


def test_each_date_belongs_to_the_partner_named_nearest_it(tmp_path: Path, knowledge: Knowledge) -> None:
    article = write_article(
        tmp_path,
        "Chongqing's sister cities include Seattle and Toulouse, and Chongqing established sister city relations "
        "with Voronezh, Russia in October 1993.\n",
    )

    proposal = proposal_for(article, knowledge)

    established = {found.partner.name: found.established for found in proposal.partnerships}
    assert established == {"Seattle": None, "Toulouse": None, "Voronezh": PartialDate(1993, 10)}


def test_text_without_partnership_says_nothing_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = write_article(tmp_path, "The weather in Chongqing was fine, and the Yangtze ran high.\n")

    status, out, _ = ingest(capsys, article)

    assert status == 0
    assert "nothing found" in out


def test_home_can_be_given_when_the_text_names_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = write_article(
        tmp_path, "On 3 June 2019, the city established sister city relations with Kazan, Russia.\n"
    )

    status, out, _ = ingest(capsys, article)
    assert status == 0
    assert "nothing found" in out and "--home" in out

    status, out, _ = ingest(capsys, article, "--home", "Zhuzhou", "--json")
    assert status == 0
    assert json.loads(out)["partnerships"] == [
        {
            "home": "Zhuzhou",
            "partner": "Kazan",
            "country": "RU",
            "established": "2019-06-03",
            "relation": "sister city",
            "sectors": [],
        }
    ]


def test_unknown_home_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = write_article(tmp_path, "Kazan, Russia became a sister city.\n")

    status, _, err = ingest(capsys, article, "--home", "Xyzzyville")

    assert status == 1
    assert err.startswith("error: --home 'Xyzzyville'")


# --- Files that are not text ----------------------------------------------------------------------


def test_binary_file_is_a_clear_error() -> None:
    result = run_atlas("ingest", str(FIXTURES / "not_text.png"))

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "not_text.png" in result.stderr and "not a text file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("size", "line_break"), [(5_000_000, False), (20_000_000, True)], ids=["5 MB on one line", "20 MB file"]
)
def test_an_oversized_article_is_refused_without_being_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, size: int, line_break: bool
) -> None:
    sentence = "Zhuzhou established sister city relations with Kazan, Russia" + (".\n" if line_break else ", ")
    article = tmp_path / "huge.txt"
    article.write_text(sentence * (size // len(sentence)), encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        assert path != article, "the oversized article was read"
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    status, out, err = ingest(capsys, article)
    assert (status, out) == (1, "")
    assert err == (
        f"error: {article}: {article.stat().st_size:,} bytes is longer than an article may be (200,000 bytes); "
        "give the text of one article\n"
    )


def test_file_not_in_utf8_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Chongqing and Voronezh\nVoronezh café\n".encode("latin-1"))

    status, _, err = ingest(capsys, article)

    assert status == 1
    assert "latin1.txt line 2" in err and "not UTF-8" in err


def test_empty_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = ingest(capsys, write_article(tmp_path, "  \n"))

    assert status == 1
    assert "article.txt: is empty" in err


# --- Comparing with the data and --apply ----------------------------------------------------------


def test_review_says_the_partnership_exists_and_the_date_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = ingest(capsys, seed("001"))

    assert status == 0
    assert "exists: partnerships.csv row" in out and "established 2004-07-22 agrees" in out
    assert "Conflicts with the data: none" in out


def test_less_precise_date_is_not_a_conflict(capsys: pytest.CaptureFixture[str]) -> None:
    # the data says 1982-08 for Changsha-Brazzaville; the page says only 1982
    status, out, _ = ingest(capsys, seed("004"))

    assert status == 0
    assert "less precise than the data's 1982-08: no conflict" in out
    assert "Conflicts with the data: none" in out


def test_different_date_is_reported_and_not_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = copy_data(tmp_path)
    before = file_hashes(data_dir)
    article = write_article(
        tmp_path, "Voronezh\n\nOn 20 October 1994, Chongqing established sister city relations with Voronezh, Russia.\n"
    )

    status, out, _ = ingest(capsys, article, "--apply", "--data", data_dir)

    assert status == 0
    assert "chongqing-voronezh: established: the data says 1993-10-20, the article says 1994-10-20" in out
    assert "held back" in out
    assert file_hashes(data_dir) == before


def test_apply_adds_the_new_rows_and_the_data_still_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = copy_data(tmp_path)
    tables = ("partnerships.csv", "events.csv", "places.csv")
    before = {table: read_rows(data_dir / table) for table in tables}

    status, out, _ = ingest(capsys, ARTICLES / "zhuzhou_kazan.txt", "--apply", "--data", data_dir)

    assert status == 0, out
    after = {table: read_rows(data_dir / table) for table in tables}
    partnerships = [dict(zip(after["partnerships.csv"][0], row, strict=True)) for row in after["partnerships.csv"][1:]]
    added = [row for row in partnerships if row["id"] == "zhuzhou-kazan"]
    assert len(added) == 1
    assert {
        "home": "Zhuzhou",
        "home_zh": "株洲",
        "partner": "Kazan",
        "country": "RU",
        "established": "2019-06-03",
        "confidence": "medium",
        "source_url": "",
        "source_title": "zhuzhou_kazan.txt: Zhuzhou and Kazan Become Sister Cities",
    }.items() <= added[0].items()
    assert [row[:2] for row in after["events.csv"] if row[0] == "zhuzhou-kazan"] == [
        ["zhuzhou-kazan", "2019-06-03"],
        ["zhuzhou-kazan", "2019-09"],
    ]
    assert any(row[:3] == ["Kazan", "", "RU"] for row in after["places.csv"])
    # existing rows are kept as they were: partnerships and events only grow at the end
    for table in ("partnerships.csv", "events.csv"):
        assert after[table][: len(before[table])] == before[table]
    assert all(row in after["places.csv"] for row in before["places.csv"])
    assert not has_errors(validate_directory(data_dir))


def test_apply_twice_adds_nothing_the_second_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = copy_data(tmp_path)
    ingest(capsys, ARTICLES / "zhuzhou_kazan.txt", "--apply", "--data", data_dir)
    after_first = file_hashes(data_dir)

    status, out, _ = ingest(capsys, ARTICLES / "zhuzhou_kazan.txt", "--apply", "--data", data_dir)

    assert status == 0
    assert "nothing to add" in out
    assert file_hashes(data_dir) == after_first


def test_apply_of_an_article_the_data_already_holds_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = copy_data(tmp_path)
    before = file_hashes(data_dir)

    status, out, _ = ingest(capsys, seed("000"), "--apply", "--data", data_dir)

    assert status == 0
    assert "nothing to add" in out
    assert file_hashes(data_dir) == before


def test_apply_writes_nothing_when_validation_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = copy_data(tmp_path)
    set_cell(data_dir / "partnerships.csv", 2, "established", "1982-13")  # an error already in the tables
    before = file_hashes(data_dir)

    status, _, err = ingest(capsys, ARTICLES / "zhuzhou_kazan.txt", "--apply", "--data", data_dir)

    assert status == 1
    assert "partnerships.csv row 2 column 'established'" in err
    assert "nothing was written" in err
    assert file_hashes(data_dir) == before  # byte for byte, and no temporary file left behind


# --- Where an ingested row's source_url comes from --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "https://news.example.org/zhuzhou-kazan\n\nZhuzhou and Kazan Become Sister Cities\n\n"
            "On 3 June 2019, Zhuzhou established sister city relations with Kazan, Russia.\n",
            "https://news.example.org/zhuzhou-kazan",
        ),
        (
            "Zhuzhou and Kazan Become Sister Cities\n\n"
            "On 3 June 2019, Zhuzhou established sister city relations with Kazan, Russia.\n\n"
            "Source: Zhuzhou Daily https://daily.example.org/2019/06/04\n",
            "https://daily.example.org/2019/06/04",
        ),
        (
            'Zhuzhou and Kazan Become Sister Cities\n\n=HYPERLINK("http://evil.invalid/x","click") '
            "On 3 June 2019, Zhuzhou established sister city relations with Kazan, Russia (see https://other.example.org).\n",
            "",
        ),
    ],
    ids=["first line", "source line", "link in the text"],
)
def test_source_url_is_the_articles_own_address_never_a_link_in_the_text(tmp_path: Path, text: str, url: str) -> None:
    assert clean(read_article_file(write_article(tmp_path, text))).url == url


def test_a_hub_new_to_the_data_gets_proposals_and_the_note_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = ingest(capsys, ARTICLES / "real" / "dev" / "chengdu_list_en.txt", "--json")

    output = json.loads(out)
    assert status == 0
    assert {partnership["home"] for partnership in output["partnerships"]} == {"Chengdu"}
    assert ("Bonn", "DE", "2009") in {(p["partner"], p["country"], p["established"]) for p in output["partnerships"]}
    assert "Chengdu is not yet a home in partnerships.csv: these proposals would make it one" in output["notes"]


def test_score_prints_each_article_and_the_share_in_all(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = ingest(capsys, "--score", ARTICLES / "real" / "dev")

    assert status == 0
    assert "chengdu_list_en" in out and "wuhan_list_zh" in out
    assert "all " in out and "partnerships proposed that no key states" in out
