"""Downloads of the current release's tables: /download/<table>.<csv|parquet>.

The table name is checked against the table contract (data_access.TABLES) and the format against
{csv, parquet} before any path is built; anything else is a 404. The file is streamed from the
current release folder, with the release id in the file name.
"""
from __future__ import annotations

from flask import abort, send_file


from . import data_access

FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
ENDPOINT = "borderstats_download"


def parse_name(name: str) -> tuple[str, str] | None:
    """'encounters.csv' -> ('encounters', 'csv'); None for anything that is not a known table and format."""
    table, dot, fmt = str(name).rpartition(".")
    if not dot or table not in data_access.TABLES or fmt not in FORMATS:
        return None
    return table, fmt


def href(table: str, fmt: str) -> str:
    return f"/download/{table}.{fmt}"


def filename(release_id: str, table: str, fmt: str) -> str:
    return f"borderstats-{release_id}-{table}.{fmt}"


def register(server) -> None:
    """Add the download route to the Flask server (idempotent)."""
    if ENDPOINT in server.view_functions:
        return

    def download(name: str):
        parsed = parse_name(name)
        if parsed is None:
            abort(404)
        table, fmt = parsed
        data = data_access.current()
        if data is None:
            abort(404)
        path = data.release.table_path(table, fmt)  # built from the validated names only
        if not path.is_file():
            abort(404)
        response = send_file(path, mimetype=FORMATS[fmt], as_attachment=True,
                             download_name=filename(data.id, table, fmt), conditional=True, max_age=3600)
        response.headers["X-Borderstats-Release"] = data.id
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    server.add_url_rule("/download/<path:name>", ENDPOINT, download, methods=["GET", "HEAD"])
