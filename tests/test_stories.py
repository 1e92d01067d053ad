"""Stories: grouping, independence, stable ids, incremental arrival."""

from __future__ import annotations

from dataclasses import replace

import pytest

import storyline
from storyline.pipeline import load_articles
from storyline.stories import cluster_stories

from .conftest import EXAMPLES, report_of


@pytest.fixture(scope="module")
def seeds_report(seeds):
    return report_of(seeds)


def test_seeds_are_one_story_with_four_independent_sources(seeds_report):
    storyline.validate(seeds_report)
    [story] = seeds_report["stories"]
    assert sorted(story["article_ids"]) == sorted(a["id"] for a in seeds_report["articles"])
    assert story["independent_sources"] == 4
    assert story["first_date"] == story["last_date"] == "2022-03-29"
    assert all(a["story_id"] == story["id"] for a in seeds_report["articles"])


def test_seeds_rewrite_pair_and_no_other_copy(seeds_report):
    copies = {a["id"][:3]: a["copy_of"] for a in seeds_report["articles"]}
    marked = {k: v for k, v in copies.items() if v}
    assert len(marked) == 1
    [(copy, info)] = marked.items()
    assert {copy, info["article_id"][:3]} == {"002", "003"}
    assert info["kind"] == "rewrite" and 0.5 <= info["similarity"] <= 1.0


def test_example_corpus_keeps_the_unrelated_article_apart():
    report = storyline.to_dict(storyline.analyze([EXAMPLES]))
    by_id = {a["id"]: a["story_id"] for a in report["articles"]}
    landslide = {k for k, v in by_id.items() if v == by_id["valdora-courier"]}
    assert landslide == {"valdora-courier", "metro-digest", "alpine-wire", "northern-ledger", "riverbend-daily"}
    assert by_id["harbour-times"] != by_id["valdora-courier"]
    story = next(s for s in report["stories"] if s["id"] == by_id["valdora-courier"])
    assert story["independent_sources"] == 4  # metro-digest rewrites valdora-courier


def test_story_ids_are_deterministic():
    first = cluster_stories(load_articles([EXAMPLES]))
    second = cluster_stories(list(reversed(load_articles([EXAMPLES]))))
    assert first == second


def test_new_article_joins_existing_story_and_ids_stay(tmp_path):
    articles = load_articles([EXAMPLES])
    late = next(a for a in articles if a.id == "riverbend-daily")
    earlier = [a for a in articles if a is not late]
    assignment = cluster_stories(earlier)
    for a in earlier:
        a.story_id = assignment[a.id]
    again = cluster_stories(earlier + [replace(late, story_id=None)])
    assert {a.id: again[a.id] for a in earlier} == assignment
    assert again["riverbend-daily"] == assignment["valdora-courier"]


def test_unrelated_new_article_starts_a_new_story():
    articles = load_articles([EXAMPLES])
    ferry = next(a for a in articles if a.id == "harbour-times")
    rest = [a for a in articles if a is not ferry]
    assignment = cluster_stories(rest)
    for a in rest:
        a.story_id = assignment[a.id]
    again = cluster_stories(rest + [replace(ferry, story_id=None)])
    assert again["harbour-times"] not in set(assignment.values())


def test_existing_stories_never_merge():
    articles = load_articles([EXAMPLES])
    for n, a in enumerate(articles):
        a.story_id = f"s-fixed{n}"  # every article alone, as if it had arrived first
    assignment = cluster_stories(articles)
    assert assignment == {a.id: a.story_id for a in articles}


def test_far_apart_dates_weaken_links():
    articles = load_articles([EXAMPLES])
    landslide = [a for a in articles if a.id != "harbour-times"]
    dated = [replace(a, date="2019-01-01" if a.id == "alpine-wire" else "2026-02-11") for a in landslide]
    assignment = cluster_stories(dated)
    assert assignment["alpine-wire"] != assignment["valdora-courier"]
    # an unknown date is no evidence either way
    undated = [replace(a, date=None) if a.id == "metro-digest" else a for a in dated]
    assert cluster_stories(undated)["metro-digest"] == cluster_stories(undated)["valdora-courier"]
