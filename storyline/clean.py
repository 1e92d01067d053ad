"""Cleaning: take web debris out of article text and say why.

News text scraped or extracted from a page still carries lines that are not
the article: captions of related videos, "Watch ... News" banners, app and
notification prompts, comment forms, photo credits and captions, headlines of
related articles, share and subscribe prompts. Cleaning works line by line:

1. each line is tested against rules that describe the *shape* of a kind of
   debris (a short line ending in a video duration, a slash-separated credit
   naming a photo agency, an imperative prompt to install an app, ...);
2. a headline-like first line becomes the title when none is known;
3. short fragments that sit in a run of debris before or after the article
   body (a button label, a teaser) go with their neighbours;
4. a caption line above a photo credit, and a headline-like line inside the
   body that no sentence ends, are removed as caption / related link.

Every removal is recorded as a ``Removal`` with its reason. A line that reads
as prose (ends like a sentence and is long enough) is only removed by a rule
that matches its whole shape, never by position alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Removal
from .settings import DEFAULT_SETTINGS, Settings
from .textfeatures import dateline as opening_dateline

# --- line helpers -------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_TERMINAL = tuple(".!?:;\"'”’»)…]。！？」』")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    return _SPACES.sub(" ", line).strip()


@lru_cache(maxsize=8192)
def words(line: str) -> list[str]:
    return _WORD.findall(line)


def ends_like_sentence(line: str) -> bool:
    return line.rstrip().endswith(_TERMINAL)


def is_prose(line: str) -> bool:
    """A line a reader takes for running text: ends like a sentence, 8+ words."""
    return ends_like_sentence(line) and len(words(line)) >= 8


# --- rules: one predicate per kind of debris ---------------------------------

_DURATION = re.compile(r"(?:^|\s)(\d{1,2}:\d{2}(?::\d{2})?)$")
# A caption's title does not end in a preposition, copula or count word before
# its duration; a sentence ending in a clock time or a ratio does.
_TIME_WORDS = {"at", "by", "until", "till", "before", "after", "around", "from", "to", "since",
               "about", "approximately", "roughly", "between", "and", "or", "of", "score", "scored",
               "is", "was", "are", "were", "be", "been", "ratio", "scale", "odds", "than", "as", "won", "lost",
               "beat", "ended", "finished", "drew", "in"}
_VIDEO_LABEL = re.compile(r"^(?:watch|video|watch video|play video|now playing|up next)\s*[:|–—-]\s*\S", re.I)


def video_caption(line: str) -> bool:
    """A related video's title followed by its duration: "Floods hit the coast 2:41"."""
    if _VIDEO_LABEL.match(line) and len(words(line)) <= 25:
        return True
    match = _DURATION.search(line)
    if not match or len(words(line)) > 30:
        return False
    before = line[: match.start(1)].rstrip()
    if not before:
        return False
    previous = before.split()[-1].lower().strip(",")
    return previous not in _TIME_WORDS and not previous[-1:].isdigit()


_BANNER = re.compile(
    r"^(?i:watch|listen(?: to)?|follow|visit|read)\s+(?:(?:[A-Z][\w&.'’-]*|[A-Z]{2,}|of|the|and)\s*){1,5}$"
)


def navigation(line: str) -> bool:
    """A channel banner or menu item: "Watch Channel 9 News", "Follow Daily Post"."""
    return bool(_BANNER.match(line)) and not ends_like_sentence(line)


_APP = re.compile(
    r"\b(?:download|get|install|open|view|use|try)\b.{0,40}\bapp\b"
    r"|\bapp\b\s+(?:open|download|install|store)\b"
    r"|\b(?:app store|google play|play store)\b",
    re.I,
)
_NOTIFY = re.compile(
    r"^(?:get|turn on|enable|allow|receive|sign up for|activate|switch on)\b.{0,40}\b"
    r"(?:notifications?|alerts?)\b",
    re.I,
)
_UI_WORDS = {"chrome", "safari", "firefox", "edge", "opera", "brave", "samsung", "internet",
             "continue", "cancel", "open", "close", "allow", "block", "dismiss", "ok", "okay",
             "later", "not", "now", "yes", "no", "accept", "decline", "got", "it", "skip"}


def app_prompt(line: str) -> bool:
    """Install-the-app, open-in-browser and push-notification prompts."""
    tokens = words(line)
    if not tokens or len(tokens) > 16:
        return False
    if _APP.search(line) and (len(tokens) <= 8 or not is_prose(line)) or _NOTIFY.match(line):
        return True
    return len(tokens) <= 6 and all(t.lower() in _UI_WORDS for t in tokens) and len(tokens) >= 2


