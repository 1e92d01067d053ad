"""Issue 14: a fuzz suite. Generated text, HTML, JSONL lines and byte soups
go to `analyze` beside one good article. Every case ends with a report or a
clear error (``StorylineError``: the CLI's one-line exit 2), never another
exception, and the good article is always kept, word for word."""

from __future__ import annotations

import gzip
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.pipeline import analyze
from storyline.settings import DEFAULT_SETTINGS

GOOD = ("A ferry ran aground off the island of Korvan on Sunday evening, and all 212 people on board were "
        "brought ashore by lifeboats, the coastguard said. The operator cancelled Monday's crossings.")
FAST = replace(DEFAULT_SETTINGS, encoder=False)  # the stages that read text, without the encoder's cost
CASES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                         st.text(max_size=200), st.text(alphabet="\x00\x01\x1b\ud7ff\ufffe\u202e", max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                 st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=4)), max_leaves=20)
fields = st.fixed_dictionaries({}, optional={
    "id": json_values, "title": json_values, "text": json_values, "date": json_values, "url": json_values,
    "outlet": json_values, "language": json_values, "html": json_values})
jsonl_lines = st.one_of(
    fields.map(json.dumps),
    json_values.map(json.dumps),
    st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),  # deep nesting
    st.text(max_size=300),  # not JSON at all
)
tags = st.sampled_from(["p", "div", "script", "style", "article", "nav", "h1", "title", "meta", "a", "table", "td",
                        "iframe", "svg", "br", "li"])
html_docs = st.recursive(
    st.text(max_size=80),
    lambda inner: st.tuples(tags, st.lists(inner, max_size=4)).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=30)


def outcome(name: str, payload: bytes) -> str:
    """What `analyze` made of ``payload`` (a file called ``name``) beside the
    good article: "ok", "lost" (the good article is missing or changed), or
    "traceback: <exception>" (anything but the CLI's one-line error)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "good.txt").write_text(GOOD, encoding="utf-8")
        (folder / name).write_bytes(payload)
        warnings: list[str] = []
        try:
            report = analyze([folder], FAST, warn=warnings.append)
        except StorylineError:  # the CLI's one-line error, but a good article was given
            return "lost"
        except Exception as exc:  # noqa: BLE001 - the point is to catch everything
            return f"traceback: {type(exc).__name__}: {exc}"
        good = [a for a in report.articles if a.source.endswith("good.txt")]
        if len(good) != 1 or good[0].text != GOOD:
            return "lost"
        if any("\n" in w for w in warnings):
            return "traceback: a warning of several lines"
        return "ok"


def run_beside_good(name: str, payload: bytes) -> None:
    assert outcome(name, payload) == "ok"


@CASES
@given(st.text(max_size=2000))
def test_any_text_file(text):
    run_beside_good("fuzz.txt", text.encode("utf-8", "surrogatepass"))


@CASES
@given(st.binary(max_size=4000), st.sampled_from(["fuzz.txt", "fuzz.html", "fuzz.jsonl", "fuzz.txt.gz"]))
def test_any_bytes_under_any_name(data, name):
    run_beside_good(name, data)


@CASES
@given(html_docs)
def test_any_html(html):
    run_beside_good("fuzz.html", html.encode("utf-8", "surrogatepass"))


@CASES
@given(st.lists(jsonl_lines, min_size=1, max_size=6), st.booleans())
def test_any_jsonl_lines(lines, compressed):
    payload = "\n".join(lines).encode("utf-8", "surrogatepass")
    run_beside_good("fuzz.jsonl.gz" if compressed else "fuzz.jsonl", gzip.compress(payload) if compressed else payload)


def test_item_1_a_library_failure_on_odd_html_keeps_the_run():
    """Found by this suite: lxml's drop_tree asserts inside htmldate's date
    search on an <svg> holding a <title>; the page is now read without its
    metadata, and nothing else is lost."""
    odd = "<svg>\u00f3\u00f8<div>R\u00e5 text</div><title>!*999999999999999</title></svg>"
    assert outcome("odd.html", odd.encode()) == "ok"


def test_item_1_a_failure_while_describing_a_story_keeps_the_run(monkeypatch):
    """Any exception inside one story's description becomes a one-line warning
    naming the story; the story keeps its articles and sources."""
    from storyline import pipeline

    from .conftest import EXAMPLES

    real = pipeline.summarize

    def fails_once(articles, *args, **kwargs):
        if any(a.id == "harbour-times" for a in articles):
            raise RuntimeError("boom\nsecond line")
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(pipeline, "summarize", fails_once)
    warnings: list[str] = []
    report = analyze([EXAMPLES], FAST, warn=warnings.append)
    failed = next(s for s in report.stories if "harbour-times" in s.article_ids)
    assert failed.summary == [] and failed.claims == [] and failed.independent_sources == 1
    assert any(s.summary for s in report.stories if s is not failed)  # the others are whole
    [warning] = [w for w in warnings if failed.id in w]
    assert "RuntimeError: boom second line" in warning and "\n" not in warning
