"""The Dash app. Reads releases only through dashboard.data_access."""
