"""The ``storyline`` command: a thin shell over the Python API."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import StorylineError
from .labels import counted
from .model import Report
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


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


class Order(str, Enum):
    newest = "newest"
    sources = "sources"


StoreOption = Annotated[Path | None, typer.Option(
    "--store", "-s", metavar="DB",
    help="SQLite store file (default: $STORYLINE_STORE, else ~/.local/share/storyline/storyline.db).")]
InputsArgument = Annotated[list[str], typer.Argument(
    metavar="INPUT...",
    help="Article files (.txt, .html, .htm, optionally .gz, .jsonl), directories of them, "
         "or http(s):// URLs of article pages or RSS/Atom feeds.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No warnings or progress on stderr.")]
EncoderOption = Annotated[bool, typer.Option(
    "--encoder/--no-encoder", envvar="STORYLINE_ENCODER",
    help="Link articles across languages with the packaged multilingual sentence encoder "
         "(off: words only; env STORYLINE_ENCODER=0).")]


WorkersOption = Annotated[int, typer.Option(
    "--workers", "-w", min=0, envvar="STORYLINE_WORKERS",
    help="Run the per-article and per-story work on a local Dask cluster of this many worker processes "
         "(0: in this process).")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", metavar="tcp://HOST:PORT", envvar="STORYLINE_SCHEDULER",
    help="Run the work on the existing Dask cluster whose scheduler listens here.")]


@contextmanager
def _executor(workers: int, scheduler: str | None):
    """The executor the options ask for, closed afterwards; a cluster that cannot
    be started or reached is a one-line error."""
    from .executor import make_executor

    try:
        executor = make_executor(workers, scheduler)
    except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
        _fail(f"cannot start or reach the Dask cluster: {' '.join(str(exc).split())[:200]}")
    try:
        yield executor
    finally:
        executor.close()


def _settings(encoder: bool):
    from dataclasses import replace

    from .settings import DEFAULT_SETTINGS

    return replace(DEFAULT_SETTINGS, encoder=encoder)


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


def _store(path: Path | None, readonly: bool = False):
    from .store import Store, default_store_path

    return Store(path or default_store_path(), readonly=readonly)


def _warner(quiet: bool):
    def warn(message: str) -> None:
        if not quiet:
            err.print(f"storyline: warning: {message}", markup=False)
    return warn


def _progress(quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=quiet or not err.is_terminal)


def _ingest(store, inputs: list[str], quiet: bool, settings, executor=None):
    from .executor import LOCAL
    from .store import ingest as ingest_into

    with _progress(quiet) as bar:
        reading = bar.add_task("reading", total=None)
        describing = bar.add_task("describing stories", total=None, visible=False)
        return ingest_into(
            store, inputs, settings, warn=_warner(quiet),
            progress=lambda done, total: bar.update(reading, completed=done, total=total),
            describe_progress=lambda done, total: bar.update(describing, completed=done, total=total,
                                                             visible=True),
            executor=executor or LOCAL)


@app.command()
def analyze(
    inputs: InputsArgument,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.json,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", "-s", metavar="DB",
        help="Also add the articles to this store; the report then covers their stories as stored.")] = None,
    quiet: QuietOption = False,
    encoder: EncoderOption = True,
    workers: WorkersOption = 0,
    scheduler: SchedulerOption = None,
) -> None:
    """Analyse articles and write the report (JSON by default)."""
    settings = _settings(encoder)
    try:
        if store is None:
            with _executor(workers, scheduler) as executor, _progress(quiet) as bar:
                task = bar.add_task("reading", total=None)
                report = run_analysis(inputs, settings, warn=_warner(quiet),
                                      progress=lambda done, total: bar.update(task, completed=done, total=total),
                                      executor=executor)
        else:
            with _store(store) as db, _executor(workers, scheduler) as executor:
                result = _ingest(db, inputs, quiet, settings, executor)
                report = Report(warnings=result.warnings)
                ids = set(result.added + result.updated + result.unchanged)
                wanted = {a.story_id for a in db.articles(ids)}
                for story_id in sorted(wanted - {None}):
                    part = db.story_report(story_id)
                    report.articles += part.articles
                    report.stories += part.stories
                report.stories.sort(key=lambda s: (-s.independent_sources, -len(s.article_ids), s.id))
    except StorylineError as exc:
        _fail(str(exc))
    renderers = {Format.json: lambda r: to_json(r) + "\n", Format.md: render_markdown, Format.html: render_html}
    _write(renderers[format](report), output, quiet, f"wrote {counted(len(report.articles), 'article')}")


def _write(text: str, output: Path | None, quiet: bool, what: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    if not quiet:
        err.print(f"storyline: {what} to {output}", markup=False)


def _dates(first: str | None, last: str | None) -> str:
    """A story's dates as a reader writes them: "2026-02-10 – 2026-02-11", one date, or "undated"."""
    if not first:
        return "undated"
    return first if first == last else f"{first} – {last}"


