"""An article as text: read safely, its page furniture removed, its own date and source kept.

`read_article_file` checks what it is given (size, binary, encoding, emptiness) and says what is
wrong in one clear message; `clean` turns any pasted text into an `Article`: the lines of the
article itself (navigation, bylines, captions, pagers, footers and spam headers dropped; a line
repeated is kept once), its title, its own date (a date line such as '发布时间：2024-11-20' or
'Updated: 2011-06-01', never a date inside a link) and its source URL (the file's first line or
a 'Source: https://…' line, never a link inside the text).

`Article.text` is what spans refer to; `Article.analysis` is the same text, character for
character, in simplified script with its pinyin noise ('國(guó)') already gone, for matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from atlas.dates import PartialDate
from atlas.errors import AtlasError
from atlas.ingest.dates import DateContext, find_dates, resolve
from atlas.ingest.lexicon import lexicon
from atlas.tables import CONTROL_CHARACTERS

# An article is read in bounded time: the longest page collected is 6 KB. A longer input is refused
# before it is read.
MAX_ARTICLE_BYTES = 200_000
URL = re.compile(r"https?://[^\s<>\"'）)\]]+")
CJK = re.compile(r"[\u3400-\u9fff]")
# A web or mail address in the text ('来源:en.changsha.gov.cn', 'btr2031@163.com'): no place names in it,
# and its lower-case 'changsha' must not make the name a common word elsewhere.
ADDRESS = re.compile(
    r"(?i)(?<![a-z0-9._+-])(?:https?://)?(?:[a-z0-9._+-]+@)?(?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|int|info|uk|jp|kr|de|fr|us|ca|au|nz|co)"
    r"\b(?:/[^\s<>\"']*)?"
)
# Pinyin a mirror site injected after characters: '國(guó)際' -> '國際'.
PINYIN_NOISE = re.compile(r"(?<=[\u3400-\u9fff])\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
WIDE = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)} | {code: code - 0xFEE0 for code in range(0xFF21, 0xFF5B)}
SPACES = {0x00A0: " ", 0x3000: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: "", 0xFEFF: "", 0x200E: ""}
TIME = re.compile(r"\b[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\s*[AP]M)?\b", re.IGNORECASE)
# A line naming where the article came from: its address is the row's source_url.
SOURCE_LINE = re.compile(r"(?i)^(?:source|来源|來源|文章来源)\s*[:：]")
BREADCRUMB = re.compile(r"(?:>|»|›|＞).*(?:>|»|›|＞)|^(?:首页|Home)\s*[>»›＞]", re.IGNORECASE)
# A line made of many short items between separators: menus, footers, spam keyword headers.
SEPARATED_ITEMS = re.compile(r"[|｜丨]|(?<=\S)-(?=\S)|\s{3,}")
BODY_LINE = 80  # characters: a line this long is a paragraph of the article
# Brackets and hashtags around a line: '#深圳和巴塞罗那升级为友好城市#', '】11月22日，…'.
STRAY_PUNCTUATION = re.compile(r"^[#【】\[\]>»|]+|[#【】|]+$")
MENU_ITEM_MAX = 8  # characters of a menu line (Chinese) or words (English)


class ArticleError(AtlasError):
    """The input cannot be read as an article."""


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Article:
    name: str  # the file's name, or what the caller called the text
    text: str  # the cleaned text: title line first, then the article's lines
    analysis: str  # `text` in simplified script, same length, for matching
    title: str
    url: str
    published: PartialDate | None
    lines: tuple[Line, ...]
    dropped: int  # lines of page furniture left out

    @property
    def title_end(self) -> int:
        return len(self.title)

    @property
    def source_title(self) -> str:
        """Where a row came from: the title, with the file name when there is no address."""
        return self.title if self.url else f"{self.name}: {self.title}"


def read_article_file(path: Path) -> str:
    """The file's text; ArticleError naming the file (and line) when it is not a plain-text article."""
    path = Path(path)
    if path.is_dir():
        raise ArticleError(f"{path}: is a directory, not an article")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(too_long(str(path), size))
        with path.open("rb") as stream:
            raw = stream.read(MAX_ARTICLE_BYTES + 1)
    except FileNotFoundError:
        raise ArticleError(f"{path}: file not found") from None
    except OSError as error:
        raise ArticleError(f"{path}: cannot be read: {error.strerror}") from None
    return decode_article(raw, str(path))


