"""The story panel: a partnership's story, or the hub's overview when no partner is chosen.

Every string from the data is passed as a child, so Dash renders it as text, never as markup.
"""

from __future__ import annotations

from dash import html

from atlas.i18n import html_lang, t
from atlas.story import Activity, Conflict, HubOverview, Source, Story, TimelineEntry
from atlas.views import edit_href
from layouts import ids


def source_link(source: Source) -> html.Component:
    if source.url:
        return html.A(source.label, href=source.url, target="_blank", rel="noopener noreferrer", className="source")
    return html.Span(source.label, className="source")


def timeline_item(entry: TimelineEntry, lang: str) -> html.Li:
    meta = [html.Span(entry.date, className="when"), html.Span(entry.kind, className="kind")]
    meta += [html.Span(sector, className="sector-tag") for sector in entry.sectors]
    body = [html.Div(meta, className="meta"), html.P(entry.summary, className="summary-line")]
    if entry.institutions:
        body.append(
            html.P(
                [html.Span(f"{t('institutions', lang)}: ", className="muted"), entry.institutions],
                className="institutions",
            )
        )
    if entry.source:
        body.append(html.Div(source_link(entry.source), className="entry-source"))
    return html.Li(body, className="timeline-item")


def fact_row(name: str, value: str) -> html.Div:
    return html.Div([html.Dt(name), html.Dd(value)], className="fact")


def conflict_item(conflict: Conflict, lang: str) -> html.Li:
    """'Established: 1982-12 (this record) · 1981 (another source: …)', with the other source's link;
    in Chinese with Chinese punctuation."""
    colon, opening, closing = ("：", "（", "）") if lang == "zh" else (": ", " (", ")")
    claim: list[html.Component | str] = [f"{conflict.claimed}{opening}{t('claimed_elsewhere', lang)}"]
    if conflict.source:
        claim += [colon, source_link(conflict.source)]
    claim.append(closing)
    children: list[html.Component | str] = [
        html.Strong(f"{conflict.field}{colon}"),
        f"{conflict.stated}{opening}{t('stated_here', lang)}{closing} · ",
        *claim,
    ]
    if conflict.note:
        children.append(html.Span(f" — {conflict.note}", className="muted", lang="en"))
    return html.Li(children, className="conflict")


def activity_block(activity: Activity) -> html.Div:
    """'Quiet in 2010 · Last exchange: 22 July 2004 (2004), … · 0 exchanges in 2006–2010'."""
    children: list[html.Component | str] = [html.Strong(activity.label, className="activity-status")]
    children += [html.Span(f" · {part}") for part in (activity.last, activity.recent) if part]
    return html.Div(children, id=ids.ACTIVITY, className=f"activity activity-{activity.status}")


def brief_link(story: Story, lang: str) -> html.A:
    query = "?lang=zh" if lang == "zh" else ""
    return html.A(
        t("brief", lang),
        href=f"/brief/{story.id}{query}",
        target="_blank",
        rel="noopener",
        className="brief-link action",
    )


def render_story(story: Story, lang: str) -> html.Div:
    facts = [
        fact_row(t("home", lang), story.home),
        fact_row(t("relation", lang), story.relation),
        fact_row(t("established", lang), story.established),
        fact_row(t("confidence", lang), story.confidence),
    ]
    if story.location_note:
        facts.append(fact_row(t("location", lang), story.location_note))
    children: list[html.Component] = [
        html.H2(
            [
                html.Span(story.name, className="story-name"),
                html.Span(story.other_name, className="story-other", lang=html_lang("zh" if lang == "en" else "en")),
            ]
        ),
        html.P([html.Span(story.country), brief_link(story, lang)], className="story-country"),
        html.Dl(facts, className="facts" + (" low" if story.low_confidence else "")),
    ]
    if story.activity:
        children.append(activity_block(story.activity))
    if story.unconfirmed:
        children.append(html.P(t("unconfirmed_note", lang), className="unconfirmed-note"))
    if story.conflicts:
        items = [conflict_item(conflict, lang) for conflict in story.conflicts]
        children += [html.H3(t("sources_disagree", lang)), html.Ul(items, className="conflicts")]
    children += [html.P(milestone, className="milestone") for milestone in story.milestones]
    children.append(html.H3(t("timeline", lang)))
    if story.timeline:
        children.append(html.Ol([timeline_item(entry, lang) for entry in story.timeline], className="timeline-list"))
    else:
        children.append(html.P(t("no_exchanges", lang), className="muted"))
    children += [
        html.H3(t("sources", lang)),
        html.Ul([html.Li(source_link(source)) for source in story.sources], className="sources"),
    ]
    if story.notes:
        children += [html.H3(t("notes", lang)), html.P(story.notes, className="notes", lang="en")]
    # Editors open the row on the editing page, which asks them to sign in; the map itself stays read-only.
    children.append(html.A(t("edit_link", lang), href=edit_href(story.id), className="edit-link"))
    return html.Div(children, className="story-body", lang=html_lang(lang), **{"data-partnership": story.id})


def render_overview(overview: HubOverview, lang: str) -> html.Div:
    children: list[html.Component] = [html.H2(overview.name), html.P(t("story_hint", lang), className="hint")]
    if overview.figures:
        children += [
            html.H3(t("hub_overview", lang)),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(figure.value, className="figure-value"),
                            html.Span(f" {figure.caption}", className="figure-caption"),
                            html.Span(f" ({figure.date})", className="muted"),
                            *([" ", source_link(figure.source)] if figure.source else []),
                        ]
                    )
                    for figure in overview.figures
                ],
                className="figures",
            ),
        ]
    if overview.milestones:
        children += [
            html.H3(t("milestones", lang)),
            html.Ol([timeline_item(entry, lang) for entry in overview.milestones], className="timeline-list"),
        ]
    return html.Div(children, className="overview")
