"""Screenshots for the README: ingest a corpus into a fresh store, start
`storyline serve`, and save PNGs of the story list, the story page (its top,
its coverage strip and copy graph, a clicked citation) and an article page,
taken in headless Chromium.

    python scripts/screenshots.py [CORPUS] [--out docs/screenshots]

CORPUS defaults to ../shared/seeds (the reference case) when it exists,
else the bundled examples.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.store import Store, ingest  # noqa: E402
from tests.conftest import LiveServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seeds = ROOT.parent / "shared" / "seeds"
    parser.add_argument("corpus", nargs="?", default=str(seeds if seeds.is_dir() else ROOT / "examples" / "corpus"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "screens.db"
        with Store(store) as db:
            ingest(db, [args.corpus])
            story = db.stories(order="sources")[0]
            first_article = db.story(story.id).article_ids[-1]
        server = LiveServer(store)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
                page.goto(server.url + "/")
                page.screenshot(path=str(out / "stories.png"))
                page.goto(f"{server.url}/stories/{story.id}")
                page.screenshot(path=str(out / "story.png"))
                page.evaluate("document.querySelector('svg.coverage').previousElementSibling"
                              ".scrollIntoView({block: 'start'})")
                page.screenshot(path=str(out / "pictures.png"))
                citation = page.locator("ul.brief a.cite").first
                citation.click()
                page.evaluate("document.querySelector(':target').scrollIntoView({block: 'center'})")
                citation_target = page.locator(":target")
                citation_target.wait_for()
                page.screenshot(path=str(out / "citation.png"))
                page.goto(f"{server.url}/articles/{first_article}")
                page.screenshot(path=str(out / "article.png"))
                browser.close()
        finally:
            server.stop()
    for name in ("stories", "story", "citation", "article"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
