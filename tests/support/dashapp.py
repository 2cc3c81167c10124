"""One app over the fixture release for a test module, with every callback of the dashboard declared."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from tests.support.release import fixture_release

CALLBACK_MODULES = ["dashboard.views." + m for m in ("encounters", "compare", "map", "reported", "violence", "data",
                                                     "shell")] + ["dashboard.export.panel", "dashboard.first_run"]


def declare_callbacks_again() -> None:
    """Dash hands the callbacks the modules declare at import to the first app of the process that serves a
    request. When an earlier test module's app took them, declare them again (reload the modules) so that this
    module's app has every callback, as the one app of a real process has."""
    import dash._callback as dash_callbacks

    if any(k.startswith("..enc-graph.figure") for k in dash_callbacks.GLOBAL_CALLBACK_MAP):
        return  # not taken yet
    for name in CALLBACK_MODULES:
        if name in sys.modules:
            importlib.reload(sys.modules[name])


def fixture_app(root: Path):
    """The app over a fresh fixture release under `root` (its data folder as `app.data_dir`), callback map set up."""
    from dashboard.app import create_app

    declare_callbacks_again()
    app = create_app(fixture_release(root / "data", root / "mirror"))
    app.server.test_client().get("/")  # Dash sets up its callback map on the first request
    app.data_dir = root / "data"
    return app
