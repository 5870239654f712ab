"""FastAPI peer of the dashboard gateway (examples/gateway/gateway.apic).

GET /dashboard?limit=N (1..20, default 5) makes three upstream calls at
once (one httpx.AsyncClient per upstream, keep-alive, asyncio.gather),
checks each answer against the upstream's schema (pydantic models, as the
generated C client does with apic's decoders) and answers the Dashboard;
502 and 504 as RFC 9457 problem details, 422 for a bad limit.

start (one worker, the asyncio loop):
    python3 -m uvicorn --app-dir peers fastapi_gateway:app \\
        --host 127.0.0.1 --port PORT --workers 1 --loop asyncio

environment (see bench/gateway/README.md): PETSTORE_URL, CONDUIT_URL (the
upstreams' API roots), PETSTORE_TOKEN, CONDUIT_TOKEN (the Conduit JWT),
UPSTREAM_TIMEOUT_MS (default 1000), UPSTREAM_CONNECTIONS (default 512, per
upstream).
"""
import asyncio
import enum
import os
import sys
from datetime import datetime
from typing import List, Optional

import httpx
from fastapi import FastAPI, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Extra, ValidationError, conint, constr, parse_obj_as


def env(name, default=None):
    v = os.environ.get(name, default)
    if v is None:
        sys.exit(f"fastapi_gateway: {name} is not set")
    return v


PETSTORE_URL = env("PETSTORE_URL").rstrip("/")
CONDUIT_URL = env("CONDUIT_URL").rstrip("/")
PETSTORE_AUTH = "Bearer " + env("PETSTORE_TOKEN")
CONDUIT_AUTH = "Token " + env("CONDUIT_TOKEN")
TIMEOUT_MS = int(env("UPSTREAM_TIMEOUT_MS", "1000"))
CONNECTIONS = int(env("UPSTREAM_CONNECTIONS", "512"))


# ---- the upstreams' contracts (schemas/petstore.apic, schemas/conduit.apic)
class Strict(BaseModel):
    class Config:
        extra = Extra.forbid


class PetStatus(str, enum.Enum):
    available = "available"
    pending = "pending"
    sold = "sold"


class Pet(Strict):
    id: conint(strict=True, ge=1)
    name: constr(strict=True, min_length=1, max_length=64, regex=r"^[^<>]*$")
    tag: Optional[constr(strict=True, min_length=1, max_length=32)]
    status: PetStatus


class Profile(Strict):
    username: constr(strict=True)
    bio: constr(strict=True)
    image: constr(strict=True)
    following: bool


class ArticleListItem(Strict):
    slug: constr(strict=True)
    title: constr(strict=True)
    description: constr(strict=True)
    tagList: List[constr(strict=True)]
    createdAt: datetime
    updatedAt: datetime
    favorited: bool
    favoritesCount: conint(strict=True)
    author: Profile


class MultipleArticlesResponse(Strict):
    articles: List[ArticleListItem]
    articlesCount: conint(strict=True)


class TagsResponse(Strict):
    tags: List[constr(strict=True)]


# ---- the gateway's own answer
class PetSummary(BaseModel):
    id: int
    name: str
    tag: Optional[str]
    status: str


class ArticleSummary(BaseModel):
    slug: str
    title: str
    description: str
    tagList: List[str]
    createdAt: str
    favoritesCount: int
    author: str


class Dashboard(BaseModel):
    pets: List[PetSummary]
    articles: List[ArticleSummary]
    tags: List[str]


class UpstreamError(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def client(base):
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS,
                          keepalive_expiry=30)
    return httpx.AsyncClient(base_url=base, limits=limits, timeout=TIMEOUT_MS / 1000)


app = FastAPI()
petstore = client(PETSTORE_URL)
conduit = client(CONDUIT_URL)


@app.on_event("shutdown")
async def close_clients():
    await petstore.aclose()
    await conduit.aclose()


async def call(c, what, path, params, authorization, model):
    headers = {"accept": "application/json"}
    if authorization:
        headers["authorization"] = authorization
    try:
        res = await c.get(path, params=params, headers=headers)
    except httpx.TimeoutException:
        raise UpstreamError(504, f"{what}: no answer within {TIMEOUT_MS} ms")
    except httpx.TransportError as e:
        raise UpstreamError(502, f"{what}: unreachable ({type(e).__name__})")
    if res.status_code != 200:
        raise UpstreamError(502, f"{what}: answered {res.status_code}")
    try:
        body = res.json()
    except ValueError:
        raise UpstreamError(502, f"{what}: the body is not JSON")
    try:
        parse_obj_as(model, body)
    except ValidationError as e:
        err = e.errors()[0]
        where = "/" + "/".join(str(x) for x in err["loc"] if x != "__root__")
        raise UpstreamError(502, f"{what}: off contract at '{where}': {err['msg']}")
    return body


def problem(status, title, detail):
    return JSONResponse({"type": "about:blank", "title": title, "status": status, "detail": detail},
                        status_code=status, media_type="application/problem+json")


@app.exception_handler(RequestValidationError)
async def bad_request(request, exc):
    err = exc.errors()[0]
    return problem(422, "Unprocessable Content", f"{'/'.join(map(str, err['loc']))}: {err['msg']}")


@app.get("/dashboard", response_model=Dashboard, response_model_exclude_none=True)
async def dashboard(limit: int = Query(5, ge=1, le=20)):
    try:
        pets, articles, tags = await asyncio.gather(
            call(petstore, "petstore listPets", "/pets", {"limit": limit}, PETSTORE_AUTH, List[Pet]),
            call(conduit, "conduit GetArticles", "/articles", {"limit": limit}, CONDUIT_AUTH,
                 MultipleArticlesResponse),
            call(conduit, "conduit GetTags", "/tags", None, None, TagsResponse),
        )
    except UpstreamError as e:
        return problem(e.status, "Gateway Timeout" if e.status == 504 else "Bad Gateway", e.detail)
    return {
        "pets": [{k: p[k] for k in ("id", "name", "tag", "status") if k in p} for p in pets],
        "articles": [{
            "slug": a["slug"],
            "title": a["title"],
            "description": a["description"],
            "tagList": a["tagList"],
            "createdAt": a["createdAt"],
            "favoritesCount": a["favoritesCount"],
            "author": a["author"]["username"],
        } for a in articles["articles"]],
        "tags": tags["tags"],
    }
