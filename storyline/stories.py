"""Stories: group articles that report the same event.

Articles become TF-IDF vectors of content-word stems and named things
(``textfeatures.story_terms``). Each article is linked to its few nearest
neighbours (cosine similarity, weakened when their dates are far apart) when
the link is not much weaker than either article's best link, and
the communities of that sparse graph are the stories: Leiden with the
Constant Potts Model (leidenalg), which keeps a group together when its
links are denser than ``story_density``. Unlike modularity, that criterion is
local: unrelated articles elsewhere in the corpus do not change a story.
The neighbour graph keeps the method local: two reports of one event link
through each other even when they share few words, while two events of the
same kind (another storm, another boxing match) stay apart because their
articles' nearest neighbours are their own.

Across languages words rarely meet, so there the multilingual sentence
encoder's vectors of each article's title and lead find candidates and,
put on the term-cosine scale, can stand in for the words (``article_similarity``).
Within one language the words decide: the encoder finds events of the same
kind close in meaning, which words and names keep apart (BENCHMARKS.md).
Time does not decay every pair by its gap: articles up to ``story_same_days``
apart link at full strength, so coverage that goes on for weeks stays one
story through its articles from day to day, and a link fades soon beyond.

Candidate search is sub-quadratic: only the strongest terms of each article
are compared, terms that are strong in too many articles are ignored,
articles too far apart in time to link (``reach_days``) are not candidates,
and the best candidates are re-scored exactly.

Incremental: stored articles dated well before the newest ones and far
from every newcomer's date (``Horizon``) are settled:
their stories are fixed communities that new articles may join. The rest are
regrouped with the newcomers, and each regrouped story keeps the id most of
its articles had, so ids survive as long as a story keeps its articles. Story ids come from the earliest
member, so they are deterministic and never change while a story keeps its
articles.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import igraph as ig
import leidenalg as la
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from . import embeddings
from .copies import independent_groups
from .model import Article, Story
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import dateline, story_terms


def story_id_for(key: str) -> str:
    """A story id derived from its first article's id: deterministic across runs."""
    return "s-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def arrival_key(article: Article) -> tuple[str, str]:
    """Earliest first: by date (unknown dates last), then by id."""
    return (article.date or "9999-99-99", article.id)


def article_terms(article: Article) -> list[str]:
    """The terms an article's story vector is made of (its title and text)."""
    return story_terms(f"{article.title or ''}.\n{article.text}")


def vectorize(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
              known: Mapping[str, list[str]] | None = None) -> sparse.csr_matrix:
    """Unit-length TF-IDF vectors of each article's title and text. ``known``
    may hold the terms of some articles already (a store keeps them)."""
    known = known or {}
    terms = (known[a.id] if a.id in known else article_terms(a) for a in articles)  # read once, never all held
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(terms)
    weights = np.array([settings.story_name_weight if t[:2] in ("N:", "Y:") else 1.0
                        for t in vectorizer.get_feature_names_out()], dtype=np.float32)
    matrix = matrix.tocsr()
    matrix.data *= weights[matrix.indices]  # in place: a copy of 100,000 articles' vectors is big
    return normalize(matrix, copy=False)


def vector_texts(article: Article, settings: Settings = DEFAULT_SETTINGS) -> list[str]:
    """What an article's dense vector is made of: its title and lead, cut at
    each length of ``encoder_leads`` (the short cut weighs the opening more)."""
    text = f"{article.title}.\n{article.text}" if article.title else article.text
    return [text[:n] for n in settings.encoder_leads]