def too_long(name: str, size: int) -> str:
    limit = f"{MAX_ARTICLE_BYTES:,} bytes"
    return f"{name}: {size:,} bytes is longer than an article may be ({limit}); give the text of one article"


def decode_article(raw: bytes, name: str) -> str:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(too_long(name, len(raw)))
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ArticleError(f"{name} line {line}: a NUL byte: this is not a text file; give a plain-text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.start + 4]
        raise ArticleError(
            f"{name} line {line}: bytes {bad!r} at offset {error.start} are not UTF-8; "
            "give a plain-text article saved as UTF-8"
        ) from None
    check_text(text, name)
    return text


def check_text(text: str, name: str) -> None:
    """Pasted text (the editor's) meets the same limits as a file."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(too_long(name, size))
    for number, line in enumerate(text.splitlines(), start=1):
        if any(char in CONTROL_CHARACTERS - {"\f", "\v", "\r"} for char in line):
            raise ArticleError(f"{name} line {number}: holds control characters, so it is not a plain-text article")
    if not text.strip():
        raise ArticleError(f"{name}: is empty: nothing to read")


@lru_cache(maxsize=1)
def simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` in simplified script, character for character (a line whose length would change stays)."""
    if not CJK.search(text):
        return text
    converter = simplifier()
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    lines = [converter.convert(line) for line in text.split("\n")]
    return "\n".join(new if len(new) == len(old) else old for new, old in zip(lines, text.split("\n"), strict=True))


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(WIDE).translate(SPACES)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return PINYIN_NOISE.sub("", text)


def date_line(line: str) -> tuple[PartialDate, bool] | None:
    """The date a line gives when it is a date line, and whether it is labelled as the article's own."""
    words = lexicon().published_labels
    line = URL.sub(" ", line)  # a date inside a link dates the link
    mentions = [mention for mention in find_dates(line) if mention.year is not None and not mention.event_year]
    if not mentions:
        return None
    first = mentions[0]
    date = resolve(first, DateContext())
    if date is None:
        return None
    rest = ADDRESS.sub("", URL.sub("", line[: first.start] + line[first.end :]))  # '来源:en.changsha.gov.cn'
    labelled = bool(TIME.search(rest) or words.search(rest) or re.search(r"[|｜]", rest))
    if words.search(line[max(0, first.start - 8) : first.start]) and len(line) <= 200:
        return date, True  # a byline: '作者:… 更新时间:2017-8-27 17:06:34 …'
    rest = TIME.sub("", rest)
    rest = words.sub("", rest)
    rest = re.sub(r"[\s|｜:：()（）\[\]【】·,.\-]+", "", rest)
    if len(rest) > 14 or (len(rest) > 6 and not labelled):
        return None
    return date, labelled


def is_menu_line(line: str) -> bool:
    if re.search(r"[.。!?！？;；]$", line) or any(char.isdigit() for char in line):
        return False
    if CJK.search(line):
        return len(line) <= MENU_ITEM_MAX
    return len(line.split()) <= 3 and len(line) <= 30


def is_separated_items(line: str) -> bool:
    items = [item for item in SEPARATED_ITEMS.split(line) if item.strip()]
    return len(items) >= 4 and not re.search(r"[。.!?！？,，]\s", line) and max(map(len, items)) <= 40


def is_furniture(line: str) -> bool:
    if lexicon().furniture.search(line) and len(line) <= 300:
        return True
    if BREADCRUMB.search(line) and len(line) <= 200:
        return True
    if re.fullmatch(r"[\d\s\[\]./|·-]+", line):  # pagers, image sizes, view counts
        return True
    if URL.fullmatch(line):
        return True
    return is_separated_items(line)


def clean(text: str, name: str = "article") -> Article:
    """The article in `text` (see the module docstring)."""
    check_text(text, name)
    lines = [line.strip() for line in normalised(text).split("\n")]
    url = ""
    first = next((index for index, line in enumerate(lines) if line), None)
    if first is not None and URL.fullmatch(lines[first]):
        url = lines[first]
        lines[first] = ""
    kept: list[tuple[int, str]] = []  # (paragraph, line)
    published: list[tuple[int, PartialDate, bool]] = []
    seen: set[str] = set()
    menu_run: list[int] = []
    paragraph, dropped = 0, 0
    for line in lines:
        line = STRAY_PUNCTUATION.sub("", line).strip()
        if not line:
            paragraph += 1
            continue
        source = SOURCE_LINE.match(line) and URL.search(line)
        if source and not url:
            url = source.group(0)
        found = date_line(line)
        if found is not None:
            before_body = not any(len(entry) >= BODY_LINE for _, entry in kept)
            published.append((before_body, *found))
            dropped += 1
            continue
        if line in seen or is_furniture(line) or not re.search(r"[^\W\d_]", line):
            dropped += 1
            continue
        seen.add(line)
        if is_menu_line(line):
            menu_run.append(len(kept))
        elif len(menu_run) >= 4:
            dropped += len(menu_run)
            kept = [entry for position, entry in enumerate(kept) if position not in set(menu_run)]
            menu_run = []
        else:
            menu_run = []
        kept.append((paragraph, line))
    if len(menu_run) >= 4:
        dropped += len(menu_run)
        kept = [entry for position, entry in enumerate(kept) if position not in set(menu_run)]
    kept = joined_wrapped(kept)
    while kept and not is_title(kept[0][1]) and len(kept) > 1 and len(kept[0][1]) < 40 and is_title(kept[1][1]):
        kept = kept[1:]  # a site's name above the heading
        dropped += 1
    title = kept[0][1] if kept and is_title(kept[0][1]) else ""
    pieces: list[str] = []
    spans: list[Line] = []
    offset = 0
    previous = None
    for paragraph_number, line in kept:
        if pieces:
            separator = "\n" if paragraph_number == previous else "\n\n"
            pieces.append(separator)
            offset += len(separator)
        pieces.append(line)
        spans.append(Line(offset, offset + len(line), paragraph_number))
        offset += len(line)
        previous = paragraph_number
    cleaned = "".join(pieces)
    return Article(
        name,
        cleaned,
        without_addresses(simplified(cleaned)),
        title,
        url,
        article_date(published),
        tuple(spans),
        dropped,
    )


def without_addresses(text: str) -> str:
    """`text` with each web or mail address blanked out, character for character."""
    return ADDRESS.sub(lambda match: " " * len(match.group(0)), text)


def joined_wrapped(kept: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A hard-wrapped sentence that goes on in lower case on the next line is one line."""
    joined: list[tuple[int, str]] = []
    for paragraph, line in kept:
        if (
            joined
            and joined[-1][0] == paragraph
            and re.search(r"[A-Za-z,]$", joined[-1][1])
            and re.match(r"[a-z]", line)
        ):
            joined[-1] = (paragraph, joined[-1][1] + " " + line)
        else:
            joined.append((paragraph, line))
    return joined


def is_title(line: str) -> bool:
    words = len(line.split()) + len(CJK.findall(line)) // 2
    return words >= 3 and len(line) <= 200 and not re.search(r"[.。!?！？]$", line)


def article_date(candidates: list[tuple[bool, PartialDate, bool]]) -> PartialDate | None:
    """A labelled date line anywhere ('Updated: …', '发布时间：…', '… 08:01 潇湘晨报'), else a bare date
    line above the article's first paragraph (a bare date under a teaser further down dates the teaser);
    the first of either. A site-wide date above the article loses to a labelled one."""
    labelled = [date for _, date, is_labelled in candidates if is_labelled]
    if labelled:
        return labelled[0]
    above = [date for before_body, date, _ in candidates if before_body]
    return above[0] if above else None
