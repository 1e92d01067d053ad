"""The brief: short, cited, every citation pointing at real text."""

from __future__ import annotations

from storyline.model import Article
from storyline.summarize import summarize

from .conftest import EXAMPLES, report_of


def test_brief_length_and_citations_resolve(seeds_story):
    story, articles = seeds_story
    words = sum(len(s["text"].split()) for s in story["summary"])
    assert 80 <= words <= 160
    for sentence in story["summary"]:
        assert sentence["citations"]
        first = sentence["citations"][0]
        assert articles[first["article_id"]]["text"][first["start"]:first["end"]] == sentence["text"]
        for c in sentence["citations"]:
            assert 0 <= c["start"] < c["end"] <= len(articles[c["article_id"]]["text"])
        assert len({c["article_id"] for c in sentence["citations"]}) == len(sentence["citations"])


def test_brief_prefers_what_several_sources_say():
    report = report_of(EXAMPLES)
    story = next(s for s in report["stories"] if len(s["article_ids"]) > 1)
    cited = [len(s["citations"]) for s in story["summary"]]
    assert max(cited) >= 3


def test_copies_do_not_count_as_support():
    text = ("The ferry company raised its fares by six percent on Monday, citing fuel costs. "
            "Commuters said the rise would hit island residents hardest.")
    original = Article(id="a", source="a", text=text)
    copy = Article(id="b", source="b", text=text)
    from storyline.model import CopyOf
    copy.copy_of = CopyOf("a", "duplicate", 1.0)
    brief = summarize([original, copy])
    assert all(len(s.citations) == 1 for s in brief)


def test_word_budget_is_configurable():
    from storyline.settings import Settings
    topics = ["harbour bridge repairs", "school lunch prices", "tram timetable changes", "library opening hours",
              "river flood defences", "museum ticket sales", "airport noise limits", "market stall rents"]
    long_text = " ".join(f"On day {n} the council discussed the {t} with residents and engineers." for n, t in
                         enumerate(topics))
    brief = summarize([Article(id="a", source="a", text=long_text)], Settings(brief_words=40))
    assert 20 <= sum(len(s.text.split()) for s in brief) <= 48
