"""Proposals: the partnerships and dated exchanges an article states, each with its evidence.

    from atlas.ingest import Knowledge, propose
    proposals = propose(text, Knowledge.load(data_dir))
    for found in proposals.partnerships:
        found.home.name, found.partner.name, found.relation.name, found.established
        found.evidence.sentence, found.evidence.start, found.evidence.end   # span in proposals.article.text
        found.confidence, found.reason, found.warnings

The statements of atlas.ingest.relations are completed here with the article's context (its home,
the pair of the sentence before, the relation a list's heading names), grouped by pair, and
weighed: the strongest dated statement is the tie and gives `established`; a weaker or later one
(an earlier letter of intent, the MoU before the tie) is an event of it. Sentences about a pair
that name fields of cooperation give its sectors; dated ones that tell a visit, a signing, a forum
or an exchange give its events.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import copy
from dataclasses import dataclass, field

from slugify import slugify

from atlas.dates import PartialDate, parse_partial_date
from atlas.ingest.article import Article, clean
from atlas.ingest.dates import DAY_WORDS, DateContext, DateMention, event_year_of, find_dates
from atlas.ingest.knowledge import Knowledge, Side, name_keys
from atlas.ingest.lexicon import Relation, lexicon
from atlas.ingest.mentions import PlaceMention, place_mentions
from atlas.ingest.relations import Reading, Statement, is_dateline, organisation_home, read_sentence
from atlas.ingest.sentences import Sentence, sentences
from atlas.places.gazetteer import Place
from atlas.places.names import fold

SUMMARY_LENGTH = 300
EXAMPLE = re.compile(
    r"(?i)\s*(?:for example|for instance|such as|e\.g\.|(?:participants|they|these|members)\s+include\b|"
    r"例如|比如|前者如|后者如|如)[,，\s]?"
)
# A count of ties: a sentence about ties in general, not about one.
GENERIC = re.compile(
    r"(?i)(?:[0-9]+|[一二三四五六七八九]?[十百][一二三四五六七八九十]*)\s*(?:多)?(?:个|对|座|家)|\b[0-9]+\s+(?:\w+\s+){0,2}(?:cities|pairs|partners|provinces|agreements)\b"
)
LIST_HEADING_REACH = 8
LEAD_YEAR = re.compile(r"\s*(?:In\s+)?((?:19|20)[0-9]{2})\s*年?\s*[,，]")
# Inside a date: '4月5日至12日', 'Jan 25 to 27', 'Oct 22-23' (not the dashes of '2024-04-05').
DAY_RANGE = re.compile(r"\bto\b|至|到|(?<![0-9-])[0-9]{1,2}\s*[-–]\s*[0-9]{1,2}(?![0-9])")
PENDING_REACH = 2  # sentences a statement without its pair waits for it
NEARBY_CHARS = 300  # a sentence this close after one naming a partner, naming no other, goes on about it
AGREEMENT = re.compile(
    r"(?i)\bagreements?\b|协议|备忘录|MoU"
)  # sentences back from a list line to the phrase that names the list's ties
CJK = re.compile(r"[\u3400-\u9fff]")
CN_NAME_SUFFIX = re.compile(r"\s+(?:Province|Autonomous Region|Municipality|Special Administrative Region)$")
TABLE_LEVEL = {"region": "province", "prefecture": "city", "county": "county", "city": "city", "country": "nation"}


@dataclass(frozen=True)
class Evidence:
    sentence: str
    start: int  # span in Article.text
    end: int


@dataclass
class ProposedPartnership:
    id: str
    home: Side
    partner: Side
    relation: Relation
    established: PartialDate | None
    sectors: list[str]
    evidence: Evidence
    confidence: str  # high, medium or low
    reason: str
    home_place: Place | None = None
    partner_place: Place | None = None
    warnings: list[str] = field(default_factory=list)  # duplicates or contradictions of the data
    status: str = ""  # how it compares with partnerships.csv
    existing_row: int | None = None
    statements: list[Statement] = field(default_factory=list, repr=False)


@dataclass
class ProposedEvent:
    partnership: ProposedPartnership
    date: PartialDate
    kind: str
    sectors: list[str]
    summary: str
    evidence: Evidence
    confidence: str
    reason: str
    warnings: list[str] = field(default_factory=list)
    duplicate_of: int | None = None  # spreadsheet row of events.csv

    @property
    def summary_zh(self) -> str:
        return self.summary if CJK.search(self.summary) else ""


@dataclass
class Proposals:
    article: Article
    partnerships: list[ProposedPartnership]
    events: list[ProposedEvent]
    notes: list[str]


def propose(text: str | Article, knowledge: Knowledge, home: str | None = None, name: str = "article") -> Proposals:
    """What `text` states (see the module docstring); `home` names the home when the text names none."""
    article = text if isinstance(text, Article) else clean(text, name)
    places = place_mentions(article.analysis, knowledge)
    readings = read_article(article, places)
    notes: list[str] = []
    given_home = given_home_place(home, knowledge) if home else None
    article_home = given_home or main_home(readings, knowledge)
    statements = complete(readings, article_home, notes)
    statements += owner_statements(readings, site_owner(article.url, knowledge), statements)
    partnerships = grouped(statements, knowledge, article, notes)
    assign_sectors(partnerships, readings, knowledge)
    events = find_events(partnerships, readings, knowledge, article)
    for partnership in partnerships:
        compare_with_data(partnership, knowledge)
    for event in events:
        compare_event_with_data(event, knowledge)
    new_homes = sorted({p.home.name for p in partnerships if p.home.name_zh and not knowledge.is_home(p.home)})
    notes += [f"{name} is not yet a home in partnerships.csv: these proposals would make it one" for name in new_homes]
    if not partnerships:
        notes.append("no partnership found: the text states no tie between a Chinese place and a partner")
    return Proposals(article, partnerships, events, notes)


# A government's own site: its address names its city (www.daegu.go.kr, city.hiroshima.lg.jp).
GOVERNMENT_HOST = re.compile(
    r"^(?:[\w-]+\.)*?(?P<place>[a-z]+)\.(?:go|lg|govt|gov|gc|gouv|gob|government)\.(?P<tld>[a-z]{2})$"
    r"|^(?:[\w-]+\.)*?(?P<place2>[a-z]+)\.gov$"
)
NOT_A_PLACE_LABEL = {"www", "city", "en", "english", "eng", "web", "portal", "info", "news"}


def site_owner(url: str, knowledge: Knowledge) -> PlaceMention | None:
    """The city whose government's site the article is on, named by the site's address; a partner-side
    page ('Friendship Cities: Changsha, China – since July 31, 2018') names its own city only there."""
    host = re.sub(r"^https?://", "", url).split("/", 1)[0].split(":", 1)[0].casefold()
    found = GOVERNMENT_HOST.match(host)
    if not found:
        return None
    label = found.group("place") or found.group("place2")
    country = {"uk": "GB"}.get(found.group("tld") or "", (found.group("tld") or "us").upper())
    if label in NOT_A_PLACE_LABEL or country == "CN":
        return None
    matches = [m for m in knowledge.gazetteer.lookup(label, country)[:3] if fold(m.place.name) == label]
    if not matches:
        return None
    return PlaceMention(0, 0, label, matches[0].place, reason=f"the site {host} is its government's")


def owner_statements(readings: list[Reading], owner: PlaceMention | None, found: list[Statement]) -> list[Statement]:
    """On a partner's own site, a line naming one Chinese place with a tie phrase or 'since DATE' ties it
    to the site's city."""
    if owner is None:
        return []
    words = lexicon()
    relation = next((tie.relation for reading in readings for tie in reading.ties), words.relations["sister city"])
    added = []
    for reading in readings:
        homes = {place.place.id: place for place in reading.parties() if place.is_chinese}
        foreign = [place for place in reading.parties() if not place.is_chinese and place.place.id != owner.place.id]
        since = re.search(r"(?i)\bsince\b", reading.text) and reading.dates
        if len(homes) != 1 or foreign or reading.hedged or not (reading.ties or since):
            continue
        home = next(iter(homes.values()))
        statement = Statement(
            reading, relation, None, home, owner, bool(since), False, how="named on its partner's site"
        )
        if since:
            mention, date = reading.dates[0]
            statement.date = date
            statement.date_span = (reading.start + mention.start, reading.start + mention.end)
        added.append(statement)
    return added


