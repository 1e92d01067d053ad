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
are compared, terms that are strong in too many articles are ignored, and
the best candidates are re-scored exactly.

Incremental: stored articles dated well before the newest ones are settled:
their stories are fixed communities that new articles may join. The rest are
regrouped with the newcomers, and each regrouped story keeps the id most of
its articles had, so ids survive as long as a story keeps its articles. Story ids come from the earliest
member, so they are deterministic and never change while a story keeps its
articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence

import igraph as ig
import leidenalg as la
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from . import embeddings
from .copies import independent_groups
from .model import Article, Story
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import story_terms


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
    terms = [known[a.id] if a.id in known else article_terms(a) for a in articles]
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(terms)
    weights = np.array([settings.story_name_weight if t[:2] in ("N:", "Y:") else 1.0
                        for t in vectorizer.get_feature_names_out()], dtype=np.float32)
    return normalize(matrix @ sparse.diags(weights)).tocsr()


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


def _day(date: str | None) -> int | None:
    try:
        return dt.date.fromisoformat(date).toordinal() if date else None
    except ValueError:
        return None


def neighbours(
    matrix: sparse.csr_matrix, dates: Sequence[str | None], rows: Sequence[int] | None = None,
    settings: Settings = DEFAULT_SETTINGS, dense: np.ndarray | None = None,
    languages: Sequence[str | None] | None = None,
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
    days = [_day(d) for d in dates]
    across: dict[int, np.ndarray] = {}
    if dense is not None and languages is not None and len({x for x in languages if x}) > 1:
        across = _cross_language_candidates(dense, languages, rows, settings.story_cross_language_candidates)
    result: dict[int, list[tuple[int, float]]] = {}
    chunk = 500
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
            if i in across:
                cand = np.union1d(cand, across[i])
            if not len(cand):
                result[i] = []
                continue
            exact = np.asarray(matrix[cand] @ matrix[i].T.toarray()).ravel()
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


def _settled(articles: Sequence[Article], settings: Settings) -> list[bool]:
    """Which stored articles keep their story whatever arrives: those dated more
    than ``story_settle_days`` before the newest article (time-window blocking)."""
    days = [_day(a.date) for a in articles]
    known = [d for d in days if d is not None]
    if not known:
        return [False] * len(articles)
    horizon = max(known) - settings.story_settle_days
    return [a.story_id is not None and d is not None and d < horizon for a, d in zip(articles, days)]


def _name_communities(ordered: Sequence[Article], groups: list[list[int]], fixed: list[bool]) -> list[str]:
    """A story id for each community: a settled story's own; else the id of the
    earlier story that most of its articles had (each id goes to one community
    only, the one holding most of that story); else a new id from its first article."""
    names: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
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
        if names[c] is None and old not in taken:
            names[c] = old
            taken.add(old)
    for c, members in enumerate(groups):
        if names[c] is None:
            first = min((ordered[i] for i in members), key=arrival_key)
            name, n = story_id_for(first.id), 1
            while name in taken:  # the first article's id once named a story it left
                n += 1
                name = story_id_for(f"{first.id}#{n}")
            names[c] = name
            taken.add(name)
    return names  # type: ignore[return-value]


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
    for i in free:
        for j, weight in links[i]:
            if weight >= best[j] * settings.story_relative_cutoff:
                edges[(min(i, j), max(i, j))] = weight
    graph = ig.Graph(n=len(ordered), edges=sorted(edges))
    graph.es["weight"] = [edges[e] for e in sorted(edges)]

    # Settled stories are fixed communities; every other article starts alone.
    community_of: dict[str, int] = {}
    membership = []
    for i, a in enumerate(ordered):
        key = a.story_id if fixed[i] else f"free:{i}"
        membership.append(community_of.setdefault(key, len(community_of)))
    partition = la.CPMVertexPartition(graph, initial_membership=membership, weights="weight",
                                      resolution_parameter=settings.story_density)
    optimiser = la.Optimiser()
    optimiser.set_rng_seed(0)
    optimiser.optimise_partition(partition, n_iterations=-1, is_membership_fixed=fixed)

    by_community: dict[int, list[int]] = defaultdict(list)
    for i, community in enumerate(partition.membership):
        by_community[community].append(i)
    groups = sorted(by_community.values())
    names = _name_communities(ordered, groups, fixed)
    return {ordered[i].id: name for members, name in zip(groups, names) for i in members}


def story_title(articles: Sequence[Article]) -> str:
    """The earliest original's headline, else the opening of the earliest article."""
    ordered = sorted(articles, key=lambda a: (a.copy_of is not None, arrival_key(a)))
    for article in ordered:
        if article.title:
            return article.title
    first = ordered[0].text.split("\n", 1)[0]
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
