"""Chart builders: pure functions from tidy frames to Plotly figures."""
