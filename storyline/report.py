"""The report as the contract's JSON, and its validation against the schema."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

from .model import Article, Report

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
