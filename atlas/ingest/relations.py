"""Relation statements: who a sentence says is tied to whom, how strongly, and on which date.

A statement needs a phrase of the lexicon that names a tie ('sister city', 结好, 'letter of intent')
and two parties that the sentence binds to it: joined by a connector ('长沙与吐鲁番', 'Orlando and
Guilin', 'the pair of Hunan and Oromia'), written beside the phrase ('its sister city Batesville',
'日本友城奈良'), or one home with the places the sentence ties to it ('广州就与摩洛哥拉巴特、柬埔寨金边…建立').
A place merely mentioned is never a party: a country, a qualifier ('Carmel, Indiana'), a venue
('a roundtable in Wuhan'), a place in an organisation's name ('Singapore's Ministry of Trade'),
a place in a sentence that speaks of plans ('will soon set up', 拟, 将于) or of sister schools.
Statements whose parties are left to the context (a list line, 'the two cities', a sentence with
no place at all: 'Established on October 23, 1986') are completed by atlas.ingest.propose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from atlas.dates import PartialDate
from atlas.ingest.article import Article
from atlas.ingest.dates import DateContext, DateMention, event_year_of, find_dates, resolve_all
from atlas.ingest.lexicon import Relation, lexicon
from atlas.ingest.mentions import PlaceMention
from atlas.ingest.sentences import Sentence

CJK = re.compile(r"[\u3400-\u9fff]")
CJK_NAME = re.compile(r"[\u3400-\u9fff]+")
CLAUSE_BREAK = re.compile(r"[,，;；:：。!?！？]|(?<=[a-z]),? (?:which|who|while|after|before) ")
CONNECTORS = {"与", "和", "同", "跟", "及", "and", "&", "-", "–", "—", "with", "between", "andof", "ofand", ""}
# Words left out when comparing the text between two places with a connector.
GAP_NOISE = re.compile(
    r"(?i:\b(?:province|state|city|county|prefecture|region|district|municipality|of the|the|of|also|officially)\b)"
    r"|\b(?:Chinese|American|U\.S\.|US)(?=\s)"  # 'the Chinese City of Nanjing and the U.S. City of St. Louis'
    r"|[省市州县区郡\s()（）\"“”'’]|正式|分别|就|也|又|首都|省会",
)
# A phrase of the lexicon inside a name ('Sister Cities Summit', 友好城市大会, 友城贡献奖) names no tie itself.
NAMED_AFTER = re.compile(
    r"^(?:\s*(?:International|Summit|Association|Week|Conference|Exchange|Prize|Award|Day|Selection|Program|"
    r"Programme|Cooperation|Forum|Festival|Concert|Committee|Office|Network)\b|[^，,。、]{0,6}?(?:大会|奖|周(?!年)|论坛|工作|协会|处|节|日))"
)
UPGRADED_FROM = re.compile(r"(?:从|由|from)\s*$", re.IGNORECASE)
SEQUENCE = re.compile(r"(?i)\b(?:eventually|later|subsequently|led to|afterwards)\b|后来|随后|之后|此后")
RESPECTIVELY = re.compile(r"(?i)分别|\brespectively\b")
SINCE_CLAUSE = re.compile(r"(?:自|从)\s*$")
MAX_GENERAL_PARTNERS = 12
SMALL_TOWN = 100_000  # people
COUNTY_AFTER = re.compile(r"(?i)\s+(?:county|district|banner)\b")
COUNTY_WORD = re.compile(
    r"(?i)\b(?:county|district|banner)\b|[县区旗]$"
)  # more in one sentence is a list of prizes or delegations, not of ties


@dataclass(frozen=True)
class TieGroup:
    start: int  # absolute span in Article.text
    end: int
    relation: Relation
    named: bool  # inside a name: binds only a pair written right before it


@dataclass
class Statement:
    reading: Reading
    relation: Relation
    tie: TieGroup | None
    home: PlaceMention | None  # None: the article's home, settled by propose
    partner: PlaceMention | None  # None: the pair of the sentence before, settled by propose
    establishing: bool
    renewal: bool
    date: PartialDate | None = None
    date_span: tuple[int, int] | None = None
    inherited: bool = False  # a list line: its relation is the list's
    how: str = ""


@dataclass
class Reading:
    """What one sentence holds."""

    sentence: Sentence
    text: str  # the sentence in Article.analysis
    places: list[PlaceMention]
    dates: list[tuple[DateMention, PartialDate]]
    ties: list[TieGroup]
    hedged: bool
    refers_back: bool  # 'the two cities', 双方, 'they'
    home_reference: bool  # 'the city', 我市
    anaphor: bool  # 'During the event', 此次
    list_entry: bool
    headline: bool  # a heading or a link's title: it sets no context
    statements: list[Statement] = field(default_factory=list)
    not_ties: list[tuple[int, int]] = field(default_factory=list)  # spans in `text`: 'sister school', …

    @property
    def start(self) -> int:
        return self.sentence.start

    def local(self, position: int) -> int:
        return position - self.sentence.start

    def parties(self) -> list[PlaceMention]:
        return [place for place in self.places if not (place.qualifier or place.organisation or place.is_country)]


def tie_groups(text: str, offset: int, places: list[PlaceMention]) -> list[TieGroup]:
    words = lexicon()
    blocked = [match.span() for match in words.not_ties.finditer(text)]
    matches: list[tuple[int, int, Relation, bool]] = []
    for phrase in words.ties:
        for match in phrase.pattern.finditer(text):
            span = match.span()
            if span[0] == span[1] or any(span[0] < end and start < span[1] for start, end in blocked):
                continue
            if UPGRADED_FROM.search(text[max(0, span[0] - 5) : span[0]]) and re.search(r"升级|upgrad", text[span[1] :]):
                continue  # '从友好交流城市正式升级为友好城市': the former tie
            matches.append((span[0], span[1], phrase.relation, phrase.document))
    matches.sort(key=lambda entry: (entry[0], -entry[1]))
    inside = [(place.start - offset, place.end - offset) for place in places]
    groups: list[list[tuple[int, int, Relation, bool]]] = []
    for match in matches:
        if groups:
            last_end = max(entry[1] for entry in groups[-1])
            gap = text[last_end : match[0]]
            limit = 4 if CJK.search(gap + text[match[0] : match[1]]) else 24
            near = match[0] <= last_end or (
                len(gap) <= limit
                and not re.search(r"[,，;；。、]", gap)
                and not any(last_end <= start < match[0] for start, _ in inside)
            )
            if near:
                groups[-1].append(match)
                continue
        groups.append([match])
    found = []
    for group in groups:
        start, end = min(entry[0] for entry in group), max(entry[1] for entry in group)
        if len(group) > 1 and re.search(r"或|\bor\b", text[start:end]):
            continue  # '友城或友好交流关系城市': the text does not say which
        documents = [entry[2] for entry in group if entry[3]]
        # The longest phrase is the most specific: 缔结友好省州关系 is a friendly province, not a friendship city.
        ties = [entry for entry in group if not entry[3] and entry[2].establishes] or group
        relation = documents[0] if documents else max(ties, key=lambda entry: (entry[1] - entry[0], -entry[2].rank))[2]
        named = bool(NAMED_AFTER.match(text[end : end + 12]))
        found.append(TieGroup(start + offset, end + offset, relation, named))
    return found


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` that holds start..end (commas and the like end clauses)."""
    before = [match.end() for match in CLAUSE_BREAK.finditer(text, 0, start)]
    after = CLAUSE_BREAK.search(text, end)
    return (before[-1] if before else 0, after.start() if after else len(text))


