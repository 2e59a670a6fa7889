"""How names are compared: one folding for every place name in the project."""

from __future__ import annotations

import re
import unicodedata

CJK = re.compile(r"[\u3400-\u9fff]")
# Letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d", "œ": "oe"})


def fold(text: str) -> str:
    """Compare names without case, accents or punctuation: 'Düsseldorf' == 'dusseldorf'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def search_key(text: str) -> str:
    """The gazetteer's key for a name: folded, with ø, æ, ł and the like as plain letters, so that
    'Lørenskog', 'Lorenskog' and 'LØRENSKOG' are one key."""
    return fold(text.casefold().translate(UNDECOMPOSED))


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))
