"""The embedded store: one SQLite file (WAL mode) holding articles and their
described stories, so that storyline can ingest what arrives, keep story ids
stable, and serve stories without recomputing them.

- ``articles`` keeps each cleaned article with a fingerprint of its content:
  ingesting the same article again changes nothing; the same id with new
  content replaces the stored text and regroups its story.
- ``stories`` keeps each story's report entry as JSON, plus the columns the
  story list sorts and filters on; ``story_search`` is its FTS5 index.
- ``term_stats``, ``postings`` and ``store_stats`` are the term index: each
  term's document frequency and the number of articles counted, so that an
  article's TF-IDF vector needs no refit over the store, and each article's
  strong terms (its candidate terms, ``stories.strong_terms``) with their
  weights, which find a new article's candidates without reading the others.
- The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS`` are
  applied in order when an older store is opened, never edited once shipped.

``ingest`` is the one place that runs the pipeline against the store: new
and changed articles are grouped with the batch's neighbourhood
(``stories.cluster_around``): the stored articles that are not settled, the
candidates the postings give (a store of up to ``story_exact_limit``
articles is read whole, every pair compared, as one go would), and the
members of the stories that change, which alone are described again
(``pipeline.regroup``). Grouping reads stored articles without their text;
postings are kept by time bucket, so a batch writes to the pages of its own
days. Its cost does not grow with the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from . import embeddings
from .errors import StorylineError
from .executor import LOCAL, Executor
from .model import SCHEMA_VERSION as SCHEMA
from .model import Article, Report, Story
from .pipeline import Progress, Warn, load_articles, regroup
from .report import article_from_dict, article_to_dict, story_from_dict
from .settings import DEFAULT_SETTINGS, Settings
from .stories import Horizon, article_terms, article_vectors, cluster_around, day_number, strong_terms, tfidf

MIGRATIONS: list[str] = [
    # 1: articles and stories
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT,
        outlet TEXT,
        date TEXT,
        language TEXT,
        text TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        copy_of TEXT,
        story_id TEXT,
        fingerprint TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE INDEX articles_story ON articles (story_id);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        articles INTEGER NOT NULL,
        independent_sources INTEGER NOT NULL,
        first_date TEXT,
        last_date TEXT,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX stories_newest ON stories (last_date DESC, id);
    CREATE INDEX stories_sources ON stories (independent_sources DESC, articles DESC, id);
    """,
    # 2: full-text search over story titles and briefs
    """
    CREATE VIRTUAL TABLE story_search USING fts5 (story_id UNINDEXED, title, brief, tokenize = 'unicode61');
    """,
    # 3: each article's story terms, so an ingest does not recompute them for the whole store
    """
    ALTER TABLE articles ADD COLUMN terms TEXT;
    """,
    # 4: each article's encoder vector (float32 bytes) and the model that made it
    """
    ALTER TABLE articles ADD COLUMN vector BLOB;
    ALTER TABLE articles ADD COLUMN vector_model TEXT;
    """,
    # 5: sentence vectors (claims, brief, quotes across languages) by a hash of the model and the text
    """
    CREATE TABLE sentence_vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID;
    """,
    # 6: the term index (document frequencies, postings of strong terms by day: 0 when undated),
    # an index on dates, and indexes in the story list's orders (a page of the list reads its rows only);
    # filled for the stored articles by ``Store._index_all`` in the same transaction
    """
    ALTER TABLE articles ADD COLUMN strong TEXT;
    CREATE TABLE term_stats (term TEXT PRIMARY KEY, df INTEGER NOT NULL DEFAULT 0,
                             strong INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
    CREATE TABLE postings (term TEXT NOT NULL, day INTEGER NOT NULL, article_id TEXT NOT NULL, weight REAL NOT NULL,
                           PRIMARY KEY (term, day, article_id)) WITHOUT ROWID;
    CREATE TABLE store_stats (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX articles_date ON articles (date);
    CREATE INDEX articles_odd_date ON articles (id)
        WHERE date IS NOT NULL AND date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]';
    CREATE INDEX stories_list_newest ON stories (last_date IS NULL, last_date DESC, independent_sources DESC, id);
    CREATE INDEX stories_list_sources ON stories (independent_sources DESC, articles DESC, last_date DESC, id);
    """,
    # 7: postings first by time bucket (``POSTING_BUCKET_DAYS``; 0 when undated), then by term: a batch's
    # postings go to the pages of its few buckets, not to pages all over a table as large as the store
    """
    CREATE TABLE postings_by_bucket (bucket INTEGER NOT NULL, term TEXT NOT NULL, day INTEGER NOT NULL,
                                     article_id TEXT NOT NULL, weight REAL NOT NULL,
                                     PRIMARY KEY (bucket, term, day, article_id)) WITHOUT ROWID;
    INSERT INTO postings_by_bucket (bucket, term, day, article_id, weight)
        SELECT day / 128, term, day, article_id, weight FROM postings ORDER BY day / 128, term, day, article_id;
    DROP TABLE postings;
    ALTER TABLE postings_by_bucket RENAME TO postings;
    """,
]
POSTING_BUCKET_DAYS = 128  # migration 7 divides by it too
ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
SCHEMA_VERSION = len(MIGRATIONS)


