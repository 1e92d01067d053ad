"""Reliability under hostile input (issue 14): generated cases fed to
`analyze` beside one good article, counted.

The cases come from the fuzz suite's Hypothesis strategies
(``tests/test_fuzz.py``: any text, any bytes under any file name, generated
HTML, JSONL lines with wrong types, deep nesting and control characters,
plain or gzipped), generated without shrinking so that every case counts
once. A case is a traceback when `analyze` raises anything but its one-line
error, lost when the good article is missing or changed, and a hang when
it takes longer than ``HANG_SECONDS`` (an alarm stops it).
"""

from __future__ import annotations

import gzip
import signal
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from common import Timer, print_table, write_results

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_fuzz import html_docs, jsonl_lines, outcome  # noqa: E402

CASES = 10_000
HANG_SECONDS = 30


class Hang(Exception):
    pass


def _alarm(*_):
    raise Hang


def families():
    return {
        "text": (st.text(max_size=2000), lambda t: ("fuzz.txt", t.encode("utf-8", "surrogatepass"))),
        "bytes": (st.tuples(st.binary(max_size=4000),
                            st.sampled_from(["fuzz.txt", "fuzz.html", "fuzz.jsonl", "fuzz.txt.gz", "fuzz.jsonl.gz"])),
                  lambda c: (c[1], c[0])),
        "html": (html_docs, lambda h: ("fuzz.html", h.encode("utf-8", "surrogatepass"))),
        "jsonl": (st.tuples(st.lists(jsonl_lines, min_size=1, max_size=6), st.booleans()),
                  lambda c: ("fuzz.jsonl.gz", gzip.compress("\n".join(c[0]).encode("utf-8", "surrogatepass")))
                  if c[1] else ("fuzz.jsonl", "\n".join(c[0]).encode("utf-8", "surrogatepass"))),
    }


def run_family(strategy, to_case, count: int) -> dict:
    counts = {"cases": 0, "ok": 0, "tracebacks": 0, "lost": 0, "hangs": 0, "slowest_seconds": 0.0}
    examples: list[str] = []

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def case(value):
        name, payload = to_case(value)
        start = time.perf_counter()
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(HANG_SECONDS)
        try:
            result = outcome(name, payload)
        except Hang:
            result = "hang"
        finally:
            signal.alarm(0)
        counts["slowest_seconds"] = max(counts["slowest_seconds"], time.perf_counter() - start)
        counts["cases"] += 1
        if result == "ok":
            counts["ok"] += 1
        elif result == "hang":
            counts["hangs"] += 1
        elif result == "lost":
            counts["lost"] += 1
        else:
            counts["tracebacks"] += 1
        if result != "ok" and len(examples) < 5:
            examples.append(f"{name} ({len(payload)} bytes): {result[:200]}")

    case()
    counts["examples"] = examples
    return counts


def main() -> dict:
    per_family = CASES // len(families())
    result: dict = {"families": {}}
    with Timer() as t:
        for name, (strategy, to_case) in families().items():
            result["families"][name] = run_family(strategy, to_case, per_family)
    total = {k: sum(f[k] for f in result["families"].values()) for k in ("cases", "ok", "tracebacks", "lost", "hangs")}
    result.update(total=total, seconds=t.seconds, hang_seconds=HANG_SECONDS)
    rows = [[n, f["cases"], f["tracebacks"], f["hangs"], f["lost"], f["slowest_seconds"]]
            for n, f in result["families"].items()]
    rows.append(["all", total["cases"], total["tracebacks"], total["hangs"], total["lost"], None])
    print_table("generated cases beside one good article", ["family", "cases", "tracebacks", "hangs",
                                                            "good articles lost", "slowest case, s"], rows)
    write_results("reliability", result)
    return result


def goals(r: dict) -> list[tuple[str, str, str, bool]]:
    t = r["total"]
    return [("14", "≥ 10,000 generated cases: 0 tracebacks, 0 hangs, 0 good articles lost",
             f"{t['cases']} cases: {t['tracebacks']}, {t['hangs']}, {t['lost']}",
             t["cases"] >= 10_000 and t["tracebacks"] == t["hangs"] == t["lost"] == 0)]


def markdown(r: dict) -> str:
    rows = "\n".join(f"| {n} | {f['cases']} | {f['tracebacks']} | {f['hangs']} | {f['lost']} | {f['slowest_seconds']:.1f} |"
                     for n, f in r["families"].items())
    t = r["total"]
    failures = "".join(f"\n- {e}" for f in r["families"].values() for e in f["examples"])
    return f"""## Reliability under generated hostile input (issue 14)

`benchmarks/bench_reliability.py`, {r['date']}: {t['cases']} cases generated from the fuzz suite's Hypothesis
strategies (`tests/test_fuzz.py`), each a file fed to `analyze` (words only) beside one good article. A
traceback is any exception but the one-line error; a hang is a case over {r['hang_seconds']} s; lost means
the good article is missing or changed. {r['seconds']:.0f} s in all.

| family | cases | tracebacks | hangs | good articles lost | slowest case, s |
|---|---:|---:|---:|---:|---:|
{rows}
| all | {t['cases']} | {t['tracebacks']} | {t['hangs']} | {t['lost']} | |
{("First failures:" + failures) if failures else ""}
"""


if __name__ == "__main__":
    main()
