"""The dashboard's message catalogues: extract the messages from the code and keep dashboard/locale up to date.

    .venv/bin/python tools/i18n.py update   # add new messages to every catalogue, drop the ones no longer used
    .venv/bin/python tools/i18n.py check    # list messages missing, fuzzy or untranslated (exit 1 if any)

Messages are the strings in ``_("…")``, ``N_("…")`` and ``ngettext("…", "…", n)`` calls under dashboard/
(dashboard/i18n.py). Each language's catalogue is several .po files, one per area of the code (AREAS), so that
work on different parts of the dashboard touches different files; a message belongs to the area where it first
appears. In the English files each message is its own translation; in the Spanish ones a new message starts
empty, to be translated (and `check` fails until it is).
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "dashboard"
LOCALE = SOURCE / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SCHEMA_KEYWORDS = {"_f": (3,), "Table": (2,)}  # _f(name, type, description), Table(name, description, ...)
AREAS = (  # (area, path prefix under dashboard/): the first that matches
    ("export", "export/"),
    ("export", "feed.py"),
    ("export", "api.py"),
    ("export", "downloads.py"),
    ("charts", "charts/"),
    ("charts", "vocabulary.py"),
    ("charts", "tidy.py"),
    ("aggregates", "aggregates/"),
    ("aggregates", "datasets.py"),
    ("aggregates", "place_groups.py"),
    ("views", "views/"),
    ("views", "urlstate.py"),
    ("views", "exportable.py"),
    ("pages", ""),
)
LANGS = ("en", "es")


def area_of(path: str) -> str:
    return next(area for area, prefix in AREAS if path.startswith(prefix))


def extract() -> dict[str, dict[object, list[str]]]:
    """{area: {message id (a string, or a (singular, plural) pair): [where it appears]}}."""
    found: dict[object, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        if "/locale/" in filename or not message:
            continue
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    by_area: dict[str, dict[object, list[str]]] = {}
    for key, where in found.items():
        by_area.setdefault(area_of(sorted(where)[0]), {})[key] = sorted(where)
    # the table contract's descriptions of tables and fields (etl/schema.py), shown on the Data page's dictionary
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / "etl"), method_map=[("schema.py", "python")], keywords=SCHEMA_KEYWORDS, comment_tags=()):
        if message and not any(message in messages for messages in by_area.values()):
            by_area.setdefault("schema", {}).setdefault(message, []).append(f"../etl/{filename}:{lineno}")
    return by_area


def load(path: Path, lang: str) -> Catalog:
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=lang)
    return Catalog(locale=lang, project="borderstats", charset="utf-8")


def all_messages(lang: str) -> dict[object, object]:
    """Every message of a language's catalogue files: {id: message}."""
    out = {}
    for path in sorted((LOCALE / lang).glob("*.po")):
        for m in load(path, lang):
            if m.id:
                out[m.id if isinstance(m.id, str) else tuple(m.id)] = m
    return out


def update() -> list[str]:
    changed = []
    areas = extract()
    for lang in LANGS:
        (LOCALE / lang).mkdir(parents=True, exist_ok=True)
        elsewhere = all_messages(lang)
        for area, messages in sorted(areas.items()):
            path = LOCALE / lang / f"{area}.po"
            old = load(path, lang)
            new = Catalog(locale=lang, project="borderstats", charset="utf-8", fuzzy=False)
            for key, where in messages.items():
                mid = key if isinstance(key, str) else key
                before = old.get(mid) or elsewhere.get(key)
                if before is not None and before.string:
                    string = before.string
                elif lang == "en":
                    string = mid if isinstance(mid, str) else mid
                else:
                    string = "" if isinstance(mid, str) else ("", "")
                new.add(mid, string, locations=[(w.rsplit(":", 1)[0], None) for w in where[:3]],
                        flags=before.flags if before is not None else ())
            with path.open("wb") as f:
                write_po(f, new, width=116, no_location=False, include_lineno=False, sort_output=True,
                         omit_header=True)
            changed.append(str(path.relative_to(ROOT)))
        for path in (LOCALE / lang).glob("*.po"):  # areas with no messages any more
            if path.stem not in areas:
                path.unlink()
    return changed


def problems() -> list[str]:
    """Messages of the code missing from a catalogue, fuzzy there, or without a translation."""
    out = []
    wanted = {key for messages in extract().values() for key in messages}
    for lang in LANGS:
        have = all_messages(lang)
        for key in sorted(wanted, key=str):
            m = have.get(key)
            shown = key if isinstance(key, str) else key[0]
            if m is None:
                out.append(f"{lang}: missing: {shown!r}")
            elif m.fuzzy:
                out.append(f"{lang}: fuzzy: {shown!r}")
            elif not m.string or (not isinstance(m.string, str) and not all(m.string)):
                out.append(f"{lang}: untranslated: {shown!r}")
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        for p in update():
            print(p)
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        for p in found:
            print(p)
        print(f"{len(found)} problem(s)")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
