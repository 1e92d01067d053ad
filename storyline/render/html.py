"""A report as one self-contained HTML page: no scripts, fonts or images from
elsewhere, every piece of article text escaped.

Citations are links to the cited sentence inside its article further down
the page; the sentence is highlighted when it is the link's target (CSS
``:target``), and hovering a citation shows the cited words.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..labels import ENTITY_HEADINGS, article_label, brief_speaker, claim_status, counted, entity_heading, shown_text
from ..model import Article, BriefSentence, Citation, Report, Story
from ..quotes import quote_groups
from .pictures import LEGEND, copy_graph, coverage_strip

CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1,h2,h3{line-height:1.2} .meta{color:#666;font-size:.9rem}
table{border-collapse:collapse;margin:1rem 0} td,th{border:1px solid #ddd;padding:.25rem .5rem;font-size:.9rem}
th{background:#f4f4f4} .cite{font-size:.75rem;vertical-align:super;text-decoration:none;margin-left:.15rem}
mark{background:none} mark:target,mark:has(> .anchor:target),mark.hover{background:#ffe066;outline:2px solid #f0b400}
nav{margin-bottom:1rem} nav a{margin-right:1rem}
.status-corroborated{color:#1b7f3b} .status-unique{color:#666} .status-conflicting{color:#b3261e;font-weight:600}
.copy{color:#b35c00} .article{white-space:pre-wrap;border-left:3px solid #ddd;padding-left:1rem}
.removed{color:#888;font-size:.85rem}
"""


def _anchor(c: Citation) -> str:
    return f"cite-{c.article_id}-{c.start}-{c.end}"


def _cited(sentence: BriefSentence, articles: dict[str, Article], number: dict[str, int],
           speaker: str | None = None) -> str:
    """A sentence with one citation link per cited article (its first cited span)."""
    first: dict[str, Citation] = {}
    for c in sentence.citations:
        if c.article_id in articles and c.article_id in number:
            first.setdefault(c.article_id, c)
    links = "".join(
        f'<a class="cite" href="#{escape(_anchor(c))}" title="{escape(articles[c.article_id].text[c.start:c.end])}">'
        f"[{number[c.article_id]}]</a>" for c in first.values())
    said = f"<span class='speaker'>{escape(speaker)}:</span> " if speaker else ""
    return f"<li>{said}{escape(sentence.text)}{links}</li>"


def _article_html(article: Article, marks: list[tuple[int, int]]) -> str:
    """The article's text with every cited span wrapped in a targetable <mark>;
    overlapping spans share one mark that carries all their anchors."""
    merged: list[list] = []  # [start, end, [spans]]
    for start, end in sorted(set(marks)):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append((start, end))
        else:
            merged.append([start, end, [(start, end)]])
    out, position = [], 0
    for start, end, spans in merged:
        out.append(escape(article.text[position:start]))
        first, *others = spans
        anchors = "".join(f'<span class="anchor" id="{escape(f"cite-{article.id}-{a}-{b}")}"></span>'
                          for a, b in others)
        out.append(f'<mark id="{escape(f"cite-{article.id}-{first[0]}-{first[1]}")}">{anchors}'
                   f"{escape(article.text[start:end])}</mark>")
        position = end
    out.append(escape(article.text[position:]))
    return "".join(out)


