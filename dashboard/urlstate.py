"""A page's state in the URL query string: parsed and validated on the way in, canonical on the way out.

Every control of a page is a :class:`Param`. ``parse(query, params)`` turns the query
values Dash Pages passes to ``layout(**query)`` into a state, replacing each bad value
(unknown id, reversed dates, a 10,000-character string, a script tag) with its default
and a notice for the page. ``to_query(state, params)`` writes the state back as the
canonical query string (the address bar, the export panel, embeds and image footers):

- a setting whose default depends on the data (``Param(pin=True)``: the latest year, an
  open-ended date range, a default selection) is always written, resolved to the value it
  shows now (``resolve``), so a link keeps showing the same view after the next refresh;
- a setting that chose to follow the data (``year=latest``, ``to=latest``; ``Param(latest=True)``
  accepts it) is written as ``latest``;
- any other setting is written only when it differs from its (fixed) default.
Notices quote at most a few characters of the bad value, and the page shows them as
text, never as HTML. They are in the reader's language (``Param.label`` is marked with ``N_`` where the params are
declared and translated here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence
from urllib.parse import urlencode

from dashboard import i18n
from dashboard.i18n import _

MAX_VALUE_CHARS = 400
LATEST = "latest"  # the value of a setting that follows the latest data (year=latest, to=latest)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "choice", "multi", "month", "int", "bool"
    default: Any
    choices: Sequence[str] | Callable[[], Sequence[str]] | None = None  # allowed values (or a function giving them)
    min_items: int = 0
    max_items: int = 50
    minimum: int | None = None
    maximum: int | None = None
    label: str = ""
    pin: bool = False  # the default depends on the data: always written explicitly in the canonical query
    latest: bool = False  # accepts LATEST ("follow the latest data"), which means the default at view time
    resolve: Callable[[dict], Any] | None = None  # the value a None default shows for a state (an open range's end)

    def allowed(self) -> Sequence[str] | None:
        return self.choices() if callable(self.choices) else self.choices


@dataclass
class Parsed:
    state: dict
    notices: list[str] = field(default_factory=list)


def _show(value: str) -> str:
    text = re.sub(r"\s+", " ", str(value))
    return text[:24] + "…" if len(text) > 24 else text


_MONTH = re.compile(r"(19|20)[0-9][0-9]-(0[1-9]|1[0-2])")  # matched in full (fullmatch), ASCII digits only


def parse_value(p: Param, raw: str) -> tuple[Any, str | None]:
    """(value, None) or (default, notice)."""
    label = _(p.label) if p.label else p.name
    if len(raw) > MAX_VALUE_CHARS:
        return p.default, _("{label}: a value of {n} characters was ignored").format(label=label, n=i18n.number(len(raw)))
    if p.latest and raw == LATEST:
        return LATEST, None
    allowed = p.allowed()
    if p.kind == "choice":
        if allowed is not None and raw not in allowed:
            return p.default, _("{label}: unknown value “{value}” was ignored").format(label=label, value=_show(raw))
        return raw, None
    if p.kind == "multi":
        items = [x for x in raw.split(",") if x != ""]
        unknown = [x for x in items if allowed is not None and x not in allowed]
        items = list(dict.fromkeys(x for x in items if x not in unknown))
        notice = None
        if unknown:
            notice = _("{label}: unknown value(s) {values} ignored").format(
                label=label, values=", ".join("“" + _show(u) + "”" for u in unknown[:3]))
        if len(items) > p.max_items:
            items = items[: p.max_items]
            notice = _("{label}: only the first {n} are shown").format(label=label, n=p.max_items)
        if len(items) < p.min_items:
            return p.default, _("{notice}; showing the default").format(
                notice=notice or _("{label}: at least {n} needed").format(label=label, n=p.min_items))
        return items, notice
    if p.kind == "month":
        if not _MONTH.fullmatch(raw):
            return p.default, _("{label}: “{value}” is not a month (YYYY-MM)").format(label=label, value=_show(raw))
        return raw, None
    if p.kind == "int":
        if not re.fullmatch(r"-?[0-9]{1,9}", raw):
            return p.default, _("{label}: “{value}” is not a whole number").format(label=label, value=_show(raw))
        value = int(raw)
        if (p.minimum is not None and value < p.minimum) or (p.maximum is not None and value > p.maximum):
            return p.default, _("{label}: {value} is out of range ({low}–{high})").format(
                label=label, value=value, low=p.minimum, high=p.maximum)
        return value, None
    if p.kind == "bool":
        if raw not in ("0", "1", "true", "false"):
            return p.default, _("{label}: “{value}” is not 0 or 1").format(label=label, value=_show(raw))
        return raw in ("1", "true"), None
    raise ValueError(f"unknown param kind {p.kind}")


def parse(query: dict, params: Sequence[Param], *, ranges: Sequence[tuple[str, str]] = ()) -> Parsed:
    """Validate every known parameter; unknown parameters are ignored with a notice.

    `ranges` names (start, end) month parameters: reversed ones are swapped, with a notice.
    """
    by_name = {p.name: p for p in params}
    out = Parsed({p.name: p.default for p in params})
    for key, raw in query.items():
        if isinstance(raw, list):  # ?a=1&a=2: keep the last
            raw = raw[-1] if raw else ""
        raw = str(raw)
        p = by_name.get(key)
        if p is None and key == i18n.PARAM:  # the language: every page's, read by i18n.py
            continue
        if p is None:
            if len(out.notices) < 10:
                out.notices.append(_("unknown setting “{name}” was ignored").format(name=_show(key)))
            continue
        value, notice = parse_value(p, raw)
        out.state[key] = value
        if notice:
            out.notices.append(notice)
    for start, end in ranges:
        a, b = out.state.get(start), out.state.get(end)
        if a and b and LATEST not in (a, b) and a > b:
            out.state[start], out.state[end] = b, a
            out.notices.append(_("the dates were reversed ({start} after {end}); swapped").format(
                start=_show(a), end=_show(b)))
    return out


def to_query(state: dict, params: Sequence[Param]) -> str:
    """'?a=1&b=x,y' in the params' order ('' when nothing is written): every pinned (data-dependent)
    setting, resolved; LATEST where a setting follows the data; other settings when not their default."""
    pairs = []
    for p in params:
        value = state.get(p.name, p.default)
        if value == LATEST and p.latest:
            pairs.append((p.name, LATEST))
            continue
        if p.pin:
            if value is None and p.resolve is not None:
                value = p.resolve(state)
            if value is None or value == "" or value == []:
                continue
        elif value == p.default or value is None:
            continue
        if p.kind == "multi":
            value = ",".join(value)
        elif p.kind == "bool":
            value = "1" if value else "0"
        pairs.append((p.name, str(value)))
    return i18n.with_lang("?" + urlencode(pairs, safe=",") if pairs else "")  # a link keeps its language


def follows_latest(state: dict, params: Sequence[Param]) -> list[Param]:
    """The settings of a state that follow the latest data (LATEST)."""
    return [p for p in params if p.latest and state.get(p.name) == LATEST]


def concrete(state: dict, params: Sequence[Param]) -> dict:
    """The state to draw: LATEST replaced by the setting's default (which is the latest data at view time)."""
    return {**state, **{p.name: p.default for p in follows_latest(state, params)}}


def state_from_controls(params: Sequence[Param], values: Sequence[Any]) -> dict:
    """The state as controls report it (None from a cleared control means the default)."""
    state = {}
    for p, v in zip(params, values):
        if v in (None, "", []):
            v = p.default
        if p.kind == "bool" and isinstance(v, list):  # a checklist used as a toggle
            v = bool(v)
        state[p.name] = v
    return state
