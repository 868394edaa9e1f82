"""Data access for the party-cell dashboard: models, settings, metrics in SQL, import, demo data, CLI.

This package never imports Streamlit, so the CLI, the tests and the benchmark run without a server.
"""
