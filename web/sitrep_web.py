#!/usr/bin/env python3
"""The reference web page of sitrep: a search page over one database, in Python's standard library.

    python3 web/sitrep_web.py --db DB [--port 8080] [--serve] [--search PATH]

Open http://127.0.0.1:8080/. Every page is built from the JSON of `sitrep-search` (contract
version 3, docs/json.md): by default one `sitrep-search --json` process per request; with --serve
one long-lived `sitrep-search --serve` process answers every request (matched by request id).

What a frontend has to get right, and how this page does it:
  - an argument vector, never a shell; the visitor's text after `--`; a bounded wait;
  - every JSON string is plain text: it is escaped once, here, with html.escape; the snippet is a
    list of fragments, each escaped and the highlighted ones wrapped in <mark>;
  - a facet value's `filter` is appended to the query to filter on it;
  - paging from the exact total of the paged unit (stories when collapsed), asked with exact_total;
  - dir="auto" on every text from an article, so Arabic and Hebrew read right to left;
  - errors: not_found -> 404, query_syntax/limit_exceeded/usage -> 400, timeout/db_busy -> 503.
"""

import argparse
import html
import itertools
import json
import math
import os
import select
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE_SIZE = 10
STORY_PAGE_SIZE = 50
FACETS = ["source", "person", "place", "org", "lang", "year"]
FACET_LIMIT = 8
TIMELINE_MAX = 40
TIMEOUT_MS = 2000          # the search's own deadline
WAIT_S = 5.0               # how long the page waits for an answer
MAX_PAGE = 10000           # offset stays under sitrep-search's maximum (100000)

HTTP_STATUS = {"not_found": 404, "query_syntax": 400, "limit_exceeded": 400, "usage": 400,
               "timeout": 503, "db_busy": 503, "unavailable": 503}


def e(text):
    """Text (a plain JSON string, a number) as HTML element content or a quoted attribute value."""
    return html.escape("" if text is None else str(text), quote=True)


def clean(text):
    """A visitor's text with NUL bytes removed: they cannot go into an argument vector."""
    return text.replace("\0", "")


def link(path, **params):
    """A URL of this page, its parameters percent-encoded (escape it with e() in an attribute)."""
    params = {k: v for k, v in params.items() if v not in (None, "") and (k, v) != ("page", 1)}
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


# ---------------------------------------------------------------------------------------------
# Calling sitrep-search

class SearchError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def error_of(answer):
    """The SearchError for an error object, or None for a result."""
    if not isinstance(answer, dict):
        return SearchError("internal", "sitrep-search gave no JSON object")
    err = answer.get("error")
    if err is None:
        return None
    return SearchError(str(err.get("code", "internal")), str(err.get("message", "")))


class OneShot:
    """One `sitrep-search --json` process per request."""

    def __init__(self, search, db, wait=WAIT_S):
        self.search, self.db, self.wait = search, db, wait

    def argv(self, req):
        argv = [self.search, "--db", self.db, "--json", "--timeout-ms", str(req.get("timeout_ms",
                                                                                    TIMEOUT_MS))]
        if "get" in req:
            return argv + ["--get=" + req["get"]]
        for key, option in (("limit", "--limit"), ("offset", "--offset"), ("sort", "--sort"),
                            ("facet_limit", "--facet-limit"), ("timeline", "--timeline"),
                            ("timeline_max", "--timeline-max")):
            if req.get(key) is not None:
                argv += [option, str(req[key])]
        if req.get("facets"):
            argv.append("--facets=" + ",".join(req["facets"]))
        if req.get("collapse") is not None:
            argv.append("--collapse" if req["collapse"] else "--no-collapse")
        if req.get("story"):
            argv.append("--story=" + req["story"])
        if req.get("exact_total"):
            argv.append("--exact")
        if req.get("query"):
            argv += ["--", req["query"]]   # the visitor's text: never read as an option
        return argv

    def __call__(self, req):
        try:
            p = subprocess.run(self.argv(req), capture_output=True, timeout=self.wait)
        except subprocess.TimeoutExpired:
            raise SearchError("timeout", "the search took too long") from None
        try:
            answer = json.loads(p.stdout)
        except ValueError:
            raise SearchError("internal", "sitrep-search exited %d: %s" % (
                p.returncode, p.stderr.decode("utf-8", "replace").strip()[:500])) from None
        err = error_of(answer)
        if err:
            raise err
        return answer

    def close(self):
        pass