def is_hedged(text: str, start: int, end: int) -> bool:
    """A plan, a wish or a denial: a hedge in the clause of the tie phrase, or opening the next one."""
    words = lexicon()
    clause_start, clause_end = clause_around(text, start, end)
    if words.hedge.search(text, clause_start, clause_end):
        return True
    aim = words.purpose.search(text, clause_start, clause_end)
    # 'she reached an agreement with Sly James, …, to establish sister city ties': an aim signed is a fact
    if aim and not words.signed.search(text, 0, aim.start()):
        return True
    following = text[clause_end + 1 : clause_end + 12].lstrip()
    return bool(words.hedge.match(following) or words.purpose.match(following))


def gap_text(reading: Reading, first: PlaceMention, second: PlaceMention) -> str:
    """The text between two places, qualifiers (with the comma before them), where the first is
    ('Jiangbei District in Chongqing city and Italy Piacenza City') and level words left out."""
    start, end = reading.local(first.end), reading.local(second.start)
    gap = reading.text[start:end]
    for place in reading.places:
        if not (first.end <= place.start and place.end <= second.start):
            continue
        if place.qualifier or place.is_country:
            gap = re.sub(r"[,，]?\s*" + re.escape(place.surface), " ", gap, count=1)
        elif place.is_chinese and first.is_chinese:
            gap = re.sub(r"^\s*in\s+" + re.escape(place.surface), " ", gap, count=1)
    return GAP_NOISE.sub("", gap).casefold()


