"""The extractor's evaluation set: short quotes from real articles and reports, labelled by hand.

Each line of `tests/fixtures/extractor/eval/*.jsonl` is one passage (a short verbatim quote of one to
three sentences) with the page's address and every figure in it, labelled before the extractor was
run on it (docs/extractor-evaluation.md is the labelling guide). `check` validates a file;
`python -m tests.support.evalset check FILE...` prints what is wrong, line by line.
"""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "extractor" / "eval"
PLACES_CSV = Path(__file__).resolve().parents[2] / "data" / "reference" / "places.csv"

from etl.adapters.reported_figures import METRICS as MEASURES  # noqa: E402
QUALIFIERS = ("exact", "approximately", "more_than", "at_least", "less_than", "up_to", "estimate")
LANGS = ("en", "es")
TOPICS = ("mpp", "violence")
MAX_QUOTE = 600
KEYS = {"source", "url", "publisher", "title", "published", "lang", "topic", "text", "figures"}
PARTS = ("dev", "heldout")  # optional "part": sources added after the first split say which part they join
FIGURE_KEYS = {"value", "qualifier", "place_id", "measure"}
OPTIONAL_FIGURE_KEYS = {"place_text", "number_text", "note"}


def place_ids() -> set[str]:
    with PLACES_CSV.open(encoding="utf-8") as f:
        return {row["place_id"] for row in csv.DictReader(f)}


def read(path: Path) -> list[dict]:
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = json.loads(line)
            record["_line"] = i
            record["_file"] = path.name
            out.append(record)
    return out


def problems(records: list[dict], known_places: set[str]) -> list[str]:
    """Everything wrong with the records, as 'file:line: message'."""
    out = []
    sources: dict[str, str] = {}
    for r in records:
        where = f"{r.get('_file', '?')}:{r.get('_line', '?')}"
        missing = KEYS - set(r)
        if missing:
            out.append(f"{where}: missing {sorted(missing)}")
            continue
        if r["lang"] not in LANGS:
            out.append(f"{where}: lang {r['lang']!r} not in {LANGS}")
        if "part" in r and r["part"] not in PARTS:
            out.append(f"{where}: part {r['part']!r} not in {PARTS}")
        if r["topic"] not in TOPICS:
            out.append(f"{where}: topic {r['topic']!r} not in {TOPICS}")
        if not str(r["url"]).startswith(("http://", "https://")):
            out.append(f"{where}: url must be a page address")
        if len(r["text"]) > MAX_QUOTE:
            out.append(f"{where}: quote is {len(r['text'])} characters (at most {MAX_QUOTE})")
        if sources.setdefault(r["source"], r["url"]) != r["url"]:
            out.append(f"{where}: source {r['source']!r} already used for {sources[r['source']]}")
        for j, f in enumerate(r["figures"], 1):
            at = f"{where} figure {j}"
            if not FIGURE_KEYS <= set(f) or set(f) - FIGURE_KEYS - OPTIONAL_FIGURE_KEYS:
                out.append(f"{at}: keys must be {sorted(FIGURE_KEYS)} (+ optional {sorted(OPTIONAL_FIGURE_KEYS)})")
                continue
            if not isinstance(f["value"], (int, float)) or isinstance(f["value"], bool) or f["value"] <= 0:
                out.append(f"{at}: value {f['value']!r} is not a positive number")
            if f["qualifier"] not in QUALIFIERS:
                out.append(f"{at}: qualifier {f['qualifier']!r} not in {QUALIFIERS}")
            if f["measure"] not in MEASURES:
                out.append(f"{at}: measure {f['measure']!r} not in {MEASURES}")
            if f["place_id"] is not None and f["place_id"] not in known_places:
                out.append(f"{at}: place_id {f['place_id']!r} is not in data/reference/places.csv")
            if f.get("number_text") and f["number_text"] not in r["text"]:
                out.append(f"{at}: number_text {f['number_text']!r} is not in the quote")
    return out


def load_all(directory: Path = EVAL_DIR) -> list[dict]:
    records = []
    for path in sorted(directory.glob("*.jsonl")):
        records.extend(read(path))
    return records


def split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(development, held-out), fixed before any score was seen: within each language and topic, the sources
    ordered by a digest of their address go alternately to each side. Whole sources go to one side, never a
    passage of each."""
    held_urls: set[str] = set()
    first = [r for r in records if "part" not in r]  # the first set; sources added later say their part
    for lang in LANGS:
        for topic in TOPICS:
            urls = sorted({r["url"] for r in first if r["lang"] == lang and r["topic"] == topic},
                          key=lambda u: hashlib.sha256(u.encode()).hexdigest())
            held_urls.update(urls[1::2])
    held_urls.update(r["url"] for r in records if r.get("part") == "heldout")
    dev = [r for r in records if r["url"] not in held_urls]
    held = [r for r in records if r["url"] in held_urls]
    return dev, held


def summary(records: list[dict]) -> str:
    from collections import Counter

    figures = Counter()
    sources = Counter()
    seen = set()
    for r in records:
        figures[(r["lang"], r["topic"])] += len(r["figures"])
        if r["url"] not in seen:
            seen.add(r["url"])
            sources[(r["lang"], r["topic"])] += 1
    lines = [f"{lang}/{topic}: {sources[(lang, topic)]} sources, {figures[(lang, topic)]} figures"
             for lang in LANGS for topic in TOPICS]
    lines.append(f"total: {len(seen)} sources, {sum(figures.values())} figures, {len(records)} passages")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "check":
        print("usage: python -m tests.support.evalset check FILE.jsonl ...", file=sys.stderr)
        return 2
    records = []
    for name in argv[1:]:
        records.extend(read(Path(name)))
    found = problems(records, place_ids())
    for p in found:
        print(p)
    print(summary(records))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
