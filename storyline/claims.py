"""Claims: what the sources state, which of it several independent sources
back, what only one has, and where they disagree.

Each sentence of an article is a candidate statement. Statements of
different articles are aligned when the alignment model (``align.py``: words
and the multilingual encoder, fitted on MSRP) says they say the same thing,
when nearly all content words of the shorter are in the longer (one fact
told inside a longer sentence), or when both give the same figure about the
same thing; aligned statements form one claim. A claim is ``corroborated``
when two or more independent sources (copies count once) make it,
``unique`` when one does, and ``conflicting`` when its statements give
figures for one measure that cannot both hold (``figures.py``). A
statement that comes close to one of another source without being aligned
lists that claim as ``related``, and is never reported as "only X reports".
Quotes of one statement worded differently by different sources (in one
language: a translation is not another wording) are ``wording`` conflicts;
one wording attributed to different speakers, ``attribution``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import align
from .copies import independent_groups
from .disjoint import DisjointSets
from .figures import Figure, counted_once, same_measure, sentence_figures, shared_measures
from .labels import source_name
from .metadata import base_language
from .model import Article, BriefSentence, Citation, Claim, Conflict, ConflictValue, Evidence, Quote
from .paraphrase import numbers
from .sentences import sentence_spans
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import content_stems, named_things, word_count


@dataclass
class Statement:
    article: Article
    start: int
    end: int
    group: int  # independent source

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


def statements(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS) -> list[Statement]:
    group_of = {aid: n for n, group in enumerate(independent_groups(articles)) for aid in group}
    found = []
    for article in articles:
        for span in sentence_spans(article.text, article.language)[: settings.claim_sentences_per_article]:
            if word_count(span.of(article.text)) >= settings.claim_min_words:
                found.append(Statement(article, span.start, span.end, group_of[article.id]))
    return found


def _contained(a: str, b: str, settings: Settings) -> bool:
    """Nearly all content words of the shorter statement are in the longer (a
    fact reported inside a longer sentence)."""
    sa, sb = set(content_stems(a)), set(content_stems(b))
    shared = len(sa & sb)
    return shared >= settings.claim_min_shared and shared / max(1, min(len(sa), len(sb))) >= settings.claim_containment


def _same_figure(a: str, b: str) -> bool:
    """Both give the same figure that counts something (two digits or more, not
    a year or a day) and share a name or another content word: the figure pins
    the fact down whatever the words around it."""
    shared = {f for f in figures(a) & figures(b) if sum(ch.isdigit() for ch in f) >= 2}
    if not shared:
        return False
    words = (set(content_stems(a)) & set(content_stems(b))) - shared
    return bool(words or set(named_things(a)) & set(named_things(b)))


def same_fact(a: str, b: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """The rules that align two statements whatever the model says: the
    shorter's content words nearly all in the longer, or the same figure about
    the same thing."""
    return _contained(a, b, settings) or _same_figure(a, b)


def _year_free(values: set[str]) -> set[str]:
    return {v for v in values if not (len(v) == 4 and v[:2] in ("19", "20"))}


_DATE_NUMBER = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?)\b")


def figures(text: str) -> set[str]:
    """The numbers of a text that count something: not years, not days of a date."""
    return _year_free(numbers(_DATE_NUMBER.sub(" ", text))) - {""}


def _one_value_fits(given: Sequence[list[Figure]]) -> bool:
    """Whether one value fits a figure of every list: ranges that meet meet at
    the lowest value of one of them, so trying those is enough."""
    return any(all(any(g.low <= f.low <= g.high for g in group) for group in given)
               for group in given for f in group)


def figure_disagreements(texts: Sequence[tuple[str, str, int]]) -> list[list[ConflictValue]]:
    """Where sentences of one claim (``(article_id, text, independent source)``)
    give different figures for one measure: for each such measure, its values
    (as first written, bounds included: "more than 300") with the articles
    that give them. Figures of two sentences count the same thing by
    ``same_measure`` (loosely: the sentences are aligned). A measure is
    disputed when no one value fits a figure of every independent source that
    gives it one ("more than 300" and "340" agree; "300" and "340" do not)."""
    per_sentence = [sentence_figures(text) for _, text, _ in texts]
    found = [(n, f) for n, given in enumerate(per_sentence) for f in given]
    sets = DisjointSets(range(len(found)))
    for x, (n, f) in enumerate(found):
        for y in range(x + 1, len(found)):
            m, g = found[y]
            if texts[n][0] != texts[m][0] and same_measure(
                    f, g, counted_once(f, per_sentence[n]) and counted_once(g, per_sentence[m])):
                sets.union(x, y)
    out = []
    for members in sorted(sets.groups(), key=min):
        by_group: dict[int, list[Figure]] = {}
        for x in members:
            n, f = found[x]
            by_group.setdefault(texts[n][2], []).append(f)
        if len(by_group) < 2 or _one_value_fits(list(by_group.values())):
            continue
        shown: dict[tuple[float, float], tuple[str, set[str]]] = {}
        for x in sorted(members):
            n, f = found[x]
            shown.setdefault((f.low, f.high), (f.shown, set()))[1].add(texts[n][0])
        out.append([ConflictValue(value=text, article_ids=sorted(ids))
                    for _, (text, ids) in sorted(shown.items())])
    return out


def _number_conflict(members: list[Statement]) -> Conflict | None:
    """Different figures for one measure of a claim, from different independent sources."""
    disputed = figure_disagreements([(s.article.id, s.text, s.group) for s in members])
    if not disputed:
        return None
    return Conflict(kind="number", values=[v for values in disputed for v in values])


def _claim_id(story_id: str, first: Statement) -> str:
    return "c-" + hashlib.sha1(f"{story_id}|{first.article.id}|{first.start}".encode()).hexdigest()[:10]


def _likely_translations(aligned: align.Alignment, groups: Sequence[int], settings: Settings) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of statements of other sources and other
    languages whose encoder cosine reaches ``claim_related_cosine``: across
    languages the alignment model cannot tell the same fact from the same
    story, so such a statement has a likely counterpart; it is "related",
    never "only X reports" (measured by benchmarks/bench_crosslang.py)."""
    if aligned.vectors is None:
        return []
    languages = np.array([base_language(x) for x in aligned.languages], dtype=object)
    group = np.asarray(groups)
    close = np.nan_to_num(aligned.cosine, nan=-np.inf) >= settings.claim_related_cosine
    close &= (languages[:, None] != languages[None, :]) & (group[:, None] != group[None, :])
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(close, 1)))]


