"""Exports of the dashboard's charts: images (PNG, SVG, PDF), the plotted numbers as CSV, embeds.

One registry (`registry.py`) names every chart and knows which page draws it; the same state,
parsed from the same query string, gives the same figure on the page, in `/export/...`, in
`/embed/...` and from `borderstats export`.
"""
from dashboard.i18n import N_

# the dashboard's name (dashboard.NAME), in the footer of every image, the embed pages and the CSV's sidecar:
# marked here for the catalogue, translated where it is shown, _(NAME)
N_("Border migration statistics")
