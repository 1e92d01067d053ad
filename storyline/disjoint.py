"""Disjoint sets (union-find), the grouping step shared by copies
(independent sources), quotes (statement groups) and claims."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    def __init__(self, items: Iterable[T]):
        self.parent: dict[T, T] = {x: x for x in items}

    def __contains__(self, item: object) -> bool:
        return item in self.parent

    def find(self, x: T) -> T:
        """The representative of ``x``'s set (with path halving)."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, keep: T, other: T) -> T:
        """Join the sets of ``keep`` and ``other``; ``keep``'s representative stays."""
        root, joined = self.find(keep), self.find(other)
        if root != joined:
            self.parent[joined] = root
        return root

    def groups(self) -> list[list[T]]:
        """Every set, in the order of its first member; members in insertion order."""
        found: dict[T, list[T]] = {}
        for x in self.parent:
            found.setdefault(self.find(x), []).append(x)
        return list(found.values())
