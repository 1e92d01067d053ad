"""The ``storyline`` command: a thin shell over the Python API."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import StorylineError
from .pipeline import analyze as run_analysis
from .render import render_html, render_markdown
from .report import to_json

app = typer.Typer(
    help="Read many news articles about the same events and tell what actually happened.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(str, Enum):
    json = "json"
    md = "md"
    html = "html"


def _version(value: bool) -> None:
    if value:
        print(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """storyline: stories, independent sources, quotes and facts from news articles."""


def _fail(message: str, code: int = 2) -> None:
    err.print(f"storyline: error: {message}", markup=False)
    raise typer.Exit(code)


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT...",
        help="Article files (.txt, .html, .htm, optionally .gz, .jsonl) or directories of them.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.json,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No warnings or progress on stderr.")] = False,
) -> None:
    """Analyse articles and write the report (JSON by default)."""
    def warn(message: str) -> None:
        if not quiet:
            err.print(f"storyline: warning: {message}", markup=False)

    show_progress = not quiet and err.is_terminal
    try:
        with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not show_progress) as bar:
            task = bar.add_task("read", total=None)
            report = run_analysis(inputs, warn=warn,
                                  progress=lambda done, total: bar.update(task, completed=done, total=total))
    except StorylineError as exc:
        _fail(str(exc))
    renderers = {Format.json: lambda r: to_json(r) + "\n", Format.md: render_markdown, Format.html: render_html}
    text = renderers[format](report)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    if not quiet:
        err.print(f"storyline: wrote {len(report.articles)} articles to {output}", markup=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("storyline: interrupted", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