def connected(reading: Reading, first: PlaceMention, second: PlaceMention) -> bool:
    gap = gap_text(reading, first, second)
    if gap == "" and not (CJK.search(first.surface) and CJK.search(second.surface)):
        return False
    return gap in CONNECTORS


def bound_by_tie(reading: Reading, place: PlaceMention, tie: TieGroup, after: bool) -> bool:
    """Whether `place` is written right after (or before) the tie phrase: 'its sister city Batesville'."""
    if after:
        gap = reading.text[reading.local(tie.end) : reading.local(place.start)]
    else:
        gap = reading.text[reading.local(place.end) : reading.local(tie.start)]
    for other in reading.places:
        if other.qualifier or other.is_country:
            gap = gap.replace(other.surface, "")
    gap = re.sub(r"(?i)\b(?:of|the|its|our|their|is|was|with|city of)\b|首都|对口|[\s:：——\-–,]", "", gap)
    if not after:
        gap = re.sub(r"^(?:与|同|和)", "", gap)  # '广州与友城奥克兰': the home, joined to the phrase
    return gap == ""


def read_sentence(
    article: Article, sentence: Sentence, places: list[PlaceMention], context: DateContext
) -> tuple[Reading, int | None]:
    """One sentence's places, dates and ties, and its statements with the parties it binds itself."""
    words = lexicon()
    text = article.analysis[sentence.start : sentence.end]
    mine = [place for place in places if sentence.start <= place.start and place.end <= sentence.end]
    found = find_dates(text)
    future = bool(words.hedge.search(text) or words.purpose.search(text))
    dates, last_year = resolve_all(
        found,
        DateContext(context.published, context.last_year, event_year_of(found), future, lead_year=context.lead_year),
    )
    ties = tie_groups(text, sentence.start, mine)
    reading = Reading(
        sentence,
        text,
        mine,
        dates,
        ties,
        hedged=any(is_hedged(text, tie.start - sentence.start, tie.end - sentence.start) for tie in ties),
        refers_back=bool(words.pair_reference.search(text)),
        home_reference=bool(words.home_reference.search(text)),
        anaphor=bool(words.anaphora.search(text)),
        list_entry=is_list_entry(text, sentence.start, mine, found),
        headline=is_headline(article, sentence, text),
        not_ties=[match.span() for match in words.not_ties.finditer(text)],
    )
    for tie in ties:
        if not is_hedged(text, tie.start - sentence.start, tie.end - sentence.start):
            reading.statements += statements_of(reading, tie)
    if not RESPECTIVELY.search(text):  # '分别签署了《A》《B》' states two documents of one pair
        reading.statements = one_a_pair(reading.statements)
    assign_dates(reading)
    return reading, last_year


BULLET = re.compile(r"^\s*(?:[•·▪●◦*\-–]|[0-9]{1,2}[.、)])\s*")


def one_a_pair(statements: list[Statement]) -> list[Statement]:
    """A pair the sentence states twice ('签订了友好交流关系协议书,…新增两个友城') keeps the tie phrase nearest it."""
    kept: dict[tuple[int, int] | int, Statement] = {}
    for statement in statements:
        if statement.partner is None or statement.home is None or statement.tie is None:
            kept[id(statement)] = statement
            continue
        key = (statement.home.place.id, statement.partner.place.id)
        if key not in kept or tie_distance(statement) < tie_distance(kept[key]):
            kept[key] = statement
    return list(kept.values())