def read_article(article: Article, places: list[PlaceMention]) -> list[Reading]:
    readings = []
    last_year = None
    found = sentences(article)
    lead = lead_year(article, found)
    published = article.published or year_of_event_reported(article, found)
    for sentence in found:
        context = DateContext(published, last_year, lead_year=lead)
        reading, last_year = read_sentence(article, sentence, places, context)
        readings.append(reading)
    return readings


def year_of_event_reported(article: Article, found: list[Sentence]) -> PartialDate | None:
    """An article without a date line that reports an event named by its year as happening today or
    yesterday ('2014杭州国际友城市长论坛昨天开幕') was written that year: its '今年' is that year."""
    for sentence in found:
        mentions = find_dates(article.analysis[sentence.start : sentence.end])
        event_year = event_year_of(mentions)
        if event_year and any(mention.relative in DAY_WORDS for mention in mentions):
            return PartialDate(event_year)
    return None


def lead_year(article: Article, found: list[Sentence]) -> int | None:
    """The year an article published later opens with ('2018年,重庆市积极…', 'In 2018, Chongqing …'):
    its day-months without a year are of that year, not of the date line's."""
    body = [sentence for sentence in found if not sentence.is_title and sentence.end - sentence.start > 30]
    if not body or article.published is None:
        return None
    opening = LEAD_YEAR.match(article.analysis, body[0].start, body[0].end)
    year = int(opening.group(1)) if opening else None
    return year if year is not None and year < article.published.year else None


