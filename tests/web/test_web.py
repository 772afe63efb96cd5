#!/usr/bin/env python3
"""The reference web page (web/sitrep_web.py) in a real browser: Debian's headless Chromium.

Indexes data/sample plus tests/web/fixtures.jsonl (a `<script>` title, the sources `S&L` and
`Smith "& Sons"`, an Arabic article, one story told by three outlets), starts the page on a free
port in both modes (one process per request, and --serve), loads its pages in Chromium and asserts
what a reader sees in the rendered DOM: no double escaping, the `<script>` title shown as text and
no script element, Arabic laid out right to left, totals and pages consistent (the last page has
hits, page count = ceil(total / page size), every page together lists each hit once), a facet link
whose result count is the facet value's count, a story link listing the story's articles, the
article page with its body and boilerplate, error pages with their HTTP status.

Chromium is driven through its DevTools pipe (--remote-debugging-pipe): one browser for the whole
test, the DOM read as `--dump-dom` would print it, and computed styles (text direction) asked.

Environment: SITREP_INDEX, SITREP_SEARCH (default: build/ of this checkout), CHROMIUM (default:
chromium or chromium-browser on PATH), SITREP_WEB_SCREENSHOTS=DIR to write results.png and
article.png (docs/web/ holds the committed ones). Exit 77 (ctest: skipped) only when no Chromium can
start at all.
"""

import base64
import json
import math
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
INDEX = os.environ.get("SITREP_INDEX") or os.path.join(ROOT, "build", "indexer", "sitrep-index")
SEARCH = os.environ.get("SITREP_SEARCH") or os.path.join(ROOT, "build", "searcher", "sitrep-search")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures.jsonl")
SAMPLE = os.path.join(ROOT, "data", "sample", "archive.jsonl")
PAGE_SIZE = 10
STORY_IDS = {"web-crane-sl", "web-crane-smith", "web-crane-harbour"}
SKIP = 77


# --------------------------------------------------------------------------------------------
# The rendered DOM as a small tree

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def all(self, tag=None, cls=None, **attrs):
        return [n for n in self.walk()
                if (tag is None or n.tag == tag)
                and (cls is None or cls in n.attrs.get("class", "").split())
                and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def one(self, tag=None, cls=None, **attrs):
        found = self.all(tag, cls, **attrs)
        if len(found) != 1:
            raise AssertionError("expected one <%s class=%s %s>, found %d" % (tag, cls, attrs,
                                                                              len(found)))
        return found[0]


class DomParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(markup):
    p = DomParser()
    p.feed(markup)
    p.close()
    return p.root


# --------------------------------------------------------------------------------------------
# Headless Chromium over the DevTools pipe (file descriptors 3 and 4, NUL-separated JSON)

def chromium_binary():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    def __init__(self, binary, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--disable-gpu", "--no-sandbox", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--window-size=1200,900", "--no-first-run",
             "--hide-scrollbars", "--force-device-scale-factor=1", "about:blank"],
            pass_fds=(3, 4), preexec_fn=fds, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf, self.next_id, self.events = b"", 0, []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                  session=True)

    def message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium exited")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=False, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self.message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]
            self.events.append(m)

    def load(self, url, timeout=30):
        """Navigates and waits for the load event; the rendered DOM as a tree."""
        self.events = []
        self.call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + timeout
        while not any(m.get("method") == "Page.loadEventFired" for m in self.events):
            self.events.append(self.message(deadline))
        return parse(self.evaluate("document.documentElement.outerHTML"))

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                      session=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expression, r["exceptionDetails"]))
        return r["result"].get("value")

    def screenshot(self, path):
        # The page down to the end of its content (at most 1600 pixels).
        height = self.evaluate("Math.ceil(Math.min(document.body.getBoundingClientRect().bottom"
                               " + 16, 1600))")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1200, "height": max(900, int(height)), "deviceScaleFactor": 1,
                   "mobile": False}, session=True)
        data = self.call("Page.captureScreenshot", {"format": "png", "clip": {
            "x": 0, "y": 0, "width": 1200, "height": int(height), "scale": 1}},
            session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                  session=True)

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)


