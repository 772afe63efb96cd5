#!/usr/bin/env python3
"""Agreement between labels.tsv (first labeller) and audit/second-labeller.tsv (second, blind).

Items: the audited articles both labellers labelled (second labeller's "-" = left unlabelled; these
are listed, not scored). Pairs: every pair of items in the same audit window, plus every pair in
different windows that either labelling puts in one story (so no joined pair is missed, and far-apart
unrelated pairs do not inflate agreement). Reports, per corpus and overall:
  - pairwise precision / recall / F1 of the first labeller's same-story pairs against the second's;
  - B-cubed precision / recall / F1 of the first labelling against the second (over the items);
  - Cohen's kappa on the pairs (same story / not);
and lists every pair on which they disagree, grouped by the two labellers' stories.
Python 3, standard library only:  tests/data/stories-real/audit/compare.py
"""
import collections, itertools, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path, cols):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            out.append(line.rstrip("\n").split("\t")[:cols])
    return out


def main():
    first = {(c, i): s for c, i, s, _split, _g in read(os.path.join(HERE, "..", "labels.tsv"), 5)}
    second = {(c, i): s for c, i, s in read(os.path.join(HERE, "second-labeller.tsv"), 3)}
    window = {(c, i): w for w, c, i in read(os.path.join(HERE, "windows.tsv"), 3)}
    missing = [k for k in second if k not in first]
    if missing:
        print("not in labels.tsv:", missing)
        return 1
    unlabelled = sorted(k for k, s in second.items() if s == "-")
    items = sorted(k for k, s in second.items() if s != "-")
    for k in unlabelled:
        print(f"second labeller left unlabelled: {k[0]} {k[1]} (first: {first[k]})")

    def figures(keys):
        pairs = set()
        for a, b in itertools.combinations(keys, 2):
            if a[0] != b[0]:
                continue
            if window[a] == window[b] or first[a] == first[b] or second[a] == second[b]:
                pairs.add((a, b))
        tab = collections.Counter((first[a] == first[b], second[a] == second[b]) for a, b in pairs)
        tp, fp, fn, tn = tab[(True, True)], tab[(True, False)], tab[(False, True)], tab[(False, False)]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        n = tp + fp + fn + tn
        po = (tp + tn) / n
        pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
        kappa = (po - pe) / (1 - pe) if pe < 1 else 1.0
        bp = br = 0.0
        for k in keys:
            c1 = {x for x in keys if x[0] == k[0] and first[x] == first[k]}
            c2 = {x for x in keys if x[0] == k[0] and second[x] == second[k]}
            bp += len(c1 & c2) / len(c1)
            br += len(c1 & c2) / len(c2)
        bp, br = bp / len(keys), br / len(keys)
        bf = 2 * bp * br / (bp + br)
        return dict(items=len(keys), pairs=n, both_same=tp, first_only=fp, second_only=fn,
                    both_diff=tn, pair_p=p, pair_r=r, pair_f1=f, kappa=kappa, b3_p=bp, b3_r=br,
                    b3_f1=bf, first_stories=len({first[k] for k in keys}),
                    second_stories=len({second[k] for k in keys})), pairs

    print("\ncorpus          items stories(1st/2nd) pairs same-both 1st-only 2nd-only  "
          "pairP  pairR pairF1  kappa  B3-P  B3-R B3-F1")
    corpora = sorted({k[0] for k in items})
    allpairs = set()
    for c in corpora + ["all"]:
        keys = [k for k in items if c == "all" or k[0] == c]
        m, pairs = figures(keys)
        if c != "all":
            allpairs |= pairs
        print(f"{c:15s} {m['items']:5d} {m['first_stories']:7d}/{m['second_stories']:<7d} {m['pairs']:5d} "
              f"{m['both_same']:9d} {m['first_only']:8d} {m['second_only']:8d}  {m['pair_p']:.3f}  "
              f"{m['pair_r']:.3f}  {m['pair_f1']:.3f}  {m['kappa']:.3f} {m['b3_p']:.3f} {m['b3_r']:.3f} {m['b3_f1']:.3f}")

    groups = collections.defaultdict(list)
    for a, b in sorted(allpairs):
        s1, s2 = first[a] == first[b], second[a] == second[b]
        if s1 != s2:
            key = ("joined by 1st only" if s1 else "joined by 2nd only",
                   tuple(sorted({first[a], first[b]})), tuple(sorted({second[a], second[b]})))
            groups[key].append((a[1], b[1]))
    print(f"\ndisagreeing pairs: {sum(len(v) for v in groups.values())} in {len(groups)} groups")
    for (kind, f1, s2), prs in sorted(groups.items()):
        ids = sorted({x for p in prs for x in p})
        print(f"- {kind}: 1st {' | '.join(f1)}  vs  2nd {' | '.join(s2)}  ({len(prs)} pairs; {', '.join(ids)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