_COMMENT = re.compile(
    r"^(?:leave a (?:reply|comment)|post (?:a )?comment|add (?:a |your )?comment|"
    r"\d+\s+comments?|comments?(?:\s*\(\d+\))?|join the (?:conversation|discussion)|"
    r"your email address will not be published|required fields are marked|"
    r"save my name,? email|(?:sign|log) in to (?:comment|reply)|"
    r"you must be logged in to post a comment|(?:show|view|hide|load more) comments|cancel reply)\b",
    re.I,
)


def comment_form(line: str) -> bool:
    """The comment box under an article."""
    return bool(_COMMENT.match(line)) and len(words(line)) <= 20


_AGENCY = re.compile(
    r"^(?:getty(?: images)?|afp|ap|reuters|epa|efe|dpa|ansa|tass|xinhua|anadolu(?: agency)?|"
    r"shutterstock|bloomberg|nurphoto|sopa images|sipa(?: usa)?|zuma(?: press| wire)?|alamy|pool|"
    r"pa(?: wire| images)?|ap photo|afp via getty images|associated press|agence france-presse|"
    r"[\w .'-]+ (?:agency|images|photos?|press|wire|pictures))$",
    re.I,
)
_CREDIT_LABEL = re.compile(
    r"^[\[(]?(?:photo|photograph|image|picture|illustration|credit|photo credit|image credit|"
    r"picture credit|photos|images)(?:\s+by\b|\s*:|\s*credit\s*:)",
    re.I,
)


def photo_credit(line: str) -> bool:
    """"Name Surname/Agency/Getty", "Photo: Agency", "(Getty Images)"."""
    tokens = words(line)
    if not tokens or len(tokens) > 15:
        return False
    if _CREDIT_LABEL.match(line):
        return True
    bare = line.strip("()[] ")
    if _AGENCY.match(bare) and len(tokens) <= 6:
        return True
    if "," in bare and len(tokens) <= 7 and not ends_like_sentence(bare):  # "Michael Conroy, AP"
        *who, agency = (p.strip() for p in bare.split(","))
        if _AGENCY.match(agency) and all(p[:1].isupper() and len(words(p)) <= 4 and not any(c.isdigit() for c in p)
                                         for p in who):
            return True
    if "/" in bare and len(tokens) <= 9 and not ends_like_sentence(bare):
        parts = [p.strip() for p in re.split(r"\s*/\s*", bare) if p.strip()]
        return (
            len(parts) >= 2
            and all(len(words(p)) <= 4 and p[:1].isupper() for p in parts)
            and any(_AGENCY.match(p) for p in parts)
        )
    return False


_RELATED = re.compile(
    r"^(?:read more|related(?: stories| articles| coverage| content)?|see also|more on this(?: story)?|"
    r"recommended(?: stories)?|also read|read also|read next|trending(?: now)?|most read|most popular|"
    r"more from [\w ]+|you may also like|you might also like|more stories|top stories|"
    # the same teasers in other languages storyline reads
    r"lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|das könnte sie auch interessieren|"
    r"lea también|lee también|leer más|le puede interesar|te puede interesar|noticias relacionadas|"
    r"(?:à )?lire aussi|voir aussi|sur le même sujet|leggi anche|potrebbe interessarti|leia também|lees ook)"
    r"\b\s*[:|–—-]?",
    re.I,
)


def related_link(line: str) -> bool:
    """"Read more: ...", "Related: ..." teasers of other articles."""
    return bool(_RELATED.match(line)) and len(words(line)) <= 25 and (
        not is_prose(line) or bool(re.match(r"^[^:]{0,30}:", line))
    )


_SHARE = re.compile(
    r"^(?:share(?: this)?(?: article| story| page| video)?(?: on (?:facebook|twitter|x|linkedin|whatsapp|email|"
    r"reddit|telegram))?|tweet(?: this)?|email(?: this)?|print(?: this)?|copy link|copy article link|"
    r"(?:share|follow) us on [\w ,]+|follow [\w ]+ on (?:twitter|x|facebook|instagram)|"
    r"(?:subscribe|sign up)(?: now| today| here)?(?: (?:to|for) (?:our|the) [\w ,'-]*(?:newsletter|updates|"
    r"podcast|channel)[\w ]*)?|click here to [\w ]+|get (?:our|the) [\w ]*newsletter[\w ]*|"
    r"(?:artikel|beitrag|seite) teilen|teilen|compartir(?: (?:este artículo|esta noticia|en \w+))?|"
    r"partager(?: (?:cet article|sur \w+))?|condividi(?: (?:questo articolo|su \w+))?|compartilhe?|delen)[.!:]?$",
    re.I,
)
_NEWSLETTER = re.compile(r"\b(?:newsletter|inbox)\b", re.I)
_IMPERATIVE = re.compile(r"^(?:sign up|subscribe|get|join|register|enter your email)\b", re.I)


