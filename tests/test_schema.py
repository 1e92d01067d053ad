"""The report schema itself: valid, strict where the contract is, open to extensions."""

from __future__ import annotations

import copy

import jsonschema
import pytest

import storyline
from storyline.report import schema

STORY = {
    "id": "s-1", "title": "t", "article_ids": ["a"], "independent_sources": 1,
    "first_date": "2025-01-02", "last_date": None,
    "summary": [{"text": "x", "citations": [{"article_id": "a", "start": 0, "end": 1}]}],
    "differences": [],
    "entities": [{"id": "e-1", "name": "N", "type": "PERSON", "aliases": [], "article_ids": ["a"], "mentions": 1}],
    "quotes": [{"id": "q-1", "text": "x", "speaker": None, "speaker_name": None, "article_id": "a",
                "start": 0, "end": 1, "group": None}],
    "claims": [{"id": "c-1", "text": "x", "status": "conflicting", "independent_sources": 2,
                "evidence": [{"article_id": "a", "start": 0, "end": 1, "text": "x"}],
                "conflict": {"kind": "number", "values": [{"value": "3", "article_ids": ["a"]}]}}],
    "timeline": [{"date": "2025-01-02", "text": "x", "article_id": "a"}],
}
ARTICLE = {"id": "a", "source": "a.txt", "title": None, "outlet": None, "date": None, "language": "en",
           "text": "x", "removed": [{"text": "y", "reason": "video-caption"}],
           "copy_of": {"article_id": "b", "kind": "rewrite", "similarity": 0.9}, "story_id": "s-1"}
REPORT = {"schema": "storyline.report/1", "articles": [ARTICLE], "stories": [STORY]}


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_full_report_validates_and_extensions_are_allowed():
    data = copy.deepcopy(REPORT)
    data["articles"][0]["extra_field"] = 1
    storyline.validate(data)


@pytest.mark.parametrize("path, value", [
    (("schema",), "storyline.report/2"),
    (("articles", 0, "date"), "29 March 2022"),
    (("articles", 0, "copy_of", "kind"), "copy"),
    (("stories", 0, "claims", 0, "status"), "maybe"),
    (("stories", 0, "claims", 0, "conflict", "kind"), "colour"),
    (("stories", 0, "id"), "story-1"),
    (("stories", 0, "quotes", 0, "start"), -1),
])
def test_contract_violations_fail(path, value):
    data = copy.deepcopy(REPORT)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        storyline.validate(data)


def test_missing_required_field_fails():
    data = copy.deepcopy(REPORT)
    del data["articles"][0]["removed"]
    with pytest.raises(jsonschema.ValidationError):
        storyline.validate(data)
