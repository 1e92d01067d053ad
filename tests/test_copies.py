"""Copy detection: duplicates, syndicated copies, rewrites, and what is not a copy."""

from __future__ import annotations

import pytest

from storyline.copies import detect_copies, independent_groups
from storyline.model import Article, CopyOf
from storyline.pipeline import load_articles

from .conftest import EXAMPLES

ORIGINAL = """The city council voted on Tuesday to close the old harbour bridge for repairs from next month.

Engineers found cracks in two of the bridge's steel supports during an inspection in October.

The closure will last at least eight weeks, the council's transport office said in a statement.

Buses will replace the tram line that crosses the bridge, and cyclists will be sent along the river path.

Shop owners near the bridge said they feared losing customers during the busiest weeks of the year.

The council said it would pay for extra signs to guide shoppers to the old town.

Repairs are expected to cost 4.2 million euros, most of it paid by the regional government."""

REWRITE = """City councillors decided on Tuesday to shut the old harbour bridge for repair work starting next month.

During an October inspection, engineers discovered cracks in two steel supports of the bridge.

According to a statement from the council's transport office, the bridge will stay closed for eight weeks or more.

Cyclists will be diverted along the river path, and buses will replace the tram line across the bridge.

Shopkeepers close to the bridge said they were afraid of losing customers in the busiest weeks of the year.

Extra signs to guide shoppers to the old town will be paid for by the council, it said.

The repair work should cost 4.2 million euros, with the regional government paying most of it."""

INDEPENDENT = """The harbour bridge, a landmark since 1911, will close next month after inspectors found damage.

"We had no choice. Safety comes first," transport councillor Mia Lund told reporters after Tuesday's vote.

The tram company said it had not been told how long the works would last.

Traders in the old town have asked for compensation, saying the bridge brings them most of their customers.

An engineering professor said cracks of this kind were common in bridges built before the First World War.

The regional government has not yet confirmed how much of the cost it will cover.

Opposition councillors voted against the plan, asking for a temporary footbridge instead."""


def art(article_id: str, text: str, date: str | None = None, outlet: str | None = None) -> Article:
    return Article(id=article_id, source=article_id, text=text, date=date, outlet=outlet)


def test_rewrite_is_found_and_points_to_the_earlier_article():
    copies = detect_copies([art("a", ORIGINAL, "2031-03-01"), art("b", REWRITE, "2031-03-02"),
                            art("c", INDEPENDENT, "2031-03-01")])
    assert copies == {"b": CopyOf(article_id="a", kind="rewrite", similarity=pytest.approx(1.0, abs=0.15))}


def test_without_dates_the_shorter_is_the_copy():
    trimmed = "\n\n".join(ORIGINAL.split("\n\n")[:5])
    copies = detect_copies([art("x", trimmed), art("y", ORIGINAL)])
    assert copies["x"].article_id == "y" and copies["x"].kind == "syndicated"


def test_duplicate_with_other_debris():
    copies = detect_copies([art("a", ORIGINAL), art("b", "Share this article\n\n" + ORIGINAL)])
    assert list(copies) == ["a"] or list(copies) == ["b"]
    assert next(iter(copies.values())).kind == "duplicate"


def test_same_event_reported_independently_is_not_a_copy():
    assert detect_copies([art("a", ORIGINAL), art("c", INDEPENDENT)]) == {}


def test_shared_quotes_do_not_make_a_copy():
    quote = '"The bridge is not safe and we will not take any risks with people\'s lives," the mayor said.'
    one = INDEPENDENT + "\n\n" + quote
    two = ORIGINAL + "\n\n" + quote
    assert detect_copies([art("a", one), art("b", two)]) == {}


def test_independent_groups_join_copies_and_outlets():
    a = art("a", ORIGINAL, outlet="Harbour Post")
    b = art("b", REWRITE)
    b.copy_of = CopyOf("a", "rewrite", 0.9)
    c = art("c", INDEPENDENT, outlet="harbour post")
    d = art("d", "Something else entirely about the bridge and the town, told in other words.")
    groups = independent_groups([a, b, c, d])
    assert sorted(sorted(g) for g in groups) == [["a", "b", "c"], ["d"]]


def test_example_corpus_rewrite():
    articles = load_articles([EXAMPLES])
    copies = detect_copies(articles)
    assert {k: (v.article_id, v.kind) for k, v in copies.items()} == {
        "metro-digest": ("valdora-courier", "rewrite")}


def test_two_articles_compared_on_their_own_as_inside_a_story():
    """``compare`` of two profiles alone (as benchmarks call it) gives the
    verdict the story-wide search gives, whichever article comes first."""
    from storyline.copies import _profile, compare

    original = Article(id="o", source="o.txt", text=ORIGINAL, date="2024-03-01")
    rewrite = Article(id="r", source="r.txt", text=REWRITE, date="2024-03-02")
    a, b = _profile(original), _profile(rewrite)
    assert compare(a, b) == compare(b, a)
    assert compare(a, b)[0] == "rewrite"
    assert detect_copies([original, rewrite])["r"].kind == "rewrite"
