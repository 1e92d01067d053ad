"""The typed data model every pipeline stage reads and returns.

The dataclasses mirror the JSON report of ``shared/CONTRACT.md``: a stage
takes articles (and stories) and returns them filled in a little more, and
``report.to_dict`` turns the result into the contract's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = "storyline.report/1"


@dataclass
class Removal:
    """A line or span that cleaning took out of an article, and why."""

    text: str
    reason: str


@dataclass
class CopyOf:
    """Marks an article as repeating another one."""

    article_id: str
    kind: str  # duplicate | syndicated | rewrite
    similarity: float


@dataclass
class Document:
    """One input as read from disk, a JSONL line or a URL, before cleaning.

    Exactly one of ``text`` and ``html`` is set. The other fields are hints
    that came with the input (a JSONL field, a ``date`` prefix); cleaning
    fills what is missing from the content itself.
    """

    id: str
    source: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    date: str | None = None
    language: str | None = None


@dataclass
class Article:
    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    language: str | None = None
    url: str | None = None
    removed: list[Removal] = field(default_factory=list)
    copy_of: CopyOf | None = None
    story_id: str | None = None


@dataclass
class Citation:
    """Points at ``article.text[start:end]`` of one article."""

    article_id: str
    start: int
    end: int


@dataclass
class Evidence:
    article_id: str
    start: int
    end: int
    text: str


@dataclass
class BriefSentence:
    text: str
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class Quote:
    id: str
    text: str
    article_id: str
    start: int
    end: int
    speaker: str | None = None
    speaker_name: str | None = None
    group: str | None = None
    # A few quoted words inside the writer's own sentence ('called it "a true
    # wake-up call"'), not a whole quoted statement. Optional contract extension.
    partial: bool = False


@dataclass
class ConflictValue:
    value: str
    article_ids: list[str] = field(default_factory=list)


@dataclass
class Conflict:
    kind: str  # number | date | wording | attribution | other
    values: list[ConflictValue] = field(default_factory=list)


@dataclass
class Claim:
    id: str
    text: str
    status: str  # corroborated | unique | conflicting
    independent_sources: int
    evidence: list[Evidence] = field(default_factory=list)
    conflict: Conflict | None = None
    # claims of other independent sources that come close without being the same statement:
    # a unique claim with related ones is not reported as "only X reports"
    related: list[str] = field(default_factory=list)


@dataclass
class TimelineEntry:
    date: str
    text: str
    article_id: str


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str] = field(default_factory=list)
    independent_sources: int = 0
    first_date: str | None = None
    last_date: str | None = None
    summary: list[BriefSentence] = field(default_factory=list)
    differences: list[BriefSentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass
class Report:
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema: str = SCHEMA_VERSION
