"""The Dask backend (issue 16): a real ``dask.distributed.LocalCluster`` of
worker processes gives the same report bytes and the same store as one process."""

from __future__ import annotations

import sqlite3

import pytest

from storyline.executor import LOCAL, DaskExecutor, make_executor, partitions
from storyline.pipeline import analyze
from storyline.report import to_json
from storyline.store import Store, ingest

from .conftest import EXAMPLES, run_cli

BILINGUAL = EXAMPLES.parent / "bilingual"


@pytest.fixture(scope="module")
def cluster():
    executor = DaskExecutor(workers=2)
    yield executor
    executor.close()


def test_no_workers_means_this_process_and_dask_is_not_imported():
    import subprocess
    import sys

    assert make_executor(0, None) is LOCAL
    assert LOCAL.map(lambda x: x * 2, [1, 2, 3]) == [2, 4, 6]
    assert partitions(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    probe = ("import sys; from storyline.pipeline import analyze; analyze([sys.argv[1]]); "
             "print(any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))")
    ran = subprocess.run([sys.executable, "-c", probe, str(EXAMPLES)], capture_output=True, text=True, timeout=300)
    assert ran.stdout.strip() == "False", ran.stderr


@pytest.mark.parametrize("corpus", ["seeds", "examples", "bilingual"])
def test_analyze_on_two_workers_writes_the_same_bytes(cluster, corpus, request):
    inputs = {"seeds": lambda: request.getfixturevalue("seeds"), "examples": lambda: EXAMPLES,
              "bilingual": lambda: BILINGUAL}[corpus]()
    local = to_json(analyze([inputs]))
    assert to_json(analyze([inputs], executor=cluster)) == local


def _contents(path) -> tuple:
    with sqlite3.connect(path) as db:
        return (db.execute("SELECT id, story_id, copy_of, text FROM articles ORDER BY id").fetchall(),
                db.execute("SELECT id, title, articles, independent_sources, data FROM stories ORDER BY id").fetchall(),
                # the sentence vectors workers computed come back to the store's cache
                db.execute("SELECT key, vector FROM sentence_vectors ORDER BY key").fetchall())


def test_ingest_on_two_workers_leaves_the_same_store(cluster, seeds, tmp_path):
    with Store(tmp_path / "local.db") as db:
        ingest(db, [EXAMPLES])
        ingest(db, [seeds])
    with Store(tmp_path / "dask.db") as db:
        ingest(db, [EXAMPLES], executor=cluster)
        ingest(db, [seeds], executor=cluster)
    assert _contents(tmp_path / "dask.db") == _contents(tmp_path / "local.db")


def test_cli_workers_and_an_unreachable_scheduler(tmp_path):
    plain = run_cli("analyze", EXAMPLES, "-q")
    on_workers = run_cli("analyze", EXAMPLES, "-q", "--workers", "2")
    assert on_workers.returncode == 0, on_workers.stderr
    assert on_workers.stdout == plain.stdout
    missing = run_cli("analyze", EXAMPLES, "-q", "--scheduler", "tcp://127.0.0.1:9")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().startswith("storyline: error: cannot start or reach the Dask cluster")
