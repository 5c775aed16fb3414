"""Corpus-wide logic that looks across articles: near-duplicate bodies, names shared by articles."""
