"""Logging to stderr (etl/logs.py)."""
from __future__ import annotations

import io
import logging
import sys

from etl.logs import configure_logging


def test_a_log_line_goes_to_the_stderr_of_the_moment_even_after_the_old_one_was_closed(monkeypatch):
    """A background thread (the release warm-up) may log after the stderr it started with was closed and
    replaced, as pytest does for each test; that once printed "ValueError: I/O operation on closed file"."""
    root = logging.getLogger("borderstats")
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # restored after the test
    monkeypatch.setattr(root, "level", root.level)
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging()
    log = logging.getLogger("borderstats.test")
    log.warning("to the first")
    assert "to the first" in first.getvalue()
    first.close()
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    failures = []
    monkeypatch.setattr(logging, "raiseExceptions", True)
    monkeypatch.setattr(logging.Handler, "handleError", lambda self, record: failures.append(record))
    log.warning("to the second")
    assert failures == []
    assert "to the second" in second.getvalue()