class Serve:
    """One long-lived `sitrep-search --serve` process. Requests carry an id; an answer that comes
    after its request was given up (a late answer) is recognised by its id and dropped."""

    def __init__(self, search, db, wait=WAIT_S):
        self.argv = [search, "--db", db, "--serve"]
        self.wait = wait
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.proc = None
        self.buf = b""

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.buf = b""

    def readline(self, deadline):
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise SearchError("unavailable", "the search process ended")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def __call__(self, req):
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.start()
            rid = next(self.ids)
            line = json.dumps(dict(req, id=rid), ensure_ascii=False) + "\n"
            try:
                self.proc.stdin.write(line.encode("utf-8"))
                self.proc.stdin.flush()
                deadline = time.monotonic() + self.wait
                while True:
                    raw = self.readline(deadline)
                    if raw is None:
                        raise SearchError("timeout", "the search took too long")
                    try:
                        answer = json.loads(raw)
                    except ValueError:
                        continue
                    if isinstance(answer, dict) and answer.get("id") == rid:
                        break      # answers to other ids are late ones: dropped
            except (BrokenPipeError, SearchError) as exc:
                if not isinstance(exc, SearchError) or exc.code == "unavailable":
                    self.close()
                    raise SearchError("unavailable", "the search process ended") from None
                raise
        err = error_of(answer)
        if err:
            raise err
        return answer

    def close(self):
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
            self.proc = None


