"""Reading inputs: formats, encodings and every kind of bad file."""

from __future__ import annotations

import gzip
import json

import pytest

from storyline.decoding import decode_bytes
from storyline.errors import InputError
from storyline.ingest import discover, normalize_date
from storyline.pipeline import load_articles
from storyline.settings import Settings

BODY = "The town council approved a new bus line on Monday after a long debate about costs."
HTML = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Neue Buslinie</title>
<meta property="og:site_name" content="Stadtbote"><meta property="article:published_time" content="2025-05-04">
</head><body><nav><a href="/">Start</a></nav><article><h1>Neue Buslinie</h1>
<p>Der Stadtrat hat am Montag nach langer Debatte über die Kosten eine neue Buslinie beschlossen.</p>
<p>Die Linie soll ab dem Sommer alle zwanzig Minuten fahren und drei Stadtteile verbinden.</p>
<p>Die Opposition kritisierte die hohen Kosten und verlangte eine zweite Abstimmung im Herbst.</p>
</article><footer>Impressum</footer></body></html>"""


def collect(paths, settings=Settings()):
    warnings: list[str] = []
    articles = load_articles(paths, settings, warnings.append)
    return articles, warnings


def test_txt_with_date_line(tmp_path):
    (tmp_path / "a1.txt").write_text(f" date 2031-05-04 {BODY}", "utf-8")
    [article], warnings = collect([tmp_path / "a1.txt"])
    assert (article.id, article.date, article.text, warnings) == ("a1", "2031-05-04", BODY, [])
    assert article.language == "en"


def test_txt_without_date_line(tmp_path):
    (tmp_path / "b.txt").write_text(BODY, "utf-8")
    [article], _ = collect([tmp_path / "b.txt"])
    assert article.date is None and article.text == BODY


def test_html_and_gzipped_html(tmp_path):
    (tmp_path / "page.html").write_text(HTML, "utf-8")
    (tmp_path / "zipped.html.gz").write_bytes(gzip.compress(HTML.encode("utf-8")))
    articles, warnings = collect([tmp_path])
    assert warnings == []
    assert sorted(a.id for a in articles) == ["page", "zipped"]
    for article in articles:
        assert article.title == "Neue Buslinie"
        assert article.outlet == "Stadtbote"
        assert article.date == "2025-05-04"
        assert article.language == "de"
        assert "Stadtrat" in article.text and "Impressum" not in article.text and "Start" not in article.text


def test_jsonl_records_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "x1", "text": BODY, "outlet": "Bus Weekly", "date": "2031-05-04T10:00:00Z",
                    "title": "Bus line", "url": "https://bus.example/x1"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "x2"}),
        "",
        json.dumps({"html": HTML}),
        json.dumps({"text": BODY + " Again."}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    articles, warnings = collect([path])
    assert [a.outlet for a in articles][:2] == ["Bus Weekly", "Stadtbote"]
    first = articles[0]
    assert (first.id, first.date, first.title, first.source) == ("x1", "2031-05-04", "Bus line", "https://bus.example/x1")
    assert len(articles) == 3
    assert len(articles[1].id) == 16 and len(articles[2].id) == 16  # content hashes
    assert articles[1].id != articles[2].id
    assert len(warnings) == 3
    assert any(":2:" in w and "not a JSON object" in w for w in warnings)
    assert any(":4:" in w and '"text" or "html"' in w for w in warnings)


def test_item_3_and_9_jsonl_deep_nesting_odd_ids_and_unreadable_dates(tmp_path):
    """A line nested too deeply for the JSON reader, a boolean id and dates that
    are not dates: one-line warnings, and the good articles are kept."""
    lines = [
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": True, "text": BODY}),
        json.dumps({"id": 7, "text": BODY + " Seven."}),
        json.dumps({"id": "d1", "text": BODY + " One.", "date": "2022-13-45"}),
        json.dumps({"id": "d2", "text": BODY + " Two.", "date": "yesterday"}),
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    articles, warnings = collect([path])
    assert [a.id for a in articles] == ["true", "7", "d1", "d2"]
    assert [a.date for a in articles] == [None] * 4
    assert any(":1:" in w and "nested too deeply" in w for w in warnings)
    assert any(":4:" in w and "2022-13-45" in w for w in warnings)
    assert any(":5:" in w and "yesterday" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_jsonl_id_is_stable_hash():
    from storyline.ingest import document_from_record
    a = document_from_record({"text": BODY}, "x")
    b = document_from_record({"text": BODY}, "y")
    assert a.id == b.id


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_other_encodings(tmp_path, encoding):
    text = "Le maire a annoncé jeudi que la rénovation du théâtre coûtera 4 millions d’euros de plus."
    if encoding in ("latin-1",):
        text = text.replace("’", "'")
    (tmp_path / "fr.txt").write_bytes(text.encode(encoding))
    [article], warnings = collect([tmp_path / "fr.txt"])
    assert article.text == text and warnings == []
    assert article.language == "fr"


def test_bad_files_are_skipped_and_good_ones_kept(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n  ", "utf-8")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "junk.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500))
    (tmp_path / "broken.html.gz").write_bytes(b"not gzip at all")
    (tmp_path / "truncated.html.gz").write_bytes(gzip.compress(HTML.encode())[:40])
    (tmp_path / "nomain.html").write_text("<html><body><nav>Home</nav></body></html>", "utf-8")
    (tmp_path / "tags.html").write_text("<<<<>>>><div><p>unclosed <b>bold", "utf-8")
    (tmp_path / "short.txt").write_text("Too short.", "utf-8")
    (tmp_path / "notes.md").write_text("ignored: not an article suffix", "utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, "utf-8")
    articles, warnings = collect([tmp_path])
    assert [a.id for a in articles] == ["good"]
    skipped = {w.split(":")[0].rsplit("/", 1)[-1] for w in warnings}
    assert skipped == {"empty.txt", "blank.txt", "junk.txt", "junk.html", "broken.html.gz",
                       "truncated.html.gz", "nomain.html", "tags.html", "short.txt"}
    assert all("\n" not in w and w.startswith("skipped ") for w in warnings)


def test_huge_file_is_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    (tmp_path / "huge.txt").write_text(BODY * 200, "utf-8")
    (tmp_path / "huge.html.gz").write_bytes(gzip.compress(HTML.encode() * 50))
    articles, warnings = collect([tmp_path], Settings(max_file_bytes=4096))
    assert [a.id for a in articles] == ["good"]
    assert len(warnings) == 2 and all("limit" in w for w in warnings)


def test_item_6_huge_jsonl_line_is_skipped(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": BODY * 100}) + "\n" + json.dumps({"id": "ok", "text": BODY}) + "\n")
    articles, warnings = collect([path], Settings(max_line_bytes=2000))
    assert [a.id for a in articles] == ["ok"] and "limit" in warnings[0]


def test_duplicate_ids_are_renamed(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(BODY + f" From {folder}.", "utf-8")
    articles, warnings = collect([tmp_path])
    assert [a.id for a in articles] == ["same", "same-2"]
    assert "renamed" in warnings[0]


def test_a_file_named_twice_is_read_once(tmp_path):
    (tmp_path / "one.txt").write_text(BODY, "utf-8")
    (tmp_path / "two.txt").write_text(BODY + " Another.", "utf-8")
    found = discover([tmp_path / "one.txt", tmp_path, str(tmp_path / "." / "one.txt")])
    assert found == [tmp_path / "one.txt", tmp_path / "two.txt"]


def test_other_url_schemes_are_a_clear_error():
    with pytest.raises(InputError, match=r"only http:// and https://.*not ftp://"):
        discover(["ftp://example.org/a.txt"])


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "nope.txt"])


def test_empty_corpus_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="no usable articles"):
        collect([tmp_path])
    (tmp_path / "sub").mkdir()
    with pytest.raises(InputError, match="no input files"):
        collect([tmp_path / "sub"])


def test_decode_rejects_binary():
    from storyline.errors import SkippedInput
    with pytest.raises(SkippedInput, match="binary"):
        decode_bytes(b"\x00\x01\x02abc")


def test_normalize_date():
    assert normalize_date("2031-05-04") == "2031-05-04"
    assert normalize_date("2031-05-04T23:10:00+02:00") == "2031-05-04"
    assert normalize_date("yesterday") is None
    assert normalize_date(20310504) is None


def test_cyrillic_legacy_encodings(tmp_path):
    text = "Городской совет в понедельник одобрил новую автобусную линию после долгих споров о стоимости."
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    page = f'<html><head><meta charset="koi8-r"></head><body><article><p>{text}</p></article></body></html>'
    (tmp_path / "ru-page.html").write_bytes(page.encode("koi8-r"))
    articles, warnings = collect([tmp_path])
    assert warnings == []
    assert [a.text for a in articles] == [text, text]
    assert {a.language for a in articles} == {"ru"}


def test_item_1_overlong_article_is_cut_with_a_warning_and_the_run_goes_on(tmp_path):
    """A text longer than ``max_article_chars`` keeps its beginning (at a paragraph
    end), records the rest as removed, and costs no other article."""
    paragraph = "The harbour board met again on Monday to discuss the new quay and its costs. " * 8
    (tmp_path / "long.txt").write_text("\n\n".join([paragraph] * 40), "utf-8")
    (tmp_path / "short.txt").write_text(BODY, "utf-8")
    articles, warnings = collect([tmp_path], Settings(max_article_chars=5000))
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"long", "short"}
    long = by_id["long"]
    assert 2500 <= len(long.text) <= 5000 and long.text.endswith("costs.")
    assert "characters)" in long.removed[-1].text
    assert warnings == [f"{tmp_path / 'long.txt'}: longer than 5,000 characters; only its first {len(long.text):,} "
                        "are analysed"]


def test_item_1_a_megabyte_article_through_analyze_and_ingest(tmp_path):
    """The spaCy limit (1,000,000 characters) is never reached: a 1.2 MB plain-text
    article and a good one give a report with both, exit status 0."""
    from .conftest import run_cli

    sentence = "Officials said the bridge over the river would stay closed until the inspection ends. "
    (tmp_path / "huge.txt").write_text((sentence * 12 + "\n\n") * 1200, "utf-8")
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    result = run_cli("analyze", tmp_path, "--output", tmp_path / "out.json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "only its first" in result.stderr
    report = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert {a["id"] for a in report["articles"]} == {"huge", "good"}
    stored = run_cli("ingest", tmp_path / "huge.txt", tmp_path / "good.txt", "--store", tmp_path / "s.db")
    assert stored.returncode == 0 and stored.stdout.startswith("2 added"), stored.stderr


def test_item_9_damaged_utf8_and_utf16_without_bom():
    text = "The café in Zürich reopened on Monday, its owner Zoë Müller said. " * 5
    damaged = text.encode("utf-8")
    damaged = damaged[:40] + b"\xff\xfe\x80" + damaged[40:90] + b"\xfe\xff\x80" + damaged[90:]  # six bad bytes
    read = decode_bytes(damaged)
    assert read.count("\ufffd") == 6 and "Zürich" in read and "Zoë Müller" in read  # not "ZĂźrich"
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(codec)) == text
    assert decode_bytes("The café was closed.".encode("cp1252")) == "The café was closed."


def test_item_4_and_9_named_pipe_and_symlink_loop_are_warnings_not_hangs(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # nobody ever writes to it: reading it would wait forever
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    articles, warnings = collect([tmp_path / "pipe.txt", tmp_path / "loop.txt", tmp_path / "good.txt"])
    assert [a.id for a in articles] == ["good"]
    assert any("pipe.txt" in w and "not a regular file" in w for w in warnings)
    assert any("loop.txt" in w and "cannot read" in w for w in warnings)


def test_item_6_gzip_bomb_and_oversized_lines_keep_what_came_before(tmp_path):
    """Decompressed bytes count against the file limit as they are read."""
    good = [json.dumps({"id": f"g{n}", "text": f"{BODY} Part {n}."}) for n in (1, 2, 3)]
    padding = (json.dumps({"id": "pad", "text": "x" * 1000}) + "\n") * 8000  # 8 MB of lines
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(good[0] + "\n" + '{"text": "' + "a" * 3_000_000 + '"}\n' + good[1] + "\n" + padding + good[2] + "\n")
    assert path.stat().st_size < 200_000
    settings = Settings(max_file_bytes=5 * 2**20, max_line_bytes=2**20)
    articles, warnings = collect([path], settings)
    ids = [a.id for a in articles]
    assert ids[:2] == ["g1", "g2"] and "g3" not in ids
    assert any(":2: line larger than the 1 MB limit" in w for w in warnings)
    assert any("more than the 5 MB file limit" in w for w in warnings)


def test_item_8_control_characters_never_reach_an_article(tmp_path):
    record = {"id": "nul", "title": "Bus\x00 line\x1b[31m", "outlet": "Bus\x07 Weekly", "text": BODY + "\x00\x08 More."}
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    [article], _ = collect([tmp_path / "c.jsonl"])
    assert (article.title, article.outlet) == ("Bus line[31m", "Bus Weekly")
    assert article.text == BODY + " More."


def test_item_9_a_file_mixing_utf8_and_windows_1252_is_read_line_by_line(tmp_path):
    """Most lines UTF-8, two pasted in from a Windows-1252 file: each line is read
    in its own encoding (the whole file read as one legacy charset gave "CafĂŠ"),
    and a warning says so."""
    utf8 = "Zoë Müller reopened the café in Zürich on Monday, the owner said.\n".encode()
    legacy = "The crème brûlée costs 9 € now, up from 7 €.\n".encode("cp1252")
    path = tmp_path / "mixed.txt"
    path.write_bytes(utf8 * 3 + legacy + utf8 + legacy)
    [article], warnings = collect([path])
    assert article.text.count("Zoë Müller reopened the café in Zürich") == 4
    assert article.text.count("The crème brûlée costs 9 € now") == 2
    assert "\ufffd" not in article.text
    assert any("mixed.txt" in w and "2 of 6 lines" in w and "windows-1252" in w for w in warnings)


def test_item_9_mojibake_is_repaired_and_recorded(tmp_path):
    """Text that was decoded with the wrong charset before it was saved is
    repaired; the lines as they were are listed under 'removed' and a warning
    names the article. Curly quotes and other characters are left as written."""
    bad = "The cafÃ© in SÃ£o Paulo reopened â€” its owner said."
    good = "“We are back,” said the owner of the café, Zoë Müller, on Monday morning."
    (tmp_path / "moji.txt").write_text(f"{bad}\n\n{good}\n", "utf-8")
    [article], warnings = collect([tmp_path / "moji.txt"])
    assert "The café in São Paulo reopened — its owner said." in article.text
    assert good in article.text
    assert [(r.text, r.reason) for r in article.removed] == [(bad, "mojibake-repaired")]
    assert any("moji.txt" in w and "mojibake" in w and "1 line" in w for w in warnings)


def test_item_9_invalid_jsonl_field_values_are_named(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": BODY, "title": 42, "outlet": ["x"], "url": "javascript:alert(1)"}),
        json.dumps({"id": {"x": 1}, "text": BODY + " Two.", "language": False}),
    ]
    path = tmp_path / "fields.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    articles, warnings = collect([path])
    assert len(articles) == 2 and articles[0].title is None and articles[0].url is None
    assert articles[0].outlet is None
    assert any(":1:" in w and "'title'" in w and "int 42" in w for w in warnings)
    assert any(":1:" in w and "'outlet'" in w for w in warnings)
    assert any(":1:" in w and "javascript:alert(1)" in w and "not an http(s) URL" in w for w in warnings)
    assert any(":2:" in w and "'id'" in w for w in warnings)
    assert any(":2:" in w and "'language'" in w for w in warnings)


def test_item_3_json_nesting_depth_is_a_setting():
    from storyline.ingest import json_depth_over

    assert not json_depth_over(json.dumps({"a": [[1, 2], {"b": [3]}], "t": "[[[[[[" * 50}).encode(), 5)
    assert json_depth_over(b"[" * 7 + b"]" * 7, 5) and not json_depth_over(b"[" * 5 + b"]" * 5, 5)
    deep = json.dumps({"id": "deep", "text": BODY, "extra": [[[[[["x"]]]]]]})
    assert not json_depth_over(deep.encode(), 100) and json_depth_over(deep.encode(), 5)
