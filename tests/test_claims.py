"""Claims, differences and the timeline: statuses, conflicts, real evidence."""

from __future__ import annotations

import datetime as dt

from storyline.claims import find_claims
from storyline.model import Article, CopyOf
from storyline.timeline import dates_in

from .conftest import EXAMPLES, report_of


def test_every_evidence_and_citation_resolves(seeds_story):
    story, articles = seeds_story
    for claim in story["claims"]:
        assert claim["evidence"]
        for e in claim["evidence"]:
            assert articles[e["article_id"]]["text"][e["start"]:e["end"]] == e["text"]
    for item in story["differences"] + story["summary"]:
        assert item["citations"]
        for c in item["citations"]:
            assert 0 <= c["start"] < c["end"] <= len(articles[c["article_id"]]["text"])


def test_deescalation_claim_is_corroborated_by_four_sources(seeds_story):
    story, _ = seeds_story
    claims = [c for c in story["claims"] if c["status"] == "corroborated"
              and "Kyiv" in c["text"] + " ".join(e["text"] for e in c["evidence"])
              and "Chernihiv" in " ".join(e["text"] for e in c["evidence"])]
    assert max(c["independent_sources"] for c in claims) >= 4


def test_figure_reported_once_is_unique_with_its_article(seeds_story):
    story, _ = seeds_story
    [claim] = [c for c in story["claims"] if "350 civilians" in c["text"]]
    assert claim["status"] == "unique" and claim["evidence"][0]["article_id"].startswith("004")
    assert any("350 civilians" in d["text"] for d in story["differences"])


def test_quote_worded_differently_is_a_wording_conflict(seeds_story):
    story, _ = seeds_story
    wording = [c for c in story["claims"] if c["conflict"] and c["conflict"]["kind"] == "wording"]
    assert wording
    for claim in wording:
        assert len(claim["conflict"]["values"]) >= 2 and claim["independent_sources"] >= 2


def test_timeline_dates(seeds_story):
    story, _ = seeds_story
    dates = [t["date"] for t in story["timeline"]]
    assert dates == sorted(dates) and "2022-03-29" in dates and "2022-02-24" in dates


def test_number_conflict_between_sources():
    a = Article(id="a", source="a", outlet="Post", text=(
        "Heavy rain caused a landslide that stranded 340 passengers on two trains near the mountain village."))
    b = Article(id="b", source="b", outlet="Wire", text=(
        "A landslide caused by heavy rain stranded 400 passengers on two trains near the mountain village."))
    [claim] = [c for c in find_claims("s", [a, b]) if c.status == "conflicting"]
    assert claim.conflict.kind == "number"
    assert {v.value: v.article_ids for v in claim.conflict.values} == {"340": ["a"], "400": ["b"]}


def test_copies_do_not_corroborate():
    text = "The council approved a new bus line for the northern districts after a long debate on Monday."
    a = Article(id="a", source="a", text=text)
    b = Article(id="b", source="b", text=text, copy_of=CopyOf("a", "duplicate", 1.0))
    claims = find_claims("s", [a, b])
    assert [c.status for c in claims] == ["unique"]


def test_weekdays_and_dates_in_text():
    published = dt.date(2031, 3, 12)  # a Wednesday
    assert dates_in("The vote took place on Monday in the old hall.", published) == [dt.date(2031, 3, 10)]
    assert dates_in("Talks were held on March 29, 2022 and again on 3 April.", published) == [
        dt.date(2022, 3, 29), dt.date(2031, 4, 3)]


def test_example_corpus_figure_conflict():
    report = report_of(EXAMPLES)
    story = next(s for s in report["stories"] if len(s["article_ids"]) > 1)
    numbers = [c for c in story["claims"] if c["conflict"] and c["conflict"]["kind"] == "number"]
    values = {v["value"] for c in numbers for v in c["conflict"]["values"]}
    assert {"340", "about 400"} <= values


def test_characterisation_of_progress_is_a_wording_conflict(seeds_story):
    story, _ = seeds_story
    progress = [c for c in story["claims"] if c["conflict"] and c["conflict"]["kind"] == "wording"
                and all("progress" in v["value"] for v in c["conflict"]["values"])]
    assert len(progress) == 1
    values = progress[0]["conflict"]["values"]
    assert len(values) >= 2 and len({a for v in values for a in v["article_ids"]}) >= 2


def test_short_phrases_group_only_for_one_speaker_across_articles():
    from storyline.model import Quote
    from storyline.quotes import group_quotes
    quotes = [Quote(id="q1", text="real progress", article_id="a", start=0, end=13, speaker="e-holm"),
              Quote(id="q2", text="the fastest progress yet", article_id="b", start=0, end=24, speaker="e-holm"),
              Quote(id="q3", text="slow progress", article_id="c", start=0, end=13, speaker="e-varga"),
              Quote(id="q4", text="steady progress", article_id="a", start=20, end=35, speaker="e-holm")]
    group_quotes(quotes)
    assert quotes[0].group == quotes[1].group
    assert quotes[2].group != quotes[0].group
    assert len({q.group for q in quotes}) == 2  # q4 joins through q2 (another article)


def test_item_5_an_excerpt_supports_a_wording_and_is_none_of_its_own():
    """examples/corpus: the minister's quote has two real wordings ('on this stretch',
    'on this section'); the first sentence alone and the second alone are excerpts
    and support every wording they fit."""
    report = report_of(EXAMPLES)
    [claim] = [c for c in report["stories"][0]["claims"] if c["conflict"] and c["conflict"]["kind"] == "wording"]
    values = {v["value"]: v["article_ids"] for v in claim["conflict"]["values"]}
    assert len(values) == 2
    stretch = next(ids for text, ids in values.items() if "stretch" in text)
    section = next(ids for text, ids in values.items() if "section" in text)
    # "We cannot keep patching it" fits both wordings: it supports the statement, on neither side
    assert "northern-ledger" not in stretch and "northern-ledger" not in section
    assert any(e["article_id"] == "northern-ledger" for e in claim["evidence"])
    assert "alpine-wire" in stretch and "metro-digest" in section


