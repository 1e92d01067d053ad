"""Stories: group articles that report the same event.

Articles become TF-IDF vectors of content-word stems and named things
(``textfeatures.story_terms``). Each article is linked to its few nearest
neighbours (cosine similarity, weakened when their dates are far apart), and
the communities of that sparse graph (Louvain, fixed seed) are the stories.
The neighbour graph keeps the method local: two reports of one event link
through each other even when they share few words, while two events of the
same kind (another storm, another boxing match) stay apart because their
articles' nearest neighbours are their own.

Candidate search is sub-quadratic: only the strongest terms of each article
are compared, terms that are strong in too many articles are ignored, and
the best candidates are re-scored exactly.

Incremental: articles that already have a ``story_id`` keep it. Each
existing story enters the graph as one node, joined to the new articles that
neighbour its members; a community holding one existing story extends it, a
community with none becomes a new story. Story ids come from the earliest
member, so they are deterministic and never change while a story keeps its
articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence

import networkx as nx
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .model import Article
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import story_terms


def story_id_for(first: Article) -> str:
    return "s-" + hashlib.sha1(first.id.encode("utf-8")).hexdigest()[:12]


def arrival_key(article: Article) -> tuple[str, str]:
    """Earliest first: by date (unknown dates last), then by id."""
    return (article.date or "9999-99-99", article.id)


def vectorize(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS) -> sparse.csr_matrix:
    """Unit-length TF-IDF vectors of each article's title and text."""
    terms = [story_terms(f"{a.title or ''}.\n{a.text}") for a in articles]
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(terms)
    weights = np.array([settings.story_name_weight if t[:2] in ("N:", "Y:") else 1.0
                        for t in vectorizer.get_feature_names_out()], dtype=np.float32)
    return normalize(matrix @ sparse.diags(weights)).tocsr()


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


def _day(date: str | None) -> int | None:
    try:
        return dt.date.fromisoformat(date).toordinal() if date else None
    except ValueError:
        return None


def neighbours(
    matrix: sparse.csr_matrix, dates: Sequence[str | None], rows: Sequence[int] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[int, list[tuple[int, float]]]:
    """The nearest neighbours of each article in ``rows`` (default: all), best first.

    Similarity is the cosine of the two vectors times a time factor that is
    1 for dates within ``story_same_days`` and decays beyond.
    """
    n = matrix.shape[0]
    rows = list(range(n)) if rows is None else list(rows)
    top = _top_terms(matrix, settings.story_candidate_terms)
    share = np.asarray((top > 0).sum(axis=0)).ravel()
    blocked = share > max(20, settings.story_max_term_share * n)
    if blocked.any():
        top = (top @ sparse.diags((~blocked).astype(np.float32))).tocsr()
        top.eliminate_zeros()
    days = [_day(d) for d in dates]
    result: dict[int, list[tuple[int, float]]] = {}
    chunk = 2000
    top_t = top.T.tocsr()
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        approx = (top[block] @ top_t).tocsr()
        for r, i in enumerate(block):
            s, e = approx.indptr[r], approx.indptr[r + 1]
            cand, score = approx.indices[s:e], approx.data[s:e]
            mask = cand != i
            cand, score = cand[mask], score[mask]
            if len(cand) > settings.story_candidates:
                keep = np.argpartition(-score, settings.story_candidates)[:settings.story_candidates]
                cand = cand[keep]
            if not len(cand):
                result[i] = []
                continue
            exact = np.asarray(matrix[cand] @ matrix[i].T.toarray()).ravel()
            scored = []
            for j, sim in zip(cand.tolist(), exact.tolist()):
                if days[i] is not None and days[j] is not None:
                    extra = max(0, abs(days[i] - days[j]) - settings.story_same_days)
                    sim /= 1.0 + extra / settings.story_decay_days
                if sim >= settings.story_min_similarity:
                    scored.append((j, sim))
            scored.sort(key=lambda x: (-x[1], x[0]))
            result[i] = scored[:settings.story_neighbors]
    return result


def cluster_stories(articles: Sequence[Article], settings: Settings = DEFAULT_SETTINGS) -> dict[str, str]:
    """Story id for every article. Articles with a ``story_id`` keep it."""
    if not articles:
        return {}
    matrix = vectorize(articles, settings)
    new = [i for i, a in enumerate(articles) if not a.story_id]
    links = neighbours(matrix, [a.date for a in articles], new, settings)

    # Existing stories are single nodes; new articles are nodes of their own.
    def node(i: int) -> str:
        return f"story:{articles[i].story_id}" if articles[i].story_id else f"article:{i}"

    graph = nx.Graph()
    graph.add_nodes_from(sorted(f"article:{i}" for i in new))
    for i in new:
        for j, weight in links[i]:
            a, b = node(i), node(j)
            if a != b:
                previous = graph.get_edge_data(a, b, {"weight": 0.0})["weight"]
                graph.add_edge(a, b, weight=max(previous, weight) if not b.startswith("story:") else previous + weight)
    communities = nx.community.louvain_communities(graph, weight="weight", resolution=settings.story_resolution,
                                                   seed=0)
    assignment = {a.id: a.story_id for a in articles if a.story_id}
    for community in sorted(communities, key=lambda c: sorted(c)):
        members = sorted(int(m.split(":", 1)[1]) for m in community if m.startswith("article:"))
        stories = sorted(m.split(":", 1)[1] for m in community if m.startswith("story:"))
        if not members:
            continue
        if len(stories) == 1:
            for i in members:
                assignment[articles[i].id] = stories[0]
            continue
        if stories:  # never merge two existing stories: each article joins its strongest
            loose = []
            for i in members:
                weights: dict[str, float] = defaultdict(float)
                for j, w in links[i]:
                    if articles[j].story_id in stories:
                        weights[articles[j].story_id] += w
                if weights:
                    assignment[articles[i].id] = max(sorted(weights), key=weights.__getitem__)
                else:
                    loose.append(i)
            members = loose
            if not members:
                continue
        first = min((articles[i] for i in members), key=arrival_key)
        for i in members:
            assignment[articles[i].id] = story_id_for(first)
    return assignment
