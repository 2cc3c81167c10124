"""WSGI entry point for production: gunicorn -w 3 -b 0.0.0.0:8050 dashboard.wsgi:server"""
from .app import create_app

app = create_app()
server = app.server
