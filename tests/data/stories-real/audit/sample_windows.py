#!/usr/bin/env python3
"""Draw the audit's candidate windows from labels.tsv without showing any story label.

A window is the labelled articles of one look-alike group when the group is small (<= 10), else one
story's articles plus its neighbours: labelled articles of the same corpus, published within two
days of the story's dates, in the same look-alike group or sharing the place (FA-KES `location`,
Reuters `places`), capped at 10 articles by a seeded draw. Stories are drawn with a fixed seed; the
output (window, corpus, id) carries ids only. Python 3, standard library only.

  SITREP_CORPORA=../shared/corpora tests/data/stories-real/audit/sample_windows.py > windows.tsv
"""
import datetime, gzip, json, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.environ.get("SITREP_CORPORA", os.path.join(HERE, "../../../../../shared/corpora"))
FILES = {"fakes-syria": "fakes-syria/fakes-syria.jsonl",
         "saudinewsnet": "saudinewsnet/saudinewsnet.jsonl.gz",
         "reuters21578": "reuters21578/reuters21578.jsonl.gz"}
PER_CORPUS = {"fakes-syria": 10, "saudinewsnet": 9, "reuters21578": 6}
CAP, SMALL_GROUP, SEED = 10, 10, 15


def load(corpus, wanted):
    path = os.path.join(CORPORA, FILES[corpus])
    opener = gzip.open if path.endswith(".gz") else open
    out = {}
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("id") in wanted:
                out[r["id"]] = r
    return out


def day(r):
    p = r.get("published")
    return datetime.date.fromisoformat(p[:10]) if p else None


def place(corpus, r):
    if corpus == "fakes-syria":
        return {(r.get("location") or "").strip().lower()} - {""}
    if corpus == "reuters21578":
        return set(r.get("places") or [])
    return set()


def main():
    rows = []
    with open(os.path.join(HERE, "..", "labels.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            corpus, aid, story, split, group = line.rstrip("\n").split("\t")
            rows.append((corpus, aid, story, group))
    rng = random.Random(SEED)
    used, n = set(), 0
    for corpus in PER_CORPUS:
        mine = [r for r in rows if r[0] == corpus]
        recs = load(corpus, {r[1] for r in mine})
        stories = sorted({r[2] for r in mine})
        rng.shuffle(stories)
        taken = 0
        for s in stories:
            if taken == PER_CORPUS[corpus]:
                break
            members = [r for r in mine if r[2] == s]
            if any(r[1] in used for r in members):
                continue
            group = members[0][3]
            gm = [r for r in mine if r[3] == group]
            if len(gm) <= SMALL_GROUP:
                win = [r[1] for r in gm]
            else:
                days = [day(recs[r[1]]) for r in members if day(recs[r[1]])]
                lo, hi = min(days) - datetime.timedelta(days=2), max(days) + datetime.timedelta(days=2)
                places = set().union(*(place(corpus, recs[r[1]]) for r in members))
                nb = [r[1] for r in mine if r[2] != s and day(recs[r[1]]) and lo <= day(recs[r[1]]) <= hi
                      and (r[3] == group or place(corpus, recs[r[1]]) & places)]
                win = [r[1] for r in members] + sorted(nb)
                if len(win) > CAP:
                    win = sorted(rng.sample(win, CAP))
            win = [a for a in win if a not in used]
            if len(win) < 2:
                continue
            used.update(win)
            n += 1
            taken += 1
            for a in sorted(win):
                print(f"w{n:02d}\t{corpus}\t{a}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
