"""Ingest: turn paths (files, directories, JSONL) into ``Document`` objects.

Reading is forgiving: a file that cannot be used is reported through ``warn``
as one line and skipped, so one broken file never costs the others. Only a
path that does not exist at all is an ``InputError``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .decoding import decode
from .errors import InputError, SkippedInput
from .model import Document
from .settings import DEFAULT_SETTINGS, Settings

Warn = Callable[[str], None]

_DATE_PREFIX = re.compile(r"^\s?date (\d{4}-\d{2}-\d{2})\b[ \t]*")
_HTML_SUFFIXES = (".html", ".htm")
_URL = re.compile(r"^https?://", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{1,15}://", re.I)


def content_id(text: str) -> str:
    """A stable id for content that came without one."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def normalize_date(value: object) -> str | None:
    """ISO 8601 date or date-time -> ``YYYY-MM-DD``; ``None`` if it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None


def _read_bytes(path: Path, settings: Settings) -> bytes:
    limit = settings.max_file_bytes
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read(limit + 1)
        else:
            if path.stat().st_size > limit:
                raise SkippedInput(f"larger than the {limit // 2**20} MB limit")
            data = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SkippedInput(f"cannot read: {reason}") from None
    if len(data) > limit:
        raise SkippedInput(f"larger than the {limit // 2**20} MB limit")
    if not data.strip():
        raise SkippedInput("empty file")
    return data


def _base_suffix(path: Path) -> tuple[str, str]:
    """(stem, suffix) with a trailing ``.gz`` looked through: a.html.gz -> (a, .html)."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    inner = Path(name)
    return inner.stem, inner.suffix.lower()


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head


def read_text(text: str, doc_id: str, source: str) -> Document:
    """A plain-text article; an optional `` date YYYY-MM-DD`` prefix is its date."""
    date = None
    match = _DATE_PREFIX.match(text)
    if match:
        date = normalize_date(match.group(1))
        text = text[match.end():]
    return Document(id=doc_id, source=source, text=text, date=date)


def read_jsonl(path: Path, settings: Settings, warn: Warn) -> Iterator[Document]:
    """One article per line; a bad line is a warning, the other lines are kept.

    Lines are read with a size cap and the file's bytes are counted as they are
    decompressed, so a huge line or a gzip bomb never fills memory: past
    ``max_file_bytes`` the rest of the file is skipped, and what came before kept.
    """
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        fh = opener(path, "rb")
    except OSError as exc:
        raise SkippedInput(f"cannot read: {exc.strerror or exc}") from None
    limit, line_limit = settings.max_file_bytes, settings.max_line_bytes
    total = number = 0
    with fh:
        try:
            while raw := fh.readline(line_limit + 1):
                number += 1
                total += len(raw)
                too_long = len(raw) > line_limit
                while too_long and raw and not raw.endswith(b"\n") and total <= limit:  # the rest of the line
                    raw = fh.readline(1 << 20)
                    total += len(raw)
                if total > limit:
                    warn(f"skipped {path} from line {number} on: more than the {limit // 2**20} MB file limit")
                    return
                if too_long:
                    warn(f"skipped {path}:{number}: line larger than the {line_limit // 2**20} MB limit")
                elif raw.strip():
                    yield from _jsonl_record(raw, f"{path}:{number}", warn, settings.max_json_depth)
        except (OSError, EOFError) as exc:  # a truncated or corrupt .gz
            warn(f"skipped {path} from line {number + 1} on: {getattr(exc, 'strerror', None) or exc}")


