#!/usr/bin/python3
"""Validates the JSON examples of the documentation against the project's JSON Schemas.

Usage: readme_examples.py ROOT [FILE...]   (FILEs relative to ROOT; default README.md docs/json.md)

Every ```json block of each FILE must hold one or more complete JSON documents (whitespace between
them), each valid against the schema for its shape: an object with `contract_version` against
schemas/search-error.schema.json when it has `error`, else schemas/search-result.schema.json; an
object with `title` or `body` (an input record) against schemas/article.schema.json; any other
object (a --serve request) against schemas/serve-request.schema.json. A block that is not JSON, or
a FILE without any ```json block, fails. Exit status 0 when all are valid, 1 otherwise (every
problem on standard error).
"""

import json
import os
import re
import sys

from jsonschema import Draft202012Validator


def validator(root, name):
    with open(os.path.join(root, "schemas", name), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def documents(text):
    """The JSON documents of a block, one after another."""
    decoder = json.JSONDecoder()
    at, out = 0, []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return out
        doc, at = decoder.raw_decode(text, at)
        out.append(doc)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = argv[1]
    files = argv[2:] or ["README.md", "docs/json.md"]
    schemas = {n: validator(root, n) for n in ("search-result.schema.json", "search-error.schema.json",
                                               "article.schema.json", "serve-request.schema.json")}
    problems = checked = 0
    for name in files:
        with open(os.path.join(root, name), encoding="utf-8") as f:
            text = f.read()
        blocks = [(text.count("\n", 0, m.start()) + 2, m.group(1))
                  for m in re.finditer(r"^```json\n(.*?)^```", text, re.S | re.M)]
        if not blocks:
            print(f"{name}: no ```json block", file=sys.stderr)
            problems += 1
        for line, block in blocks:
            try:
                docs = documents(block)
            except json.JSONDecodeError as e:
                print(f"{name}:{line + e.lineno - 1}: not JSON: {e.msg}", file=sys.stderr)
                problems += 1
                continue
            for doc in docs:
                if not isinstance(doc, dict):
                    kind = None
                elif "contract_version" in doc:
                    kind = "search-error.schema.json" if "error" in doc else "search-result.schema.json"
                elif "title" in doc or "body" in doc:
                    kind = "article.schema.json"
                else:
                    kind = "serve-request.schema.json"
                checked += 1
                if kind is None:
                    print(f"{name}:{line}: not a JSON object", file=sys.stderr)
                    problems += 1
                    continue
                for e in schemas[kind].iter_errors(doc):
                    where = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}"
                                          for p in e.absolute_path)
                    print(f"{name}:{line}: {kind}: {where}: {e.message[:300]}", file=sys.stderr)
                    problems += 1
    print(f"readme_examples: {checked} documents checked, {problems} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
