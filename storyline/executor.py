"""Where the per-article and per-story work runs: in this process, or on a
Dask cluster (``dask.distributed``: a local cluster of worker processes, or
an existing scheduler).

One small interface: ``executor.map(fn, items, progress)`` returns
``[fn(item) for item in items]`` in the order given, wherever it ran. The
stages are pure functions of their inputs, so the result is the same in both.
Dask is imported only when a ``DaskExecutor`` is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

Progress = Callable[[int, int], None]


class Executor(Protocol):
    """Runs a function over items; ``local`` says whether objects held in this
    process (a store's vector cache) can be used by the tasks."""

    local: bool

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], progress: Progress | None = None) -> list[Any]:
        """``[fn(item) for item in items]``; ``progress(done, total)`` as items finish."""

    def close(self) -> None:
        """Release what the executor started."""


class LocalExecutor:
    """Everything in this process, one item after another (the default)."""

    local = True

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], progress: Progress | None = None) -> list[Any]:
        out = []
        for n, item in enumerate(items, 1):
            out.append(fn(item))
            if progress:
                progress(n, len(items))
        return out

    def close(self) -> None:
        pass


class DaskExecutor:
    """Tasks on a Dask cluster: ``workers`` local worker processes (one thread
    each, so spaCy and numpy do not fight over cores), or the cluster whose
    scheduler listens at ``scheduler`` (``tcp://host:port``)."""

    local = False

    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        import logging

        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler, timeout="15s")
        else:
            self.cluster = LocalCluster(n_workers=max(1, workers or 1), threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], progress: Progress | None = None) -> list[Any]:
        from dask.distributed import as_completed

        if not items:
            return []
        futures = self.client.map(fn, list(items), pure=False)
        if progress:
            for n, _ in enumerate(as_completed(futures), 1):
                progress(n, len(futures))
        return self.client.gather(futures)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


LOCAL = LocalExecutor()


def make_executor(workers: int = 0, scheduler: str | None = None) -> Executor:
    """``LOCAL`` with no workers and no scheduler, else a ``DaskExecutor``."""
    if not workers and not scheduler:
        return LOCAL
    return DaskExecutor(workers or None, scheduler)


def partitions(items: Sequence[Any], parts: int) -> list[list[Any]]:
    """``items`` in about ``parts`` consecutive slices (order kept)."""
    size = max(1, -(-len(items) // max(1, parts)))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]