def given_home_place(name: str, knowledge: Knowledge) -> PlaceMention:
    from atlas.errors import AtlasError

    matches = knowledge.gazetteer.lookup(name, "CN")
    if not matches:
        raise AtlasError(f"--home {name!r}: not a Chinese place the gazetteer knows")
    place = matches[0].place
    return PlaceMention(0, 0, name, place, reason="given with --home")


def main_home(readings: list[Reading], knowledge: Knowledge) -> PlaceMention | None:
    """The article's home: the Chinese place its statements tie most, else the one it names most."""
    tied = Counter()
    named = Counter()
    first: dict[int, PlaceMention] = {}
    for reading in readings:
        for statement in reading.statements:
            if statement.home is not None:
                tied[statement.home.place.id] += 1
                first.setdefault(statement.home.place.id, statement.home)
        for place in reading.parties():
            if place.is_chinese:
                named[place.place.id] += 2 if knowledge.known_home(place.place) else 1
                first.setdefault(place.place.id, place)
    for counts in (tied, named):
        if counts:
            return first[counts.most_common(1)[0][0]]
    return None


def complete(readings: list[Reading], article_home: PlaceMention | None, notes: list[str]) -> list[Statement]:
    """Every statement with both parties: the context fills what the sentence leaves out."""
    done: list[Statement] = []
    current: list[Statement] = []
    pending: list[tuple[int, Statement]] = []  # (sentence number, statement) waiting for its pair
    runs = list_runs(readings)
    for index, reading in enumerate(readings):
        pending = [(number, waiting) for number, waiting in pending if index - number <= PENDING_REACH]
        own = []
        for statement in reading.statements:
            if statement.partner is None:
                # 'the two cities', or a sentence with no place at all ('Established as sister cities on
                # July 22, 2004, …') is about the pair before; a count of ties ('54 sister cities') or a
                # heading ('友城立体化网络更紧密') is not.
                if GENERIC.search(reading.text) or reading.headline:
                    continue
                if index + 1 < len(readings) and gives_examples(readings[index + 1]):
                    # '… dialogues between Hangzhou residents and their counterparts from sister cities
                    # worldwide. Participants include Boston marathoners, …': the next sentence names them.
                    pending.append((index, statement))
                    continue
                if (
                    len(current) == 1
                    and (reading.refers_back or not reading.parties())
                    and not elsewhere(reading, current[0])
                ):
                    own.append(with_pair(statement, current[0], "the pair of the sentence before"))
                elif statement.home is not None and current and lexicon().partner_reference.search(reading.text):
                    # '同年,该区主席…访问湖南,与株洲签署了…备忘录': the partner of the sentence before.
                    statement.partner, statement.how = current[0].partner, "the partner the sentence refers to"
                    own.append(statement)
                elif not reading.parties() or statement.home is not None:
                    pending.append((index, statement))
                continue
            if statement.home is None:
                if article_home is None:
                    notes.append(f"{statement.partner.place.name} is named as a partner but no home is: give --home")
                    continue
                statement.home = article_home
            own.append(statement)
        if not reading.statements and index in runs:
            own += list_statements(reading, readings[:index], article_home)
        if not own and not reading.statements and len(current) == 1 and names_only(reading, current[0]):
            own += subjectless(reading, current[0])
        waiting = [statement for _, statement in pending]
        if not own and waiting and not reading.hedged and not reading.headline:
            own = examples(reading, waiting, article_home) or named_next(reading, waiting)
            if own:
                pending = []
        if own:
            for _, statement in pending:
                if statement.reading is reading:
                    own.append(with_pair(statement, own[0], "the pair named in the same sentence"))
            pending = [(number, statement) for number, statement in pending if statement.reading is not reading]
            done += own
            current = unique_pairs(own)
        elif reading.headline:
            pass
        elif named_partner(reading, done):
            current = [named_partner(reading, done)]
        elif pair_named(reading):
            # 'Chongqing and Dusseldorf, two cities nestled along …': the pair the next sentence may date.
            relation = current[0].relation if current else lexicon().relations["sister city"]
            current = [Statement(reading, relation, None, *pair_named(reading), False, False)]
    for statement in done:
        if statement.date is None and statement.reading.anaphor:
            inherit_date(statement, readings, done)
        elif statement.date is None and statement.establishing:
            carry_date(statement, readings)
    return done


def carry_date(statement: Statement, readings: list[Reading]) -> None:
    """'昨日上午9时,“牵手南宁·2005长沙周”在南宁开幕。长沙市和南宁市正式结为友好城市。': a tie made in the
    sentence after a dated one of the same paragraph, naming one of its parties, happened that day."""
    position = readings.index(statement.reading)
    if position == 0:
        return
    before = readings[position - 1]
    if before.sentence.paragraph != statement.reading.sentence.paragraph or len(before.dates) != 1:
        return
    names = name_keys(statement.home.place.name) | name_keys(statement.partner.place.name)
    named = any(name_keys(place.place.name) & names for place in before.places)
    if not named or lexicon().as_of.search(statement.reading.text):
        return
    mention, date = before.dates[0]
    statement.date = date
    statement.date_span = (before.start + mention.start, before.start + mention.end)