# --------------------------------------------------------------------------------------------

TMP = None
DB = None
BROWSER = None


def setUpModule():
    global TMP, DB, BROWSER
    TMP = tempfile.TemporaryDirectory(prefix="sitrep-web-")
    DB = os.path.join(TMP.name, "db")
    for tool in (INDEX, SEARCH):
        if not os.access(tool, os.X_OK):
            raise RuntimeError("%s not found: build first (scripts/build)" % tool)
    subprocess.run([INDEX, "--db", DB, SAMPLE, FIXTURES], check=True, capture_output=True)
    if BROWSER is None:
        BROWSER = Browser(CHROMIUM, os.path.join(TMP.name, "profile"))


def tearDownModule():
    if BROWSER:
        BROWSER.close()
    TMP.cleanup()


def search_json(*args):
    """sitrep-search --json on the test database: what the page should show."""
    p = subprocess.run([SEARCH, "--db", DB, "--json", *args], capture_output=True)
    return json.loads(p.stdout)


def text_of(node):
    return re.sub(r"\s+", " ", node.text()).strip()


class PageTests:
    serve = False

    @classmethod
    def setUpClass(cls):
        argv = [sys.executable, os.path.join(ROOT, "web", "sitrep_web.py"), "--db", DB,
                "--port", "0", "--search", SEARCH] + (["--serve"] if cls.serve else [])
        cls.server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
        line = cls.server.stdout.readline()
        m = re.search(r"http://[^/ ]+/", line)
        if not m:
            cls.server.kill()
            raise RuntimeError("the page did not start: %r %s" % (line, cls.server.stderr.read()))
        cls.base = m.group(0).rstrip("/")

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=10)
        cls.server.stdout.close()
        cls.server.stderr.close()

    def url(self, path, **params):
        return self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")

    def load(self, path, **params):
        return BROWSER.load(self.url(path, **params))

    def follow(self, anchor):
        return BROWSER.load(urllib.parse.urljoin(self.base + "/", anchor.attrs["href"]))

    def status(self, path, **params):
        try:
            with urllib.request.urlopen(self.url(path, **params), timeout=30) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8")

    def summary(self, dom):
        s = dom.one("p", "summary")
        return int(s.attrs["data-total"]), s

    def hit_ids(self, dom):
        return [li.attrs["data-id"] for li in dom.all("li", "hit")]

    def assert_no_escaped_text(self, dom):
        body = dom.one("body").text()
        for ref in ("&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#34;"):
            self.assertNotIn(ref, body, "double escaping: %s in the text a reader sees" % ref)

    # ---- tests

    def test_latest_articles_page_through_every_story(self):
        dom = self.load("/")
        total, summary = self.summary(dom)
        self.assertEqual(summary.attrs["data-unit"], "stories")
        self.assertEqual(summary.attrs["data-exact"], "true")
        expected = search_json("--collapse", "--exact", "--limit", "0")["total"]["stories"]
        self.assertTrue(expected["exact"])
        self.assertEqual(total, expected["estimate"])
        pages = int(dom.one("nav", "pages").attrs["data-pages"])
        self.assertEqual(pages, math.ceil(total / PAGE_SIZE))
        self.assertGreater(pages, 2)
        # Newest first: the dates shown never increase.
        seen, page_no = [], 1
        while True:
            ids = self.hit_ids(dom)
            self.assertTrue(ids, "page %d of %d has no hits" % (page_no, pages))
            seen += ids
            nxt = dom.all("a", rel="next")
            if not nxt:
                break
            dom = self.follow(nxt[0])
            page_no += 1
        self.assertEqual(page_no, pages)
        self.assertEqual(len(seen), total, "every page together lists each story once")
        self.assertEqual(len(set(seen)), total)

    def test_last_page_link_has_hits(self):
        dom = self.load("/", q="Velmora OR grain OR Kyiv OR ferry")
        total, _ = self.summary(dom)
        pages = int(dom.one("nav", "pages").attrs["data-pages"])
        self.assertEqual(pages, math.ceil(total / PAGE_SIZE))
        last = [a for a in dom.all("a", "page") if text_of(a) == str(pages)]
        self.assertEqual(len(last), 1, "a link to the last page")
        dom = self.follow(last[0])
        self.assertEqual(len(self.hit_ids(dom)), total - (pages - 1) * PAGE_SIZE)
        self.assertEqual(text_of(dom.one("span", "current")), str(pages))
        past = self.load("/", q="Velmora OR grain OR Kyiv OR ferry", page=str(pages + 1))
        self.assertEqual(self.hit_ids(past), [])
        self.assertEqual(text_of(past.one("a", "last")), "page %d" % pages)

    def test_script_title_is_text(self):
        dom = self.load("/", q="lagoon ferry timetable")
        self.assertEqual(dom.all("script"), [], "no script element in the page")
        self.assertEqual(BROWSER.evaluate("document.scripts.length"), 0)
        hit = dom.one("li", "hit", **{"data-id": "web-script"})
        self.assertEqual(text_of(hit.one("a", "title")), "<script>alert(1)</script>")
        self.assert_no_escaped_text(dom)
        art = self.follow(hit.one("a", "title"))
        self.assertEqual(art.all("script"), [])
        self.assertEqual(text_of(art.one("h1")), "<script>alert(1)</script>")
        self.assertIn('<b>bold</b> & "quotes" everywhere', text_of(art.one("div", "body")))
        self.assertEqual(art.all("b"), [], "article text is not markup")
        self.assertFalse([a for a in art.all("a") if "javascript" in a.attrs.get("href", "")],
                         "a javascript: url is never a link")

    def test_story_collapses_with_outlets_and_lists_its_articles(self):
        dom = self.load("/", q="Velmora crane")
        hits = [li for li in dom.all("li", "hit") if li.attrs["data-id"] in STORY_IDS]
        self.assertEqual(len(hits), 1, "one hit for the three outlets' story")
        more = hits[0].one("a", "story-link")
        others = {"S&L", 'Smith "& Sons"', "Harbour Wire"}
        shown = hits[0].one("div", "meta").text().split(" · ")[0]
        self.assertIn(shown, others)
        self.assertEqual(text_of(more), "+2 more from " + ", ".join(
            sorted(others - {shown}, key=text_of(more).find)))
        self.assert_no_escaped_text(dom)
        story = self.follow(more)
        self.assertEqual(set(self.hit_ids(story)), STORY_IDS)
        self.assertIn("3 articles", text_of(story.one("h1", "story-title")))
        sources = {li.one("div", "meta").text().split(" · ")[0] for li in story.all("li", "hit")}
        self.assertEqual(sources, others)

    def test_facet_link_filters_to_its_count(self):
        dom = self.load("/", q="Velmora OR ferry OR harbour OR lagoon")
        total, _ = self.summary(dom)
        group = dom.one("div", "facet-group", **{"data-facet": "source"})
        links = {text_of(a): a for a in group.all("a", "facet")}
        self.assertIn("S&L", links)
        self.assertIn('Smith "& Sons"', links)
        for name in ("S&L", 'Smith "& Sons"'):
            count = int(text_of(links[name].parent.one("span", "n")))
            self.assertLessEqual(count, total)
            filtered = self.follow(links[name])
            got, _ = self.summary(filtered)
            self.assertEqual(got, count, "facet %s: %d shown, %d after filtering" % (name, count,
                                                                                     got))
            for li in filtered.all("li", "hit"):
                self.assertEqual(li.one("div", "meta").text().split(" · ")[0], name)
            self.assertIn(links[name].attrs["data-filter"],
                          filtered.one("input", name="q").attrs["value"])

    def test_timeline_bars_filter_to_their_count(self):
        dom = self.load("/")
        bars = dom.one("div", "timeline").all("a")
        self.assertTrue(2 <= len(bars) <= 40, "%d periods (timeline_max 40)" % len(bars))
        counts = [int(a.one("title").text().rsplit(": ", 1)[1]) for a in bars]
        timeline = dom.one("div", "timeline")
        self.assertEqual(timeline.attrs["data-unit"], "stories")
        total, _ = self.summary(dom)
        # A story is counted in each period it has an article in: the periods cover every story,
        # and none holds more than all of them.
        self.assertGreaterEqual(sum(counts) + int(timeline.attrs["data-undated"]), total)
        self.assertLessEqual(max(counts), total)
        top = max(range(len(bars)), key=counts.__getitem__)
        got, _ = self.summary(self.follow(bars[top]))
        self.assertEqual(got, counts[top])

    def test_arabic_is_right_to_left(self):
        dom = self.load("/", q="فيلمورا")
        hit = dom.one("li", "hit", **{"data-id": "web-arabic"})
        title = hit.one("a", "title")
        self.assertIn(title.attrs.get("dir"), ("auto", "rtl"))
        self.assertEqual(BROWSER.evaluate(
            "getComputedStyle(document.querySelector('li[data-id=\"web-arabic\"] a.title'))"
            ".direction"), "rtl")
        self.assertEqual(BROWSER.evaluate(
            "getComputedStyle(document.querySelector('li[data-id=\"web-arabic\"] p.snippet'))"
            ".direction"), "rtl")
        art = self.follow(title)
        self.assertIn("ميناء فيلمورا", text_of(art.one("h1")))
        self.assertEqual(BROWSER.evaluate(
            "getComputedStyle(document.querySelector('div.body p')).direction"), "rtl")

    def test_article_page(self):
        expected = search_json("--get=web-crane-sl")["article"]
        dom = self.load("/article", id="web-crane-sl")
        self.assertEqual(text_of(dom.one("h1")), expected["title"])
        body = text_of(dom.one("div", "body"))
        self.assertIn("A gantry crane collapsed onto a container ship", body)
        self.assertIn("S&L", text_of(dom.one("div", "meta")))
        self.assert_no_escaped_text(dom)
        marked = [text_of(p) for p in dom.all("p", "boilerplate")]
        self.assertEqual(marked, [re.sub(r"\s+", " ", b["text"]).strip()
                                  for b in expected.get("boilerplate", [])])
        # Entities are filters: one of them finds this article again.
        ents = dom.all("a", "entity")
        self.assertTrue(ents, "the article's entities as links")
        found = self.follow(ents[0])
        self.assertIn(self.summary(found)[0], range(1, 1000))
        ids = set(self.hit_ids(found))
        self.assertTrue(ids & STORY_IDS, "the entity filter finds the story")
        # The story link lists the three outlets' articles.
        story = self.follow(dom.one("a", "story-link"))
        self.assertEqual(set(self.hit_ids(story)), STORY_IDS)

    def test_error_pages(self):
        code, text = self.status("/article", id="no-such-article")
        self.assertEqual(code, 404)
        self.assertIn('data-code="not_found"', text)
        code, text = self.status("/", q="grain AND")
        self.assertEqual(code, 400)
        self.assertIn('data-code="query_syntax"', text)
        code, _ = self.status("/", q="x" * 5000)
        self.assertEqual(code, 400)
        code, _ = self.status("/", story="not-a-story")
        self.assertEqual(code, 400)
        code, _ = self.status("/nowhere")
        self.assertEqual(code, 404)
        dom = self.load("/article", id="no-such-article")
        self.assertIn("Not found", text_of(dom.one("h1")))

    def test_hostile_queries_never_crash(self):
        for q in ['"unbalanced', '<script>alert(1)</script>', 'a\0b Velmora', "' OR 1=1 --",
                  "-crane", "source:\"S&L\"", "\u202eevil", "%00", "a" * 3000 + " Velmora"]:
            code, text = self.status("/", q=q, page="x")
            self.assertIn(code, (200, 400), "query %r: HTTP %d" % (q[:40], code))
            dom = parse(text)
            self.assertEqual(dom.all("script"), [], q)
            value = dom.one("input", name="q").attrs["value"]
            self.assertEqual(value, q.replace("\0", "").strip())
        dom = self.load("/", q='<script>alert(1)</script> "Smith')
        self.assertEqual(BROWSER.evaluate("document.scripts.length"), 0)
        self.assertEqual(BROWSER.evaluate("document.querySelector('input[name=q]').value"),
                         '<script>alert(1)</script> "Smith')


