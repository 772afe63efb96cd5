#!/usr/bin/env python3
"""A stand-in for `sitrep-search --serve` in tests/web/test_web.py: answers each request line with
a v3 result whose one hit is named after the query, after `delay` seconds when the query starts
with "slow" (the delay is the word after it). Lets the test make an answer arrive late."""
import json
import sys
import time

assert "--serve" in sys.argv[1:]
for line in sys.stdin:
    req = json.loads(line)
    query = req.get("query", "")
    if query.startswith("slow"):
        time.sleep(float(query.split()[1]))
    count = {"estimate": 1, "lower_bound": 1, "upper_bound": 1, "exact": True}
    hit = {"rank": 1, "id": "hit-" + query.split()[0], "title": "answer to " + query, "source": "S",
           "url": None, "published": None, "language": "en", "score": 0, "snippet": [],
           "story": None, "entities": {}}
    out = {"contract_version": 3, "total": {"unit": "stories", "articles": count,
                                            "stories": count}, "hits": [hit]}
    if "id" in req:
        out["id"] = req["id"]
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
