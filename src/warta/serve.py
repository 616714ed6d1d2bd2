"""The `serve` stage: a JSON API and a dashboard over one Warta database, read-only.

- API under `/api/` (OpenAPI at `/docs`): articles (full-text search and filters), one
  article, events (filters and paging), actors (search, one actor), dyads, network, sources.
- Pages: `/` home, `/search`, `/articles/{id}` (the article's own id, or its row), `/actors`,
  `/actors/{actor}`, `/dyads/{actor}/{actor}`, `/network`, `/sources`. Every page has a JSON
  twin at the same path plus `.json`, answered by the same view (`/.json` for the home page).
- Charts are drawn in the browser by plotly.js, served from the `plotly` Python package.
- A query stops at its time budget (503) or when its client disconnects (`CancelOnDisconnect`).
- Safety: GET only; the database is opened read-only (`explore.Explorer`); templates escape
  everything they print (Jinja autoescape), links to article URLs are http(s) only, and the
  Content-Security-Policy lets only this server's own scripts run.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import os
from pathlib import Path
from typing import Optional
from urllib.parse import quote

import anyio
from fastapi import Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from warta import __version__
from warta.explore import (CANCEL, ArticleFilter, BadQuery, Cancel, ClientGone, Explorer, NotFound, TooCostly,
                           speaker_words)
from warta.places import MAP_HEIGHT, MAP_WIDTH, world_outlines
from warta.resources import PLOVER_TYPES
from warta.store import party_actor

HERE = Path(__file__).parent
DAY = r"^(\d{4}-\d{2}-\d{2})?$"  # empty is allowed: an HTML form sends its empty fields
TYPE = f"^({'|'.join(PLOVER_TYPES)})?$"
ACTOR = r"^[^/]{1,200}$"
SECURITY_HEADERS = {
    # plotly.js sets style attributes and adds style elements, so styles may be inline.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _plotly_js() -> Path:
    try:
        import plotly
    except ImportError:
        raise RuntimeError("the dashboard draws its charts with plotly.js from the `plotly` package: "
                           "pip install 'warta[serve]'") from None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise RuntimeError(f"{path}: plotly.min.js is missing from the installed plotly package")
    return path


def _swagger_ui() -> Path:
    """The folder of Swagger UI's script and style, as the `fastapi-offline` package ships them:
    FastAPI's own /docs page loads them from a CDN, which an offline server cannot reach."""
    try:
        import fastapi_offline
    except ImportError:
        raise RuntimeError("the API docs page serves Swagger UI from the `fastapi-offline` package: "
                           "pip install 'warta[serve]'") from None
    folder = Path(fastapi_offline.__file__).parent / "static"
    missing = [name for name in SWAGGER_FILES if not (folder / name).is_file()]
    if missing:
        raise RuntimeError(f"{folder}: {', '.join(missing)} missing from the installed fastapi-offline package")
    return folder


SWAGGER_FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}


# The most events a download of the events page gives (the JSON API pages through any number).
DOWNLOAD_LIMIT = 10_000
EVENT_CSV_COLUMNS = ("id", "type", "date", "date_precision", "actors", "actor_names", "recipients",
                     "recipient_names", "confidence", "articles", "outlets", "location", "location_country",
                     "evidence")


def event_filters(actor, recipient, party, kind, since, until, min_confidence, outlet) -> dict:
    """The events page's, the API's and the downloads' parameters as Explorer.events takes them."""
    return {"actor": actor or None, "recipient": recipient or None, "parties": (party,) if party else (),
            "kind": kind or None, "since": _day(since, "since"), "until": _day(until, "until"),
            "min_confidence": min_confidence, "outlet": outlet or None}


def events_csv_text(events: list[dict]) -> str:
    from warta.store import csv_cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EVENT_CSV_COLUMNS)
    for e in events:
        place = e["location"] or {}
        row = (e["id"], e["type"], e["date"], e["date_precision"],
               " ".join(p.get("country") or "" for p in e["actors"]), "; ".join(p.get("name") or "" for p in e["actors"]),
               " ".join(p.get("country") or "" for p in e["recipients"]),
               "; ".join(p.get("name") or "" for p in e["recipients"]),
               "" if e["confidence"] is None else f"{e['confidence']:.3f}", e["articles"], e["outlets"],
               place.get("name"), place.get("country"), e["evidence"])
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def _day(value: Optional[str], name: str) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"{name}={value!r} is not a day of the calendar (YYYY-MM-DD)") from None


def _text(value: Optional[str]) -> Optional[str]:
    return value.strip() or None if value else None


