"""The SQLite store and incremental ingest (`storyline ingest` / `stories`)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from storyline.errors import StorylineError
from storyline.report import to_dict, validate
from storyline.settings import DEFAULT_SETTINGS
from storyline.store import MIGRATIONS, SCHEMA_VERSION, Store, ingest

from .conftest import EXAMPLES, run_cli

# Written for this test: one more report of the seeds' event, a day later.
LATE_REPORT = """ date 2022-03-30 Russian and Ukrainian negotiators meeting in Istanbul ended their talks with \
Moscow's promise to drastically reduce military activity near Kyiv and Chernihiv, a pledge Ukrainian officials \
and Western governments greeted with caution.

Ukraine's delegation said it had proposed a neutral status for the country in exchange for security guarantees \
from a group of states, and that a meeting between Presidents Zelensky and Putin could follow.

Russia's deputy defence minister Alexander Fomin said the reduction was meant to build trust for further \
negotiations. Ukrainian negotiator David Arakhamia said the guarantees would have to be legally binding.

US Secretary of State Antony Blinken said Washington had not seen signs that Russia was serious about the talks.
"""


def stored_stories(db: Store) -> dict[str, list[str]]:
    return {s.id: sorted(db.story(s.id).article_ids) for s in db.stories(limit=1000)}


def test_ingest_seeds_twice_then_a_new_article(seeds, tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as db:
        first = ingest(db, [seeds])
        assert len(first.added) == 5 and not first.unchanged
        before = stored_stories(db)
        assert len(before) == 1
        (story_id, members), = before.items()
        assert len(members) == 5 and db.story(story_id).independent_sources == 4

        again = ingest(db, [seeds])
        assert sorted(again.unchanged) == members and not again.added and not again.stories_changed
        assert stored_stories(db) == before

        late = tmp_path / "late-report.txt"
        late.write_text(LATE_REPORT, encoding="utf-8")
        third = ingest(db, [late])
        assert third.added == ["late-report"] and third.stories_changed == [story_id]
        after = stored_stories(db)
        assert list(after) == [story_id] and after[story_id] == sorted(members + ["late-report"])
        story = db.story(story_id)
        assert story.independent_sources == 5 and story.last_date == "2022-03-30"
        assert db.article("late-report").story_id == story_id
        validate(to_dict(db.story_report(story_id)))


def test_store_file_is_wal_and_versioned(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as db:
        ingest(db, [EXAMPLES])
        assert db.version == SCHEMA_VERSION
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")} >= {"articles", "stories"}


def test_old_store_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0])
    raw.execute("PRAGMA user_version = 1")
    raw.close()
    with Store(path) as db:
        assert db.version == SCHEMA_VERSION
        ingest(db, [EXAMPLES])
        assert db.stories(query="landslide")  # the index that migration 2 added is filled


def test_newer_store_and_readonly_missing_store_are_clear_errors(tmp_path):
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(StorylineError, match="upgrade storyline"):
        Store(path)
    with pytest.raises(StorylineError, match="no store"):
        Store(tmp_path / "missing.db", readonly=True)


def test_changed_article_is_updated_not_duplicated(tmp_path):
    path = tmp_path / "s.db"
    corpus = tmp_path / "in"
    corpus.mkdir()
    for item in EXAMPLES.glob("*.txt"):
        (corpus / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    with Store(path) as db:
        ingest(db, [corpus])
        count = db.count()
        target = corpus / "alpine-wire.txt"
        target.write_text(target.read_text(encoding="utf-8") + "\nOfficials later said repairs had begun.\n",
                          encoding="utf-8")
        result = ingest(db, [corpus])
        assert result.updated == ["alpine-wire"] and db.count() == count
        assert "repairs had begun" in db.article("alpine-wire").text
        assert result.stories_changed == [db.article("alpine-wire").story_id]


def test_search_and_order(tmp_path):
    with Store(tmp_path / "s.db") as db:
        ingest(db, [EXAMPLES])
        assert [r.title for r in db.stories(query="landslide passengers")]
        assert db.stories(query='"unbalanced (quote OR') == []  # user text never breaks the FTS query
        ranked = db.stories(order="sources")
        assert [r.independent_sources for r in ranked] == sorted((r.independent_sources for r in ranked), reverse=True)


def test_cli_ingest_stories_and_analyze_with_store(tmp_path):
    store = tmp_path / "cli.db"
    first = run_cli("ingest", EXAMPLES, "--store", store)
    assert first.returncode == 0, first.stderr
    assert "added" in first.stdout and "0 unchanged" in first.stdout
    second = run_cli("ingest", EXAMPLES, "--store", store)
    assert " 0 added" in " " + second.stdout and "0 stories new or changed" in second.stdout

    listed = run_cli("stories", "--store", store, "--format", "json", "--sort", "sources")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows and {"id", "title", "articles", "independent_sources"} <= set(rows[0])
    table = run_cli("stories", "--store", store)
    assert rows[0]["id"] in table.stdout

    report = run_cli("analyze", EXAMPLES / "alpine-wire.txt", "--store", store)
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    validate(data)
    assert len(data["stories"]) == 1 and "alpine-wire" in data["stories"][0]["article_ids"]
    assert len(data["stories"][0]["article_ids"]) > 1  # the stored story, with the articles ingested before


def test_cli_stories_without_store_is_one_line_error(tmp_path):
    result = run_cli("stories", "--store", tmp_path / "nothing.db")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "no store" in result.stderr
    assert "Traceback" not in result.stderr


def test_item_9_store_in_a_missing_folder_is_created_and_under_a_file_is_one_line_error(tmp_path):
    created = run_cli("ingest", EXAMPLES / "alpine-wire.txt", "--store", tmp_path / "new" / "folder" / "s.db")
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "new" / "folder" / "s.db").is_file()
    (tmp_path / "plain-file").write_text("x")
    blocked = run_cli("ingest", EXAMPLES / "alpine-wire.txt", "--store", tmp_path / "plain-file" / "s.db")
    assert blocked.returncode == 2 and "Traceback" not in blocked.stderr
    assert blocked.stderr.strip().count("\n") == 0 and "cannot create the store's folder" in blocked.stderr


def test_encoder_vectors_are_stored_once_and_link_languages(tmp_path, monkeypatch):
    """Each article is embedded once: a later ingest embeds only its newcomers,
    and a Spanish newcomer joins the stored English story through the stored vectors."""
    from storyline import embeddings

    bilingual = EXAMPLES.parent / "bilingual"
    embedded: list[str] = []
    real_embed = embeddings.embed

    def counting_embed(texts):
        import sys

        if sys._getframe(1).f_code.co_name == "article_vectors":  # not the statements' vectors
            embedded.extend(texts)
        return real_embed(texts)

    monkeypatch.setattr(embeddings, "embed", counting_embed)
    with Store(tmp_path / "store.db") as db:
        ingest(db, [bilingual / "southline-wire.txt", bilingual / "harbour-ledger.txt"])
        assert set(db.vectors()) == {"southline-wire", "harbour-ledger"}
        per_article = len(DEFAULT_SETTINGS.encoder_leads)  # texts embedded per article
        assert len(embedded) == 2 * per_article
        ingest(db, [bilingual / "correo-de-almenar.txt"])
        assert len(embedded) == 3 * per_article
        assert all(text.startswith("Se hunde la pasarela") for text in embedded[-per_article:])
        vectors = db.vectors()
        assert len(vectors) == 3 and all(v.shape == (embeddings.DIM,) for v in vectors.values())
        assert len({a.story_id for a in db.articles()}) == 1


def test_sentence_vectors_are_stored_and_not_embedded_again(tmp_path, monkeypatch):
    """A story described again (a newcomer joined it) takes its earlier articles'
    sentence vectors from the store: only sentences never seen are embedded."""
    from storyline import embeddings

    bilingual = EXAMPLES.parent / "bilingual"
    batches: list[list[str]] = []
    real_embed = embeddings.embed

    def counting_embed(texts):
        import sys

        if sys._getframe(1).f_code.co_name == "embed_cached":  # statements, not articles
            batches[-1].extend(texts)
        return real_embed(texts)

    monkeypatch.setattr(embeddings, "embed", counting_embed)
    with Store(tmp_path / "store.db") as db:
        batches.append([])
        ingest(db, [bilingual / "southline-wire.txt", bilingual / "harbour-ledger.txt"])
        first = set(batches[0])
        assert first and db.count("sentence_vectors") == len(first)
        batches.append([])
        ingest(db, [bilingual / "correo-de-almenar.txt"])
        assert batches[1] and not first & set(batches[1])
        spanish = (bilingual / "correo-de-almenar.txt").read_text("utf-8")
        assert any(text in spanish for text in batches[1])
        assert db.count("sentence_vectors") == len(first | set(batches[1]))
        batches.append([])
        ingest(db, [bilingual])  # nothing new: nothing described, nothing embedded
        assert batches[2] == []


def test_item_2_three_ingests_at_once_leave_what_three_in_a_row_leave(seeds, tmp_path):
    """Three `ingest` processes into one store at the same time leave exactly what
    the same three ingests one after the other leave: the same stories, with the
    same ids and members, each article on exactly one story page."""
    import subprocess
    import sys

    inputs = [EXAMPLES, seeds, EXAMPLES.parent / "bilingual"]

    def command(store, source):
        return [sys.executable, "-m", "storyline", "ingest", "--store", str(store), "-q", str(source)]

    together = tmp_path / "together.db"
    runs = [subprocess.Popen(command(together, source), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for source in inputs]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    in_a_row = tmp_path / "in-a-row.db"
    for source in inputs:
        done = subprocess.run(command(in_a_row, source), capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr

    def state(path):
        with Store(path, readonly=True) as db:
            pages = stored_stories(db)
            members = {a.id: a.story_id for a in db.articles()}
        return {sid: sorted(ids) for sid, ids in pages.items()}, members

    pages, members = state(together)
    assert (pages, members) == state(in_a_row)
    assert sorted(a for ids in pages.values() for a in ids) == sorted(members)  # each on exactly one page
    assert len({a for a in members if a.startswith("0")}) == 5 and len(pages) >= 3


def test_item_7_a_read_only_store_in_a_read_only_folder_can_be_listed():
    """`stories` (read-only) on a store the user cannot write, in a folder the user
    cannot write: it lists the stories and leaves no -wal/-shm files behind."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="storyline-ro-"))  # under /tmp, so another user can reach it
    base.chmod(0o755)
    folder = base / "ro"
    with Store(folder / "s.db") as db:
        ingest(db, [EXAMPLES.parent / "bilingual"])
    (folder / "s.db.lock").unlink()
    command = [sys.executable, "-m", "storyline", "stories", "--store", str(folder / "s.db"), "--format", "json"]
    if os.geteuid() == 0:  # root may write anything: run as nobody, to whom the permissions apply
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv")
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run(as_nobody + [sys.executable, "-c", "import storyline"], capture_output=True, cwd="/")
        if probe.returncode != 0:
            pytest.skip("the project is not readable by the unprivileged user here")
        command = as_nobody + command
    (folder / "s.db").chmod(0o444)
    folder.chmod(0o555)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd="/")
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)) == 1
        assert sorted(p.name for p in folder.iterdir()) == ["s.db"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_item_2_an_ingest_says_it_waits_for_another_and_gives_up_after_the_timeout(tmp_path):
    """While another writer holds the store, an ingest says it is waiting; it
    goes on when the other finishes, and gives up with a clear error after
    ``store_lock_timeout``."""
    import fcntl
    import threading
    from dataclasses import replace

    from storyline.errors import StorylineError

    path = tmp_path / "busy.db"
    Store(path).close()
    other = open(f"{path}.lock", "a")  # another writer
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        said: list[str] = []
        with Store(path) as db, pytest.raises(StorylineError, match="try again later"):
            ingest(db, [EXAMPLES], replace(DEFAULT_SETTINGS, store_lock_timeout=0.5), warn=said.append)
        assert any("waiting for another ingest" in s for s in said)
        threading.Timer(0.5, lambda: fcntl.flock(other, fcntl.LOCK_UN)).start()
        said.clear()
        with Store(path) as db:
            result = ingest(db, [EXAMPLES], warn=said.append)
        assert result.added and any("waiting for another ingest" in s for s in said)
    finally:
        other.close()


def test_crash_safety_sigkill_at_five_moments(seeds, tmp_path):
    """An ingest killed (SIGKILL) at five moments, one after another: after each
    kill the store passes SQLite's integrity check, the next ingest completes,
    and no committed article is lost or duplicated."""
    import random
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    store = tmp_path / "crash.db"
    inputs = [str(EXAMPLES), str(seeds), str(EXAMPLES.parent / "bilingual")]
    command = [sys.executable, "-m", "storyline", "ingest", "--store", str(store), "-q", *inputs]
    moments = random.Random(14).sample([x / 10 for x in range(5, 60)], 5)
    committed: set[str] = set()
    for moment in moments:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if store.exists():
            with sqlite3.connect(store) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                ids = [row[0] for row in db.execute("SELECT id FROM articles")]
            assert len(ids) == len(set(ids)) and committed <= set(ids)  # nothing committed is lost
            committed = set(ids)
    finished = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert finished.returncode == 0, finished.stderr
    with Store(store, readonly=True) as db:
        articles = db.articles()
        stories = {a.story_id for a in articles}
        assert committed <= {a.id for a in articles} and len(articles) == len({a.id for a in articles})
        assert all(db.story_report(s) is not None for s in stories)  # every article's story page exists
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- issue 16 item 4: ingest reads the batch's neighbourhood, not the store --------

def stream_of_events(events: int, seed: int = 0, days_apart: int = 3, first_day: int = 0, undated_every: int = 7):
    """Articles of a stream of made-up events, in date order: each event has its
    own words and names, reported by one to four articles within two days that
    mix them with words common to every event; every ``undated_every``-th event
    has one undated report."""
    import datetime as dt
    import random

    from storyline.model import Article

    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]

    def word(parts: int = 3) -> str:
        return "".join(rng.choice(syllables) for _ in range(parts))

    common = [word(2) for _ in range(150)]
    start = dt.date(2024, 1, 1).toordinal()
    articles = []
    for e in range(first_day, first_day + events):
        topic = [word() for _ in range(12)]
        names = [word().capitalize() for _ in range(4)]
        day = start + e * days_apart
        for k in range(rng.randint(1, 4)):
            sentences = []
            for _ in range(4):
                words = rng.sample(topic, 5) + rng.sample(common, 5)
                rng.shuffle(words)
                a, b = rng.sample(names, 2)
                sentences.append(f"The {' '.join(words[:5])} with {a} and {b} {' '.join(words[5:])}.")
            date = dt.date.fromordinal(day + rng.randint(0, 2)).isoformat()
            if k == 1 and e % undated_every == 0:
                date = None
            articles.append(Article(id=f"ev{e:04d}-{k}", source="made-up", text=" ".join(sentences), date=date,
                                    outlet=f"outlet{rng.randrange(9)}"))
    return sorted(articles, key=lambda a: (a.date or "", a.id))


