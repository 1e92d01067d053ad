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
it), until the word budget is reached. A quotation read out of context with
no one named as its speaker in the sentence (nothing outside the quotation,
or only ", she said") never enters the brief: its text is an article's exact
words, so the speaker cannot be added. A sentence's leading dateline
("WASHINGTON (AP) —", "(CNN) —") is left out of the brief. Each brief sentence cites
its own span and the closest sentence of every other independent source that
supports it (``supporters``): close in meaning, with no figure clashing with
the brief sentence's (``figures.py``: 27 people for 23 people, not 340 for
"more than 300"), and, when the brief sentence rests on a quotation, carrying
that quotation (its words, an excerpt, or a translation or other rendering of it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import align, embeddings
from .copies import independent_groups
from .figures import clash, sentence_figures
from .model import Article, BriefSentence, Citation
from .sentences import sentence_spans
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import STOP_WORDS, dateline, stem, word_count

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_DANGLING = re.compile(r"^(?:He|She|They|It|This|That|These|Those|But|And|Also|However)\b"
                       r"|[,.]?[”\"]?,? (?:he|she|they) (?:said|added|says|told)\b")
# Quotation marks: straight, curly, German („…“), guillemets, CJK corner brackets, and '' closing.
_MARK = re.compile(r"''|[\"“”„«»「」]")
# Who says it, when the sentence does not name them: a pronoun ("she said", "sagte sie", "dijo ella").
_PRONOUNS = frozenset("he she they it we i er sie es wir ich él ella ellos ellas il elle ils elles nous je".split())


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
            words = word_count(span.of(article.text))
            if settings.brief_min_words <= words <= settings.brief_max_words:
                opening = dateline(article.text, span.start, span.end)
                found.append(Candidate(article, span.start, span.end, position, words,
                                       opening.end() if opening else -1))
    return found


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` quotes someone, quotation marks included. A mark opens
    a quotation when it starts a word (after a space or at the start), else
    it closes one ("…'' said X" too). A quotation left open runs to the end of
    the sentence (it goes on in the next one); a mark closing a quotation
    opened in an earlier sentence runs from the sentence's start."""
    spans: list[tuple[int, int]] = []
    opened = -1
    for m in _MARK.finditer(text):
        k, mark = m.start(), m.group()
        starts_word = (k == 0 or text[k - 1].isspace() or text[k - 1] in "([—-") and \
            m.end() < len(text) and not text[m.end()].isspace()
        if mark in "„«「" or (mark in "\"“" and starts_word):
            if opened < 0:
                opened = k
        elif opened >= 0:
            spans.append((opened, m.end()))
            opened = -1
        elif not spans:
            spans.append((0, m.end()))
    if opened >= 0 and _TOKEN.search(text, opened):
        spans.append((opened, len(text)))
    return spans


def quoted(text: str) -> list[str]:
    """The quotations of ``text``, without their marks."""
    return [text[a:b].strip("\"'“”„«»「」 ") for a, b in quote_spans(text)]


def quotation(text: str) -> set[tuple[str, ...]]:
    """The word trigrams (lowercased) of what ``text`` quotes (inside quotation marks)."""
    found = set()
    for part in quoted(text):
        words = [w.lower() for w in _TOKEN.findall(part)]
        found |= {tuple(words[k:k + 3]) for k in range(len(words) - 2)}
    return found


def rests_on_quotation(text: str) -> bool:
    """Whether what ``text`` reports is a quotation: it quotes a clause (four
    words or more), not just a term in quotation marks."""
    return any(len(_TOKEN.findall(part)) >= 4 for part in quoted(text))


def speakerless(text: str) -> bool:
    """A quotation read out of context with no one named as its speaker: more
    than half the sentence's words are quoted, and outside the quotation there
    is nothing ("We will ...") or a pronoun and no name (", she said.")."""
    spans = quote_spans(text)
    inside = sum(len(_TOKEN.findall(text[a:b])) for a, b in spans)
    if not spans or 2 * inside <= len(_TOKEN.findall(text)):
        return False
    outside, last = [], 0
    for a, b in spans:
        outside += _TOKEN.findall(text[last:a])
        last = max(last, b)
    outside += _TOKEN.findall(text[last:])
    if not outside:
        return True
    named = [w for w in outside if w[0].isupper() and w.lower() not in _PRONOUNS]
    return not named and any(w.lower() in _PRONOUNS for w in outside)


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
              vectors: Mapping[tuple[str, int], np.ndarray] | None = None,
              cache: embeddings.VectorCache | None = None) -> list[BriefSentence]:
    """The brief of one story (``settings.brief_words`` words by default).
    ``vectors`` may give the sentences' encoder vectors (``align.story_vectors``);
    ``cache`` (a store's) keeps the vectors of the quotations compared for support."""
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
    trigrams = [quotation(c.text) for c in items]
    chosen: list[int] = []
    covered: set[tuple[str, str]] = set()
    words = 0
    while words < budget:
        best, pick = -np.inf, -1
        for i in range(len(items)):
            if i in chosen or (chosen and words + items[i].words > budget * 1.2):
                continue
            if any(sim[i, j] >= settings.brief_redundancy or same_quotation(trigrams[i], trigrams[j]) for j in chosen):
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
        quoting = rests_on_quotation(c.text)  # then its quotation, however framed, is what may back it
        close = [j for j in range(len(items)) if article_index[j] != article_index[i]
                 and (sim[i, j] >= settings.brief_support_similarity
                      or (quoting and same_quotation(trigrams[i], trigrams[j])))]
        backing = supporters(i, close, items, trigrams, settings, known is not None, cache)
        for group in groups:
            members = [j for j in backing if article_index[j] == group]
            if members:
                j = max(members, key=lambda j: sim[i, j])
                citations.append(Citation(items[j].article.id, items[j].start, items[j].end))
        brief.append(BriefSentence(text=c.article.text[start:c.end], citations=citations))
    return brief


def supporters(i: int, close: Sequence[int], items: Sequence[Candidate], trigrams: Sequence[set],
               settings: Settings = DEFAULT_SETTINGS, encoder: bool = False,
               cache: embeddings.VectorCache | None = None) -> list[int]:
    """Which of the sentences ``close`` to sentence ``i`` (by meaning, or
    carrying the same quotation) say the same thing, so that they can be cited for it. Never one whose figures
    clash with ``i``'s (27 people for 23 people). When ``i`` rests on a
    quotation, only a sentence carrying that quotation: the same quoted words
    (half the trigrams of the shorter quotation, an excerpt included), or a
    rendering of it (another translation or wording: the quotations alone
    aligned at ``brief_support_similarity``, by the encoder when the story
    uses it, else by their words)."""
    counts = sentence_figures(items[i].text)
    kept = [j for j in close if not clash(counts, sentence_figures(items[j].text), loose=True)]
    if not rests_on_quotation(items[i].text):
        return kept
    found, unsure = [], []
    for j in kept:
        if same_quotation(trigrams[i], trigrams[j]):
            found.append(j)
        elif quoted(items[j].text):
            unsure.append(j)
    if unsure:
        own = [q for q in quoted(items[i].text) if len(_TOKEN.findall(q)) >= 4]
        theirs = [(j, q) for j in unsure for q in quoted(items[j].text) if _TOKEN.findall(q)]
        texts = own + [q for _, q in theirs]
        languages = [items[i].article.language] * len(own) + [items[j].article.language for j, _ in theirs]
        vectors = align.sentence_vectors(texts, settings, cache) if encoder else None
        close_enough = align.Alignment(texts, languages, settings, vectors).similarity()
        for k, (j, _) in enumerate(theirs):
            if j not in found and close_enough[:len(own), len(own) + k].max() >= settings.brief_support_similarity:
                found.append(j)
    return found