def elsewhere(reading: Reading, pair: Statement) -> bool:
    """The sentence names a foreign country that is not the pair's partner's: '两市签署了《西安市与摩洛哥
    非斯市…》' is about another pair, even when the gazetteer does not know 非斯."""
    countries = {place.place.country for place in reading.places if place.is_country and not place.is_chinese}
    return bool(countries) and pair.partner.place.country not in countries


def list_runs(readings: list[Reading]) -> set[int]:
    """Sentences that are lines of a list: two list lines or more in a row, or one right under a
    heading that ends with a colon ('… include:', '包括:')."""
    found: set[int] = set()
    index = 0
    while index < len(readings):
        end = index
        while end < len(readings) and readings[end].list_entry:
            end += 1
        heading = readings[index - 1].text if index > 0 else ""
        introduced = bool(re.search(r"[:：]\s*$", heading) or lexicon().list_heading.search(heading))
        if end - index >= 2 or (end > index and introduced):
            found |= set(range(index, end))
        index = max(end, index + 1)
    return found


def names_only(reading: Reading, pair: Statement) -> bool:
    """The sentence names no party but the pair's own: 'Established on October 23, 1986 (… approved by
    Hiroshima City Council)'."""
    keys = name_keys(pair.home.place.name) | name_keys(pair.partner.place.name)
    return all(
        place.place.id in (pair.home.place.id, pair.partner.place.id) or name_keys(place.place.name) & keys
        for place in reading.parties()
    )


def subjectless(reading: Reading, pair: Statement) -> list[Statement]:
    """'Established on October 23, 1986': the tie of the sentence before, dated here."""
    words = lexicon()
    opens = words.establish.match(reading.text.lstrip()) or re.match(r"(?i)\s*since\b", reading.text)
    if not (opens and reading.dates):
        return []
    mention, date = reading.dates[0]
    statement = Statement(reading, pair.relation, None, None, None, True, False, date)
    statement.date_span = (reading.start + mention.start, reading.start + mention.end)
    return [with_pair(statement, pair, "a sentence without subject after the pair")]


def gives_examples(reading: Reading) -> bool:
    return bool(EXAMPLE.match(reading.text)) and any(not place.is_chinese for place in reading.parties())


def examples(reading: Reading, waiting: list[Statement], article_home: PlaceMention | None) -> list[Statement]:
    """'gifts between sister cities … For example, Guangzhou lent pandas to Fukuoka and fireworks to Lyon.'"""
    if not EXAMPLE.match(reading.text) or AGREEMENT.search(reading.text):
        return []
    homes = {place.place.id: place for place in reading.parties() if place.is_chinese}
    foreign = [place for place in reading.parties() if not place.is_chinese]
    home = next(iter(homes.values())) if len(homes) == 1 else (waiting[0].home or article_home)
    if home is None:
        return []
    found = []
    for place in foreign:
        statement = copy(waiting[0])
        statement.reading, statement.establishing, statement.date = reading, False, None
        statement.home, statement.partner, statement.how = home, place, "an example of the ties named before"
        found.append(statement)
    return found


def named_next(reading: Reading, waiting: list[Statement]) -> list[Statement]:
    """'The sister city relationship was formalised on …' / 'Hamilton and Chengdu have shared …'"""
    pair = pair_named(reading)
    partyless = [statement for statement in waiting if not statement.reading.parties()]
    if pair is None or not partyless:
        return []
    anchor = Statement(reading, partyless[0].relation, None, *pair, False, False)
    return [with_pair(statement, anchor, "the pair named in the next sentence") for statement in partyless]


def named_partner(reading: Reading, done: list[Statement]) -> Statement | None:
    """A sentence naming one partner already found is about that pair: 'Take Northern Cape as an example.'"""
    foreign = {place.place.id for place in reading.parties() if not place.is_chinese}
    if len(foreign) != 1:
        return None
    return next((statement for statement in reversed(done) if statement.partner.place.id in foreign), None)


def pair_named(reading: Reading) -> tuple[PlaceMention, PlaceMention] | None:
    """The one home and one partner a sentence names; a dateline's city and its agency
    ('WASHINGTON, March 14 (Xinhua) --') are where the report came from, not a pair."""
    parties = [place for place in reading.parties() if not is_dateline(reading, place)]
    homes = [place for place in parties if place.is_chinese]
    foreign = [place for place in parties if not place.is_chinese]
    # 'Sunderland, a small post-industrial city in the northeast of England': the town, not its region.
    towns = {place.place.country for place in foreign if place.place.level == "city"}
    foreign = [place for place in foreign if place.place.level != "region" or place.place.country not in towns]
    if len({place.place.id for place in homes}) == 1 and len({place.place.id for place in foreign}) == 1:
        return homes[0], foreign[0]
    return None