class OneShotTests(PageTests, unittest.TestCase):
    serve = False

    @classmethod
    def tearDownClass(cls):
        # SITREP_WEB_SCREENSHOTS=DIR: the results and article pages as PNG (docs/web/ has them).
        out = os.environ.get("SITREP_WEB_SCREENSHOTS")
        if out:
            os.makedirs(out, exist_ok=True)
            BROWSER.load(cls.base + "/?" + urllib.parse.urlencode(
                {"q": "prisoner exchange OR grain OR Velmora"}))
            BROWSER.screenshot(os.path.join(out, "results.png"))
            BROWSER.load(cls.base + "/article?id=web-crane-sl")
            BROWSER.screenshot(os.path.join(out, "article.png"))
            print("screenshots written to %s" % out, file=sys.stderr)
        super().tearDownClass()


class ServeTests(PageTests, unittest.TestCase):
    serve = True


class LateAnswerTests(unittest.TestCase):
    """--serve: a request the page gave up on (503) gets its answer late; the next page must not
    show it (answers are matched by request id)."""

    def test_late_answer_is_dropped(self):
        fake = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_search.py")
        server = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "web", "sitrep_web.py"), "--db", DB, "--port",
             "0", "--serve", "--wait", "0.7", "--search", fake], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        try:
            base = re.search(r"http://[^/ ]+/", server.stdout.readline()).group(0)

            def get(q):
                try:
                    with urllib.request.urlopen(base + "?" + urllib.parse.urlencode({"q": q}),
                                                timeout=30) as r:
                        return r.status, parse(r.read().decode("utf-8"))
                except urllib.error.HTTPError as err:
                    return err.code, parse(err.read().decode("utf-8"))

            # The --serve process is up (its start may take longer than --wait).
            self.assertIn(200, [get("warm %d" % k)[0] for k in range(10)])
            code, dom = get("slow 1.5")
            self.assertEqual(code, 503)
            self.assertEqual(dom.one("div", "error").attrs["data-code"], "timeout")
            time.sleep(1.5)       # the late answer is now waiting in the pipe
            code, dom = get("fast")
            self.assertEqual(code, 200)
            self.assertEqual([li.attrs["data-id"] for li in dom.all("li", "hit")], ["hit-fast"])
        finally:
            server.terminate()
            server.wait(timeout=10)
            server.stdout.close()


CHROMIUM = chromium_binary()

if __name__ == "__main__":
    if not CHROMIUM:
        print("SKIPPED: no chromium or chromium-browser on PATH (scripts/install-deps installs it)")
        sys.exit(SKIP)
    profile = tempfile.TemporaryDirectory(prefix="sitrep-web-chromium-")
    try:
        BROWSER = Browser(CHROMIUM, profile.name)
    except Exception as err:   # any failure to start means: Chromium cannot run here at all
        print("SKIPPED: %s cannot start headless: %s" % (CHROMIUM, err))
        sys.exit(SKIP)
    try:
        unittest.main(verbosity=2)
    finally:
        profile.cleanup()
