"""The report as the contract's JSON, and its validation against the schema."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

from .model import (
    Article,
    BriefSentence,
    Citation,
    Claim,
    Conflict,
    ConflictValue,
    CopyOf,
    Entity,
    Evidence,
    Quote,
    Removal,
    Report,
    Story,
    TimelineEntry,
)

_ARTICLE_FIELDS = ("id", "source", "title", "outlet", "date", "language", "url", "text", "removed",
                   "copy_of", "story_id")


def article_to_dict(article: Article) -> dict[str, Any]:
    data = asdict(article)
    return {key: data[key] for key in _ARTICLE_FIELDS}


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": report.schema,
        "articles": [article_to_dict(a) for a in report.articles],
        "stories": [asdict(s) for s in report.stories],
        "warnings": list(report.warnings),
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    """The inverse of ``article_to_dict`` (for articles read back from a store)."""
    copy = data.get("copy_of")
    return Article(
        id=data["id"], source=data["source"], text=data["text"], title=data.get("title"),
        outlet=data.get("outlet"), date=data.get("date"), language=data.get("language"), url=data.get("url"),
        removed=[Removal(**r) for r in data.get("removed") or []],
        copy_of=CopyOf(**copy) if copy else None, story_id=data.get("story_id"),
    )


def story_from_dict(data: dict[str, Any]) -> Story:
    """The inverse of ``asdict(story)``."""
    def sentences(items: list[dict]) -> list[BriefSentence]:
        return [BriefSentence(s["text"], [Citation(**c) for c in s["citations"]]) for s in items]

    def conflict(c: dict | None) -> Conflict | None:
        return Conflict(c["kind"], [ConflictValue(**v) for v in c["values"]]) if c else None

    return Story(
        id=data["id"], title=data["title"], article_ids=list(data["article_ids"]),
        independent_sources=data["independent_sources"], first_date=data.get("first_date"),
        last_date=data.get("last_date"), summary=sentences(data.get("summary", [])),
        differences=sentences(data.get("differences", [])),
        entities=[Entity(**e) for e in data.get("entities", [])],
        quotes=[Quote(**q) for q in data.get("quotes", [])],
        claims=[Claim(**{**c, "evidence": [Evidence(**e) for e in c["evidence"]], "conflict": conflict(c["conflict"])})
                for c in data.get("claims", [])],
        timeline=[TimelineEntry(**t) for t in data.get("timeline", [])],
    )


def to_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of the report, shipped in ``storyline/schema``."""
    text = resources.files("storyline").joinpath("schema/report.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