def apart(start: int, end: int, low: int, high: int) -> int:
    """How far the span `low`–`high` is from the span `start`–`end`."""
    return min(abs(low - end), abs(start - high))


def tie_distance(statement: Statement) -> int:
    partner, tie = statement.partner, statement.tie
    return apart(partner.start, partner.end, tie.start, tie.end)


def is_headline(article: Article, sentence: Sentence, text: str) -> bool:
    """A whole line without a full stop, in title case (English) or short (Chinese)."""
    line = article.lines[sentence.line]
    if (sentence.start, sentence.end) != (line.start, line.end) or re.search(r"[.。!?！？]$", text):
        return False
    if CJK.search(text):
        return len(text) <= 30
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    capitalised = [word for word in words if word[0].isupper()]
    return len(words) >= 3 and len(capitalised) >= 0.6 * len(words)


def is_list_entry(text: str, offset: int, places: list[PlaceMention], dates: list[DateMention]) -> bool:
    """A line that is a place and little more (' Montpellier, France; since 1979.', '1. 日本大分市'),
    or a bulleted line."""
    if places and BULLET.match(text):
        return not re.match(r"^\s*\W*\s*[A-Z]\w+\s*:", text)  # '• Location : …' is a fact box
    if not places or len(text) > 90:
        return False
    spans = [(place.start - offset, place.end - offset) for place in places] + [
        (date.start, date.end) for date in dates
    ]
    rest = "".join(
        char for position, char in enumerate(text) if not any(start <= position < end for start, end in spans)
    )
    rest = re.sub(
        r"(?i)\b(?:since|city|the|province|state|in|sister city|friendship city)\b|[\d.;:,()（）\s–—\-•·*、:：市省州]",
        "",
        rest,
    )
    return len(rest) <= 4


