"""Timeline: dated events of a story, from dates in the text and article dates.

Explicit dates ("March 29, 2022", "29 March", "2022-03-29") are read from
each sentence; a weekday ("on Tuesday") becomes the latest such day on or
before the article's own date. Each entry points at its article.

An article in another language has its dates read in that language: a day
and a month name ("12 de marzo de 2031", "12 mars 2031", "12. März 2031",
"12 марта", "2031年3月12日") or a full numeric date ("12.03.2031", day
first). Month names come from dateparser's data for the language. A date
with no year takes the article's year, as in English. A month and year with
no day ("mayo de 2009"), a bare number, a time or a weekday is no date.
(dateparser's own ``search_dates`` was measured and rejected: on sentences
with two dates or a time it returns wrong days, "12 de marzo de 2031 a las
19.40" -> 2031-03-19, and it is slower.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from .metadata import base_language
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


_NUMERIC_DMY = re.compile(r"(?<![\d.,/-])(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?![\d/-]|[.,]\d)")
_NUMERIC_YMD = re.compile(r"(?<![\d.,/-])(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?![\d/-]|[.,]\d)")
_YMD_LANGUAGES = frozenset({"ja", "zh", "ko", "hu", "lt", "mn"})
# Day ordinals and words joining day, month and year: 1er, 1º, 12., "de", "del", ...
_DAY = r"(?<![\w.,])(\d{1,2})(?:er|re|º|ª|°|\.)?"
_JOIN = r"(?:\s*,?\s+(?:de|del|di|dei|do|da)\s+|\s*,?\s*)"
_YEAR = r"(?:{join}(\d{{4}})(?!\d))?"


@lru_cache(maxsize=64)
def _month_names(language: str) -> dict[str, int]:
    """Month name (lowercase) -> month number in ``language`` (dateparser's
    data), without abbreviations that begin a longer name ('mar' of 'marzo')."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(language).info
    except (ValueError, KeyError, ImportError):
        return {}
    names: dict[str, int] = {}
    for number, month in enumerate(MONTHS, 1):
        forms = {f.lower().rstrip(".") for f in info.get(month, [])}
        for form in forms:
            if form and not any(other != form and other.startswith(form) for other in forms):
                names[form] = number
    return names


@lru_cache(maxsize=64)
def _local_patterns(language: str) -> tuple[re.Pattern, re.Pattern | None]:
    names = _month_names(language)
    spaced = sorted((n for n in names if n[:1].isalpha() and n.upper() != n.lower()), key=len, reverse=True)
    if not spaced:
        day_month = re.compile(r"(?!x)x")  # never matches
    else:
        month = "(" + "|".join(map(re.escape, spaced)) + r")(?!\w)"
        day_month = re.compile(_DAY + _JOIN + month + _YEAR.format(join=_JOIN), re.I)
    # Chinese, Japanese, Korean: [2031年]3月12日, [2031년] 3월 12일
    if language not in _YMD_LANGUAGES:
        return day_month, None
    return day_month, re.compile(r"(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")


def local_dates_in(sentence: str, language: str, published: dt.date | None) -> list[dt.date]:
    """Dates a sentence in ``language`` (not English) names: a day with a month
    name or a full numeric date; completed with the article's year where needed."""
    language = base_language(language) or ""
    names = _month_names(language)
    day_month, cjk = _local_patterns(language)
    found: list[dt.date | None] = []

    def year_of(written: str | None) -> int | None:
        return int(written) if written else (published.year if published else None)

    for match in day_month.finditer(sentence):
        year = year_of(match.group(3))
        if year:
            found.append(_date(year, names[match.group(2).lower()], int(match.group(1))))
    if cjk is not None:
        for match in cjk.finditer(sentence):
            year = year_of(match.group(1))
            if year:
                found.append(_date(year, int(match.group(2)), int(match.group(3))))
    if language in _YMD_LANGUAGES:
        found += [_date(int(y), int(m), int(d)) for y, m, d in _NUMERIC_YMD.findall(sentence)]
    else:
        found += [_date(int(y), int(m), int(d)) for d, m, y in _NUMERIC_DMY.findall(sentence)]
        found += [_date(int(y), int(m), int(d)) for y, m, d in _PATTERNS[2].findall(sentence)]  # ISO
    return [d for d in found if d is not None]


def build_timeline(articles: Sequence[Article], limit: int = 40) -> list[TimelineEntry]:
    """Dated sentences of the story's articles, earliest first; a copy whose
    original is in the story adds nothing (its sentences repeat the original's)."""
    entries: dict[tuple[str, str], TimelineEntry] = {}
    present = {a.id for a in articles}
    for article in articles:
        if article.copy_of is not None and article.copy_of.article_id in present:
            continue
        published = dt.date.fromisoformat(article.date) if article.date else None
        language = base_language(article.language) or "en"
        english = language == "en"
        for span in sentence_spans(article.text, article.language):
            sentence = span.of(article.text)
            days = dates_in(sentence, published) if english else local_dates_in(sentence, language, published)
            for day in sorted(set(days)):
                key = (day.isoformat(), sentence[:60])
                entries.setdefault(key, TimelineEntry(date=day.isoformat(), text=sentence, article_id=article.id))
    return sorted(entries.values(), key=lambda e: (e.date, e.article_id, e.text))[:limit]
