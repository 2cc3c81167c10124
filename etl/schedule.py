"""`borderstats schedule`: refresh on cron schedules in one long-lived process (APScheduler).

- Each source refreshes on its own `schedule` from the registry (one publisher monthly after mid-month, another
  weekly, ...), or every selected source on one `--cron` line. Sources due at the same time refresh
  together, in one run and one release.
- Runs never overlap: one worker thread runs them in turn, and every run takes the same lock as
  `borderstats refresh`, so a refresh started by hand meanwhile makes the scheduled one skip (logged).
- SIGTERM or Ctrl-C: no new run starts; a run in progress finishes and is published, then the process
  exits 0. A second signal abandons the run at once: the release being written is a hidden folder
  that never becomes current, and the next run removes it.
- Every run is logged as structured lines (event=refresh.start / refresh.end / refresh.skipped /
  source.failing), as JSON with --log-format json.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import pipeline
from .errors import EtlError, LockedError
from .registry import Registry
from .status import status

log = logging.getLogger("borderstats")
DEFAULT_CRON = "0 6 * * *"


@dataclass(frozen=True)
class Group:
    """Sources refreshed together on one trigger."""
    label: str  # the cron line, or "every N s"
    sources: tuple[str, ...]
    trigger: object


def _cron(expr: str, where: str):
    from apscheduler.triggers.cron import CronTrigger

    try:
        return CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as e:
        raise EtlError(f"{where}: “{expr}” is not a cron line (minute hour day month weekday): {e}") from None


def plan(registry: Registry, sources: list[str] | None, *, cron: str | None = None,
         every: float | None = None) -> list[Group]:
    selected = registry.select(sources)
    if every is not None:
        from apscheduler.triggers.interval import IntervalTrigger

        if every <= 0:
            raise EtlError("--every: a positive number of seconds")
        return [Group(f"every {every:g} s", tuple(s.id for s in selected), IntervalTrigger(seconds=every))]
    if cron:
        return [Group(cron, tuple(s.id for s in selected), _cron(cron, "--cron"))]
    by_expr: dict[str, list[str]] = {}
    for s in selected:
        by_expr.setdefault(s.schedule or DEFAULT_CRON, []).append(s.id)
    return [Group(expr, tuple(ids), _cron(expr, f"schedule of {', '.join(ids)}")) for expr, ids in by_expr.items()]


class Scheduler:
    def __init__(self, data_dir: Path, groups: list[Group], *, mirror: Path | None = None, http=None,
                 run_now: bool = False, failing_after: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.groups = groups
        self.mirror = mirror
        self.http = http
        self.run_now = run_now
        self.failing_after = failing_after
        self.stop = threading.Event()
        self.runs = 0

    # ------------------------------------------------------------------ one run

    def refresh(self, group: Group) -> None:
        if self.stop.is_set():
            log.info("refresh not started: stopping", extra={"event": "refresh.cancelled", "sources": list(group.sources)})
            return
        log.info("refresh started", extra={"event": "refresh.start", "trigger": group.label,
                                           "sources": list(group.sources)})
        t0 = time.monotonic()
        try:
            result = pipeline.run(self.data_dir, source_ids=list(group.sources), mirror=self.mirror, http=self.http)
        except LockedError as e:
            log.warning("refresh skipped: %s", e, extra={"event": "refresh.skipped", "sources": list(group.sources)})
            return
        except Exception as e:  # noqa: BLE001 - a scheduler must outlive any one run
            log.exception("refresh crashed: %s", e, extra={"event": "refresh.error", "sources": list(group.sources)})
            return
        finally:
            self.runs += 1
        log.info("refresh finished", extra={
            "event": "refresh.end", "trigger": group.label, "exit_code": result.exit_code,
            "published": result.published, "release": result.release.id if result.release else None,
            "seconds": round(time.monotonic() - t0, 2),
            "sources": {sid: o.status for sid, o in result.outcomes.items()},
            "errors": {sid: o.error for sid, o in result.outcomes.items() if o.error},
        })
        if result.published:
            from .changes import load

            rep = load(result.release) or {}
            for table, t in (rep.get("tables") or {}).items():
                log.info("changes in %s", table, extra={
                    "event": "release.changes", "release": result.release.id, "table": table,
                    "added": t["added"], "removed": t["removed"], "changed": t["changed"],
                    "new_periods": t["new_periods"][-12:], "revised_figures": t["revisions_total"]})
        st = status(self.data_dir, failing_threshold=self.failing_after)
        for sid in group.sources:
            s = st["sources"].get(sid, {})
            if s.get("failing"):
                log.error("source failing: %s refreshes in a row failed; its last good data (%s days old) keeps "
                          "serving", s["consecutive_failures"], s.get("age_days"),
                          extra={"event": "source.failing", "source": sid, "error": s.get("error"),
                                 "consecutive_failures": s["consecutive_failures"], "age_days": s.get("age_days")})

    # ------------------------------------------------------------------ the process

    def _on_signal(self, signum, frame) -> None:
        name = signal.Signals(signum).name
        if self.stop.is_set():
            log.warning("%s again: abandoning the current refresh; the release it was writing is discarded", name,
                        extra={"event": "scheduler.abandon"})
            logging.shutdown()
            os._exit(128 + signum)
        self.stop.set()
        log.info("%s: stopping; a refresh in progress finishes first (send it again to abandon it)", name,
                 extra={"event": "scheduler.stopping"})

    def run(self, *, max_runs: int | None = None) -> int:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        sched = BackgroundScheduler(executors={"default": ThreadPoolExecutor(1)}, timezone="UTC",
                                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
        for i, g in enumerate(self.groups):
            sched.add_job(self.refresh, g.trigger, args=[g], id=f"group-{i}", name=g.label)
        if self.run_now:
            from datetime import datetime, timezone

            for i, g in enumerate(self.groups):
                sched.add_job(self.refresh, "date", args=[g], id=f"now-{i}", name=f"now: {g.label}",
                              run_date=datetime.now(timezone.utc))
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        sched.start()
        for job in sched.get_jobs():
            if job.id.startswith("group-"):
                log.info("scheduled %s", job.name, extra={
                    "event": "scheduler.job", "trigger": job.name, "sources": list(job.args[0].sources),
                    "next_run": job.next_run_time.isoformat() if job.next_run_time else None})
        try:
            while not self.stop.wait(0.5):
                if max_runs is not None and self.runs >= max_runs:
                    self.stop.set()
        finally:
            sched.shutdown(wait=True)  # lets a running refresh finish
            for s, handler in previous.items():
                signal.signal(s, handler)
        log.info("scheduler stopped after %d run(s)", self.runs, extra={"event": "scheduler.stopped"})
        return 0
