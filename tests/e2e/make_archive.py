#!/usr/bin/python3
"""Writes an invented archive of N short articles as JSON Lines, for the reindexing tests.

make_archive.py N [--revision R --every K]: records whose number is a multiple of K carry
revision R in their body (so a later revision changes exactly those records). Ids are r-00001...
Every body has the word "bulletin", so a search for it matches every record.
"""
import argparse
import json
import sys

WORDS = ("convoy ceasefire corridor shelling negotiators envoy harbour grain drones frontline "
         "evacuation sanctions brigade reservoir substation talks monitors pipeline").split()

p = argparse.ArgumentParser()
p.add_argument("n", type=int)
p.add_argument("--revision", type=int, default=0)
p.add_argument("--every", type=int, default=0)
a = p.parse_args()
for i in range(1, a.n + 1):
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(40)]
    rev = a.revision if a.every and i % a.every == 0 else 0
    rec = {
        "id": f"r-{i:05d}",
        "source": ["Harbour Wire", "Steppe Post", "Delta Courier"][i % 3],
        "title": f"Bulletin {i}: {WORDS[i % len(WORDS)]} report",
        "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "language": "en",
        "body": f"bulletin number {i} revision {rev}. " + " ".join(words) + ".",
    }
    sys.stdout.write(json.dumps(rec) + "\n")
