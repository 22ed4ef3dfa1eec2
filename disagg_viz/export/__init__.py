"""Exports that need no Qt: per-request CSV and the scoreboard as JSON."""