def statements_of(reading: Reading, tie: TieGroup) -> list[Statement]:
    """The statements one tie phrase makes with the parties its sentence binds to it."""
    words = lexicon()
    parties = [
        place
        for place in reading.parties()
        if not is_venue(reading, place)
        and not bare_county(reading, place)
        and not small_town(place)
        and not (reading.sentence.is_title and terse_name(place))
    ]
    foreign = [place for place in parties if not place.is_chinese]
    homes = [place for place in parties if place.is_chinese]
    establishing = bool(words.establish.search(reading.text)) and not words.renew.search(reading.text)
    renewal = bool(words.renew.search(reading.text))
    pairs: list[tuple[PlaceMention | None, PlaceMention, str]] = []
    bound: set[int] = set()
    # An aside naming a partner's own home: '…和第一乌拉尔斯克(其伙伴为哈尔滨道里区)结为友好关系' ties
    # Pervouralsk to Daoli District, and the rest of the list to the sentence's other home.
    asides: list[tuple[PlaceMention | None, PlaceMention, str]] = []
    for home in list(homes):
        partner = bracketed_after(reading, home, foreign)
        if partner is not None:
            asides.append((home, partner, "its home named in brackets after it"))
            bound |= {id(home), id(partner)}
            homes.remove(home)
    # Pairs joined by a connector: '长沙与吐鲁番', 'Orlando and Guilin', 'the pair of Hunan and Oromia'.
    for first, second in pairwise(parties):
        if id(first) in bound or id(second) in bound or not connected(reading, first, second):
            continue
        if first.is_chinese and not second.is_chinese:
            pairs.append((first, second, "joined in the text"))
        elif second.is_chinese and not first.is_chinese:
            pairs.append((second, first, "joined in the text"))
        elif first.is_chinese and second.is_chinese and not foreign:
            pairs.append((first, second, "two Chinese places joined in the text"))
        else:
            continue
        bound |= {id(first), id(second)}
    # A list around a partner joined to its home shares that home: '广州就与摩洛哥拉巴特、柬埔寨金边…和捷克布拉格'.
    for home, partner, _ in list(pairs):
        for place in listed_with(reading, foreign, partner):
            if id(place) not in bound:
                pairs.append((home, place, "listed with a partner joined to its home"))
                bound.add(id(place))
    pairs = asides + pairs
    # '与日本新潟县、北海道、山形县,…和美国威斯康星州等友城间的…交流工作': the list before 等 names them as partners
    # (even when a name seems to follow: 友城…工作).
    called = [place for place in called_partners(reading, foreign, tie) if id(place) not in bound]
    if called and len(home_names(homes)) <= 1:
        home = homes[0] if homes else None
        pairs += [(home, place, "listed as partners before 等") for place in called]
        bound |= {id(place) for place in called}
    if tie.named or tie.relation.tier == 0:
        # A name ('Sister City Association') or a cooperation agreement ties only a pair written as one,
        # or a partner right after 'with' ('signed cooperation agreement … with Ulyanovsk State').
        if tie.relation.tier == 0 and not pairs and not homes and not organisation_home(reading):
            pairs = [(None, place, "the partner it was signed with") for place in foreign if after_with(reading, place)]
        return [make(reading, tie, home, partner, how, establishing, renewal) for home, partner, how in pairs]
    # A place written right beside the phrase: 'its sister city Batesville', '云南省对口友城越南老街省'.
    for place in parties:
        if id(place) in bound:
            continue
        if not place.is_chinese and place.start >= tie.end and bound_by_tie(reading, place, tie, after=True):
            home = next(
                (other for other in homes if other.end <= tie.start and bound_by_tie(reading, other, tie, False)), None
            )
            if home is None and in_relative_clause(reading, tie):
                # '… with the U.S. City of Los Angeles, which is also a sister City of Taipei': Los Angeles's tie
                bound.add(id(place))
                continue
            if home is None and len({other.place.id for other in homes}) == 1:
                home = homes[0]  # 'Hefei has partnered itself with the city of Bujumbura'
            pairs.append((home, place, "named beside the tie phrase"))
            bound.add(id(place))
            if home is not None:
                bound.add(id(home))
            # '日本友城奈良、京都', '广州与友城奥克兰、洛杉矶': the list goes on after the name beside the phrase.
            for listed in listed_with(reading, foreign, place):
                if id(listed) not in bound and listed.start > place.start:
                    pairs.append((home, listed, "listed with a partner named beside the tie phrase"))
                    bound.add(id(listed))
    # One home and the places the sentence ties to it (each place to the tie phrase nearest it).
    loose = [
        place
        for place in foreign
        if id(place) not in bound and nearest_tie(reading, place) is tie and not nearer_not_tie(reading, place, tie)
    ]
    free_homes = {place.place.id: place for place in homes if id(place) not in bound}
    if loose and len(loose) <= MAX_GENERAL_PARTNERS:
        single_home = len(home_names(homes)) == 1
        if not single_home and CJK.search(reading.text[reading.local(tie.start) : reading.local(tie.end)]):
            # '自1982年长沙市与刚果的布拉柴维尔市缔结为友好城市以来,…湖南已…': the home in the tie's clause
            # (Chinese separates clauses with commas; English lists places with them).
            start, end = clause_around(reading.text, reading.local(tie.start), reading.local(tie.end))
            in_clause = [h for h in homes if start <= reading.local(h.start) and reading.local(h.end) <= end]
            if len(home_names(in_clause)) == 1 and not bound:
                homes, free_homes, single_home = in_clause, {in_clause[0].place.id: in_clause[0]}, True
            beside = [h for h in homes if h.end <= tie.start and bound_by_tie(reading, h, tie, after=False)]
            if not single_home and len(home_names(beside)) == 1 and all(place.end <= tie.start for place in loose):
                # '新南威尔士州、…巴伐利亚州等9个广东友好省州的代表': the home written right before the phrase
                homes, free_homes, single_home = beside, {beside[0].place.id: beside[0]}, True
        if single_home or (len(free_homes) == 1 and (not pairs or not homes_bound(homes, bound))):
            home = next(iter(free_homes.values())) if free_homes else homes[0]
            if home.start >= tie.end and bound_by_tie(reading, home, tie, after=True) and loose[0].end <= tie.start:
                loose = loose[:1]  # 'Cusco, gateway to Peru's Machu Picchu, is twinned with Xi'an': the subject
            pairs += [(home, place, "the sentence's one home") for place in loose]
        elif not homes and not pairs and not organisation_home(reading) and (establishing or reading.home_reference):
            # No home named: the article's, when the sentence says a tie was made ('…结好的') or names
            # 'our city'; not when it only speaks of ties ('a multitude of city partnerships').
            pairs += [(None, place, "the article's home") for place in loose]
        elif len(loose) == 1 and len(free_homes) > 1 and coordinated(reading, list(free_homes.values())):
            pairs += [(home, loose[0], "homes named together") for home in free_homes.values()]
    if not pairs and not foreign:
        # No partner here: the context may give it ('… for example, …', a list, 'the two cities').
        home = next(iter(free_homes.values())) if len(free_homes) == 1 else None
        return [make(reading, tie, home, None, "no partner in the sentence", establishing, renewal)]
    return [make(reading, tie, home, partner, how, establishing, renewal) for home, partner, how in pairs]


