"""What a reader sees (issue 15): articles named by title, outlet and lead,
never by id, and a Markdown report that holds every section of the HTML one."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from storyline.labels import article_label, source_name
from storyline.model import Article
from storyline.pipeline import analyze
from storyline.render import render_html, render_markdown

from .conftest import EXAMPLES


class _Visible(HTMLParser):
    """The text a reader sees, without <code> (where the id is given as data)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.code = 0

    def handle_starttag(self, tag, attrs):
        self.code += tag == "code"

    def handle_endtag(self, tag):
        self.code -= tag == "code"

    def handle_data(self, data):
        if not self.code:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def reports(seeds):
    return {"seeds": analyze([seeds]), "examples": analyze([EXAMPLES])}


@pytest.mark.parametrize("corpus", ["seeds", "examples"])
def test_item_2_no_article_is_named_by_its_id(reports, corpus):
    """The Markdown and HTML reports (the web's story page is the HTML render)
    name every article by its title, or its outlet and lead; the id appears
    only as the id field (`id ...` in Markdown, <code> in HTML)."""
    report = reports[corpus]
    ids = [a.id for a in report.articles]
    assert any(a.title is None for a in report.articles)  # the case that used to show ids
    markdown = re.sub(r"id `[^`]+`", "", render_markdown(report))
    page = visible_text(render_html(report))
    for article_id in ids:
        assert article_id not in markdown, article_id
        assert article_id not in page, article_id
    for story in report.stories:
        for sentence in story.differences:
            assert not any(article_id in sentence.text for article_id in ids)


def test_item_6_markdown_holds_every_section_of_the_html(reports):
    for report in reports.values():
        page, markdown = render_html(report), render_markdown(report)
        headings = set(re.findall(r"<h3>([^<]+)</h3>", page))
        assert {"Sources", "Brief", "Quotes", "Entities", "Claims", "Timeline"} <= headings
        for heading in headings - {article_label(a) for a in report.articles}:  # article headings are h3 too
            assert f"### {heading}" in markdown, heading
        for label in ("People:", "Places:"):
            assert label in page and f"**{label}**" in markdown


def test_labels_of_articles_without_a_title():
    text = "(Agency) — The bridge over the Selva river was closed on Monday after inspectors found cracks in it."
    plain = Article(id="x1", source="x1.txt", text=text)
    assert article_label(plain) == "The bridge over the Selva river was closed on Monday …"
    assert article_label(Article(id="x2", source="", text=text, outlet="Agency")).startswith("Agency: The bridge")
    assert source_name(plain) == "“The bridge over the Selva river …”"
    assert source_name(Article(id="x3", source="", text=text, title="Bridge shut")) == "“Bridge shut”"


def test_citations_name_each_article_once(reports):
    for report in reports.values():
        page = render_html(report)
        for item in re.findall(r"<li>.*?</li>", page):
            numbers = re.findall(r'class="cite"[^>]*>\[(\d+)\]', item)
            assert len(numbers) == len(set(numbers)), item[:200]


def test_a_one_source_story_lists_no_only_x_reports(tmp_path):
    (tmp_path / "one.txt").write_text(
        "The harbour board approved a new quay on Monday. It will cost 12 million euros, the board said. "
        "Work starts in May and should end within two years, according to the plan.", "utf-8")
    [story] = analyze([tmp_path]).stories
    assert not [d for d in story.differences if d.text.startswith("Only ")]


def test_claims_and_timeline_are_shown_without_dateline_and_cut_at_a_word():
    from storyline.labels import shown_text

    text = "LENTZ, May 3 (Alpine Wire) - The ferry left the harbour of Lentz at noon with 340 passengers on board."
    assert shown_text(text) == "The ferry left the harbour of Lentz at noon with 340 passengers on board."
    short = shown_text(text, 40)
    assert short == "The ferry left the harbour of Lentz at …" and len(short) <= 42
    assert shown_text("LENTZ — ") == "LENTZ — "  # nothing after the dateline: the words stay


def test_html_and_markdown_number_the_articles_alike():
    import re

    from storyline.pipeline import analyze
    from storyline.render import render_html

    from .conftest import EXAMPLES

    report = analyze([EXAMPLES])
    html = render_html(report)
    rows = re.findall(r"<tr><td>(\d+)</td><td><a href='#article-([^']+)'>", html)
    assert rows and len({aid for _, aid in rows}) == len(report.articles)
    listed = {a.id: n for n, a in enumerate(report.articles, 1)}  # the Markdown's numbers
    assert all(listed[aid.replace("&#x27;", "'")] == int(n) for n, aid in rows)
