"""The command line as a user meets it: output, formats, errors as one line."""

from __future__ import annotations

import json

import storyline

from .conftest import EXAMPLES, run_cli

BODY = "The harbour council voted on Tuesday to close the old ferry pier for repairs until June."


def test_help_lists_analyze():
    result = run_cli("--help")
    assert result.returncode == 0 and "analyze" in result.stdout
    result = run_cli("analyze", "--help")
    assert "--format" in result.stdout and "--output" in result.stdout


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and storyline.__version__ in result.stdout


def test_example_corpus_report_validates():
    result = run_cli("analyze", EXAMPLES)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    storyline.validate(report)
    assert report["schema"] == "storyline.report/1"
    assert len(report["articles"]) == 6
    assert all(a["text"] and a["language"] == "en" for a in report["articles"])


def test_markdown_and_output_file(tmp_path):
    out = tmp_path / "sub" / "report.md"
    result = run_cli("analyze", EXAMPLES, "--format", "md", "--output", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text("utf-8")
    assert text.startswith("# storyline report") and "valdora-courier" in text
    assert result.stdout == ""


def test_missing_path_is_one_line_error(tmp_path):
    result = run_cli("analyze", tmp_path / "missing.txt")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_only_bad_input_is_one_line_error(tmp_path):
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01" * 100)
    result = run_cli("analyze", tmp_path / "junk.txt")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "storyline: error: no usable articles in the input"


def test_empty_directory_is_an_error(tmp_path):
    result = run_cli("analyze", tmp_path)
    assert result.returncode == 2 and "no input files" in result.stderr


def test_bad_file_among_good_ones_is_a_warning(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    (tmp_path / "bad.jsonl").write_text('{"text": 1}\n{oops\n', "utf-8")
    result = run_cli("analyze", tmp_path, tmp_path / "good.txt")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert [a["id"] for a in report["articles"]] == ["good"]  # named twice, read once
    assert "warning: skipped" in result.stderr and "Traceback" not in result.stderr
    assert report["warnings"]


def test_quiet_silences_warnings(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    result = run_cli("analyze", "-q", tmp_path)
    assert result.returncode == 0 and result.stderr == ""


def test_unwritable_output_is_one_line_error(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("analyze", tmp_path / "good.txt", "--output", blocker / "report.json")
    assert result.returncode == 2 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_python_api_matches_cli():
    report = storyline.analyze([EXAMPLES])
    data = storyline.to_dict(report)
    storyline.validate(data)
    cli = json.loads(run_cli("analyze", EXAMPLES).stdout)
    assert [a["id"] for a in data["articles"]] == [a["id"] for a in cli["articles"]]


def test_story_dates_read_as_a_reader_writes_them():
    from storyline.cli import _dates

    assert _dates(None, None) == "undated"
    assert _dates("2026-02-10", "2026-02-10") == "2026-02-10"
    assert _dates("2026-02-10", "2026-02-11") == "2026-02-10 – 2026-02-11"
