"""One module per CLI verb; each exposes plain functions that cli.py calls."""
