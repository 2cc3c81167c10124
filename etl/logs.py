"""Log lines for people (text) or for machines (one JSON object per line), with structured fields.

Pass fields with `extra={"event": "refresh.end", "release": ...}`: text lines show them as
key=value after the message, JSON lines as keys of the object.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def _fields(record: logging.LogRecord) -> dict:
    return {k: v for k, v in vars(record).items() if k not in STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        out.update(_fields(record))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _fields(record)
        if fields:
            line += " " + " ".join(f"{k}={json.dumps(v, ensure_ascii=False, default=str)}" for k, v in fields.items())
        return line


class StderrHandler(logging.StreamHandler):
    """A handler that writes to whatever sys.stderr is when a record is emitted, not the stream it was made with:
    a background thread (the release warm-up) may log after that stream was closed and replaced, as pytest does
    for each test, which printed "ValueError: I/O operation on closed file" from logging.emit."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.__init__ and setStream assign it; sys.stderr wins
        pass


def configure_logging(verbose: bool = False, fmt: str = "text") -> None:
    """Log to stderr as text lines, or with fmt="json" one JSON object per line."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger("borderstats")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in ("etl", "etl.fetch", "apscheduler"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [handler]
        quiet = name == "apscheduler" and not verbose  # its "job added/executed" lines repeat ours
        lg.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
        lg.propagate = False