def article_vectors(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
                    known: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Unit vectors of each article's title and lead from the multilingual
    encoder (the normalised sum of the vectors of its ``vector_texts``), ``{}``
    when the encoder is off or not installed. ``known`` may hold some
    articles' vectors already (a store keeps them)."""
    if not settings.encoder or not embeddings.available():
        return {}
    known = known or {}
    missing = [a for a in articles if a.id not in known]
    cuts = len(settings.encoder_leads)
    flat = embeddings.embed([t for a in missing for t in vector_texts(a, settings)])
    summed = flat.reshape(len(missing), cuts, embeddings.DIM).sum(axis=1)
    summed /= np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
    fresh = dict(zip((a.id for a in missing), summed))
    return {a.id: known[a.id] if a.id in known else fresh[a.id] for a in articles}


def meaning_similarity(cosine: np.ndarray | float, settings: Settings = DEFAULT_SETTINGS) -> np.ndarray | float:
    """The encoder's cosine of two articles on the scale of the term cosine:
    ``story_encoder_floor`` (what unrelated articles reach) becomes 0, 1 stays 1."""
    floor = settings.story_encoder_floor
    return (cosine - floor) / (1.0 - floor)


def article_similarity(term_cosine, cosine, settings: Settings = DEFAULT_SETTINGS):
    """How close two articles in different languages are: the larger of their
    words' cosine (names and numbers cross languages) and their meaning's."""
    return np.maximum(term_cosine, meaning_similarity(cosine, settings))


def _cross_language_candidates(dense: np.ndarray, languages: Sequence[str | None], rows: Sequence[int],
                               count: int) -> dict[int, np.ndarray]:
    """For each row, the ``count`` articles in another (known) language whose
    vectors are closest: the only candidates that words cannot find."""
    codes = {lang: n for n, lang in enumerate(sorted({x for x in languages if x}))}
    lang = np.array([codes.get(x, -1) for x in languages])
    found: dict[int, np.ndarray] = {}
    rows = [i for i in rows if lang[i] >= 0]
    for start in range(0, len(rows), 256):
        block = rows[start:start + 256]
        sims = dense[block] @ dense.T
        for r, i in enumerate(block):
            other = (lang != lang[i]) & (lang >= 0)
            score = np.where(other, sims[r], -np.inf)
            k = min(count, int(other.sum()))
            if k:
                top = np.argpartition(-score, k - 1)[:k]
                found[i] = top[np.isfinite(score[top])]
    return found


def _top_terms(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep each row's ``k`` largest entries."""
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        data, idx = matrix.data[start:end], matrix.indices[start:end]
        if len(data) > k:
            keep = np.argpartition(-data, k)[:k]
            data, idx = data[keep], idx[keep]
        rows.extend([i] * len(data))
        cols.extend(idx.tolist())
        vals.extend(data.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=matrix.shape, dtype=np.float32)


@lru_cache(maxsize=65_536)
def day_number(date: str | None) -> int | None:
    """The proleptic ordinal of an ISO date ("2024-03-29"); ``None`` for no date or another form."""
    try:
        return dt.date.fromisoformat(date).toordinal() if date else None
    except ValueError:
        return None


def neighbours(
    matrix: sparse.csr_matrix, dates: Sequence[str | None], rows: Sequence[int] | None = None,
    settings: Settings = DEFAULT_SETTINGS, dense: np.ndarray | None = None,
    languages: Sequence[str | None] | None = None,
    candidates: Mapping[int, np.ndarray] | None = None,
) -> dict[int, list[tuple[int, float]]]:
    """The nearest neighbours of each article in ``rows`` (default: all), best first.

    Similarity is the cosine of the two term vectors. Across languages, where
    words cannot meet, it is the larger of that and the encoder's cosine of
    the two ``dense`` vectors put on the same scale. Either is multiplied by a
    time factor that is 1 for dates within ``story_same_days`` and decays beyond.
    """
    n = matrix.shape[0]
    rows = list(range(n)) if rows is None else list(rows)
    if n <= settings.story_exact_limit:
        top = matrix  # small corpus: compare everything, exactly
    else:
        top = _top_terms(matrix, settings.story_candidate_terms)
        share = np.asarray((top > 0).sum(axis=0)).ravel()
        blocked = share > settings.story_max_term_articles
        if blocked.any():
            top = (top @ sparse.diags((~blocked).astype(np.float32))).tocsr()
            top.eliminate_zeros()
    days = [day_number(d) for d in dates]
    day_of = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
    reach = reach_days(settings)
    across: dict[int, np.ndarray] = {}
    if dense is not None and languages is not None and len({x for x in languages if x}) > 1:
        across = _cross_language_candidates(dense, languages, rows, settings.story_cross_language_candidates)
    result: dict[int, list[tuple[int, float]]] = {}
    chunk = 500
    top_t = top.T.tocsr() if top is not None else None
    column = np.zeros((matrix.shape[1], 1), dtype=matrix.dtype)  # one row at a time, as a dense column
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        approx = (top[block] @ top_t).tocsr() if top is not None else None
        for r, i in enumerate(block):
            if approx is None:
                cand = np.asarray(candidates.get(i, ()), dtype=np.int64)
                cand = cand[cand != i]
            else:
                s, e = approx.indptr[r], approx.indptr[r + 1]
                cand, score = approx.indices[s:e], approx.data[s:e]
                # Articles too far apart in time to link whatever their words take no candidate's place.
                mask = (cand != i) & ~(np.abs(day_of[cand] - day_of[i]) > reach)
                cand, score = cand[mask], score[mask]
                if len(cand) > settings.story_candidates:
                    keep = np.argpartition(-score, settings.story_candidates)[:settings.story_candidates]
                    cand = cand[keep]
            if i in across:
                cand = np.union1d(cand, across[i])
            if not len(cand):
                result[i] = []
                continue
            terms_of = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]
            column[terms_of, 0] = matrix.data[matrix.indptr[i]:matrix.indptr[i + 1]]
            exact = np.asarray(matrix[cand] @ column).ravel()
            column[terms_of, 0] = 0
            if i in across:
                other = np.array([languages[j] is not None and languages[j] != languages[i] for j in cand])
                exact = np.where(other, article_similarity(exact, dense[cand] @ dense[i], settings), exact)
            scored = []
            for j, sim in zip(cand.tolist(), exact.tolist()):
                if days[i] is not None and days[j] is not None:
                    extra = max(0, abs(days[i] - days[j]) - settings.story_same_days)
                    sim /= 1.0 + extra / settings.story_decay_days
                if sim >= settings.story_min_similarity:
                    scored.append((j, sim))
            scored.sort(key=lambda x: (-x[1], x[0]))
            # A neighbour much weaker than the best one is another story's article.
            floor = scored[0][1] * settings.story_relative_cutoff if scored else 0.0
            result[i] = [(j, sim) for j, sim in scored[:settings.story_neighbors] if sim >= floor]
    return result


@dataclass(frozen=True)
class Horizon:
    """Which stored articles are settled (keep their story whatever arrives):
    those dated before ``day`` (``story_settle_days`` before the newest
    article) and more than ``story_settle_days`` from every newcomer (the
    ``spans`` around the newcomers' days). A newcomer's links reach
    ``reach_days``, less than that: an article a one-go run would still link
    to a newcomer, or that a newcomer's neighbours link to, is never settled,
    however long the batch. ``day`` ``None``: no dates, nothing settles."""

    day: int | None
    spans: tuple[tuple[int, int], ...] = ()

    def settles(self, day: int | None) -> bool:
        if self.day is None or day is None or day >= self.day:
            return False
        at = bisect.bisect_right(self.spans, (day, math.inf)) - 1
        return at < 0 or day > self.spans[at][1]


def _horizon(days: Iterable[int | None], settings: Settings,
             newcomers: Iterable[int | None] = ()) -> Horizon:
    """The ``Horizon`` of a store whose articles are dated ``days``, for these
    ``newcomers`` (the days of the articles that have no story yet)."""
    known = [d for d in days if d is not None]
    if not known:
        return Horizon(None)
    spans: list[tuple[int, int]] = []
    for d in sorted({d for d in newcomers if d is not None}):
        low, high = d - settings.story_settle_days, d + settings.story_settle_days
        if spans and low <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    return Horizon(max(known) - settings.story_settle_days, tuple(spans))


def _is_settled(article: Article, horizon: Horizon) -> bool:
    """A stored article (it has a story) that ``horizon`` settles keeps its story whatever arrives."""
    return article.story_id is not None and horizon.settles(day_number(article.date))


def _settled(articles: Sequence[Article], settings: Settings) -> list[bool]:
    """Which stored articles keep their story whatever arrives (time-window
    blocking): see ``Horizon``; the newcomers are the articles without a story."""
    horizon = _horizon((day_number(a.date) for a in articles), settings,
                       (day_number(a.date) for a in articles if a.story_id is None))
    return [_is_settled(a, horizon) for a in articles]


def _name_communities(ordered: Sequence[Article], groups: list[list[int]], fixed: list[bool],
                      reserved: Callable[[str], bool] | None = None) -> list[str]:
    """A story id for each community: a settled story's own; else the id of the
    earlier story that most of its articles had (each id goes to one community
    only, the one holding most of that story); else a new id from its first article.
    ``reserved`` says which other ids belong to settled stories not among ``ordered``
    (a store's, when only a neighbourhood is regrouped): those are taken too."""
    names: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
    reserved = reserved or (lambda _: False)
    for c, members in enumerate(groups):
        settled = {ordered[i].story_id for i in members if fixed[i]}
        if settled:
            names[c] = settled.pop()
            taken.add(names[c])
    votes = []
    for c, members in enumerate(groups):
        if names[c] is None:
            counts: dict[str, int] = defaultdict(int)
            for i in members:
                if ordered[i].story_id:
                    counts[ordered[i].story_id] += 1
            votes += [(-n, old, c) for old, n in counts.items()]
    for _, old, c in sorted(votes):
        if names[c] is None and old not in taken and not reserved(old):
            names[c] = old
            taken.add(old)
    for c, members in enumerate(groups):
        if names[c] is None:
            first = min((ordered[i] for i in members), key=arrival_key)
            name, n = story_id_for(first.id), 1
            while name in taken or reserved(name):  # the first article's id once named a story it left
                n += 1
                name = story_id_for(f"{first.id}#{n}")
            names[c] = name
            taken.add(name)
    return names  # type: ignore[return-value]


def _communities(graph, membership: list[int], fixed: list[bool], settings: Settings,
                 node_sizes: list[int] | None = None) -> list[list[int]]:
    """Leiden (CPM, seeded) from ``membership``, vertices marked ``fixed``
    staying where they are: the vertices of each community, sorted.

    Each connected part of the graph (the fixed vertices of one community
    count as connected) is optimised on its own. CPM never gains by joining
    vertices that no path links, so this is the same optimisation; but a
    part's communities then depend on that part only, never on the rest of
    the corpus, and the parts that settle quickly are not iterated again
    while a big one still moves (on 100,000 articles, most of Leiden's time)."""
    n = graph.vcount()
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    first_of: dict[int, int] = {}
    ties = [(first_of.setdefault(membership[v], v), v) for v in range(n) if fixed[v]]
    pairs = np.concatenate([edges, np.array(ties, dtype=np.int64).reshape(-1, 2)])
    links = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, part_of = connected_components(links, directed=False)
    parts: dict[int, list[int]] = defaultdict(list)
    for vertex, part in enumerate(part_of.tolist()):
        parts[part].append(vertex)
    groups: list[list[int]] = []
    for vertices in parts.values():
        if len(vertices) == 1:
            groups.append(vertices)
            continue
        sub = graph.induced_subgraph(vertices)  # vertices keep their order
        renumber: dict[int, int] = {}
        partition = la.CPMVertexPartition(
            sub, initial_membership=[renumber.setdefault(membership[v], len(renumber)) for v in vertices],
            weights="weight", node_sizes=[node_sizes[v] for v in vertices] if node_sizes else None,
            resolution_parameter=settings.story_density)
        optimiser = la.Optimiser()
        optimiser.set_rng_seed(0)
        optimiser.optimise_partition(partition, n_iterations=-1, is_membership_fixed=[fixed[v] for v in vertices])
        by_community: dict[int, list[int]] = defaultdict(list)
        for k, community in enumerate(partition.membership):
            by_community[community].append(vertices[k])
        groups += by_community.values()
    return sorted(groups)


def cluster_stories(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS,
                    terms: Mapping[str, list[str]] | None = None,
                    vectors: Mapping[str, np.ndarray] | None = None) -> dict[str, str]:
    """Story id for every article.

    Articles may carry the ``story_id`` of an earlier run. Settled ones (see
    ``_settled``) keep it and their stories stay fixed; the others are
    regrouped with the newcomers, and a regrouped story keeps the id that most
    of its articles had, so a story that keeps its articles keeps its id, and
    the partition equals the one of clustering everything in one go.
    ``terms`` and ``vectors`` may give what some articles are already known
    to be made of (``article_terms``, ``article_vectors``); the rest is computed.
    Dense vectors are only needed, and only computed, when the articles are
    in more than one language.
    """
    if not articles:
        return {}
    # Vertices in arrival order, so that ties and seeds resolve the same way every run.
    order = sorted(range(len(articles)), key=lambda i: arrival_key(articles[i]))
    ordered = [articles[i] for i in order]
    fixed = _settled(ordered, settings)
    matrix = vectorize(ordered, settings, terms)
    free = [i for i in range(len(ordered)) if not fixed[i]]
    languages = [a.language for a in ordered]
    dense = None
    if settings.encoder and len({x for x in languages if x}) > 1:
        known = article_vectors(ordered, settings, vectors)
        if known:
            dense = np.stack([known[a.id] for a in ordered])
    dates = [a.date for a in ordered]
    links = neighbours(matrix, dates, free, settings, dense, languages)
    # A link must hold from both ends: one much weaker than the other article's
    # best link joins an article that belongs to another story (two-sided cutoff).
    targets = sorted({j for i in free for j, _ in links[i]} - set(free))
    if targets:
        links.update(neighbours(matrix, dates, targets, settings, dense, languages))
    best: dict[int, float] = defaultdict(float)  # each article's strongest link found, either way
    for i, found in links.items():
        for j, weight in found:
            best[i], best[j] = max(best[i], weight), max(best[j], weight)
    edges: dict[tuple[int, int], float] = {}
    is_free = set(free)
    for i in free + targets:  # a settled article's links to free ones are edges too, as in one go
        for j, weight in links[i]:
            if (i in is_free or j in is_free) and weight >= best[j] * settings.story_relative_cutoff:
                edges[(min(i, j), max(i, j))] = weight
    graph = ig.Graph(n=len(ordered), edges=sorted(edges))
    graph.es["weight"] = [edges[e] for e in sorted(edges)]

    # Settled stories are fixed communities; every other article starts alone.
    community_of: dict[str, int] = {}
    membership = []
    for i, a in enumerate(ordered):
        key = a.story_id if fixed[i] else f"free:{i}"
        membership.append(community_of.setdefault(key, len(community_of)))
    groups = _communities(graph, membership, fixed, settings)
    names = _name_communities(ordered, groups, fixed)
    return {ordered[i].id: name for members, name in zip(groups, names) for i in members}


# -- grouping against a store: the batch and its neighbourhood only ------------

def idf(articles: int, df: int) -> float:
    """Inverse document frequency as ``vectorize`` computes it (smoothed)."""
    return math.log((1 + articles) / (1 + df)) + 1.0


def tfidf(term_lists: Sequence[Sequence[str]], articles: int, df: Mapping[str, int],
          settings: Settings = DEFAULT_SETTINGS,
          vocabulary: dict[str, int] | None = None) -> tuple[sparse.csr_matrix, list[str]]:
    """Unit TF-IDF vectors, as ``vectorize`` makes them, from document
    frequencies kept up to date (``articles`` documents in all) instead of
    fitted on every article. Columns are the terms of ``vocabulary`` (new
    terms are added to it); returns the matrix and the column terms."""
    vocabulary = {} if vocabulary is None else vocabulary
    if not term_lists:
        return sparse.csr_matrix((0, max(1, len(vocabulary))), dtype=np.float32), list(vocabulary)
    flat = [t for terms in term_lists for t in terms]
    for t in dict.fromkeys(flat):  # new terms in the order they first appear
        if t not in vocabulary:
            vocabulary[t] = len(vocabulary)
    indices = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    indptr = np.cumsum([0] + [len(terms) for terms in term_lists])
    names = list(vocabulary)
    counts = sparse.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr),
                               shape=(len(term_lists), max(1, len(names))))
    counts.sum_duplicates()
    # idf and name weights of the columns these rows use (the vocabulary may hold many more)
    used = np.unique(counts.indices)
    documents = 1 + articles  # idf(articles, df), inline
    inverse = np.ones(counts.shape[1])
    inverse[used] = [math.log(documents / (1 + df.get(names[c], 0))) + 1.0 for c in used.tolist()]
    weights = np.ones(counts.shape[1])
    weights[used] = [settings.story_name_weight if names[c][:2] in ("N:", "Y:") else 1.0 for c in used.tolist()]
    counts.data = (1.0 + np.log(counts.data)) * inverse[counts.indices]
    matrix = normalize(counts)
    matrix.data *= weights[matrix.indices]
    return normalize(matrix).astype(np.float32).tocsr(), names


