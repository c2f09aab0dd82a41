"""Shared Qt pieces: colours, theme, throttling, the banner."""
