"""Command line: ``raqib extract`` / ``python -m reactions extract``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TextIO

from .clustering import Clusterer, document_reports, official_statement
from .extract import extract
from .registry import load_registry
from .text import detect_language


def _jsonl(stdin: TextIO, stdout: TextIO, stderr: TextIO, cluster: bool = False) -> int:
    load_registry()
    clusterer = Clusterer() if cluster else None
    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        doc_id = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            doc_id = obj.get("id")
            text = obj.get("text")
            if not isinstance(text, str):
                raise ValueError("'text' is missing or not a string")
            lang = obj.get("lang") if obj.get("lang") in ("ar", "en") else None
            official = obj.get("speaker")
            if official is not None and not isinstance(official, str):
                raise ValueError("'speaker' is not a string")
            lang = lang or detect_language(text)
            if official:  # an item of the speaker's own feed: all of it is the speaker's statement
                found = [official_statement(official, text, lang)]
            else:
                found = extract(text, lang=lang, published=obj.get("published"))
            stmts = [s.to_dict() for s in found]
            if clusterer is not None:
                ids = clusterer.add(
                    document_reports(lineno, text, lang, obj.get("published"), found, official=bool(official))
                )
                for i, stmt in enumerate(stmts):
                    stmt["cluster"] = f"c{ids[(lineno, i)]}"
        except Exception as e:  # noqa: BLE001 - one bad line must not stop the stream
            stderr.write(f"line {lineno}: {type(e).__name__}: {e}\n")
            stderr.flush()
            stmts = []
        stdout.write(json.dumps({"id": doc_id, "statements": stmts}, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _one(path: str, lang: str | None, published: str | None, stdout: TextIO, stderr: TextIO) -> int:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
    except OSError as e:
        stderr.write(f"cannot read {path}: {e}\n")
        return 2
    stmts = extract(text, lang=lang, published=published)
    reg = load_registry()
    for i, s in enumerate(stmts, 1):
        sp = reg.speakers.get(s.speaker)
        flag = sp.flag if sp else ""
        stdout.write(
            f"[{i}] {flag} {s.speaker}  person={s.person or '-'}  kind={s.kind}  reaction={s.reaction}  "
            f"offsets={s.start}-{s.end}\n    {s.text}\n"
        )
        for q in s.quotes:
            stdout.write(f"    « {q} »\n")
    stdout.write(f"{len(stmts)} statement(s)\n")
    return 0


def published_date(value: str) -> str:
    """The argparse type of ``--published``: a date ``YYYY-MM-DD``; anything else is a usage error (exit 2),
    not silently ignored."""
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def main_extract(argv: list[str] | None = None) -> int:
    """``extract --jsonl [--cluster]`` (stream) or ``extract FILE|-`` (one text, printed readably)."""
    ap = argparse.ArgumentParser(prog="raqib extract", description="Extract statements by tracked speakers.")
    ap.add_argument("file", nargs="?", help="a text file, or - for standard input")
    ap.add_argument(
        "--jsonl", action="store_true", help='read {"id","text","lang","published"} lines on stdin'
    )
    ap.add_argument(
        "--cluster",
        action="store_true",
        help="with --jsonl: documents come in arrival order; give each statement a 'cluster' key "
        "(statements of one occasion share it), as the service clusters them",
    )
    ap.add_argument("--lang", choices=["ar", "en"], help="language of FILE (detected when omitted)")
    ap.add_argument(
        "--published",
        type=published_date,
        help="publication date of FILE, YYYY-MM-DD (decides who held which post)",
    )
    args = ap.parse_args(argv)
    if args.cluster and not args.jsonl:
        ap.error("--cluster needs --jsonl")
    if args.jsonl:
        if args.file not in (None, "-"):
            with open(args.file, encoding="utf-8", errors="replace") as f:
                return _jsonl(f, sys.stdout, sys.stderr, args.cluster)
        return _jsonl(sys.stdin, sys.stdout, sys.stderr, args.cluster)
    if not args.file:
        ap.error("give a FILE (or -), or --jsonl")
    return _one(args.file, args.lang, args.published, sys.stdout, sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "extract":
        argv = argv[1:]
    return main_extract(argv)
