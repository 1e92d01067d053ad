"""`storyline serve`: a real uvicorn server over a real store, checked with
HTTP requests and in headless Chromium (Debian's ``chromium`` driven by
Playwright). ``make test`` installs chromium and sets
STORYLINE_REQUIRE_BROWSER=1, so there the browser tests cannot skip."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest

from storyline.report import validate
from storyline.store import Store, ingest

from .conftest import EXAMPLES, LiveServer, run_cli

HOSTILE = {
    "id": "hostile-1",
    "title": "Landslide <script>window.__xss=1</script> \" onmouseover=\"window.__xss=2",
    "outlet": "<img src=x onerror=\"window.__xss=3\">",
    "date": "2026-02-12",
    "text": "A landslide near Ostrava Alta closed the Kessler Pass railway, officials said. "
            "<script>window.__xss=4</script> Passengers were taken down the valley by bus. "
            "<a href=\"javascript:window.__xss=5\" onclick='window.__xss=6'>more</a>",
}


# An id with slashes, as a JSONL line may give it, about an event of its own.
SLASHED = {"id": "desk/2026/chess-final", "title": "Valdora chess final ends in a draw", "date": "2026-02-12",
           "text": "The Valdora chess final ended in a draw after six hours, and the title will be decided "
                   "in a rapid play-off on Sunday, the organisers said."}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n" + json.dumps(SLASHED) + "\n", encoding="utf-8")
    path = folder / "web.db"
    with Store(path) as db:
        ingest(db, [EXAMPLES, hostile])
    return path


@pytest.fixture(scope="module")
def server(store_path):
    live = LiveServer(store_path)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def story_id(store_path) -> str:
    with Store(store_path, readonly=True) as db:
        return db.stories(order="sources")[0].id


def get(server, path: str) -> httpx.Response:
    return httpx.get(server.url + path, timeout=30)


def test_story_list_search_and_order(server, story_id):
    page = get(server, "/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert f"/stories/{story_id}" in page.text
    assert f"/stories/{story_id}" in get(server, "/?sort=sources").text
    assert f"/stories/{story_id}" in get(server, "/?q=landslide+passengers").text
    assert "No stories match" in get(server, "/?q=zeppelin").text
    assert get(server, "/?sort=sideways").status_code == 422


def test_story_and_article_pages(server, story_id, store_path):
    page = get(server, f"/stories/{story_id}")
    assert page.status_code == 200
    assert "class=\"cite\"" in page.text and "independent sources" in page.text
    with Store(store_path, readonly=True) as db:
        article = db.article(db.story(story_id).article_ids[0])
    art = get(server, f"/articles/{article.id}")
    assert art.status_code == 200 and "Removed by cleaning" in art.text
    assert f"/stories/{story_id}" in art.text


def test_unknown_ids_and_path_traversal_are_404(server):
    for path in ["/stories/s-000000000000", "/articles/nope", "/stories/..%2F..%2Fetc%2Fpasswd",
                 "/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/stories/../../etc/passwd", "/api/stories/%2e%2e",
                 "/static/../../etc/passwd", "/..%2f..%2fetc/passwd"]:
        response = get(server, path)
        assert response.status_code == 404, path
        assert "root:" not in response.text
    missing = get(server, "/stories/s-000000000000")
    assert "There is no story with id" in missing.text
    assert get(server, "/api/stories/s-000000000000").json() == {"detail": "no story with id 's-000000000000'"}


def test_item_8_slashed_ids_head_docs_and_hostile_query_values(server):
    page = get(server, "/articles/desk%2F2026%2Fchess-final")
    assert page.status_code == 200 and "chess final" in page.text
    assert get(server, "/api/articles/desk/2026/chess-final").json()["id"] == "desk/2026/chess-final"
    head = httpx.head(server.url + "/", timeout=10)
    assert head.status_code == 200 and head.content == b"" and "content-security-policy" in head.headers
    assert httpx.head(server.url + "/api/stories", timeout=10).status_code == 200
    huge = get(server, "/api/stories?offset=9223372036854775808")
    assert huge.status_code == 422 and "content-security-policy" in huge.headers
    assert get(server, "/api/docs").status_code == 404  # no Swagger UI from a CDN the CSP forbids
    assert get(server, "/api/openapi.json").status_code == 200


def test_a_server_error_is_a_short_500_with_the_security_headers(store_path, tmp_path):
    """A story whose stored report is damaged: the page and the API answer 500
    with the same security headers as every other answer, and no traceback."""
    import sqlite3

    damaged = tmp_path / "damaged.db"
    shutil.copy(store_path, damaged)
    with sqlite3.connect(damaged) as db:
        [story_id] = db.execute("SELECT id FROM stories LIMIT 1").fetchone()
        db.execute("UPDATE stories SET data = '{not json' WHERE id = ?", (story_id,))
    live = LiveServer(damaged)
    try:
        for path in (f"/stories/{story_id}", f"/api/stories/{story_id}"):
            answer = get(live, path)
            assert answer.status_code == 500
            assert "content-security-policy" in answer.headers and answer.headers["x-content-type-options"] == "nosniff"
            assert "Traceback" not in answer.text and len(answer.text) < 200
        assert get(live, "/").status_code == 200  # the rest still works
    finally:
        live.stop()


def test_read_only(server, store_path):
    before = store_path.stat().st_mtime_ns
    assert httpx.post(server.url + "/", timeout=10).status_code == 405
    assert httpx.delete(server.url + "/api/stories/x", timeout=10).status_code == 405
    get(server, "/")
    assert store_path.stat().st_mtime_ns == before


def test_api_returns_the_contract_report(server, story_id):
    data = get(server, f"/api/stories/{story_id}").json()
    validate(data)
    assert [s["id"] for s in data["stories"]] == [story_id]
    assert {a["id"] for a in data["articles"]} == set(data["stories"][0]["article_ids"])
    listed = get(server, "/api/stories?sort=sources&limit=1").json()
    assert listed[0]["id"] == story_id


def test_article_text_is_escaped(server, store_path):
    with Store(store_path, readonly=True) as db:
        hostile = db.article("hostile-1")
        story = hostile.story_id
    for path in ["/articles/hostile-1", f"/stories/{story}", "/", "/?q=landslide"]:
        text = get(server, path).text
        assert "<script>window" not in text and "<img src=x" not in text
        assert "onmouseover=\"window" not in text and "<a href=\"javascript" not in text
    assert "&lt;script&gt;window.__xss=4&lt;/script&gt;" in get(server, "/articles/hostile-1").text
    assert "script-src 'self'" in get(server, "/").headers["content-security-policy"]


# -- in the browser ---------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("STORYLINE_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (make test installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


HIGHLIGHT = "rgb(255, 224, 102)"


def test_browser_open_list_then_story_then_click_a_citation(server, story_id, page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/?sort=sources")
    page.click(f"a[href='/stories/{story_id}']")
    page.wait_for_url(f"**/stories/{story_id}")
    citation = page.locator("ul.brief a.cite").first
    cited_words = citation.get_attribute("title")
    assert cited_words
    target_id = citation.get_attribute("href")[1:]
    mark = page.locator(f"mark:has([id='{target_id}']), mark[id='{target_id}']").first
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != HIGHLIGHT
    citation.click()
    assert page.evaluate("location.hash") == "#" + target_id
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == HIGHLIGHT
    assert mark.inner_text().strip() == cited_words.strip()
    assert mark.is_visible() and not errors


def test_browser_hover_highlights_the_source_sentence(server, story_id, page):
    page.goto(f"{server.url}/stories/{story_id}")
    citation = page.locator("ul.brief a.cite").first
    target_id = citation.get_attribute("href")[1:]
    mark = page.locator(f"mark:has([id='{target_id}']), mark[id='{target_id}']").first
    citation.hover()
    assert mark.evaluate("m => m.classList.contains('hover')")
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == HIGHLIGHT
    page.mouse.move(0, 0)
    assert not mark.evaluate("m => m.classList.contains('hover')")


def test_browser_coverage_strip_and_copy_graph(server, story_id, store_path, page):
    """The story page draws the coverage strip (a mark per article, copies as
    hollow squares) and the copy graph (an arrow per copy) as inline SVG, with a
    text title on every mark, and the CSP lets nothing else load."""
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    with Store(store_path, readonly=True) as db:
        members = db.articles(db.story(story_id).article_ids)
    copies = [a for a in members if a.copy_of]
    assert copies  # the example story has a rewrite
    page.goto(f"{server.url}/stories/{story_id}")
    strip = page.locator("svg.coverage").first
    box = strip.bounding_box()
    assert strip.is_visible() and box["width"] > 100 and box["height"] > 50
    assert strip.locator("g.mark").count() == len(members)
    assert strip.locator("g.mark rect").count() == len(copies)  # copies drawn as squares, not by colour alone
    titles = strip.locator("g.mark title").all_text_contents()
    assert all(t.startswith("[") for t in titles) and any("rewrite of another article" in t for t in titles)
    graph = page.locator("svg.copies").first
    assert graph.is_visible() and graph.locator("g.edge").count() == len(copies)
    assert "rewrite" in graph.locator("g.edge").first.inner_html()
    assert not [m for m in console if "Content Security Policy" in m]


def test_browser_runs_no_article_script(server, store_path, page):
    with Store(store_path, readonly=True) as db:
        story = db.article("hostile-1").story_id
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ["/articles/hostile-1", f"/stories/{story}"]:
        page.goto(server.url + path)
        page.hover("body")
        assert page.evaluate("window.__xss") is None
        assert page.locator("text=<script>window.__xss=4</script>").count() >= 1  # shown as text
    assert not dialogs


def test_serve_without_a_store_is_a_one_line_error(tmp_path):
    result = run_cli("serve", "--store", tmp_path / "missing.db", "--port", "9")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    missing = tmp_path / "missing.db"
    assert result.stderr.strip() == f"storyline: error: no store at {missing} (run `storyline ingest` first)"


def test_api_schema_has_one_operation_per_route_and_no_duplicate_ids(store_path):
    import warnings

    from storyline.web import create_app

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        schema = create_app(store_path).openapi()
    assert not [w for w in caught if "Duplicate Operation ID" in str(w.message)]
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) and all(set(item) == {"get"} for item in schema["paths"].values())
