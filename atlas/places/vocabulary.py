"""Words about places, apart from the code that reads names: levels, Chinese suffixes, ethnic names.

Every list of administrative-level words in the project is here.
"""

from __future__ import annotations

# The levels a place of the gazetteer has, from the largest. A query's level word ("County",
# "Province", 县) says which it asks for.
LEVELS = ("country", "region", "prefecture", "county", "city")
AREA_LEVELS = frozenset(LEVELS) - {"city"}

# Level words of English names, before or after the name ("County Meath", "Williamson County"),
# with the level they ask for. Checked against the last word first, then the first.
LEVEL_WORDS_EN: dict[str, str] = {
    "province": "region",
    "state": "region",
    "region": "region",
    "oblast": "region",
    "krai": "region",
    "kray": "region",
    "voivodeship": "region",
    "governorate": "region",
    "canton": "region",
    "prefecture": "prefecture",
    "county": "county",
    "district": "county",
    "municipality": "county",
    "borough": "county",
    "shire": "county",
    "raion": "county",
    "rayon": "county",
    "department": "region",
    "city": "city",
    "town": "city",
    "township": "city",
    "village": "city",
}
# Several words that together are one level word, longest first.
LEVEL_PHRASES_EN: dict[str, str] = {
    "autonomous prefecture": "prefecture",
    "autonomous region": "region",
    "autonomous county": "county",
    "district municipality": "county",
    "city corporation": "city",
    "city of": "city",
    "greater": "",
}
LEADING_PHRASES = frozenset({"city of", "greater"})
# Korean and Japanese names carry their level as a suffix (Jecheon-si, Kōtō-ku): the bare name is
# indexed too, so that "Jecheon" and "Kōtō (Tokyo)" are found.
NAME_LEVEL_SUFFIXES = ("-si", "-gun", "-gu", "-ku", "-shi", "-machi", "-mura")
# An area asked with a level word is one of these levels ("Washington County" is no state, but a
# "Province" of Italy is its second level).
COMPATIBLE_LEVELS: dict[str, frozenset[str]] = {
    "region": frozenset({"region", "county", "prefecture"}),
    "prefecture": frozenset({"prefecture", "county", "region"}),
    "county": frozenset({"county", "prefecture"}),
}
# Countries whose counties are not named after their seats (Williamson County, Tennessee is seated
# at Franklin): a county there is never drawn at a town of its name.
COUNTIES_NOT_NAMED_AFTER_SEATS = frozenset({"US", "GB", "IE", "CA", "AU", "NZ"})
# Levels as the partnerships table writes them (partner_level, home_level) -> the gazetteer's level.
TABLE_LEVELS: dict[str, str] = {
    "nation": "region",
    "province": "region",
    "state": "region",
    "region": "region",
    "oblast": "region",
    "voivodeship": "region",
    "governorate": "region",
    "autonomous region": "region",
    "prefecture": "prefecture",
    "autonomous prefecture": "prefecture",
    "county": "county",
    "district": "county",
}

# Chinese administrative suffixes, longest first, with the level of the place they end and the
# English word its name takes ("" for a city, which keeps its bare name: Liuyang).
ZH_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("特别行政区", "region", "Special Administrative Region"),
    ("维吾尔自治区", "region", "Uyghur Autonomous Region"),
    ("壮族自治区", "region", "Zhuang Autonomous Region"),
    ("回族自治区", "region", "Hui Autonomous Region"),
    ("自治区", "region", "Autonomous Region"),
    ("自治州", "prefecture", "Autonomous Prefecture"),
    ("自治县", "county", "Autonomous County"),
    ("自治旗", "county", "Autonomous Banner"),
    ("新区", "county", "New Area"),
    ("林区", "county", "Forestry District"),
    ("特区", "county", "Special District"),
    ("地区", "prefecture", "Prefecture"),
    ("省", "region", "Province"),
    ("盟", "prefecture", "League"),
    ("州", "prefecture", "Prefecture"),
    ("市", "city", ""),
    ("县", "county", "County"),
    ("区", "county", "District"),
    ("旗", "county", "Banner"),
)
# Level words that end the Chinese names of foreign towns (大邱广域市, 万锦市, 船桥市, 仁川广域市), longest
# first: the name is also found without them, as Chinese texts mostly write it (大邱, 万锦).
FOREIGN_ZH_TOWN_SUFFIXES = ("特别自治市", "特别市", "广域市", "市", "町", "村", "郡")
# One-character words that end Chinese place names in running text (重庆市, 湘西州, 沙坪坝区).
ZH_LEVEL_CHARACTERS = "省市县区州郡旗盟镇乡村"