def json_depth_over(raw: bytes, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` in a JSON text (brackets
    inside strings do not count). Cheap for ordinary lines: only a line with more
    brackets than ``limit`` is scanned."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def _jsonl_record(raw: bytes, where: str, warn: Warn, max_depth: int) -> Iterator[Document]:
    """The document of one JSONL line, or nothing after a warning."""
    if json_depth_over(raw, max_depth):
        warn(f"skipped {where}: JSON nested too deeply (more than {max_depth} levels)")
        return
    try:
        decoded = decode(raw)
        record = json.loads(decoded.text)
        doc = document_from_record(record, source=where)
    except (json.JSONDecodeError, SkippedInput) as exc:
        reason = f"{exc.msg} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        warn(f"skipped {where}: not a JSON object ({reason})")
        return
    except RecursionError:
        warn(f"skipped {where}: JSON nested too deeply to read")
        return
    except InputError as exc:
        warn(f"skipped {where}: {exc}")
        return
    for note in decoded.notes:
        warn(f"{where}: {note}")
    for problem in field_problems(record):
        warn(f"{where}: {problem}")
    yield doc


_TEXT_FIELDS = ("title", "url", "outlet", "date", "language")


def field_problems(record: dict) -> list[str]:
    """What ``document_from_record`` had to leave out of a record, one short
    sentence per field: a value of the wrong type, a date that is not an ISO
    date, a URL that is not http(s)."""
    problems = []
    for key in _TEXT_FIELDS:
        value = record.get(key)
        if value is None or value == "":
            continue
        shown = json.dumps(value, ensure_ascii=False)[:40]
        if not isinstance(value, str):
            problems.append(f"field {key!r} is {type(value).__name__} {shown}, not text; ignored")
        elif key == "date" and normalize_date(value) is None:
            problems.append(f"date {shown} is not an ISO date; the article has no date")
        elif key == "url" and value.strip() and not _URL.match(value.strip()):
            problems.append(f"url {shown} is not an http(s) URL; ignored")
    if "id" in record and not isinstance(record["id"], (str, bool, int, float, type(None))):
        problems.append(f"field 'id' is {type(record['id']).__name__}, not text; an id was made from the text")
    return problems


def document_from_record(record: object, source: str) -> Document:
    """A JSONL record (``text`` or ``html`` plus optional metadata) as a Document."""
    if not isinstance(record, dict):
        raise InputError("not a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) or not text.strip():
        text = None
    if not isinstance(html, str) or not html.strip():
        html = None
    if text is None and html is None:
        raise InputError('needs a non-empty "text" or "html" field')

    def optional(key: str) -> str | None:
        value = record.get(key)
        return value.strip() or None if isinstance(value, str) else None

    url = optional("url")
    url = url if url and _URL.match(url) else None

    doc_id = record.get("id")
    if isinstance(doc_id, (bool, int, float)):
        doc_id = json.dumps(doc_id)  # as written in the file: true stays "true", not "True"
    doc_id = doc_id.strip() if isinstance(doc_id, str) and doc_id.strip() else None
    return Document(
        id=doc_id or content_id(text or html or ""),
        source=url or source,
        text=text,
        html=html,
        title=optional("title"),
        url=url,
        outlet=optional("outlet"),
        date=normalize_date(record.get("date")),
        language=optional("language"),
    )


def read_file(path: Path, settings: Settings = DEFAULT_SETTINGS, warn: Warn = lambda _: None) -> list[Document]:
    """All documents in one file. Raises ``SkippedInput`` if the file is unusable."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:  # e.g. a symbolic link to itself
        raise SkippedInput(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):  # reading a pipe or a device could wait forever
        raise SkippedInput("not a regular file (a pipe, socket or device)")
    stem, suffix = _base_suffix(path)
    if suffix == ".jsonl":
        docs = list(read_jsonl(path, settings, warn))
        if not docs:
            raise SkippedInput("no usable JSONL records")
        return docs
    decoded = decode(_read_bytes(path, settings), html=suffix in _HTML_SUFFIXES)
    content = decoded.text
    if not content.strip():
        raise SkippedInput("empty file")
    for note in decoded.notes:
        warn(f"{path}: {note}")
    if suffix in _HTML_SUFFIXES or (suffix != ".txt" and _looks_like_html(content)):
        return [Document(id=stem, source=str(path), html=content)]
    return [read_text(content, stem, str(path))]


def _wanted(path: Path, settings: Settings) -> bool:
    _, suffix = _base_suffix(path)
    return suffix in settings.input_suffixes and not path.name.startswith(".")


def discover(inputs: Iterable[str | Path], settings: Settings = DEFAULT_SETTINGS) -> list[str | Path]:
    """Expand directories into their article files; keep files and URLs as given.

    Each file or URL comes once, in the order first named. Raises ``InputError``
    for a path that does not exist or an address that is not http(s).
    """
    found: list[str | Path] = []
    for item in inputs:
        if isinstance(item, str) and _URL.match(item):
            found.append(item)
            continue
        scheme = _SCHEME.match(str(item))
        if scheme:
            raise InputError(f"cannot read {item}: only http:// and https:// addresses are fetched, "
                             f"not {scheme.group(0)}")
        path = Path(item)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and _wanted(p, settings)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists() or path.is_symlink():  # a broken link is warned about when read
            found.append(path)
        else:
            raise InputError(f"no such file or directory: {item}")
    seen: set[str] = set()
    unique = []
    for item in found:  # a file named twice, or inside a directory also given, is read once
        key = item if isinstance(item, str) else os.path.realpath(item)  # never raises, even on a loop
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def read_inputs(
    inputs: Iterable[str | Path], settings: Settings = DEFAULT_SETTINGS, warn: Warn = lambda _: None
) -> Iterator[Document]:
    """Every readable document in ``inputs``; unusable ones are reported and skipped."""
    for item in discover(inputs, settings):
        yield from read_one(item, settings, warn)


def read_one(item: str | Path, settings: Settings = DEFAULT_SETTINGS, warn: Warn = lambda _: None) -> list[Document]:
    """Documents from one discovered input, or ``[]`` after a warning."""
    try:
        if isinstance(item, str):
            from .fetch import read_url  # only URL inputs need the HTTP client

            return read_url(item, settings, warn)
        return read_file(item, settings, warn)
    except SkippedInput as exc:
        warn(f"skipped {item}: {exc}")
        return []
