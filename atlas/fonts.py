"""`python -m atlas subset-font`: rebuild the self-hosted Latin + Chinese web fonts in assets/fonts/.

The app is shown offline, so it serves its own font instead of fetching one. The fonts are subsets of
Noto Sans CJK SC (SIL OFL 1.1), renamed "Atlas Sans". Rebuilding needs, on the developer's machine only,
Debian's `fonts-noto-cjk` and fonttools + brotli from requirements-dev; the app itself needs neither.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from atlas.errors import AtlasError
from atlas.paths import DEFAULT_DATA_DIR, PROJECT_ROOT

if TYPE_CHECKING:  # fonttools is a dev-only dependency: never imported when the module loads
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables

FAMILY = "Atlas Sans"
SOURCE_FAMILY = "Noto Sans CJK SC"
DEBIAN_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
DEFAULT_OUT = PROJECT_ROOT / "assets" / "fonts"
STYLESHEET = PROJECT_ROOT / "assets" / "fonts.css"
I18N_SOURCE = PROJECT_ROOT / "atlas" / "i18n.py"
STYLES = ("Regular", "Bold")

# Inclusive code point ranges kept whole: ASCII, Latin-1 and Latin Extended-A (accented place names),
# General Punctuation, CJK Symbols and Punctuation, Halfwidth and Fullwidth Forms.
BLOCKS = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0100, 0x017F),
    (0x2000, 0x206F),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
)

# The app never sets text vertically: dropping these saves the vertical alternates and metrics.
VERTICAL_FEATURES = frozenset({"valt", "vchw", "vert", "vhal", "vkrn", "vpal", "vrt2"})
VERTICAL_TABLES = ("VORG", "vhea", "vmtx")


class Subset(NamedTuple):
    path: Path
    style: str
    characters: int  # code points the subset maps to glyphs
    missing: str  # characters of the project's own text that the source font has no glyph for
    copyright: str


def output_name(style: str) -> str:
    return f"atlas-sans-sc-{style.lower()}.woff2"


def font_version(path: Path) -> str:
    """The start of the file's SHA-256: fonts.css asks for `?v=` this, so a cached old font is never used."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def stamp_stylesheet(stylesheet: Path, out_dir: Path) -> None:
    """Point every font URL of `stylesheet` at the current version of its file in `out_dir`."""

    def stamped(match: re.Match[str]) -> str:
        return f"{match.group(1)}?v={font_version(out_dir / match.group(2))}"

    css = stylesheet.read_text(encoding="utf-8")
    stylesheet.write_text(re.sub(r"(fonts/([\w.-]+\.woff2))(\?v=\w+)?", stamped, css), encoding="utf-8")


def gb2312_level1() -> set[str]:
    """The 3,755 GB2312 level-1 hanzi (rows 0xB0-0xD7), decoded rather than shipped as a data file."""
    characters = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                characters.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:  # 0xD7FA-0xD7FE are unassigned
                continue
    return characters


def visible_characters(text: str) -> set[str]:
    # Control and format characters (newlines, BOM) need no glyph.
    return {character for character in text if not unicodedata.category(character).startswith("C")}


def project_characters(data_dir: Path = DEFAULT_DATA_DIR) -> set[str]:
    """Every character the app can show from its own files: the CSV tables, i18n.py and its country names."""
    import pycountry  # here, so that registering the command does not load pycountry for every command

    from atlas.i18n import country_label

    texts = [path.read_text(encoding="utf-8") for path in sorted(data_dir.glob("*.csv"))]
    texts.append(I18N_SOURCE.read_text(encoding="utf-8"))
    # Chinese country names come from pycountry's catalogue at run time, not from i18n.py's text.
    texts.extend(country_label(country.alpha_2, "zh") for country in pycountry.countries)
    return visible_characters("".join(texts))


def common_characters() -> set[str]:
    """Latin, punctuation and the common hanzi, whatever the data says."""
    return {chr(code) for first, last in BLOCKS for code in range(first, last + 1)} | gb2312_level1()


def find_face(collection: Path, family: str = SOURCE_FAMILY) -> tuple[int, str]:
    """Index and style name of the face of `family` in a .ttc, found by its name table, not a fixed index."""
    from fontTools.ttLib import TTCollection, TTLibError

    try:
        faces = TTCollection(str(collection), lazy=True).fonts
    except (OSError, TTLibError) as error:
        raise AtlasError(f"{collection}: not a readable font collection (.ttc): {error}") from error
    for index, face in enumerate(faces):
        names = face["name"]
        if names.getDebugName(1) == family:
            return index, names.getDebugName(2) or ""
    raise AtlasError(f"{collection}: no face named {family!r}")


def rename(font: TTFont, style: str) -> None:
    """Call the subset "Atlas Sans" so it cannot be mistaken for the full Noto font it was cut from."""
    names = font["name"]
    source_postscript = names.getDebugName(6)
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    version = f"{font['head'].fontRevision:.3f}"
    for name_id, value in (
        (1, FAMILY),
        (2, style),
        (3, f"{version};{postscript};subset of {source_postscript}"),
        (4, f"{FAMILY} {style}"),
        (6, postscript),
    ):
        names.removeNames(nameID=name_id)
        names.setName(value, name_id, 3, 1, 0x409)
    # The collection shares one CFF among its faces, which still carries the Japanese face's name.
    cff = font["CFF "].cff
    cff.fontNames = [postscript]
    cff.topDictIndex[0].FamilyName = FAMILY
    cff.topDictIndex[0].FullName = f"{FAMILY} {style}"


