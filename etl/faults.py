"""Fault-injection points for the test suite (tests/test_faults.py).

BORDERSTATS_FAULT="point:action[,point:action...]" makes a refresh kill itself (action "kill", a
SIGKILL: no cleanup runs) or pause ("sleep=SECONDS") when it reaches a named point:

  locked     the refresh lock is held, nothing read yet
  fetched    a source's files are downloaded or copied into raw/ (before parsing)
  parsed     a source's files are parsed and validated as frames
  validated  the new tables passed the table contract (before any release file is written)
  written    the release's tables are written in its hidden folder (before manifest and rename)
  renamed    the release folder is in place, CURRENT not yet switched
  published  CURRENT names the new release, the refresh state not yet saved

Unset (always, outside tests) each point costs one dictionary lookup.
"""
from __future__ import annotations

import os
import signal
import time

POINTS = ("locked", "fetched", "parsed", "validated", "written", "renamed", "published")


def point(name: str) -> None:
    spec = os.environ.get("BORDERSTATS_FAULT")
    if not spec:
        return
    for item in spec.split(","):
        where, _, action = item.strip().partition(":")
        if where != name:
            continue
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action.startswith("sleep="):
            time.sleep(float(action.removeprefix("sleep=")))
