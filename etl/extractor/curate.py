"""`borderstats figures add`: append reviewed candidates to the curated table, validated and de-duplicated."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from ..adapters import Context
from ..adapters.reported_figures import COLUMNS, parse as parse_curated
from ..errors import EtlError, SourceError
from ..gazetteer import Gazetteer
from ..warehouse import write_atomic

REQUIRED = ("metric", "value", "qualifier", "url", "publisher", "quote", "definition", "counted_by", "report_kind")


def figure_id(fig: dict) -> str:
    key = "|".join(str(fig.get(k) or "") for k in ("url", "metric", "place_id", "period_start", "period_end", "value"))
    return "fig-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def dedup_key(fig: dict) -> tuple:
    value = float(fig["value"]) if fig.get("value") not in (None, "") else None
    return (fig.get("metric"), fig.get("place_id") or "", fig.get("period_start") or "", fig.get("period_end") or "",
            value, (fig.get("url") or "").strip())


def load_candidates(path: Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EtlError(f"no such file: {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EtlError(f"{Path(path).name}: not a JSON list of candidates ({exc})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise EtlError(f"{Path(path).name}: expected a JSON list of objects, as `borderstats extract` prints")
    return data


def normalise(fig: dict, index: int, gazetteer: Gazetteer, name: str) -> dict:
    where = f"{name}: candidate #{index}"
    missing = [k for k in REQUIRED if fig.get(k) in (None, "")]
    if missing:
        raise EtlError(f"{where}: missing {', '.join(missing)} (add them after review: "
                       "what was counted and by whom goes in 'definition', who counted in 'counted_by' and what the "
                       "publication is in 'report_kind': docs/reported-figures.md lists their words)")
    definition = " ".join(str(fig["definition"]).split())
    if definition.casefold() in {" ".join(str(fig.get(k) or "").split()).casefold() for k in ("quote", "metric", "noun")}:
        raise EtlError(f"{where}: 'definition' repeats the {'quote' if definition.casefold() == ' '.join(str(fig.get('quote') or '').split()).casefold() else 'metric'}; "
                       "write in your own words what was counted, where and by whom")
    row = {c: fig.get(c) for c in COLUMNS}
    if not row.get("place_id") and fig.get("place"):
        pid = gazetteer.resolve(fig["place"])
        if pid is None:
            raise EtlError(f"{where}: place {fig['place']!r} is not in the gazetteer")
        row["place_id"] = pid
    row["figure_id"] = row.get("figure_id") or figure_id(row)
    return {k: ("" if v is None else v) for k, v in row.items()}


def add(candidates_path: Path, curated_path: Path, gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    """Append the candidates not already present; return (added ids, skipped duplicates). All or nothing."""
    name = Path(candidates_path).name
    candidates = load_candidates(candidates_path)
    with open(curated_path, encoding="utf-8", newline="") as fh:
        existing = list(csv.DictReader(fh))
    seen = {dedup_key(r) for r in existing}
    ids = {r["figure_id"] for r in existing}
    new, origin, added, skipped = [], [], [], []
    for i, fig in enumerate(candidates, start=1):
        row = normalise(fig, i, gazetteer, name)
        key = dedup_key(row)
        if key in seen:
            skipped.append(f"#{i} {row['metric']} {row['value']} ({row['url']})")
            continue
        if row["figure_id"] in ids:
            raise EtlError(f"{name}: candidate #{i}: figure_id {row['figure_id']!r} is already used")
        seen.add(key)
        ids.add(row["figure_id"])
        new.append(row)
        origin.append(i)
        added.append(row["figure_id"])
    if not new:
        return added, skipped
    # validate the whole table as it would be, with the same rules as the refresh, before writing
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows([{c: r.get(c, "") for c in COLUMNS} for r in existing + new])
    tmp = Path(curated_path).with_name(f".{Path(curated_path).name}.check")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    try:
        parse_curated(tmp, Context(gazetteer=gazetteer))
    except SourceError as exc:
        row = (exc.line or 0) - 2 - len(existing)  # line 1 is the header
        where = f"candidate #{origin[row]}" if 0 <= row < len(origin) else f"{Path(curated_path).name} line {exc.line}"
        raise EtlError(f"{name}: {where}: {exc.message}" + (f" (column {exc.column})" if exc.column else "")) from None
    finally:
        tmp.unlink(missing_ok=True)
    write_atomic(Path(curated_path), buf.getvalue().encode("utf-8"))
    return added, skipped