def with_pair(statement: Statement, other: Statement, how: str) -> Statement:
    statement.home, statement.partner = other.home, other.partner
    statement.how = how
    return statement


def unique_pairs(statements: list[Statement]) -> list[Statement]:
    seen: dict[tuple[int, int], Statement] = {}
    for statement in statements:
        seen.setdefault((statement.home.place.id, statement.partner.place.id), statement)
    return list(seen.values())


def list_statements(reading: Reading, before: list[Reading], article_home: PlaceMention | None) -> list[Statement]:
    """A list line ties its one partner to the home with the relation of the phrase above the list."""
    prose = [earlier for earlier in before if not earlier.list_entry][-LIST_HEADING_REACH:]
    heading = next((earlier for earlier in reversed(prose) if earlier.ties), None)
    if heading is None:
        return []
    foreign = [place for place in reading.parties() if not place.is_chinese]
    homes = [place for place in reading.parties() if place.is_chinese]
    if len({place.place.id for place in foreign}) != 1 or len({place.place.id for place in homes}) > 1:
        return []  # a line naming several partners, or several homes, does not say which is whose
    home = homes[0] if homes else next((s.home for s in heading.statements if s.home is not None), article_home)
    if home is None:
        return []
    relation = heading.ties[0].relation
    statement = Statement(
        reading, relation, None, home, foreign[0], True, False, inherited=True, how="a line of a list"
    )
    if reading.dates:
        mention, date = reading.dates[0]
        statement.date = date
        statement.date_span = (reading.start + mention.start, reading.start + mention.end)
    return [statement]


def inherit_date(statement: Statement, readings: list[Reading], done: list[Statement]) -> None:
    """'During the event, …' / '開幕式上, …': the date of the sentence before that names the same thing
    (the opening, the conference), else of the one just before in the paragraph; a trip's date range
    dates it only to the month."""
    position = readings.index(statement.reading)
    anaphor = lexicon().anaphora.search(statement.reading.text)
    noun = re.sub(r"(?i)^(?:during|at|in)\s+(?:the|this|that)\s+|[上期间]+$", "", anaphor.group(0)) if anaphor else ""
    earlier = [reading for reading in reversed(readings[:position]) if reading.dates]
    named = [reading for reading in earlier if noun and noun.casefold() in reading.text.casefold()]
    named.sort(key=lambda reading: -len(reading.dates[0][1].iso()))  # 'on Oct 23' before "this year's"
    same_paragraph = [r for r in earlier[:1] if r.sentence.paragraph == statement.reading.sentence.paragraph]
    source = (named or same_paragraph or [None])[0]
    if source is None and re.search(r"(?i)same time|同时", noun):
        # '同時,杭州還與…暹粒省簽署了…': at the time of the signing told just before, however it was dated
        told = readings[position - 1] if position else None
        before = [s for s in done if s.reading is told and s.date is not None]
        if before:
            statement.date, statement.date_span = before[0].date, before[0].date_span
        return
    if source is None:
        return
    mention, date = source.dates[0]
    spans_days = DAY_RANGE.search(source.text, mention.start, mention.end)
    during_visit = anaphor and re.search(r"(?i)此行|this time|stay|trip|visit|tour", anaphor.group(0))
    during_visit = during_visit or re.search(r"此次(?:来|访|赴|出访)", statement.reading.text)
    if (spans_days or during_visit) and date.day is not None:
        date = PartialDate(date.year, date.month)  # the day within the trip is not written
    statement.date = date
    statement.date_span = (source.start + mention.start, source.start + mention.end)


def home_side(place: Place, knowledge: Knowledge) -> Side:
    known = knowledge.known_home(place)
    if known is not None:
        return known
    name = CN_NAME_SUFFIX.sub("", place.name)
    level = TABLE_LEVEL.get(place.level, "city")
    if level == "county" and name.endswith("District"):
        level = "district"
    province = ""
    if place.admin1:
        region = knowledge.gazetteer.region(place.admin1)
        province = CN_NAME_SUFFIX.sub("", region.name) if region else ""
    return Side(name, place.name_zh, level, "", place.country, province)


def partner_side(place: Place, knowledge: Knowledge) -> Side:
    known = knowledge.known_partner(place)
    if known is not None:
        return known
    level = TABLE_LEVEL.get(place.level, "city")
    return Side(place.name, place.name_zh, level if level != "nation" else "region", "", place.country)


