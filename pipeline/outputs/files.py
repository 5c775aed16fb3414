"""The names of the files a release is made of, written once."""

from __future__ import annotations

RELEASE_FILE = "news.db"
METADATA_FILE = "datasette-metadata.json"
CHECKSUMS_FILE = "SHA256SUMS"
