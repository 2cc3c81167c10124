"""The public base URL of the site (BORDERSTATS_PUBLIC_URL), for every absolute link: never the Host header."""
from __future__ import annotations

import os


def public_url() -> str:
    return os.environ.get("BORDERSTATS_PUBLIC_URL", "http://127.0.0.1:8050").rstrip("/")