def article_filter(
        q: Optional[str] = Query(None, max_length=500, description="Words to find, all of them (bm25 ranking)"),
        raw: bool = Query(False, description="Pass q through as FTS5 syntax: \"exact phrase\", OR, NOT, prefix*"),
        since: Optional[str] = Query(None, pattern=DAY, description="Published on or after (YYYY-MM-DD)"),
        until: Optional[str] = Query(None, pattern=DAY, description="Published on or before (YYYY-MM-DD)"),
        outlet: Optional[str] = Query(None, max_length=200, description="Outlet, as the records name it"),
        source: Optional[str] = Query(None, max_length=200, description="A cited agency (`Xinhua`, `Reuters`)"),
        actor: Optional[str] = Query(None, max_length=200,
                                     description="An actor the article names (`CHN`, `Xi Jinping`)"),
        type: Optional[str] = Query(None, pattern=TYPE, description="An event type the article reports"),
) -> ArticleFilter:
    query = ArticleFilter(q=_text(q), raw=raw, since=_day(since, "since"), until=_day(until, "until"),
                          outlet=_text(outlet), source=_text(source), actor=_text(actor), event_type=type or None)
    query.check()
    return query


def event_day(event: dict) -> str:
    """An event's day as a page shows it: `2017-08-09`, or `2019-02` / `2015` for an act the text
    dates only by its month or year, or `undated`."""
    day, precision = event.get("date"), event.get("date_precision") or "day"
    if not day:
        return "undated"
    if precision == "month":
        return day[:7]
    if precision == "year":
        return day[:4]
    return day