def test_excerpts_and_wordings():
    from storyline.claims import excerpt_of, wordings
    from storyline.model import Quote

    whole = "Due to the talks, a decision was made to radically reduce military activity near Kyiv."
    assert excerpt_of("a decision was made", whole)
    assert excerpt_of("Due to the talks... radically reduce military activity", whole)
    assert not excerpt_of("a decision has been made", whole)
    assert not excerpt_of("activity near Kyiv ... Due to the talks", whole)  # pieces out of order
    quotes = [Quote(id=str(n), text=t, article_id=a, start=0, end=len(t)) for n, (t, a) in enumerate([
        (whole, "a"), ("a decision was made to radically reduce", "b"), ("a decision has been made to cut", "c")])]
    assert wordings(quotes) == {whole: ["a", "b"], "a decision has been made to cut": ["c"]}



def test_item_5_the_seeds_translations_of_one_statement_still_differ(seeds_story):
    """The defence ministry's statement in several translations stays a wording
    conflict once excerpts no longer count as wordings."""
    story, _ = seeds_story
    translations = [c for c in story["claims"] if c["conflict"] and c["conflict"]["kind"] == "wording"
                    and sum("Chernihiv" in v["value"] for v in c["conflict"]["values"]) >= 3]
    assert translations and translations[0]["independent_sources"] >= 3


def test_item_one_statement_one_row_in_the_seeds(seeds_story):
    """Issue 15: a statement is one row of the claims table. No sentence or quote
    is evidence of two claims, and Blinken's statement (quoted by CBS and by
    RFE/RL in other words) is one corroborated row that says its wording differs."""
    story, _ = seeds_story
    spans = [(c["id"], e["article_id"], e["start"], e["end"]) for c in story["claims"] for e in c["evidence"]]
    shared = [(a, b) for n, a in enumerate(spans) for b in spans[n + 1:]
              if a[0] != b[0] and a[1] == b[1] and a[2] < b[3] and b[2] < a[3]]
    assert not shared
    rows = [c for c in story["claims"] if any("what Russia says and there is what Russia does" in e["text"]
                                              for e in c["evidence"])]
    assert len(rows) == 1
    [row] = rows
    assert row["status"] == "corroborated" and row["independent_sources"] == 2
    assert row["conflict"]["kind"] == "wording"
    assert {e["article_id"][:3] for e in row["evidence"]} == {"002", "004"}
    assert not any(d["text"].startswith("Only") and "what Russia says" in d["text"] for d in story["differences"])


def test_one_row_per_statement_keeps_status_by_what_differs():
    from storyline.claims import one_row_per_statement
    from storyline.model import Claim, Conflict, ConflictValue, Evidence

    text = "The minister said: “We will rebuild the bridge.” Work starts in May."
    articles = [Article(id=a, source=a, text=text) for a in ("a", "b", "c")]
    said = [Claim(id=f"c-{a}", text=text[:48], status="unique", independent_sources=1,
                  evidence=[Evidence(a, 0, 48, text[:48])]) for a in ("a", "b")]
    later = Claim(id="c-later", text=text[49:], status="unique", independent_sources=1,
                  evidence=[Evidence("c", 49, len(text), text[49:])], related=["c-a"])
    quotes = [Evidence(a, 20, 47, text[20:47]) for a in ("a", "b")]

    def quoted(kind):
        return Claim(id="c-q", text="The minister: “…”", status="conflicting", independent_sources=2,
                     evidence=quotes, conflict=Conflict(kind, [ConflictValue("x", ["a"]), ConflictValue("y", ["b"])]))

    rows = one_row_per_statement([quoted("wording")], said + [later], articles)
    assert len(rows) == 2
    row = rows[0]
    assert row.status == "corroborated" and row.independent_sources == 3 - 1  # a and b; c says something else
    assert row.conflict.kind == "wording" and [e.article_id for e in row.evidence] == ["a", "b"]
    assert rows[1].related == [row.id]  # a link to an absorbed claim now points at its row
    [row, _] = one_row_per_statement([quoted("attribution")], said + [later], articles)
    assert row.status == "conflicting"


def test_a_copy_adds_nothing_to_the_timeline():
    from storyline.model import Article, CopyOf
    from storyline.timeline import build_timeline

    text = "The ferry service resumed on March 3, 2031 after the storm."
    original = Article(id="o", source="o", text=text, date="2031-03-04")
    copy = Article(id="c", source="c", text=text, date="2031-03-05",
                   copy_of=CopyOf(article_id="o", kind="duplicate", similarity=1.0))
    assert [(t.article_id, t.date) for t in build_timeline([original, copy])] == [("o", "2031-03-03")]
    assert [t.article_id for t in build_timeline([copy])] == ["c"]  # without its original, the copy speaks


def test_a_chinese_sentence_is_a_statement_by_its_characters():
    """Chinese has no spaces between words: two characters count as a word, so
    a sentence of a dozen characters is long enough to be a claim."""
    from storyline.claims import statements
    from storyline.textfeatures import word_count

    text = "周二，一艘渡轮在港口附近沉没，救援人员救出了四十名乘客。官员表示调查仍在进行中。"
    assert word_count("周二一艘渡轮在港口附近沉没") == 6
    assert word_count("The ferry sank on Tuesday") == 5
    found = statements([Article(id="zh", source="zh.txt", text=text, language="zh")])
    assert len(found) == 2
