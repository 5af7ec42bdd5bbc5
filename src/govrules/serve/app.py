"""The decision service: the CLI's verbs over HTTP (JSON in, the CLI's JSON out), the
office's web page, health and metrics, on Starlette.

One `Policy` is loaded per process and shared by a small thread pool (it is thread-safe);
the event loop only parses, admits and answers. Admission is bounded: past `threads +
queue` decisions in flight a request is refused at once with 503 and Retry-After, so a
burst never piles up into time-outs. Errors keep the CLI's contract: bad input 400 with the
positioned message and the JSON path of the field, a solver limit 422, overload 503.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from govrules.article_records import article_record
from govrules.engine import RouteResult
from govrules.errors import GovrulesError, SolverLimitError
from govrules.serve.decisions import DecisionLog
from govrules.serve.metrics import Metrics

__all__ = ["VERBS", "Settings", "create_app", "from_environment"]

ENV = "GOVRULES_SERVE"
# Request keys every verb takes, and each verb's own keys with their JSON types.
_COMMON = {"org": (dict, str), "interpretations": (dict,), "lang": (str,)}
VERBS: dict[str, dict[str, tuple[type, ...]]] = {
    "route": {"document": (dict, str), "limit": (int,), "explain": (bool,), "picture": (bool,)},
    "check": {"document": (dict, str), "explain": (bool,), "picture": (bool,), "echo": (bool,)},
    "leave": {
        "plan": (dict, str),
        "suggest": (bool,),
        "window": (int,),
        "explain": (bool,),
        "month": (str,),
        "echo": (bool,),
    },
    "deadline": {"start": (str,), "days": (int,)},
    "explain": {"document": (dict, str), "what": (list,)},
    "why-not": {"document": (dict, str), "plan": (dict, str), "order": (list, str)},
    "next": {"document": (dict, str)},
}
_REQUIRED = {
    "route": ("document",),
    "check": ("document",),
    "leave": ("plan",),
    "deadline": ("start",),
    "explain": ("document",),
    "next": ("document",),
}
# Integer fields' ranges (as in openapi.yaml), refused before any work.
_BOUNDS: dict[str, tuple[int, int]] = {"limit": (0, 100_000), "window": (0, 92), "days": (0, 3660)}
_TYPE_NAMES = {dict: "object", str: "string", int: "integer", bool: "boolean", list: "array"}


@dataclass
class Settings:
    """What `govrules serve` passes to each worker process (through the environment)."""

    policy: str | None = None
    org: str | None = None
    threads: int = 2
    queue: int = 16
    max_body: int = 1_000_000
    timeout: float = 10.0
    decision_log: str | None = None
    log_unmasked: bool = False
    max_decisions: int = 0  # 0: never recycle on count
    max_memory_mb: int = 0  # 0: never recycle on memory
    extra: dict[str, Any] = field(default_factory=dict)

    def to_env(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


def from_environment() -> Starlette:
    """The app of a worker process started by `govrules serve` (uvicorn's factory)."""
    return create_app(Settings(**json.loads(os.environ.get(ENV, "{}"))))


class _Refused(Exception):
    """A request refused before any decision: status and error body."""

    def __init__(self, status: int, error: dict[str, Any], headers: Mapping[str, str] = {}):
        super().__init__(error.get("code", ""))
        self.status, self.error, self.headers = status, error, dict(headers)


def _bad(code: str, zh: str, en: str, lang: str, path: str | None = None) -> _Refused:
    error = {"kind": "input", "code": code, "message": zh if lang != "en" else en}
    if path is not None:
        error["path"] = path
    return _Refused(400, error)


def _rss_mb() -> float:
    """This process's resident memory in MB (Linux: /proc; elsewhere the peak)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Service:
    """The policy, the pool and the bookkeeping of one worker process."""

    def __init__(self, settings: Settings) -> None:
        import govrules
        from govrules.inputs import load_org

        self.settings = settings
        self.policy = govrules.load_policy(settings.policy)
        self.org = load_org(settings.org) if settings.org else govrules.load_org()
        digest = hashlib.sha256(self.policy.compiled.solver_program.encode())
        for article in self.policy.text.articles:
            digest.update(article.text(False).encode())
        self.revision = f"{self.policy.text.ident}@{digest.hexdigest()[:16]}"
        self.pool = ThreadPoolExecutor(settings.threads, thread_name_prefix="govrules")
        self.metrics = Metrics()
        self.log = (
            DecisionLog(Path(settings.decision_log), unmasked=settings.log_unmasked)
            if settings.decision_log
            else None
        )
        self.decided = 0
        self.recycling = False

    # ---- inputs ------------------------------------------------------------------------
    def _input(self, value: Any, key: str) -> Any:
        """A request's document, plan or org: an object as it is, or YAML/JSON text (a
        pasted file) read with its positions so that errors name a line and column."""
        if isinstance(value, str):
            from govrules.inputs.source import source_from_text

            return source_from_text(value, key)
        return value

    def _org(self, body: Mapping[str, Any]) -> Any:
        if "org" not in body:
            return self.org
        from govrules.inputs import load_org

        return load_org(self._input(body["org"], "org"))

    # ---- verbs -------------------------------------------------------------------------
    def decide(self, verb: str, body: Mapping[str, Any], lang: str) -> dict[str, Any]:
        """The verb's answer as the CLI's JSON (runs in a pool thread)."""
        p, t = self.policy, self.settings.timeout
        org = self._org(body)
        settings = body.get("interpretations")
        kw: dict[str, Any] = {"interpretations": settings, "timeout": t, "lang": lang}
        if verb == "route":
            result = p.route(
                self._input(body["document"], "document"),
                org,
                limit=body.get("limit", 100),
                explain=body.get("explain", False),
                **kw,
            ).to_dict(lang)
            if body.get("picture"):
                from govrules.pictures import route_svg

                result["svg"] = route_svg(result, lang)
            return result
        if verb == "check":
            document = self._input(body["document"], "document")
            result = p.check(document, org, explain=body.get("explain", False), **kw).to_dict(lang)
            if body.get("echo"):
                result["input"] = _echo(document, "<document>")
            if body.get("picture"):
                from govrules.pictures import route_svg

                route = p.route(document, org, limit=0, **kw).to_dict(lang)
                result["svg"] = route_svg(route, lang)
            return result
        if verb == "leave":
            return self._leave(body, org, kw, lang)
        if verb == "deadline":
            days = body.get("days", 1)
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", body["start"]):
                    raise ValueError(body["start"])
                start = date.fromisoformat(body["start"])
            except ValueError:
                raise _bad(
                    "start",
                    "start 应为日期 YYYY-MM-DD",
                    "start must be a date YYYY-MM-DD",
                    lang,
                    "start",
                ) from None
            answer: dict[str, Any] = json.loads(p.deadline(start, days).to_json(lang))
            return answer
        if verb == "explain":
            return self._explain(body, org, kw, lang)
        if verb == "why-not":
            return self._why_not(body, org, kw, lang)
        if verb == "next":
            return self._next(body, org, kw, lang)
        raise AssertionError(verb)

    def _leave(
        self, body: Mapping[str, Any], org: Any, kw: dict[str, Any], lang: str
    ) -> dict[str, Any]:
        from govrules.inputs import load_plan

        plan = self._input(body["plan"], "plan")
        result = self.policy.check_leave(plan, org, explain=body.get("explain", False), **kw)
        answer = result.to_dict(lang)
        if body.get("echo"):
            answer["input"] = _echo(plan, "<plan>")
        changes: list[dict[str, Any]] = []
        if body.get("suggest"):
            window = body.get("window", 14)
            suggestion = self.policy.suggest_leave(plan, org, window=window, **kw).to_dict(lang)
            answer["suggestion"] = suggestion
            changes = suggestion.get("changes", [])
        if "month" in body:
            month = body["month"]
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", month):
                    raise ValueError(month)
                year, mon = (int(x) for x in month.split("-"))
                date(year, mon, 1)
            except ValueError:
                raise _bad(
                    "month", "month 应为 YYYY-MM", "month must be YYYY-MM", lang, "month"
                ) from None
            from govrules.pictures import leave_svg

            model = load_plan(plan, self._org_model(org), self.policy.vocabulary)
            absences = [
                {"who": a.who, "from": a.from_.isoformat(), "to": a.to.isoformat()}
                for a in model.absences
            ]
            answer["svg"] = leave_svg(answer, absences, f"{year:04d}-{mon:02d}", changes, lang)
        return answer

    def _org_model(self, org: Any) -> Any:
        from govrules.inputs import load_org

        return org if org is self.org else load_org(org)

    def _explain(
        self, body: Mapping[str, Any], org: Any, kw: dict[str, Any], lang: str
    ) -> dict[str, Any]:
        from govrules.inputs import read_source

        source = read_source(self._input(body["document"], "document"), "<document>")
        result: RouteResult
        if source.data.get("trace"):
            result = self.policy.check(source, org, explain=True, **kw)
        else:
            result = self.policy.route(source, org, explain=True, **kw)
        items: list[dict[str, Any]] = result.to_dict(lang)["explanations"]
        what = body.get("what")
        if what:
            wanted = {str(s).replace(" ", "") for s in what}
            known = ", ".join(e["id"] for e in items)
            items = [e for e in items if e["id"].replace(" ", "") in wanted]
            if not items:  # as `govrules explain --what`: a subject the answer lacks is named
                asked = ", ".join(str(s) for s in what)
                raise _bad(
                    "unknown_subject",
                    f"答案中没有 {asked}；可解释的有：{known}",
                    f"the answer has no {asked}; it has: {known}",
                    lang,
                    "what",
                )
        return {"compliant": result.compliant, "explanations": items}

    def _why_not(
        self, body: Mapping[str, Any], org: Any, kw: dict[str, Any], lang: str
    ) -> dict[str, Any]:
        has_doc, has_plan = "document" in body, "plan" in body
        if has_doc == has_plan:
            raise _bad(
                "why_not_subject",
                "请给出 document 或 plan（二者之一）",
                "give either document or plan (one of them)",
                lang,
            )
        if has_plan:
            if "order" in body:
                raise _bad("order", "order 只用于公文", "order is for a document", lang, "order")
            plan = self._input(body["plan"], "plan")
            return dict(self.policy.why_not_plan(plan, org, **kw).to_dict(lang))
        document = self._input(body["document"], "document")
        if "order" not in body:
            return dict(self.policy.why_not_trace(document, org, **kw).to_dict(lang))
        order = body["order"]
        if isinstance(order, str):
            from govrules.whynot import parse_order

            steps = parse_order(order)
        else:
            steps = [str(s) for s in order]
        return dict(self.policy.why_not_order(document, steps, org, **kw).to_dict(lang))

    def _next(
        self, body: Mapping[str, Any], org: Any, kw: dict[str, Any], lang: str
    ) -> dict[str, Any]:
        from govrules.inputs import load_document, read_source
        from govrules.nextsteps import next_steps

        source = read_source(self._input(body["document"], "document"), "<document>")
        route = self.policy.route(source, org, limit=0, **kw).to_dict(lang)
        doc = load_document(source, self._org_model(org), self.policy.vocabulary)
        return next_steps(route, [(e.actor, e.action) for e in doc.trace])

    # ---- recycling ---------------------------------------------------------------------
    def after_decision(self) -> None:
        """Ask this worker to stop (gracefully: uvicorn finishes what is in flight) once it
        has made `max_decisions` or grown past `max_memory_mb`; the supervisor starts a
        fresh one. clingo never frees its symbol table, so a long-lived worker only grows."""
        self.decided += 1
        s = self.settings
        if self.recycling or not (s.max_decisions or s.max_memory_mb):
            return
        if (s.max_decisions and self.decided >= s.max_decisions) or (
            s.max_memory_mb and _rss_mb() >= s.max_memory_mb
        ):
            self.recycling = True
            os.kill(os.getpid(), signal.SIGTERM)


def _echo(value: Any, label: str) -> dict[str, Any]:
    """The input as the service read it (a pasted file's data as JSON), for a page that
    shows each finding next to the entry it concerns."""
    from govrules.inputs import read_source

    data: dict[str, Any] = json.loads(json.dumps(read_source(value, label).data, default=str))
    return data


def _error_body(err: GovrulesError, lang: str) -> tuple[int, dict[str, Any]]:
    """A library error as the response's status and `error` object."""
    loc = err.location
    prefix = {"<document>": "document", "<plan>": "plan", "<org>": "org"}.get(loc.file, loc.file)
    path = None
    if prefix in ("document", "plan", "org"):
        path = f"{prefix}.{loc.field}" if loc.field else prefix
    elif loc.field:
        path = loc.field
    error: dict[str, Any] = {
        "kind": "solver_limit" if isinstance(err, SolverLimitError) else "input",
        "code": err.code,
        "message": err.render(lang),
    }
    if path is not None:
        error["path"] = path
    if loc.line is not None:
        error["line"] = loc.line
        if loc.column is not None:
            error["column"] = loc.column
    return (422 if isinstance(err, SolverLimitError) else 400), error


def _json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Response(body, status, headers, media_type="application/json")


def _check_body(verb: str, body: Any, lang: str) -> None:
    """Keys and JSON types of a request, before any work: unknown keys are refused (a typo
    would otherwise be silently ignored)."""
    if not isinstance(body, dict):
        raise _bad(
            "request.not_object", "请求体应为 JSON 对象", "the body must be a JSON object", lang
        )
    allowed = {**_COMMON, **VERBS[verb]}
    for key in sorted(body):
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise _bad(
                "request.unknown_key",
                f"未知的键 {key}；可用：{known}",
                f"unknown key {key}; known: {known}",
                lang,
                key,
            )
        types = allowed[key]
        value: Any = body[key]
        # bool is an int in Python: an integer field refuses true/false.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            names = " 或 ".join(_TYPE_NAMES[t] for t in types)
            names_en = " or ".join(_TYPE_NAMES[t] for t in types)
            raise _bad(
                "request.type", f"{key} 应为 {names}", f"{key} must be {names_en}", lang, key
            )
        if key in _BOUNDS and not _BOUNDS[key][0] <= cast(int, value) <= _BOUNDS[key][1]:
            low, high = _BOUNDS[key]
            raise _bad(
                "request.range",
                f"{key} 须在 {low} 到 {high} 之间",
                f"{key} must be {low}..{high}",
                lang,
                key,
            )
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise _bad(
                "request.type", f"{key} 的各项应为字符串", f"{key} must list strings", lang, key
            )
    for key in _REQUIRED.get(verb, ()):
        if key not in body:
            raise _bad("request.missing", f"缺少 {key}", f"{key} is required", lang, key)
    if body.get("lang", "zh") not in ("zh", "en"):
        raise _bad("request.lang", "lang 应为 zh 或 en", "lang must be zh or en", lang, "lang")


async def _read_json(request: Request, limit: int, lang: str) -> Any:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _Refused(413, _too_large(limit, lang))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Refused(413, _too_large(limit, lang))
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks) or b"null")
    except (ValueError, UnicodeDecodeError) as err:
        raise _bad(
            "request.json",
            f"请求体不是有效的 JSON：{err}",
            f"the body is not valid JSON: {err}",
            lang,
        ) from None