NEIGHBOURHOOD = DEFAULT_SETTINGS.__class__(describe=False, encoder=False, story_exact_limit=10)


def test_batches_through_the_term_index_give_the_one_go_partition_and_the_same_ids(tmp_path):
    """Past ``story_exact_limit`` an ingest groups only the batch's neighbourhood
    (``stories.cluster_around``); batches within the unsettled window still give
    the partition of one go, and the ids that regrouping every article gives."""
    from dataclasses import replace

    from storyline.store import add_articles
    from storyline.stories import cluster_stories

    articles = stream_of_events(40)
    one_go = cluster_stories(articles, NEIGHBOURHOOD)
    regrouped: list = []
    with Store(tmp_path / "s.db") as db:
        for start in range(0, len(articles), 15):
            add_articles(db, articles[start:start + 15], NEIGHBOURHOOD)
            for batch_article in articles[start:start + 15]:  # the same batches, every article regrouped
                regrouped.append(replace(batch_article, story_id=None))
            assignment = cluster_stories(regrouped, NEIGHBOURHOOD)
            regrouped = [replace(a, story_id=assignment[a.id]) for a in regrouped]
        stored = {a.id: a.story_id for a in db.articles()}
        pages = stored_stories(db)

    def partition(assignment):
        groups: dict = {}
        for article, story in assignment.items():
            groups.setdefault(story, set()).add(article)
        return sorted(sorted(g) for g in groups.values())

    assert partition(stored) == partition(one_go)
    assert stored == {a.id: a.story_id for a in regrouped}
    assert pages == {s: sorted(i for i, t in stored.items() if t == s) for s in set(stored.values())}
    assert any(a.date is None for a in articles)


