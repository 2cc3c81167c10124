"""Malformed Dash callback bodies answer 400, never 500: every server callback of every page, fuzzed from the
app's own callback map, beside the real body each page sends (which still answers 200)."""
from __future__ import annotations

import json

import dash
import pytest

from dashboard import callback_guard
from tests.support.dashapp import declare_callbacks_again, fixture_app

URL = "/_dash-update-component"


_declare_callbacks_again = declare_callbacks_again  # the name other test modules import


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return fixture_app(tmp_path_factory.mktemp("guard"))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _components(node, out):
    """Every component of a layout tree by id."""
    if isinstance(node, (list, tuple)):
        for n in node:
            _components(n, out)
        return out
    if not hasattr(node, "to_plotly_json"):
        return out
    cid = getattr(node, "id", None)
    if isinstance(cid, str):
        out[cid] = node
    _components(getattr(node, "children", None), out)
    for attr in ("label",):
        _components(getattr(node, attr, None), out)
    return out


def _layout_values() -> dict[tuple[str, str], object]:
    """The initial value of every component property that some page's layout sets (what the browser sends
    first)."""
    values = {("_pages_location", "pathname"): "/", ("_pages_location", "search"): ""}
    for page in dash.page_registry.values():
        layout = page["layout"]
        tree = layout() if callable(layout) else layout
        for cid, comp in _components(tree, {}).items():
            for prop, v in comp.to_plotly_json()["props"].items():
                if prop not in ("children", "id"):
                    values[(cid, prop)] = v
    return values


def server_callbacks(app) -> dict[str, dict]:
    return {k: v for k, v in app.callback_map.items() if v.get("callback") is not None}


def body_for(key: str, cb: dict, values: dict) -> dict:
    outs = [{"id": i, "property": p} for i, p in callback_guard.declared_outputs(key)]

    def items(deps):
        return [{"id": d["id"], "property": d["property"], "value": values.get((d["id"], d["property"]))}
                for d in deps]
    return {"output": key, "outputs": outs if key.startswith("..") else outs[0], "inputs": items(cb["inputs"]),
            "state": items(cb["state"]), "changedPropIds": []}


def post(client, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_every_callback_input_is_declared(app):
    checks = callback_guard.declared_checks()
    missing = [(d["id"], d["property"]) for cb in server_callbacks(app).values() for d in cb["inputs"] + cb["state"]
               if (d["id"], d["property"]) not in checks]
    assert missing == []
    assert len(server_callbacks(app)) >= 10


def test_the_real_first_body_of_every_callback_passes(app, client):
    values = _layout_values()
    for key, cb in server_callbacks(app).items():
        if cb.get("raw_inputs") is not None and key == "map-nav.href":
            continue  # a click on the map: no initial call
        resp = post(client, body_for(key, cb, values))
        assert resp.status_code in (200, 204), (key, resp.status_code, resp.get_data(as_text=True)[:300])


# values of the wrong type or outside what a control offers
WRONG_VALUES = [
    "zzz", 7, 3.5, -1, True, [], ["zzz"], [1, 2], {"a": 1}, "x" * 5000, "2016-01\n", "<script>", [["nested"]],
    "\x00", 10**12, ["a,b"],
]


def malformed_bodies(app, values):
    """(label, body) pairs: for every server callback, each input replaced by each wrong value, then inputs
    left out, reordered, renamed, and bodies that are not a callback call at all."""
    for key, cb in server_callbacks(app).items():
        good = body_for(key, cb, values)
        for i, dep in enumerate(cb["inputs"] + cb["state"]):
            part, j = ("inputs", i) if i < len(cb["inputs"]) else ("state", i - len(cb["inputs"]))
            for bad in WRONG_VALUES:
                body = json.loads(json.dumps(good))
                body[part][j]["value"] = bad
                yield f"{key} {dep['id']}={bad!r:.30}", body
        body = json.loads(json.dumps(good))
        body["inputs"] = body["inputs"][:-1]
        yield f"{key} an input left out", body
        body = json.loads(json.dumps(good))
        body["inputs"] = list(reversed(body["inputs"]))
        if len(body["inputs"]) > 1:
            yield f"{key} inputs reversed", body
        body = json.loads(json.dumps(good))
        body["inputs"][0]["id"] = "no-such-control"
        yield f"{key} an unknown component", body
        body = json.loads(json.dumps(good))
        body["inputs"] = {"not": "a list"}
        yield f"{key} inputs not a list", body
        body = json.loads(json.dumps(good))
        body["outputs"] = []
        yield f"{key} no outputs", body
        body = json.loads(json.dumps(good))
        del body["inputs"]
        yield f"{key} no inputs", body
        body = json.loads(json.dumps(good))
        body["changedPropIds"] = "x"
        yield f"{key} changedPropIds not a list", body
    clientside = next(k for k, v in app.callback_map.items() if v.get("callback") is None)
    for label, body in [("not JSON", "{bad"), ("JSON list", "[1, 2]"), ("JSON string", '"x"'), ("empty", ""),
                        ("unknown output", {"output": "nothing.here", "inputs": [], "state": []}),
                        ("output a number", {"output": 5, "inputs": []}),
                        ("a clientside callback", {"output": clientside, "outputs": [], "inputs": []})]:
        yield label, body


def test_malformed_callback_bodies_answer_400_never_500(app, client):
    values = _layout_values()
    cases = list(malformed_bodies(app, values))
    assert len(cases) >= 150
    statuses = {}
    for label, body in cases:
        resp = post(client, body)
        statuses.setdefault(resp.status_code, []).append(label)
        assert resp.status_code < 500, (label, resp.status_code)
    # everything malformed is refused, except a wrong value that is still of the control's type and allowed
    # (e.g. a free-text box given "zzz"): those are answered normally
    assert len(statuses.get(400, [])) >= 0.8 * len(cases), {k: len(v) for k, v in statuses.items()}
    assert set(statuses) <= {200, 204, 400}, {k: v[:5] for k, v in statuses.items()}


@pytest.mark.parametrize("value", ["zzz", 3, ["component"], None])
def test_an_unknown_breakdown_is_a_400_not_a_keyerror(app, client, value):
    values = _layout_values()
    key = next(k for k, v in server_callbacks(app).items()
               if any(d["id"] == "enc-breakdown" for d in v["inputs"]))
    body = body_for(key, server_callbacks(app)[key], values)
    for item in body["inputs"]:
        if item["id"] == "enc-breakdown":
            item["value"] = value
    resp = post(client, body)
    assert resp.status_code == (200 if value is None else 400), resp.get_data(as_text=True)[:300]
    if value is not None:
        assert "breakdown" in resp.get_data(as_text=True).lower()


def test_a_month_with_a_trailing_newline_is_refused(app, client):
    values = _layout_values()
    key = next(k for k, v in server_callbacks(app).items() if any(d["id"] == "vio-from" for d in v["inputs"]))
    body = body_for(key, server_callbacks(app)[key], values)
    for item in body["inputs"]:
        if item["id"] == "vio-from":
            item["value"] = "2016-01\n"
    assert post(client, body).status_code == 400
