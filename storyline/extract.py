"""Main text and metadata of an HTML page, with trafilatura and htmldate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura
from lxml import etree

from .errors import SkippedInput
from .settings import DEFAULT_SETTINGS, Settings

_LANG = re.compile(r"^[a-z]{2,3}\b", re.I)


@dataclass
class Page:
    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    language: str | None = None
    url: str | None = None


def site_name(url: str | None) -> str | None:
    """The host of a URL without ``www.``: a readable outlet when the page names none."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = re.sub(r"^(www|m|amp|edition|mobile)\d*\.", "", host)
    return host or None


def _page_language(tree: etree._Element) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        for meta in tree.iterfind(".//meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language" or (
                meta.get("property") or ""
            ).lower() == "og:locale":
                lang = meta.get("content")
                break
    match = _LANG.match(lang or "")
    return match.group(0).lower() if match else None


def _bare_extraction(html: str, **options):
    """trafilatura's extraction; if its metadata or date search fails on odd
    markup (it can raise on a malformed tree), the body without metadata; if
    that fails too, ``SkippedInput``."""
    try:
        return trafilatura.bare_extraction(trafilatura.load_html(html), **options)
    except Exception:  # noqa: BLE001 - a library failure on one page must not end the run
        pass
    try:
        return trafilatura.bare_extraction(trafilatura.load_html(html), **{**options, "with_metadata": False})
    except Exception as exc:  # noqa: BLE001
        raise SkippedInput(f"the HTML could not be read ({type(exc).__name__})") from None


def extract_page(html: str, url: str | None = None, settings: Settings = DEFAULT_SETTINGS) -> Page:
    """Extract the article body and metadata; ``SkippedInput`` if there is none."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise SkippedInput("not parseable as HTML")
    language = _page_language(tree)
    options = dict(url=url, with_metadata=True, include_comments=settings.include_comments,
                   include_tables=settings.include_tables)
    result = _bare_extraction(html, favor_precision=settings.favor_precision, **options)
    text = result.text if result is not None else None
    # Favouring precision sometimes keeps only a notice and drops the article:
    # when little is left, a balanced extraction that finds far more wins.
    if settings.favor_precision and len(text or "") < settings.short_extraction_chars:
        balanced = _bare_extraction(html, **options)
        if balanced is not None and len(balanced.text or "") >= 3 * max(1, len(text or "")):
            result, text = balanced, balanced.text
    if not text or not text.strip():
        raise SkippedInput("no article text found in the HTML")
    page_url = (result.url or url) if result is not None else url
    outlet = result.sitename if result is not None and result.sitename else site_name(page_url)
    return Page(
        text=text,
        title=(result.title or None) if result is not None else None,
        date=(result.date or None) if result is not None else None,
        outlet=outlet,
        language=language,
        url=page_url,
    )
