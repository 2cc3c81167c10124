"""The production server as docs/dashboard.md starts it (gunicorn, threaded workers), on a loopback port, and
nginx with the documented configuration in front of it. Used by tests/test_nginx.py and benchmarks/load.py."""
from __future__ import annotations

import getpass
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "dashboard.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn() -> str | None:
    local = Path(sys.executable).with_name("gunicorn")
    return str(local) if local.exists() else shutil.which("gunicorn")


NO_CONTROL_SOCKET = "--no-control-socket"  # gunicorn's control socket (~/.gunicorn/gunicorn.ctl) is one per machine


def production_args() -> list[str]:
    """The options of the documented production command (between `gunicorn` and the app), without -b."""
    m = re.search(r"^\.venv/bin/gunicorn (.+) dashboard\.wsgi:server$", DOC.read_text(encoding="utf-8"), re.M)
    assert m, f"{DOC}: no production gunicorn command"
    args = shlex.split(m.group(1))
    i = args.index("-b")
    return args[:i] + args[i + 2:]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.3)


def start_gunicorn(data_dir: Path, port: int, env: dict | None = None, *, log=subprocess.DEVNULL,
                   extra: list[str] | None = None) -> subprocess.Popen:
    # no control socket: its default path is one per machine, and test servers run side by side
    cmd = [gunicorn(), *production_args(), NO_CONTROL_SOCKET, *(extra or []), "-b", f"127.0.0.1:{port}",
           "dashboard.wsgi:server"]
    full_env = dict(os.environ, BORDERSTATS_DATA_DIR=str(data_dir), **(env or {}))
    full_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), full_env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log, stderr=log)
    wait_for(f"http://127.0.0.1:{port}/healthz", proc)
    return proc


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def nginx_site() -> str:
    """The ```nginx block of docs/dashboard.md."""
    m = re.search(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert m, f"{DOC}: no nginx configuration"
    return m.group(1)


def nginx_conf(prefix: Path, listen: int, upstream: int) -> Path:
    """The documented site on loopback ports with a cache folder under `prefix`, in a main configuration that
    runs in the foreground as the current user."""
    site = nginx_site()
    for old, new in (("listen 80;", f"listen 127.0.0.1:{listen};"),
                     ("server 127.0.0.1:8050;", f"server 127.0.0.1:{upstream};"),
                     ("/var/cache/nginx/borderstats", str(prefix / "cache"))):
        assert old in site, old
        site = site.replace(old, new)
    temp = prefix / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # else the workers run as nobody
    conf = prefix / "nginx.conf"
    conf.write_text(f"""{user}daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
""", encoding="utf-8")
    return conf


def start_nginx(prefix: Path, listen: int, upstream: int) -> subprocess.Popen:
    conf = nginx_conf(prefix, listen, upstream)
    log = open(prefix / "stderr.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([nginx(), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                            stdout=log, stderr=log)
    wait_for(f"http://127.0.0.1:{listen}/healthz", proc, 20)
    return proc


def start_app(data_dir: Path, port: int, *args: str, env: dict | None = None, log=subprocess.DEVNULL,
              drop_env: tuple[str, ...] = ()) -> subprocess.Popen:
    """`python app.py` (the README's command) on a loopback port, over `data_dir`, with extra options `args`;
    returns once /healthz answers."""
    full_env = {k: v for k, v in os.environ.items() if k not in drop_env}
    full_env.update(BORDERSTATS_PUBLIC_URL=f"http://127.0.0.1:{port}", **(env or {}))
    full_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), full_env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(data_dir), *args],
                            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT if log is not None else None)
    wait_for(f"http://127.0.0.1:{port}/healthz", proc, 60)
    return proc