def test_an_ingest_reads_the_batch_neighbourhood_not_every_article(tmp_path, monkeypatch):
    """A batch at the end of a long history reads the unsettled window, the
    candidates its terms find and the members of the stories it changes: far
    fewer articles than the store holds. Regrouping everything (a store within
    ``story_exact_limit``) reads every one: the same count would fail there."""
    from storyline.store import add_articles

    history = stream_of_events(300, seed=1, undated_every=100)
    batch = stream_of_events(3, seed=2, first_day=300, undated_every=100)
    read: list[str] = []
    real = Store._article

    def counting(self, row):
        read.append(row["id"])
        return real(self, row)

    for limit, bounded in ((10, True), (10_000, False)):
        settings = DEFAULT_SETTINGS.__class__(describe=False, encoder=False, story_exact_limit=limit)
        with Store(tmp_path / f"s{limit}.db") as db:
            for start in range(0, len(history), 150):
                add_articles(db, history[start:start + 150], settings)
            stored = db.count()
            statements: list[str] = []
            db.db.set_trace_callback(statements.append)
            monkeypatch.setattr(Store, "_article", counting)
            read.clear()
            result = add_articles(db, batch, settings)
            monkeypatch.setattr(Store, "_article", real)
            db.db.set_trace_callback(None)
            assert len(result.added) == len(batch) and result.stories_changed
            undated = sum(1 for a in history if a.date is None)  # never settled: read every time
            if bounded:
                print(len(read), stored)
                assert len(read) < stored / 3, (len(read), stored)
                assert undated <= len(set(read))
                assert not [s for s in statements if "FROM articles ORDER BY" in s or "terms IS NOT NULL" in s]
            else:
                assert len(read) >= stored


