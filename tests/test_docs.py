"""The README's promises still hold: its commands exist and its example is real."""

from __future__ import annotations

import json
import re

from .conftest import EXAMPLES, ROOT, report_of

README = (ROOT / "README.md").read_text("utf-8")


def test_two_setup_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("demo", "test", "bench"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_readme_json_example_matches_a_real_report():
    block = re.search(r"```json\n(.*?)```", README, re.S).group(1)
    example = json.loads(block.replace("…", ""))
    report = report_of(EXAMPLES)
    assert example.keys() <= report.keys()
    shown = example["articles"][0]
    real = next(a for a in report["articles"] if a["id"] == shown["id"])
    for key, value in shown.items():
        if key == "text":
            assert real["text"].startswith(value.strip())
        elif key == "source":
            assert real["source"].endswith(value)
        else:
            assert real[key] == value, key


def test_readme_story_example_matches_a_real_report():
    block = re.search(r"```json\n(.*?)```", README, re.S).group(1)
    shown = json.loads(block.replace("…", ""))["stories"][0]
    real = next(s for s in report_of(EXAMPLES)["stories"] if s["id"] == shown["id"])
    for key in ("title", "article_ids", "independent_sources", "first_date", "last_date"):
        assert real[key] == shown[key], key


def test_readme_markdown_example_lines_are_real():
    from .conftest import run_cli

    block = re.search(r"```markdown\n(.*?)```", README, re.S).group(1)
    real = run_cli("analyze", EXAMPLES, "--format", "md", "-q").stdout
    for line in block.strip().splitlines():
        assert line in real, line
