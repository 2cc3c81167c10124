"""Pure functions from release tables (pandas frames) to the small tidy frames pages show.

The browser gets these aggregates, never raw rows.
"""
