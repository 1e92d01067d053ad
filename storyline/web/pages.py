"""Server-rendered HTML of the web app. Every piece of stored text goes
through ``html.escape``; URLs are built with ``urllib.parse.quote``."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from ..labels import article_label
from ..model import Article, Report
from ..render.html import page, render_html
from ..store import StoryRow

HEAD = "<script src='/app.js' defer></script>"
NAV = "<nav><a href='/'>All stories</a><a href='/?sort=sources'>Most independent sources</a></nav>"

# Hovering a citation highlights the cited words in the article below (clicking
# jumps there and highlights them through CSS :target).
SCRIPT = """
document.addEventListener('mouseover', function (e) {
  var link = e.target.closest && e.target.closest('a.cite');
  if (!link) return;
  var id = decodeURIComponent(link.getAttribute('href').slice(1));
  var target = document.getElementById(id);
  if (!target) return;
  var mark = target.tagName === 'MARK' ? target : target.parentElement;
  mark.classList.add('hover');
  link.addEventListener('mouseout', function () { mark.classList.remove('hover'); }, {once: true});
});
"""


def story_href(story_id: str) -> str:
    return "/stories/" + quote(story_id, safe="")


def article_href(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def story_list_page(rows: list[StoryRow], query: str, sort: str, number: int, more: bool, total: int) -> str:
    def link(**changes: object) -> str:
        params = {"q": query, "sort": sort, "page": number, **changes}
        return "/?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})

    sorts = " · ".join(
        f"<strong>{label}</strong>" if key == sort else f"<a href='{escape(link(sort=key, page=1))}'>{label}</a>"
        for key, label in (("newest", "newest"), ("sources", "most independent sources")))
    parts = [NAV, "<h1>Stories</h1>",
             f"<form method='get' action='/' role='search'><input type='search' name='q' value='{escape(query)}' "
             f"placeholder='Search titles and briefs' aria-label='search'>"
             f"<input type='hidden' name='sort' value='{escape(sort)}'> <button>Search</button></form>",
             f"<p class='meta'>{total} stories in the store · sorted by {sorts}</p>"]
    if rows:
        parts.append("<table class='stories'><tr><th>story</th><th>articles</th><th>independent sources</th>"
                     "<th>dates</th></tr>")
        for r in rows:
            dates = escape(r.first_date or "undated") + (
                f" – {escape(r.last_date)}" if r.last_date and r.last_date != r.first_date else "")
            parts.append(f"<tr><td><a href='{escape(story_href(r.id))}'>{escape(r.title)}</a></td>"
                         f"<td>{r.articles}</td><td>{r.independent_sources}</td><td>{dates}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No stories" + (f" match “{escape(query)}”" if query else "") + ".</p>")
    pager = []
    if number > 1:
        pager.append(f"<a href='{escape(link(page=number - 1))}'>← newer</a>" if sort == "newest"
                     else f"<a href='{escape(link(page=number - 1))}'>← previous</a>")
    if more:
        pager.append(f"<a href='{escape(link(page=number + 1))}'>next →</a>")
    if pager:
        parts.append("<p class='pager'>" + " ".join(pager) + "</p>")
    return page("storyline: stories", "".join(parts), HEAD)


def story_page(report: Report) -> str:
    story = report.stories[0]
    return render_html(report, heading=story.title, nav=NAV, head=HEAD, article_href=article_href)


def article_page(article: Article, story_title: str | None, original: Article | None = None) -> str:
    """One article's page; ``original`` is the article it copies, if stored."""
    parts = [NAV, f"<h1>{escape(article_label(article))}</h1>",
             f"<p class='meta'>{escape(article.outlet or 'unknown outlet')} · {escape(article.date or 'undated')}"
             f" · <code>{escape(article.id)}</code>"]
    if article.url:
        parts.append(f" · source: {escape(article.url)}")
    parts.append("</p>")
    if article.story_id:
        parts.append(f"<p>Story: <a href='{escape(story_href(article.story_id))}'>"
                     f"{escape(story_title or article.story_id)}</a></p>")
    if article.copy_of:
        parts.append(f"<p class='copy'>A {escape(article.copy_of.kind)} of "
                     f"<a href='{escape(article_href(article.copy_of.article_id))}'>"
                     f"{escape(article_label(original) if original else article.copy_of.article_id)}</a> "
                     f"(similarity {article.copy_of.similarity:.2f})</p>")
    parts.append(f"<h2>Clean text</h2><div class='article'>{escape(article.text)}</div>")
    parts.append(f"<h2>Removed by cleaning ({len(article.removed)})</h2>")
    if article.removed:
        parts.append("<table class='removed'><tr><th>reason</th><th>text</th></tr>" + "".join(
            f"<tr><td>{escape(r.reason)}</td><td>{escape(r.text)}</td></tr>" for r in article.removed) + "</table>")
    else:
        parts.append("<p class='meta'>Nothing.</p>")
    return page(f"storyline: {article_label(article)}", "".join(parts), HEAD)


def not_found_page(kind: str, item_id: str) -> str:
    return page("storyline: not found",
                f"{NAV}<h1>Not found</h1><p>There is no {escape(kind)} with id <code>{escape(item_id)}</code> "
                "in this store.</p>")
