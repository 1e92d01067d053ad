"""The embedded store: one SQLite file (WAL mode) holding articles and their
described stories, so that storyline can ingest what arrives, keep story ids
stable, and serve stories without recomputing them.

- ``articles`` keeps each cleaned article with a fingerprint of its content:
  ingesting the same article again changes nothing; the same id with new
  content replaces the stored text and regroups its story.
- ``stories`` keeps each story's report entry as JSON, plus the columns the
  story list sorts and filters on; ``story_search`` is its FTS5 index.
- The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS`` are
  applied in order when an older store is opened, never edited once shipped.

``ingest`` is the one place that runs the pipeline against the store: new
and changed articles are regrouped with the stored ones
(``pipeline.regroup``), and only stories whose articles changed are
described again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
from .stories import article_terms, article_vectors

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
]
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

    def _fingerprints(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, fingerprint FROM articles").fetchall())

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
             sentence_vectors: dict[str, np.ndarray] | None = None) -> None:
        """Write articles (insert or update; ``added_at`` keeps the first ingest),
        their story ``terms`` and encoder ``vectors`` where given, new ``sentence_vectors``,
        and stories, and delete ``removed`` stories, in one transaction."""
        now = _now()
        with self._transaction():
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
            for article_id, article_terms in (terms or {}).items():
                self.db.execute("UPDATE articles SET terms = ? WHERE id = ?",
                                (json.dumps(article_terms, ensure_ascii=False), article_id))
            for article_id, vector in (vectors or {}).items():
                self.db.execute("UPDATE articles SET vector = ?, vector_model = ? WHERE id = ?",
                                (np.asarray(vector, dtype=np.float32).tobytes(), embeddings.MODEL, article_id))
            self.db.executemany("INSERT OR IGNORE INTO sentence_vectors (key, vector) VALUES (?, ?)",
                                [(key, np.asarray(v, dtype=np.float32).tobytes())
                                 for key, v in (sentence_vectors or {}).items()])
            for story_id in removed:
                self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
                self.db.execute("DELETE FROM story_search WHERE story_id = ?", (story_id,))
            for s in stories:
                self.db.execute(
                    "INSERT OR REPLACE INTO stories (id, title, articles, independent_sources, first_date, "
                    "last_date, updated_at, data) VALUES (?,?,?,?,?,?,?,?)",
                    (s.id, s.title, len(s.article_ids), s.independent_sources, s.first_date, s.last_date, now,
                     json.dumps(asdict(s), ensure_ascii=False)))
                self.db.execute("DELETE FROM story_search WHERE story_id = ?", (s.id,))
                self.db.execute("INSERT INTO story_search (story_id, title, brief) VALUES (?,?,?)",
                                (s.id, s.title, " ".join(b.text for b in s.summary)))


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


def _add_articles(
    store: Store,
    incoming: Iterable[Article],
    settings: Settings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
    executor: Executor = LOCAL,
) -> IngestResult:
    result = IngestResult()
    known = store._fingerprints()
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
    everything = store.articles()
    previous = {a.id: a.story_id for a in everything}
    everything = [a for a in everything if a.id not in fresh]
    fresh = {a.id: replace(a, story_id=previous.get(a.id)) for a in fresh.values()}
    everything += fresh.values()
    known = store.terms()
    new_terms = {a.id: article_terms(a) for a in everything if a.id in fresh or a.id not in known}
    # Every new article gets its encoder vector once, so a later article in another
    # language can be linked to it without embedding it again. The stored vectors
    # are read only when the articles are in more than one language: only then
    # does grouping use them (an older store's articles are embedded then, once).
    new_vectors = article_vectors(list(fresh.values()), settings)
    vectors = None
    if len({a.language for a in everything if a.language}) > 1:
        stored_vectors = {k: v for k, v in store.vectors().items() if k not in fresh}
        new_vectors |= article_vectors([a for a in everything if a.id not in stored_vectors
                                        and a.id not in new_vectors], settings)
        vectors = {**stored_vectors, **new_vectors}
    before_copy = {a.id: a.copy_of for a in everything}
    sentences = store.sentence_vectors()
    regrouped = regroup(everything, set(result.updated), settings, progress, terms={**known, **new_terms},
                        vectors=vectors, warn=result.warnings.append, sentence_cache=sentences, executor=executor)
    stories, gone = regrouped.stories, regrouped.gone
    touched = {a for s in stories for a in s.article_ids}
    to_write = [a for a in regrouped.articles
                if a.id in fresh or a.id in touched or a.copy_of != before_copy[a.id]]
    store.save(to_write, stories, gone, new_terms, new_vectors, sentences.fresh)
    result.stories_changed = [s.id for s in stories]
    result.stories_removed = sorted(gone)
    return result
