"""Issue 13: statements aligned by meaning. What was checked by hand on the
seeds and both example corpora, as tests:

- examples/corpus: four outlets give 340 stranded passengers in four wordings
  ("leaving 340 passengers stranded", "stranding 340 passengers", "put the
  number of stranded travellers at 340", "said 340 passengers had been
  stranded"); all four back one claim, and 400 is the other side of its
  figure conflict ("about 400"). No "only X reports" line names the 340 sentence.
- examples/bilingual: the mayor's sentence quoted in Spanish and in English
  is one quote group with her as the speaker in both languages, and a
  translation is not reported as a different wording.
- seeds: the brief gives Fomin's announcement once (reported, not also
  quoted) and includes Ukraine's readiness to be neutral.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from storyline import align, embeddings, pairfeatures
from storyline.claims import find_claims
from storyline.model import Article
from storyline.pipeline import analyze
from storyline.settings import DEFAULT_SETTINGS

from .conftest import EXAMPLES, ROOT, report_of

needs_encoder = pytest.mark.skipif(not embeddings.available(), reason="the encoder package is not installed")
STRANDED = {"alpine-wire": False, "metro-digest": True, "northern-ledger": True, "riverbend-daily": True,
            "valdora-courier": True}  # which outlets give 340


@pytest.fixture(scope="module")
def corpus_story():
    report = report_of(EXAMPLES)
    story = next(s for s in report["stories"] if len(s["article_ids"]) > 1)
    return story, {a["id"]: a for a in report["articles"]}


def test_every_outlet_that_gives_a_figure_backs_one_claim(corpus_story):
    story, _ = corpus_story
    [claim] = [c for c in story["claims"] if any("340" in e["text"] for e in c["evidence"])]
    givers = {e["article_id"] for e in claim["evidence"] if "340" in e["text"]}
    assert givers == {a for a, gives in STRANDED.items() if gives}
    values = {v["value"] for v in claim["conflict"]["values"]}
    assert values == {"340", "about 400"}  # the estimate is shown as one


def test_only_x_reports_never_names_a_statement_another_source_gives(corpus_story):
    story, _ = corpus_story
    only = [d["text"] for d in story["differences"] if d["text"].startswith("Only ")]
    assert only and not any("340" in text for text in only)
    by_id = {c["id"]: c for c in story["claims"]}
    for claim in story["claims"]:
        if claim["status"] == "unique" and any(claim["text"] in text for text in only):
            assert not claim.get("related")
            assert all(r in by_id for r in claim.get("related", []))


def test_shared_figure_aligns_reworded_statements():
    texts = {"a": "The operator, Valdora Rail, put the number of stranded travellers at 340.",
             "b": "Valdora Rail said 340 passengers had been stranded on two trains on Tuesday evening."}
    articles = [Article(id=k, source=k, text=v) for k, v in texts.items()]
    claims = find_claims("s", articles, replace(DEFAULT_SETTINGS, encoder=False))
    assert len(claims) == 1 and claims[0].status == "corroborated"
    # a figure alone, with nothing else in common, is not the same fact
    articles[1] = Article(id="b", source="b", text="Officials counted 340 new cases of measles in the region.")
    assert len(find_claims("s", articles, replace(DEFAULT_SETTINGS, encoder=False))) == 2


@needs_encoder
def test_translated_quote_is_one_group_with_its_speaker():
    report = analyze([ROOT / "examples" / "bilingual"])
    [story] = report.stories
    spanish = next(q for q in story.quotes if q.text.startswith("Nadie debería tener miedo"))
    group = [q for q in story.quotes if q.group == spanish.group]
    assert {q.article_id for q in group} == {"correo-de-almenar", "harbour-ledger", "southline-wire"}
    assert {q.speaker_name for q in group} == {"Lucía Aranburu"}
    assert not any(c.conflict and c.conflict.kind == "wording" and spanish.article_id in
                   {a for v in c.conflict.values for a in v.article_ids} for c in story.claims)


def test_without_the_encoder_the_translations_stay_apart():
    report = analyze([ROOT / "examples" / "bilingual"], replace(DEFAULT_SETTINGS, encoder=False))
    quotes = [q for s in report.stories for q in s.quotes]
    spanish = next(q for q in quotes if q.text.startswith("Nadie debería tener miedo"))
    assert [q.article_id for q in quotes if q.group == spanish.group] == ["correo-de-almenar"]


@needs_encoder
def test_seeds_brief_states_the_announcement_once_and_the_neutrality_offer(seeds_story):
    story, _ = seeds_story
    brief = [s["text"] for s in story["summary"]]
    assert sum("mutual trust" in s for s in brief) == 1
    assert any("neutral" in s for s in brief)


def test_alignment_model_and_its_fallback():
    same = ("The bridge collapsed on Tuesday evening, injuring twelve people.",
            "Twelve people were hurt when the bridge fell on Tuesday evening.")
    other = ("The bridge collapsed on Tuesday evening, injuring twelve people.",
             "The central bank kept its interest rate unchanged at four percent.")
    assert align.probability(*same) > align.probability(*other)  # words only
    assert align.probability(*same, cosine=0.8) > 0.5 > align.probability(*other, cosine=0.1)
    assert align.probability(*same, cosine=0.8, same_language=False) > 0.5
    assert align.probability(*other, cosine=0.1, same_language=False) < 0.1


def test_shipped_model_loads_and_gives_probabilities():
    models = align.shipped()
    assert align.MODEL_FILE.is_file()
    assert models.words.mean.shape == (len(align.WORDS_FEATURES),) and models.kld_weights
    assert models.encoder is not None and models.encoder.pca_components.shape[0] == align.PCA_COMPONENTS
    pairs = [("The bridge collapsed on Tuesday evening, injuring twelve people.",
              "Twelve people were hurt when the bridge fell on Tuesday evening."),
             ("Shares of the company rose 5 percent on Monday.", "Heavy snow closed schools across the region."),
             ("", "An empty sentence has nothing to say."), ("Same.", "Same.")]
    rng = np.random.default_rng(0)
    u, v = rng.normal(size=(4, 512)), rng.normal(size=(4, 512))
    u, v = (x / np.linalg.norm(x, axis=1, keepdims=True) for x in (u, v))
    for found in (models.probabilities(pairs), models.probabilities(pairs, u, v)):
        assert found.shape == (4,) and np.all((found >= 0) & (found <= 1))
    # one pair at a time agrees with the batch
    assert align.probability(*pairs[0]) == pytest.approx(models.probabilities(pairs)[0])


def test_clear_paraphrase_and_clear_non_paraphrase():
    paraphrase = ("The company said its quarterly profit rose 12 percent to $1.2 billion.",
                  "Quarterly profit at the company climbed 12 percent to $1.2 billion, it said.")
    unrelated = ("The company said its quarterly profit rose 12 percent to $1.2 billion.",
                 "Firefighters battled a blaze in a warehouse near the harbour overnight.")
    assert align.probability(*paraphrase) > 0.5 > align.probability(*unrelated)
    if embeddings.available():
        for (a, b), above in ((paraphrase, True), (unrelated, False)):
            u, v = embeddings.embed([a, b])
            assert (align.probability(a, b, vectors=(u, v)) > 0.5) is above


def test_words_only_fallback_without_the_encoder():
    texts = ["Twelve people were hurt when the bridge fell on Tuesday evening.",
             "The bridge collapsed on Tuesday evening, injuring twelve people.",
             "The central bank kept its interest rate unchanged at four percent."]
    words = align.Alignment(texts, ["en"] * 3, replace(DEFAULT_SETTINGS, encoder=False))
    assert words.vectors is None and words.encoder_cosine(0, 1) is None
    found = words.probabilities([(0, 1), (1, 0), (0, 2)])
    assert found[0] == found[1] > 0.5 > found[2]
    assert found[0] == pytest.approx(align.shipped().probabilities([(texts[0], texts[1])])[0])
    # a sentence without a vector (a row of NaN) is judged by its words
    vectors = np.full((3, embeddings.DIM), np.nan, dtype=np.float32)
    vectors[2] = 1 / np.sqrt(embeddings.DIM)
    partial = align.Alignment(texts, ["en"] * 3, DEFAULT_SETTINGS, vectors)
    assert partial.probability(0, 1) == pytest.approx(found[0])


def test_pair_features_are_symmetric_and_named():
    a, b = "Officials said 340 passengers were stranded.", "Valdora Rail put the number of stranded travellers at 340."
    assert len(pairfeatures.lexical(a, b)) == len(pairfeatures.LEXICAL)
    assert pairfeatures.lexical(a, b) == pytest.approx(pairfeatures.lexical(b, a))
    assert align.features(a, b) == pytest.approx(align.features(b, a))