def strong_terms(matrix: sparse.csr_matrix, names: Sequence[str],
                 settings: Settings = DEFAULT_SETTINGS) -> list[dict[str, float]]:
    """Each row's ``story_candidate_terms`` largest entries (``tfidf``): the
    terms that find its candidates (``neighbours``). Of equal weights at the
    cut, the first terms in alphabetical order, so the choice never depends
    on the order articles were read in."""
    k = settings.story_candidate_terms
    found = []
    for r in range(matrix.shape[0]):
        start, end = matrix.indptr[r], matrix.indptr[r + 1]
        cols, data = matrix.indices[start:end], matrix.data[start:end]
        if len(data) > k:
            cut = -np.partition(-data, k - 1)[k - 1]
            above = data > cut
            tied = sorted(names[c] for c in cols[data == cut].tolist())[:k - int(above.sum())]
            row = {names[c]: float(w) for c, w in zip(cols[above].tolist(), data[above].tolist())}
            row.update((t, float(cut)) for t in tied)
        else:
            row = {names[c]: float(w) for c, w in zip(cols.tolist(), data.tolist())}
        found.append(row)
    return found


def reach_days(settings: Settings = DEFAULT_SETTINGS) -> float:
    """How far apart two dated articles can be and still link: beyond
    ``story_same_days`` a link of similarity at most 1 falls below
    ``story_min_similarity`` within this many more days (plus one for rounding)."""
    return (settings.story_same_days
            + settings.story_decay_days * (1.0 / settings.story_min_similarity - 1.0) + 1.0)


