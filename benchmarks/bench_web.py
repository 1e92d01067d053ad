"""The store and the web app (issue 7): ingest throughput into the store, and
p50/p95 latency of the story list and story pages with at least 10,000
articles stored, measured against a real `storyline serve` (uvicorn) over
HTTP from this machine.

Store: 10,000 articles made from Multi-News text (bench_scale's
repeat-and-perturb), ingested in ten arrival-ordered batches of 1,000 with
the description stages off (stories, copies and ids only), then the 982 real
ECB+ documents ingested with the whole pipeline (entities, quotes, brief,
claims), so their stories' pages are full-sized. Baselines in the same run:
- ingest: the same ECB+ articles through ``build_stories`` with no store
  (what `analyze` spends), so the store's own cost is the difference;
- latency: a constant response (the app's script, /app.js) from the same
  server, the floor of the HTTP stack.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from common import print_table, write_results

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BULK = 10_000
BATCHES = 10
REQUESTS = 200


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_requests(base: str, paths: list[str]) -> dict:
    times = []
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get(paths[0])  # warm-up
        for path in paths:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
    return {"requests": len(times), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95),
            "mean_ms": statistics.mean(times)}


CLIENTS = 100
CONCURRENT_REQUESTS = 1000
WRITER_ARTICLES = 400


async def _clients(base: str, paths: list[str], clients: int, keep_going=None) -> dict:
    """``clients`` concurrent HTTP clients share ``paths``; with ``keep_going``,
    they go round again while it returns true (and stop when it turns false)."""
    import asyncio

    times: list[float] = []
    errors = gone = 0
    kinds: dict[str, int] = {}
    queue: asyncio.Queue = asyncio.Queue()

    def refill():
        for path in paths:
            queue.put_nowait(path)

    refill()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def worker():
            nonlocal errors, gone
            while True:
                if queue.empty():
                    if keep_going is None or not keep_going():
                        return
                    refill()
                path = queue.get_nowait()
                start = time.perf_counter()
                try:
                    status = (await client.get(path)).status_code
                except httpx.HTTPError as exc:
                    status = 0
                    kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                if keep_going is not None and not keep_going():
                    return  # the writer finished during this request: not counted
                times.append((time.perf_counter() - start) * 1000)
                gone += status == 404  # a story the writer merged into another: an answer, not a failure
                errors += status not in (200, 404)
                if status not in (0, 200, 404):
                    kinds[f"HTTP {status}"] = kinds.get(f"HTTP {status}", 0) + 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return {"requests": len(times), "errors": errors, "error_kinds": kinds, "not_found": gone, "clients": clients,
            "p50_ms": percentile(times, 0.5) if times else None, "p95_ms": percentile(times, 0.95) if times else None}


def concurrent_latency(base: str, store: Path, pages: list[str], writer_input: Path) -> dict:
    """Story pages under ``CLIENTS`` concurrent clients, first with the store
    idle, then while a ``storyline ingest`` process writes new articles into it
    (the whole pipeline). Readers must neither wait for the writer nor stop it."""
    import asyncio
    import subprocess

    idle = asyncio.run(_clients(base, pages, CLIENTS))
    writer = subprocess.Popen([sys.executable, "-m", "storyline", "ingest", str(writer_input), "--store", str(store),
                               "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=HERE.parent)
    start = time.perf_counter()
    busy = asyncio.run(_clients(base, pages, CLIENTS, keep_going=lambda: writer.poll() is None))
    out, err = writer.communicate()
    seconds = time.perf_counter() - start
    if writer.returncode != 0:
        raise SystemExit(f"the concurrent ingest failed: {err.strip()[-300:]}")
    return {"idle": idle, "during_ingest": busy,
            "ingest": {"articles": WRITER_ARTICLES, "seconds": seconds, "summary": out.strip().splitlines()[0]}}


def main() -> dict:
    from bench_scale import build
    from bench_stories import ecbplus_articles

    from storyline.pipeline import build_stories
    from storyline.settings import DEFAULT_SETTINGS
    from storyline.store import Store, add_articles
    from tests.conftest import LiveServer

    rng = random.Random(0)
    lexical_only = replace(DEFAULT_SETTINGS, describe=False)
    # Multi-News text only, so that the ECB+ documents ingested last are news to the store.
    bulk = sorted(build(BULK, ecbplus=False), key=lambda a: (a.date or "", a.id))
    ecb, _ = ecbplus_articles()
    result: dict = {"bulk_articles": BULK, "described_articles": len(ecb)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        batches = []
        with Store(path) as store:
            size = BULK // BATCHES
            for n in range(BATCHES):
                batch = bulk[n * size:(n + 1) * size]
                start = time.perf_counter()
                done = add_articles(store, batch, lexical_only)
                seconds = time.perf_counter() - start
                batches.append({"stored_before": n * size, "articles": len(batch), "seconds": seconds,
                                "articles_per_second": len(batch) / seconds,
                                "stories_changed": len(done.stories_changed)})
                print(f"batch {n + 1}/{BATCHES}: {seconds:.1f} s", flush=True)
            result["bulk_batches"] = batches

            start = time.perf_counter()
            done = add_articles(store, [replace(a) for a in ecb])
            full = time.perf_counter() - start
            start = time.perf_counter()
            again = add_articles(store, [replace(a) for a in ecb])
            unchanged = time.perf_counter() - start
            assert not again.added and not again.stories_changed
            described = [sid for sid in done.stories_changed]
            result.update({
                "full_ingest": {"articles": len(ecb), "seconds": full, "articles_per_second": len(ecb) / full,
                                "stored_before": BULK, "stories_described": len(described)},
                "reingest_unchanged": {"articles": len(ecb), "seconds": unchanged,
                                       "articles_per_second": len(ecb) / unchanged},
                "store": {"articles": store.count("articles"), "stories": store.count("stories"),
                          "megabytes": path.stat().st_size / 1e6},
            })
        start = time.perf_counter()
        build_stories([replace(a, story_id=None, copy_of=None) for a in ecb])
        baseline = time.perf_counter() - start
        result["analyze_baseline"] = {"articles": len(ecb), "seconds": baseline,
                                      "articles_per_second": len(ecb) / baseline}

        server = LiveServer(path)
        try:
            words = ["police", "fire", "earthquake", "court", "election", "storm", "shooting", "award"]
            lists = [rng.choice(["/", "/?sort=sources", f"/?q={rng.choice(words)}", f"/?page={rng.randint(2, 20)}"])
                     for _ in range(REQUESTS)]
            pages = [f"/stories/{rng.choice(described)}" for _ in range(REQUESTS)]
            api = [f"/api/stories/{rng.choice(described)}" for _ in range(REQUESTS)]
            result["latency"] = {
                "story list": timed_requests(server.url, lists),
                "story page": timed_requests(server.url, pages),
                "story JSON (API)": timed_requests(server.url, api),
                "constant response (baseline)": timed_requests(server.url, ["/app.js"] * REQUESTS),
            }
            writer_input = Path(tmp) / "writer.jsonl"
            with writer_input.open("w", encoding="utf-8") as fh:
                for a in build(WRITER_ARTICLES, seed=1):
                    fh.write(json.dumps({"id": f"w-{a.id}", "text": a.text, "date": a.date}) + "\n")
            concurrent_pages = [f"/stories/{rng.choice(described)}" for _ in range(CONCURRENT_REQUESTS)]
            result["concurrent"] = concurrent_latency(server.url, path, concurrent_pages, writer_input)
        finally:
            server.stop()

    print_table("Ingest into the store", ["run", "articles", "seconds", "articles/s"],
                [[f"batch {n + 1} (after {b['stored_before']:,} stored), lexical", b["articles"], b["seconds"],
                  b["articles_per_second"]] for n, b in enumerate(batches)]
                + [["ECB+ into the 10k store, whole pipeline", len(ecb), full, len(ecb) / full],
                   ["same again (unchanged)", len(ecb), unchanged, len(ecb) / unchanged],
                   ["baseline: build_stories, no store", len(ecb), baseline, len(ecb) / baseline]])
    print_table(f"Latency with {result['store']['articles']:,} articles stored", ["route", "p50 ms", "p95 ms", "mean ms"],
                [[name, r["p50_ms"], r["p95_ms"], r["mean_ms"]] for name, r in result["latency"].items()])
    c = result["concurrent"]
    print_table(f"Story pages, {CLIENTS} concurrent clients",
                ["store", "requests", "errors", "404 (merged away)", "p50 ms", "p95 ms"],
                [[name, c[key]["requests"], c[key]["errors"], c[key]["not_found"], c[key]["p50_ms"], c[key]["p95_ms"]]
                 for name, key in (("idle", "idle"), (f"during an ingest of {WRITER_ARTICLES} articles",
                                                      "during_ingest"))])
    write_results("web", result)
    return result


def markdown(r: dict) -> str:
    batches = r["bulk_batches"]
    lat = "\n".join(f"| {name} | {x['p50_ms']:.1f} | {x['p95_ms']:.1f} | {x['mean_ms']:.1f} |"
                    for name, x in r["latency"].items())
    full, base, again = r["full_ingest"], r["analyze_baseline"], r["reingest_unchanged"]
    first, last = batches[0], batches[-1]
    return f"""## Store and web app (issue 7)

