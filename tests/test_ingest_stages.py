"""The stages of atlas.ingest, each through one table of examples (text in, what a person expects out)."""

from __future__ import annotations

import pytest
from datadir import FIXTURE_DATA

from atlas.dates import PartialDate
from atlas.ingest import Knowledge, clean, propose
from atlas.ingest.article import ArticleError, decode_article
from atlas.ingest.dates import DateContext, event_year_of, find_dates, resolve_all
from atlas.ingest.mentions import place_mentions
from atlas.ingest.sentences import sentences

PUBLISHED = PartialDate(2017, 8, 27)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.load(FIXTURE_DATA)


def written_dates(text: str, published: PartialDate | None = None) -> list[str]:
    found = find_dates(text)
    resolved, _ = resolve_all(found, DateContext(published, None, event_year_of(found)))
    return [date.iso() for _, date in resolved]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On October 20, 1993, the cities signed", ["1993-10-20"]),
        ("on Oct. 20, 1993", ["1993-10-20"]),
        ("on 20 October 1993", ["1993-10-20"]),
        ("on the 20th of October, 1993", ["1993-10-20"]),
        ("signed 1993-10-20 in Voronezh", ["1993-10-20"]),
        ("In Oct.1982 the mayors met", ["1982-10"]),
        ("in May of 2010", ["2010-05"]),
        ("in Sept. 2010", ["2010-09"]),
        ("sister cities since 1983", ["1983"]),
        (" Montpellier, France; since 1979.", ["1979"]),
        ("from July 17 to 26, 2016", ["2016-07-17"]),
        ("2009年10月", ["2009-10"]),
        ("1982年10月30日,长沙市与日本鹿儿岛市正式结为友城", ["1982-10-30"]),
        ("2018年 10月11日人大主任", ["2018-10-11"]),
        ("二〇〇九年十月", ["2009-10"]),
        ("2008年3月签署意向书,同年5月结好", ["2008-03", "2008-05"]),
        ("In 2004 they met; the following year they signed", ["2004", "2005"]),
        # a year in an event's name dates the day written beside it
        ("The Conference 2024 kicked off on May 22.", ["2024-05-22"]),
        ("11月19日,2024中国国际友好城市大会在昆明闭幕", ["2024-11-19"]),
        # the article's own date completes what the text leaves out
        ("8月25日,日本鹿儿岛市市长到访长沙", ["2017-08-25"]),
        ("25日下午,在新疆吐鲁番市", ["2017-08-25"]),
        ("昨日上午9时开幕", ["2017-08-26"]),
        ("At the end of June this year, Hunan", ["2017-06"]),
        ("今年7月21日", ["2017-07-21"]),
        ("5月18至22日,重庆市友城韩国仁川市青少年代表团来渝访问。", ["2017-05-18"]),
        ("a reception on Monday", ["2017-08"]),
        # a weekday after a dateline's full date is that week's
        ("CHONGQING, Nov. 10, 2021 (Xinhua) -- The county on Wednesday signed", ["2021-11-10", "2021-11-10"]),
    ],
)
def test_dates_keep_the_precision_the_text_gives(text: str, expected: list[str]) -> None:
    assert written_dates(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    "text",
    [
        "more than 1600 cities",  # a count, not a year
        "the 2010 China Hunan Forum",  # a year used as a name
        "in the 1990s",
        "founded in 1586",  # before the atlas's earliest year
        "May the Friendship Trees Be Evergreen",
        "on 31 February 2010",
        "In May of the same year",  # no year mentioned before
        "On March 21, the mayor met envoys",  # no year, and no article date to read it against
        "近日,青岛市与明斯克市签署协议",  # 'lately' dates nothing
        "35周年",
    ],
)
def test_no_date_is_invented(text: str) -> None:
    assert written_dates(text) == []


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("http://example.org/a\nTitle of it\n发布时间:2024-11-20 08:00\n\n11月20日,长沙市与某市签约。", "2024-11-20"),
        ("Title here\nUpdated: 2011-06-01 16:38\n\nThe week was celebrated.", "2011-06-01"),
        ("Title here\nBy YAN DENG|Mar 20,2024\n\nChongqing - In recent years.", "2024-03-20"),
        # a site-wide date above the article loses to the article's labelled date line
        (
            "Hunan news\n\n15 July 2015\n\nHome>News>Local\n\n2018-09-03 Download Print Comment\nAt the end of June.",
            "2018-09-03",
        ),
        ("Title here\n作者:某 文章来源:中国新闻网 更新时间:2017-8-27 17:06:34 责任编辑:某\n\n正文。", "2017-08-27"),
        # a source named by its web address is a label too
        (
            "Changsha in its 39th sister city tie\n2015-02-05 09:04:09 来源:en.changsha.gov.cn\n\nThe text.",
            "2015-02-05",
        ),
        # a bare date under a teaser further down dates the teaser, not the article
        (
            "Chengdu, La Plata to Establish Ties\n\n"
            + "The congress approved it on February 24. " * 3
            + "\n\nOct 15, 2014",
            None,
        ),
        ("A title without a date line\n\nThe text, citing a link http://x.org/2019/05/01/a.html, goes on.", None),
    ],
)
def test_the_article_date_comes_from_its_own_date_line(text: str, published: str | None) -> None:
    article = clean(text)

    assert (article.published.iso() if article.published else None) == published


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        (
            "Title of the story\n打印本文 打印本文 关闭窗口 关闭窗口\n\n正文第一句。\n[1] [2] [3]  下一页 尾页",
            "正文第一句。",
            "打印本文",
        ),
        ("Title of the story\nScenery of Mpumalanga. (Photo/Foreign Affairs Office)\nThe text.", "The text.", "Photo"),
        ("Title of the story\n丝袜-国产91-在线播放-午夜-视频-一区二区-韩国\nThe text.", "The text.", "丝袜"),
        (
            "Title of the story\nSource: Foreign Affairs Office\nThe text goes on after the source line.",
            "goes on",
            "Source:",
        ),
        ("Title of the story\nHome>News>Local News>Others\nThe text.", "The text.", "Home>"),
        ("Title of the story\nSummit celebrates sister-city relations_副本.jpg\nThe text.", "The text.", ".jpg"),
        ("紹興市首屆國(guó)際友城大會(huì)舉行\n正文。", "紹興市首屆國際友城大會舉行", "(guó)"),
    ],
)
def test_page_furniture_is_left_out_and_the_text_kept(text: str, kept: str, dropped: str) -> None:
    article = clean(text)

    assert kept in article.text
    assert dropped not in article.text