def test_migration_6_fills_the_term_index_of_a_stored_store(tmp_path):
    """A store of schema 5 gets the term index of what it holds: the same
    document frequencies, article count and postings an ingest would have made."""
    from storyline.pipeline import load_articles
    from storyline.report import article_to_dict
    from storyline.store import fingerprint
    from storyline.stories import article_terms

    articles = load_articles([EXAMPLES])
    old = tmp_path / "v5.db"
    raw = sqlite3.connect(old)
    for script in MIGRATIONS[:5]:
        raw.executescript(script)
    raw.execute("PRAGMA user_version = 5")
    for n, a in enumerate(articles):
        d = article_to_dict(a)
        raw.execute("INSERT INTO articles (id, source, title, date, text, fingerprint, added_at, terms) "
                    "VALUES (?,?,?,?,?,?,?,?)",
                    (a.id, a.source, a.title, a.date, a.text, fingerprint(a), "2026-01-01",
                     None if n == 0 else json.dumps(article_terms(a))))  # one without its terms (schema 2)
        assert d["id"] == a.id
    raw.commit()
    raw.close()
    fresh = tmp_path / "fresh.db"
    with Store(fresh) as db:
        db.save(articles, [], terms={a.id: article_terms(a) for a in articles})

    def index(path):
        raw = sqlite3.connect(path)
        state = (sorted(raw.execute("SELECT term, df, strong FROM term_stats")),
                 [(t, i, round(w, 5), d)
                  for t, i, w, d in raw.execute("SELECT term, article_id, weight, day FROM postings ORDER BY 1, 2")],
                 raw.execute("SELECT value FROM store_stats WHERE key = 'articles'").fetchone())
        raw.close()
        return state

    with Store(old) as db:
        assert db.version == SCHEMA_VERSION
    terms, postings, count = index(old)
    assert (terms, postings, count) == index(fresh)
    assert count == (len(articles),) and postings
    assert sorted(t for t, df, _ in terms) == sorted({t for a in articles for t in article_terms(a)})


