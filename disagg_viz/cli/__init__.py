"""Command line: simulate, estimate, validate, schema; bare command or FILE opens the app."""
