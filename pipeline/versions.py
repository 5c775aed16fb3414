"""Cache keys computed from what an output depends on: code, data files, package versions.

A stage stores, per article, the hash of everything its output was made from. When a rule, a
word list or a model changes, the key changes and the next run redoes the work: nothing is bumped
by hand, so nothing can be forgotten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path

from pipeline.errors import ConfigurationError
from pipeline.ids import ID_SEPARATOR
from pipeline.settings import FAST_MODEL


def _module_files(name: str) -> list[Path]:
    """The source files of a module, or of every module in a package (recursively).

    Found from the top-level package's folder, so that fingerprinting a rule does not import the
    rules package (and every rule with it) on a run that has no text to apply them to.
    """
    top, _, rest = name.partition(".")
    spec = util.find_spec(top)
    if spec is None or spec.origin is None:
        raise ImportError(f"no module named {name!r}")
    if not spec.submodule_search_locations:
        return [Path(spec.origin)]
    files: list[Path] = []
    for folder in spec.submodule_search_locations:
        base = Path(folder, *rest.split(".")) if rest else Path(folder)
        if base.is_dir():
            files.extend(sorted(base.rglob("*.py")))
        elif base.with_suffix(".py").is_file():
            files.append(base.with_suffix(".py"))
    if not files:
        raise ImportError(f"no module named {name!r}")
    return files


def _data_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


@lru_cache(maxsize=32)
def fingerprint(
    modules: tuple[str, ...], data_folders: tuple[Path, ...] = (), packages: tuple[str, ...] = ()
) -> str:
    """SHA-256 over the modules' source files, the data folders' files and the packages' versions.

    Args:
        modules: dotted names of modules or packages whose code the output depends on.
        data_folders: folders of word lists and other data files the code reads.
        packages: installed distributions whose version changes the output (a model, place names).
    """
    digest = hashlib.sha256()
    paths: list[Path] = [path for name in modules for path in _module_files(name)]
    paths += [path for folder in data_folders for path in _data_files(folder)]
    for path in paths:
        digest.update(path.name.encode() + ID_SEPARATOR.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in packages:
        digest.update(f"{package}=={_version(package)}{ID_SEPARATOR}".encode())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def combine(*parts: str | None) -> str:
    """One key from several: an article's inputs plus the code fingerprint, say."""
    return hashlib.sha256(ID_SEPARATOR.join(part or "" for part in parts).encode()).hexdigest()


@lru_cache(maxsize=8)
def model_version(model: str) -> str:
    """The model's language, name and version, read from its meta.json without loading it."""
    if model == FAST_MODEL:
        return f"en_blank_entity_ruler-spacy-{metadata.version('spacy')}"
    try:
        path = Path(model)
        if not path.is_dir():
            # find_spec locates the package without importing it (and spaCy with it)
            spec = util.find_spec(model)
            if spec is None or not spec.submodule_search_locations:
                raise ImportError(model)
            path = Path(next(iter(spec.submodule_search_locations)))
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, ImportError) as error:
        raise ConfigurationError(f"spaCy model {model!r} is not installed or has no meta.json") from error
    return f"{meta.get('lang', '')}_{meta.get('name', model)}-{meta.get('version', '')}"


def text_hash(
    columns: Mapping[str, str | None], dateline_place: str | None, word_count: int, offset_map_json: str
) -> str:
    """What extraction reads of an article (`ArticleForExtraction.from_row`'s arguments), hashed.

    Enrich is keyed on this, not on what clean was given: a page cleaned again to the same text
    and offset map (its site's furniture grew, a sidecar's date changed) keeps its mentions, and
    their raw offsets stay right because the map is part of the key.
    """
    # the offset map is hashed as stored (clean writes it with sorted keys), as extraction reads it
    parts = [sorted(columns.items()), dateline_place, word_count, offset_map_json]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
