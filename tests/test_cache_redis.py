"""Two app servers (gunicorn, one worker each, on two loopback ports) share one data folder and one Redis
(BORDERSTATS_CACHE_URL): they answer the same, an answer cached by one is served by the other, and both move to a
new release. Needs a Redis on 127.0.0.1:6379 (`.ci/run` starts one); skipped, saying so, when none answers.
Uses its own Redis database (BORDERSTATS_TEST_REDIS_DB, default 13) and deletes only keys with its own prefix."""
from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from etl import pipeline
from tests.support.servers import stop

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_DB = int(os.environ.get("BORDERSTATS_TEST_REDIS_DB", "13"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
HEADER = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,"
          "Encounter Type,Encounter Count\n")


def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1.0, socket_timeout=2.0)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis answers on 127.0.0.1:6379 ({exc}); `.ci/run` starts one")
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as resp:
        return resp.read()


def health(base: str) -> dict:
    import json

    return json.loads(get(base + "/healthz"))


def healthz(base: str) -> str:
    return health(base)["release"]


def current_id(data_dir: Path) -> str:
    return (data_dir / "warehouse" / "CURRENT").read_text().strip()


@pytest.fixture
def servers(tmp_path):
    client = redis_client()
    if not GUNICORN.exists() and not shutil.which("gunicorn"):
        pytest.skip("gunicorn is not installed")
    prefix = f"borderstats-test-{uuid.uuid4().hex[:12]}:"
    data_dir = tmp_path / "data"
    pipeline.run(data_dir, source_ids=["reported_figures", "policy_events"])
    env = dict(os.environ, BORDERSTATS_DATA_DIR=str(data_dir), BORDERSTATS_CACHE_URL=REDIS_URL,
               BORDERSTATS_CACHE_PREFIX=prefix, BORDERSTATS_EXPORT_RATE="1000 per minute",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs, bases = [], []
    try:
        logs = []
        for i in range(2):
            port = free_port()
            logs.append(tmp_path / f"gunicorn-{i}.log")
            with logs[-1].open("wb") as log:
                procs.append(subprocess.Popen([str(GUNICORN if GUNICORN.exists() else "gunicorn"), "-w", "1",
                                               "--no-control-socket", "-b", f"127.0.0.1:{port}",
                                               "dashboard.wsgi:server"], cwd=ROOT, env=env,
                                              stdout=log, stderr=subprocess.STDOUT))
            bases.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 90
        for proc, base, log in zip(procs, bases, logs):
            while True:
                try:
                    healthz(base)
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise AssertionError(f"the server at {base} did not start:\n{log.read_text()[-3000:]}")
                    time.sleep(0.3)
        yield bases, data_dir, client, prefix
    finally:
        for proc in procs:
            stop(proc)
        keys = list(client.scan_iter(match=prefix + "*", count=500))
        if keys:
            client.delete(*keys)


def test_two_servers_share_one_redis_and_move_to_a_new_release_together(servers, tmp_path):
    from flask_caching.backends.rediscache import RedisCache

    bases, data_dir, client, prefix = servers
    first = current_id(data_dir)
    assert [healthz(b) for b in bases] == [first, first]

    # a view no server draws in its warm-up (each draws every page's default view once per release)
    url = "/embed/reported?percap=1"
    deadline = time.monotonic() + 120
    while not all(health(b)["warm"] for b in bases):  # the servers' warm-ups have written what they draw
        assert time.monotonic() < deadline, "the servers did not finish their warm-ups in 120 s"
        time.sleep(0.3)
    before = set(client.scan_iter(match=prefix + "answer:*", count=500))
    a = get(bases[0] + url)
    keys = [k.decode() for k in client.scan_iter(match=prefix + "answer:*", count=500)]
    assert keys and all(f":{first}." in k for k in keys)  # the release id is in every key
    view_keys = [k.decode() for k in set(client.scan_iter(match=prefix + "answer:*", count=500)) - before
                 if b":reported.view:" in k]
    assert len(view_keys) == 1  # the answer server A computed
    assert b"cached-answer-" not in a

    # the answer in Redis is what the second server (which has not drawn this chart) serves: change its text
    # alternative there, and it shows
    store = RedisCache(host=client)
    kind, parts = store.get(view_keys[0])
    assert kind == "tuple"
    alt = parts[1][1]
    marker = f"cached-answer-{uuid.uuid4().hex[:8]}"
    parts[1] = ("plain", marker)
    store.set(view_keys[0], (kind, parts))
    # the very embed A made is kept whole (the export store: Redis and the shared data folder), so B answers it
    # as A did; the same view at another height is an embed B builds, from the view's answer in Redis
    assert get(bases[1] + url) == a
    b = get(bases[1] + url + "&height=700")
    assert marker.encode() in b
    assert html.escape(alt).encode() in a and html.escape(alt).encode() not in b  # not computed: read from Redis
    # the two servers answer the same: a chart neither had drawn, asked of each
    assert get(bases[0] + "/embed/encounters") == get(bases[1] + "/embed/encounters")

    f = tmp_path / "sw.csv"
    f.write_text(HEADER + "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100\n")
    assert pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f]).published
    second = current_id(data_dir)
    assert second != first
    deadline = time.monotonic() + 60
    while True:
        seen = [healthz(b) for b in bases]
        assert set(seen) <= {first, second}
        if seen == [second, second] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert seen == [second, second]  # both moved to the new release
    fresh = get(bases[1] + "/embed/reported")
    assert marker.encode() not in fresh  # a new release never meets an old answer
    assert get(bases[0] + "/embed/reported") == fresh
    keys = [k.decode() for k in client.scan_iter(match=prefix + "answer:*", count=500)]
    assert any(f":{second}." in k and ":reported.view:" in k for k in keys)
