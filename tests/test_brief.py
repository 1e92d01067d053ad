"""The brief: short, cited, every citation pointing at real text."""

from __future__ import annotations

import itertools
import re

import pytest

from storyline import align
from storyline.model import Article
from storyline.settings import DEFAULT_SETTINGS
from storyline.summarize import candidates, summarize

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


def _reports_the_reduction(text: str) -> bool:
    """Russia's announcement on the seeds' day: less military activity near Kyiv and Chernihiv."""
    return bool(re.search(r"\breduc|\bscal\w* (?:down|back)", text, re.IGNORECASE))


def test_seeds_brief_includes_ukraines_neutrality_offer(seeds_story):
    """The day's other main news, reported by several independent outlets in their own words."""
    story, _ = seeds_story
    assert any(re.search(r"\bneutral", s["text"], re.IGNORECASE) for s in story["summary"])


@pytest.mark.xfail(strict=True, reason=(
    "issue 13: the brief opens with 004's lead (progress, Moscow 'scaling down its military operations "
    "around Kyiv', Ukraine's neutrality) and also picks Fomin's quote of the same announcement: the lead "
    "states three facts, so neither the words (cosine 0.07) nor the encoder (0.37, under align_floor) see "
    "that one of them is the quote's; no clause-level comparison yet"))
def test_seeds_brief_states_each_fact_once(seeds_story):
    story, _ = seeds_story
    texts = [s["text"] for s in story["summary"]]
    for a, b in itertools.combinations(texts, 2):
        assert align.probability(a, b) < DEFAULT_SETTINGS.claim_same_probability, (a, b)
    assert sum(_reports_the_reduction(t) for t in texts) <= 1, texts


def test_one_quotation_is_one_statement_and_datelines_are_dropped():
    """Two outlets frame the mayor's words differently (the words alone would keep both); a
    dateline is where and from whom, not part of the sentence."""
    a = Article(id="a", source="a", text=(
        "LISBON (Reuters) — The city council closed the old harbour bridge on Monday after engineers found "
        "deep cracks in two of its piers. \"This bridge is not safe for anyone to cross,\" mayor Ana Ferreira "
        "said, adding that repairs would cost four million euros and take until next spring. "
        "Ferry services will run every hour until then, the council said."))
    b = Article(id="b", source="b", text=(
        "The old harbour bridge was closed by the city council on Monday because engineers found cracks in "
        "its piers. “This bridge is not safe for anyone to cross. We will rebuild it,” Ferreira told "
        "reporters outside the town hall. Ferry services will run every hour while the bridge is closed, "
        "the council said."))
    brief = summarize([a, b])
    texts = [s.text for s in brief]
    assert sum("not safe for anyone" in t for t in texts) == 1, texts
    assert not any("(Reuters)" in t for t in texts), texts
    assert candidates([a])[0].shown == a.text.index("The city council closed")
    for s in brief:
        first = s.citations[0]
        assert {"a": a, "b": b}[first.article_id].text[first.start:first.end] == s.text