def find_claims(story_id: str, articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
                vectors: Mapping[tuple[str, int], np.ndarray] | None = None) -> list[Claim]:
    """The claims of one story, corroborated and conflicting first. ``vectors``
    may give the sentences' encoder vectors (``align.story_vectors``)."""
    items = statements(articles, settings)
    if not items:
        return []
    known = align.stack([(s.article.id, s.start) for s in items], vectors)
    aligned = align.Alignment([s.text for s in items], [s.article.language for s in items], settings, known)
    similarity = aligned.similarity()
    sets = DisjointSets(range(len(items)))
    keys = [s.article.id for s in items]
    near: dict[int, set[int]] = {}  # statements that come close to one of another source

    # Align each statement with its closest match in every other article; a copy's
    # statements join the original's claim but never add a source.
    candidates = []
    for i, s in enumerate(items):
        for j in aligned.nearest(i, keys, similarity, settings.claim_candidate_cosine).values():
            if same_fact(s.text, items[j].text, settings):
                sets.union(i, j)
            else:
                candidates.append((i, j))
    counts = [sentence_figures(s.text) for s in items]
    # the alignment model (words, and the encoder's vectors if any), in one batch
    for (i, j), p in zip(candidates, aligned.probabilities(candidates)):
        if p >= settings.claim_same_probability:
            sets.union(i, j)
        elif items[i].group != items[j].group and shared_measures(counts[i], counts[j]):
            # the same measure of the same event ("injuring 23 people", "27 people
            # were injured"): one fact, whatever the figures; a clash is a conflict
            sets.union(i, j)
        elif items[i].group != items[j].group and p >= settings.claim_related_probability:
            near.setdefault(i, set()).add(j)
            near.setdefault(j, set()).add(i)

    # across languages the closest by words is often not the closest in meaning:
    # look at every statement of another language and another source
    for i, j in _likely_translations(aligned, [s.group for s in items], settings):
        near.setdefault(i, set()).add(j)
        near.setdefault(j, set()).add(i)
    claims = []
    claim_of: dict[int, int] = {}
    for members_idx in sets.groups():
        members = [items[i] for i in members_idx]
        groups = {s.group for s in members}
        # the statement most like the others speaks for the claim
        centre = max(members_idx, key=lambda i: (similarity[i, members_idx].sum(), -i))
        conflict = _number_conflict(members)
        status = "conflicting" if conflict else ("corroborated" if len(groups) >= 2 else "unique")
        evidence = [Evidence(s.article.id, s.start, s.end, s.text)
                    for s in sorted(members, key=lambda s: (s.article.id, s.start))]
        for i in members_idx:
            claim_of[i] = len(claims)
        claims.append(Claim(id=_claim_id(story_id, members[0]), text=items[centre].text, status=status,
                            independent_sources=len(groups), evidence=evidence, conflict=conflict))
    for i, others in near.items():
        claim = claims[claim_of[i]]
        claim.related = sorted({claims[claim_of[j]].id for j in others} - {claim.id} | set(claim.related))
    order = {"conflicting": 0, "corroborated": 1, "unique": 2}
    claims.sort(key=lambda c: (order[c.status], -c.independent_sources, c.id))
    return claims