@app.command()
def ingest(inputs: InputsArgument, store: StoreOption = None, quiet: QuietOption = False,
           encoder: EncoderOption = True, workers: WorkersOption = 0, scheduler: SchedulerOption = None) -> None:
    """Add articles to the store; they join stories or start new ones, and stored ones stay as they are."""
    try:
        with _store(store) as db, _executor(workers, scheduler) as executor:
            result = _ingest(db, inputs, quiet, _settings(encoder), executor)
            total_articles, total_stories = db.count("articles"), db.count("stories")
            where = db.path
    except StorylineError as exc:
        _fail(str(exc))
    print(f"{len(result.added)} added, {len(result.updated)} updated, {len(result.unchanged)} unchanged articles; "
          f"{counted(len(result.stories_changed), 'story')} new or changed, {len(result.stories_removed)} merged away; "
          f"{where} now holds {counted(total_articles, 'article')} in {counted(total_stories, 'story')}")


@app.command()
def stories(
    store: StoreOption = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    sort: Annotated[Order, typer.Option("--sort", help="newest: latest article first; sources: most "
                                                       "independent sources first.")] = Order.newest,
    search: Annotated[str | None, typer.Option("--search", help="Only stories whose title or brief has "
                                                                 "all these words.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many stories.")] = 50,
) -> None:
    """List the stories in the store."""
    try:
        with _store(store, readonly=True) as db:
            rows = db.stories(order=sort.value, query=search, limit=limit)
    except StorylineError as exc:
        _fail(str(exc))
    if format is ListFormat.json:
        import json
        from dataclasses import asdict

        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
    elif format is ListFormat.md:
        print("| story | title | articles | independent sources | dates |\n|---|---|---|---|---|")
        for r in rows:
            title = r.title.replace("|", "\\|")
            print(f"| {r.id} | {title} | {r.articles} | {r.independent_sources} | "
                  f"{_dates(r.first_date, r.last_date)} |")
    else:
        from rich.table import Table

        table = Table("story", "title", "articles", "sources", "dates", box=None, pad_edge=False)
        for r in rows:
            table.add_row(r.id, r.title, str(r.articles), str(r.independent_sources),
                          _dates(r.first_date, r.last_date))
        if rows:
            Console(highlight=False).print(table)
        else:
            print("no stories")


@app.command()
def watch(
    urls: Annotated[list[str], typer.Argument(metavar="FEED_OR_URL...",
                                              help="RSS/Atom feeds (or article pages) to follow.")],
    store: StoreOption = None,
    every: Annotated[str, typer.Option("--every", help="Time between cycles: 30s, 15m, 1h.")] = "15m",
    cycles: Annotated[int | None, typer.Option(help="Stop after this many cycles (default: run until stopped).",
                                               min=1)] = None,
    quiet: QuietOption = False,
    encoder: EncoderOption = True,
) -> None:
    """Follow feeds into the store, cycle after cycle, until Ctrl+C or SIGTERM.

    Each cycle asks each feed whether it changed, stores the entries it has not
    stored yet and prints one status line. Run `storyline serve` on the same
    store beside it to read the stories as they grow."""
    import signal
    import threading

    from .watch import parse_duration
    from .watch import watch as run_watch

    try:
        seconds = parse_duration(every)
    except ValueError as exc:
        _fail(str(exc))
    bad = [u for u in urls if not u.lower().startswith(("http://", "https://"))]
    if bad:
        _fail(f"watch follows http(s) URLs only, not {bad[0]!r}")
    stop = threading.Event()

    def stopping(signum, _frame) -> None:
        if not stop.is_set():
            err.print(f"storyline: {signal.Signals(signum).name}: stopping after this batch", markup=False)
        stop.set()

    signal.signal(signal.SIGINT, stopping)
    signal.signal(signal.SIGTERM, stopping)
    try:
        with _store(store) as db:  # create or migrate it now, with a clear error if that fails
            where = db.path
        err.print(f"storyline: watching {len(urls)} URL(s) into {where} every {every}", markup=False)
        ran = run_watch(where, urls, seconds, _settings(encoder), status=lambda line: print(line, flush=True),
                        warn=_warner(quiet), stop=stop, cycles=cycles)
    except StorylineError as exc:
        _fail(str(exc))
    err.print(f"storyline: watch stopped after {ran} cycle(s)", markup=False)


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless you mean to share.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the store's stories as web pages (read-only) and a JSON API."""
    import uvicorn

    from .store import default_store_path
    from .web import create_app

    try:
        app_ = create_app(store or default_store_path())
    except StorylineError as exc:
        _fail(str(exc))
    err.print(f"storyline: serving {store or default_store_path()} at http://{host}:{port}/ (Ctrl+C stops)",
              markup=False)
    # Keep idle connections for 30 s (uvicorn's default is 5): a client that reuses a
    # connection the server has just closed sees a failed request, which many clients
    # waiting their turn on one worker would otherwise meet.
    uvicorn.run(app_, host=host, port=port, log_level="warning", timeout_keep_alive=30)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("storyline: interrupted", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
