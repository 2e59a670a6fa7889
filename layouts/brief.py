"""The partner brief as a printable HTML page (Jinja2, escaping every value): no Dash on this page.

The map's figure travels as JSON in a data block (Jinja's `tojson`, which escapes "<", ">" and "&",
so nothing in it can close the block) that assets/brief/brief.js draws with the app's own
plotly.js: the Content-Security-Policy runs no inline script.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from atlas.brief import Brief
from atlas.i18n import html_lang, t

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def citation_mark(number: int | None) -> Markup:
    """A superscript '[2]' linking to the second source; nothing when the entry names none."""
    if number is None:
        return Markup("")
    return Markup('<sup class="cite"><a href="#source-{0}">[{0}]</a></sup>').format(number)


def brief_page(brief: Brief | None, lang: str, asset: Callable[[str], str], message: str = "") -> str:
    """The brief of a partnership, or (`brief` None) the page that says there is none, with `message`."""
    other = "en" if lang == "zh" else "zh"
    language = {"lang": "zh"} if lang == "zh" else {}
    return TEMPLATES.get_template("brief.html").render(
        brief=brief,
        title=f"{brief.title} · {t('brief_title', lang)}" if brief else message,
        html_lang=html_lang(lang),
        other_lang=html_lang(other),
        t=lambda key: t(key, lang),
        cite=citation_mark,
        asset=asset,
        atlas_link="/?" + urlencode({"focus": brief.id, **language}) if brief else "",
        home_link="/?" + urlencode(language) if language else "/",
        message=message,
    )