# ---------------------------------------------------------------------------------------------
# Rendering: every string from the JSON goes through e() exactly once.

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header{background:#1f3a5f;color:#fff;padding:12px 24px}
header a{color:#fff;text-decoration:none;font-weight:bold;margin-right:16px}
header form{display:inline}
header input[type=search]{width:480px;padding:6px;font-size:15px}
header select,header button{padding:6px;font-size:15px}
main{display:flex;gap:24px;padding:16px 24px}
aside{width:260px;flex:none;font-size:14px}
aside h3{margin:14px 0 4px;font-size:13px;text-transform:uppercase;color:#555}
aside ul{list-style:none;margin:0;padding:0}
aside li{display:flex;justify-content:space-between;gap:8px}
.n{color:#666;font-variant-numeric:tabular-nums}
section.results{flex:1;max-width:820px}
.summary{color:#444;margin:4px 0 12px}
ol.hits{list-style:none;padding:0;margin:0}
ol.hits li{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:10px 14px;
 margin-bottom:10px}
.hit h2{font-size:17px;margin:0 0 2px}
.meta{color:#666;font-size:13px}
.snippet{margin:4px 0}
mark{background:#ffe58a;padding:0 1px}
.more a{font-size:13px}
nav.pages{margin:14px 0}
nav.pages a,nav.pages span{margin-right:8px}
.timeline svg{background:#fff;border:1px solid #e3e3e3;border-radius:6px}
.timeline rect{fill:#3b6ea5}
.timeline a:hover rect{fill:#f0a020}
article{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:16px 22px;
 max-width:820px}
article h1{font-size:24px;margin:0 0 6px}
.body p{margin:0 0 10px}
.body .boilerplate{color:#999;background:#f3f3f3;border-left:3px solid #ccc;padding-left:8px}
.entities{font-size:14px;margin:8px 0 12px}
.legend{color:#888;font-size:12px;margin:0}
article .meta{margin-bottom:6px}
.error{background:#fff3f3;border:1px solid #e5b3b3;padding:12px 16px;border-radius:6px}
"""


def page(title, body, query="", sort=""):
    sorts = "".join('<option value="%s"%s>%s</option>' % (s, " selected" if s == sort else "", s)
                    for s in ("relevance", "newest", "oldest"))
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            '<title>%s</title><style>%s</style></head><body>'
            '<header><a href="/">sitrep</a>'
            '<form action="/" method="get" role="search">'
            '<input type="search" name="q" value="%s" dir="auto" placeholder="Search the archive"'
            ' aria-label="Query"> <select name="sort" aria-label="Order">'
            '<option value="">sort</option>%s</select> <button>Search</button></form></header>'
            '%s</body></html>\n') % (e(title), STYLE, e(query), sorts, body)


def count_text(count):
    """A Count: the exact number, or "about N"."""
    if count.get("exact"):
        return "%d" % count["estimate"]
    return "about %d" % count["estimate"]


def paged_total(result):
    """The total of the unit paged over and whether it is exact (else its safe lower bound)."""
    total = result["total"]
    count = total[total["unit"]]
    if count.get("exact"):
        return count["estimate"], True
    return count["lower_bound"], False


def snippet_html(fragments):
    out = []
    for frag in fragments:
        text = e(frag.get("text", ""))
        out.append("<mark>%s</mark>" % text if frag.get("highlight") else text)
    return "".join(out)


def web_url(url):
    """Whether a stored url may become a link: http or https only (never javascript: or data:)."""
    try:
        return urllib.parse.urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def date_of(published):
    return (published or "")[:10]


def hit_html(hit):
    meta = [e(hit.get("source") or "(no source)")]
    if hit.get("published"):
        meta.append(e(date_of(hit["published"])))
    if hit.get("language"):
        meta.append(e(hit["language"]))
    more = ""
    coll = hit.get("collapsed")
    if coll and coll.get("others") and hit.get("story"):
        outlets = ", ".join(e(o) for o in coll.get("outlets", []))
        more = ('<div class="more"><a class="story-link" href="%s">+%d more from %s</a></div>'
                % (e(link("/", story=hit["story"])), coll["others"], outlets or "other outlets"))
    return ('<li class="hit" data-id="%s"><h2><a class="title" href="%s" dir="auto">%s</a></h2>'
            '<div class="meta" dir="auto">%s</div><p class="snippet" dir="auto">%s</p>%s</li>') % (
        e(hit["id"]), e(link("/article", id=hit["id"])), e(hit.get("title") or "(untitled)"),
        " · ".join(meta), snippet_html(hit.get("snippet") or []), more)


def with_filter(query, flt):
    """The query ANDed with a facet value's filter (not twice). A query with OR, XOR or NOT is
    put in parentheses first, so that the filter applies to all of it."""
    if (" %s " % flt) in (" %s " % query):
        return query
    if set(query.split()) & {"OR", "XOR", "NOT"}:
        query = "(%s)" % query
    return (query + " " + flt).strip()


def facets_html(result, query, sort):
    out = []
    facets = result.get("facets") or {}
    for name in sorted(facets, key=lambda n: FACETS.index(n) if n in FACETS else len(FACETS)):
        facet = facets[name]
        values = facet.get("values") or []
        if not values:
            continue
        items = "".join(
            '<li><a class="facet" data-filter="%s" href="%s" dir="auto">%s</a>'
            '<span class="n">%d</span></li>' % (
                e(v["filter"]), e(link("/", q=with_filter(query, v["filter"]), sort=sort)),
                e(v.get("label", v.get("value"))), v["count"])
            for v in values)
        out.append('<div class="facet-group" data-facet="%s"><h3>%s <span class="n">(%s)</span>'
                   '</h3><ul>%s</ul></div>' % (e(name), e(name), e(facet.get("unit", "")), items))
    return "".join(out)


def timeline_html(result, query, sort):
    tl = result.get("timeline")
    if not tl or not tl.get("periods"):
        return ""
    periods = tl["periods"]
    width, height, gap = 760, 90, 2
    bar = max(2, (width - gap * len(periods)) // len(periods))
    top = max(p["count"] for p in periods) or 1
    rects = []
    for k, p in enumerate(periods):
        h = round(p["count"] * (height - 14) / top)
        x = k * (bar + gap)
        flt = "date:%s..%s" % (p["start"], p["end"])
        rects.append('<a href="%s"><rect x="%d" y="%d" width="%d" height="%d"><title>%s: %d</title>'
                     '</rect></a>' % (e(link("/", q=with_filter(query, flt), sort=sort)), x,
                                      height - h, bar, max(h, 0), e(p["period"]), p["count"]))
    w = len(periods) * (bar + gap)
    undated = tl.get("undated", 0)
    unit = tl.get("unit", result["total"]["unit"])
    return ('<div class="timeline" data-unit="%s" data-undated="%d"><div class="meta">%s per %s, '
            '%s to %s%s</div><svg width="%d" height="%d" role="img" aria-label="timeline">%s</svg>'
            '</div>') % (
        e(unit), undated, e(unit), e(tl.get("interval")), e(periods[0]["period"]),
        e(periods[-1]["period"]), ", %d undated" % undated if undated else "", w, height,
        "".join(rects))


def pages_html(page_no, pages, params):
    if pages <= 1:
        return ""
    items = []
    if page_no > 1:
        items.append('<a rel="prev" href="%s">‹ previous</a>'
                     % e(link("/", page=page_no - 1, **params)))
    shown = sorted({1, pages, *range(max(1, page_no - 3), min(pages, page_no + 3) + 1)})
    last = 0
    for n in shown:
        if n > last + 1:
            items.append("<span>…</span>")
        if n == page_no:
            items.append('<span class="current">%d</span>' % n)
        else:
            items.append('<a class="page" href="%s">%d</a>' % (e(link("/", page=n, **params)), n))
        last = n
    if page_no < pages:
        items.append('<a rel="next" href="%s">next ›</a>'
                     % e(link("/", page=page_no + 1, **params)))
    return ('<nav class="pages" data-pages="%d">Page %d of %d: %s</nav>'
            % (pages, page_no, pages, " ".join(items)))


def error_page(status, code, message, query=""):
    titles = {404: "Not found", 400: "Cannot search for that", 503: "Try again in a moment"}
    title = titles.get(status, "Something went wrong")
    body = ('<main><section class="results"><div class="error" data-code="%s"><h1>%s</h1>'
            '<p dir="auto">%s</p></div></section></main>') % (e(code), e(title), e(message))
    return status, page(title, body, query)


class App:
    def __init__(self, backend):
        self.backend = backend

    def search_page(self, params):
        query = clean(params.get("q", "")).strip()
        story = clean(params.get("story", "")).strip()
        sort = params.get("sort", "")
        if sort not in ("relevance", "newest", "oldest"):
            sort = ""
        try:
            page_no = min(max(int(params.get("page", "1")), 1), MAX_PAGE)
        except ValueError:
            page_no = 1
        limit = STORY_PAGE_SIZE if story else PAGE_SIZE
        req = {"limit": limit, "offset": (page_no - 1) * limit, "exact_total": True,
               "timeout_ms": TIMEOUT_MS}
        if query:
            req["query"] = query
        if story:
            req.update(story=story, collapse=False, sort=sort or "oldest")
        else:
            # Empty query: the latest articles.
            req.update(collapse=True, sort=sort or ("relevance" if query else "newest"),
                       facets=FACETS, facet_limit=FACET_LIMIT, timeline="auto",
                       timeline_max=TIMELINE_MAX)
        result = self.backend(req)
        total, exact = paged_total(result)
        pages = max(1, math.ceil(total / limit))
        unit = result["total"]["unit"]
        arts = result["total"]["articles"]
        heading = ""
        if story:
            heading = '<h1 class="story-title">Story <code>%s</code>: %s articles</h1>' % (
                e(story), count_text(arts))
        summary = '<p class="summary" data-total="%d" data-unit="%s" data-exact="%s">' % (
            total, e(unit), "true" if exact else "false")
        if unit == "stories":
            summary += "%s stories (%s articles)" % (count_text(result["total"]["stories"]),
                                                      count_text(arts))
        else:
            summary += "%s articles" % count_text(arts)
        if not query and not story:
            summary += ", latest first"
        summary += "</p>"
        hits = "".join(hit_html(h) for h in result.get("hits", []))
        nav_params = {"q": query, "story": story, "sort": sort}
        if hits:
            hits_html = '<ol class="hits">%s</ol>' % hits
        elif page_no > pages:
            hits_html = ('<p class="empty">There is no page %d: the last is <a class="last" '
                         'href="%s">page %d</a>.</p>' % (page_no, e(link("/", page=pages,
                                                                         **nav_params)), pages))
        else:
            hits_html = '<p class="empty">No articles match.</p>'

        body = ('<main>%s<section class="results">%s%s%s%s%s</section></main>') % (
            '<aside>%s</aside>' % facets_html(result, query, sort) if not story else "",
            heading, summary, timeline_html(result, query, sort) if not story else "", hits_html,
            pages_html(page_no, pages, nav_params) if page_no <= pages else "")
        title = "Story %s" % story if story else (query or "Latest articles")
        return 200, page(title + " – sitrep", body, query, sort)

    def article_page(self, params):
        aid = clean(params.get("id", "")).strip()
        if not aid:
            return error_page(400, "usage", "No article id given.")
        a = self.backend({"get": aid, "timeout_ms": TIMEOUT_MS})["article"]
        meta = [e(a.get("source") or "(no source)")]
        if a.get("published"):
            meta.append(e(a["published"].replace("T", " ").replace("Z", " UTC")))
        if a.get("language"):
            meta.append(e(a["language"]))
        url = a.get("url") or ""
        if web_url(url):
            meta.append('<a href="%s" rel="noopener noreferrer nofollow">original</a>' % e(url))
        ents = []
        for kind, items in (a.get("entities") or {}).items():
            if not items:
                continue
            ents.append('<div><b>%s</b>: %s</div>' % (e(kind), ", ".join(
                '<a class="entity" href="%s" dir="auto">%s</a>' % (
                    e(link("/", q=it["filter"])), e(it.get("name") or it.get("id")))
                for it in items if it.get("filter"))))
        story = ""
        size = a.get("story_size") or 1
        if a.get("story") and size > 1:
            story = ('<p><a class="story-link" href="%s">This story: %d article%s</a></p>' % (
                e(link("/", story=a["story"])), size, "" if size == 1 else "s"))
        return 200, page((a.get("title") or aid) + " – sitrep", (
            '<main><article data-id="%s"><h1 dir="auto">%s</h1><div class="meta" dir="auto">%s'
            '</div>%s<div class="entities">%s</div><div class="body" dir="auto">%s</div>%s'
            '</article></main>') % (e(a.get("id")), e(a.get("title") or "(untitled)"),
                                    " · ".join(meta), story, "".join(ents), body_html(a),
                                    '<p class="legend">Dimmed lines are boilerplate: kept, not '
                                    'searched.</p>' if a.get("boilerplate") else ""))


def body_html(article):
    """The body as paragraphs, its boilerplate lines (byte ranges of the UTF-8 body) dimmed."""
    body = (article.get("body") or "").encode("utf-8")
    spans = sorted((b["begin"], b["end"], b.get("description") or b.get("reason") or "")
                   for b in article.get("boilerplate") or []
                   if 0 <= b.get("begin", -1) <= b.get("end", -1) <= len(body))
    out, at = [], 0

    def plain(chunk):
        for para in chunk.decode("utf-8", "replace").split("\n"):
            if para.strip():
                out.append('<p dir="auto">%s</p>' % e(para))

    for begin, end, why in spans:
        if begin < at:
            continue
        plain(body[at:begin])
        out.append('<p class="boilerplate" dir="auto" title="boilerplate: %s">%s</p>' % (
            e(why), e(body[begin:end].decode("utf-8", "replace"))))
        at = end
    plain(body[at:])
    return "".join(out)


class Handler(BaseHTTPRequestHandler):
    app = None
    server_version = "sitrep-web"
    quiet = True

    def do_GET(self):
        self.query = ""
        try:
            status, text = self.route()
        except SearchError as err:
            status, text = error_page(HTTP_STATUS.get(err.code, 500), err.code, err.message,
                                      self.query)
        except Exception as err:  # never a traceback to the visitor; one line in the log
            sys.stderr.write("sitrep_web: %s: %r\n" % (self.path[:200], err))
            status, text = error_page(500, "internal", "Internal error.")
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        # Defence in depth: the page has no script at all, so none may run.
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_HEAD = do_GET

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, errors="replace").items()}
        self.query = clean(params.get("q", "")).strip()   # shown again in the search box
        if url.path == "/":
            return self.app.search_page(params)
        if url.path == "/article":
            return self.app.article_page(params)
        return error_page(404, "not_found", "There is no page %s." % url.path)

    def log_message(self, fmt, *args):
        if not self.quiet:
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser(description="The reference web page of sitrep.")
    ap.add_argument("--db", required=True, help="the sitrep database directory")
    ap.add_argument("--port", type=int, default=8080, help="port (default 8080; 0: any free one)")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--serve", action="store_true",
                    help="one long-lived `sitrep-search --serve` process, not one per request")
    ap.add_argument("--search", help="the sitrep-search binary (default: build/searcher/"
                    "sitrep-search of this checkout, else sitrep-search on PATH)")
    ap.add_argument("--wait", type=float, default=WAIT_S,
                    help="seconds to wait for sitrep-search before answering 503 (default 5)")
    ap.add_argument("--log", action="store_true", help="log each request on stderr")
    a = ap.parse_args()
    search = a.search
    if not search:
        built = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "searcher",
                             "sitrep-search")
        search = built if os.access(built, os.X_OK) else shutil.which("sitrep-search")
    if not search:
        ap.error("sitrep-search not found: build it (scripts/build) or give --search PATH")
    backend = (Serve if a.serve else OneShot)(os.path.abspath(search) if os.sep in search
                                               else search, a.db, a.wait)
    Handler.app = App(backend)
    Handler.quiet = not a.log
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    print("sitrep_web: http://%s:%d/ (%s, database %s)" % (
        a.host, server.server_address[1], "--serve" if a.serve else "one process per request",
        a.db), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        backend.close()


if __name__ == "__main__":
    main()