def _story_html(story: Story, articles: dict[str, Article], number: dict[str, int]) -> str:
    until = f" to {escape(story.last_date)}" if story.last_date and story.last_date != story.first_date else ""
    parts = [f"<h2>{escape(story.title)}</h2>",
             f'<p class="meta">{counted(len(story.article_ids), "article")} · '
             f"<strong>{counted(story.independent_sources, 'independent source')}</strong> · "
             f"{escape(story.first_date or 'undated')}"
             f"{until}</p>"]
    parts.append("<h3>Sources</h3><table><tr><th>#</th><th>article</th><th>outlet</th><th>date</th><th></th></tr>")
    for aid in story.article_ids:
        a = articles[aid]
        mark = (f'<span class="copy">{escape(a.copy_of.kind)} of [{number.get(a.copy_of.article_id, "?")}]</span>'
                if a.copy_of else "independent")
        link = f"<a href='#article-{escape(aid)}'>{escape(article_label(a))}</a>"
        parts.append(f"<tr><td>{number[aid]}</td><td>{link}</td>"
                     f"<td>{escape(a.outlet or '–')}</td><td>{escape(a.date or '–')}</td><td>{mark}</td></tr>")
    parts.append("</table>")
    parts.append("<h3>Coverage</h3>" + coverage_strip(story, articles, number))
    graph = copy_graph(story, articles, number)
    if graph:
        parts.append("<h3>Who repeats whom</h3>" + graph)
    parts.append(LEGEND)
    if story.summary:
        parts.append("<h3>Brief</h3><ul class='brief'>")
        parts += [_cited(s, articles, number, brief_speaker(s, story.quotes)) for s in story.summary]
        parts.append("</ul>")
    if story.differences:
        parts.append("<h3>What differs</h3><ul class='differences'>")
        parts += [_cited(s, articles, number) for s in story.differences]
        parts.append("</ul>")
    if story.quotes:
        parts.append("<h3>Quotes</h3><ul>")
        for members in quote_groups(story.quotes):
            first = members[0]
            once = {q.article_id: q for q in reversed(members)}  # each article once, its first quote
            links = "".join(f'<a class="cite" href="#{escape(_anchor(Citation(q.article_id, q.start, q.end)))}">'
                            f"[{number.get(q.article_id, '?')}]</a>" for q in reversed(once.values()))
            parts.append(f"<li><strong>{escape(first.speaker_name or 'unknown speaker')}</strong>: "
                         f"“{escape(first.text)}”{links}</li>")
        parts.append("</ul>")
    entities = [e for e in story.entities if e.mentions > 1]
    if entities:
        parts.append("<h3>Entities</h3>")
        known = [t for t, _ in ENTITY_HEADINGS]
        for entity_type in known + sorted({e.type for e in entities} - set(known)):
            group = [e for e in entities if e.type == entity_type][:15]
            if group:
                parts.append(f"<p><strong>{escape(entity_heading(entity_type))}:</strong> " + "; ".join(
                    f"{escape(e.name)} <span class='meta'>("
                    f"{'also ' + escape(', '.join(e.aliases)) + ', ' if e.aliases else ''}{e.mentions}×)</span>"
                    for e in group) + "</p>")
    shown = [c for c in story.claims if c.status != "unique"][:25]
    if shown:
        parts.append("<h3>Claims</h3><table><tr><th>claim</th><th>status</th>"
                     + "".join(f"<th>{number[a]}</th>" for a in story.article_ids) + "</tr>")
        for claim in shown:
            backing = {e.article_id for e in claim.evidence}
            cells = "".join(f"<td>{'●' if a in backing else ''}</td>" for a in story.article_ids)
            parts.append(f"<tr><td>{escape(shown_text(claim.text, 160))}</td>"
                         f"<td class='status-{escape(claim.status)}'>{escape(claim_status(claim))}</td>{cells}</tr>")
        parts.append("</table>")
    if story.timeline:
        parts.append("<h3>Timeline</h3><ul>")
        parts += [f"<li>{escape(t.date)}: {escape(shown_text(t.text))} [{number.get(t.article_id, '?')}]</li>"
                  for t in story.timeline]
        parts.append("</ul>")
    return "<section class='story'>" + "\n".join(parts) + "</section>"


def page(title: str, body: str, head: str = "") -> str:
    """A whole HTML document around ``body`` (already escaped HTML); ``head`` is
    added to ``<head>`` as it is."""
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title><meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<style>{CSS}</style>{head}</head><body>{body}</body></html>\n")


def render_html(report: Report, heading: str | None = None, nav: str = "", head: str = "",
                article_href: Callable[[str], str] | None = None) -> str:
    """The report as one page. The web app passes a navigation bar (``nav``,
    trusted HTML), extra ``head`` content and links to each article's own page."""
    articles = {a.id: a for a in report.articles}
    marks: dict[str, list[tuple[int, int]]] = {}
    for story in report.stories:
        for sentence in story.summary + story.differences:
            for c in sentence.citations:
                marks.setdefault(c.article_id, []).append((c.start, c.end))
        for q in story.quotes:
            marks.setdefault(q.article_id, []).append((q.start, q.end))
    body = [nav]
    if heading is None:
        body.append(f"<h1>storyline report</h1><p class='meta'>{counted(len(report.articles), 'article')}, "
                    f"{counted(len(report.stories), 'story')}</p>")
    number = {a.id: n for n, a in enumerate(report.articles, 1)}  # as in the Markdown: one number per article
    body += [_story_html(s, articles, number) for s in report.stories]
    body.append("<h2>Articles</h2>")
    for a in report.articles:
        removed = "".join(f"<li>{escape(r.reason)}: {escape(r.text)}</li>" for r in a.removed)
        body.append(f"<article id='article-{escape(a.id)}'><h3>{escape(article_label(a))}</h3>"
                    f"<p class='meta'>{escape(a.outlet or 'unknown outlet')} · {escape(a.date or 'undated')} · "
                    f"<code>{escape(a.id)}</code>"
                    + (f" · <a href='{escape(article_href(a.id))}'>article page</a>" if article_href else "")
                    + "</p>"
                    f"<div class='article'>{_article_html(a, marks.get(a.id, []))}</div>"
                    + (f"<details class='removed'><summary>removed by cleaning ({len(a.removed)})</summary>"
                       f"<ul>{removed}</ul></details>" if a.removed else "") + "</article>")
    return page(heading or "storyline report", "".join(body), head)