_ELLIPSIS = re.compile(r"\.\.\.+|…")


def _words(text: str) -> str:
    """Lower-case words joined by single spaces: punctuation and quote marks do not make a wording."""
    return " ".join(re.findall(r"\w+", text.lower()))


def excerpt_of(part: str, whole: str) -> bool:
    """Whether ``part`` is ``whole`` shortened: its words (each piece between
    ellipses) appear in ``whole`` in order, as contiguous runs."""
    target, at = _words(whole), 0
    pieces = [p for p in (_words(piece) for piece in _ELLIPSIS.split(part)) if p]
    for piece in pieces:
        found = f" {target} ".find(f" {piece} ", at)
        if found < 0:
            return False
        at = found + len(piece)
    return bool(pieces)


def wordings(quotes: Sequence[Quote]) -> dict[str, list[str]]:
    """The real wordings of one statement in one language, each once with the
    articles that give it: a quote that is an excerpt of a longer rendering
    supports that rendering and is no wording of its own; one that fits several
    wordings (the part they share) supports the statement, not one side of
    their difference, and is listed under none."""
    words = [_words(q.text) for q in quotes]
    full = [n for n, q in enumerate(quotes)
            if not any(words[m] != words[n] and excerpt_of(q.text, other.text) for m, other in enumerate(quotes))]
    found: dict[str, tuple[str, list[str]]] = {}
    for n in full:
        found.setdefault(words[n], (quotes[n].text, []))[1].append(quotes[n].article_id)
    for n, q in enumerate(quotes):
        if n not in full:
            fits = [ids for text, ids in found.values() if excerpt_of(q.text, text)]
            if len(fits) == 1:  # an excerpt that fits several wordings takes no side
                fits[0].append(q.article_id)
    return {text: ids for text, ids in found.values()}