class CancelOnDisconnect:
    """ASGI middleware: each HTTP request runs with its own `Cancel` in `explore.CANCEL`, set
    as soon as the server reports the client gone (`http.disconnect`), so that the query a view
    runs for it stops instead of holding a core until its budget. The request's messages are
    read here, as they come, and handed on to the app in order."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cancel = Cancel()
        token = CANCEL.set(cancel)
        relay_in, relay_out = anyio.create_memory_object_stream(math.inf)

        async def listen():
            while True:
                message = await receive()
                gone = message["type"] == "http.disconnect"
                if gone:
                    cancel.set()
                await relay_in.send(message)
                if gone:
                    return

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(listen)
                await self.app(scope, relay_out.receive, send)
                group.cancel_scope.cancel()
        finally:
            CANCEL.reset(token)


def create_app(db: str) -> FastAPI:
    explorer = Explorer(db)
    plotly_js, swagger = _plotly_js(), _swagger_ui()
    # /docs is this server's own page (FastAPI's loads Swagger UI from a CDN, and starts it with
    # an inline script, which the Content-Security-Policy refuses).
    app = FastAPI(title="Warta", version=__version__, docs_url=None, redoc_url=None,
                  description="Indonesian-language news as event data: articles, actors, quotes and PLOVER "
                              "events. Read-only. Every dashboard page also has a JSON twin at its path + `.json`.")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["actor_key"] = party_actor
    templates.env.filters["event_day"] = event_day
    templates.env.filters["speaker_words"] = speaker_words
    templates.env.globals["version"] = __version__
    templates.env.globals["types"] = PLOVER_TYPES
    templates.env.globals["world_outlines"] = world_outlines
    templates.env.globals["map_width"], templates.env.globals["map_height"] = MAP_WIDTH, MAP_HEIGHT

    # Registered before the /static mount, which would otherwise answer this path.
    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/vendor/swagger/{name}", include_in_schema=False)
    def swagger_file(name: str) -> FileResponse:
        if name not in SWAGGER_FILES:
            raise NotFound(f"no file {name!r}")
        return FileResponse(swagger / name, media_type=SWAGGER_FILES[name],
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request):
        return templates.TemplateResponse(request, "docs.html", {})

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def secure(request: Request, call_next):
        response = await call_next(request)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response

    app.add_middleware(CancelOnDisconnect)  # added last, so it wraps everything

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path.endswith(".json")

    def error(request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status)

    @app.exception_handler(BadQuery)
    async def bad_query(request: Request, exc: BadQuery):
        return error(request, 400, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error(request, 404, str(exc))

    @app.exception_handler(TooCostly)
    async def too_costly(request: Request, exc: TooCostly):
        response = error(request, 503, str(exc))
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(ClientGone)
    async def client_gone(request: Request, exc: ClientGone):
        return Response(status_code=499)  # nginx's "client closed request"; nobody reads it

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if wants_json(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422,
                                headers={"X-Error": "invalid parameter"})
        message = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error(request, 422, message)

    def page(path: str, template: str):
        """Register a view as a page and as its JSON twin (`path.json`). The view takes the
        request first and returns the page's data."""
        def register(view):
            twin = "/.json" if path == "/" else path + ".json"
            app.get(twin, include_in_schema=False)(view)  # before the page: `{id}` would take `5.json`

            @functools.wraps(view)
            def html(request: Request, *args, **kwargs):
                json_url = "/.json" if path == "/" else quote(request.scope["path"]) + ".json"
                if request.url.query:
                    json_url += "?" + request.url.query
                return templates.TemplateResponse(request, template, {"data": view(request, *args, **kwargs),
                                                                     "json_url": json_url})
            app.get(path, response_class=HTMLResponse, include_in_schema=False)(html)
            return view
        return register

    # ------------------------------------------------------------------ API
    Limit = functools.partial(Query, ge=1, le=100, description="At most this many (1-100)")
    Offset = functools.partial(Query, ge=0, le=100_000, description="Skip this many")

    @app.get("/api/overview", tags=["overview"], summary="Counts, latest articles, events per month, top actors")
    def api_overview():
        return explorer.overview()

    @app.get("/api/articles", tags=["articles"], summary="Articles: full-text search (bm25, snippets) and filters")
    def api_articles(query: ArticleFilter = Depends(article_filter), limit: int = Limit(20), offset: int = Offset(0)):
        return explorer.articles(query, limit, offset)

    @app.get("/api/articles/{article}", tags=["articles"], summary="One article: record, highlights, events")
    def api_article(article: str = PathParam(..., max_length=300, description=(
            "The article's own id (the `id` of its record, as exports print it), or its row number"))):
        return explorer.article(explorer.article_row(article))

    @app.get("/api/events", tags=["events"], summary="Events, newest first, with filters and paging")
    def api_events(actor: Optional[str] = Query(None, pattern=ACTOR, description="Acting party (code or name)"),
                   recipient: Optional[str] = Query(None, pattern=ACTOR, description="Party acted on"),
                   party: Optional[str] = Query(None, pattern=ACTOR, description="A party either way"),
                   type: Optional[str] = Query(None, pattern=TYPE, description="PLOVER event type"),
                   since: Optional[str] = Query(None, pattern=DAY, description="On or after (YYYY-MM-DD)"),
                   until: Optional[str] = Query(None, pattern=DAY, description="On or before (YYYY-MM-DD)"),
                   min_confidence: Optional[float] = Query(None, ge=0, le=1, description=(
                       "Only events at least this likely to be right as coded (0-1; events stored "
                       "before confidences existed have none and are left out)")),
                   outlet: Optional[str] = Query(None, max_length=200, description="Reported by this outlet"),
                   limit: int = Limit(50), offset: int = Offset(0)):
        return explorer.events(**event_filters(actor, recipient, party, type, since, until, min_confidence, outlet),
                               limit=limit, offset=offset)

    @app.get("/api/events/{event}", tags=["events"], summary="One event and every article that reports it")
    def api_event(event: int = PathParam(..., ge=1, le=2 ** 62)):
        return explorer.event(event)

    @app.get("/api/actors", tags=["actors"], summary="Actors by name, in Indonesian or English")
    def api_actors(q: str = Query(..., min_length=1, max_length=200), limit: int = Limit(20)):
        return explorer.actors(q, limit)

    @app.get("/api/actors/{actor}", tags=["actors"], summary="One actor: offices, timeline, partners, quotes, events")
    def api_actor(actor: str = PathParam(..., pattern=ACTOR)):
        return explorer.actor(actor)

    @app.get("/api/dyads/{first}/{second}", tags=["actors"],
             summary="Events between two actors per month by type, with a cooperation-conflict score")
    def api_dyad(first: str = PathParam(..., pattern=ACTOR), second: str = PathParam(..., pattern=ACTOR)):
        return explorer.dyad(first, second)

    @app.get("/api/network", tags=["actors"], summary="Who acts with or on whom, weighted by events")
    def api_network(nodes: int = Query(40, ge=2, le=200), min_events: int = Query(1, ge=1, le=1000)):
        return explorer.network(nodes, min_events)

    @app.get("/api/sources", tags=["sources"], summary="Outlets and the agencies they cite")
    def api_sources():
        return explorer.sources()

    # ------------------------------------------------------------------ pages
    @page("/", "home.html")
    def home(request: Request):
        return explorer.overview()

    @page("/search", "search.html")
    def search(request: Request, query: ArticleFilter = Depends(article_filter), offset: int = Offset(0)):
        found = explorer.articles(query, 20, offset)
        actors = explorer.actors(query.q, 8)["actors"] if query.q and not query.raw else []
        return {"query": {k: (str(v) if v is not None else None) for k, v in
                          {"q": query.q, "since": query.since, "until": query.until, "outlet": query.outlet,
                           "source": query.source, "actor": query.actor, "type": query.event_type}.items()},
                "raw": query.raw, **found, "matching_actors": actors}

    @page("/articles/{article}", "article.html")
    def article(request: Request, article: str = PathParam(..., max_length=300)):
        return explorer.article(explorer.article_row(article))

    EventParam = functools.partial(Query, None, max_length=200)

    def event_query(actor: Optional[str] = EventParam(pattern=ACTOR), recipient: Optional[str] = EventParam(pattern=ACTOR),
                    party: Optional[str] = EventParam(pattern=ACTOR), type: Optional[str] = EventParam(pattern=TYPE),
                    since: Optional[str] = EventParam(pattern=DAY), until: Optional[str] = EventParam(pattern=DAY),
                    min_confidence: Optional[str] = EventParam(pattern=r"^(0(\.\d+)?|1(\.0+)?)?$"),
                    outlet: Optional[str] = EventParam()) -> dict:
        """The events page's filters, as its form sends them (an empty field is no filter); its
        downloads take the same query string."""
        return {"actor": actor, "recipient": recipient, "party": party, "type": type, "since": since,
                "until": until, "min_confidence": min_confidence, "outlet": outlet}

    def filtered_events(query: dict, limit: int, offset: int = 0) -> dict:
        confidence = float(query["min_confidence"]) if query["min_confidence"] else None
        return explorer.events(**event_filters(query["actor"], query["recipient"], query["party"], query["type"],
                                               query["since"], query["until"], confidence, query["outlet"]),
                               limit=limit, offset=offset)

    @page("/events", "events.html")
    def events_page(request: Request, query: dict = Depends(event_query), limit: int = Limit(50),
                    offset: int = Offset(0)):
        return filtered_events(query, limit, offset) | {"query": query}

    @app.get("/events.csv", include_in_schema=False)
    def events_csv(query: dict = Depends(event_query)):
        return Response(events_csv_text(filtered_events(query, DOWNLOAD_LIMIT)["events"]),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="warta-events.csv"'})

    @app.get("/events.jsonl", include_in_schema=False)
    def events_jsonl(query: dict = Depends(event_query)):
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in filtered_events(query, DOWNLOAD_LIMIT)["events"])
        return Response(text, media_type="application/x-ndjson; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="warta-events.jsonl"'})

    @page("/events/{event}", "event.html")
    def event_page(request: Request, event: int = PathParam(..., ge=1, le=2 ** 62)):
        return explorer.event(event)

    @page("/actors", "actors.html")
    def actors(request: Request, q: str = Query("", max_length=200)):
        if not q.strip():
            return {"q": "", "total": 0, "actors": [], "top": explorer.top_actors()}
        return explorer.actors(q, 50)

    @page("/actors/{actor}", "actor.html")
    def actor(request: Request, actor: str = PathParam(..., pattern=ACTOR)):
        return explorer.actor(actor)

    @page("/dyads/{first}/{second}", "dyad.html")
    def dyad(request: Request, first: str = PathParam(..., pattern=ACTOR), second: str = PathParam(..., pattern=ACTOR)):
        return explorer.dyad(first, second)

    @page("/network", "network.html")
    def network(request: Request, nodes: int = Query(40, ge=2, le=200), min_events: int = Query(1, ge=1, le=1000)):
        return explorer.network(nodes, min_events)

    @page("/sources", "sources.html")
    def sources(request: Request):
        return explorer.sources()

    return app


# The database `warta serve --workers N` serves, for each worker process it starts.
_DB_VARIABLE = "WARTA_SERVE_DB"


def app_from_environment() -> FastAPI:
    """The app of one worker of `serve(..., workers=N)`; the worker ends once the server that
    started it is gone, however it died (an orphan would go on answering on the port)."""
    from warta.pipeline import exit_with_parent

    exit_with_parent()
    return create_app(os.environ[_DB_VARIABLE])


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve `db` on host:port: in this process, or in `workers` processes that share the port."""
    import uvicorn

    if workers == 1:
        uvicorn.run(create_app(db), host=host, port=port, log_level="info")
        return
    os.environ[_DB_VARIABLE] = db
    uvicorn.run("warta.serve:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="info")
