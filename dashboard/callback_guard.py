"""Every Dash callback request checked before Dash runs it: a malformed body answers 400, never 500.

Dash answers ``POST /_dash-update-component`` by calling the callback the body names with the values the body
carries; a callback is written for what its controls send, so a hand-made body (``breakdown: "zzz"``, a number
where a list belongs, an input left out, a body that is not JSON) used to raise inside it (a 500). This module
checks the body against the callback's declaration first, in a ``before_request`` hook:

- the body is a JSON object whose ``output`` names a server callback of the app (a clientside or unknown one: 400);
- ``outputs``, ``inputs`` and ``state`` list exactly the declared (component, property) pairs, in order;
- each value has the type and the allowed values of its control. A control whose page declares a URL setting of
  the same name (``ids.Encounters.breakdown`` and ``Param("breakdown")`` of ``views/encounters.py``) is checked
  as that setting is checked in a query string (:func:`urlstate.parse_value`, full matches, allowed values
  from the current release); any other input is declared in ``EXTRA`` below. An input nobody declared is
  refused, so a new callback fails its test until its inputs are declared.
"""
from __future__ import annotations

import importlib
import json
import math
import re
from typing import Any, Callable

from flask import Response, request

from dashboard.i18n import LANGS

from . import ids, urlstate

ENDPOINT_SUFFIX = "/_dash-update-component"
MAX_TEXT = 400  # characters of one free-text value (urlstate.MAX_VALUE_CHARS)
MAX_ITEMS = 100  # items of one list value (pages keep at most their Param's max_items, with a notice)
MAX_CHANGED = 50  # changedPropIds

# page views module -> its ids class (the control ids whose attribute names are the page's URL settings)
PAGES = {"encounters": ids.Encounters, "compare": ids.Compare, "map": ids.Map, "reported": ids.Reported,
         "violence": ids.Violence, "data": ids.Data}


class Invalid(ValueError):
    """A callback body that is not what the callback declares; the message says what, quoting little."""


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text[:40] + "…" if len(text) > 40 else text


# ---- value checks ------------------------------------------------------------------------------------------

def _is_int(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (
        isinstance(v, float) and math.isfinite(v) and v.is_integer())


def _text(v: Any, limit: int = MAX_TEXT) -> str:
    if not isinstance(v, str):
        raise Invalid(f"text expected, got {_show(v)}")
    if len(v) > limit:
        raise Invalid(f"a text of {len(v):,} characters (at most {limit:,})")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in v):
        raise Invalid("a text with control characters")
    return v


def check_param(p: urlstate.Param, v: Any) -> None:
    """A control's value checked as its URL setting is: the value written as in a query string must parse
    without a notice. None (a cleared control) means the setting's default."""
    if v is None:
        return
    if p.kind == "multi":
        if not isinstance(v, list) or len(v) > MAX_ITEMS:
            raise Invalid(f"{p.name}: a list of at most {MAX_ITEMS} values expected, got {_show(v)}")
        for item in v:
            _text(item, 100)
            if "," in item:
                raise Invalid(f"{p.name}: {_show(item)} is not one value")
        # values the release does not have are dropped by the page with a notice (they can come from an old
        # link); their type and form are what is checked here
        return
    if p.kind == "bool":
        if isinstance(v, bool):
            return
        if isinstance(v, list) and len(v) <= 5 and all(isinstance(x, str) and len(x) <= 20 for x in v):
            return  # a checklist used as a toggle
        raise Invalid(f"{p.name}: true/false expected, got {_show(v)}")
    if p.kind == "int" or (p.kind == "choice" and _is_int(v)):
        if not _is_int(v) and not isinstance(v, str):
            raise Invalid(f"{p.name}: a whole number expected, got {_show(v)}")
        raw = str(int(v)) if _is_int(v) else v
    else:
        raw = _text(v)
    if p.kind == "choice" and p.allowed() is None:
        return  # free text (a search box): any text without control characters
    value, notice = urlstate.parse_value(p, raw)
    if notice:
        raise Invalid(notice)


def _optional(check: Callable[[Any], None]) -> Callable[[Any], None]:
    def run(v: Any) -> None:
        if v is not None:
            check(v)
    return run


def _count(v: Any) -> None:
    if not _is_int(v) or not 0 <= v <= 10**9:
        raise Invalid(f"a count expected, got {_show(v)}")


def _object(v: Any) -> None:
    if not isinstance(v, dict):
        raise Invalid(f"an object expected, got {_show(v)}")


def _name(v: Any) -> None:
    if not isinstance(v, str) or not (v == "" or (len(v) <= 40 and v.replace("_", "").isalnum() and v.isascii())):
        raise Invalid(f"a column name expected, got {_show(v)}")


def _release_id(v: Any) -> None:
    """A release id as the warehouse makes them (20261129T150856Z-001), or empty (no release yet)."""
    if not isinstance(v, str) or not (v == "" or re.fullmatch(r"\d{8}T\d{6}Z-\d{3,6}", v)):
        raise Invalid(f"a release id expected, got {_show(v)}")


def _prefixed(v: Any, first: str, limit: int) -> None:
    """A URL's path ('/…') or query ('?…' or empty), as the browser's location gives it."""
    if _text(v, limit) and not v.startswith(first):
        raise Invalid(f"{_show(v)} does not start with {first!r}")