class TermIndex(Protocol):
    """What ``cluster_around`` reads from a store, which keeps each article's
    terms, the terms' document frequencies and postings of strong terms.
    Statistics are those the store will have once the batch is written;
    articles of the batch are never returned by it (the batch is given)."""

    articles: int  # articles counted in the document frequencies

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]: ...

    def shares(self, terms: Iterable[str]) -> dict[str, int]:
        """In how many stored articles' strong terms each term is."""

    def postings(self, terms: Iterable[str], days: tuple[float, float] | None = None,
                 ) -> Iterable[tuple[str, str, float, int | None]]:
        """(term, article id, weight, day) of each stored article holding a term
        among its strong ones; with ``days``, only the articles dated in that
        span (and the undated ones)."""

    def newest_day(self) -> int | None: ...

    def unsettled(self, horizon: Horizon) -> list[tuple[Article, list[str]]]:
        """Every stored article that ``horizon`` does not settle (and maybe a few it does), with its terms."""

    def load(self, ids: Iterable[str]) -> list[tuple[Article, list[str]]]: ...

    def story_sizes(self, story_ids: Iterable[str]) -> dict[str, int]:
        """How many stored articles each story has."""

    def vectors(self, articles: Sequence[Article]) -> dict[str, np.ndarray]:
        """Encoder vectors of these articles (``article_vectors``)."""


