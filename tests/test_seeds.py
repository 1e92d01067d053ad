"""Issue 3 on the reference story: five articles, dates, debris gone, text kept."""

from __future__ import annotations

import re

import pytest

import storyline
from storyline.clean import normalize_line

from .conftest import report_of

# What a reader would call debris in the seed files (test data, not rules).
SEED_DEBRIS = {
    "000_2c0d746feb48e632": [
        "Moscow and Kyiv will continue negotiations in the midst of the war 1:13",
        "What mission does the Wagner military group have in Ukraine? 3:23",
        "They return to their homes in Mariupol devastated by the Russians 1:55",
    ],
    "002_a5fb506bb93332d8": [
        "Cem Ozdel/Anadolu Agency/Getty",
        "Congressman on how Putin’s war in Ukraine mimics actions in Syria",
        "Ukrainian Zelenskyy is ready to discuss possible neutrality ahead of peace talks with Russia",
        "Leave a Reply",
        "Your email address will not be published.",
    ],
    "003_dcca02cc661e344e": [
        "Watch CBS News",
        "View CBS News In",
        "CBS News App Open",
        "Chrome Safari Continue",
        "Be the first to know",
        "Get browser notifications for breaking news, live events, and exclusive reporting.",
    ],
}
# Lines that are neither debris nor body text: headlines and a photo caption.
NOT_BODY = {
    "Russia says it will “drastically reduce” military activity near Kyiv as talks with Ukraine progress",
    "Russia to drastically reduce military activity near Kyiv",
    "Peace talks between delegations from Russia and Ukraine",
}


@pytest.fixture(scope="module")
def report(seeds):
    return report_of(seeds)


def test_report_validates_and_has_five_articles(report):
    storyline.validate(report)
    assert [a["id"] for a in report["articles"]] == [
        "000_2c0d746feb48e632", "001_4ebabd13f4a7c06d", "002_a5fb506bb93332d8",
        "003_dcca02cc661e344e", "004_99a8a53922663c20",
    ]


def test_dates_from_the_date_line(report):
    dates = {a["id"][:3]: a["date"] for a in report["articles"]}
    assert dates == {"000": "2022-03-29", "001": "2022-03-29", "002": None, "003": None, "004": "2022-03-29"}


def test_debris_is_removed_with_a_reason(report):
    by_id = {a["id"]: a for a in report["articles"]}
    for article_id, lines in SEED_DEBRIS.items():
        article = by_id[article_id]
        removed = {r["text"] for r in article["removed"]}
        for line in lines:
            assert line not in article["text"], line
            assert any(line.startswith(r) or r.startswith(line) for r in removed), line
        assert all(r["reason"] for r in article["removed"])
    # "... talks with Ukraine make head 02:03": a video caption in the CBS page.
    assert not re.search(r"\d\d:\d\d\s*$", by_id["003_dcca02cc661e344e"]["text"], re.M)


def test_every_sentence_of_the_articles_stays(report, seeds):
    for article in report["articles"]:
        raw = (seeds / f"{article['id']}.txt").read_text("utf-8")
        raw = re.sub(r"^\s?date \d{4}-\d{2}-\d{2}\s*", "", raw)
        debris = set(SEED_DEBRIS.get(article["id"], []))
        for line in (normalize_line(x) for x in raw.splitlines()):
            if not line or line in debris or line in NOT_BODY or re.search(r"\d:\d\d$", line):
                continue
            if line.startswith("Turkey’s Foreign Minister Mevlut Cavusoglu (C)"):
                continue  # the photo's caption
            assert line in article["text"], f"{article['id']} lost: {line[:80]}"


def test_outlets_from_text_cues(report):
    outlets = {a["id"][:3]: a["outlet"] for a in report["articles"]}
    assert outlets["000"] == "CNN"
    assert outlets["003"] == "CBS News"


def test_all_english(report):
    assert {a["language"] for a in report["articles"]} == {"en"}
