#!/usr/bin/python3
"""Validates sitrep-search JSON output against the JSON Schemas (draft 2020-12).

Usage:
  validate_json.py SCHEMA|SCHEMA_DIR [FILE|-]
  validate_json.py --runs SCHEMA_DIR RUN_DIR MAX_MS STATUS...

First form: FILE (default: standard input) holds one JSON document, or several, one per line (as
`sitrep-search --json` writes one line per run, `--serve` one per request). With SCHEMA_DIR (the
repository's schemas/), each document is checked against search-error.schema.json when it has a
top-level "error" key, else against search-result.schema.json (a result, an `explain` or an
`article` object, JSON contract version 3); with a SCHEMA file, against that schema.

Second form (many runs checked by one process): RUN_DIR holds, for each run N, N.cmd (what was run,
for messages), N.out and N.err (its standard output and error), N.rc (its exit status) and N.ms (its
wall time in milliseconds). Each run must exit with one of the STATUS values within MAX_MS; its
standard output must be exactly one line holding one JSON object valid against its schema; a result
(exit status 0) must leave standard error empty; an error object's exit_status must equal the exit
status, and standard error must be exactly one line "sitrep-search: error: ...".

Exit status 0 when everything is valid; 1 with every problem on standard error; 2 when the input is
not JSON or a schema itself is invalid.
"""

import json
import os
import sys

import jsonschema
from jsonschema import Draft202012Validator


def load_validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"validate_json: invalid schema {path}: {e.message}", file=sys.stderr)
        sys.exit(2)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


class Validators:
    """Picks the schema for a document: one given file, or result/error from a directory."""

    def __init__(self, path):
        if os.path.isdir(path):
            self.result = load_validator(os.path.join(path, "search-result.schema.json"))
            self.error = load_validator(os.path.join(path, "search-error.schema.json"))
        else:
            self.result = self.error = load_validator(path)

    def errors(self, doc):
        v = self.error if isinstance(doc, dict) and "error" in doc else self.result
        out = []
        for e in sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
            msg = e.message
            if len(msg) > 300:
                msg = msg[:300] + "..."
            out.append(f"{where}: {msg}")
        return out


def validate_docs(validators, path):
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
        for problem in validators.errors(doc):
            failed = True
            print(f"validate_json: document {n}: {problem}", file=sys.stderr)
    return 1 if failed else 0


def check_runs(validators, run_dir, max_ms, statuses):
    names = sorted({f.rsplit(".", 1)[0] for f in os.listdir(run_dir) if f.endswith(".rc")},
                   key=lambda s: (len(s), s))
    if not names:
        print(f"validate_json: no runs in {run_dir}", file=sys.stderr)
        return 2
    problems = 0

    def read(name, ext):
        with open(os.path.join(run_dir, f"{name}.{ext}"), "rb") as f:
            return f.read()

    for name in names:
        cmd = read(name, "cmd").decode("utf-8", "backslashreplace").strip()
        rc = int(read(name, "rc"))
        ms = int(read(name, "ms"))
        out, err = read(name, "out"), read(name, "err")
        found = []
        if rc not in statuses:
            found.append(f"exit status {rc}, expected one of {sorted(statuses)}")
        if ms > max_ms:
            found.append(f"took {ms} ms (limit {max_ms} ms)")
        doc = None
        try:
            text = out.decode("utf-8")
            if not text.endswith("\n") or text.count("\n") != 1:
                found.append("stdout is not exactly one line")
            doc = json.loads(text)
            if not isinstance(doc, dict):
                found.append("stdout is not a JSON object")
                doc = None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            found.append(f"stdout is not one JSON document: {e}")
        if doc is not None:
            found += validators.errors(doc)
            if "error" in doc:
                if doc.get("error", {}).get("exit_status") != rc:
                    found.append(f"error.exit_status {doc['error'].get('exit_status')} != exit status {rc}")
                lines = err.decode("utf-8", "replace").split("\n")
                if len(lines) != 2 or lines[1] != "" or not lines[0].startswith("sitrep-search: error: "):
                    found.append(f"stderr is not one error line: {err[:300]!r}")
            else:
                if rc != 0:
                    found.append(f"a result object with exit status {rc}")
                if err:
                    found.append(f"stderr not empty on success: {err[:300]!r}")
        if found:
            problems += 1
            print(f"validate_json: run {name}: {cmd}", file=sys.stderr)
            for f in found:
                print(f"validate_json:   {f}", file=sys.stderr)
            print(f"validate_json:   stdout: {out[:300]!r}", file=sys.stderr)
    print(f"validate_json: {len(names)} runs checked, {problems} with problems", file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "--runs":
        return check_runs(Validators(argv[2]), argv[3], int(argv[4]), {int(s) for s in argv[5:]})
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return validate_docs(Validators(argv[1]), argv[2] if len(argv) == 3 else "-")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