def _too_large(limit: int, lang: str) -> dict[str, Any]:
    zh, en = f"请求体超过 {limit} 字节", f"the body is larger than {limit} bytes"
    return {"kind": "too_large", "code": "request.too_large", "message": zh if lang != "en" else en}


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI app; `settings` as `govrules serve` would pass them."""
    service = Service(settings or Settings())
    web = resources.files("govrules.serve") / "web"

    def decision(verb: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            lang = request.query_params.get("lang", "zh")
            lang = lang if lang in ("zh", "en") else "zh"
            decision_id = uuid.uuid4().hex
            started = time.perf_counter()
            body: Any = {}
            metrics = service.metrics
            try:
                body = await _read_json(request, service.settings.max_body, lang)
                if isinstance(body, dict) and body.get("lang") in ("zh", "en"):
                    lang = body["lang"]
                _check_body(verb, body, lang)
                if metrics.inflight >= service.settings.threads + service.settings.queue:
                    metrics.shed_one()
                    raise _Refused(
                        503,
                        {
                            "kind": "overloaded",
                            "code": "overloaded",
                            "message": "服务繁忙，请稍后重试"
                            if lang != "en"
                            else "the service is busy; retry shortly",
                        },
                        {"Retry-After": "1"},
                    )
                metrics.inflight += 1
                try:
                    loop = asyncio.get_running_loop()
                    answer = await loop.run_in_executor(
                        service.pool, service.decide, verb, body, lang
                    )
                finally:
                    metrics.inflight -= 1
            except _Refused as refused:
                return _failed(
                    verb, decision_id, body, refused.status, refused.error, started, refused.headers
                )
            except GovrulesError as err:
                status, error = _error_body(err, lang)
                return _failed(verb, decision_id, body, status, error, started)
            except Exception as err:  # a bug of ours: a 500 with the decision id to find it
                error = {
                    "kind": "internal",
                    "code": "internal",
                    "message": f"internal error ({type(err).__name__})",
                }
                return _failed(verb, decision_id, body, 500, error, started)
            seconds = time.perf_counter() - started
            outcome = "compliant" if answer.get("compliant", True) else "violation"
            metrics.decided(verb, outcome, seconds)
            answer["decision_id"] = decision_id
            answer["policy_revision"] = service.revision
            if service.log is not None:
                service.log.write(
                    decision_id=decision_id,
                    revision=service.revision,
                    verb=verb,
                    body=body,
                    status=200,
                    answer=answer,
                )
            service.after_decision()
            return _json(answer)

        return endpoint

    def _failed(
        verb: str,
        decision_id: str,
        body: Any,
        status: int,
        error: dict[str, Any],
        started: float,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        service.metrics.error(error["kind"])
        if status in (400, 422):
            service.metrics.decided(verb, error["kind"], time.perf_counter() - started)
        if service.log is not None and isinstance(body, dict) and status != 503:
            service.log.write(
                decision_id=decision_id,
                revision=service.revision,
                verb=verb,
                body=body,
                status=status,
                answer=None,
                error=error,
            )
        payload = {"error": error, "decision_id": decision_id, "policy_revision": service.revision}
        if status == 422:
            service.after_decision()  # a solver limit has grown clingo's tables as well
        return _json(payload, status, headers)

    async def articles(request: Request) -> Response:
        text = service.policy.text
        lang = request.query_params.get("lang", "zh")
        if lang not in ("zh", "en"):
            refused = _bad(
                "request.lang", "lang 应为 zh 或 en", "lang must be zh or en", "zh", "lang"
            )
            return _json({"error": refused.error}, 400)
        raw: int | None = request.path_params.get("number")
        records = [
            article_record(service.policy, a, lang)
            for a in text.articles
            if raw is None or a.number == raw
        ]
        if raw is None:
            return _json(
                {
                    "policy": text.ident,
                    "policy_revision": service.revision,
                    "articles": records,
                }
            )
        if not records:
            count = len(text.articles)
            message = (
                f"没有第{raw}条（共 {count} 条）" if lang != "en" else f"no article {raw} ({count})"
            )
            error = {"kind": "not_found", "code": "no_such_article", "message": message}
            return _json({"error": error}, 404)
        return _json(records[0] | {"policy_revision": service.revision})

    async def healthz(request: Request) -> Response:
        return _json(
            {
                "status": "ok",
                "policy_revision": service.revision,
                "pid": os.getpid(),
                "decisions": service.decided,
            }
        )

    async def metrics(request: Request) -> Response:
        return PlainTextResponse(
            service.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    # The page loads nothing from elsewhere (an intranet has no internet): say so to the browser.
    policy_header = {
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
        "style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'self'",
        "X-Content-Type-Options": "nosniff",
    }

    async def index(request: Request) -> Response:
        page = (web / "index.html").read_text(encoding="utf-8")
        return HTMLResponse(page, headers=policy_header)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        types = {"app.js": "text/javascript", "style.css": "text/css"}
        if name not in types:
            return _not_found(request)
        text = (web / name).read_text(encoding="utf-8")
        return Response(text, media_type=types[name], headers=policy_header)

    async def openapi(request: Request) -> Response:
        from govrules.resources import openapi_file

        return Response(openapi_file().read_text(encoding="utf-8"), media_type="application/yaml")

    async def examples(request: Request) -> Response:
        folder = service.policy.directory / "examples"
        name = request.path_params.get("name")
        files = sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []
        if name is None:
            return _json({"examples": files})
        if name not in files:  # only the listed names: no path from the request is opened
            return _not_found(request)
        return PlainTextResponse((folder / name).read_text(encoding="utf-8"))

    async def _not_found_endpoint(request: Request, exc: Exception) -> Response:
        return _not_found(request)

    async def _method(request: Request, exc: Exception) -> Response:
        error = {"kind": "method", "code": "method_not_allowed", "message": "method not allowed"}
        return _json({"error": error}, 405, getattr(exc, "headers", None))

    routes = [Route(f"/v1/{verb}", decision(verb), methods=["POST"]) for verb in VERBS] + [
        Route("/v1/articles", articles, methods=["GET"]),
        Route("/v1/articles/{number:int}", articles, methods=["GET"]),
        Route("/v1/examples", examples, methods=["GET"]),
        Route("/v1/examples/{name}", examples, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/openapi.yaml", openapi, methods=["GET"]),
        Route("/", index, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: _not_found_endpoint, 405: _method})
    app.state.service = service
    return app


def _not_found(request: Request) -> Response:
    error = {
        "kind": "not_found",
        "code": "not_found",
        "message": f"no such path: {request.url.path}",
    }
    return JSONResponse({"error": error}, 404)