`benchmarks/bench_web.py`, {r['date']}: a store of {r['store']['articles']:,} articles in
{r['store']['stories']:,} stories ({r['store']['megabytes']:.0f} MB): {r['bulk_articles']:,} articles
repeated and perturbed from Multi-News text (so the ECB+ documents are news to the store), ingested in {len(batches)} arrival-ordered
batches with the description stages off, then the {full['articles']} ECB+ documents with the whole
pipeline. Latency is measured over HTTP against `storyline serve` (uvicorn, one worker) on this machine,
{r['latency']['story page']['requests']} requests per route.

| route | p50 ms | p95 ms | mean ms |
|---|---:|---:|---:|
{lat}

Story pages and the JSON API are read from the stored reports, so they do not grow with the store;
the list query uses the `stories` indexes and the FTS5 index for search.

| ingest | articles | seconds | articles/s |
|---|---:|---:|---:|
| lexical stages, first batch (empty store) | {first['articles']:,} | {first['seconds']:.1f} | {first['articles_per_second']:.0f} |
| lexical stages, last batch ({last['stored_before']:,} stored) | {last['articles']:,} | {last['seconds']:.1f} | {last['articles_per_second']:.0f} |
| whole pipeline, ECB+ into the {full['stored_before']:,}-article store | {full['articles']} | {full['seconds']:.1f} | {full['articles_per_second']:.1f} |
| baseline: the same through `build_stories`, no store | {base['articles']} | {base['seconds']:.1f} | {base['articles_per_second']:.1f} |
| the same again (nothing new) | {again['articles']} | {again['seconds']:.2f} | {again['articles_per_second']:.0f} |

