"""URL state: parsing hostile query values into defaults with notices, and canonical query strings."""
import pytest

from dashboard.urlstate import Param, parse, state_from_controls, to_query

CITIES = ["02004", "02002", "08037", "28027", "28022", "05025"]
PARAMS = [
    Param("cities", "multi", ["02004", "08037"], choices=CITIES, min_items=2, max_items=6, label="Cities"),
    Param("from", "month", "2019-01"),
    Param("to", "month", "2022-12"),
    Param("scale", "choice", "linear", choices=["linear", "log"]),
    Param("km", "int", 50, minimum=10, maximum=300),
    Param("percap", "bool", False),
]


def test_defaults_and_canonical_query():
    parsed = parse({}, PARAMS)
    assert parsed.notices == [] and parsed.state["cities"] == ["02004", "08037"]
    assert to_query(parsed.state, PARAMS) == ""
    state = dict(parsed.state, scale="log", cities=["02004", "02002", "28022"], percap=True)
    q = to_query(state, PARAMS)
    assert q == "?cities=02004,02002,28022&scale=log&percap=1"
    back = parse(dict(p.split("=") for p in q[1:].split("&")), PARAMS)
    assert back.state == state and back.notices == []


@pytest.mark.parametrize("query,key,expected", [
    ({"cities": "02004,99999"}, "cities", ["02004", "08037"]),  # one left: below the minimum
    ({"cities": "02004,02002,<script>alert(1)</script>"}, "cities", ["02004", "02002"]),
    ({"scale": "<img src=x onerror=alert(1)>"}, "scale", "linear"),
    ({"from": "2019-13"}, "from", "2019-01"),
    ({"km": "100000"}, "km", 50),
    ({"km": "ten"}, "km", 50),
    ({"percap": "maybe"}, "percap", False),
    ({"scale": "x" * 10_000}, "scale", "linear"),
])
def test_bad_values_fall_back_with_a_notice(query, key, expected):
    parsed = parse(query, PARAMS)
    assert parsed.state[key] == expected
    assert parsed.notices
    for n in parsed.notices:
        assert len(n) < 200  # a notice never echoes a long value


def test_reversed_dates_are_swapped():
    parsed = parse({"from": "2022-05", "to": "2019-02"}, PARAMS, ranges=[("from", "to")])
    assert (parsed.state["from"], parsed.state["to"]) == ("2019-02", "2022-05")
    assert any("reversed" in n for n in parsed.notices)


def test_unknown_parameters_are_reported_and_ignored():
    parsed = parse({"foo": "1", "cities": "02004,02002"}, PARAMS)
    assert parsed.state["cities"] == ["02004", "02002"] and "foo" in parsed.notices[0]


def test_too_many_items_are_cut():
    parsed = parse({"cities": ",".join(CITIES + CITIES)}, PARAMS)
    assert parsed.state["cities"] == CITIES[:6]


def test_state_from_controls_treats_cleared_controls_as_defaults():
    state = state_from_controls(PARAMS, [None, "2020-01", "", "log", 80, ["on"]])
    assert state == {"cities": ["02004", "08037"], "from": "2020-01", "to": "2022-12", "scale": "log", "km": 80,
                     "percap": True}


PINNED = [
    Param("cities", "multi", ["02004", "08037"], choices=CITIES, min_items=2, max_items=6, pin=True),
    Param("year", "choice", "2021", choices=["2019", "2020", "2021"], pin=True, latest=True),
    Param("to", "month", None, pin=True, latest=True, resolve=lambda s: "2024-06"),
    Param("km", "int", 50, minimum=10, maximum=300),
]


def test_data_dependent_settings_are_written_even_when_default():
    parsed = parse({"cities": "02004,08037", "year": "2021"}, PINNED)
    # the typed year equals today's default, yet is written: the next release may change the default
    assert to_query(parsed.state, PINNED) == "?cities=02004,08037&year=2021&to=2024-06"
    # a bare link gets the same canonical query: what it shows now, written out
    assert to_query(parse({}, PINNED).state, PINNED) == "?cities=02004,08037&year=2021&to=2024-06"
    assert to_query(dict(parsed.state, km=50), PINNED).count("km") == 0  # a fixed default stays implicit


def test_latest_follows_the_data_and_is_only_accepted_where_offered():
    from dashboard.urlstate import LATEST, concrete, follows_latest

    parsed = parse({"year": "latest", "to": "latest"}, PINNED)
    assert parsed.notices == [] and parsed.state["year"] == LATEST
    assert to_query(parsed.state, PINNED) == "?cities=02004,08037&year=latest&to=latest"
    assert [p.name for p in follows_latest(parsed.state, PINNED)] == ["year", "to"]
    assert concrete(parsed.state, PINNED)["year"] == "2021" and concrete(parsed.state, PINNED)["to"] is None
    bad = parse({"km": "latest", "cities": "latest"}, PINNED)
    assert bad.state["km"] == 50 and bad.state["cities"] == ["02004", "08037"] and len(bad.notices) == 2
    # a range ending at "latest" is not "reversed"
    assert parse({"from": "2022-01", "to": "latest"}, [Param("from", "month", None), PINNED[2]],
                 ranges=[("from", "to")]).notices == []


def test_notices_in_spanish_with_the_labels_translated():
    from dashboard import i18n

    params = PARAMS + [Param("to2", "month", None)]
    with i18n.using("es"):
        parsed = parse({"bogus": "1", "km": "100000", "cities": "02004", "from": "2022-05", "to2": "2019-01"}, params,
                       ranges=[("from", "to2")])
        q = to_query(dict(parsed.state, scale="log"), params)
    assert "se ignoró el ajuste desconocido «bogus»" in parsed.notices
    assert "km: 100000 está fuera del rango (10–300)" in parsed.notices
    assert "Ciudades: se necesitan al menos 2; se muestra el valor predeterminado" in parsed.notices  # label: N_
    assert "las fechas estaban invertidas (2022-05 después de 2019-01); se intercambiaron" in parsed.notices
    assert q.endswith("&lang=es") and "scale=log" in q
    english = parse({"bogus": "1"}, params)  # outside the block: English again
    assert english.notices == ["unknown setting “bogus” was ignored"]
