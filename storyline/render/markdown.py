"""A report as Markdown: for reading in a terminal or pasting into notes."""

from __future__ import annotations

from ..model import Article, Report, Story
from ..quotes import quote_groups


def plural(n: int, word: str) -> str:
    """'1 article', '2 articles'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ") or "–"


def _article_section(article: Article) -> list[str]:
    lines = [f"### {article.title or article.id}", ""]
    meta = [f"id `{article.id}`"]
    meta += [f"{label} {value}" for label, value in
             (("outlet", article.outlet), ("date", article.date), ("language", article.language)) if value]
    if article.copy_of:
        meta.append(f"{article.copy_of.kind} of `{article.copy_of.article_id}`")
    lines += ["; ".join(meta), ""]
    if article.removed:
        lines.append("Removed by cleaning:")
        lines += [f"- *{item.reason}*: {item.text}" for item in article.removed]
        lines.append("")
    return lines


def _story_section(story: Story, articles: dict[str, Article]) -> list[str]:
    dates = " to ".join(sorted({d for d in (story.first_date, story.last_date) if d})) or "undated"
    lines = [f"## {story.title}", "",
             f"`{story.id}` · {plural(len(story.article_ids), 'article')} · "
             f"**{plural(story.independent_sources, 'independent source')}** · {dates}", ""]
    for sentence in story.summary:
        refs = ", ".join(sorted({c.article_id for c in sentence.citations}))
        lines.append(f"- {sentence.text} [{refs}]")
    if story.summary:
        lines.append("")
    lines += ["| article | outlet | date | copy of |", "|---|---|---|---|"]
    for article_id in story.article_ids:
        a = articles[article_id]
        copy = f"{a.copy_of.kind} of `{a.copy_of.article_id}`" if a.copy_of else "independent"
        lines.append(f"| `{a.id}` | {_cell(a.outlet)} | {_cell(a.date)} | {copy} |")
    lines.append("")
    people = [e for e in story.entities if e.type == "PERSON"][:12]
    if people:
        lines.append("**People:** " + "; ".join(
            f"{e.name}" + (f" (also {', '.join(e.aliases)})" if e.aliases else "") + f" ×{e.mentions}"
            for e in people))
        lines.append("")
    if story.quotes:
        lines += ["### Quotes", ""]
        for members in quote_groups(story.quotes):
            first = members[0]
            outlets = ", ".join(f"`{q.article_id}`" for q in members)
            lines.append(f"- **{first.speaker_name or 'unknown speaker'}**: “{first.text}” — {outlets}")
            for other in members[1:]:
                if other.text != first.text:
                    lines.append(f"  - in `{other.article_id}`: “{other.text}”")
        lines.append("")
    return lines


def render_markdown(report: Report) -> str:
    articles = {a.id: a for a in report.articles}
    lines = ["# storyline report", ""]
    lines += [
        f"{len(report.articles)} articles, {len(report.stories)} stories.",
        "",
        "| id | outlet | date | title | words | removed |",
        "|---|---|---|---|---:|---:|",
    ]
    for a in report.articles:
        lines.append(
            f"| {_cell(a.id)} | {_cell(a.outlet)} | {_cell(a.date)} | {_cell(a.title)} "
            f"| {len(a.text.split())} | {len(a.removed)} |"
        )
    lines.append("")
    for story in report.stories:
        lines += _story_section(story, articles)
    lines += ["## Articles", ""]
    for article in report.articles:
        lines += _article_section(article)
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {w}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"
