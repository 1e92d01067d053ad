"""`storyline watch` against a real local feed server whose feed changes
between cycles: new entries, an entry that fails, a 304. Stopped with
SIGTERM, it leaves exactly the expected articles, and its status lines say
what each cycle did."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from storyline.store import Store
from storyline.watch import parse_duration

from .conftest import ROOT
from .test_fetch import PARAGRAPHS, Handler, page_html, rss


class FeedServer(Handler):
    """The fetch tests' page server, with a feed that changes between requests."""

    feed_requests = 0
    conditional: list[str | None] = []

    def do_GET(self):
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed.xml":
            cls = FeedServer
            cls.feed_requests += 1
            cls.conditional.append(self.headers.get("If-None-Match"))
            # first answer: version 1; second: unchanged (304 when asked conditionally); then version 2
            if cls.feed_requests == 2 and self.headers.get("If-None-Match") == '"v1"':
                self.send(304, b"", "application/rss+xml", {"ETag": '"v1"'})
            elif cls.feed_requests == 1:
                self.send(200, rss(base, ["/ferry.html", "/broken.html"]), "application/rss+xml", {"ETag": '"v1"'})
            else:
                self.send(200, rss(base, ["/ferry.html", "/broken.html", "/ferry2.html"]), "application/rss+xml",
                          {"ETag": '"v2"'})
        elif self.path == "/ferry.html":
            self.send(200, page_html("Ferry runs aground off Korvan", PARAGRAPHS["ferry"]), "text/html")
        elif self.path == "/ferry2.html":
            self.send(200, page_html("212 rescued from stranded ferry", PARAGRAPHS["ferry2"], site="Harbour Notes"),
                      "text/html")
        else:
            self.send(500, b"broken", "text/plain")


@pytest.fixture
def feed_server():
    FeedServer.feed_requests = 0
    FeedServer.conditional = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_watch_cycles_conditional_requests_failures_and_sigterm(feed_server, tmp_path):
    store = tmp_path / "watch.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline", "watch", f"{feed_server}/feed.xml", "--store", str(store),
         "--every", "1s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while len(lines) < 3 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        process.send_signal(signal.SIGTERM)
        out, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert lines[0] == "cycle 1: 1 new, 0 updated, 0 unchanged, 1 failed"
    assert lines[1] == "cycle 2: 0 new, 0 updated, 0 unchanged, 0 failed; feeds: 1 not modified"
    assert lines[2] == "cycle 3: 1 new, 0 updated, 0 unchanged, 1 failed"
    assert FeedServer.conditional[:2] == [None, '"v1"']  # the second request was conditional
    assert "SIGTERM" in errors and "broken.html" in errors
    with Store(store, readonly=True) as db:
        titles = sorted(a.title for a in db.articles())
    assert titles == ["212 rescued from stranded ferry", "Ferry runs aground off Korvan"]


def test_durations():
    assert parse_duration("15m") == 900 and parse_duration("30s") == 30 and parse_duration("2h") == 7200
    assert parse_duration("90") == 90
    for bad in ("", "soon", "-5m", "0"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_watch_refuses_a_bad_duration_and_local_paths(tmp_path):
    from .conftest import run_cli

    result = run_cli("watch", "http://127.0.0.1:9/feed.xml", "--every", "soon", "--store", tmp_path / "w.db")
    assert result.returncode == 2 and "not a duration" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("watch", "feeds.txt", "--store", tmp_path / "w.db")
    assert result.returncode == 2 and "http(s) URLs only" in result.stderr