def subset_face(collection: Path, out_dir: Path, characters: Iterable[str], required: Iterable[str]) -> Subset:
    """Write one WOFF2 subset of the SC face in `collection`, and say which `required` characters it lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    index, style = find_face(collection)
    if style not in STYLES:
        raise AtlasError(f"{collection}: face {SOURCE_FAMILY!r} is {style!r}; expected one of {', '.join(STYLES)}")
    # Keep the source's timestamp so that rebuilding from the same inputs gives identical bytes.
    font = TTFont(str(collection), fontNumber=index, lazy=True, recalcTimestamp=False)
    for table in ("GSUB", "GPOS"):
        keep_simplified_chinese_only(font[table].table)
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # about a fifth of the file, and browsers render CJK well without it
    options.desubroutinize = True  # Brotli compresses plain charstrings better than subroutines
    options.layout_features = [tag for tag in options.layout_features if tag not in VERTICAL_FEATURES]
    options.drop_tables += VERTICAL_TABLES
    options.name_IDs = ["*"]  # keep copyright, licence and designer credits
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(map(ord, characters)))
    subsetter.subset(font)
    notice = font["name"].getDebugName(0) or ""
    rename(font, style)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / output_name(style)
    font.flavor = "woff2"
    font.save(str(path))
    cmap = font.getBestCmap()
    missing = "".join(sorted(character for character in required if ord(character) not in cmap))
    return Subset(path, style, len(cmap), missing, notice)


def keep_simplified_chinese_only(table: otTables.GSUB | otTables.GPOS) -> None:
    """Drop the Japanese, Korean and Traditional Chinese language systems before subsetting.

    Their `locl` lookups would pull in some 3,000 regional glyph variants, doubling the file.
    The default language systems and ZHS (Simplified Chinese) stay.
    """
    for record in table.ScriptList.ScriptRecord:
        script = record.Script
        script.LangSysRecord = [lang for lang in script.LangSysRecord if lang.LangSysTag == "ZHS "]
        script.LangSysCount = len(script.LangSysRecord)


def licence_text(copyright_file: Path = DEBIAN_COPYRIGHT) -> str:
    """The OFL 1.1 text as Debian ships it in the package's machine-readable copyright file."""
    if not copyright_file.is_file():
        raise AtlasError(f"{copyright_file} not found: apt-get install fonts-noto-cjk")
    # The text is the standalone "License: SIL-1.1" paragraph: indented lines, " ." for a blank one.
    for paragraph in copyright_file.read_text(encoding="utf-8").split("\n\n"):
        heading, _, body = paragraph.partition("\n")
        if heading == "License: SIL-1.1" and body:
            lines = ("" if line == " ." else line.removeprefix(" ") for line in body.splitlines())
            return "\n".join(lines).strip("\n") + "\n"
    raise AtlasError(f"{copyright_file}: no 'License: SIL-1.1' paragraph")


def write_licence(out_dir: Path, copyright_notice: str, text: str) -> Path:
    files = " and ".join(output_name(style) for style in STYLES)
    header = f"{files} ({FAMILY}) are subsets of {SOURCE_FAMILY}, licensed as below."
    path = out_dir / "OFL.txt"
    path.write_text(f"{header}\n\n{copyright_notice}\n\n{text}", encoding="utf-8")
    return path


def build_fonts(
    sources: Iterable[Path], out_dir: Path = DEFAULT_OUT, data_dir: Path = DEFAULT_DATA_DIR
) -> tuple[list[Subset], Path]:
    """Subset every source collection into `out_dir` and write OFL.txt beside them."""
    text = licence_text()  # before the slow part, so a missing package fails fast
    required = project_characters(data_dir)
    characters = common_characters() | required
    subsets = [subset_face(source, out_dir, characters, required) for source in sources]
    return subsets, write_licence(out_dir, subsets[0].copyright, text)


def run_subset_font(args: argparse.Namespace) -> int:
    try:
        import brotli  # noqa: F401
        import fontTools  # noqa: F401
    except ImportError as error:
        print(f"subset-font: {error.name} is missing: pip install -r requirements-dev.txt", file=sys.stderr)
        return 1
    subsets, licence = build_fonts(args.source, args.out)
    if args.out.resolve() == DEFAULT_OUT.resolve():
        stamp_stylesheet(STYLESHEET, args.out)
    for font in subsets:
        print(f"{font.path}: {font.style}, {font.characters} characters, {font.path.stat().st_size:,} bytes")
        if font.missing:
            # Not an error: the browser draws these from the next family in the CSS font stack.
            print(f"subset-font: {font.path.name}: no glyph for {font.missing!r} from the data", file=sys.stderr)
    print(f"{licence}: SIL Open Font License 1.1")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("subset-font", help="rebuild the Atlas Sans web fonts from Noto Sans CJK (dev only)")
    parser.add_argument(
        "--source",
        type=Path,
        nargs="+",
        default=[DEBIAN_FONT_DIR / f"NotoSansCJK-{style}.ttc" for style in STYLES],
        metavar="TTC",
        help="NotoSansCJK-Regular.ttc and/or NotoSansCJK-Bold.ttc (default: Debian's fonts-noto-cjk)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="default: assets/fonts")
    parser.set_defaults(run=run_subset_font)
