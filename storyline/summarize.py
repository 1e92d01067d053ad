"""The brief: a short extractive summary of a story, every sentence cited.

Sentences of the story's articles are compared by meaning (``align.py``: the
larger of their content words' TF-IDF cosine and the multilingual encoder's
cosine above ``align_floor``; words only when the encoder is off). A sentence
scores high when many articles say something close to it (centrality), when it
is close to the story's centroid (each independent source weighing the same),
when independent sources back it (copies count once), and when it comes early
in its article (news puts the main facts first). Sentences are then picked
greedily for what they add (Gillick & Favre 2009, concept coverage): the
concepts are the word bigrams (stems, not two stop words) that at least two
independent sources use (any, for a single source), each weighing the number
of sources using it; a sentence's gain is the weight of the concepts it adds
that no picked sentence has, times its score, per word **
``brief_length_exponent``, skipping any too close to one already picked
(redundancy: the same thing in other words shares no bigrams), or carrying the
same quotation as one already picked (one statement, however each outlet frames
it), until the word budget is reached. A sentence's leading dateline
("WASHINGTON (AP) —", "(CNN) —") is left out of the brief. Each brief sentence cites
its own span and the closest sentence of every other independent source that
supports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import align
from .copies import independent_groups
from .model import Article, BriefSentence, Citation
from .sentences import sentence_spans
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import STOP_WORDS, dateline, stem

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# "WASHINGTON (AP) —", "KATHMANDU, Nepal (AP) —", "(CNN) --": where and from whom, not what happened
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_DANGLING = re.compile(r"^(?:He|She|They|It|This|That|These|Those|But|And|Also|However)\b"
                       r"|[,.]?[”\"]?,? (?:he|she|they) (?:said|added|says|told)\b")


@dataclass
class Candidate:
    article: Article
    start: int
    end: int
    position: int  # index of the sentence in its article
    words: int
    shown: int = -1  # where the brief's text starts (after a leading dateline); -1: at ``start``

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


def candidates(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS) -> list[Candidate]:
    """Sentences that could enter the brief: the first ones of each article, of a readable length."""
    found = []
    for article in articles:
        spans = sentence_spans(article.text, article.language)[: settings.brief_sentences_per_article]
        for position, span in enumerate(spans):
            words = len(span.of(article.text).split())
            if settings.brief_min_words <= words <= settings.brief_max_words:
                opening = dateline(article.text, span.start, span.end)
                found.append(Candidate(article, span.start, span.end, position, words,
                                       opening.end() if opening else -1))
    return found


def quotation(text: str) -> set[tuple[str, ...]]:
    """The word trigrams (lowercased) of what ``text`` quotes (inside quotation marks)."""
    words = [w.lower() for m in _QUOTED.finditer(text) for w in _TOKEN.findall(m.group())]
    return {tuple(words[k:k + 3]) for k in range(len(words) - 2)}


def same_quotation(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> bool:
    """Whether two sentences carry the same quotation (``quotation``'s trigrams):
    at least half the trigrams of the shorter one are in the other. However
    each outlet frames it ("..., she said" / "..., Marković told reporters"), it
    is one statement."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return bool(shorter) and 2 * len(shorter & longer) >= len(shorter)


def concepts(text: str) -> set[tuple[str, str]]:
    """The bigrams of stemmed words of ``text``, except those of two stop words."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    stems = [stem(w) for w in words]
    return {(stems[k], stems[k + 1]) for k in range(len(words) - 1)
            if not (words[k] in STOP_WORDS and words[k + 1] in STOP_WORDS)}


def summarize(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
              max_words: int | None = None,
              vectors: Mapping[tuple[str, int], np.ndarray] | None = None) -> list[BriefSentence]:
    """The brief of one story (``settings.brief_words`` words by default).
    ``vectors`` may give the sentences' encoder vectors (``align.story_vectors``)."""
    budget = max_words or settings.brief_words
    items = candidates(articles, settings)
    if not items:
        return []
    group_of = {aid: n for n, group in enumerate(independent_groups(articles)) for aid in group}
    known = align.stack([(c.article.id, c.start) for c in items], vectors)
    aligned = align.Alignment([c.text for c in items], [c.article.language for c in items], settings, known)
    matrix = aligned.matrix
    sim = aligned.similarity()
    article_index = np.array([group_of[c.article.id] for c in items])
    groups = sorted(set(article_index.tolist()))
    # The story's centroid, each independent source weighing the same.
    topical = np.zeros(len(items))
    if matrix is not None:
        centroid = np.asarray(sum(matrix[article_index == g].mean(axis=0) for g in groups)).ravel()
        norm = np.linalg.norm(centroid)
        topical = np.asarray(matrix @ (centroid / norm)).ravel() if norm else topical

    # For each sentence: its best match in every other independent source.
    best_in = np.zeros((len(items), len(groups)))
    for g, group in enumerate(groups):
        mask = article_index == group
        best_in[:, g] = np.where(mask, 0.0, sim[:, mask].max(axis=1)) if mask.any() else 0.0
    support = (best_in >= settings.brief_support_similarity).sum(axis=1) + 1
    centrality = best_in.sum(axis=1) / max(1, len(groups) - 1)
    position = np.array([1.0 / (1.0 + settings.brief_position_decay * c.position) for c in items])
    # A sentence that leans on an earlier one ("He said ...") reads badly out of place.
    standalone = np.array([settings.brief_dangling_penalty if _DANGLING.search(c.text) else 1.0 for c in items])
    score = (centrality + settings.brief_support_weight * (support - 1) / max(1, len(groups))
             + settings.brief_centroid_weight * topical) * position * standalone
    score += 1e-9 * position  # ties: the earlier sentence

    # Concepts shared by independent sources, each weighing the number of sources using it.
    found = [concepts(c.text) for c in items]
    sources: dict[tuple[str, str], set[int]] = {}
    for i, bigrams in enumerate(found):
        for b in bigrams:
            sources.setdefault(b, set()).add(int(article_index[i]))
    shared = 2 if len(groups) > 1 else 1
    weight = {b: len(s) for b, s in sources.items() if len(s) >= shared}
    value = np.maximum(score, 1e-6)
    cost = np.array([c.words for c in items], dtype=float) ** settings.brief_length_exponent
    quoted = [quotation(c.text) for c in items]
    chosen: list[int] = []
    covered: set[tuple[str, str]] = set()
    words = 0
    while words < budget:
        best, pick = -np.inf, -1
        for i in range(len(items)):
            if i in chosen or (chosen and words + items[i].words > budget * 1.2):
                continue
            if any(sim[i, j] >= settings.brief_redundancy or same_quotation(quoted[i], quoted[j]) for j in chosen):
                continue
            gain = sum(weight.get(b, 0) for b in found[i] - covered) * value[i] / cost[i]
            if gain > best:
                best, pick = gain, i
        if pick < 0:
            break
        chosen.append(pick)
        covered |= found[pick]
        words += items[pick].words
    chosen.sort(key=lambda i: (items[i].position, -score[i]))

    brief = []
    for i in chosen:
        c = items[i]
        start = c.start if c.shown < 0 else c.shown
        citations = [Citation(c.article.id, start, c.end)]
        for g, group in enumerate(groups):
            if group == article_index[i] or best_in[i, g] < settings.brief_support_similarity:
                continue
            members = [j for j in range(len(items)) if article_index[j] == group]
            j = max(members, key=lambda j: sim[i, j])
            citations.append(Citation(items[j].article.id, items[j].start, items[j].end))
        brief.append(BriefSentence(text=c.article.text[start:c.end], citations=citations))
    return brief