def share_prompt(line: str) -> bool:
    """Share, follow, subscribe and newsletter prompts."""
    tokens = words(line)
    if not tokens or len(tokens) > 22:
        return False
    if _SHARE.match(line):
        return True
    return bool(_NEWSLETTER.search(line) and _IMPERATIVE.match(line))


_AD = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|skip advertisement|ad feedback|"
    r"story continues below(?: advertisement)?|article continues below(?: advertisement)?|"
    r"continue reading(?: below| the main story)?|scroll to continue(?: with content)?|"
    r"anzeige|werbung|publicidad|publicité|pubblicità|publicidade)$",
    re.I,
)


def advertisement(line: str) -> bool:
    return bool(_AD.match(line.strip(" .-–—")))


_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))|\ball rights reserved\b", re.I)


def copyright_notice(line: str) -> bool:
    return bool(_COPYRIGHT.search(line)) and len(words(line)) <= 25


_REPORTING = re.compile(r"^[(\[]?(?:additional |further )?(?:reporting|writing|editing|research|compiled|"
                        r"produced|translated|graphics?) by\b", re.I)


def reporting_credit(line: str) -> bool:
    """The credit line under an agency story: "(Reporting by A; Editing by B)"."""
    return bool(_REPORTING.match(line)) and len(words(line)) <= 40 and (
        line[:1] in "([" or not ends_like_sentence(line))  # "Reporting by the paper exposed ..." is prose


_NAME = r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}"
_BYLINE = re.compile(rf"^(?i:by|von|por|par|door)\s+{_NAME}(?:\s*(?:,|and|und|y|et|e|en|&)\s*{_NAME})*"
                     rf"(?:\s*[,|–—-]\s*[\w .'’&-]{{1,40}})?$")


def byline(line: str) -> bool:
    """The writer's byline: "By Anna Berg", "By Anna Berg and Tom Lind, Alpine Wire"."""
    return bool(_BYLINE.match(line)) and len(words(line)) <= 16


_COUNTER = re.compile(r"^(?:(?:image|photo|picture|slide|page|item)s?\s+)?\d{1,4}(?:\s*[-–]\s*\d{1,4})?"
                      r"\s*(?:of|/)\s*\d{1,5}$", re.I)


def gallery_counter(line: str) -> bool:
    """A gallery's or a list's position: "Image 3 of 5", "1 - 5 of 36"."""
    return bool(_COUNTER.match(line))


Rule = Callable[[str], bool]

# Order matters only for the reason given; each rule is tested on its own.
RULES: list[tuple[str, Rule]] = [
    ("video-caption", video_caption),
    ("navigation", navigation),
    ("app-prompt", app_prompt),
    ("comment-form", comment_form),
    ("photo-credit", photo_credit),
    ("related-link", related_link),
    ("share-prompt", share_prompt),
    ("advertisement", advertisement),
    ("copyright", copyright_notice),
    ("reporting-credit", reporting_credit),
    ("byline", byline),
    ("gallery-counter", gallery_counter),
]


_LONGEST_DEBRIS = 40  # words; every rule is bounded well below this


def classify_line(line: str) -> str | None:
    """The reason this line is debris, or ``None`` if it is article text."""
    if line.count(" ") >= _LONGEST_DEBRIS:
        return None
    for reason, rule in RULES:
        if rule(line):
            return reason
    return None


# --- context rules -------------------------------------------------------------

_POSITION = re.compile(
    r"\((?:L|R|C|F|B|l|r|c|left|right|centre|center|front|back|top|bottom|\d(?:st|nd|rd|th) [LR]|"
    r"L-R|L to R|R-L|clockwise from (?:top )?left)\)"
)
_CAPTION_DATE = re.compile(r"\b(?:19|20)\d{2}\.?$|\b\d{1,2} [A-Z][a-z]+ (?:19|20)\d{2}\b")


def looks_like_headline(line: str) -> bool:
    n = len(words(line))
    return 3 <= n <= 30 and not line.endswith((".", ";", ",", ":"))


_LIST_OR_TABLE = re.compile(r"^(?:[-–•*·▪►|]|\(?\d{1,3}[.)]|[a-zA-Z][.)]\s)")


