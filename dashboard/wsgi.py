"""WSGI entry point for production (docs/dashboard.md):
gunicorn -k gthread -w 2 --threads 16 -b 127.0.0.1:8050 --timeout 120 dashboard.wsgi:server

$BORDERSTATS_NO_FETCH=1 turns off the first-run refresh, $BORDERSTATS_MIRROR=DIR makes it read a folder; of the two
workers, the one that takes the refresh lock runs it and both show its progress."""
from .app import create_app

app = create_app()
server = app.server
