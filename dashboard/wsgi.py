"""WSGI entry point for production (docs/dashboard.md):
gunicorn -k gthread -w 2 --threads 16 -b 127.0.0.1:8050 --timeout 120 dashboard.wsgi:server"""
from .app import create_app

app = create_app()
server = app.server