ASIDE_OPENS = re.compile(r"^\s*[(（][^()（）]{0,8}$")
ASIDE_CLOSES = re.compile(r"^[^()（）]{0,4}[)）]")


RELATIVE_CLAUSE = re.compile(r"(?i),\s*(?:which|who)\b[^,;]*$")


def in_relative_clause(reading: Reading, tie: TieGroup) -> bool:
    """Whether the tie phrase is in a clause about the place before it (', which is also a sister city of')."""
    return bool(RELATIVE_CLAUSE.search(reading.text[: reading.local(tie.start)]))


def bracketed_after(reading: Reading, home: PlaceMention, foreign: list[PlaceMention]) -> PlaceMention | None:
    """The partner right before the brackets that hold `home`: '第一乌拉尔斯克(其伙伴为哈尔滨道里区)'."""
    before = [place for place in foreign if place.end <= home.start]
    if not before or not ASIDE_CLOSES.match(reading.text[reading.local(home.end) :]):
        return None
    partner = max(before, key=lambda place: place.end)
    aside = reading.text[reading.local(partner.end) : reading.local(home.start)]
    for place in reading.places:
        if place.qualifier and partner.end <= place.start and place.end <= home.start:
            aside = aside.replace(place.surface, "")
    return partner if ASIDE_OPENS.match(aside) else None


LIST_SEPARATORS = {"、", "和", "及", ",", "，", "and", ",and", "以及"}


def listed_with(reading: Reading, foreign: list[PlaceMention], partner: PlaceMention) -> list[PlaceMention]:
    """The partners written in one list with `partner`, separated by 、 / 和 / ', and'."""
    ordered = sorted(foreign, key=lambda place: place.start)
    if partner not in ordered:
        return []
    position = ordered.index(partner)
    found = []
    for step in (-1, 1):
        index = position
        while 0 <= index + step < len(ordered):
            first, second = sorted((ordered[index], ordered[index + step]), key=lambda place: place.start)
            if gap_text(reading, first, second) not in LIST_SEPARATORS:
                break
            index += step
            found.append(ordered[index])
    return found


ETC_BEFORE = re.compile(r"^\s*等(?:[0-9一二两三四五六七八九十]+个)?$")
LIST_ITEM_SEPARATORS = re.compile(r"[、,，]|以及|和|及")
UNKNOWN_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}[省州县道市郡区府]")