def test_traditional_script_is_read_in_simplified_characters_at_the_same_offsets() -> None:
    article = clean("武漢與日本大分市結好。")

    assert article.analysis == "武汉与日本大分市结好。"
    assert len(article.analysis) == len(article.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hamburg signed with Germany.Mr.Grisch said yes.", ["Hamburg signed with Germany.", "Mr.Grisch said yes."]),
        (
            "St. Louis and Nanjing are twinned. No. 8 Middle School visited.",
            ["St. Louis and Nanjing are twinned.", "No. 8 Middle School visited."],
        ),
        ("In Oct.1982 the cities met. They signed.", ["In Oct.1982 the cities met.", "They signed."]),
        ("长沙市与鹿儿岛市结为友城。两座城市开展合作。", ["长沙市与鹿儿岛市结为友城。", "两座城市开展合作。"]),
        ("“我们城区拥有6万多名大学生。”区长表示。", ["“我们城区拥有6万多名大学生。”", "区长表示。"]),
        (
            "Baku, Azerbaijan\nMontpellier, France; since 1979.",
            ["Baku, Azerbaijan", "Montpellier, France; since 1979."],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    article = clean("A title line for the test\n" + text)

    found = [article.text[s.start : s.end] for s in sentences(article) if not s.is_title]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (home, partner, relation, established) for every partnership the text states
        ("1982年10月30日,长沙市与日本鹿儿岛市正式结为友城。", [("Changsha", "JP", "friendship city", "1982-10-30")]),
        (
            "In 1979, Chengdu signed a sister city agreement with Montpellier, France.",
            [("Chengdu", "FR", "sister city", "1979")],
        ),
        (
            "- Orlando and Guilin, Philadelphia and Tianjin – places with sister-city agreements",
            [("Guilin", "US", "sister city", None), ("Tianjin", "US", "sister city", None)],
        ),
        ("2009年,湖南省与俄罗斯乌里扬诺夫斯克州正式缔结友好省州关系。", [("Hunan", "RU", "friendly province", "2009")]),
        (
            "2010年,湖南省与意大利马尔凯大区签署《建立友好合作关系意向书》。",
            [("Hunan", "IT", "letter of intent", "2010")],
        ),
        (
            "Xiangyang established a sister city relationship with Carmel, Indiana of the United States, "
            "during a roundtable in Wuhan.",
            [("Xiangyang", "US", "sister city", None)],
        ),
        ("长沙市和南宁市正式结为友好城市。", [("Changsha", "CN", "friendship city", None)]),
        (
            "Chicago Sister Cities is celebrating our 30th anniversary of sister cities relationships with Shanghai "
            "and Shenyang.",
            [("Shanghai", "US", "sister city", None), ("Shenyang", "US", "sister city", None)],
        ),
        (
            "Cusco, gateway to Peru's ancient Inca citadel of Machu Picchu, is twinned with Xi'an.",
            [("Xi’an", "PE", "sister city", None)],
        ),
        (
            "2015年、2016年,西安市与印度尼西亚梭罗市分别签署了《发展友好城市关系意向书》《旅游合作备忘录》。",
            [("Xi’an", "ID", "letter of intent", "2015")],
        ),
        # the context gives the pair: a list under its heading, examples, a sentence without subject
        (
            "Later Chengdu signed sister city agreements with cities in ten countries.\n"
            " Montpellier, France; since 1979.\n Linz, Austria; since 1983.",
            [("Chengdu", "FR", "sister city", "1979"), ("Chengdu", "AT", "sister city", "1983")],
        ),
        (
            "There is also a multitude of city partnerships:\n"
            "• Leipzig, known for engineering & Nanjing, known for chemicals: trading relationships are common.\n"
            "• Regensburg, known for beer, has a relationship with the city of Qingdao.",
            [("Nanjing", "DE", "sister city", None), ("Qingdao", "DE", "sister city", None)],
        ),
        (
            "The exchange of gifts between sister cities is essential. For example, Guangzhou lent giant pandas "
            "to the zoo in Fukuoka, Japan and sent fireworks to Lyon, France.",
            [("Guangzhou", "JP", "sister city", None), ("Guangzhou", "FR", "sister city", None)],
        ),
        (
            "Hiroshima and Chongqing are sister cities.\nEstablished on October 23, 1986 (the agreement was signed).",
            [("Chongqing", "JP", "sister city", "1986-10-23")],
        ),
        (
            "The sister city relationship was formalised on 6 May 2015.\n"
            "Hamilton and Chengdu have shared a relationship dating back to the mid-1990s, for New Zealand and China.",
            [("Chengdu", "NZ", "sister city", "2015-05-06")],
        ),
        # a county-level city is the division of that name, not the town at its seat
        (
            "2021年,沅江市与多米尼加圣多明各市签署友好城市意向书。",
            [("Yuanjiang", "DO", "letter of intent", "2021")],
        ),
        # a dateline's city is where the report was filed; an aim signed is a fact; a weekday of the dateline's week
        (
            "Updated: 2021-11-11 09:00\nCHONGQING, Nov. 10 (Xinhua) -- Wulong District in southwest China's Chongqing "
            "Municipality on Wednesday signed an agreement via video link to establish a sister-city relationship "
            "with Guanajuato in Mexico.",
            [("Wulong District", "MX", "sister city", "2021-11-10")],
        ),
        ("Mito City and Chongqing are friendly exchanges cities.", [("Chongqing", "JP", "friendly exchange", None)]),
        # a list goes on after the partner named beside the phrase, and shares the home joined to it
        (
            "第二是交流平台多边化,如广州与友城奥克兰、洛杉矶组成三城经济联盟,深圳发起创建国际友好城市大学联盟,"
            "共12国27所友城高校参与。",
            [("Guangzhou", "NZ", "friendship city", None), ("Guangzhou", "US", "friendship city", None)],
        ),
        # of several homes, the one written right before the phrase is the listed partners'
        (
            "近日,第四届广东省级友城联络人交流会在广州举行,来自澳大利亚新南威尔士州、加拿大不列颠哥伦比亚省、"
            "德国巴伐利亚州等9个广东友好省州的14位代表、4位来自河北省的特邀代表出席了交流会。",
            [
                ("Guangdong", "AU", "friendly province", None),
                ("Guangdong", "CA", "friendly province", None),
                ("Guangdong", "DE", "friendly province", None),
            ],
        ),
        # a web address holds no names: its lower-case 'changsha' makes no common word of Changsha
        (
            "2015-02-05 09:04:09 来源:en.changsha.gov.cn\n"
            "Changsha and Kansas City of the US state of Missouri have been declared sister cities.",
            [("Changsha", "US", "sister city", None)],
        ),
        # a tie told over two sentences: the pair is the town and the home, not the town's region
        (
            "The locals are accustomed to cold winters in Sunderland, a small post-industrial city in the northeast "
            "of England, but nothing quite as extreme as the -25 C regularly experienced in Harbin, in the far north "
            "of China.\n\nExchanging tips on how to beat the cold is just a peripheral benefit the two cities have "
            "enjoyed since signing a friendship agreement in 2009.",
            [("Harbin", "GB", "friendship city", "2009")],
        ),
        # an aim reached in an agreement is a fact; 'During the visit' of three days dates it to the month
        (
            "2015-02-05 09:04:09 来源:en.changsha.gov.cn\n"
            "Rui Yingzi, the deputy director of Changsha Municipal People's Congress, visited Kansas City, the United "
            "States Jan 25 to 27.\n\nDuring the visit, she reached an agreement with Sly James, the mayor of Kansas "
            "City, to establish sister city ties between the two cities.",
            [("Changsha", "US", "sister city", "2015-01")],
        ),
        # a region inside the country's own name is no partner
        (
            "On October 11, 2018, Director of the National People’s Congress Wang Kemin and Lincoln County Executive "
            "Colin Davy signed the Agreement on the Establishment of Friendship between Hunan Province of the People’s "
            "Republic of China and Lincolnshire of the United Kingdom of Great Britain and Northern Ireland.",
            [("Hunan", "GB", "friendly province", "2018-10-11")],
        ),
        # machine-translated word order: 'Italy Piacenza City' is a country and its town; 'in Chongqing city' where
        # the home is
        (
            "Jiangbei District in Chongqing city and Italy Piacenza City, Shenyang city and Uruguay city of Florida "
            "has established sister city relations of intent.",
            [("Jiangbei District", "IT", "sister city", None), ("Shenyang", "UY", "sister city", None)],
        ),
        # 'its European sister city': the partner of the sentence before
        (
            "The city of Wuxi and Germany's Leverkusen have different population sizes but their residents have much "
            "in common, said Leverkusen's Lord Mayor Reinhard Buchhorn.\nWhile Wuxi's population of more than 6 "
            "million dwarfs that of its European sister city, which is home to 160,000 residents, both are economic "
            "powerhouses along rivers.",
            [("Wuxi", "DE", "sister city", None)],
        ),
        # the nationality written before each side is no word between them
        (
            "The Chinese province of Hubei and the U.S. state of Ohio became the first pair of sister province/state, "
            "while the Chinese City of Nanjing and the U.S. City of St. Louis became the first pair of sister cities.",
            [("Hubei", "US", "friendly province", None), ("Nanjing", "US", "sister city", None)],
        ),
        # a dateline's city and the agency after it are no pair for the tie of the next sentence
        (
            "WASHINGTON, March 14 (Xinhua) -- As CHINA and the United States marked their 40th anniversary of "
            "diplomatic relationship this year, the history of CHINA-U.\nS. sister City ties also hit its 40-year "
            "milestone.",
            [],
        ),
        (
            "In 2016, Lincolnshire County Council signed a friendship agreement with Hunan Province in China.",
            [("Hunan", "GB", "friendly province", "2016")],
        ),
        # no date line: an event named by its year that opened yesterday dates the article, and its 今年
        (
            "2014杭州国际友城市长论坛昨天开幕。\n今年的市长论坛,让杭州又结交了3个“好朋友”。"
            "杭州与克罗地亚历史名城斯普利特签署了“缔结友好城市关系协议书”。",
            [("Hangzhou", "HR", "friendship city", "2014")],
        ),
        # '同时' opening a sentence: at the time of the signing told just before
        (
            "2014杭州国际友城市长论坛昨天开幕。\n今年的市长论坛,让杭州又结交了3个“好朋友”。"
            "杭州与克罗地亚历史名城斯普利特签署了“缔结友好城市关系协议书”。\n"
            "同时,杭州还与吴哥窟所在地柬埔寨暹粒省,签署了“缔结友好省市关系意向书”。",
            [("Hangzhou", "HR", "friendship city", "2014"), ("Hangzhou", "KH", "letter of intent", "2014")],
        ),
        (
            "2014杭州国际友城市长论坛开幕。\n今年的市长论坛,让杭州又结交了3个“好朋友”。"
            "杭州与克罗地亚历史名城斯普利特签署了“缔结友好城市关系协议书”。",
            [("Hangzhou", "HR", "friendship city", None)],
        ),
        # a visit's date is no date of the tie that describes the visitor's city
        (
            "2018年1月14日至16日,重庆市友城法国图卢兹市副市长瓦尔蒂基耶率团来渝访问。",
            [("Chongqing", "FR", "friendship city", None)],
        ),
        ("1982年12月,重庆市与法国图卢兹市结为友好城市。", [("Chongqing", "FR", "friendship city", "1982-12")]),
        # a letter of intent for cooperation in a field is no step to a tie
        (
            "On October 23rd, 2016, Nanjing signed a letter of intent to build sister city relationship with Semarang "
            "in Indonesia, as well as a letter of intent to launch cultural cooperation with San Antonio in USA.",
            [("Nanjing", "ID", "letter of intent", "2016-10-23")],
        ),
        # a person's name before ', mayor of' is no place (Gaoyuan is no Planaltina)
        (
            "At the opening ceremony, Nektarios Farmakis, governor of the Western Greece region, and Yao Gaoyuan, "
            "mayor of Hangzhou, signed a memorandum of understanding and cooperation.",
            [],
        ),
        # what is not a tie
        (
            "重庆市市长与巴拿马省省长拉法埃尔·皮诺·平托共同签署《建立友好市省关系谅解备忘录》。",
            [("Chongqing", "PA", "memorandum of understanding", None)],
        ),
        ("Chengdu and Zapopan, Mexico, will soon set up the sister city relationship.", []),
        ("The delegation came to Xi'an to establish a sister city relationship with Pisa, Italy.", []),
        ("上海也前往西班牙巴塞罗那、美国纽约等上海友城或友好交流关系城市。", []),
        ("2008年,马尔凯大区与株洲芦淞服饰城签订合作意向。", []),
        ("云南省政协与老挝建国阵线中央签署合作备忘录,推动与丰沙里省、乌多姆赛省的交流合作。", []),
        ("Mary Kane, president of Sister Cities International, told Xinhua that sister cities ties grow.", []),
        ("我市拟与俄罗斯叶卡捷琳堡市结为友好城市。", []),
        ("Suzhou's school signed a sister school agreement with a school in Portland.", []),
        ("The Chongqing Municipal Government signed an MoU with Singapore's Ministry of Trade and Industry.", []),
        ("The English city of Coventry reached out to Stalingrad and later Dresden as twin towns.", []),
    ],
)
def test_statements(knowledge: Knowledge, text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    proposals = propose("A title line for the test\n\n" + text, knowledge)

    found = [
        (p.home.name, p.partner.country, p.relation.name, p.established.iso() if p.established else None)
        for p in proposals.partnerships
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (home, partner) of every partnership the text states
        # a home in brackets after a partner is that partner's own; the rest of the list is the sentence's home's
        (
            "迄今为止,哈尔滨已经与哈巴罗夫斯克市、雅库茨克市、克拉斯诺达尔市和第一乌拉尔斯克(其伙伴为哈尔滨道里区)"
            "结为友好关系。",
            [
                ("Daoli District", "Pervouralsk"),
                ("Harbin", "Khabarovsk"),
                ("Harbin", "Yakutsk"),
                ("Harbin", "Krasnodar"),
            ],
        ),
        ("哈尔滨与第一乌拉尔斯克(道里区的伙伴)结为友好关系。", [("Daoli District", "Pervouralsk")]),
        ("哈尔滨市（道里区）与俄罗斯第一乌拉尔斯克市结为友好城市。", [("Daoli District", "Pervouralsk")]),
        # the participants named after 'counterparts from sister cities' are those sister cities
        (
            "Its A Tale of Two Cities series features in-depth dialogues between Hangzhou residents and their "
            "counterparts from sister cities worldwide. Participants include Boston marathoners sharing their sports "
            "stories, Bangkok conductors discussing music's global dimensions and tourism experts from New Zealand's "
            "Queenstown exploring collaborative travel models.",
            [("Hangzhou", "Boston"), ("Hangzhou", "Bangkok"), ("Hangzhou", "Queenstown")],
        ),
        (
            "Its series features in-depth dialogues between Hangzhou residents and visitors from abroad. "
            "Participants include Boston marathoners sharing their sports stories.",
            [],
        ),
        # a tie in a clause about the partner is the partner's, not the home's
        (
            "-In 1981, the Chinese City of Guangzhou became sister cities with the U.S. City of Los Angeles, which "
            "is also a sister City of Taipei.",
            [("Guangzhou", "Los Angeles")],
        ),
        # the places before 等友城 are called the partners of the article's home, names unknown between them
        (
            "2012年,黑龙江省与奥地利萨尔茨堡州正式签署《友好省州关系协议书》。按照友城交流计划,圆满完成与日本新潟县、"
            "北海道、山形县,韩国忠清北道、忠清南道,比利时卢森堡省和美国威斯康星州等友城间的各项交流工作。",
            [
                ("Heilongjiang", "Salzburg"),
                ("Heilongjiang", "Hokkaidō"),
                ("Heilongjiang", "Yamagata"),
                ("Heilongjiang", "Wisconsin"),
            ],
        ),
        # a list that goes on in other words after the last place is no list of partners
        (
            "2012年,黑龙江省与奥地利萨尔茨堡州结为友好省州。北海道的代表与威斯康星州企业家等友城客人会面。",
            [
                ("Heilongjiang", "Salzburg"),
            ],
        ),
    ],
)
def test_each_partner_is_tied_to_its_own_home(knowledge: Knowledge, text: str, expected: list[tuple[str, str]]) -> None:
    proposals = propose("A title line for the test\n\n" + text, knowledge)

    assert sorted((p.home.name, p.partner.name) for p in proposals.partnerships) == sorted(expected)


