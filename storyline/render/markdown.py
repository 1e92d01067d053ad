"""A report as Markdown: for reading in a terminal or pasting into notes."""

from __future__ import annotations

from ..model import Article, Report


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


def render_markdown(report: Report) -> str:
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
        lines += [f"## {story.title}", "",
                  f"{len(story.article_ids)} articles, {story.independent_sources} independent sources.", ""]
        for sentence in story.summary:
            refs = ", ".join(sorted({c.article_id for c in sentence.citations}))
            lines.append(f"- {sentence.text} [{refs}]")
        lines.append("")
    lines += ["## Articles", ""]
    for article in report.articles:
        lines += _article_section(article)
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {w}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"
