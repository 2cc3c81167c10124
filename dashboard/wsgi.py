"""WSGI entry point for production (docs/dashboard.md):
gunicorn -k gthread -w 2 --threads 16 -b 127.0.0.1:8050 --timeout 120 dashboard.wsgi:server

Before anything allocates, glibc is asked for at most `MALLOC_ARENAS` memory arenas (``mallopt(M_ARENA_MAX)``,
what ``MALLOC_ARENA_MAX`` in the environment does): by default each of the 16 threads of a worker may get an arena
of its own, and a worker's resident memory grows with them (measured with benchmarks/load.py: see
docs/benchmarks.md). A ``MALLOC_ARENA_MAX`` set in the environment is left to glibc.

$BORDERSTATS_NO_FETCH=1 turns off the first-run refresh, $BORDERSTATS_MIRROR=DIR makes it read a folder; of the two
workers, the one that takes the refresh lock runs it and both show its progress.
"""
import ctypes
import os

MALLOC_ARENAS = 2
M_ARENA_MAX = -8  # glibc's malloc.h


def _limit_arenas() -> None:
    if os.environ.get("MALLOC_ARENA_MAX"):
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    except (OSError, AttributeError):  # not glibc
        pass


_limit_arenas()

from .app import create_app  # noqa: E402 (after the allocator setting)

app = create_app()
server = app.server