def quote_conflicts(story_id: str, articles: Sequence[Article], quotes: Sequence[Quote]) -> list[Claim]:
    """A statement quoted in different words, or given to different speakers,
    by different independent sources."""
    group_of = {aid: n for n, group in enumerate(independent_groups(articles)) for aid in group}
    language = {a.id: base_language(a.language) for a in articles}

    def by_language(members: list[Quote]) -> dict[str | None, list[Quote]]:
        found: dict[str | None, list[Quote]] = {}
        for q in members:
            found.setdefault(language.get(q.article_id), []).append(q)
        return found

    by_group: dict[str, list[Quote]] = {}
    for quote in quotes:
        if quote.group:
            by_group.setdefault(quote.group, []).append(quote)
    claims = []
    for group_id, members in sorted(by_group.items()):
        sources = {group_of[q.article_id] for q in members}
        if len(sources) < 2:
            continue
        speakers = {q.speaker for q in members if q.speaker}
        values: dict[str, list[str]] = {}
        if len(speakers) > 1:
            kind = "attribution"
            for q in members:
                values.setdefault(q.speaker_name or "unknown", []).append(q.article_id)
        else:
            # a translation is not another wording: compare quotes in one language
            kind = "wording"
            for same in by_language(members).values():
                found = wordings(same)
                if len(found) > 1:
                    values.update(found)
            if not values:
                continue
        first = min(members, key=lambda q: (q.article_id, q.start))
        digest = hashlib.sha1(f"{story_id}|{group_id}".encode()).hexdigest()[:10]
        speaker = next((q.speaker_name for q in members if q.speaker_name), None)
        claims.append(Claim(
            id=f"c-{digest}", text=f"{speaker or 'A speaker'}: “{first.text}”", status="conflicting",
            independent_sources=len(sources),
            evidence=[Evidence(q.article_id, q.start, q.end, q.text) for q in members],
            conflict=Conflict(kind=kind, values=[ConflictValue(v, sorted(set(ids))) for v, ids in values.items()])))
    return claims


_SEVERITY = {"attribution": 0, "number": 1, "date": 2, "other": 3, "wording": 4}


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.article_id == b.article_id and a.start < b.end and b.start < a.end


def one_row_per_statement(quoted: Sequence[Claim], stated: Sequence[Claim],
                          articles: Sequence[Article]) -> list[Claim]:
    """The claims of a story, one per statement: a quote conflict
    (``quote_conflicts``) absorbs the sentence claims (``find_claims``) whose
    sentences hold its quotes, so a statement is one row with every source that
    gives it. A wording difference alone does not make the row ``conflicting``
    (the sources agree on the statement and quote it in other words, often
    other translations): the row keeps ``corroborated`` and carries the
    ``wording`` conflict; different figures or speakers make it ``conflicting``."""
    group_of = {aid: n for n, group in enumerate(independent_groups(articles)) for aid in group}
    taken: set[int] = set()
    rows: list[Claim] = []
    renamed: dict[str, str] = {}
    for quote_claim in quoted:
        absorbed = [n for n, claim in enumerate(stated) if n not in taken and any(
            _overlaps(e, q) for e in claim.evidence for q in quote_claim.evidence)]
        taken.update(absorbed)
        parts = [stated[n] for n in absorbed]
        sentences = [e for claim in parts for e in claim.evidence]
        evidence = {(e.article_id, e.start, e.end): e for e in sentences}
        for q in quote_claim.evidence:  # a quote outside every absorbed sentence is evidence of its own
            if not any(_overlaps(q, e) for e in sentences):
                evidence.setdefault((q.article_id, q.start, q.end), q)
        conflict = min([quote_claim.conflict] + [c.conflict for c in parts if c.conflict],
                       key=lambda c: _SEVERITY.get(c.kind, 3))
        sources = len({group_of[aid] for aid, _, _ in evidence if aid in group_of})
        status = ("conflicting" if conflict.kind != "wording"
                  else "corroborated" if sources >= 2 else "unique")
        main = max(parts, key=lambda c: (c.independent_sources, len(c.evidence)), default=None)
        row = replace(quote_claim, id=main.id if main else quote_claim.id, text=main.text if main else quote_claim.text,
                      status=status, independent_sources=sources, conflict=conflict,
                      evidence=[evidence[k] for k in sorted(evidence)],
                      related=sorted({r for c in parts for r in c.related}))
        for old in [quote_claim.id] + [c.id for c in parts]:
            renamed[old] = row.id
        rows.append(row)
    rows += [claim for n, claim in enumerate(stated) if n not in taken]
    for n, row in enumerate(rows):
        related = sorted({renamed.get(r, r) for r in row.related} - {row.id})
        if related != row.related:
            rows[n] = replace(row, related=related)
    order = {"conflicting": 0, "corroborated": 1, "unique": 2}
    return sorted(rows, key=lambda c: (order[c.status], -c.independent_sources, c.id))


