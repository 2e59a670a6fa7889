"""How names are compared: one folding for every place name in the project."""

from __future__ import annotations

import re
import unicodedata

CJK = re.compile(r"[\u3400-\u9fff]")
# Letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d", "œ": "oe"})


def fold(text: str) -> str:
    """Compare names without case, accents or punctuation: 'Düsseldorf' == 'dusseldorf', and
    'Nukuʻalofa' (an ʻokina, a modifier letter) == "Nuku'alofa"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum() and not "\u02b0" <= char <= "\u02ff")


def search_key(text: str) -> str:
    """The gazetteer's key for a name: folded, with ø, æ, ł and the like as plain letters, so that
    'Lørenskog', 'Lorenskog' and 'LØRENSKOG' are one key."""
    return fold(text.casefold().translate(UNDECOMPOSED))


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


# Letters that transliterations of one name write differently: "Zalischyky" and "Zalishchyky",
# "Vyzhnytsia" and "Vyzhnytsya", "Haidari" and "Chaïdári".
LOOSE_LETTERS = str.maketrans({"y": "i", "j": "i", "w": "v", "h": None})
REPEATED = re.compile(r"(.)\1+")


def spelling_key(text: str) -> str:
    """A looser key than `search_key`, for a name written in another transliteration: without h
    (and the ch, kh it ends), with y and j as i, w as v, and no doubled letters. '' for Chinese."""
    key = search_key(text)
    if not key or has_cjk(key):
        return ""
    return REPEATED.sub(r"\1", key.replace("ch", "h").replace("kh", "h").translate(LOOSE_LETTERS))
