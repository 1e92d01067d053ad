"""Sentence spans of a cleaned article text (sentencex, rule-based, fast).

Every later stage cites text by character offsets, so sentences are spans
``(start, end)`` into the article's ``text`` with surrounding whitespace
trimmed, never copies that could drift from the source.
"""

from __future__ import annotations

from dataclasses import dataclass

import sentencex


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start:self.end]


def sentence_spans(text: str, language: str | None = "en") -> list[Span]:
    """Non-empty sentences of ``text`` as trimmed character spans, in order."""
    spans = []
    offset = 0
    for piece in sentencex.segment(language or "en", text):
        start = text.find(piece, offset) if piece else -1
        if start < 0:  # the segmenter never rewrites text; stay safe if it did
            continue
        end = start + len(piece)
        offset = end
        # trim whitespace into a span of real text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Span(start, end))
    return spans