def _names(ids: Sequence[str], by_id: Mapping[str, Article]) -> str:
    return ", ".join(source_name(by_id[a]) for a in ids if a in by_id)


def _original_first(evidence: Sequence[Evidence], by_id: Mapping[str, Article]) -> list[Evidence]:
    """A one-source claim's evidence with the original first: an article that
    copies another of the evidence comes after it."""
    ids = {e.article_id for e in evidence}

    def copied(e: Evidence) -> bool:
        article = by_id.get(e.article_id)
        return bool(article and article.copy_of and article.copy_of.article_id in ids)

    return sorted(evidence, key=copied)


def differences(claims: Sequence[Claim], articles: Sequence[Article], limit: int = 8) -> list[BriefSentence]:
    """What only one source reports, and where sources disagree, each cited.
    Differing figures are listed one measure at a time; a fact only an
    original and its copies give is the original's, with its copies named."""
    by_id = {a.id: a for a in articles}
    group_of = {aid: n for n, group in enumerate(independent_groups(articles)) for aid in group}
    out: list[BriefSentence] = []
    for claim in claims:
        if claim.conflict is None:
            continue
        quote = "“{}”" if claim.conflict.kind == "wording" else "{}"
        label = {"number": "figures", "wording": "the wording of a quote", "attribution": "who said it"}.get(
            claim.conflict.kind, claim.conflict.kind)
        lists = [claim.conflict.values]
        if claim.conflict.kind == "number":
            lists = figure_disagreements([(e.article_id, e.text, group_of.get(e.article_id, -1))
                                          for e in claim.evidence]) or lists
        for values in lists:
            ids = {a for v in values for a in v.article_ids}
            parts = [quote.format(v.value) + f" ({_names(v.article_ids, by_id)})" for v in values]
            cited = [e for e in claim.evidence if e.article_id in ids] or claim.evidence
            out.append(BriefSentence(text=f"Sources differ on {label}: " + " vs. ".join(parts),
                                     citations=[Citation(e.article_id, e.start, e.end) for e in cited]))

    def informative(claim: Claim) -> tuple:
        text = claim.text
        return (bool(figures(text)), len(named_things(text)), len(text))

    # "Only X reports" only when nothing another source says comes close to it, and
    # only where there is another independent source that could have said it
    unique = [c for c in claims if c.status == "unique" and c.evidence and not c.related
              and not c.text.lstrip().startswith(("“", '"'))] if len(independent_groups(articles)) > 1 else []
    for claim in sorted(unique, key=informative, reverse=True)[: max(0, limit - len(out))]:
        evidence = _original_first(claim.evidence, by_id)
        first = evidence[0]
        copies = sorted({e.article_id for e in evidence} - {first.article_id},
                        key=lambda a: [e.article_id for e in evidence].index(a))
        who = source_name(by_id[first.article_id])
        if copies:
            who += f" (repeated by {_names(copies, by_id)})"
        out.append(BriefSentence(text=f"Only {who} reports: {first.text}",
                                 citations=[Citation(e.article_id, e.start, e.end) for e in evidence]))
    return out
