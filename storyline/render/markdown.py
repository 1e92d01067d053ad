"""A report as Markdown: for reading in a terminal or pasting into notes. It
holds every section the HTML report holds (a test checks this); a citation
is the number of the article in the report's article list."""

from __future__ import annotations

from ..labels import (
    ENTITY_HEADINGS,
    article_label,
    brief_speaker,
    citation_numbers,
    claim_status,
    counted,
    entity_heading,
    shown_text,
)
from ..model import Article, Report, Story
from ..quotes import quote_groups


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ") or "–"


def _refs(article_ids: list[str], number: dict[str, int]) -> str:
    return "".join(f"[{n}]" for n in citation_numbers(article_ids, number))


def _article_section(article: Article, number: int) -> list[str]:
    lines = [f"### [{number}] {article_label(article)}", ""]
    meta = [f"{label} {value}" for label, value in
            (("outlet", article.outlet), ("date", article.date), ("language", article.language)) if value]
    meta.append(f"id `{article.id}`")
    lines += ["; ".join(meta), ""]
    if article.removed:
        lines.append("Removed by cleaning:")
        lines += [f"- *{item.reason}*: {_cell(item.text)}" for item in article.removed]
        lines.append("")
    return lines


def _story_section(story: Story, articles: dict[str, Article], number: dict[str, int]) -> list[str]:
    dates = " to ".join(sorted({d for d in (story.first_date, story.last_date) if d})) or "undated"
    lines = [f"## {story.title}", "",
             f"`{story.id}` · {counted(len(story.article_ids), 'article')} · "
             f"**{counted(story.independent_sources, 'independent source')}** · {dates}", ""]
    lines += ["### Sources", "", "| # | article | outlet | date | copy |", "|---:|---|---|---|---|"]
    for article_id in story.article_ids:
        a = articles[article_id]
        copy = (f"{a.copy_of.kind} of [{number.get(a.copy_of.article_id, '?')}]" if a.copy_of else "independent")
        lines.append(f"| {number[a.id]} | {_cell(article_label(a))} | {_cell(a.outlet)} | {_cell(a.date)} | {copy} |")
    lines.append("")
    members = [articles[a] for a in story.article_ids if a in articles]
    lines += ["### Coverage", ""]
    for date in sorted({a.date for a in members if a.date}) + ([None] if any(not a.date for a in members) else []):
        day = [a for a in members if a.date == date]
        lines.append(f"- {date or 'undated'}: " + ", ".join(
            f"{_cell(a.outlet or 'outlet unknown')} [{number[a.id]}]" + (" (copy)" if a.copy_of else "") for a in day))
    lines.append("")
    copies = [a for a in members if a.copy_of]
    if copies:
        lines += ["### Who repeats whom", ""]
        for a in copies:
            original = articles.get(a.copy_of.article_id)
            lines.append(f"- [{number[a.id]}] {_cell(a.outlet or article_label(a))} is a {a.copy_of.kind} of "
                         f"[{number.get(a.copy_of.article_id, '?')}] "
                         f"{_cell((original.outlet or article_label(original)) if original else 'another article')}")
        lines.append("")
    for heading, sentences in (("Brief", story.summary), ("What differs", story.differences)):
        if sentences:
            lines += [f"### {heading}", ""]
            for s in sentences:
                speaker = brief_speaker(s, story.quotes) if heading == "Brief" else None
                said = f"*{_cell(speaker)}:* " if speaker else ""
                lines.append(f"- {said}{s.text} {_refs([c.article_id for c in s.citations], number)}")
            lines.append("")
    if story.quotes:
        lines += ["### Quotes", ""]
        for members in quote_groups(story.quotes):
            first = members[0]
            lines.append(f"- **{first.speaker_name or 'unknown speaker'}**: “{first.text}” "
                         f"{_refs([q.article_id for q in members], number)}")
            shown = {first.text}
            for other in members[1:]:
                if other.text not in shown:
                    shown.add(other.text)
                    lines.append(f"  - in [{number.get(other.article_id, '?')}]: “{other.text}”")
        lines.append("")
    entities = [e for e in story.entities if e.mentions > 1]
    if entities:
        lines += ["### Entities", ""]
        types = [t for t, _ in ENTITY_HEADINGS] + sorted({e.type for e in entities} - {t for t, _ in ENTITY_HEADINGS})
        for entity_type in types:
            group = [e for e in entities if e.type == entity_type][:15]
            if group:
                lines.append(f"**{entity_heading(entity_type)}:** " + "; ".join(
                    e.name + (f" (also {', '.join(e.aliases)})" if e.aliases else "") + f" ×{e.mentions}"
                    for e in group))
                lines.append("")
    claims = [c for c in story.claims if c.status != "unique"][:25]
    if claims:
        lines += ["### Claims", "", "| claim | status | sources |", "|---|---|---|"]
        for claim in claims:
            lines.append(f"| {_cell(shown_text(claim.text, 160))} | {claim_status(claim)} | "
                         f"{_refs([e.article_id for e in claim.evidence], number)} |")
        lines.append("")
    if story.timeline:
        lines += ["### Timeline", ""]
        lines += [f"- {t.date}: {shown_text(t.text)} [{number.get(t.article_id, '?')}]" for t in story.timeline]
        lines.append("")
    return lines


def render_markdown(report: Report) -> str:
    articles = {a.id: a for a in report.articles}
    number = {a.id: n for n, a in enumerate(report.articles, 1)}
    lines = ["# storyline report", ""]
    lines += [
        f"{counted(len(report.articles), 'article')}, {counted(len(report.stories), 'story')}.",
        "",
        "| # | article | outlet | date | words | removed |",
        "|---:|---|---|---|---:|---:|",
    ]
    for a in report.articles:
        lines.append(
            f"| {number[a.id]} | {_cell(article_label(a))} | {_cell(a.outlet)} | {_cell(a.date)} "
            f"| {len(a.text.split())} | {len(a.removed)} |"
        )
    lines.append("")
    for story in report.stories:
        lines += _story_section(story, articles, number)
    lines += ["## Articles", ""]
    for article in report.articles:
        lines += _article_section(article, number[article.id])
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {w}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"