def stray_headline(line: str) -> bool:
    """A sentence-case headline with no end mark, not a list item, table row or label."""
    n = len(words(line))
    return (
        6 <= n <= 20
        and not ends_like_sentence(line)
        and not _LIST_OR_TABLE.match(line)
        and ":" not in line
        and "|" not in line
        and line[:1].isupper()
    )


_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATE_PART = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|\d{{1,2}}:\d{{2}}(?: ?[ap]\.?m\.?)?|(?:19|20)\d{{2}})\b", re.I)


def dateline(line: str) -> bool:
    """A line that only says when (or by whom and when) a page was published:
    "Published on November 18, 2019 at 10:32 am", "Updated 2:15 PM ET, Tue March 29, 2022".
    Such a line is never a title: take the dates out and at most four words are left."""
    if len(words(line)) > 14 or not any(not re.fullmatch(r"(?:19|20)\d{2}", m.group(0))
                                        for m in _DATE_PART.finditer(line)):  # a year alone is no date
        return False
    rest = _DATE_PART.sub(" ", line)
    return len(words(rest)) <= 4


def headline_first_line(line: str) -> bool:
    """A first line that reads as the article's headline (never a dateline)."""
    return (
        3 <= len(words(line)) <= 20
        and not ends_like_sentence(line)
        and "|" not in line
        and not line.isupper()
        and not dateline(line)
    )


def _link_like(line: str) -> bool:
    """A button, tag or link label: a few words, no sentence end, no "label: value"."""
    n = len(words(line))
    return n <= 4 and not ends_like_sentence(line) and ": " not in line


def _link_lists(lines: list[str], reasons: list[str | None]) -> None:
    """In plain text, where the page's structure is gone:

    - a line without a letter (a counter, a slash, a bare number) is a page fragment;
    - a run of four or more link-like lines (share buttons, tags, a gallery's
      controls), counting the debris lines among them, is a link list, unless a
      sentence ending in a colon introduces it ("The demands include:");
    - a heading that is debris itself ("Related news", "Share this story") takes
      the list under it, up to the next line that ends like a sentence.

    Figures among figures are a table broken into cells, not debris: a bare
    number with two more within four lines, and a run or list that is a
    quarter figures or is followed by figures (its column heads), are kept."""

    def figures(first: int, last: int) -> int:
        return sum(any(ch.isdigit() for ch in line) for line in lines[max(0, first):last])

    for i, line in enumerate(lines):
        if (reasons[i] is None and not any(ch.isalpha() for ch in line) and len(words(line)) <= 2
                and figures(i - 4, i) + figures(i + 1, i + 5) < 2):  # numbers among numbers are a table's
            reasons[i] = "page-fragment"
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and (_link_like(lines[end]) or reasons[end] not in (None, "title")):
            end += 1
        introduced = start > 0 and reasons[start - 1] is None and lines[start - 1].endswith(":") \
            and len(words(lines[start - 1])) >= 4  # "The demands include:" introduces a list of the article
        if end - start >= 4 and not introduced and figures(start, end) * 4 < end - start \
                and figures(end, end + 8) < 3:
            for i in range(start, end):  # (a run full of figures is a table broken into cells: kept)
                if reasons[i] is None:
                    reasons[i] = "link-list"
        start = max(end, start + 1)
    for i in range(len(lines) - 1):
        if reasons[i] not in ("related-link", "share-prompt"):
            continue
        following = i + 1
        while (following < len(lines) and reasons[following] is None and not ends_like_sentence(lines[following])
               and len(words(lines[following])) <= 16 and ": " not in lines[following]):
            following += 1
        if following - i >= 3 and figures(i + 1, following) * 4 < following - i - 1:  # two or more items, no table
            for j in range(i, following):
                if reasons[j] is None:
                    reasons[j] = "link-list"


@dataclass
class Cleaned:
    """Result of ``clean_text``: the body, what went, and cues it left behind."""

    text: str
    removed: list[Removal] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None


_OUTLET_NAME = re.compile(r"[A-Z][A-Za-z&./\- ]{0,28}[A-Za-z]")
_BANNER_OUTLET = re.compile(r"^(?:watch|listen to|follow|visit|read)\s+(.+)$", re.I)
_APP_OUTLET = re.compile(r"^(?:(?:open|view|get|download)\s+(?:the\s+)?)?(.+?)\s+app\b", re.I)