# Peoples named in the Chinese names of autonomous areas (湘西土家族苗族自治州 is Xiangxi Tujia and
# Miao Autonomous Prefecture), longest first so that 蒙古族 is read before 蒙古.
ETHNIC_NAMES: dict[str, str] = {
    "维吾尔": "Uyghur",
    "哈萨克": "Kazakh",
    "柯尔克孜": "Kyrgyz",
    "塔吉克": "Tajik",
    "达斡尔": "Daur",
    "鄂温克": "Evenk",
    "鄂伦春": "Oroqen",
    "蒙古": "Mongol",
    "土家": "Tujia",
    "布依": "Buyei",
    "景颇": "Jingpo",
    "傈僳": "Lisu",
    "仫佬": "Mulao",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "纳西": "Naxi",
    "拉祜": "Lahu",
    "普米": "Pumi",
    "独龙": "Derung",
    "布朗": "Blang",
    "撒拉": "Salar",
    "东乡": "Dongxiang",
    "保安": "Bonan",
    "裕固": "Yugur",
    "锡伯": "Xibe",
    "朝鲜": "Korean",
    "哈尼": "Hani",
    "苗": "Miao",
    "藏": "Tibetan",
    "彝": "Yi",
    "回": "Hui",
    "壮": "Zhuang",
    "满": "Manchu",
    "侗": "Dong",
    "白": "Bai",
    "傣": "Dai",
    "羌": "Qiang",
    "黎": "Li",
    "瑶": "Yao",
    "畲": "She",
    "土": "Tu",
    "水": "Sui",
    "佤": "Va",
    "怒": "Nu",
    "各": "",  # 各族: of the several peoples
}

# Russian district names are adjectives of their seat: "Yeysky District" is the district of Yeysk,
# "Chekhovsky" of Chekhov, "Lebedyansky" of Lebedyan. Endings tried in order, each with what the
# seat's name ends in instead.
ADJECTIVE_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("yovsky", ("i", "y", "yov", "yovka", "yovo")),
    ("ovsky", ("ov", "ovsk", "ovka", "ovo", "ovskaya", "ovskoye", "")),
    ("etsky", ("tsy", "tsk", "ets", "etsk")),
    ("evsky", ("ev", "evsk", "evka", "evo", "y", "i")),
    ("insky", ("ino", "in", "ina", "insk", "inskaya", "i", "a", "e")),
    ("itsky", ("itsa", "itskaya", "itsk", "itsy")),
    ("sky", ("sk", "", "skaya", "skoye", "a", "o", "y", "i")),
    ("skiy", ("sk", "")),
    ("ski", ("sk", "")),
    ("ny", ("", "ny")),
)

# Capitalised words that are never a place in running text, however many towns are named after
# them, and words that name a level rather than a place.
_NOT_PLACES_EN = """the in on at of and for with by from a an as since during over after before this that these
    those its their his her our it they we he she mr mrs ms dr city cities province state county region
    district town village sister friendship friendly international mayor governor president secretary
    chairman vice deputy union university center centre summit republic hub china chinese people
    party government council committee ministry department office bureau embassy consulate school
    college institute academy hospital museum park station airport port bridge street road avenue
    square hall church temple north south east west northern southern eastern western central upper
    lower new old great greater saint san santa st mount lake river bay island islands sea ocean
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today yesterday tomorrow during world global
    national asia europe africa america americas oceania china-africa belt road forum expo week day
    year month dear thanks welcome also but or not no yes all both each every some many more most
    other such only first second third last next one two three four five ten hundred thousand million
    culture trade business health education science technology art music film food tourism sport
    sports youth women children energy water green digital smart police army navy air force media news
    press daily times post herald chronicle morning evening star sun moon victory liberty freedom
    independence unity progress hope grace faith eden paradise"""
NOT_PLACES_EN = frozenset(_NOT_PLACES_EN.split())

# English words that are also the names of big towns: opening a sentence ("Reading is fun",
# "Mobile phones"), they are read as words.
_COMMON_WORDS_EN = """reading mobile nice split bath orange sale deal march may bend hull worms spa wells male
    mandi batman independence paradise enterprise commerce industry concord temple union"""
