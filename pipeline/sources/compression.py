"""Compressed raw files (`.gz`): the bytes inside, for the ingest stage to decode.

The ingest stage stores a file's bytes verbatim and calls `decompress` before `decode_raw`, so a
gzipped page (`page.html.gz`) is read as its HTML. Offsets index into the decoded uncompressed
text. WARC files (`.warc.gz`) are not decompressed here: warcio reads them record by record.
"""

from __future__ import annotations

import zlib

from pipeline.errors import RejectedInput
from pipeline.sources.decoding import DEFAULT_MAX_BYTES, describe_size

GZIP_MAGIC = b"\x1f\x8b"
STREAMED_SUFFIXES = (".warc.gz", ".arc.gz")
"""Compressed formats whose sources read the compressed file themselves, as a stream."""


def is_compressed(path: str) -> bool:
    """Whether `decompress` unpacks this file (a `.gz` that is not a streamed WARC)."""
    lowered = path.lower()
    return lowered.endswith(".gz") and not lowered.endswith(STREAMED_SUFFIXES)


def uncompressed_name(path: str) -> str:
    """The name the file has once unpacked: "page.html.gz" -> "page.html"."""
    return path[:-3] if is_compressed(path) else path


def decompress(path: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The uncompressed bytes of a `.gz` file; any other file's bytes unchanged.

    Args:
        path: the file's name (only its suffix is looked at).
        data: the file's bytes as stored.
        max_bytes: larger uncompressed content is rejected (a gzip bomb stops here).

    Raises:
        RejectedInput: the gzip data is truncated or corrupt, or unpacks to more than `max_bytes`.
    """
    if not is_compressed(path):
        return data
    if not data.startswith(GZIP_MAGIC):
        raise RejectedInput("truncated or corrupt gzip: the file does not start with the gzip header")
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    output = bytearray()
    remaining = data
    try:
        while remaining:
            output += decompressor.decompress(remaining, max_bytes + 1 - len(output))
            if len(output) > max_bytes:
                raise RejectedInput(f"gzip content is over the {describe_size(max_bytes)} limit")
            if decompressor.unconsumed_tail:
                remaining = decompressor.unconsumed_tail
                continue
            if not decompressor.eof:
                raise RejectedInput(
                    "truncated or corrupt gzip: the data ends early "
                    f"(after {describe_size(len(output))} unpacked)"
                )
            # another gzip member may follow (concatenated .gz files are valid gzip)
            remaining = decompressor.unused_data
            if remaining:
                if not remaining.startswith(GZIP_MAGIC):
                    if remaining.strip(b"\x00"):
                        raise RejectedInput(
                            "truncated or corrupt gzip: data after the end of the gzip stream"
                        )
                    break
                decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    except zlib.error as error:
        raise RejectedInput(f"truncated or corrupt gzip: {error}") from error
    return bytes(output)


__all__ = ["decompress", "is_compressed", "uncompressed_name"]