def called_partners(reading: Reading, foreign: list[PlaceMention], tie: TieGroup) -> list[PlaceMention]:
    """The places of the list right before '等' and a tie phrase ('A、B和C等友城'), which it calls partners;
    names the gazetteer does not know may stand between them, nothing else."""
    if tie.relation.tier < 2:
        return []
    before = sorted((place for place in foreign if place.end <= tie.start), key=lambda place: place.start)
    if not before or not ETC_BEFORE.match(reading.text[reading.local(before[-1].end) : reading.local(tie.start)]):
        return []
    listed = [before[-1]]
    for place in reversed(before[:-1]):
        gap = reading.text[reading.local(place.end) : reading.local(listed[0].start)]
        for other in reading.places:
            if other.is_country and place.end <= other.start and other.end <= listed[0].start:
                gap = gap.replace(other.surface, "")
        items = [item for item in LIST_ITEM_SEPARATORS.split(gap) if item]
        if not LIST_ITEM_SEPARATORS.search(gap) or not all(UNKNOWN_PLACE.fullmatch(item) for item in items):
            break
        listed.insert(0, place)
    return listed


def home_names(homes: list[PlaceMention]) -> set[str]:
    """Homes by name: 长沙 (the town) and 长沙市 (the prefecture) are one home."""
    return {
        re.sub(r"(?i)\s+(?:province|city)$|[省市]$", "", place.place.name_zh or place.place.name) for place in homes
    }


def nearest_tie(reading: Reading, place: PlaceMention) -> TieGroup:
    return min(reading.ties, key=lambda tie: apart(place.start, place.end, tie.start, tie.end))


def nearer_not_tie(reading: Reading, place: PlaceMention, tie: TieGroup) -> bool:
    """'… and a letter of intent to launch cultural cooperation with San Antonio': the phrase nearest
    the place names something that is no tie."""
    start, end = reading.local(place.start), reading.local(place.end)
    to_tie = apart(start, end, reading.local(tie.start), reading.local(tie.end))
    return any(apart(start, end, low, high) < to_tie for low, high in reading.not_ties)


def after_with(reading: Reading, place: PlaceMention) -> bool:
    return bool(re.search(r"(?i)\bwith\s+(?:the\s+)?$|与$|同$", reading.text[: reading.local(place.start)]))


def organisation_home(reading: Reading) -> bool:
    """A Chinese place inside a company's name is the side: '马尔凯大区与株洲芦淞服饰城签订合作意向'."""
    company = lexicon().company_after
    return any(
        place.is_chinese and place.organisation and company.search(reading.text[reading.local(place.end) :])
        for place in reading.places
    )


def homes_bound(homes: list[PlaceMention], bound: set[int]) -> bool:
    return any(id(home) in bound for home in homes)


def coordinated(reading: Reading, homes: list[PlaceMention]) -> bool:
    ordered = sorted(homes, key=lambda place: place.start)
    return all(gap_text(reading, first, second) in {"and", "与", "和", "、", ""} for first, second in pairwise(ordered))


def bare_county(reading: Reading, place: PlaceMention) -> bool:
    """A Chinese county or district named without its level word ('Xinhua', not 'Xinhua District' nor
    'Haiyan county') is too often a word, a name or an agency to be a party."""
    after = reading.text[reading.local(place.end) : reading.local(place.end) + 10]
    level_word = COUNTY_WORD.search(place.surface) or COUNTY_AFTER.match(after)
    return place.is_chinese and place.place.level == "county" and not level_word


def terse_name(place: PlaceMention) -> bool:
    """Two Chinese characters for a foreign town, its country not written beside them: in a headline
    they are as often a word cut in two ('重庆友城知多少' holds 知多, a town of Japan)."""
    return (
        not place.is_chinese
        and bool(CJK_NAME.fullmatch(place.surface))
        and len(place.surface) <= 2
        and not place.qualified
    )


def small_town(place: PlaceMention) -> bool:
    """A Chinese town of two characters is more often part of a word ('大洋洲' holds 洋洲) than a home."""
    return (
        place.is_chinese
        and place.place.level == "city"
        and place.place.population < SMALL_TOWN
        and bool(CJK_NAME.fullmatch(place.surface))
        and len(place.surface) <= 2
    )


def is_venue(reading: Reading, place: PlaceMention) -> bool:
    """Where something happened or a report was filed, not a party: 'a roundtable in Wuhan',
    'CHONGQING, Nov. 10 (Xinhua) --'."""
    before = reading.text[max(0, reading.local(place.start) - 12) : reading.local(place.start)]
    return bool(lexicon().venue_before.search(before)) or dateline_follows(reading, place)


