"""Bounded image rendering: at most ``BORDERSTATS_RENDER_CONCURRENCY`` images drawn at once per worker process
(default 1: Chromium takes a core per image, and this is a 2-core machine with 2 workers), at most
``BORDERSTATS_RENDER_QUEUE`` more waiting (default 3). Identical requests in flight are drawn once: the later
ones (at most ``FOLLOWERS``) wait for the first's bytes without taking a place in the queue. A request past
these bounds, or one that waited longer than ``WAIT_SECONDS`` for its turn, raises ``Busy`` (the route answers
503 with ``Retry-After``) instead of tying up another server thread.

Why this keeps pages and /healthz answering: with gunicorn's threaded workers (``-k gthread --threads 16``, the
production command in docs/dashboard.md) at most concurrency + queue + FOLLOWERS threads of a worker (12 of 16
by default) are ever inside this module; the others keep serving pages, callbacks and health checks.
"""
from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import Future
from typing import Callable

CONCURRENCY_ENV = "BORDERSTATS_RENDER_CONCURRENCY"
QUEUE_ENV = "BORDERSTATS_RENDER_QUEUE"
CONCURRENCY, QUEUE = 1, 3
FOLLOWERS = 8
WAIT_SECONDS = 30.0


class Busy(RuntimeError):
    """Too many images being drawn or waiting: try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _setting(name: str, default: int, low: int, high: int) -> int:
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name}={raw[:12]!r}: a whole number from {low} to {high}")
    return int(raw)


class RenderPool:
    def __init__(self, concurrency: int = CONCURRENCY, queue: int = QUEUE, wait: float = WAIT_SECONDS,
                 followers: int = FOLLOWERS) -> None:
        self.concurrency, self.queue, self.wait, self.followers = concurrency, queue, wait, followers
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._inside = 0  # threads drawing or waiting for a slot
        self._following = 0  # threads waiting for an identical image another thread draws
        self._flights: dict[str, Future] = {}
        self._seconds = 1.0  # a moving average of one image's time, for Retry-After

    def retry_after(self) -> int:
        return max(1, math.ceil(self._seconds * (self.queue + self.concurrency) / self.concurrency))

    def run(self, key: str, draw: Callable[[], bytes]) -> bytes:
        """`draw()`'s bytes, drawn within the bounds; `key` names the image (identical keys are drawn once)."""
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader and self._inside >= self.concurrency + self.queue:
                raise Busy(f"{self._inside} images are being drawn or waiting", self.retry_after())
            if not leader and self._following >= self.followers:
                raise Busy(f"{self._following} requests are waiting for images being drawn", self.retry_after())
            if leader:
                self._inside += 1
                flight = self._flights[key] = Future()
            else:
                self._following += 1
        try:
            if not leader:
                return flight.result(timeout=self.wait + 120)
            try:
                body = self._draw(draw)
            except BaseException as e:
                flight.set_exception(e)
                raise
            flight.set_result(body)
            return body
        finally:
            with self._lock:
                if leader:
                    self._inside -= 1
                    if self._flights.get(key) is flight:
                        del self._flights[key]
                else:
                    self._following -= 1

    def _draw(self, draw: Callable[[], bytes]) -> bytes:
        if not self._slots.acquire(timeout=self.wait):
            raise Busy(f"no renderer free within {self.wait:.0f} s", self.retry_after())
        try:
            start = time.monotonic()
            body = draw()
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - start)
            return body
        finally:
            self._slots.release()


_shared: RenderPool | None = None
_shared_lock = threading.Lock()


def shared() -> RenderPool:
    """The worker process's pool, sized from the environment on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RenderPool(_setting(CONCURRENCY_ENV, CONCURRENCY, 1, 8), _setting(QUEUE_ENV, QUEUE, 0, 64))
        return _shared


def reset() -> None:
    """Forget the pool (tests change the settings)."""
    global _shared
    with _shared_lock:
        _shared = None
