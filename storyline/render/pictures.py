"""Two pictures of a story, as inline SVG (no scripts, fonts or files from
elsewhere): when each outlet reported (the coverage strip) and who repeats
whom (the copy graph). Shape and text carry the meaning, colour only repeats
it: an independent article is a filled circle, a copy a hollow square, and
every mark and arrow has a text label and a <title>.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from ..labels import article_label
from ..model import Article, Story

_INK, _COPY = "#1f4e79", "#b35c00"
_FONT = "font-family='system-ui, sans-serif' font-size='12'"


def _day(date: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(date[:10]) if date else None
    except ValueError:
        return None


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _mark(x: float, y: float, article: Article, number: int) -> str:
    """A filled circle for an independent article, a hollow square for a copy, numbered."""
    tip = escape(f"[{number}] {article_label(article)}"
                 + (f" ({article.copy_of.kind} of another article)" if article.copy_of else ""))
    if article.copy_of:
        shape = (f"<rect x='{x - 7:.1f}' y='{y - 7:.1f}' width='14' height='14' fill='white' "
                 f"stroke='{_COPY}' stroke-width='2'/>")
        ink = _COPY
    else:
        shape = f"<circle cx='{x:.1f}' cy='{y:.1f}' r='7' fill='{_INK}'/>"
        ink = "white"
    return (f"<g class='mark'><title>{tip}</title>{shape}"
            f"<text x='{x:.1f}' y='{y + 4:.1f}' text-anchor='middle' {_FONT} font-size='9' fill='{ink}'>"
            f"{number}</text></g>")


def coverage_strip(story: Story, articles: dict[str, Article], number: dict[str, int]) -> str:
    """Articles per day, one row per outlet; undated articles in a column of their own."""
    members = [articles[a] for a in story.article_ids if a in articles]
    days = sorted({d for a in members if (d := _day(a.date))})
    outlets = sorted({a.outlet or "outlet unknown" for a in members}, key=str.lower)
    undated = any(_day(a.date) is None for a in members)
    first = days[0] if days else None
    span = (days[-1] - days[0]).days if days else 0
    per_cell: dict[tuple[str, object], int] = {}
    for a in members:
        cell = (a.outlet or "outlet unknown", _day(a.date))
        per_cell[cell] = per_cell.get(cell, 0) + 1
    left, column = 170, max(52, 16 * max(per_cell.values(), default=1) + 20)
    width = left + (span + 1) * column + (column * 2 if undated else 0) + 20
    height = 30 + len(outlets) * 26 + 24
    parts = [f"<svg class='coverage' role='img' xmlns='http://www.w3.org/2000/svg' width='{width}' "
             f"height='{height}' viewBox='0 0 {width} {height}'>",
             f"<title>Coverage: {len(members)} articles by {len(outlets)} outlets"
             + (f" from {days[0]} to {days[-1]}" if days else "") + "</title>"]
    for row, outlet in enumerate(outlets):
        y = 30 + row * 26
        parts.append(f"<text x='{left - 10}' y='{y + 4}' text-anchor='end' {_FONT}>{escape(outlet[:26])}</text>"
                     f"<line x1='{left - 4}' y1='{y}' x2='{width - 16}' y2='{y}' stroke='#ddd'/>")
        stacked: dict[int, int] = {}
        for a in members:
            if (a.outlet or "outlet unknown") != outlet:
                continue
            day = _day(a.date)
            slot = (day - first).days if day and first else span + 2
            offset = stacked.get(slot, 0)
            stacked[slot] = offset + 1
            start = left + slot * column + column / 2 - (per_cell[(outlet, day)] - 1) * 8
            parts.append(_mark(start + offset * 16, y, a, number[a.id]))
    axis = 30 + len(outlets) * 26
    for n, day in enumerate(days):
        x = left + (day - first).days * column + column / 2
        if n == 0 or n == len(days) - 1 or len(days) <= 8:
            parts.append(f"<text x='{x:.1f}' y='{axis + 6}' text-anchor='middle' {_FONT} font-size='10'>"
                         f"{day.strftime('%d %b')}</text>")
    if undated:
        x = left + (span + 2) * column + column / 2
        parts.append(f"<text x='{x:.1f}' y='{axis + 6}' text-anchor='middle' {_FONT} font-size='10'>undated</text>")
    parts.append("</svg>")
    return "".join(parts)


def copy_graph(story: Story, articles: dict[str, Article], number: dict[str, int]) -> str:
    """Originals in a row, each with the articles that repeat it below, an arrow
    from each copy to what it copies, labelled with the kind of copy. Empty
    when no article of the story repeats another."""
    members = [articles[a] for a in story.article_ids if a in articles]
    copied = {a.copy_of.article_id for a in members if a.copy_of}
    if not copied:
        return ""
    position: dict[str, tuple[float, float]] = {}
    originals = [a for a in members if not a.copy_of]
    copies_of: dict[str, list[Article]] = {}
    for a in members:
        if a.copy_of:
            copies_of.setdefault(a.copy_of.article_id, []).append(a)
    column, row = 160, 60
    for n, a in enumerate(originals):
        position[a.id] = (40 + n * column, 30)
    placed = [a for a in members if a.id in position]
    depth = 1
    while len(placed) < len(members) and depth < len(members) + 1:  # copies of copies one row further down
        for parent in [a for a in placed]:
            for k, child in enumerate(copies_of.get(parent.id, [])):
                if child.id not in position:
                    x, _ = position[parent.id]
                    position[child.id] = (x + k * 30, 30 + depth * row)
                    placed.append(child)
        depth += 1
    for a in members:  # a copy whose original is not in this story
        position.setdefault(a.id, (40 + len(originals) * column, 30 + row))
    arrow = escape(f"arrow-{story.id}")
    width = max(x for x, _ in position.values()) + 140
    height = max(y for _, y in position.values()) + 40
    parts = [f"<svg class='copies' role='img' xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' "
             f"height='{height:.0f}' viewBox='0 0 {width:.0f} {height:.0f}'>",
             "<title>Who repeats whom: an arrow goes from a copy to the article it copies</title>",
             f"<defs><marker id='{arrow}' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' "
             f"orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='{_COPY}'/></marker></defs>"]
    dash = {"duplicate": "", "syndicated": " stroke-dasharray='6 3'", "rewrite": " stroke-dasharray='2 3'"}
    for a in members:
        if a.copy_of and a.copy_of.article_id in position:
            (x1, y1), (x2, y2) = position[a.id], position[a.copy_of.article_id]
            length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
            sx, sy, ex, ey = (x1 + (x2 - x1) * 9 / length, y1 + (y2 - y1) * 9 / length,
                              x2 - (x2 - x1) * 10 / length, y2 - (y2 - y1) * 10 / length)
            parts.append(f"<g class='edge'><title>[{number[a.id]}] is a {escape(a.copy_of.kind)} of "
                         f"[{number.get(a.copy_of.article_id, '?')}]</title>"
                         f"<line x1='{sx:.1f}' y1='{sy:.1f}' x2='{ex:.1f}' y2='{ey:.1f}' stroke='{_COPY}' "
                         f"stroke-width='1.5'{dash.get(a.copy_of.kind, '')} marker-end='url(#{arrow})'/>"
                         f"<text x='{(x1 + x2) / 2 + 8:.1f}' y='{(y1 + y2) / 2:.1f}' {_FONT} font-size='10' "
                         f"fill='{_COPY}'>{escape(a.copy_of.kind)}</text></g>")
    for a in members:
        x, y = position[a.id]
        parts.append(_mark(x, y, a, number[a.id]))
        parts.append(f"<text x='{x + 12:.1f}' y='{y + 4:.1f}' {_FONT} font-size='10'>"
                     f"{escape(_short(a.outlet or article_label(a), 18))}</text>")
    parts.append("</svg>")
    return "".join(parts)


LEGEND = ("<p class='meta legend'>● filled circle: independent article · □ hollow square: a copy "
          "(duplicate, syndicated or rewrite) · numbers are the sources above</p>")
