"""The build: a digest of the code, catalogues and reference files that shape what the dashboard answers.

Stored answers, exports and ETags are keyed by the release *and* the build (data_access.ReleaseData.token,
export/routes.py), so after an upgrade (new wording, a fixed chart, a new translation) nothing made by the old code
is served for the same release: a Spanish PNG drawn before the Spanish source lines existed kept its English
source line in the export cache until the next release.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "data" / "reference"
PATTERNS = ((HERE, "**/*.py"), (HERE, "locale/**/*.po"), (HERE, "assets/*.js"), (HERE, "export/static/*"),
            (REFERENCE, "*.toml"), (REFERENCE, "*.csv"))


@lru_cache(maxsize=1)
def token() -> str:
    """12 hex digits, the same on every machine running the same files."""
    digest = hashlib.sha256()
    for root, pattern in PATTERNS:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(HERE.parent)).encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