COMMON_WORDS_EN = frozenset(_COMMON_WORDS_EN.split())

# Other ways of writing a place name's first word: "St Clears" is GeoNames' "Saint Clears",
# "Sankt Wendel" a list's "St. Wendel", "Mt Gambier" "Mount Gambier".
FIRST_WORD_FORMS: dict[str, tuple[str, ...]] = {
    "st": ("saint", "sankt"),
    "saint": ("st", "sankt"),
    "sankt": ("st", "saint"),
    "ste": ("sainte",),
    "sainte": ("ste",),
    "mt": ("mount",),
    "mount": ("mt",),
    "ft": ("fort",),
    "fort": ("ft",),
}
# Abbreviated first words of names, written with a full stop in running text ("St. Paul").
ABBREVIATED_WORDS = frozenset({"st", "ste", "mt", "ft"})
# Words that lists add to a town's name and GeoNames leaves out, or the other way round: "Bad
# Kötzting" is GeoNames' "Kötzting", "Droitwich Spa" its "Droitwich", "Kish Island" its "Kish".
LEADING_DESCRIPTORS = ("bad",)
TRAILING_DESCRIPTORS = ("spa", "island")
# Words that join a town's name to the river, region or town it lies by ("Gars am Inn", "Weiler bei
# Bingen", "Neumarkt in der Steiermark", "Willingham by Stow"): the name before them is the town,
# the one after a parent.
LOCATIVE_PARTICLES = ("an der", "an den", "in der", "ob der", "vor der", "am", "im", "in", "bei", "upon", "on", "by")
# Words that join the towns a municipality is named after ("Tonbridge and Malling", "Bardsey cum
# Rigton"): it is drawn at the first.
JOINING_WORDS = ("and", "cum", "und", "et")

# Words that GeoNames' names of second-level areas carry before or after the name proper
# ("Gemeente Dinkelland", "Rebild Kommune", "Partido de Almirante Brown", "Gwinnett County"),
# longest first: the area is also found by the name without them. A Scandinavian genitive before
# Kommun(e) is dropped as well ("Burlövs Kommun" is Burlöv).
_AREA_PREFIXES = """Municipio de | Departamento de | Provincia de | Partido de | Distrito de | Daïra de |
    Département de | Commune of | City of | District of | Municipality of | Town of | Shire of | Comune di |
    Concelho de | Município de | Politischer Bezirk | Amphoe Mueang | Thành Phố | Thị Xã | Municipio |
    Departamento | Provincia | Partido | Distrito | Comuna | Commune | Amphoe | Huyện | Kabupaten | Kota |
    Shahrestān-e | Powiat | Gemeente | Obshtina | Oraş | Municipiul | Markaz | Grad | Okres | Općina | Daïra |
    Srŏk | Bashkia | Bezirk | Muang | Gmina | Landkreis | Kreis"""
_AREA_SUFFIXES = """Metropolitan Municipality | District Municipality | Local Municipality | Regional Municipality |
    Gorodskaya Administratsiya | Gorodskoye Poseleniye | Gorodskoy Okrug | Municipal District | Regional Council |
    Urban District | Urban Okrug | County | District | Rayon | Raion | Shi | İlçesi | pagasts | Municipality |
    Kommune | Kommun | Okrug | Tumani | Járás | Aūdany | Parish | Department | Gun | Sum | Shahri |
    Administratsiya | Barrio | Borough | Shire | Council | Region | Town | City"""
AREA_PREFIXES = tuple(" ".join(word.split()) for word in _AREA_PREFIXES.split("|"))
AREA_SUFFIXES = tuple(" ".join(word.split()) for word in _AREA_SUFFIXES.split("|"))
GENITIVE_BEFORE = frozenset({"kommun", "kommune"})
# Words that, in the first part of a hyphenated name or right after it, make it one name rather
# than the names of merged towns: "Fontaine-sur-Somme" is not Fontaine, "Sainte-Opportune-la-Mare"
# not Sainte, "La Motte-Chalancon" not La Motte; "Ottignies-Louvain-la-Neuve" is Ottignies.
COMPOUND_NAME_WORDS = frozenset(
    {"sur", "sous", "lès", "lez", "le", "la", "les", "en", "de", "des", "du", "aux", "au", "et", "am", "an"}
    | {"saint", "sainte", "san", "santa", "sankt", "st", "ste"}
)
