"""The world gazetteer: names as people write them, in English and Chinese, and places found in text."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.places.build import PlaceRecord, distance_km
from atlas.places.countries import country_and_region, country_code, country_label
from atlas.places.gazetteer import Gazetteer, first_part, gazetteer, readings, small_gazetteer


@pytest.fixture(scope="module")
def world() -> Gazetteer:
    return gazetteer()


def near(place, lat: float, lon: float, km: float = 25.0) -> bool:
    return distance_km(place.lat, place.lon, lat, lon) <= km


# Names as written -> where they are (lat, lon within 25 km) and what they are.
LOOKUPS = [
    # qualifiers naming the parent place
    ("Suzhou, Jiangsu", "CN", (31.30, 120.59), "CN-JS"),
    ("Suzhou, Anhui", "CN", (33.64, 116.98), "CN-AH"),
    ("Panyu (Guangzhou)", "CN", (22.94, 113.38), "CN-GD"),
    ("Kōtō (Tokyo)", "JP", (35.67, 139.82), "JP-13"),
    ("Vaihingen (Stuttgart)", "DE", (48.73, 9.11), "DE-BW"),
    ("Coventry, Rhode Island", "US", (41.70, -71.68), "US-RI"),
    ("Vienna 9 – Alsergrund", "AT", (48.22, 16.36), "AT-9"),
    ("Prague 5", "CZ", (50.07, 14.40), "CZ-10"),
    # level words, before or after, in both scripts
    ("Gauteng", "ZA", (-26.0, 28.1), "ZA-GP"),
    ("Gauteng Province", "ZA", (-26.0, 28.1), "ZA-GP"),
    ("豪登省", "ZA", (-26.0, 28.1), "ZA-GP"),
    ("County Meath", "IE", (53.65, -6.6), ""),
    ("Central Denmark Region", "DK", (56.24, 9.24), "DK-82"),
    ("Donghai County", "CN", (34.54, 118.75), "CN-JS"),
    ("Chrzanów County", "PL", (50.14, 19.40), "PL-12"),
    ("Yeysky District", "RU", (46.69, 38.28), "RU-KDA"),
    ("Greater Bendigo", "AU", (-36.76, 144.28), "AU-VIC"),
    # everyday short forms and Chinese names
    ("Frankfurt", "DE", (50.12, 8.68), "DE-HE"),
    ("法兰克福", "DE", (50.12, 8.68), "DE-HE"),
    ("Shapingba District", "CN", (29.54, 106.46), "CN-CQ"),
    ("沙坪坝区", "CN", (29.54, 106.46), "CN-CQ"),
    ("Liuyang", "CN", (28.16, 113.64), "CN-HN"),
    ("浏阳", "CN", (28.16, 113.64), "CN-HN"),
    ("Xiangxi", "CN", (28.31, 109.74), "CN-HN"),
    ("湘西州", "CN", (28.31, 109.74), "CN-HN"),
    ("Hunan", "CN", (28.11, 112.98), "CN-HN"),
    # other spellings, words lists add or leave out, the towns a municipality is named after
    ("St Clears", "GB", (51.82, -4.50), "GB-WLS"),
    ("Gars am Inn", "DE", (48.15, 12.28), "DE-BY"),
    ("Neumarkt in der Steiermark", "AT", (47.07, 14.43), "AT-6"),
    ("Bad Kötzting", "DE", (49.18, 12.86), "DE-BY"),
    ("Droitwich Spa", "GB", (52.27, -2.15), "GB-ENG"),
    ("Tonbridge and Malling", "GB", (51.20, 0.27), "GB-ENG"),
    ("Amberg-Sulzbach (district)", "DE", (49.44, 11.86), "DE-BY"),
    ("Lazarevac (Belgrade)", "RS", (44.38, 20.26), ""),
    ("Bad Wimsbach-Neydharting", "AT", (48.06, 13.90), "AT-4"),
    ("Lyuberetsky District", "RU", (55.68, 37.89), ""),
    # municipalities and counties GeoNames lists as areas, drawn where their people live
    ("Gentofte", "DK", (55.75, 12.55), "DK-84"),
    ("Burlöv", "SE", (55.64, 13.08), "SE-M"),
    ("Dinkelland", "NL", (52.37, 7.00), "NL-OV"),
    ("Gwinnett County", "US", (33.96, -84.02), "US-GA"),
    ("Williamson County, Tennessee", "US", (35.89, -86.90), "US-TN"),
    # a region named in English
    ("Friedberg, Hesse", "DE", (50.34, 8.76), "DE-HE"),
    # an ʻokina, a word lists add
    ("Nukuʻalofa", "TO", (-21.14, -175.20), ""),
    ("Kish Island", "IR", (26.56, 53.98), ""),
    # another transliteration of the name
    ("Zalischyky", "UA", (48.65, 25.73), ""),
    ("Haidari", "GR", (38.01, 23.65), ""),
    # a seat GeoNames lists without a population, before a village of 560 people
    ("Mamak", "TR", (39.93, 32.91), "TR-06"),
    # a territory that lists write under its country
    ("Kourou", "FR", (5.16, -52.65), ""),
    ("Mariehamn", "FI", (60.10, 19.94), ""),
]


@pytest.mark.parametrize(("name", "country", "point", "admin1"), LOOKUPS, ids=[row[0] for row in LOOKUPS])
def test_lookup_reads_names_as_people_write_them(
    world: Gazetteer, name: str, country: str, point: tuple[float, float], admin1: str
) -> None:
    best = world.lookup(name, country)[0]
    assert near(best.place, *point), (best.place, best.reason)
    if admin1:
        assert best.place.admin1 == admin1
    assert best.reason


def test_every_chinese_division_has_both_scripts(world: Gazetteer) -> None:
    shapingba = world.lookup("沙坪坝区", "CN")[0].place
    assert (shapingba.name, shapingba.name_zh, shapingba.level) == ("Shapingba District", "沙坪坝区", "county")
    xiangxi = world.lookup("湘西", "CN")[0].place
    assert xiangxi.name == "Xiangxi Tujia and Miao Autonomous Prefecture"
    assert xiangxi.level == "prefecture"
    assert world.lookup("Liuyang", "CN", kind="region")[0].place.name_zh == "浏阳市"


def test_parent_place_decides_between_namesakes_and_says_so(world: Gazetteer) -> None:
    jiangsu, anhui = world.lookup("Suzhou, Jiangsu", "CN")[0], world.lookup("Suzhou, Anhui", "CN")[0]
    assert jiangsu.place.id != anhui.place.id
    assert "in Jiangsu" in jiangsu.reason and "in Anhui" in anhui.reason


def test_admin1_decides_and_population_otherwise(world: Gazetteer) -> None:
    assert world.lookup("Portland", "US")[0].place.admin1 == "US-OR"
    maine = world.lookup("Portland", "US", admin1="Maine")[0]
    assert maine.place.admin1 == "US-ME" and "admin1 US-ME" in maine.reason
    assert world.lookup("Portland", "US", admin1="ME")[0].place.admin1 == "US-ME"
    assert "most populous" in world.lookup("Portland", "US")[0].reason


def test_a_region_is_never_answered_by_a_town_of_its_name(world: Gazetteer) -> None:
    assert world.lookup("Mpumalanga", "ZA", kind="city")[0].place.admin1 == "ZA-KZN"  # the town
    region = world.lookup("Mpumalanga", "ZA", kind="region")[0].place
    assert (region.level, region.admin1) == ("region", "ZA-MP")
    assert world.lookup("Mpumalanga", "ZA", level="province")[0].place.level == "region"


def test_a_town_comes_before_a_county_named_after_it_without_the_word_county(world: Gazetteer) -> None:
    assert world.lookup("Richland", "US")[0].place.level == "city"
    assert world.lookup("Richland County", "US")[0].place.level == "county"


def test_a_place_in_a_territory_says_so(world: Gazetteer) -> None:
    kourou = world.lookup("Kourou", "FR")[0]
    assert kourou.place.country == "GF" and "a territory of France" in kourou.reason
    assert country_and_region("Réunion, France") == ("RE", "")


def test_a_chinese_county_is_a_town_to_a_list_of_towns_drawn_at_its_seat(world: Gazetteer) -> None:
    haiyan = world.lookup("Haiyan", "CN", kind="city")[0]  # not Sanjiaocheng, Qinghai, once called Haiyan
    assert haiyan.place.admin1 == "CN-ZJ" and near(haiyan.place, 30.53, 120.95, km=10)
    assert "the seat of Haiyan County" in haiyan.reason
    liuyang = world.lookup("Liuyang", "CN", kind="city")[0].place
    assert liuyang.source == "geonames:1802875"  # the town's own point, as data/places.csv has it


def test_a_district_is_drawn_at_the_town_it_is_named_after(world: Gazetteer) -> None:
    minsk_district = world.lookup("Minsk District", "BY", admin1="Minsk Region", kind="region")[0].place
    assert near(minsk_district, 53.90, 27.57, km=5)


def test_a_japanese_city_is_found_by_its_name_without_shi(world: Gazetteer) -> None:
    kashima = world.lookup("Kashima", "JP")[0].place
    assert (kashima.name, kashima.admin1) == ("Kashima-shi", "JP-08")


def test_a_district_of_a_city_outside_its_centre_is_drawn_rather_than_the_city(world: Gazetteer) -> None:
    lazarevac = world.lookup("Lazarevac (Belgrade)", "RS")[0]
    assert lazarevac.place.name == "Lazarevac" and "km from Belgrade" in lazarevac.reason
    assert world.lookup("Vaihingen (Stuttgart)", "DE")[0].place.name == "Stuttgart"  # not Vaihingen an der Enz


def test_us_counties_are_not_drawn_at_a_town_of_their_name(world: Gazetteer) -> None:
    assert all(match.place.level != "city" for match in world.lookup("Williamson County", "US"))


def test_a_place_asked_by_an_old_alternate_name_yields_to_one_of_that_name(world: Gazetteer) -> None:
    richland = world.lookup("Richland", "US")[0].place
    assert richland.name == "Richland"


@pytest.mark.parametrize(
    ("name", "country", "admin1"),
    [("Lohne", "DE", "DE-NI"), ("Stari Grad", "HR", "HR-17")],  # not Löhne, 40,000 people; not Starigrad
)
def test_a_name_written_exactly_as_asked_comes_before_a_larger_one_with_other_accents_or_spaces(
    world: Gazetteer, name: str, country: str, admin1: str
) -> None:
    best = world.lookup(name, country)[0].place
    assert (best.name, best.admin1) == (name, admin1)


@pytest.mark.parametrize(
    ("name", "country", "expected", "admin1"),
    [
        ("Sloviansk", "UA", "Slovyansk", "UA-14"),  # not Nikopol, once Slavyansk, of as many people
        ("Ukrainka", "UA", "Ukrayinka", "UA-32"),  # the town of Kyiv Oblast, not the village in Crimea
    ],
)
def test_a_towns_name_in_the_countries_states_cities_database_is_its_own_name(
    world: Gazetteer, name: str, country: str, expected: str, admin1: str
) -> None:
    best = world.lookup(name, country)[0].place
    assert (best.name, best.admin1) == (expected, admin1)


@pytest.mark.parametrize(
    ("name", "country", "admin1"),
    [
        ("Avcılar", "TR", "TR-34"),  # the district of Istanbul, not a village of 630 people in Adana
        ("Os", "NO", "NO-46"),  # the municipality of Vestland, not a village of 672 people in Innlandet
        ("L'Hôpital", "FR", "FR-GES"),  # the commune of Moselle, not Hôpital-Camfrout, once L'Hôpital
    ],
)
def test_a_municipality_listed_without_its_population_ranks_as_a_town_of_a_thousand(
    world: Gazetteer, name: str, country: str, admin1: str
) -> None:
    best = world.lookup(name, country)[0].place
    assert (best.name, best.admin1, best.source[:4]) == (name, admin1, "csc:")


@pytest.mark.parametrize(
    ("name", "country", "expected", "admin1"),
    [
        ("Sincan", "TR", "Sincan", "TR-06"),  # the district of Ankara, not a village of Sivas
        ("Lagoa", "PT", "Lagoa", "PT-08"),  # seat of a municipality of 34,000, not the Azores' town of 14,000
        ("Lerma", "MX", "Lerma de Villada", "MX-MEX"),  # seat of the municipality of Lerma, State of Mexico
    ],
)
def test_a_town_at_the_seat_of_an_area_of_its_name_ranks_with_the_areas_people(
    world: Gazetteer, name: str, country: str, expected: str, admin1: str
) -> None:
    best = world.lookup(name, country, kind="city")[0]
    assert (best.place.name, best.place.admin1) == (expected, admin1)
    assert best.reason.startswith("the seat of ")


@pytest.mark.parametrize(
    ("name", "admin1", "near"),
    [
        ("Sambreville", "BE-WAL", (50.44, 4.62)),  # "Sambreville (Tamines)", "Sambreville (Auvelais)", …
        ("Malle", "BE-VLG", (51.30, 4.69)),  # "Malle (Westmalle)"
        ("Vresse-sur-Semois", "BE-WAL", (49.87, 4.93)),  # "Vresse-sur-Semois (Alle)", "… (Sugny)"
    ],
)
def test_a_municipality_named_only_by_its_sections_is_drawn_where_their_people_live(
    world: Gazetteer, name: str, admin1: str, near: tuple[float, float]
) -> None:
    best = world.lookup(name, "BE", kind="city")[0].place
    assert (best.name, best.admin1, best.source.split(":")[0]) == (name, admin1, "sections")
    assert distance_km(best.lat, best.lon, *near) < 10


@pytest.mark.parametrize(
    ("name", "expected", "admin1"),
    [
        ("Tang", "Tang County", "CN-HE"),  # not Tanggu, Tianjin, which GeoNames also calls Tang
        ("Xiangshan", "Xiangshan County", "CN-ZJ"),  # not Zhongshan, Guangdong, once Xiangshan
        ("Yiyang", "Heshan", "CN-HN"),  # GeoNames' town at the seat of the city of Yiyang, Hunan
    ],
)
def test_a_chinese_town_asked_by_another_name_yields_to_a_division_of_that_name_unless_at_its_seat(
    world: Gazetteer, name: str, expected: str, admin1: str
) -> None:
    best = world.lookup(name, "CN", kind="city")[0]  # the county, or the town at its seat
    assert best.place.admin1 == admin1
    assert best.place.name == expected or f"the town at the seat of {expected};" in best.reason


def test_romanian_letters_with_a_cedilla_or_a_comma_below_are_one_spelling(tmp_path: Path) -> None:
    comma = PlaceRecord("Florești", "RO", "city", 46.75, 23.49, 3_000, "test:1")  # as asked
    cedilla = PlaceRecord("Floreşti", "RO", "city", 47.0, 26.0, 4_000, "test:2")  # GeoNames' spelling
    accents = PlaceRecord("Floresti", "RO", "city", 45.0, 25.0, 5_000, "test:3")
    for place in (comma, cedilla, accents):
        place.add_name(place.name, 1 | 2)
    small = small_gazetteer([comma, cedilla, accents], tmp_path / "index")
    assert [match.place.source for match in small.lookup("Florești", "RO")] == ["test:2", "test:1", "test:3"]


@pytest.mark.parametrize(("name", "country"), [("", "US"), ("   ", "CN"), ("Portland", "XX"), ("Atlantis", "GR")])
def test_nothing_is_found_for_an_empty_name_an_unknown_country_or_an_unknown_place(
    world: Gazetteer, name: str, country: str
) -> None:
    assert world.lookup(name, country) == []


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Brig-Glis", "Brig"),
        ("Ottignies-Louvain-la-Neuve", "Ottignies"),
        ("Fontaine-sur-Somme", ""),
        ("Sainte-Opportune-la-Mare", ""),
        ("Granges-d'Ans", ""),
        ("La Motte-Chalancon", ""),
    ],
)
def test_a_merged_municipality_is_drawn_at_its_first_town_but_a_compound_name_is_one_name(
    name: str, first: str
) -> None:
    assert first_part(name) == first


def test_readings_of_a_qualified_name() -> None:
    found = readings("Panyu (Guangzhou)")
    assert (found[1].name, found[1].parent) == ("Panyu", "Guangzhou")
    assert found[-1].name == "Guangzhou" and found[-1].parent_only
    assert [(reading.name, reading.level) for reading in readings("County Meath")][1] == ("Meath", "county")


def test_gazetteer_is_loaded_once_per_process() -> None:
    assert gazetteer() is gazetteer()


# Countries


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("England", "GB"),
        ("England, United Kingdom", "GB"),
        ("Georgia (country)", "GE"),
        ("Brandenburg, Germany", "DE"),
        ("Republic of Ireland", "IE"),
        ("韩国", "KR"),
        ("us", "US"),
        ("Island", "IS"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_country_names_as_lists_write_them(written: str, code: str | None) -> None:
    assert country_code(written) == code


def test_country_column_naming_a_region_gives_it_too() -> None:
    assert country_and_region("Wales") == ("GB", "GB-WLS")
    assert country_and_region("Lower Saxony, Germany") == ("DE", "Lower Saxony")
    assert country_label("KR", "zh") == "韩国"


def test_chinese_country_names_are_cldrs_where_pycountrys_catalogue_misspells_them() -> None:
    assert [country_label(code, "zh") for code in ("KH", "MT", "GT")] == ["柬埔寨", "马耳他", "危地马拉"]


# A small gazetteer, as tests of other modules build one


def test_small_gazetteer_answers_from_its_own_places(tmp_path: Path) -> None:
    springfield_il = PlaceRecord("Springfield", "US", "city", 39.80, -89.64, 114_000, "test:1", admin1="US-IL")
    springfield_ma = PlaceRecord("Springfield", "US", "city", 42.10, -72.59, 155_000, "test:2", admin1="US-MA")
    illinois = PlaceRecord("Illinois", "US", "region", 40.0, -89.0, source="test:3", admin1="US-IL")
    for place in (springfield_il, springfield_ma, illinois):
        place.add_name(place.name, 1 | 2)
    small = small_gazetteer([springfield_il, springfield_ma, illinois], tmp_path / "index")
    assert len(small) == 3
    assert small.lookup("Springfield", "US")[0].place.source == "test:2"
    assert small.lookup("Springfield, Illinois", "US")[0].place.source == "test:1"
    assert small.lookup("Springfield", "US", admin1="Illinois")[0].place.source == "test:1"


# Places in running text


def names_found(world: Gazetteer, text: str, lang: str | None = None) -> list[str]:
    return [mention.text for mention in world.mentions(text, lang)]


def test_mentions_find_places_in_chinese_text(world: Gazetteer) -> None:
    text = "长沙与布拉柴维尔结为友好城市。湖南省与豪登省签约，浏阳和沙坪坝区代表出席，重庆市与法兰克福交流。"
    mentions = world.mentions(text, "zh")
    assert [mention.text for mention in mentions] == [
        "长沙",
        "布拉柴维尔",
        "湖南省",
        "豪登省",
        "浏阳",
        "沙坪坝区",
        "重庆市",
        "法兰克福",
    ]
    assert all(text[mention.start : mention.end] == mention.text for mention in mentions)
    by_text = {mention.text: mention.candidates[0].place for mention in mentions}
    assert by_text["布拉柴维尔"].country == "CG"
    assert by_text["浏阳"].name == "Liuyang"
    assert by_text["法兰克福"].name == "Frankfurt am Main"


@pytest.mark.parametrize("text", ["文化交流与经济合作不断深入。", "双方在和平与发展的框架下加强合作，推动文化繁荣。"])
def test_ordinary_chinese_words_are_not_places(world: Gazetteer, text: str) -> None:
    assert names_found(world, text, "zh") == []


def test_mentions_find_places_in_english_text(world: Gazetteer) -> None:
    text = (
        "The Mayor of Chongqing met Düsseldorf's delegation in Frankfurt am Main, then visited "
        "Mpumalanga Province, Kansas City and County Meath. Changsha signed with Brazzaville."
    )
    assert names_found(world, text, "en") == [
        "Chongqing",
        "Düsseldorf",
        "Frankfurt am Main",
        "Mpumalanga Province",
        "Kansas City",
        "County Meath",
        "Changsha",
        "Brazzaville",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Reading is a pleasure. Mobile phones were banned. Nice weather helped.",
        "The Union and the Summit of the Friendship Council met on Monday in March.",
        "We hope the reading of the report will be over soon, as the summit is nice.",
    ],
)
def test_common_english_words_are_not_towns(world: Gazetteer, text: str) -> None:
    assert names_found(world, text, "en") == []


def test_a_country_named_in_the_text_lets_its_small_towns_count(world: Gazetteer) -> None:
    text = "Oborniki Śląskie, a town in Poland, signed."
    assert names_found(world, text, "en")[:1] != ["Oborniki Śląskie"]
    found = [mention.text for mention in world.mentions(text, "en", countries=["PL"])]
    assert "Oborniki Śląskie" in found


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("武汉与乌克兰基辅市结为友好城市", "Kyiv", "UA"),  # CLDR's name of the time zone's city
        ("上海与秘鲁利马结好", "Lima", "PE"),
        ("昆明市对口友城老挝万象市", "Vientiane", "LA"),  # jieba calls 万象 a word, a rare one
        ("广州与河内签署备忘录", "Hanoi", "VN"),  # GeoNames' traditional 河內, made simplified
        ("重庆与日本横滨交流", "Yokohama", "JP"),  # GeoNames' Japanese 横浜
        ("绍兴与韩国大邱签署协议", "Daegu", "KR"),  # 大邱広域市 without its level word
        ("武汉与加拿大万锦市结为友好城市", "Markham", "CA"),
        ("广州与柬埔寨金边结好", "Cambodia", "KH"),  # CLDR's 柬埔寨 (pycountry has 柬埔塞)
    ],
)
def test_chinese_names_of_world_places_are_found_in_text(world: Gazetteer, text: str, name: str, country: str) -> None:
    places = [mention.candidates[0].place for mention in world.mentions(text, "zh")]
    assert (name, country) in [(place.name, place.country) for place in places]


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("重庆友城知多少", "知多"),  # Chita, Japan, inside 知多少 (how many)
        ("代表团前往向日本出发", "向日"),  # Mukō, Japan, before 日本
        ("大数据产业合作", "大数"),  # Tarsus, Turkey, inside 大数据
        ("中央政府与国家部委", "中央"),  # Markazi (中央省) without its level word
        ("广州与韩国仁川结好", "Gwangju"),  # 广州 is Guangzhou, not Gwangju of Gyeonggi (廣州)
        ("长沙与多米尼加东圣多明各市签订意向书", "Katō"),  # a small town of a country the text does not name
    ],
)
def test_chinese_words_and_longer_names_hold_no_foreign_place(world: Gazetteer, text: str, not_found: str) -> None:
    mentions = world.mentions(text, "zh")
    seen = {mention.text for mention in mentions} | {mention.candidates[0].place.name for mention in mentions}
    assert not_found not in seen


def test_a_japanese_town_keeps_its_name_before_a_level_word_that_makes_a_word(world: Gazetteer) -> None:
    # 本市 is a word, but 市 after a name is its level word: 熊本市 is Kumamoto
    assert [mention.text for mention in world.mentions("日本熊本市代表团", "zh")] == ["日本", "熊本市"]


def test_an_abbreviated_saint_is_read_with_its_name(world: Gazetteer) -> None:
    mentions = world.mentions("In 1986, St. Paul hosted a delegation. They met at St. Mary.", "en")
    assert [(mention.text, mention.candidates[0].place.name) for mention in mentions] == [("St. Paul", "Saint Paul")]


def test_a_word_opening_a_sentence_is_no_other_name_of_a_place(world: Gazetteer) -> None:
    assert names_found(world, "Part of the fund went to schools. Top officials attended.", "en") == []


def test_a_chinese_county_is_found_by_every_reading_of_its_characters(world: Gazetteer) -> None:
    # 丰都: pypinyin reads 都 dou, as GeoNames spells the town at its seat; the press writes Fengdu
    assert world.lookup("Fengdu County", "CN")[0].place.name_zh == "丰都县"
    assert [mention.text for mention in world.mentions("Fengdu County signed.", "en")] == ["Fengdu County"]


def test_the_last_of_several_capitalised_words_is_a_surname_not_a_small_town(world: Gazetteer) -> None:
    text = "He met Mario Alejandro Navarro in Guanajuato, and Sierra Leones Freetown."
    assert names_found(world, text, "en") == ["Guanajuato", "Freetown"]
