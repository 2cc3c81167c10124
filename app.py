"""Start the dashboard: python app.py [--host HOST] [--port PORT] [--debug] [--data-dir DIR]."""
from __future__ import annotations

import argparse
import os


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve the border statistics dashboard.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--data-dir", default=None, help="data directory (default $BORDERSTATS_DATA_DIR or ./data)")
    args = parser.parse_args(argv)
    from dashboard.app import create_app

    app = create_app(args.data_dir)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
