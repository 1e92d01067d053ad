"""``storyline serve``: the store as web pages and a JSON API (FastAPI).

Read-only: every request opens the store read-only and only GET (and HEAD)
routes exist. Pages are rendered on the server from the stored reports, with no
assets from elsewhere; the one script (citation hover) is served by the app
itself, and the Content-Security-Policy allows nothing else, so even text that
escaped escaping could not run. Ids are only ever looked up in the store,
never used as paths.

Routes: ``/`` story list (``q`` search, ``sort`` newest|sources, ``page``),
``/stories/{id}`` story page, ``/articles/{id}`` article page (clean text and
what cleaning removed), ``/api/stories`` and ``/api/stories/{id}`` (the
contract's report for one story), ``/api/articles/{id}`` (article ids may
contain ``/``), ``/api/openapi.json``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from ..errors import StorylineError
from ..report import article_to_dict
from ..store import Store
from .pages import SCRIPT, article_page, not_found_page, story_list_page, story_page

PAGE_SIZE = 50
LOG = logging.getLogger("storyline.web")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(store_path: str | Path) -> FastAPI:
    """The web app over the store at ``store_path`` (which must exist)."""
    path = Path(store_path)
    Store(path, readonly=True).close()  # fail now, with a clear message, if it cannot be read

    # No Swagger UI: it loads its script from a CDN, which the CSP (rightly) forbids.
    app = FastAPI(title="storyline", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")

    def get(route: str, **kwargs):
        """A read-only route: GET, and HEAD (the same headers, no body). Only the
        GET is described in the API's schema, so each operation has one id."""
        def register(handler):
            app.api_route(route, methods=["HEAD"], include_in_schema=False, **kwargs)(handler)
            return app.api_route(route, methods=["GET"], **kwargs)(handler)
        return register

    def opened() -> Store:
        return Store(path, readonly=True)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        try:
            response = await call_next(request)
        except Exception:  # noqa: BLE001 - any failure is a 500 that still carries the headers
            LOG.exception("%s %s failed", request.method, request.url.path)
            response = PlainTextResponse("Internal server error: the server's log has the details.\n",
                                         status_code=500)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(StorylineError)
    async def store_error(request: Request, exc: StorylineError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @get("/", response_class=HTMLResponse)
    def story_list(q: str | None = Query(None, max_length=200),
                   sort: str = Query("newest", pattern="^(newest|sources)$"),
                   page: int = Query(1, ge=1, le=100_000)):
        with opened() as store:
            rows = store.stories(order=sort, query=q, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
            total = store.count("stories")
        return story_list_page(rows[:PAGE_SIZE], q or "", sort, page, more=len(rows) > PAGE_SIZE, total=total)

    @get("/stories/{story_id}", response_class=HTMLResponse)
    def story(story_id: str):
        with opened() as store:
            report = store.story_report(story_id)
        if report is None:
            return HTMLResponse(not_found_page("story", story_id), status_code=404)
        return story_page(report)

    @get("/articles/{article_id:path}", response_class=HTMLResponse)
    def article(article_id: str):
        with opened() as store:
            found = store.article(article_id)
            title = original = None
            if found and found.story_id:
                listed = store.story(found.story_id)
                title = listed.title if listed else None
            if found and found.copy_of:
                original = store.article(found.copy_of.article_id)
        if found is None:
            return HTMLResponse(not_found_page("article", article_id), status_code=404)
        return article_page(found, title, original)

    @get("/app.js")
    def script():
        return Response(SCRIPT, media_type="text/javascript")

    @get("/api/stories")
    def api_stories(q: str | None = Query(None, max_length=200),
                    sort: str = Query("newest", pattern="^(newest|sources)$"),
                    limit: int = Query(PAGE_SIZE, ge=1, le=500), offset: int = Query(0, ge=0, le=10**12)):
        with opened() as store:
            rows = store.stories(order=sort, query=q, limit=limit, offset=offset)
        return [row.__dict__ for row in rows]

    @get("/api/stories/{story_id}")
    def api_story(story_id: str):
        with opened() as store:
            text = store.story_report_json(story_id)
        if text is None:
            return JSONResponse({"detail": f"no story with id {story_id!r}"}, status_code=404)
        return Response(text, media_type="application/json")

    @get("/api/articles/{article_id:path}")
    def api_article(article_id: str):
        with opened() as store:
            found = store.article(article_id)
        if found is None:
            return JSONResponse({"detail": f"no article with id {article_id!r}"}, status_code=404)
        return article_to_dict(found)

    return app