def outlet_cue(lines: list[str], removed: list[Removal]) -> str | None:
    """An outlet named by a dateline "(CNN) —" or by its own banner or app prompt."""
    for line in lines[:2]:
        opening = opening_dateline(line)
        if opening and opening.group("outlet") and _OUTLET_NAME.fullmatch(opening.group("outlet").strip()):
            return opening.group("outlet").strip()
    # An app prompt names the outlet more plainly than a channel banner does.
    for reason, pattern in (("app-prompt", _APP_OUTLET), ("navigation", _BANNER_OUTLET)):
        for item in removed:
            match = pattern.match(item.text) if item.reason == reason else None
            if match:
                name = match.group(1).strip()
                if 1 <= len(words(name)) <= 4 and name[:1].isupper():
                    return name
    return None


def clean_text(
    raw: str, title: str | None = None, structured: bool = False, settings: Settings = DEFAULT_SETTINGS
) -> Cleaned:
    """Clean one article's text. ``title`` is the known title, if any.

    ``structured`` says the text comes from an extractor that kept the page's
    structure apart (headings, lists), so headline-like lines are subheads.

    Paragraphs of the result are separated by a blank line.
    """
    lines: list[str] = []
    gap_after: list[int] = []  # blank lines after each kept line: the page's layout
    for line in (normalize_line(line) for line in raw.splitlines()):
        if line:
            lines.append(line)
            gap_after.append(0)
        elif gap_after:
            gap_after[-1] += 1
    usual_gap = sorted(gap_after[:-1])[len(gap_after[:-1]) // 2] if len(gap_after) > 1 else 0
    reasons: list[str | None] = [classify_line(line) for line in lines]

    def kept() -> list[int]:
        return [i for i, r in enumerate(reasons) if r is None]

    # A repeat of the known title at the top is not body text.
    if title:
        for i in kept()[:2]:
            if normalize_line(title).casefold() == lines[i].casefold():
                reasons[i] = "title"
                break
    # A "Published on <date>" line above the body is page furniture, never the title.
    for i in kept():
        if is_prose(lines[i]):
            break
        if dateline(lines[i]):
            reasons[i] = "dateline"
    # With no known title, a headline-like first line that the body follows is it.
    found_title = None
    body = kept()
    if not title and len(body) >= 2 and headline_first_line(lines[body[0]]):
        reasons[body[0]] = "title"
        found_title = lines[body[0]]

    # Fragments in a run of debris before or after the body go with it.
    prose = [i for i in kept() if is_prose(lines[i])]
    if prose:
        first, last = prose[0], prose[-1]
        outside = [i for i in range(len(lines)) if i < first or i > last]
        changed = True
        while changed:
            changed = False
            for i in outside:
                if reasons[i] is not None or len(words(lines[i])) > 8 or ends_like_sentence(lines[i]):
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(lines) and reasons[j] not in (None, "title") and (j < first or j > last):
                        reasons[i] = reasons[j]
                        changed = True
                        break
        # Caption above a photo credit, and the caption's own heading above it.
        for i in range(1, len(lines)):
            if reasons[i] != "photo-credit":
                continue
            j = i - 1
            if reasons[j] is None and (_POSITION.search(lines[j]) or _CAPTION_DATE.search(lines[j])):
                reasons[j] = "photo-caption"
                if j >= 1 and reasons[j - 1] is None and looks_like_headline(lines[j - 1]) and first < j - 1:
                    reasons[j - 1] = "photo-caption"
        # In plain text, a headline inside the body that no sentence ends links to
        # another article. Extracted HTML keeps real subheads and lists this way, so
        # the rule is for text whose page structure is gone.
        # It also stands apart: more blank lines around it than between paragraphs.
        if not structured:
            for i in range(first + 1, last):
                set_apart = max(gap_after[i], gap_after[i - 1]) > usual_gap
                if reasons[i] is None and set_apart and stray_headline(lines[i]):
                    reasons[i] = "related-link"
    if not structured:
        _link_lists(lines, reasons)
    for i, line in enumerate(lines):
        if reasons[i] is None and _POSITION.search(line) and re.search(_POSITION.pattern + r" [a-z]", line) \
                and len(words(line)) <= 40 and i + 1 < len(lines) and reasons[i + 1] == "photo-credit":
            reasons[i] = "photo-caption"

    removed = [Removal(text=line, reason=r) for line, r in zip(lines, reasons) if r and r != "title"]
    text = "\n\n".join(line for line, r in zip(lines, reasons) if r is None)
    return Cleaned(
        text=text,
        removed=removed,
        title=found_title,
        outlet=outlet_cue([line for line, r in zip(lines, reasons) if r is None], removed),
    )
