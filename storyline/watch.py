"""``storyline watch``: ingest feeds (or pages) into a store, cycle after cycle.

Each cycle asks every due feed whether it changed (``If-None-Match`` /
``If-Modified-Since`` from its last answer; a 304 costs nothing), fetches the
entries it has not stored yet, one request at a time per host
(``watch_host_interval`` apart), and adds them to the store in one batch
(``store.add_articles``, which takes turns with other writers). A feed that
fails waits twice as long each time (up to ``watch_max_backoff``) before it is
asked again; an entry that fails is retried next cycle. One status line per
cycle says what happened. ``stop`` (set by SIGINT/SIGTERM in the CLI) ends
the loop between batches: what was fetched is stored first.

Run ``storyline watch`` and ``storyline serve`` on one store to run
storyline as a service: the web app reads while watch writes.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import SkippedInput
from .fetch import Response, feed_entries, fetch, http_client, page_document
from .model import Document
from .pipeline import prepare_article
from .settings import DEFAULT_SETTINGS, Settings
from .store import Store, add_articles

Say = Callable[[str], None]
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in "90", "30s", "15m", "2h" or "1d"; ``ValueError`` otherwise."""
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not a duration: {text!r} (try 30s, 15m, 1h)")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2).lower()]


@dataclass
class FeedState:
    """What watch remembers about one URL between cycles."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    stored: set[str] = field(default_factory=set)  # entry links already in the store
    failures: int = 0  # failed polls in a row
    due: float = 0.0  # monotonic time of the next poll

    def conditional(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class Cycle:
    number: int
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    not_modified: int = 0
    waiting: int = 0  # feeds backing off after failures

    def line(self) -> str:
        extra = []
        if self.not_modified:
            extra.append(f"{self.not_modified} not modified")
        if self.waiting:
            extra.append(f"{self.waiting} backing off")
        feeds = f"; feeds: {', '.join(extra)}" if extra else ""
        return (f"cycle {self.number}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.failed} failed{feeds}")


class Pacer:
    """At most one request per ``interval`` seconds to each host."""

    def __init__(self, interval: float, stop: threading.Event):
        self.interval = interval
        self.stop = stop
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        ready = self.last.get(host, -1e9) + self.interval
        delay = ready - time.monotonic()
        if delay > 0:
            self.stop.wait(delay)
        self.last[host] = time.monotonic()


def _poll(state: FeedState, client, settings: Settings, pacer: Pacer, cycle: Cycle, warn: Say,
          stop: threading.Event) -> list[tuple[str, Document]]:
    """New documents of one feed (or page) as ``(entry link, document)``."""
    pacer.wait(state.url)
    response: Response = fetch(state.url, settings, client, state.conditional())
    if response.status == 304:
        cycle.not_modified += 1
        return []
    state.etag, state.last_modified = response.etag, response.last_modified
    entries = feed_entries(response, state.url, settings, warn)
    if entries is None:  # a page, not a feed: the store tells new from unchanged
        return [(state.url, page_document(response, state.url))]
    found = []
    for link, hints in entries:
        if link in state.stored or stop.is_set():
            continue
        try:
            pacer.wait(link)
            found.append((link, page_document(fetch(link, settings, client), link, hints)))
        except SkippedInput as exc:
            cycle.failed += 1
            warn(f"skipped {link}: {exc}")
    return found


def watch(store_path: str | Path, urls: Sequence[str], every: float, settings: Settings = DEFAULT_SETTINGS,
          status: Say = print, warn: Say = lambda _: None, stop: threading.Event | None = None,
          cycles: int | None = None) -> int:
    """Poll ``urls`` every ``every`` seconds into the store until ``stop`` is set
    (or ``cycles`` cycles have run). Returns the number of cycles run."""
    stop = stop or threading.Event()
    states = [FeedState(url) for url in dict.fromkeys(urls)]
    pacer = Pacer(settings.watch_host_interval, stop)
    number = 0
    with http_client(settings) as client:
        while not stop.is_set() and (cycles is None or number < cycles):
            number += 1
            started = time.monotonic()
            cycle = Cycle(number)
            fetched: list[tuple[FeedState, str, Document]] = []
            for state in states:
                if stop.is_set():
                    break
                if state.due > started:
                    cycle.waiting += 1
                    continue
                try:
                    fetched += [(state, link, doc) for link, doc in _poll(state, client, settings, pacer, cycle,
                                                                          warn, stop)]
                    state.failures, state.due = 0, 0.0
                except SkippedInput as exc:
                    state.failures += 1
                    backoff = min(every * 2 ** state.failures, settings.watch_max_backoff)
                    state.due = time.monotonic() + backoff
                    cycle.failed += 1
                    warn(f"{state.url}: {exc}; next try in {backoff:.0f} s")
            articles = []
            for state, link, doc in fetched:
                try:
                    articles.append(prepare_article(doc, settings))
                except SkippedInput as exc:
                    cycle.failed += 1
                    warn(f"skipped {link}: {exc}")
                state.stored.add(link)  # stored, or not an article: either way not fetched again
            if articles:
                with Store(store_path) as store:
                    result = add_articles(store, articles, settings)
                cycle.new, cycle.updated = len(result.added), len(result.updated)
                cycle.unchanged = len(result.unchanged)
            status(cycle.line())
            if cycles is not None and number >= cycles:
                break
            stop.wait(max(0.0, every - (time.monotonic() - started)))
    return number