def grouped(
    statements: list[Statement], knowledge: Knowledge, article: Article, notes: list[str]
) -> list[ProposedPartnership]:
    by_pair: dict[tuple[str, str, str, str], list[Statement]] = {}
    for statement in statements:
        home, partner = statement.home.place, statement.partner.place
        if partner.country == "CN" and knowledge.known_home(partner) and not knowledge.known_home(home):
            statement.home, statement.partner = statement.partner, statement.home  # '南宁和长沙': Changsha's tie
            home, partner = partner, home
        if home.id == partner.id or home.country != "CN" or partner.level == "country" or contains_place(partner, home):
            continue
        home_name, partner_name = home_side(home, knowledge), partner_side(partner, knowledge)
        key = (fold(home_name.name), home.country, fold(partner_name.name), partner.country)
        if key[0] == key[2]:
            continue
        by_pair.setdefault(key, []).append(statement)
    found = []
    for group in by_pair.values():
        body = [statement for statement in group if not statement.reading.sentence.is_title] or group
        found.append(weigh(body, knowledge, article))
    return found


def province_level(place: Place, knowledge: Knowledge) -> bool:
    """A province, or a city that is one (Shanghai, Chongqing: their region has their name)."""
    if place.level == "region":
        return True
    region = knowledge.gazetteer.region(place.admin1) if place.admin1 else None
    return region is not None and bool(name_keys(region.name) & name_keys(place.name))


def contains_place(area: Place, place: Place) -> bool:
    return area.level == "region" and bool(area.admin1) and area.admin1 == place.admin1


def weigh(group: list[Statement], knowledge: Knowledge, article: Article) -> ProposedPartnership:
    """The tie a pair's statements make: the strongest dated establishing one, else the strongest."""
    dated = [
        s for s in group if s.date is not None and s.relation.establishes and not s.renewal and not dates_a_visit(s)
    ]
    if dated:
        tier = max(statement.relation.tier for statement in dated)
        strongest = [s for s in dated if s.relation.tier == tier]
        earliest = min(strongest, key=lambda s: chronological(s.date))
        # The earliest, at the most precise of the dates that agree with it (2021 and 2021-03-25 agree).
        agreeing = [s for s in strongest if compatible(s.date, earliest.date)]
        chosen_dated = max(agreeing, key=lambda s: (len(s.date.iso()), -agreeing.index(s)))
        same_tier = [s for s in group if s.relation.tier == tier]
        labelled = [s for s in same_tier if not s.inherited] or same_tier
        relation = labelled[0].relation
        established, evidence_from = chosen_dated.date, chosen_dated
    else:
        ranked = sorted(group, key=lambda s: (s.inherited, -s.relation.tier))  # the first stated of the strongest
        relation, established, evidence_from = ranked[0].relation, None, ranked[0]
    home_place, partner_place = evidence_from.home.place, evidence_from.partner.place
    if (
        relation.name in ("sister city", "friendship city")
        and province_level(home_place, knowledge)
        and partner_place.level != "city"
    ):
        relation = lexicon().relations["friendly province"]  # Hunan and Oromia, Shanghai and Queensland
    home, partner = home_side(home_place, knowledge), partner_side(partner_place, knowledge)
    sentence = evidence_from.reading.sentence
    evidence = Evidence(article.text[sentence.start : sentence.end], sentence.start, sentence.end)
    confidence = "high" if established and evidence_from.how == "joined in the text" else "medium"
    if all(s.inherited or s.reading.sentence.is_title for s in group):
        confidence = "low"
    tie = evidence_from.tie
    reason = f"'{article.text[tie.start : tie.end] if tie else relation.name}'"
    reason += f": {evidence_from.how}" if evidence_from.how else ""
    if established:
        reason += f"; established {established.iso()} as written"
    return ProposedPartnership(
        partnership_id(home, partner, knowledge),
        home,
        partner,
        relation,
        established,
        [],
        evidence,
        confidence,
        reason,
        home_place,
        partner_place,
        statements=group,
    )


def chronological(date: PartialDate) -> tuple[int, int, int]:
    return (date.year, date.month or 0, date.day or 0)


def partnership_id(home: Side, partner: Side, knowledge: Knowledge) -> str:
    row = knowledge.existing_row(home, partner)
    if row is not None:
        return knowledge.partnerships.at[row, "id"]
    wanted = slugify(f"{home.name}-{partner.name}")
    if wanted in set(knowledge.partnerships["id"]):
        return slugify(f"{wanted}-{partner.country}")
    return wanted


def about(reading: Reading, partnership: ProposedPartnership, current: ProposedPartnership | None) -> bool:
    if any(place.place.id == partnership.partner_place.id for place in reading.places):
        return True
    return current is partnership and reading.refers_back


