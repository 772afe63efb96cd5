#!/usr/bin/python3
"""Validates JSON documents against a JSON Schema (draft 2020-12).

Usage: validate_json.py SCHEMA [FILE|-]

FILE (default: standard input) holds one JSON document, or several, one per line (as
`sitrep-search --json` writes one line per run). Exit status 0 when every document is valid; 1 with
every validation error on standard error (document number, JSON path, message); 2 when the input is
not JSON or the schema itself is invalid.
"""

import json
import sys

import jsonschema
from jsonschema import Draft202012Validator


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"validate_json: invalid schema {argv[1]}: {e.message}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    path = argv[2] if len(argv) == 3 else "-"
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"validate_json: {path}: not UTF-8: {e}", file=sys.stderr)
        return 2

    docs = []
    stripped = text.strip()
    if not stripped:
        print(f"validate_json: {path}: no JSON document in the input", file=sys.stderr)
        return 2
    try:
        docs.append(json.loads(stripped))
    except json.JSONDecodeError:
        # Not a single document: try JSON Lines.
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as e:
                print(f"validate_json: {path}: line {n}: not JSON: {e}", file=sys.stderr)
                return 2

    failed = False
    for n, doc in enumerate(docs, 1):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            failed = True
            where = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
            msg = e.message
            if e.validator in ("oneOf", "anyOf"):
                msg = f"matches none of the {e.validator} alternatives"
            elif len(msg) > 300:
                msg = msg[:300] + "..."
            print(f"validate_json: document {n}: {where}: {msg}", file=sys.stderr)
            # oneOf failures say little by themselves: show why each branch failed.
            for sub in sorted(e.context or [], key=lambda s: (-len(list(s.absolute_path)), str(s.message)))[:8]:
                subwhere = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in sub.absolute_path)
                print(f"validate_json:   branch {list(sub.schema_path)[:2]}: {subwhere}: {sub.message}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
