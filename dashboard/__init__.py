"""The Dash app. Reads releases only through dashboard.data_access."""

NAME = "Border migration statistics"  # in page titles, chart exports and embeds