def assign_sectors(partnerships: list[ProposedPartnership], readings: list[Reading], knowledge: Knowledge) -> None:
    """Sectors named in sentences about a pair that speak of working together (a city's own description
    names no sector of the tie)."""
    words = lexicon()
    current, since = None, None
    for reading in readings:
        if reading.sentence.is_title:
            continue
        named = [p for p in partnerships if any(place.place.id == p.partner_place.id for place in reading.places)]
        if len(named) == 1:
            current, since = named[0], reading
        nearby = (
            current is not None
            and since.sentence.paragraph == reading.sentence.paragraph
            and reading.sentence.start - since.sentence.end < NEARBY_CHARS
            and not any(not place.is_chinese for place in reading.parties())
        )
        stated = [p for p in partnerships if any(s.reading is reading for s in p.statements)]
        targets = stated or ([current] if current and (reading.refers_back or nearby) and not named else named)
        if not targets and len(partnerships) == 1 and reading.ties and names_home(reading, partnerships[0]):
            targets = partnerships  # the one tie of the article: 'exchanges with its friendly cities in trade, …'

        # A sentence about the pair ('the two cities held …') names its sectors; one naming only the
        # partner must speak of working together (otherwise it describes the city).
        if not targets or not (stated or reading.refers_back or words.cooperation.search(reading.text)):
            continue
        found = knowledge.sectors_in(reading.text)
        for partnership in targets:
            partnership.sectors += found
    for partnership in partnerships:
        partnership.sectors = knowledge.in_sector_order(partnership.sectors)


def same_partner(place: PlaceMention, partnership: ProposedPartnership, knowledge: Knowledge) -> bool:
    """Whether `place` is the partnership's partner, by place or by name (南宁 and 南宁市)."""
    if place.qualifier or place.is_country:
        return False
    if partnership.partner_place is not None and place.place.id == partnership.partner_place.id:
        return True
    side = partner_side(place.place, knowledge)
    return fold(side.name) == fold(partnership.partner.name) and side.country == partnership.partner.country


def follows_statement(reading: Reading, partnership: ProposedPartnership) -> bool:
    """A sentence right after one stating the pair, in its paragraph, naming its home and no other partner."""
    index = reading.sentence
    previous = [s.reading for s in partnership.statements if s.reading.sentence.paragraph == index.paragraph]
    if not previous or not any(r.sentence.end <= index.start and index.start - r.sentence.end <= 2 for r in previous):
        return False
    foreign = [place for place in reading.parties() if not place.is_chinese]
    return not foreign and names_home(reading, partnership)


def names_home(reading: Reading, partnership: ProposedPartnership) -> bool:
    """Whether the sentence names the pair's home, or the province it is in."""
    home = partnership.home_place
    return home is not None and any(
        place.place.id == home.id or contains_place(place.place, home) for place in reading.places
    )


def without_ties(reading: Reading) -> str:
    """The sentence with its tie phrases blanked: '缔结友好城市45周年纪念活动' tells an exchange, not a signing."""
    text = reading.text
    for tie in reading.ties:
        start, end = reading.local(tie.start), reading.local(tie.end)
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def dates_a_visit(statement: Statement) -> bool:
    """'1月14日至16日,重庆市友城法国图卢兹市副市长…率团来渝访问': the tie phrase describes the partner, the
    date is the visit's; the sentence says nothing of the tie being made."""
    return not statement.establishing and event_kind(without_ties(statement.reading)) == "visit"


def event_kind(text: str) -> str | None:
    return next((kind for kind, pattern in lexicon().event_kinds if pattern.search(text)), None)


def find_events(
    partnerships: list[ProposedPartnership], readings: list[Reading], knowledge: Knowledge, article: Article
) -> list[ProposedEvent]:
    """Dated sentences about one pair that tell a signing, a visit, a forum or an exchange; each
    statement of the pair with its own date is one (the MoU before the tie, the tie's own signing)."""
    events: list[ProposedEvent] = []
    current = None
    for reading in readings:
        if reading.sentence.is_title:
            continue
        named = [p for p in partnerships if any(same_partner(place, p, knowledge) for place in reading.places)]
        if len(named) == 1:
            current = named[0]
        targets = named or ([current] if current and (reading.refers_back or reading.anaphor) else [])
        if not targets and current and follows_statement(reading, current):
            targets = [current]  # '2015年,中俄红色旅游交流系列活动在湖南韶山启动' after the Hunan–Ulyanovsk tie
        kind = event_kind(without_ties(reading))
        if not targets or kind is None or organisation_home(reading):
            continue
        mention, point = next(
            ((mention, date) for mention, date in reading.dates if not starts_period(reading, mention)), (None, None)
        )
        if (
            point
            and point.day is not None
            and len(named) > 1
            and DAY_RANGE.search(reading.text, mention.start, mention.end)
        ):
            point = PartialDate(point.year, point.month)  # one trip to several partners: each day is not written
        for partnership in targets:
            stated = [s for s in partnership.statements if s.reading is reading and s.date is not None]
            dated = [(s.date, s) for s in stated] or ([(point, None)] if point else [])
            for date, statement in dated:
                events_kind = kind
                if statement is not None and (
                    statement.relation.tier < partnership.relation.tier
                    or not statement.relation.establishes
                    or (statement.establishing and statement.date == partnership.established)
                ):
                    events_kind = "agreement"  # the signing of the tie, or of another document
                event = make_event(partnership, date, events_kind, reading, article, knowledge, bool(named))
                if not any(e.partnership is partnership and e.date == date and e.kind == events_kind for e in events):
                    events.append(event)
    return events