def test_every_proposal_carries_its_sentence_and_span(knowledge: Knowledge) -> None:
    text = "Changsha and Turpan\n\n25日下午,长沙市与吐鲁番市正式签约成为友好城市。两地将开展合作。"

    proposals = propose(text, knowledge)

    (found,) = proposals.partnerships
    assert proposals.article.text[found.evidence.start : found.evidence.end] == found.evidence.sentence
    assert "吐鲁番" in found.evidence.sentence
    assert found.confidence in ("high", "medium", "low") and found.reason


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        ("caf\u00e9".encode("latin-1"), "not UTF-8"),
        (b"a" * 20_000_000, "longer than an article may be"),
    ],
)
def test_input_that_is_no_article_gets_a_clear_message(raw: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        decode_article(raw, "pasted.txt")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.daegu.go.kr/english/index.do", [("Changsha", "Daegu", "KR", "2018-07-31")]),
        ("https://www.city.hiroshima.lg.jp/site/english/1.html", [("Changsha", "Hiroshima", "JP", "2018-07-31")]),
        ("https://www.chinadaily.com.cn/a/2018/07/31.html", []),  # a newspaper's site names no partner
    ],
)
def test_a_partners_own_site_names_the_partner(knowledge: Knowledge, url: str, expected: list) -> None:
    text = f"{url}\nFriendship Cities\n\nFriendship Cities\n\nChangsha (长沙), China – since July 31, 2018\n"

    proposals = propose(text, knowledge)

    found = [
        (p.home.name, p.partner.name, p.partner.country, p.established.iso() if p.established else None)
        for p in proposals.partnerships
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "place", "admin1"),
    [
        (
            "Xiangyang established a sister city relationship with Carmel, Indiana of the United States.",
            "Carmel",
            "US-IN",
        ),
        ("Changsha in its 39th sister city tie with Kansas City, US state of Missouri", "Kansas City", "US-MO"),
        (
            "Changsha and Kansas City of the US state of Missouri have been declared sister cities.",
            "Kansas City",
            "US-MO",
        ),
    ],
)
def test_a_region_written_beside_a_place_says_where_it_is_and_is_no_party(
    knowledge: Knowledge, text: str, place: str, admin1: str
) -> None:
    found = {mention.surface: mention for mention in place_mentions(text, knowledge)}

    assert found[place].place.admin1 == admin1
    assert [
        mention.surface for mention in found.values() if mention.place.level == "region" and not mention.qualifier
    ] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (partner, date, kind) of every dated exchange; one trip to several partners is dated to its month
        (
            "西安市友好代表团访问日韩友城\n发布:创始人时间:2024-12-27\n\n"
            "2024年,我市迎来与十三个国际友好城市结好“逢五”、“逢十”周年。其中日本友城奈良、京都为结好50周年,"
            "船桥、韩国庆州为结好30周年。\n\n该活动于4月5日至12日以西安市文联党组书记刘新锋带领西安市友好交流代表团"
            "赴韩国庆州、首尔,日本船桥、京都、奈良等地开展文艺体育交流活动。",
            [("Nara-shi", "2024-04", "visit"), ("Kyoto", "2024-04", "visit")],
        ),
        (
            "2015-02-05 09:04:09 来源:en.changsha.gov.cn\n"
            "Changsha and Kansas City of the US state of Missouri have been declared sister cities.\n\n"
            "Rui Yingzi, the deputy director of Changsha Municipal People's Congress, visited Kansas City, the United "
            "States Jan 25 to 27.",
            [("Kansas City", "2015-01-25", "visit")],
        ),
        # an article published in 2019 that opens with '2018年,' tells of 2018: its day-months are of 2018
        (
            "友好互访不断 重庆国际朋友圈越来越大\n2019-09-10 07:22\n\n"
            "2018年,重庆市积极与全世界多国、多城市在经济、文化等领域开展友好交流,结交了新朋友。\n\n"
            "5月8日至9日,重庆市友城斯洛文尼亚马里博尔市市长费斯特拉维奇率团来渝访问。",
            [("Maribor", "2018-05-08", "visit")],
        ),
    ],
)
def test_events(knowledge: Knowledge, text: str, expected: list[tuple[str, str, str]]) -> None:
    proposals = propose(text, knowledge)

    assert [(e.partnership.partner.name, e.date.iso(), e.kind) for e in proposals.events] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a country's longer name (刚果金) does not eat the first character of its town (金沙萨)
        (
            "斐济苏瓦、刚果金沙萨、塞舌尔维多利亚和肯尼亚蒙巴萨与广州缔结友好关系。",
            ["Suva", "Kinshasa", "Victoria", "Mombasa"],
        ),
        ("刚果金与广州", []),
        ("日本友城奈良、京都为结好50周年", ["Nara-shi", "Kyoto"]),
        # a name right after an office is a person's
        ("重庆市友城法国图卢兹市副市长瓦尔蒂基耶率团来渝访问", ["Toulouse"]),
        # Chinese writes the country before its town: a country after a comma begins the next item
        ("与日本北海道、山形县,韩国忠清北道等友城", ["Hokkaidō", "Yamagata"]),
    ],
)
def test_each_town_is_read_whole_beside_its_country(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    found = place_mentions(text, knowledge)

    assert [mention.place.name for mention in found if not (mention.is_chinese or mention.is_country)] == expected
