"""The dashboard serves a partial plotly.js bundle: it must be the plotly.js version the Python
plotly package was built against, and hold every trace type the chart builders draw."""
import re
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dashboard" / "assets" / "vendor" / "plotly-borderstats.min.js"
TRACE_TYPES = {name.lower() for name in dir(go)
               if isinstance(getattr(go, name), type) and issubclass(getattr(go, name), BaseTraceType)}


def registered_traces() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text(encoding="utf-8")))


def used_traces(root: Path) -> set[str]:
    """Trace types named in Python code: go.Bar(...) or a dict with "type": "bar"."""
    used = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= {name.lower() for name in re.findall(r"\bgo\.(\w+)\(", text)}
        used |= set(re.findall(r'"type":\s*"(\w+)"', text))
    return used & TRACE_TYPES


def test_bundle_is_the_plotly_js_version_of_the_python_package():
    banner = BUNDLE.read_text(encoding="utf-8")[:200]
    assert f"plotly.js v{get_plotlyjs_version()} " in banner


def test_bundle_registers_every_trace_type_the_charts_use():
    used = used_traces(ROOT / "dashboard")
    assert {"scatter", "bar", "scattergeo"} <= used  # the scan does find what the charts draw
    missing = used - registered_traces()
    assert not missing, f"rebuild tools/plotly-bundle with these traces: {sorted(missing)}"


def test_a_chart_with_a_new_trace_type_is_caught(tmp_path):
    (tmp_path / "chart.py").write_text('fig = go.Heatmap(z=[[1]])\nt = {"type": "pie"}\n')
    assert used_traces(tmp_path) - registered_traces() == {"heatmap", "pie"}