def cluster_around(batch: Sequence[Article], index: TermIndex, settings: Settings = DEFAULT_SETTINGS,
                   terms: Mapping[str, list[str]] | None = None,
                   ) -> tuple[dict[str, str], list[Article], dict[str, dict[str, float]]]:
    """``cluster_stories`` for a store, reading only the batch's neighbourhood.

    ``batch`` holds the new and changed articles (a changed one with the
    story it had). Read from ``index``: the stored articles that are not
    settled, the candidates that the postings of their strong terms give
    (those too far apart in time to link are never read), and the candidates
    of the settled articles they link to (their best links decide the
    two-sided cutoff, and their links to free articles are edges, as in one
    go). A store of up to ``story_exact_limit`` articles is read whole and
    every pair compared, as ``neighbours`` does for a small corpus. Vectors
    use the store's document frequencies, so they equal those of
    ``vectorize`` over everything. Leiden runs on the free
    articles and one vertex per settled story they link to, whose size is
    that story's settled article count: CPM's quality of every move of a free
    article is the one it has in the graph of all articles.

    Returns the story of every article that was free (batch and unsettled
    stored ones), those articles (with the story each had before), and the
    batch's strong terms with their weights (what the store's postings get).
    """
    if not batch:
        return {}, [], {}
    terms = dict(terms or {})
    for a in batch:
        if a.id not in terms:
            terms[a.id] = article_terms(a)
    batch_ids = {a.id for a in batch}
    horizon = _horizon([day_number(a.date) for a in batch] + [index.newest_day()], settings,
                       [day_number(a.date) for a in batch if a.story_id is None])

    # A store of up to ``story_exact_limit`` articles is read whole, so that every pair
    # is compared (as ``neighbours`` does for a small corpus) and stories equal one go's.
    exact = index.articles <= settings.story_exact_limit
    pool: dict[str, Article] = {}
    for article, article_terms_ in index.unsettled(Horizon(None) if exact else horizon):
        if article.id not in batch_ids:
            pool[article.id] = article
            terms[article.id] = article_terms_
    pool.update((a.id, a) for a in batch)
    free = {i for i, a in pool.items() if not _is_settled(a, horizon)}

    df: dict[str, int] = {}
    vocabulary: dict[str, int] = {}
    vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # columns and weights of each article's row
    strong: dict[str, dict[str, float]] = {}

    def vectorize_new() -> None:
        new = [i for i in pool if i not in vectors]
        if not new:
            return
        df.update(index.document_frequencies({t for i in new for t in terms[i]} - df.keys()))
        matrix, names = tfidf([terms[i] for i in new], index.articles, df, settings, vocabulary)
        for r, (i, top) in enumerate(zip(new, strong_terms(matrix, names, settings))):
            start, end = matrix.indptr[r], matrix.indptr[r + 1]
            vectors[i] = (matrix.indices[start:end], matrix.data[start:end])
            strong[i] = top

    vectorize_new()
    # The batch's strong terms are postings too once it is written; its
    # articles' own postings in the store (an older text) are not read.
    local: dict[str, list[tuple[str, float, int | None]]] = defaultdict(list)
    for a in batch:
        for t, w in strong[a.id].items():
            local[t].append((a.id, w, day_number(a.date)))
    share_cache: dict[str, int] = {}
    reach = reach_days(settings)

    def candidates_of(ids: list[str]) -> dict[str, list[str]]:
        """Each article's best ``story_candidates`` by the postings of its
        strong terms (as ``neighbours`` finds them), among the articles near
        enough in time to link: only postings of that time span are read.
        A small store's are all its articles, read already."""
        if exact:
            return {i: [] for i in ids}
        dated = [i for i in ids if day_number(pool[i].date) is not None]
        undated = [i for i in ids if day_number(pool[i].date) is None]
        found: dict[str, list[str]] = {}
        if dated:
            span = [day_number(pool[i].date) for i in dated]
            found.update(_candidates(dated, (min(span) - reach, max(span) + reach)))  # type: ignore[type-var]
        if undated:
            found.update(_candidates(undated, None))
        return found

    def _candidates(ids: list[str], days: tuple[float, float] | None) -> dict[str, list[str]]:
        wanted = {t for i in ids for t in strong[i]} - share_cache.keys()
        stored = index.shares(wanted)
        share_cache.update((t, stored.get(t, 0) + len(local.get(t, ()))) for t in wanted)
        usable = sorted({t for i in ids for t in strong[i] if share_cache[t] <= settings.story_max_term_articles})
        term_col = {t: n for n, t in enumerate(usable)}
        post_terms, post_ids, post_weights = [], [], []
        article_row: dict[str, int] = {}
        day_of: list[float] = []
        rows_seen = list(index.postings(usable, days)) + [(t, j, w, d) for t in usable for j, w, d in local.get(t, ())]
        for t, j, w, d in rows_seen:
            if j not in article_row:
                article_row[j] = len(article_row)
                day_of.append(np.nan if d is None else d)
            post_terms.append(term_col[t])
            post_ids.append(article_row[j])
            post_weights.append(w)
        names = list(article_row)
        if not names:
            return {i: [] for i in ids}
        days_of = np.array(day_of, dtype=np.float64)
        postings = sparse.csr_matrix((np.asarray(post_weights, dtype=np.float32), (post_terms, post_ids)),
                                     shape=(len(usable), len(names)))
        q_rows, q_cols, q_vals = [], [], []
        for r, i in enumerate(ids):
            for t, w in strong[i].items():
                if t in term_col:
                    q_rows.append(r)
                    q_cols.append(term_col[t])
                    q_vals.append(w)
        query = sparse.csr_matrix((np.asarray(q_vals, dtype=np.float32), (q_rows, q_cols)),
                                  shape=(len(ids), len(usable)))
        approx = (query @ postings).tocsr()
        found: dict[str, list[str]] = {}
        for r, i in enumerate(ids):
            s, e = approx.indptr[r], approx.indptr[r + 1]
            cand, score = approx.indices[s:e], approx.data[s:e]
            mine = day_number(pool[i].date)
            mask = cand != article_row.get(i, -1)
            if mine is not None:  # too far apart in time to link: no candidate (as in ``neighbours``)
                mask &= ~(np.abs(days_of[cand] - mine) > reach)
            cand, score = cand[mask], score[mask]
            if len(cand) > settings.story_candidates:
                keep = np.argpartition(-score, settings.story_candidates)[:settings.story_candidates]
                cand = cand[keep]
            found[i] = [names[c] for c in cand.tolist()]
        return found

    def load(ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - pool.keys())
        for article, article_terms_ in index.load(missing):
            pool[article.id] = article
            terms[article.id] = article_terms_
        vectorize_new()

    def links_of(ids: list[str], found: dict[str, list[str]]) -> dict[str, list[tuple[str, float]]]:
        ordered = sorted(pool.values(), key=arrival_key)
        row = {a.id: n for n, a in enumerate(ordered)}
        ptr = np.cumsum([0] + [len(vectors[a.id][0]) for a in ordered])
        matrix = sparse.csr_matrix((np.concatenate([vectors[a.id][1] for a in ordered]),
                                    np.concatenate([vectors[a.id][0] for a in ordered]), ptr),
                                   shape=(len(ordered), max(1, len(vocabulary))))
        languages = [a.language for a in ordered]
        dense = None
        if settings.encoder and len({x for x in languages if x}) > 1:
            known = index.vectors(ordered)
            if known:
                dense = np.stack([known[a.id] for a in ordered])
        cand = {row[i]: np.array(sorted(row[j] for j in found[i]), dtype=np.int64) for i in ids}
        linked = neighbours(matrix, [a.date for a in ordered], [row[i] for i in ids], settings, dense, languages,
                            candidates=cand)
        return {ordered[r].id: [(ordered[j].id, w) for j, w in found_] for r, found_ in linked.items()}

    free_ids = sorted(free, key=lambda i: arrival_key(pool[i]))
    found = candidates_of(free_ids)
    load(j for i in free_ids for j in found[i])
    links = links_of(free_ids, found)
    targets = sorted({j for i in free_ids for j, _ in links[i]} - free, key=lambda i: arrival_key(pool[i]))
    if targets:
        found = candidates_of(targets)
        load(j for i in targets for j in found[i])
        links.update(links_of(targets, found))

    best: dict[str, float] = defaultdict(float)
    for i, found_links in links.items():
        for j, weight in found_links:
            best[i], best[j] = max(best[i], weight), max(best[j], weight)
    # One vertex per free article (arrival order), then one per settled story linked to.
    vertex = {i: n for n, i in enumerate(free_ids)}
    sizes_stored = index.story_sizes(sorted({pool[j].story_id for j in targets}
                                            | {pool[i].story_id for i in free_ids if pool[i].story_id}))
    free_members: Counter = Counter(pool[i].story_id for i in free_ids if pool[i].story_id)

    def settled_size(story_id: str) -> int:
        if story_id not in sizes_stored:
            sizes_stored.update(index.story_sizes([story_id]))
        return sizes_stored.get(story_id, 0) - free_members[story_id]

    story_vertex: dict[str, int] = {}
    edges: dict[tuple[int, int], float] = {}  # between free articles
    to_settled: dict[tuple[int, str], float] = {}  # from a free article to a settled one
    for i in free_ids:
        for j, weight in links[i]:
            if weight >= best[j] * settings.story_relative_cutoff:
                if j in free:
                    edges[(min(vertex[i], vertex[j]), max(vertex[i], vertex[j]))] = weight
                else:
                    to_settled[(vertex[i], j)] = weight
    for j in targets:  # a settled article's links to free ones are edges too, as in one go
        for i, weight in links[j]:
            if i in free and weight >= best[i] * settings.story_relative_cutoff:
                to_settled.setdefault((vertex[i], j), weight)
    # A settled story is one vertex: its links from one free article add up.
    summed: dict[tuple[int, int], float] = defaultdict(float, edges)
    for (v, j), weight in sorted(to_settled.items(), key=lambda x: (x[0][0], arrival_key(pool[x[0][1]]))):
        story = story_vertex.setdefault(pool[j].story_id, len(free_ids) + len(story_vertex))
        summed[(v, story)] += weight
    stories_linked = sorted(story_vertex, key=story_vertex.get)
    graph = ig.Graph(n=len(free_ids) + len(stories_linked), edges=sorted(summed))
    graph.es["weight"] = [summed[e] for e in sorted(summed)]
    node_sizes = [1] * len(free_ids) + [max(1, settled_size(s)) for s in stories_linked]
    fixed = [False] * len(free_ids) + [True] * len(stories_linked)
    groups = _communities(graph, list(range(graph.vcount())), fixed, settings, node_sizes)
    ordered = [pool[i] for i in free_ids] + [Article(id=f"\x00{s}", source="", text="", story_id=s)
                                             for s in stories_linked]
    names = _name_communities(ordered, groups, fixed,
                              reserved=lambda s: s not in story_vertex and settled_size(s) > 0)
    assignment = {ordered[v].id: name for members, name in zip(groups, names) for v in members if not fixed[v]}
    return assignment, [pool[i] for i in free_ids], {a.id: strong[a.id] for a in batch}


def story_title(articles: Sequence[Article]) -> str:
    """The earliest original's headline, else the opening of the earliest article."""
    ordered = sorted(articles, key=lambda a: (a.copy_of is not None, arrival_key(a)))
    for article in ordered:
        if article.title:
            return article.title
    first = ordered[0].text.split("\n", 1)[0]
    opening = dateline(first)  # "LENTZ, May 3 (Alpine Wire) - ..." is where and whose, not the title
    if opening and opening.end() < len(first):
        first = first[opening.end():]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def describe_story(story_id: str, articles: Sequence[Article]) -> Story:
    """A story's own fields from its members; the later stages fill the rest."""
    dates = sorted(a.date for a in articles if a.date)
    return Story(
        id=story_id,
        title=story_title(articles),
        article_ids=[a.id for a in sorted(articles, key=arrival_key)],
        independent_sources=len(independent_groups(articles)),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
    )
