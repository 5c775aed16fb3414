"""Turn a folder of scraped news articles into a citable SQLite dataset of entities and mentions."""

__version__ = "0.1.0"
