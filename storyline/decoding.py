"""Bytes to text, honestly: pick the encoding, read a file that mixes
encodings line by line, and repair mojibake, saying what was done.

``decode`` returns the text and a list of notes (one short sentence each)
that the caller turns into warnings; nothing is changed silently.
``repair_mojibake`` fixes text that was decoded with the wrong charset before
it reached us ("CafÃ©" for "Café"), using ftfy with everything but its
encoding repair switched off, and returns each repaired line as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from .errors import SkippedInput


@dataclass
class Decoded:
    text: str
    notes: list[str] = field(default_factory=list)


def _is_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        return False
    return b"\x00" in head and _utf16_order(data) is None


def _utf16_order(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for UTF-16 text without a byte-order mark: the
    zero high bytes of Latin-script characters fill every other byte."""
    head = data[:8192 - len(data[:8192]) % 2]
    even, odd = head[0::2], head[1::2]
    if not even or not odd:
        return None
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.4 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.4 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def _utf8_share(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII characters, invalid bytes) when ``data`` is read as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    bad = replaced - data.count(b"\xef\xbf\xbd")  # a U+FFFD written in the file is not damage
    return sum(1 for ch in text if ord(ch) > 127) - replaced, bad


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _western(data: bytes) -> str | None:
    """Windows-1252, the web's usual legacy encoding, if the bytes read as it.

    Text in another legacy encoding (Cyrillic, Greek, ...) also decodes as
    1252, but into mostly non-ASCII letters; real Western text has few.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text[:50_000] if ch.isalpha()]
    foreign = sum(1 for ch in letters if ord(ch) > 127)
    return text if letters and foreign / len(letters) < 0.15 else None


def _legacy(data: bytes, html: bool) -> tuple[str, str]:
    """(text, encoding) for bytes that are not UTF-8: an HTML page's declared
    charset, Windows-1252, then a detected encoding."""
    declared = _META_CHARSET.search(data[:4096]) if html else None
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            return data.decode(name), name.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    western = _western(data)
    if western is not None:
        return western, "windows-1252"
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise SkippedInput("unknown text encoding")
    text = data.decode(best.encoding, errors="replace")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(10, len(text[:20000]) // 100):
        raise SkippedInput("binary content, not text")
    return text, best.encoding


def _mixed(data: bytes, html: bool) -> Decoded | None:
    """UTF-8 with some lines that are not: each line is read as UTF-8 when it
    is (or is UTF-8 with a few damaged bytes), the others in the legacy
    encoding they share. ``None`` when no line holds valid UTF-8 beyond ASCII,
    i.e. the whole file is in a legacy encoding."""
    lines = data.splitlines(keepends=True)
    shares = [_utf8_share(line) for line in lines]
    if not any(good > bad for good, bad in shares):
        return None
    foreign = {n for n, (good, bad) in enumerate(shares) if bad and good <= bad}
    encoding = "utf-8"
    if foreign:
        try:
            _, encoding = _legacy(b"".join(lines[n] for n in sorted(foreign)), html)
        except SkippedInput:  # no legacy encoding fits them either: damaged UTF-8
            foreign = set()
    out, damaged = [], 0
    for n, line in enumerate(lines):
        if n in foreign:
            out.append(line.decode(encoding, errors="replace"))
        else:
            out.append(line.decode("utf-8", errors="replace"))
            damaged += shares[n][1]
    notes = []
    if foreign:
        notes.append(f"{len(foreign)} of {len(lines)} lines are not UTF-8 like the rest; read them as {encoding}")
    if damaged:
        notes.append(f"{damaged} invalid UTF-8 byte{'s' if damaged != 1 else ''} replaced by \ufffd")
    return Decoded("".join(out).removeprefix("\ufeff"), notes)


def decode(data: bytes, html: bool = False) -> Decoded:
    """Decode file content: a byte-order mark, UTF-16 without one, UTF-8
    (line by line where some lines are in another encoding), an HTML page's
    declared charset, Windows-1252, then a detected encoding.

    Raises ``SkippedInput`` for content that is not text.
    """
    if _is_binary(data):
        raise SkippedInput("binary content, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"))
    order = _utf16_order(data) if b"\x00" in data[:8192] else None
    if order:
        return Decoded(data.decode(order, errors="replace"), [f"read as {order} (UTF-16 without a byte-order mark)"])
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    mixed = _mixed(data, html)
    if mixed is not None:
        return mixed
    text, _ = _legacy(data, html)
    return Decoded(text)


def decode_bytes(data: bytes, html: bool = False) -> str:
    """``decode(data, html).text``."""
    return decode(data, html).text


# Mojibake of UTF-8 read as Windows-1252 or Latin-1 always pairs a lead letter
# (Â, Ã, Ð, â ...) with a continuation character (0x80-0xBF, or what 1252 puts
# there); text without such a pair is left alone without calling ftfy.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def _fixer():
    from ftfy import TextFixerConfig, fix_text

    config = TextFixerConfig(
        unescape_html=False, fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False,
        fix_line_breaks=False, remove_terminal_escapes=False, remove_control_chars=False, normalization=None,
        explain=False)
    return lambda line: fix_text(line, config=config)


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """``text`` with mis-decoded characters repaired, and the lines that were
    changed, as they were. Only ftfy's encoding repairs are applied: quotes,
    ligatures, widths and normalisation are left as written."""
    if not _SUSPECT.search(text):
        return text, []
    fix = _fixer()
    lines = text.split("\n")
    repaired = []
    for n, line in enumerate(lines):
        if _SUSPECT.search(line):
            fixed = fix(line)
            if fixed != line:
                repaired.append(line)
                lines[n] = fixed
    return "\n".join(lines), repaired
