"""Timeline: dated events of a story, from dates in the text and article dates.

Explicit dates ("March 29, 2022", "29 March", "2022-03-29") are read from
each sentence; a weekday ("on Tuesday") becomes the latest such day on or
before the article's own date. Each entry points at its article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .model import Article, TimelineEntry
from .sentences import sentence_spans

MONTHS = {m: n for n, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], 1)}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*(\d{{4}}))?\b"),
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+(\d{{4}}))?\b"),
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
]
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dates_in(sentence: str, published: dt.date | None) -> list[dt.date]:
    """Dates a sentence names, completed with the article's year where needed."""
    found = []
    for match in _PATTERNS[0].finditer(sentence):
        year = int(match.group(3)) if match.group(3) else (published.year if published else None)
        if year:
            found.append(_date(year, MONTHS[match.group(1).lower()], int(match.group(2))))
    for match in _PATTERNS[1].finditer(sentence):
        year = int(match.group(3)) if match.group(3) else (published.year if published else None)
        if year:
            found.append(_date(year, MONTHS[match.group(2).lower()], int(match.group(1))))
    for match in _PATTERNS[2].finditer(sentence):
        found.append(_date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    if published:
        for match in _WEEKDAY.finditer(sentence):
            back = (published.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7
            found.append(published - dt.timedelta(days=back))
    return [d for d in found if d is not None]


def build_timeline(articles: Sequence[Article], limit: int = 40) -> list[TimelineEntry]:
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for article in articles:
        published = dt.date.fromisoformat(article.date) if article.date else None
        for span in sentence_spans(article.text, article.language):
            sentence = span.of(article.text)
            for day in sorted(set(dates_in(sentence, published))):
                key = (day.isoformat(), sentence[:60])
                entries.setdefault(key, TimelineEntry(date=day.isoformat(), text=sentence, article_id=article.id))
    return sorted(entries.values(), key=lambda e: (e.date, e.article_id, e.text))[:limit]
