"""Start the dashboard: python app.py [--host HOST] [--port PORT] [--debug] [--data-dir DIR] [--no-fetch]
[--mirror DIR]."""
from __future__ import annotations

import argparse
import os
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Serve the border statistics dashboard. On a first start (no publisher's data yet) it "
                    "fetches every source in the background, as `borderstats refresh` does, and every page shows "
                    "the progress, then the charts.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--data-dir", default=None, help="data directory (default $BORDERSTATS_DATA_DIR or ./data)")
    parser.add_argument("--no-fetch", action="store_true",
                        help="do not fetch the sources on a first start (default: fetch, unless "
                             "$BORDERSTATS_NO_FETCH=1); the pages then show the bundled reference data only")
    parser.add_argument("--mirror", metavar="DIR", type=Path, default=None,
                        help="on a first start, read each source's files from DIR/<source id>/ instead of the "
                             "network (default $BORDERSTATS_MIRROR)")
    return parser


def main(argv=None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.mirror is not None and not args.mirror.is_dir():
        parser.error(f"--mirror {args.mirror}: no such folder")
    from dashboard.app import create_app

    app = create_app(args.data_dir, fetch=False if args.no_fetch else None, mirror=args.mirror)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