{_concurrent_md(r)}
The whole pipeline into the store costs {full['seconds'] / base['seconds']:.2f}× the same articles analysed
without a store (loading the store, regrouping with it, writing). A batch regroups the unsettled
part of the store with the newcomers and refits the TF-IDF weights on the whole store (each article's
terms are stored, not recomputed), so its cost grows with the store: the last lexical batch is
{last['seconds'] / first['seconds']:.1f}× the first.
"""


def goals(r: dict) -> list[tuple[str, str, str, bool]]:
    c = r.get("concurrent")
    if not c:
        return []
    idle, busy = c["idle"], c["during_ingest"]
    measured = (f"p50/p95 {busy['p50_ms']:.0f}/{busy['p95_ms']:.0f} ms during, {idle['p50_ms']:.0f}/"
                f"{idle['p95_ms']:.0f} ms idle; {busy['errors'] + idle['errors']} errors")
    return [("14", f"story pages under {idle['clients']} concurrent clients during an ingest, next to none "
                   "(reported; readers never fail or wait for the writer)", measured,
             busy["errors"] + idle["errors"] == 0)]


def _kinds(idle: dict, busy: dict) -> str:
    kinds = {**idle.get("error_kinds", {})}
    for kind, n in busy.get("error_kinds", {}).items():
        kinds[kind] = kinds.get(kind, 0) + n
    return ("Errors by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ".\n\n") if kinds else ""


def _concurrent_md(r: dict) -> str:
    c = r.get("concurrent")
    if not c:
        return ""
    idle, busy, ingest = c["idle"], c["during_ingest"], c["ingest"]
    return f"""
Story pages under {idle['clients']} concurrent clients (issue 14), first with the store idle, then while a
`storyline ingest` process writes {ingest['articles']} new articles into it with the whole pipeline
({ingest['seconds']:.0f} s; "{ingest['summary']}"). Readers open the store read-only and never wait for the
writer's lock; on this 2-core machine the writer takes one core, so the difference is mostly CPU.
One uvicorn worker answers them all, so p50 is about the queue of 100 requests ahead of each.
"404" counts pages of stories the writer merged into another while they were being asked for
(a correct answer, not a failure); "errors" counts anything else that was not a 200.

| store | requests | errors | 404 (merged away) | p50 ms | p95 ms |
|---|---:|---:|---:|---:|---:|
| idle | {idle['requests']} | {idle['errors']} | {idle.get('not_found', 0)} | {idle['p50_ms']:.0f} | {idle['p95_ms']:.0f} |
| during the ingest | {busy['requests']} | {busy['errors']} | {busy.get('not_found', 0)} | {busy['p50_ms']:.0f} | {busy['p95_ms']:.0f} |

{_kinds(idle, busy)}During the ingest, p50 is {busy['p50_ms'] / idle['p50_ms']:.2f}× and p95 {busy['p95_ms'] / idle['p95_ms']:.2f}× the idle figures.
"""


if __name__ == "__main__":
    main()
