"""Callbacks, one module per page; they register with dash.callback and import without a running app."""
