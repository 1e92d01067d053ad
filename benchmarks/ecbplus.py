"""ECB+ documents as plain text, with their gold sub-topic (the confusable event)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from common import BENCH_DATA, require

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}'’”]|n't|'s|'re|'ve|'ll|'d|'m)(?=\s|$)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$“‘]) ")


def _detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens).replace("``", "\u201c").replace("''", "\u201d")
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


def load_document(path: Path) -> str:
    root = ElementTree.parse(path).getroot()
    sentences: dict[int, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(int(token.get("sentence")), []).append(token.text or "")
    return "\n".join(_detokenize(sentences[k]) for k in sorted(sentences))


def load_ecbplus() -> list[tuple[str, str, str]]:
    """(document id, text, gold sub-topic) for all 982 documents, in a fixed order."""
    base = require(BENCH_DATA / "ecbplus" / "ECB+")
    docs = []
    for path in sorted(base.glob("*/*.xml"), key=lambda p: (int(p.parent.name), p.name)):
        topic = path.parent.name
        sub = "plus" if path.stem.endswith("ecbplus") else "ecb"
        docs.append((path.stem, load_document(path), f"{topic}{sub}"))
    return docs
