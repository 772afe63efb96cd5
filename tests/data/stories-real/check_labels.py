#!/usr/bin/env python3
"""Check tests/data/stories-real/labels.tsv against the corpora it points into and print its counts.

Usage: check_labels.py [--corpora DIR] [--labels FILE]

DIR defaults to $SITREP_CORPORA, else ../shared/corpora from the repository root (as eval/ does).
Checks: every line has five tab-separated fields (corpus, id, story, split, group); the corpus is
known and the story label carries that corpus's prefix; split is dev or test; no id is labelled
twice; every id exists in its corpus; a story lies in one group, a group (and so a story) in one
split. A corpus file that is absent is skipped with a message (its ids are then not checked).
Exit status 1 if any check fails. Python 3 standard library only.
"""
import argparse
import collections
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

# corpus name -> (path relative to the corpora directory, or None for the repo's sample, story prefix)
CORPORA = {
    "fakes-syria": ("fakes-syria/fakes-syria.jsonl", "fk-"),
    "saudinewsnet": ("saudinewsnet/saudinewsnet.jsonl.gz", "snn-"),
    "reuters21578": ("reuters21578/reuters21578.jsonl.gz", "rt-"),
    "sample": (None, "sa-"),
}


def read_records(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", default=os.environ.get("SITREP_CORPORA") or os.path.join(REPO, "..", "shared", "corpora"))
    ap.add_argument("--labels", default=os.path.join(HERE, "labels.tsv"))
    args = ap.parse_args()

    errors = []
    rows = []
    seen = {}
    with open(args.labels, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                errors.append(f"line {n}: {len(fields)} fields, want 5 (corpus id story split group)")
                continue
            corpus, aid, story, split, group = fields
            if corpus not in CORPORA:
                errors.append(f"line {n}: unknown corpus {corpus!r}")
                continue
            if not story.startswith(CORPORA[corpus][1]):
                errors.append(f"line {n}: story {story!r} lacks the {corpus} prefix {CORPORA[corpus][1]!r}")
            if split not in ("dev", "test"):
                errors.append(f"line {n}: split {split!r} is neither dev nor test")
            if aid in seen:
                errors.append(f"line {n}: id {aid} already labelled on line {seen[aid]}")
            seen[aid] = n
            rows.append((corpus, aid, story, split, group))

    # one group per story, one split per group
    story_group, group_split = {}, {}
    for corpus, aid, story, split, group in rows:
        if story_group.setdefault(story, group) != group:
            errors.append(f"story {story} is in groups {story_group[story]} and {group}")
        if group_split.setdefault(group, split) != split:
            errors.append(f"group {group} is in both splits")

    # every id exists in its corpus; keep source and language for the counts
    meta = {}
    for corpus, (rel, _) in CORPORA.items():
        wanted = {r[1] for r in rows if r[0] == corpus}
        if not wanted:
            continue
        path = os.path.join(REPO, "data", "sample", "archive.jsonl") if rel is None else os.path.join(args.corpora, rel)
        if not os.path.exists(path):
            print(f"check_labels: skipped {corpus}: {path} not found ({len(wanted)} ids not checked)")
            continue
        count = collections.Counter()
        for rec in read_records(path):
            rid = rec.get("id")
            if rid in wanted:
                count[rid] += 1
                meta[rid] = (rec.get("source"), rec.get("language"))
        for aid in sorted(wanted - set(count)):
            errors.append(f"{corpus}: id {aid} not found in {path}")
        for aid, c in sorted(count.items()):
            if c > 1:
                errors.append(f"{corpus}: id {aid} occurs {c} times in {path} (ambiguous)")

    # counts
    print(f"{'corpus':<13} {'split':<5} {'articles':>8} {'stories':>7} {'multi':>5} {'multi-src':>9} "
          f"{'singletons':>10} {'hn-groups':>9} {'x-lang':>6}")
    by = collections.defaultdict(list)
    for r in rows:
        by[(r[0], r[3])].append(r)
        by[(r[0], "all")].append(r)
    for key in sorted(by):
        rs = by[key]
        stories = collections.defaultdict(list)
        for r in rs:
            stories[r[2]].append(r[1])
        multi = [s for s, ids in stories.items() if len(ids) > 1]
        known = all(r[1] in meta for r in rs)  # source and language only when the corpus was read
        multi_src = len([s for s in multi if len({meta[i][0] for i in stories[s]}) > 1]) if known else "-"
        xlang = len([s for s in multi if len({meta[i][1] for i in stories[s]}) > 1]) if known else "-"
        groups = collections.Counter(r[4] for r in rs)
        hn = {g for g in groups if len({r[2] for r in rs if r[4] == g}) > 1}
        print(f"{key[0]:<13} {key[1]:<5} {len(rs):>8} {len(stories):>7} {len(multi):>5} {multi_src:>9} "
              f"{len(stories) - len(multi):>10} {len(hn):>9} {xlang:>6}")
    print(f"total: {len(rows)} labelled articles, {len({r[2] for r in rows})} stories")
    print("multi: stories with 2+ articles; multi-src: of those, told by 2+ outlets; hn-groups: hard-negative")
    print("groups (2+ stories); x-lang: stories whose articles are in 2+ languages; - where the corpus was skipped")

    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    if errors:
        print(f"check_labels: {len(errors)} error(s)", file=sys.stderr)
        return 1
    print("check_labels: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