def starts_period(reading: Reading, mention: DateMention) -> bool:
    """'自1996年两市交往以来', 'since 2012': the start of a period, which dates no exchange."""
    clause_end = re.search(r"[,，;；。]", reading.text[mention.end :])
    rest = reading.text[mention.end : mention.end + (clause_end.start() if clause_end else len(reading.text))]
    before = reading.text[max(0, mention.start - 8) : mention.start]
    return "以来" in rest or bool(re.search(r"(?i)(?:\bsince\s*|自|从)\s*$", before))


def make_event(
    partnership: ProposedPartnership,
    date: PartialDate,
    kind: str,
    reading: Reading,
    article: Article,
    knowledge: Knowledge,
    named: bool,
) -> ProposedEvent:
    sentence = reading.sentence
    evidence = Evidence(article.text[sentence.start : sentence.end], sentence.start, sentence.end)
    return ProposedEvent(
        partnership,
        date,
        kind,
        knowledge.sectors_in(reading.text),
        one_line(strip_leading_date(evidence.sentence, reading)),
        evidence,
        "medium" if named else "low",
        f"a dated sentence about {partnership.partner.name} telling a {kind}",
    )


LEADING_DATE_WORDS = {"", "in", "on", "by", "since", "during", "early in", "late in", "in early", "in late", "于", "在"}


def strip_leading_date(text: str, reading: Reading) -> str:
    """'In October 2005, a delegation …' -> 'A delegation …': the date has a column of its own."""
    if not reading.dates:
        return text
    mention = reading.dates[0][0]
    if text[: mention.start].strip().casefold() not in LEADING_DATE_WORDS:
        return text
    rest = re.sub(r"^[\s,，、]*", "", text[mention.end :])
    return rest[:1].upper() + rest[1:] if rest else text


def one_line(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".。")
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[: SUMMARY_LENGTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def compare_with_data(partnership: ProposedPartnership, knowledge: Knowledge) -> None:
    """Whether the pair is in partnerships.csv already, and how the dates compare: `status`, `warnings`."""
    row = knowledge.existing_row(partnership.home, partnership.partner)
    partnership.existing_row = row
    if row is None:
        partnership.status = "new: not in partnerships.csv"
        return
    recorded = knowledge.partnerships.at[row, "established"]
    message, conflict = established_finding(partnership.established, recorded)
    partnership.status = f"exists: partnerships.csv row {row}; {message}"
    if conflict:
        partnership.warnings.append(f"{partnership.id}: {message}")


def established_finding(found: PartialDate | None, recorded: str) -> tuple[str, bool]:
    """How the article's established date compares with the data's, and whether they conflict.

    A less precise date that agrees (1982 against 1982-08) is no conflict; a different one is."""
    if found is None:
        return f"the article gives no established date (data: {recorded or 'none'})", False
    if not recorded:
        return f"the data has no established date; the article says {found.iso()} (not written)", False
    try:
        data_date = parse_partial_date(recorded)
    except ValueError:
        return f"the data's established {recorded!r} is not a date: run `python -m atlas validate`", False
    if not compatible(found, data_date):
        return f"established: the data says {recorded}, the article says {found.iso()} (kept {recorded})", True
    if found == data_date:
        return f"established {recorded} agrees", False
    if len(found.iso()) > len(recorded):
        return f"the article is more precise: {found.iso()} (data: {recorded}; not changed)", False
    return f"the article says {found.iso()}, less precise than the data's {recorded}: no conflict", False


def compatible(first: PartialDate, second: PartialDate) -> bool:
    """True when the dates agree wherever both give a value: 1982 and 1982-08 agree."""
    pairs = ((first.year, second.year), (first.month, second.month), (first.day, second.day))
    return all(a == b for a, b in pairs if a is not None and b is not None)


def compare_event_with_data(event: ProposedEvent, knowledge: Knowledge) -> None:
    """The events.csv row that already records the event: same partnership, a compatible date and the
    same kind (or the same date)."""
    events = knowledge.events
    rows = events[events["partnership_id"] == event.partnership.id]
    for row, record in zip(rows.index, rows.to_dict("records"), strict=True):
        try:
            recorded = parse_partial_date(record["date"])
        except ValueError:
            continue
        if recorded == event.date or (compatible(recorded, event.date) and record["kind"] == event.kind):
            event.duplicate_of = int(row)
            event.warnings.append(f"events.csv row {row} records it already ({record['date']}, {record['kind']})")
            return
    if any(event.date.iso() in warning for warning in event.partnership.warnings):
        event.warnings.append("it dates the tie differently from the data: held back")
