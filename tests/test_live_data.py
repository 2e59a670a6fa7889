"""The live `data/` as it is today: the one test that reads it, so that a true row added there is checked
without any other test depending on its counts (they run on the frozen tests/fixtures/data)."""

from __future__ import annotations

import re

import pytest
from datadir import LIVE_DATA, PROJECT_ROOT, file_hashes, run_atlas

from atlas.load import load_atlas
from atlas.validate import has_errors, validate_directory

FONTS = ("atlas-sans-sc-regular.woff2", "atlas-sans-sc-bold.woff2")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def test_live_data_validates_loads_and_is_left_unchanged() -> None:
    before = file_hashes(LIVE_DATA)
    result = run_atlas("validate", "--data", str(LIVE_DATA))
    assert result.returncode == 0, result.stdout
    assert result.stderr.startswith(f"{LIVE_DATA}: 0 error(s), ")
    assert not has_errors(validate_directory(LIVE_DATA))
    atlas = load_atlas(LIVE_DATA)
    assert len(atlas.partnerships) > 0
    assert atlas.partnerships[["home_lat", "home_lon", "lat", "lon"]].notna().all().all()
    # Every hub draws at least one tie (a hub whose ties are all letters of intent counts none of them).
    assert all(len(atlas.hub_rows[hub.id]) > 0 for hub in atlas.hubs)
    assert file_hashes(LIVE_DATA) == before


@pytest.mark.parametrize("name", FONTS)
def test_font_covers_every_chinese_character_in_the_live_data(name: str) -> None:
    pytest.importorskip("brotli")  # fonttools needs it to read WOFF2
    ttlib = pytest.importorskip("fontTools.ttLib")
    cmap = ttlib.TTFont(PROJECT_ROOT / "assets" / "fonts" / name).getBestCmap()
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(LIVE_DATA.glob("*.csv")))
    missing = sorted({character for character in HAN.findall(text) if ord(character) not in cmap})
    assert not missing, f"{name} lacks {''.join(missing)}: run `python -m atlas subset-font`"