def is_dateline(reading: Reading, place: PlaceMention) -> bool:
    """Where a report was filed, or the agency that filed it: 'WASHINGTON, March 14 (Xinhua) --'."""
    before = reading.text[max(0, reading.local(place.start) - 6) : reading.local(place.start)]
    return dateline_follows(reading, place) or bool(re.search(r"\d{1,2}\s*\($", before))


def dateline_follows(reading: Reading, place: PlaceMention) -> bool:
    after = reading.text[reading.local(place.end) : reading.local(place.end) + 60]
    return bool(lexicon().dateline_after.match(after))


def make(
    reading: Reading,
    tie: TieGroup,
    home: PlaceMention | None,
    partner: PlaceMention | None,
    how: str,
    establishing: bool,
    renewal: bool,
) -> Statement:
    return Statement(reading, tie.relation, tie, home, partner, establishing, renewal, how=how)


def assign_dates(reading: Reading) -> None:
    """Each date goes to the statement nearest it (its partner, or its tie phrase when the sentence
    names none), and each statement keeps the nearest of its dates that governs it."""
    words = lexicon()
    usable = []
    for mention, date in reading.dates:
        before = reading.text[max(0, mention.start - 8) : mention.start]
        if words.as_of.search(before):
            continue  # '截至2024年': the date of a count
        usable.append((mention, date))

    def anchor(statement: Statement) -> int:
        if statement.partner is not None:
            return reading.local(statement.partner.start)
        return reading.local(statement.tie.start) if statement.tie else 0

    ties = sorted({id(s.tie): s.tie for s in reading.statements if s.tie}.values(), key=lambda tie: tie.start)
    if RESPECTIVELY.search(reading.text) and len(usable) == len(ties) > 1:
        # '2015年、2016年,两市分别签署了《…意向书》《…备忘录》': the dates go to the documents in order.
        dated = {id(tie): entry for tie, entry in zip(ties, usable, strict=True)}
        for statement in reading.statements:
            mention, date = dated[id(statement.tie)]
            statement.date = date
            statement.date_span = (reading.start + mention.start, reading.start + mention.end)
        return
    partners = [reading.local(s.partner.start) for s in reading.statements if s.partner is not None]
    if len(usable) == 1 and partners and usable[0][0].end <= min(partners):
        # '2014年,印度艾哈迈达巴德、波兰罗兹…也成为了广州的“姐妹城市”': a leading date dates the whole sentence.
        mention, date = usable[0]
        for statement in reading.statements:
            if governs(reading, mention, reading.local(statement.tie.start) if statement.tie else 0):
                statement.date = date
                statement.date_span = (reading.start + mention.start, reading.start + mention.end)
        return
    for statement in reading.statements:
        tie_start = reading.local(statement.tie.start) if statement.tie else anchor(statement)
        mine = []
        for mention, date in usable:
            if not governs(reading, mention, tie_start):
                continue
            nearest = min(reading.statements, key=lambda other: distance(mention, anchor(other)))
            same_partner = (
                nearest.partner is not None
                and statement.partner is not None
                and nearest.partner.place.id == statement.partner.place.id
            )
            if nearest is statement or same_partner:
                mine.append((mention, date))
        if mine:
            mention, date = min(mine, key=lambda entry: distance(entry[0], anchor(statement)))
            statement.date = date
            statement.date_span = (reading.start + mention.start, reading.start + mention.end)


def governs(reading: Reading, mention: DateMention, tie_start: int) -> bool:
    """A date inside '自2013年…以来' governs only a tie phrase inside that clause, and none across
    'which eventually led to' (the tie came later)."""
    low, high = sorted((mention.end, tie_start))
    if SEQUENCE.search(reading.text, low, high):
        return False
    if SINCE_CLAUSE.search(reading.text[max(0, mention.start - 2) : mention.start]):
        close = reading.text.find("以来", mention.end)
        if close >= 0 and not mention.start <= tie_start <= close:
            return False
    return True


def distance(mention: DateMention, position: int) -> int:
    return min(abs(mention.start - position), abs(mention.end - position))
