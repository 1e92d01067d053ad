"""The pipeline as a readable list of steps:
ingest -> clean -> stories -> copies -> entities -> quotes -> brief -> claims -> differences -> timeline.

``prepare_article`` turns one ingested ``Document`` into a clean ``Article``;
``analyze`` runs the whole pipeline over inputs and returns a ``Report``.
Stages that are not built yet leave their fields empty rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from . import align, embeddings, ingest
from .claims import differences, find_claims, one_row_per_statement, quote_conflicts
from .clean import clean_text
from .copies import detect_copies
from .decoding import repair_mojibake
from .entities import find_entities
from .errors import InputError, SkippedInput
from .executor import LOCAL, Executor, partitions
from .extract import extract_page, site_name
from .metadata import detect_language
from .model import Article, Document, Removal, Report, Story
from .parsing import parse
from .quotes import story_quotes
from .settings import DEFAULT_SETTINGS, Settings
from .stories import cluster_stories, describe_story
from .summarize import summarize
from .timeline import build_timeline

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


def prepare_article(doc: Document, settings: Settings = DEFAULT_SETTINGS) -> Article:
    """Extract (for HTML), clean and describe one document.

    Raises ``SkippedInput`` when nothing usable is left.
    """
    title, date, outlet, language, url = _plain(doc.title), doc.date, _plain(doc.outlet), doc.language, doc.url
    if doc.html is not None:
        page = extract_page(doc.html, url=doc.url, settings=settings)
        raw = page.text
        title = title or _plain(page.title)
        date = date or page.date
        outlet = outlet or _plain(page.outlet)
        language = language or page.language
        url = url or page.url
    else:
        raw = doc.text or ""
    raw, repaired = repair_mojibake(_CONTROLS.sub("", raw))
    if title:
        title, _ = repair_mojibake(title)
    cleaned = clean_text(raw, title=title, structured=doc.html is not None, settings=settings)
    if len(cleaned.text) < settings.min_text_chars:
        raise SkippedInput("no article text left after cleaning")
    text = cleaned.text
    removed = [Removal(text=line[:200], reason=MOJIBAKE) for line in repaired] + list(cleaned.removed)
    if len(text) > settings.max_article_chars:
        text, tail = _cut(text, settings.max_article_chars)
        removed.append(Removal(text=f"{tail[:200]}… ({len(tail):,} characters)", reason=TOO_LONG))
    return Article(
        id=doc.id,
        source=doc.source,
        text=text,
        title=title or cleaned.title,
        outlet=outlet or cleaned.outlet or site_name(url),
        date=date,
        language=language or detect_language(cleaned.text),
        url=url,
        removed=removed,
    )


# The reason recorded in ``removed`` for a line whose mis-decoded characters were repaired
# (the line as it was; the text holds the repaired one).
MOJIBAKE = "mojibake-repaired"

# Control characters (NUL, escape, bell ...) are never text; tabs and line breaks are.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _reason(exc: BaseException) -> str:
    """An unexpected exception as a short one-line reason for a warning."""
    return " ".join(f"{type(exc).__name__}: {str(exc)[:100]}".split())


def _plain(value: str | None) -> str | None:
    return _CONTROLS.sub("", value).strip() or None if value else value


TOO_LONG = "too-long"  # the removal reason for the part past settings.max_article_chars


def _cut(text: str, limit: int) -> tuple[str, str]:
    """``text`` up to ``limit`` characters, at the last paragraph or sentence
    end before it where there is one, and the rest."""
    for mark in ("\n", ". "):
        end = text.rfind(mark, limit // 2, limit)
        if end > 0:
            return text[:end + 1].rstrip(), text[end + 1:]
    return text[:limit], text[limit:]


def _unique_id(wanted: str, taken: set[str]) -> str:
    doc_id, n = wanted, 1
    while doc_id in taken:
        n += 1
        doc_id = f"{wanted}-{n}"
    return doc_id


def _load_item(item: str | Path, settings: Settings = DEFAULT_SETTINGS) -> tuple[list[Article], list[str]]:
    """The articles of one input and the warnings about it, in order: one task,
    here or on a worker."""
    warnings: list[str] = []
    articles = []
    for doc in ingest.read_one(item, settings, warnings.append):
        try:
            article = prepare_article(doc, settings)
        except SkippedInput as exc:
            warnings.append(f"skipped {doc.source}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - one article's failure must not lose the others
            warnings.append(f"skipped {doc.source}: it could not be read ({_reason(exc)})")
            continue
        repaired = sum(1 for r in article.removed if r.reason == MOJIBAKE)
        if repaired:
            warnings.append(f"{doc.source}: repaired mis-decoded characters (mojibake) in {repaired} "
                            f"line{'s' if repaired != 1 else ''}; the lines as they were are listed under 'removed'")
        if article.removed and article.removed[-1].reason == TOO_LONG:
            warnings.append(f"{doc.source}: longer than {settings.max_article_chars:,} characters; "
                            f"only its first {len(article.text):,} are analysed")
        articles.append(article)
    return articles, warnings


def _load_partition(items: list[str | Path], settings: Settings = DEFAULT_SETTINGS
                    ) -> list[tuple[list[Article], list[str]]]:
    return [_load_item(item, settings) for item in items]


def load_articles(
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULT_SETTINGS,
    warn: Warn = lambda _: None,
    progress: Progress | None = None,
    executor: Executor = LOCAL,
) -> list[Article]:
    """Ingest and clean every input. Unusable inputs are warned about and skipped.
    With a Dask ``executor`` the inputs are read and cleaned on its workers, in
    partitions; the articles and warnings come back in the same order.

    Raises ``InputError`` for a missing path or when no article is left.
    """
    items = ingest.discover(inputs, settings)
    if not items:
        raise InputError("no input files found (looked for .txt, .html, .htm, .jsonl, .gz)")
    if executor.local:
        loaded = executor.map(partial(_load_item, settings=settings), items, progress)
    else:
        parts = partitions(items, max(2, len(items) // 16))
        loaded = [r for part in executor.map(partial(_load_partition, settings=settings), parts, progress)
                  for r in part]
    articles: list[Article] = []
    taken: set[str] = set()
    for found, warnings in loaded:
        for message in warnings:
            warn(message)
        for article in found:
            if article.id in taken:
                new_id = _unique_id(article.id, taken)
                warn(f"article id {article.id!r} from {article.source} is already used; renamed to {new_id!r}")
                article = replace(article, id=new_id)
            taken.add(article.id)
            articles.append(article)
    if not articles:
        raise InputError("no usable articles in the input")
    return articles


def analyze(
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULT_SETTINGS,
    warn: Warn | None = None,
    progress: Progress | None = None,
    executor: Executor = LOCAL,
) -> Report:
    """Run the pipeline on files, directories or JSONL and return the report.
    ``executor`` runs the per-article and per-story work (here by default, or
    on a Dask cluster); the report is the same either way."""
    warnings: list[str] = []

    def collect(message: str) -> None:
        warnings.append(message)
        if warn:
            warn(message)

    articles = load_articles(inputs, settings, collect, progress, executor)
    languages = {a.language for a in articles if a.language}
    if settings.encoder and len(languages) > 1 and not embeddings.available():
        collect(f"the sentence encoder ({embeddings.PACKAGE}) is not installed: articles in "
                f"{len(languages)} languages are grouped by their words only")
    articles, stories = build_stories(articles, settings, collect, executor)
    return Report(articles=articles, stories=stories, warnings=warnings)


def describe(story: Story, articles: list[Article], settings: Settings = DEFAULT_SETTINGS,
             cache: embeddings.VectorCache | None = None) -> Story:
    """``story`` with its entities, quotes (spaCy parse of the story's articles),
    brief, claims, differences and timeline. ``cache`` (a store's) keeps the
    sentence vectors, so a story described again does not embed them again."""
    if not settings.describe:
        return story
    docs = parse(articles)
    index = find_entities(story.id, articles, docs)
    quotes = story_quotes(articles, docs, index, settings, cache)
    vectors = align.story_vectors(articles, settings, cache)  # sentences by meaning, for the brief and claims
    claims = one_row_per_statement(quote_conflicts(story.id, articles, quotes),
                                   find_claims(story.id, articles, settings, vectors), articles)
    return replace(story, entities=index.entities, quotes=quotes, claims=claims,
                   summary=summarize(articles, settings, vectors=vectors, cache=cache),
                   differences=differences(claims, articles), timeline=build_timeline(articles))


def build_stories(articles: list[Article], settings: Settings = DEFAULT_SETTINGS,
                  warn: Warn | None = None, executor: Executor = LOCAL) -> tuple[list[Article], list[Story]]:
    """Stories, then copies inside each story: the articles with their
    ``story_id`` and ``copy_of`` set (new objects, in the order given), and the
    stories. (A copy tells the same story as its original, so looking for it
    elsewhere would only cost time and memory.)"""
    regrouped = regroup(articles, settings=settings, warn=warn, executor=executor)
    return regrouped.articles, regrouped.stories


def _describe_task(task: tuple[str, list[Article], embeddings.KnownVectors | None],
                   settings: Settings = DEFAULT_SETTINGS,
                   cache: embeddings.VectorCache | None = None) -> tuple[Story, str | None, dict]:
    """One story described, or with its articles and sources only and the reason
    why not: a task, here or on a worker. ``cache`` (in this process) or the
    task's own ``KnownVectors`` spare sentence vectors computed before; the
    vectors computed anew come back last (``{}`` when ``cache`` kept them)."""
    story_id, group, known = task
    story = describe_story(story_id, group)
    try:
        return describe(story, group, settings, cache or known), None, known.fresh if known else {}
    except Exception as exc:  # noqa: BLE001 - one story's failure must not lose the run
        return story, (f"story {story_id} ({story.title[:60]}): entities, quotes, brief and claims could not be "
                       f"made ({_reason(exc)})"), {}


def _known_vectors(group: list[Article], settings: Settings,
                   cache: embeddings.VectorCache) -> embeddings.KnownVectors | None:
    """What ``cache`` knows of the sentences a story's description embeds, to
    send with its task to a worker (``None`` without the encoder)."""
    if not settings.encoder or not embeddings.available():
        return None
    _, texts = align.story_sentences(group, settings)
    return embeddings.KnownVectors(cache.lookup(sorted({embeddings.text_key(t) for t in texts})))


@dataclass
class Regrouped:
    """What ``regroup`` returns."""

    articles: list[Article]  # every article given, in that order, with its story_id and copy_of
    stories: list[Story]  # the stories whose articles changed, described
    gone: set[str]  # ids of earlier stories that no longer exist


def regroup(
    articles: list[Article],
    changed: AbstractSet[str] = frozenset(),
    settings: Settings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
    terms: Mapping[str, list[str]] | None = None,
    vectors: Mapping[str, object] | None = None,
    warn: Warn | None = None,
    sentence_cache: embeddings.VectorCache | None = None,
    executor: Executor = LOCAL,
    assignment: Mapping[str, str] | None = None,
) -> Regrouped:
    """Group ``articles`` into stories, given the ``story_id`` each had before
    (``None`` for newcomers), and describe the stories that changed.

    Returns new article objects (the ones given are not changed) with their
    story and, in the stories that changed, their copy marks; the stories whose
    articles changed (new members, members that left, or a member in
    ``changed`` whose text was replaced), fully described; and the ids of
    earlier stories that no longer exist. A story that kept exactly its
    articles is not returned: its stored description still holds.
    ``terms`` may give some articles' story terms (``stories.article_terms``),
    which a store keeps so as not to recompute them on every ingest; ``vectors``
    likewise their encoder vectors (``stories.article_vectors``), and
    ``sentence_cache`` their sentences' vectors (``describe``; on workers, what
    it knows of each story's sentences goes with the task and the new vectors
    come back to it). The stories are described by
    ``executor``, one task each. A story that cannot be described keeps its
    articles and sources, and ``warn`` says why.

    ``assignment`` may give the new story of some articles, grouped already
    (a store's ingest groups only a batch's neighbourhood:
    ``stories.cluster_around``); the others keep theirs. Then ``articles``
    must hold every member, before and after, of each story that changes.
    """
    before: dict[str, set[str]] = {}
    for article in articles:
        if article.story_id:
            before.setdefault(article.story_id, set()).add(article.id)
    if assignment is None:
        assignment = cluster_stories(articles, settings, terms, vectors)
    placed = [replace(article, story_id=assignment.get(article.id, article.story_id)) for article in articles]
    members: dict[str, list[Article]] = {}
    for article in placed:
        members.setdefault(article.story_id, []).append(article)
    touched = [sid for sid, group in members.items()
               if before.get(sid) != {a.id for a in group} or any(a.id in changed for a in group)]
    marked: dict[str, Article] = {}
    tasks = []
    for story_id in touched:
        copies = detect_copies(members[story_id], settings) if len(members[story_id]) > 1 else {}
        group = [replace(article, copy_of=copies.get(article.id)) for article in members[story_id]]
        marked.update((article.id, article) for article in group)
        # on workers the store is out of reach: what it knows goes with each task, what is new comes back
        known = (_known_vectors(group, settings, sentence_cache)
                 if sentence_cache is not None and not executor.local else None)
        tasks.append((story_id, group, known))
    cache = sentence_cache if executor.local else None
    stories = []
    for story, problem, fresh in executor.map(partial(_describe_task, settings=settings, cache=cache), tasks,
                                              progress):
        if problem and warn:
            warn(problem)
        if fresh and sentence_cache is not None:
            sentence_cache.keep(fresh)
        stories.append(story)
    stories.sort(key=lambda s: (-s.independent_sources, -len(s.article_ids), s.id))
    return Regrouped([marked.get(a.id, a) for a in placed], stories, set(before) - set(members))
