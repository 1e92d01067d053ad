"""The HTML report: self-contained, every citation link lands, text escaped."""

from __future__ import annotations

import re

from .conftest import EXAMPLES, run_cli


def html_of(*args) -> str:
    result = run_cli("analyze", *args, "--format", "html", "-q")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_self_contained_and_links_land():
    page = html_of(EXAMPLES)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)  # nothing fetched from elsewhere
    targets = set(re.findall(r'href="#([^"]+)"', page)) | set(re.findall(r"href='#([^']+)'", page))
    ids = set(re.findall(r'id="([^"]+)"', page)) | set(re.findall(r"id='([^']+)'", page))
    assert targets and targets <= ids
    assert "independent sources" in page and "Brief" in page


def test_article_text_is_escaped(tmp_path):
    evil = ('The council met on Monday <script>alert("x")</script> and voted <img src=x onerror="alert(1)"> '
            'to close the "old" bridge & the ferry pier for repairs until June.')
    (tmp_path / "evil.txt").write_text(evil, "utf-8")
    page = html_of(tmp_path)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "onerror=&quot;" in page