# Inputs that are not a page's URL setting: (component id, property) -> check of a non-None value.
EXTRA: dict[tuple[str, str], Callable[[Any], None]] = {
    ("_pages_location", "pathname"): _optional(lambda v: _prefixed(v, "/", 2000)),
    ("_pages_location", "search"): _optional(lambda v: _prefixed(v, "?", 4000)),
    (ids.Map.graph, "clickData"): _optional(_object),  # views.map.compare_link reads only known keys
    (ids.Data.prev, "n_clicks"): _optional(_count),
    (ids.Data.next, "n_clicks"): _optional(_count),
    (ids.Data.pages, "data"): _optional(_count),
    (ids.Data.filter_col, "value"): _optional(_name),
    (ids.Data.filter_text, "value"): _optional(lambda v: _text(v, 100)),
    (ids.FirstRun.poll, "n_intervals"): _optional(_count),
    (ids.FirstRun.seen, "data"): _optional(lambda v: _release_id(v)),
}


_cache: dict[str, dict] = {}


def declared_checks() -> dict[tuple[str, str], Callable[[Any], None]]:
    """Every declared input: the pages' controls (checked as their URL settings, with the current release's
    allowed values) and EXTRA. Built once per release (the pages' settings and their choices follow it)."""
    from . import data_access

    data = data_access.current()
    key = data.key if data else ""
    found = _cache.get(key)
    if found is None:
        found = _build_checks()
        _cache.clear()
        _cache[key] = found
    return found


def _build_checks() -> dict[tuple[str, str], Callable[[Any], None]]:
    out = dict(EXTRA)
    for module, cls in PAGES.items():
        views = importlib.import_module(f"dashboard.views.{module}")
        by_name = {k.rstrip("_"): v for k, v in vars(cls).items() if not k.startswith("__")}
        for p in views.params():
            cid = by_name.get(p.name)
            if cid is not None:
                out[(cid, "value")] = (lambda v, p=p: check_param(p, v))
    return out


# ---- the body ----------------------------------------------------------------------------------------------

def declared_outputs(key: str) -> list[tuple[str, str]]:
    """'..a.b...c.d..' (several outputs) or 'a.b' -> [('a', 'b'), ('c', 'd')]."""
    parts = key[2:-2].split("...") if key.startswith("..") and key.endswith("..") else [key]
    return [tuple(p.rpartition(".")[::2]) for p in parts]  # type: ignore[misc]


def _pairs(items: Any, declared: list[dict], what: str, checks) -> None:
    if not isinstance(items, list) or len(items) != len(declared):
        raise Invalid(f"{what}: {len(declared)} item(s) expected")
    for item, dep in zip(items, declared):
        if not isinstance(item, dict) or item.get("id") != dep["id"] or item.get("property") != dep["property"]:
            raise Invalid(f"{what}: {dep['id']}.{dep['property']} expected, got {_show(item)}")
        check = checks.get((dep["id"], dep["property"]))
        if check is None:
            raise Invalid(f"{dep['id']}.{dep['property']}: an input no check is declared for")
        try:
            check(item.get("value"))
        except Invalid as e:
            raise Invalid(f"{dep['id']}.{dep['property']}: {e}") from None


def validate(body: Any, callback_map: dict, checks=None) -> None:
    """Raise Invalid unless `body` is a well-formed call of a declared server callback."""
    if not isinstance(body, dict):
        raise Invalid("the body is not a JSON object")
    key = body.get("output")
    cb = callback_map.get(key) if isinstance(key, str) else None
    if cb is None or cb.get("callback") is None:
        raise Invalid(f"no server callback has the output {_show(key)}")
    outs = body.get("outputs")
    outs = outs if isinstance(outs, list) else [outs]
    want = declared_outputs(key)
    got = [(o.get("id"), o.get("property")) if isinstance(o, dict) else None for o in outs]
    if got != [tuple(w) for w in want]:
        raise Invalid("outputs: not the callback's outputs")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or len(changed) > MAX_CHANGED or not all(
            isinstance(c, str) and len(c) <= 200 for c in changed):
        raise Invalid("changedPropIds: a short list of 'id.property' expected")
    if "lang" in body and body["lang"] not in LANGS:  # the page's language, added by the renderer (i18n.py)
        raise Invalid(f"lang: one of {', '.join(LANGS)}")
    checks = declared_checks() if checks is None else checks
    _pairs(body.get("inputs"), cb["inputs"], "inputs", checks)
    _pairs(body.get("state", []), cb["state"], "state", checks)


def install(app) -> None:
    """Check every callback body before Dash dispatches it."""
    server = app.server

    @server.before_request
    def check_callback_body():
        if request.method != "POST" or not request.path.endswith(ENDPOINT_SUFFIX):
            return None
        raw = request.get_data(cache=True)  # past the body limit: 413 (security.py), also for a chunked body
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        try:
            validate(body, app.callback_map)
        except Invalid as e:
            resp = Response(f"Bad callback request: {e}\n", status=400, mimetype="text/plain")
            resp.headers["Cache-Control"] = "no-store"
            return resp
        return None
