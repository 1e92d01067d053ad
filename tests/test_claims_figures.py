"""Figures that differ for one measure, copies' facts, and excerpts that fit several wordings."""

from __future__ import annotations

from storyline.claims import differences, find_claims, sentence_figures, wordings
from storyline.model import Article, CopyOf, Quote


def _article(aid: str, outlet: str, text: str, copy_of: CopyOf | None = None) -> Article:
    return Article(id=aid, source=aid, outlet=outlet, text=text, language="en", copy_of=copy_of)


FLOOD = [
    _article("a", "River Post", "Floods swept through the lower town of Marrow, which were the worst in years, "
             "on Saturday, killing two people and injuring 14 people, the regional government said. "
             "About 900 households lost power overnight."),
    _article("b", "Valley Wire", "Emergency services in Marrow said 19 people had been injured in the floods, "
             "which began late on Saturday. Roughly 2,000 households were left without power, the utility said."),
]


def test_differing_figures_in_differently_worded_sentences_conflict():
    claims = find_claims("s", FLOOD)
    values = {v.value: v.article_ids for c in claims if c.conflict for v in c.conflict.values}
    assert values.get("14") == ["a"] and values.get("19") == ["b"]
    # no claim built on the 14 counts the 19 as support
    for claim in claims:
        if claim.status == "corroborated":
            texts = " ".join(e.text for e in claim.evidence)
            assert not ("14" in texts and "19" in texts)
    lines = [d.text for d in differences(claims, FLOOD) if d.text.startswith("Sources differ on figures")]
    assert any("14 (River Post)" in line and "19 (Valley Wire)" in line for line in lines)
    assert not any(line.startswith("Only") and "19 people" in line for line in lines)


def test_figures_of_other_things_are_not_counts():
    found = sentence_figures('"We ran," said Ana Rivas, 42, who has lived there for twelve years; the water rose '
                             'at 6:40 a.m. on May 3, 2030, more than 300 homes were flooded and 45 people were hurt.')
    assert [f.shown for f in found] == ["more than 300", "45"]
    assert [f.shown for f in sentence_figures("Thirty-one people were treated in hospital.")] == ["Thirty-one"]


def test_different_measures_do_not_conflict():
    a = _article("a", "Post", "The storm damaged 40 houses in the harbour district of Lenz on Monday night.")
    b = _article("b", "Wire", "The storm in the harbour district of Lenz on Monday night left 3 people injured.")
    assert not [c for c in find_claims("s", [a, b]) if c.conflict]


def test_a_copied_fact_is_the_originals_not_only_the_copys():
    original = _article("o", "Courier", "The bridge over the Sella river was closed on Friday after engineers found "
                        "cracks in two of its pillars. Traffic was diverted through the old town.")
    copy = _article("c", "Digest", "Engineers discovered cracks in two pillars, and the bridge over the Sella river "
                    "was shut on Friday. Traffic was diverted through the old town.",
                    copy_of=CopyOf("o", "rewrite", 0.9))
    other = _article("x", "Herald", "The city council met on Friday to discuss the budget for the coming year "
                     "and approved new funds for schools.")
    lines = [d.text for d in differences(find_claims("s", [original, copy, other]), [original, copy, other])]
    assert not any(line.startswith("Only Digest") for line in lines)
    assert any(line.startswith("Only Courier (repeated by Digest) reports") for line in lines)


def test_an_excerpt_fitting_both_wordings_takes_no_side():
    quotes = [Quote(id=str(n), text=t, article_id=a, start=0, end=len(t)) for n, (t, a) in enumerate([
        ("This is the fourth flood on this road in ten years. We cannot keep repairing it", "a"),
        ("This is the fourth flood on this street in ten years. We cannot keep repairing it", "b"),
        ("We cannot keep repairing it", "c"),
        ("This is the fourth flood on this road in ten years", "d")])]
    found = wordings(quotes)
    assert len(found) == 2
    assert all("c" not in ids for ids in found.values())
    assert "d" in next(ids for text, ids in found.items() if "road" in text)
