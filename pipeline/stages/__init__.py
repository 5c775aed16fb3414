"""The stages, in order: ingest, clean, enrich, resolve, release.

Each takes the settings and a store, owns its transactions and returns a typed report.
"""
