"""The spaCy model as storyline loads it gives every token the attributes the
packaged model gives it, only faster (``parsing.FastAttributes``)."""

from __future__ import annotations

import spacy

from storyline.parsing import MODEL, FastAttributes, nlp

from .conftest import EXAMPLES

TRICKY = ("Mr. Smith said he was gonna go, y'all. There is no doubt: it ain't over. Let's see, c'mon. "
          "'em all got ta leave \u2014 somethin' happened nothin' else. \"We are ready,\" she told reporters.\n\n"
          "  The ministry's statement, which  was issued   Tuesday, said that something had changed.")


def _attributes(doc):
    return ([(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_) for t in doc],
            [(e.start, e.end, e.label_) for e in doc.ents])


def test_fast_attributes_match_the_packaged_attribute_ruler(seeds):
    texts = [TRICKY] + [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    stock = spacy.load(MODEL)
    assert {"attribute_ruler", "lemmatizer"} <= set(stock.pipe_names)
    assert not {"attribute_ruler", "lemmatizer"} & set(nlp().pipe_names)
    for ours, theirs in zip(nlp().pipe(texts), stock.pipe(texts)):
        assert _attributes(ours) == _attributes(theirs)


def test_later_rules_win_as_in_the_ruler():
    stock = spacy.load(MODEL)
    fast = FastAttributes(stock.get_pipe("attribute_ruler"))
    orders = [order for order, _, _, _ in fast.single + fast.multi]
    assert len(orders) > 100 and fast.multi  # the model's rules, one- and two-token ones
    doc = stock.make_doc("There is a gon na")
    for token, tag, dep in zip(doc, ["EX", "VBZ", "DT", "VBG", "TO"], ["expl", "ROOT", "det", "xcomp", "aux"]):
        token.tag_, token.dep_ = tag, dep
    fast(doc)
    assert doc[1].pos_ == "VERB"  # the two-token rule (expl + 'is') overrides the tag's AUX
    assert doc[3].lemma_ == "go" and doc[4].lemma_ == "to"


def test_caches_stay_bounded_and_answers_do_not_change(monkeypatch):
    from storyline import parsing

    texts = [TRICKY, "The harbour master said the ferry was late again. \"It will not happen twice,\" he said."]
    before = [_attributes(doc) for doc in nlp().pipe(texts)]
    monkeypatch.setattr(parsing, "CACHE_LIMIT", 5)
    after = [_attributes(doc) for doc in nlp().pipe(texts * 3)]
    assert after == before * 3
    longest = max(len(doc) for doc in nlp().pipe(texts))
    for name in ("storyline_attributes", "storyline_lemmas"):
        assert 0 < len(nlp().get_pipe(name).cache) <= 5 + longest  # cleared past the limit: one doc's entries at most
