"""Reading ``http(s)://`` inputs: an article page, or an RSS/Atom feed whose
entries are fetched one by one.

Every request has a timeout, a size limit and a user-agent that names the
tool; redirects are followed (up to a limit). A dead link, an error status, a
page that is not HTML and a page over the size limit are reported through
``warn`` and skipped; the other entries of a feed are kept. Feeds are parsed
with feedparser, so RSS 0.9x/1.0/2.0 and Atom all work.

A feed's entries may point to a private, loopback or link-local address
only on the feed's own host (``fetch_private_entries`` allows any): a public
feed must not make storyline fetch from the reader's own network.

An article's id is a stable hash of its canonical URL (the page's
``<link rel="canonical">`` when present, else the URL it was served from,
without its fragment and tracking parameters).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import httpx

from . import __version__
from .decoding import decode_bytes
from .errors import SkippedInput
from .model import Document
from .settings import DEFAULT_SETTINGS, Settings

Warn = Callable[[str], None]

USER_AGENT = f"storyline/{__version__} (news reader; +https://pypi.org/project/storyline/)"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
               "text/xml", "application/feed+json")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)
_CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)


@dataclass
class Response:
    url: str  # after redirects
    content_type: str
    body: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


def fetch(url: str, settings: Settings = DEFAULT_SETTINGS, client: httpx.Client | None = None,
          headers: dict[str, str] | None = None) -> Response:
    """GET ``url``; raises ``SkippedInput`` with a short reason when it cannot be used.
    ``headers`` may make the request conditional (``If-None-Match``,
    ``If-Modified-Since``); a 304 answer is returned with an empty body."""
    own = client is None
    client = client or http_client(settings)
    deadline = time.monotonic() + settings.fetch_total_seconds
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Response(str(response.url), "", b"", 304, response.headers.get("etag"),
                                response.headers.get("last-modified"))
            if response.status_code >= 400:
                raise SkippedInput(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.fetch_max_bytes:
                raise SkippedInput(f"larger than {settings.fetch_max_bytes // (1024 * 1024)} MB")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:  # a server that trickles bytes never times a read out
                    raise SkippedInput(f"took longer than {settings.fetch_total_seconds:g} s")
                size += len(chunk)
                if size > settings.fetch_max_bytes:
                    raise SkippedInput(f"larger than {settings.fetch_max_bytes // (1024 * 1024)} MB")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Response(str(response.url), content_type, b"".join(chunks), response.status_code,
                            response.headers.get("etag"), response.headers.get("last-modified"))
    except httpx.TimeoutException:
        raise SkippedInput(f"timed out after {settings.fetch_timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise SkippedInput("too many redirects") from None
    except httpx.HTTPError as exc:
        raise SkippedInput(f"cannot fetch ({type(exc).__name__}: {exc})") from None
    finally:
        if own:
            client.close()


def http_client(settings: Settings = DEFAULT_SETTINGS) -> httpx.Client:
    """An HTTP client with storyline's user-agent, timeouts and redirect limit."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
        timeout=settings.fetch_timeout, follow_redirects=True, max_redirects=settings.fetch_max_redirects)


def canonical_url(url: str, html: str | None = None) -> str:
    """The page's declared canonical URL if any, else ``url``; without fragment
    and tracking parameters. A page may only name a canonical http(s) URL on its
    own site (the same host, or one a subdomain of the other): another site's
    page must not take over, and overwrite, an article stored from elsewhere."""
    if html:
        tag = _CANONICAL.search(html[:200_000])
        href = _HREF.search(tag.group(0)) if tag else None
        if href and href.group(1).strip():
            declared = urljoin(url, href.group(1).strip())
            if _same_site(url, declared):
                url = declared
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _same_site(served: str, declared: str) -> bool:
    a, b = urlsplit(served), urlsplit(declared)
    if b.scheme.lower() not in ("http", "https") or not b.hostname or not a.hostname:
        return False
    x, y = a.hostname.lower(), b.hostname.lower()
    return x == y or x.endswith("." + y) or y.endswith("." + x)


def url_id(url: str) -> str:
    """A stable article id from a canonical URL: the host and a hash."""
    host = re.sub(r"[^a-z0-9]+", "-", urlsplit(url).netloc.lower()).strip("-") or "url"
    return f"{host}_{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"


def _is_feed(response: Response) -> bool:
    if response.content_type in _FEED_TYPES:
        return True
    head = response.body[:1000].lstrip().lower()
    return response.content_type in ("", "application/octet-stream", "text/plain") and (
        head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"))


def _is_html(response: Response) -> bool:
    if response.content_type in _HTML_TYPES:
        return True
    head = response.body[:1000].lstrip().lower()
    return response.content_type in ("", "application/octet-stream") and (
        head.startswith(b"<!doctype html") or head.startswith(b"<html"))


def page_document(response: Response, source: str, hints: dict | None = None) -> Document:
    """A ``Document`` of an HTML response; raises ``SkippedInput`` for anything else.
    ``hints`` (from a feed entry) may give the ``date``; the page's own title wins."""
    if not _is_html(response):
        raise SkippedInput(f"not an HTML page ({response.content_type or 'no content type'})")
    html = decode_bytes(response.body, html=True)
    url = canonical_url(response.url, html)
    hints = hints or {}
    return Document(id=url_id(url), source=source, html=html, url=url, date=hints.get("date"))


def _entry_date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}" if parsed else None


def feed_entries(response: Response, url: str, settings: Settings = DEFAULT_SETTINGS,
                 warn: Warn = lambda _: None) -> list[tuple[str, dict]] | None:
    """The entries of a feed response as ``(absolute link, hints)``, at most
    ``feed_max_entries``; ``None`` if the response is not a feed."""
    if not _is_feed(response):
        return None
    feed = feedparser.parse(response.body, response_headers={"content-location": response.url})
    entries = [e for e in feed.entries if e.get("link")]
    if not entries:
        raise SkippedInput("a feed without entry links" if not feed.bozo else "not a readable feed")
    if len(entries) > settings.feed_max_entries:
        warn(f"{url}: only the first {settings.feed_max_entries} of {len(entries)} feed entries are read")
    found = []
    for entry in entries[: settings.feed_max_entries]:
        link = urljoin(response.url, entry["link"])
        if not settings.fetch_private_entries and _host(link) != _host(response.url) and _private(link):
            warn(f"skipped {link}: a feed entry on a private or local address (only the feed's own host may be)")
            continue
        found.append((link, {"date": _entry_date(entry)}))
    return found


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _private(url: str) -> bool:
    """Whether ``url``'s host is, or resolves to, a private, loopback,
    link-local or otherwise non-public address."""
    host = _host(url)
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False  # it will not be fetched anyway
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            return True
    return False


def read_url(url: str, settings: Settings = DEFAULT_SETTINGS, warn: Warn = lambda _: None) -> list[Document]:
    """Documents from one URL: the page itself, or every fetchable entry of a feed."""
    with http_client(settings) as client:
        response = fetch(url, settings, client)
        entries = feed_entries(response, url, settings, warn)
        if entries is None:
            return [page_document(response, url)]
        documents = []
        for link, hints in entries:
            try:
                page = fetch(link, settings, client)
                documents.append(page_document(page, link, hints))
            except SkippedInput as exc:
                warn(f"skipped {link}: {exc}")
        return documents
