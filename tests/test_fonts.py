"""The committed Atlas Sans web fonts: present, really WOFF2, small enough to serve, wired into the CSS.

These read the committed files only, so they pass without fonttools or Debian's Noto CJK; the glyph
coverage check runs where fonttools (dev-only) is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.fonts import font_version

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
FONTS = ("atlas-sans-sc-regular.woff2", "atlas-sans-sc-bold.woff2")
# Each file is about 0.6 MB today; the bound leaves room for more place names, not for a full CJK font.
MAX_BYTES = 1_500_000


@pytest.mark.parametrize("name", FONTS)
def test_font_is_a_small_woff2(name: str) -> None:
    path = ASSETS / "fonts" / name
    assert path.is_file(), f"{path} missing: run `python -m atlas subset-font`"
    assert path.read_bytes()[:4] == b"wOF2"
    assert path.stat().st_size <= MAX_BYTES


def test_stylesheet_serves_both_weights_from_assets() -> None:
    css = (ASSETS / "fonts.css").read_text(encoding="utf-8")
    urls = re.findall(r"""url\(["']?([^"')?]+)\?v=(\w+)["']?\)""", css)
    assert sorted(path for path, _ in urls) == sorted(f"fonts/{name}" for name in FONTS)
    # Relative to /assets/fonts.css, as Dash serves it; each versioned by its content, as browsers keep it a year.
    assert all(version == font_version(ASSETS / path) for path, version in urls)
    assert re.findall(r"font-weight:\s*(\d+)", css) == ["400", "700"]
    assert css.count('font-family: "Atlas Sans"') == 2


def test_licence_ships_with_the_fonts() -> None:
    licence = (ASSETS / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in licence.splitlines()[0]
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
