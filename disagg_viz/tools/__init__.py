"""Command-line tools around the app (screenshots)."""