def default_store_path() -> Path:
    """``$STORYLINE_STORE``, else ``storyline.db`` in the user's data directory."""
    if os.environ.get("STORYLINE_STORE"):
        return Path(os.environ["STORYLINE_STORE"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "storyline" / "storyline.db"


def fingerprint(article: Article) -> str:
    """What makes two ingests of one article the same: its cleaned content and metadata."""
    parts = [article.text, article.title or "", article.outlet or "", article.date or "", article.url or ""]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class StoryRow:
    """A story as listed: the columns of the ``stories`` table."""

    id: str
    title: str
    articles: int
    independent_sources: int
    first_date: str | None
    last_date: str | None
    updated_at: str


@dataclass
class IngestResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stories_changed: list[str] = field(default_factory=list)
    stories_removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Store:
    """An open store. ``Store(path)`` creates or migrates the file;
    ``Store(path, readonly=True)`` only reads (what ``serve`` uses)."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._term_cache: dict[str, tuple[int, int]] = {}  # ``term_stats`` as committed
        self._term_cache_version: int | None = None
        self._term_pending: tuple[dict[str, int], dict[str, int]] | None = None
        try:
            if not readonly:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StorylineError(f"cannot create the store's folder {self.path.parent}: "
                                         f"{exc.strerror or exc}") from None
            if readonly:
                if not self.path.is_file():
                    raise StorylineError(f"no store at {self.path} (run `storyline ingest` first)")
                # A WAL store is read through its -shm file, which a reader must be able to
                # create. Where the store or its folder cannot be written (a read-only copy,
                # another user's store), nobody writes it through us: read it as immutable.
                writable = os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
                mode = "mode=ro" if writable else "mode=ro&immutable=1"
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?{mode}", uri=True,
                                          check_same_thread=False)
                self.db.row_factory = sqlite3.Row
                self._migrate()
            else:
                self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=60)
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.execute("PRAGMA cache_size=-65536")  # 64 MB: an ingest's index writes stay in memory
                self.db.row_factory = sqlite3.Row
                if self.version != SCHEMA_VERSION:
                    with self.writer():  # two processes creating one store must not both run the migrations
                        self.db.execute("PRAGMA journal_mode=WAL")
                        self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StorylineError(f"cannot open the store {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise StorylineError(f"the store {self.path} has schema {version}; this storyline knows up to "
                                 f"{SCHEMA_VERSION} (upgrade storyline)")
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StorylineError(f"the store {self.path} needs migrating (schema {version} -> {SCHEMA_VERSION}); "
                                 "run `storyline ingest` on it once")
        for number in range(version, SCHEMA_VERSION):
            with self._transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                # the term index of what a store held before migration 6, in the postings' current layout
                if number + 1 == 7 and self._stat("articles") == 0 and self.count() > 0:
                    self._index_all()
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def writer(self, timeout: float = DEFAULT_SETTINGS.store_lock_timeout,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """One writer at a time: an ingest reads the store, regroups and writes
        back, and a second ingest in between would regroup a stale store. The
        lock (``flock`` on ``<store>.lock``) waits for the other writer, saying
        so through ``on_wait``, for up to ``timeout`` seconds (then
        ``StorylineError``); readers are never blocked (WAL)."""
        import fcntl

        with open(f"{self.path}.lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"waiting for another ingest into {self.path} to finish")
                deadline = time.monotonic() + timeout
                while True:
                    time.sleep(0.1)
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise StorylineError(f"another ingest has been writing to {self.path} for over "
                                                 f"{timeout:g} s; try again later") from None
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- reading ---------------------------------------------------------

    def count(self, table: str = "articles") -> int:
        if table not in ("articles", "stories", "sentence_vectors"):
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def _article(self, row: sqlite3.Row) -> Article:
        data = dict(row)
        data["removed"] = json.loads(data["removed"])
        data["copy_of"] = json.loads(data["copy_of"]) if data["copy_of"] else None
        return article_from_dict(data)

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        if ids is None:
            rows = self.db.execute("SELECT * FROM articles ORDER BY date, id")
        else:
            wanted = list(ids)
            rows = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows += self.db.execute(f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        return [self._article(r) for r in rows]

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def story(self, story_id: str) -> Story | None:
        row = self.db.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        return story_from_dict(json.loads(row["data"])) if row else None

    def story_report(self, story_id: str) -> Report | None:
        """The contract's report for one story: the story and its articles."""
        story = self.story(story_id)
        if story is None:
            return None
        by_id = {a.id: a for a in self.articles(story.article_ids)}
        return Report(articles=[by_id[i] for i in story.article_ids if i in by_id], stories=[story])

    def story_report_json(self, story_id: str) -> str | None:
        """``story_report`` as the contract's JSON, built around the stored story
        JSON without decoding it (what the API serves)."""
        row = self.db.execute("SELECT data, json_extract(data, '$.article_ids') AS article_ids FROM stories "
                              "WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        by_id = {a.id: a for a in self.articles(json.loads(row["article_ids"]))}
        articles = [json.dumps(article_to_dict(by_id[i]), ensure_ascii=False)
                    for i in json.loads(row["article_ids"]) if i in by_id]
        return (f'{{"schema": {json.dumps(SCHEMA)}, "articles": [{", ".join(articles)}], '
                f'"stories": [{row["data"]}], "warnings": []}}')

    def stories(self, order: str = "newest", query: str | None = None, limit: int = 50,
                offset: int = 0) -> list[StoryRow]:
        """Stories for a list: ``order`` is ``newest`` (latest article date) or
        ``sources`` (most independent sources); ``query`` searches titles and briefs."""
        orders = {"newest": "s.last_date IS NULL, s.last_date DESC, s.independent_sources DESC, s.id",
                  "sources": "s.independent_sources DESC, s.articles DESC, s.last_date DESC, s.id"}
        if order not in orders:
            raise ValueError(f"order must be one of {', '.join(orders)}")
        columns = "s.id, s.title, s.articles, s.independent_sources, s.first_date, s.last_date, s.updated_at"
        terms = _fts_terms(query)
        if terms:
            sql = (f"SELECT {columns} FROM stories s WHERE s.id IN "
                   f"(SELECT story_id FROM story_search WHERE story_search MATCH ?) "
                   f"ORDER BY {orders[order]} LIMIT ? OFFSET ?")
            rows = self.db.execute(sql, (terms, limit, offset))
        else:
            rows = self.db.execute(f"SELECT {columns} FROM stories s ORDER BY {orders[order]} LIMIT ? OFFSET ?",
                                   (limit, offset))
        return [StoryRow(**dict(r)) for r in rows]

    def story_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM stories")}

    # -- writing ---------------------------------------------------------

    def _fingerprints(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        if ids is None:
            return dict(self.db.execute("SELECT id, fingerprint FROM articles").fetchall())
        return dict(self._select("SELECT id, fingerprint FROM articles WHERE id IN ({})", ids))

    def _select(self, sql: str, keys: Iterable[str], chunk: int = 500, raw: bool = False) -> list:
        """``sql`` with its ``IN ({})`` filled with ``keys``, a chunk at a time
        (rows as tuples when ``raw``)."""
        keys = list(keys)
        rows: list = []
        cursor = self.db.cursor()
        if raw:
            cursor.row_factory = None
        for start in range(0, len(keys), chunk):
            part = keys[start:start + chunk]
            rows += cursor.execute(sql.format(",".join("?" * len(part))), part)
        return rows

    def _stat(self, key: str) -> int:
        row = self.db.execute("SELECT value FROM store_stats WHERE key = ?", (key,)).fetchone()
        return row[0] if row else 0

    TERM_CACHE_LIMIT = 2_000_000  # terms

    def term_stats(self, terms: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Each term's document frequency and the number of articles it is a
        strong term of, as committed. Kept between batches (an ingest reads
        those of the unsettled window's terms with every batch); a commit by
        another connection (``PRAGMA data_version``) empties the cache, this
        store's own commits update it (``save``)."""
        terms = list(terms)
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._term_cache_version or len(self._term_cache) > self.TERM_CACHE_LIMIT:
            self._term_cache, self._term_cache_version = {}, version
        cache = self._term_cache
        missing = [t for t in dict.fromkeys(terms) if t not in cache]
        if missing:
            found = {t: (df, strong) for t, df, strong in
                     self._select("SELECT term, df, strong FROM term_stats WHERE term IN ({})", missing, raw=True)}
            cache.update((t, found.get(t, (0, 0))) for t in missing)
        return {t: cache[t] for t in terms}

    def _commit_term_stats(self) -> None:
        """Bring the term cache up to this store's last commit (``_index_terms``' changes)."""
        if self._term_pending is None:
            return
        df, strong = self._term_pending
        self._term_pending = None
        cache = self._term_cache
        for t in df.keys() | strong.keys():
            if t in cache:
                cache[t] = (cache[t][0] + df.get(t, 0), cache[t][1] + strong.get(t, 0))

    def stories_of(self, story_ids: Iterable[str]) -> list[Article]:
        """Every stored article of these stories."""
        return [self._article(r) for r in self._select("SELECT * FROM articles WHERE story_id IN ({})", story_ids)]

    # -- the term index --------------------------------------------------

    def _index_terms(self, terms: dict[str, list[str]], settings: Settings = DEFAULT_SETTINGS,
                     strong: dict[str, dict[str, float]] | None = None,
                     old_days: dict[str, int | None] | None = None) -> None:
        """Store these articles' terms and bring the term index up to date: an
        article indexed before (an older text) is taken out first; the strong
        terms' weights use the document frequencies with every one of them
        counted (``strong`` may give them, computed with those frequencies already);
        ``old_days`` is the day each indexed article was dated when it was indexed.
        Runs inside the caller's transaction."""
        if not terms:
            return
        old = {r["id"]: r for r in self._select("SELECT id, terms, strong FROM articles WHERE id IN ({}) "
                                                "AND strong IS NOT NULL", terms)}
        old_days = old_days or {}
        df: dict[str, int] = {}
        shares: dict[str, int] = {}
        for row in old.values():
            for t in set(json.loads(row["terms"])):
                df[t] = df.get(t, 0) - 1
            for t in json.loads(row["strong"]):
                shares[t] = shares.get(t, 0) - 1
        self.db.executemany("DELETE FROM postings WHERE bucket = ? AND term = ? AND article_id = ?",
                            [(_bucket(old_days.get(i)), t, i)
                             for i, row in old.items() for t in json.loads(row["strong"])])
        for article_terms_ in terms.values():
            for t in set(article_terms_):
                df[t] = df.get(t, 0) + 1
        self.db.executemany("INSERT INTO term_stats (term, df) VALUES (?, ?) "
                            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                            [(t, n) for t, n in df.items() if n])
        self.db.execute("INSERT INTO store_stats (key, value) VALUES ('articles', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
                        (len(terms) - len(old),))
        self._post(terms, settings, shares, strong)
        self._term_pending = (df, shares)  # ``shares`` now counts the new strong terms too

    def _post(self, terms: dict[str, list[str]], settings: Settings, shares: dict[str, int],
              known: dict[str, dict[str, float]] | None = None) -> None:
        """Postings of these (counted) articles' strong terms, with the current
        statistics (or as ``known`` gives them)."""
        known = known or {}
        missing = [i for i in terms if i not in known]
        articles = self._stat("articles")
        wanted = {t for i in missing for t in terms[i]}
        df = {r[0]: r[1] for r in self._select("SELECT term, df FROM term_stats WHERE term IN ({})", wanted)}
        days = {r[0]: day_number(r[1]) for r in self._select("SELECT id, date FROM articles WHERE id IN ({})", terms)}
        postings, strong_of = [], []
        matrix, names = tfidf([terms[i] for i in missing], articles, df, settings)
        found = {**dict(zip(missing, strong_terms(matrix, names, settings))), **known}
        for article_id, article_terms_ in terms.items():
            strong = found[article_id]
            day = days.get(article_id) or 0
            postings += [(_bucket(day), t, day, article_id, w) for t, w in strong.items()]
            for t in strong:
                shares[t] = shares.get(t, 0) + 1
            strong_of.append((json.dumps(article_terms_, ensure_ascii=False),
                              json.dumps(sorted(strong), ensure_ascii=False), article_id))
        postings.sort()  # in the primary key's order: each page is written once
        self.db.executemany("INSERT OR REPLACE INTO postings (bucket, term, day, article_id, weight) "
                            "VALUES (?,?,?,?,?)", postings)
        self.db.executemany("INSERT INTO term_stats (term, strong) VALUES (?, ?) "
                            "ON CONFLICT(term) DO UPDATE SET strong = strong + excluded.strong",
                            [(t, n) for t, n in shares.items() if n])
        self.db.executemany("UPDATE articles SET terms = ?, strong = ? WHERE id = ?", strong_of)

    def _index_all(self, settings: Settings = DEFAULT_SETTINGS) -> None:
        """Fill the term index for every stored article (migration 6), computing
        the terms of articles stored without them. Two passes over the
        articles, so the whole store is never held in memory. The search
        index's rows are renumbered by story (``_search_row``), so that
        replacing a story's row finds it by rowid, not by reading them all."""
        self._term_cache = {}
        rows = self.db.execute("SELECT story_id, title, brief FROM story_search").fetchall()
        self.db.execute("DELETE FROM story_search")
        self.db.executemany("INSERT OR REPLACE INTO story_search (rowid, story_id, title, brief) VALUES (?,?,?,?)",
                            [(_search_row(r[0]), *r) for r in rows])
        df: dict[str, int] = {}
        count = 0
        missing = []
        for row in self.db.execute("SELECT id, terms FROM articles WHERE terms IS NOT NULL"):
            count += 1
            for t in set(json.loads(row[1])):
                df[t] = df.get(t, 0) + 1
        for row in self.db.execute("SELECT * FROM articles WHERE terms IS NULL"):
            article = self._article(row)
            terms = article_terms(article)
            missing.append((json.dumps(terms, ensure_ascii=False), article.id))
            count += 1
            for t in set(terms):
                df[t] = df.get(t, 0) + 1
        self.db.executemany("UPDATE articles SET terms = ? WHERE id = ?", missing)
        self.db.executemany("INSERT INTO term_stats (term, df) VALUES (?, ?)", sorted(df.items()))
        self.db.execute("INSERT OR REPLACE INTO store_stats (key, value) VALUES ('articles', ?)", (count,))
        ids = [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]
        for start in range(0, len(ids), 2000):
            rows = self._select("SELECT id, terms FROM articles WHERE id IN ({})", ids[start:start + 2000])
            self._post({r[0]: json.loads(r[1]) for r in rows}, settings, {})

    def terms(self) -> dict[str, list[str]]:
        """The stored story terms of every article that has them."""
        rows = self.db.execute("SELECT id, terms FROM articles WHERE terms IS NOT NULL")
        return {article_id: json.loads(terms) for article_id, terms in rows}

    def vectors(self) -> dict[str, np.ndarray]:
        """The stored encoder vectors of every article that has one from the current model."""
        rows = self.db.execute("SELECT id, vector FROM articles WHERE vector IS NOT NULL AND vector_model = ?",
                               (embeddings.MODEL,))
        return {article_id: np.frombuffer(blob, dtype=np.float32) for article_id, blob in rows}

    def sentence_vectors(self) -> SentenceVectors:
        """The stored sentence vectors, as the describe stage's ``VectorCache``."""
        return SentenceVectors(self)

    def save(self, articles: list[Article], stories: list[Story], removed: Iterable[str] = (),
             terms: dict[str, list[str]] | None = None, vectors: dict[str, np.ndarray] | None = None,
             sentence_vectors: dict[str, np.ndarray] | None = None,
             settings: Settings = DEFAULT_SETTINGS, strong: dict[str, dict[str, float]] | None = None) -> None:
        """Write articles (insert or update; ``added_at`` keeps the first ingest),
        their story ``terms`` (and the term index) and encoder ``vectors`` where
        given, new ``sentence_vectors``, and stories, and delete ``removed``
        stories, in one transaction. An article's terms must be given when it
        is new or its text changed."""
        now = _now()
        self._term_pending = None
        with self._transaction():
            old_days = {i: day_number(d) for i, d in self._select(
                "SELECT id, date FROM articles WHERE id IN ({}) AND strong IS NOT NULL", terms or {}, raw=True)}
            for a in articles:
                d = article_to_dict(a)
                self.db.execute(
                    "INSERT INTO articles (id, source, url, title, outlet, date, language, text, removed, copy_of, "
                    "story_id, fingerprint, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET source=excluded.source, url=excluded.url, title=excluded.title, "
                    "outlet=excluded.outlet, date=excluded.date, language=excluded.language, text=excluded.text, "
                    "removed=excluded.removed, copy_of=excluded.copy_of, story_id=excluded.story_id, "
                    "vector=CASE WHEN fingerprint = excluded.fingerprint THEN vector END, "
                    "fingerprint=excluded.fingerprint",
                    (a.id, a.source, a.url, a.title, a.outlet, a.date, a.language, a.text,
                     json.dumps(d["removed"], ensure_ascii=False),
                     json.dumps(d["copy_of"]) if a.copy_of else None, a.story_id, fingerprint(a),
                     now))
            self._index_terms(terms or {}, settings, strong, old_days)
            for article_id, vector in (vectors or {}).items():
                self.db.execute("UPDATE articles SET vector = ?, vector_model = ? WHERE id = ?",
                                (np.asarray(vector, dtype=np.float32).tobytes(), embeddings.MODEL, article_id))
            self.db.executemany("INSERT OR IGNORE INTO sentence_vectors (key, vector) VALUES (?, ?)",
                                [(key, np.asarray(v, dtype=np.float32).tobytes())
                                 for key, v in (sentence_vectors or {}).items()])
            for story_id in removed:
                self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
                self.db.execute("DELETE FROM story_search WHERE rowid = ?", (_search_row(story_id),))
            for s in stories:
                self.db.execute(
                    "INSERT OR REPLACE INTO stories (id, title, articles, independent_sources, first_date, "
                    "last_date, updated_at, data) VALUES (?,?,?,?,?,?,?,?)",
                    (s.id, s.title, len(s.article_ids), s.independent_sources, s.first_date, s.last_date, now,
                     json.dumps(asdict(s), ensure_ascii=False)))
                self.db.execute("DELETE FROM story_search WHERE rowid = ?", (_search_row(s.id),))
                self.db.execute("INSERT INTO story_search (rowid, story_id, title, brief) VALUES (?,?,?,?)",
                                (_search_row(s.id), s.id, s.title, " ".join(b.text for b in s.summary)))
        self._commit_term_stats()


class SentenceVectors:
    """A store's sentence vectors as a ``VectorCache``: looked up by key, and
    the new ones held in ``fresh`` until the ingest writes them with its
    results (one transaction, so a killed ingest leaves none half-written)."""

    def __init__(self, store: Store):
        self.store = store
        self.fresh: dict[str, np.ndarray] = {}

    def lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found = {k: self.fresh[k] for k in keys if k in self.fresh}
        rest = [k for k in keys if k not in found]
        for n in range(0, len(rest), 500):
            chunk = rest[n:n + 500]
            rows = self.store.db.execute(
                f"SELECT key, vector FROM sentence_vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        return found

    def keep(self, vectors: dict[str, np.ndarray]) -> None:
        self.fresh.update(vectors)


def _bucket(day: int | None) -> int:
    """The postings' time bucket of a day (0: undated)."""
    return (day or 0) // POSTING_BUCKET_DAYS


def _search_row(story_id: str) -> int:
    """A story's rowid in ``story_search`` (60 bits of a hash of its id)."""
    return int(hashlib.sha1(story_id.encode("utf-8")).hexdigest()[:15], 16)


def _fts_terms(query: str | None) -> str:
    """A user's search words as an FTS5 query that cannot be a syntax error:
    every word quoted, all of them required."""
    words = "".join(c if c.isalnum() else " " for c in (query or "")).split()
    return " ".join(f'"{w}"' for w in words[:20])


def ingest(
    store: Store,
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULT_SETTINGS,
    warn: Warn = lambda _: None,
    progress: Progress | None = None,
    describe_progress: Progress | None = None,
    executor: Executor = LOCAL,
) -> IngestResult:
    """Read ``inputs`` (files, directories, URLs) into ``store``; see ``add_articles``.
    ``executor`` reads, cleans and describes (here, or on a Dask cluster).

    Raises ``InputError`` when the inputs hold no usable article at all.
    """
    warnings: list[str] = []

    def collect(message: str) -> None:
        warnings.append(message)
        warn(message)

    incoming = load_articles(inputs, settings, collect, progress, executor)
    result = add_articles(store, incoming, settings, describe_progress, collect, executor)
    for message in result.warnings:
        warn(message)
    result.warnings = warnings + result.warnings
    return result


def add_articles(store: Store, incoming: Iterable[Article], settings: Settings = DEFAULT_SETTINGS,
                 progress: Progress | None = None, warn: Warn | None = None,
                 executor: Executor = LOCAL) -> IngestResult:
    """Add cleaned articles to ``store``: new articles join existing stories or
    start new ones, changed ones are replaced, the same ones change nothing.
    Concurrent ingests into one store take turns (``Store.writer``)."""
    incoming = list(incoming)
    with store.writer(settings.store_lock_timeout, warn):
        return _add_articles(store, incoming, settings, progress, executor)


class _TermIndex:
    """A store as ``stories.cluster_around`` reads it for one batch: the
    statistics are those the store will have once ``batch`` is written (its
    articles' older texts no longer counted, their new terms counted), and the
    batch's articles are never returned (the batch itself is given)."""

    def __init__(self, store: Store, batch: Sequence[Article], terms: dict[str, list[str]],
                 vectors: dict[str, np.ndarray], settings: Settings):
        self.store = store
        self.settings = settings
        self.batch = {a.id for a in batch}
        self.known_vectors = vectors
        self.new_vectors: dict[str, np.ndarray] = {}
        self.rows_read = 0  # stored articles read (what a test can hold the neighbourhood to)
        old = store._select("SELECT id, terms, strong FROM articles WHERE id IN ({}) AND strong IS NOT NULL",
                            self.batch)
        self.articles = store._stat("articles") - len(old) + len(self.batch)
        self.df_delta: dict[str, int] = {}
        self.share_delta: dict[str, int] = {}
        for row in old:
            for t in set(json.loads(row["terms"])):
                self.df_delta[t] = self.df_delta.get(t, 0) - 1
            for t in json.loads(row["strong"]):
                self.share_delta[t] = self.share_delta.get(t, 0) - 1
        for a in batch:
            for t in set(terms[a.id]):
                self.df_delta[t] = self.df_delta.get(t, 0) + 1

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: df + self.df_delta.get(t, 0) for t, (df, _) in self.store.term_stats(terms).items()}

    def shares(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: strong + self.share_delta.get(t, 0) for t, (_, strong) in self.store.term_stats(terms).items()}

    def postings(self, terms: Iterable[str], days: tuple[float, float] | None = None,
                 ) -> list[tuple[str, str, float, int | None]]:
        terms = sorted(terms)
        sql = "SELECT term, article_id, weight, day FROM postings WHERE bucket = {bucket} AND term IN ({{}})"
        if days is None:
            buckets = [r[0] for r in self.store.db.execute("SELECT DISTINCT bucket FROM postings")]
            rows = [r for b in buckets for r in self.store._select(sql.format(bucket=b), terms, raw=True)]
        else:  # the span's postings and the undated ones, each a range of the primary key
            low, high = max(1, int(math.floor(days[0]))), int(math.ceil(days[1]))
            rows = [r for b in range(_bucket(low), _bucket(high) + 1)
                    for r in self.store._select(sql.format(bucket=b) + f" AND day BETWEEN {low} AND {high}",
                                                terms, raw=True)]
            rows += self.store._select(sql.format(bucket=0) + " AND day = 0", terms, raw=True)
        return [(t, i, w, d or None) for t, i, w, d in rows if i not in self.batch]

    def newest_day(self) -> int | None:
        db = self.store.db
        days = [day_number(r[1]) for r in db.execute(f"SELECT id, date FROM articles INDEXED BY articles_odd_date "
                                                     f"WHERE date IS NOT NULL AND date NOT GLOB '{ISO_DATE}'")
                if r[0] not in self.batch]
        for article_id, date in db.execute("SELECT id, date FROM articles WHERE date IS NOT NULL "
                                           "ORDER BY date DESC"):
            if article_id not in self.batch and day_number(date) is not None:
                days.append(day_number(date))
                break
        days = [d for d in days if d is not None]
        return max(days) if days else None

    # What grouping reads of a stored article: no text (its terms stand for it), nor anything else
    # the store keeps for it; the stories that change are read whole (``Store.stories_of``).
    LIGHT = ("SELECT id, source, title, date, language, story_id, copy_of, terms, '' AS text, '[]' AS removed "
             "FROM articles")

    def _read(self, rows: Iterable[sqlite3.Row]) -> list[tuple[Article, list[str]]]:
        found = []
        for row in rows:
            if row["id"] in self.batch:
                continue
            self.rows_read += 1
            article = self.store._article(row)
            if row["terms"] is None:  # stored before its terms were (read whole, once)
                article = self.store.article(article.id) or article
                terms = article_terms(article)
            else:
                terms = json.loads(row["terms"])
            found.append((article, terms))
        return found

    def unsettled(self, horizon: Horizon) -> list[tuple[Article, list[str]]]:
        db = self.store.db
        if horizon.day is None:
            return self._read(db.execute(self.LIGHT))

        def iso(day: int) -> str:
            return dt.date.fromordinal(min(max(1, day), dt.date.max.toordinal())).isoformat()

        queries = [("WHERE date >= ?", (iso(horizon.day),)), ("WHERE date IS NULL", ()),
                   ("WHERE story_id IS NULL", ()),
                   (f"INDEXED BY articles_odd_date WHERE date IS NOT NULL AND date NOT GLOB '{ISO_DATE}'", ())]
        # the days around the newcomers (a date with a time of day sorts after its day: read to the next)
        queries += [("WHERE date >= ? AND date < ?", (iso(low), iso(high + 1)))
                    for low, high in horizon.spans if low < horizon.day]
        rows: dict[str, sqlite3.Row] = {}
        for sql, args in queries:
            rows.update((r["id"], r) for r in db.execute(f"{self.LIGHT} {sql}", args))
        return self._read(rows.values())

    def load(self, ids: Iterable[str]) -> list[tuple[Article, list[str]]]:
        return self._read(self.store._select(self.LIGHT + " WHERE id IN ({})", ids))

    def story_sizes(self, story_ids: Iterable[str]) -> dict[str, int]:
        return dict(self.store._select("SELECT story_id, count(*) FROM articles WHERE story_id IN ({}) "
                                       "GROUP BY story_id", story_ids))

    def vectors(self, articles: Sequence[Article]) -> dict[str, np.ndarray]:
        ids = [a.id for a in articles if a.id not in self.known_vectors and a.id not in self.new_vectors]
        rows = []
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            rows += self.store.db.execute(f"SELECT id, vector FROM articles WHERE id IN ({','.join('?' * len(part))}) "
                                          "AND vector IS NOT NULL AND vector_model = ?", [*part, embeddings.MODEL])
        stored = {r[0]: np.frombuffer(r[1], dtype=np.float32) for r in rows if r[0] not in self.batch}
        missing = [a for a in articles if a.id not in self.known_vectors and a.id not in self.new_vectors
                   and a.id not in stored]
        self.new_vectors |= article_vectors(missing, self.settings)
        known = {**stored, **self.new_vectors, **self.known_vectors}
        return {a.id: known[a.id] for a in articles if a.id in known}


def _add_articles(
    store: Store,
    incoming: Iterable[Article],
    settings: Settings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
    executor: Executor = LOCAL,
) -> IngestResult:
    incoming = list(incoming)
    result = IngestResult()
    known = store._fingerprints(a.id for a in incoming)
    fresh: dict[str, Article] = {}
    for article in incoming:
        stored = known.get(article.id)
        if stored == fingerprint(article):
            result.unchanged.append(article.id)
        else:
            (result.updated if stored else result.added).append(article.id)
            fresh[article.id] = article
    if not fresh:
        return result
    return _add_around(store, fresh, result, settings, progress, executor)


def _add_around(store: Store, fresh: dict[str, Article], result: IngestResult, settings: Settings,
                progress: Progress | None, executor: Executor) -> IngestResult:
    """Group the batch with its neighbourhood only (``stories.cluster_around``;
    a store of up to ``story_exact_limit`` articles is the neighbourhood of
    any batch), then describe the stories whose articles changed, reading
    their members."""
    previous = dict(store._select("SELECT id, story_id FROM articles WHERE id IN ({})", fresh))
    batch = [replace(a, story_id=previous.get(a.id)) for a in fresh.values()]
    new_terms = {a.id: article_terms(a) for a in batch}
    new_vectors = article_vectors(batch, settings)  # every new article gets its vector once
    index = _TermIndex(store, batch, new_terms, new_vectors, settings)
    assignment, free, strong = cluster_around(batch, index, settings, new_terms)
    updated = set(result.updated)
    touched: set[str] = set()
    for a in free:
        if a.story_id != assignment[a.id]:
            touched |= {assignment[a.id], a.story_id} - {None}  # type: ignore[arg-type]
        elif a.id in updated:
            touched.add(assignment[a.id])
    touched |= {a.story_id for a in batch if a.id not in assignment and a.story_id}  # settled, changed text
    articles = {a.id: a for a in store.stories_of(touched)}
    articles.update((a.id, a) for a in batch)
    for a in free:  # read without their text: only those of stories that change count, read whole above
        if a.id not in fresh:
            articles.setdefault(a.id, a)
    group = list(articles.values())
    before_copy = {a.id: a.copy_of for a in group}
    sentences = store.sentence_vectors()
    regrouped = regroup(group, updated, settings, progress, warn=result.warnings.append,
                        sentence_cache=sentences, executor=executor, assignment=assignment)
    members = {a for s in regrouped.stories for a in s.article_ids}
    to_write = [a for a in regrouped.articles
                if a.id in fresh or a.id in members or a.copy_of != before_copy[a.id]]
    store.save(to_write, regrouped.stories, regrouped.gone, new_terms, new_vectors | index.new_vectors,
               sentences.fresh, settings, strong)
    result.stories_changed = [s.id for s in regrouped.stories]
    result.stories_removed = sorted(regrouped.gone)
    return result