def test_migration_7_keeps_the_postings_by_time_bucket_and_an_ingest_still_finds_them(tmp_path):
    """Migration 7 moves the postings into time buckets (a batch writes to the
    pages of its own days): the same rows, and a changed article's old
    postings are still taken out."""
    from dataclasses import replace

    from storyline.pipeline import load_articles
    from storyline.store import POSTING_BUCKET_DAYS, add_articles
    from storyline.stories import day_number

    articles = load_articles([EXAMPLES])
    path = tmp_path / "v6.db"
    with Store(path) as db:
        add_articles(db, articles, DEFAULT_SETTINGS.__class__(describe=False, encoder=False))
    raw = sqlite3.connect(path)
    rows = sorted(raw.execute("SELECT term, day, article_id, weight FROM postings"))
    raw.executescript("DROP TABLE postings; CREATE TABLE postings (term TEXT NOT NULL, day INTEGER NOT NULL, "
                      "article_id TEXT NOT NULL, weight REAL NOT NULL, PRIMARY KEY (term, day, article_id)) "
                      "WITHOUT ROWID; PRAGMA user_version = 6;")
    raw.executemany("INSERT INTO postings VALUES (?,?,?,?)", rows)
    raw.commit()
    raw.close()
    with Store(path) as db:
        assert db.version == SCHEMA_VERSION
        moved = sorted(tuple(r) for r in db.db.execute("SELECT term, day, article_id, weight, bucket FROM postings"))
        assert [r[:4] for r in moved] == rows and rows
        assert all(bucket == day // POSTING_BUCKET_DAYS for _, day, _, _, bucket in moved)
        changed = replace(articles[0], text=articles[0].text + " A late correction about the weather.")
        add_articles(db, [changed], DEFAULT_SETTINGS.__class__(describe=False, encoder=False))
        strong = json.loads(db.db.execute("SELECT strong FROM articles WHERE id = ?", (changed.id,)).fetchone()[0])
        posted = {r[0] for r in db.db.execute("SELECT term, bucket FROM postings WHERE article_id = ?", (changed.id,))}
        assert posted == set(strong)
        assert {r[0] for r in db.db.execute("SELECT bucket FROM postings WHERE article_id = ?", (changed.id,))} == {
            (day_number(changed.date) or 0) // POSTING_BUCKET_DAYS}


def test_the_term_cache_follows_this_stores_commits_and_anothers(tmp_path):
    """The document frequencies and strong-term counts an ingest reads are kept
    between batches: after this store's own batches they equal the table, and
    a commit through another connection is seen, never a stale count."""
    from storyline.model import Article
    from storyline.store import add_articles

    articles = stream_of_events(30)
    path = tmp_path / "s.db"
    with Store(path) as db:
        terms = None
        for start in range(0, len(articles), 12):
            add_articles(db, articles[start:start + 12], NEIGHBOURHOOD)
            terms = terms or sorted(db._term_cache)  # filled by the first batch past the exact limit
        assert terms

        def table() -> dict:
            rows = db._select("SELECT term, df, strong FROM term_stats WHERE term IN ({})", terms, raw=True)
            found = {t: (df, strong) for t, df, strong in rows}
            return {t: found.get(t, (0, 0)) for t in terms}

        assert {t: db._term_cache[t] for t in terms if t in db._term_cache} == \
            {t: v for t, v in table().items() if t in db._term_cache}
        assert db.term_stats(terms) == table()
        with Store(path) as other:  # another process's ingest: an article with the same words
            add_articles(other, [Article(id="late", source="x", text=articles[-1].text, date=articles[-1].date)],
                         NEIGHBOURHOOD)
        assert db.term_stats(terms) == table()
        assert any(db.term_stats(terms)[t][0] > 0 for t in terms)
