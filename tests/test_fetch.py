"""URL and RSS/Atom input against a real local HTTP server serving pages and
feeds written for these tests (fictional outlets and events)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline.errors import SkippedInput
from storyline.fetch import USER_AGENT, canonical_url, fetch, read_url, url_id
from storyline.settings import DEFAULT_SETTINGS

from .conftest import run_cli

PARAGRAPHS = {
    "ferry": [
        "A passenger ferry ran aground off the island of Korvan on Sunday evening, and all 212 people on board "
        "were brought ashore by lifeboats, the Korvan coastguard said.",
        "The ferry Sela Star was sailing from Port Amrel when it struck a sandbank in fog about two kilometres "
        "from the harbour, coastguard spokeswoman Ines Dalor told reporters.",
        "\u201cEveryone is safe, and the ship is stable,\u201d Dalor said. \u201cWe will try to refloat it at high "
        "tide on Monday.\u201d",
        "The ferry operator, Amrel Lines, said it had cancelled Monday's crossings and would offer refunds.",
    ],
    "ferry2": [
        "Fishermen on Korvan said the fog had rolled in shortly after lunch on Sunday and was the thickest they "
        "could remember this spring.",
        "By evening the Sela Star, with 212 people aboard, was stuck on a sandbank outside the harbour, and "
        "volunteer lifeboat crews spent three hours ferrying them to the quay.",
        "One passenger, a teacher travelling with her class, said the children had sung songs to pass the time.",
        "Tugs are expected to try to free the ship on Monday, when the tide is highest.",
    ],
}


def page_html(title: str, paragraphs: list[str], canonical: str | None = None, site: str = "Korvan Gazette") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{link}"
            f"<meta property='og:site_name' content='{site}'></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>© {site}</footer></body></html>").encode()


def rss(base: str, links: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {n}</title><link>{base}{link}</link>"
                    f"<pubDate>Sun, 08 Mar 2026 18:00:00 GMT</pubDate></item>" for n, link in enumerate(links))
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Korvan Gazette</title>"
            f"<link>{base}/</link><description>news</description>{items}</channel></rss>").encode()


def atom(base: str, links: list[str]) -> bytes:
    entries = "".join(f"<entry><title>Entry {n}</title><link href='{base}{link}'/><id>tag:{n}</id>"
                      f"<updated>2026-03-09T08:00:00Z</updated></entry>" for n, link in enumerate(links))
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Harbour Notes</title><id>tag:feed</id><updated>2026-03-09T08:00:00Z</updated>{entries}</feed>"
            ).encode()


class Handler(BaseHTTPRequestHandler):
    agents: list[str] = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:  # the client gave up first (the timeout test)
            pass

    def do_GET(self):
        Handler.agents.append(self.headers.get("User-Agent", ""))
        base = f"http://{self.headers['Host']}"
        path = self.path.split("?")[0]
        if path == "/ferry.html":
            self.send(200, page_html("Ferry runs aground off Korvan", PARAGRAPHS["ferry"],
                                     canonical=f"{base}/news/ferry"), "text/html; charset=utf-8")
        elif path == "/ferry2.html":
            self.send(200, page_html("212 rescued from stranded ferry", PARAGRAPHS["ferry2"], site="Harbour Notes"),
                      "text/html")
        elif path == "/moved":
            self.send(301, b"", "text/plain", {"Location": "/ferry2.html"})
        elif path == "/report.pdf":
            self.send(200, b"%PDF-1.4 not a page", "application/pdf")
        elif path == "/huge.html":
            self.send(200, b"<html>" + b"x" * 300_000 + b"</html>", "text/html")
        elif path == "/slow.html":
            time.sleep(2)
            self.send(200, page_html("Slow", PARAGRAPHS["ferry"]), "text/html")
        elif path == "/trickle.html":  # one byte at a time, each well within the read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/feed.xml":
            self.send(200, rss(base, ["/ferry.html", "/gone.html", "/report.pdf", "/moved"]), "application/rss+xml")
        elif path == "/local-feed.xml":  # one entry on this host, one on another name for a loopback address
            port = self.headers["Host"].rsplit(":", 1)[1]
            self.send(200, rss("", [f"{base}/ferry.html", f"http://localhost:{port}/ferry2.html"]),
                      "application/rss+xml")
        elif path == "/atom":
            self.send(200, atom(base, ["/ferry.html", "/ferry2.html"]), "application/atom+xml")
        elif path == "/broken-feed.xml":
            self.send(200, b"<?xml version='1.0'?><rss><channel><item><title>no link", "application/rss+xml")
        else:
            self.send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_article_page_with_canonical_url(server):
    docs = read_url(f"{server}/ferry.html?utm_source=feed")
    assert len(docs) == 1
    doc = docs[0]
    assert doc.url == f"{server}/news/ferry" and doc.id == url_id(doc.url)
    assert doc.html and "sandbank" in doc.html
    assert Handler.agents[-1] == USER_AGENT


def test_redirect_is_followed(server):
    (doc,) = read_url(f"{server}/moved")
    assert doc.url == f"{server}/ferry2.html"


def test_item_5_a_page_cannot_claim_another_sites_url_or_a_script_url():
    other = '<link rel="canonical" href="https://victim.example/news/story-1">'
    assert canonical_url("https://attacker.example/copy", other) == "https://attacker.example/copy"
    script = '<link rel="canonical" href="javascript:alert(1)">'
    assert canonical_url("https://n.example/a", script) == "https://n.example/a"
    # the same site under another host name is fine
    amp = '<link rel="canonical" href="https://www.n.example/a">'
    assert canonical_url("https://amp.www.n.example/a", amp) == "https://www.n.example/a"
    assert canonical_url("https://n.example/a", '<link rel="canonical" href="https://www.n.example/a">') \
        == "https://www.n.example/a"
    assert canonical_url("https://bad-n.example/a", '<link rel="canonical" href="https://n.example/a">') \
        == "https://bad-n.example/a"


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTP://News.Example/a?id=3&utm_medium=x#top") == "http://news.example/a?id=3"
    assert canonical_url("https://n.example/a?fbclid=1", '<link href="/b" rel="canonical">') == "https://n.example/b"


@pytest.mark.parametrize("path, reason", [
    ("/gone.html", "HTTP 404"),
    ("/report.pdf", r"not an HTML page \(application/pdf\)"),
    ("/huge.html", "larger than"),
    ("/slow.html", "timed out"),
    ("/trickle.html", "took longer than 1 s"),
])
def test_unusable_urls_raise_a_short_reason(server, path, reason):
    settings = replace(DEFAULT_SETTINGS, fetch_max_bytes=200_000, fetch_timeout=0.5, fetch_total_seconds=1)
    with pytest.raises(SkippedInput, match=reason):
        read_url(server + path, settings)


def test_dead_host_is_a_skipped_input():
    with pytest.raises(SkippedInput, match="cannot fetch"):
        fetch("http://127.0.0.1:9/nothing", replace(DEFAULT_SETTINGS, fetch_timeout=2))


def test_rss_feed_keeps_good_entries_and_reports_bad_ones(server):
    warnings: list[str] = []
    docs = read_url(f"{server}/feed.xml", warn=warnings.append)
    assert sorted(d.url for d in docs) == [f"{server}/ferry2.html", f"{server}/news/ferry"]
    assert all(d.date == "2026-03-08" for d in docs)
    assert len(warnings) == 2
    assert any("gone.html" in w and "404" in w for w in warnings)
    assert any("report.pdf" in w and "not an HTML page" in w for w in warnings)


def test_feed_entries_on_another_hosts_private_address_are_refused(server):
    """A feed may point to its own host, but not to a private or local address
    elsewhere (here "localhost" beside the feed's 127.0.0.1), unless allowed."""
    warnings: list[str] = []
    docs = read_url(f"{server}/local-feed.xml", warn=warnings.append)
    assert [d.url.rsplit("/", 1)[1] for d in docs] == ["ferry"]  # its canonical URL
    assert len(warnings) == 1 and "localhost" in warnings[0] and "private or local address" in warnings[0]
    allowed = read_url(f"{server}/local-feed.xml", replace(DEFAULT_SETTINGS, fetch_private_entries=True))
    assert len(allowed) == 2


def test_atom_feed(server):
    docs = read_url(f"{server}/atom")
    assert len(docs) == 2 and {d.date for d in docs} == {"2026-03-09"}


def test_cli_ingest_feed_into_store(server, tmp_path):
    store = tmp_path / "feed.db"
    result = run_cli("ingest", f"{server}/feed.xml", "--store", store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 added")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("storyline: warning")]
    assert len(warnings) == 2 and "Traceback" not in result.stderr
    again = run_cli("ingest", f"{server}/feed.xml", "--store", store)
    assert again.stdout.startswith("0 added, 0 updated, 2 unchanged")
    listed = json.loads(run_cli("stories", "--store", store, "--format", "json").stdout)
    # two outlets (og:site_name), neither copying the other
    assert len(listed) == 1 and listed[0]["articles"] == 2 and listed[0]["independent_sources"] == 2


def test_cli_analyze_mixes_files_and_urls_and_survives_bad_ones(server, tmp_path):
    local = tmp_path / "local.txt"
    local.write_text(" date 2026-03-08 " + " ".join(PARAGRAPHS["ferry2"]), encoding="utf-8")
    result = run_cli("analyze", local, f"{server}/ferry.html", f"{server}/gone.html", f"{server}/broken-feed.xml")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["articles"]) == 2 and len(report["stories"]) == 1
    assert sum("gone.html" in w for w in report["warnings"]) == 1
    assert sum("broken-feed.xml" in w for w in report["warnings"]) == 1
    only_dead = run_cli("analyze", f"{server}/gone.html")
    assert only_dead.returncode != 0 and "no usable articles" in only_dead.stderr


class OtherSiteHandler(BaseHTTPRequestHandler):
    """A second host whose page names another site's stored article as its
    canonical URL, and a page whose canonical link is a script."""

    target = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        canonical = "javascript:alert(1)" if self.path.startswith("/script") else self.target
        body = page_html("Ferry claims were false, says rival", [
            "A rival paper says the ferry never ran aground and that the coastguard invented the rescue.",
            "Its editor, who was not on Korvan, said he had spoken to nobody on the island about it.",
        ], canonical=canonical, site="Rival Sheet")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_item_5_a_page_on_another_host_cannot_overwrite_a_stored_article(server, tmp_path):
    """Two real servers on two loopback addresses (two hosts): the second one's page
    names the first one's stored article as its canonical URL. It is stored as an
    article of its own; the first article keeps its text. A javascript: canonical
    link is not taken as the article's URL."""
    try:
        other = ThreadingHTTPServer(("127.0.0.2", 0), OtherSiteHandler)
    except OSError:
        pytest.skip("no second loopback address on this machine")
    OtherSiteHandler.target = f"{server}/news/ferry"
    threading.Thread(target=other.serve_forever, daemon=True).start()
    other_base = f"http://127.0.0.2:{other.server_address[1]}"
    store = tmp_path / "s.db"
    try:
        first = run_cli("ingest", f"{server}/ferry.html", "--store", store)
        assert first.returncode == 0 and first.stdout.startswith("1 added"), first.stderr
        second = run_cli("ingest", f"{other_base}/copy.html", f"{other_base}/script.html", "--store", store)
        assert second.returncode == 0 and second.stdout.startswith("2 added, 0 updated"), second.stdout
    finally:
        other.shutdown()
    from storyline.store import Store

    with Store(store, readonly=True) as opened:
        articles = {a.url: a for a in opened.articles()}
    assert "sandbank" in articles[f"{server}/news/ferry"].text  # not overwritten by the rival page
    assert set(articles) == {f"{server}/news/ferry", f"{other_base}/copy.html", f"{other_base}/script.html"}


def test_item_4_a_url_that_trickles_bytes_is_given_up_at_the_whole_request_deadline(server, tmp_path):
    """A real server that sends a byte every 0.2 s (each read well within the read
    timeout) no longer hangs the run: the whole request has a deadline, the URL
    becomes a warning, and the local article given with it is analysed."""
    from storyline.pipeline import analyze

    local = tmp_path / "local.txt"
    local.write_text(" ".join(PARAGRAPHS["ferry2"]), encoding="utf-8")
    settings = replace(DEFAULT_SETTINGS, fetch_timeout=5, fetch_total_seconds=1.5)
    start = time.monotonic()
    report = analyze([local, f"{server}/trickle.html"], settings)
    assert time.monotonic() - start < 30
    assert [a.id for a in report.articles] == ["local"]
    assert any("trickle.html" in w and "took longer than 1.5 s" in w for w in report.warnings)
