"""Score predicted entity spans against a hand-checked gold file.

Scoring is pure: no spaCy, no database. :func:`pipeline_spans` runs the pipeline's own
extraction (decode, clean, model, gazetteer and every resolution rule, exactly the code the
enrich stage uses) over the gold files in memory, and :func:`bare_model_spans` runs the spaCy
model alone over the decoded text, for the before/after comparison; both give :class:`Span`
lists keyed by file name for :func:`score`.

Matching rules:

* Labels are first mapped through an optional label map, on both sides. A label
  the map does not mention stays as it is.
* The per-type and micro figures count a predicted span as a true positive only
  when start, end and (mapped) label all equal a gold span.
* The boundary figures ignore the label: start and end must match.
* A file that is in the gold data but absent from the predictions counts all its
  gold spans as false negatives. Predicted files that are not in the gold data
  are ignored.
* Duplicate spans (same start, end and label after mapping) count once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigurationError
from pipeline.schema.vocab import ARTICLE_FIELDS, NAME_TYPES

__all__ = [
    "EvaluationReport",
    "Scores",
    "Span",
    "bare_model_spans",
    "format_report",
    "load_gold",
    "parse_label_map",
    "pipeline_spans",
    "report_as_dict",
    "score",
]

_LABEL_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True, order=True)
class Span:
    """One entity mention: character offsets into the decoded file and a label.

    Attributes:
        start: offset of the first character (Python ``str`` index).
        end: offset one past the last character.
        label: the entity type, e.g. ``"PERSON"``.
        text: the covered text; informative only, never used for matching.
    """

    start: int
    end: int
    label: str
    text: str = ""


@dataclass
class Scores:
    """True positive, false positive and false negative counts with derived ratios.

    Attributes:
        tp: spans found in both gold and prediction.
        fp: predicted spans not in the gold data.
        fn: gold spans the prediction missed.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Return tp / (tp + fp), or 0.0 when nothing was predicted."""
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        """Return tp / (tp + fn), or 0.0 when the gold data has no spans."""
        support = self.tp + self.fn
        return self.tp / support if support else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall, or 0.0 when both are 0."""
        precision, recall = self.precision, self.recall
        total = precision + recall
        return 2 * precision * recall / total if total else 0.0

    @property
    def support(self) -> int:
        """Return the number of gold spans (tp + fn)."""
        return self.tp + self.fn

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        """Add counts in place.

        Args:
            tp: true positives to add.
            fp: false positives to add.
            fn: false negatives to add.
        """
        self.tp += tp
        self.fp += fp
        self.fn += fn


@dataclass
class EvaluationReport:
    """The result of :func:`score`.

    Attributes:
        per_type: exact-match scores for each (mapped) label seen in gold or prediction.
        micro: exact-match scores over all labels.
        boundary: scores when only start and end must match.
        files: the number of gold files that were scored.
    """

    per_type: dict[str, Scores] = field(default_factory=dict)
    micro: Scores = field(default_factory=Scores)
    boundary: Scores = field(default_factory=Scores)
    files: int = 0


def _fail(path: Path, line_number: int, message: str) -> ConfigurationError:
    return ConfigurationError(f"{path}: line {line_number}: {message}")


def _int_field(entity: Mapping[str, Any], key: str, path: Path, line_number: int, index: int) -> int:
    value = entity.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, line_number, f"entity {index}: {key!r} must be an integer")
    return value


def _parse_entity(entity: Any, path: Path, line_number: int, index: int) -> Span:
    if not isinstance(entity, dict):
        raise _fail(path, line_number, f"entity {index} is not a JSON object")
    start = _int_field(entity, "start", path, line_number, index)
    end = _int_field(entity, "end", path, line_number, index)
    if start < 0 or end <= start:
        raise _fail(
            path,
            line_number,
            f"entity {index}: need 0 <= start < end, got {start}..{end}",
        )
    label = entity.get("label")
    if not isinstance(label, str) or not label.strip():
        raise _fail(path, line_number, f"entity {index}: 'label' must be a non-empty string")
    text = entity.get("text", "")
    if not isinstance(text, str):
        raise _fail(path, line_number, f"entity {index}: 'text' must be a string")
    return Span(start=start, end=end, label=label, text=text)


def load_gold(path: Path) -> dict[str, list[Span]]:
    """Read a gold annotation file in JSON Lines format.

    Each non-blank line is an object ``{"file": str, "entities": [...]}`` (or ``"id"`` for a
    page whose text is an article body from a bodies file) where every
    entity has integer ``start`` and ``end``, a string ``label`` and optionally a
    string ``text``.

    Args:
        path: the ``.jsonl`` file to read (UTF-8).

    Returns:
        The spans of each file, sorted, keyed by the ``file`` value.

    Raises:
        ConfigurationError: the file cannot be read, or a line is malformed; the
            message names the file and the 1-based line number.
    """
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read gold file: {exc}") from exc
    gold: dict[str, list[Span]] = {}
    for line_number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(path, line_number, f"invalid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise _fail(path, line_number, "expected a JSON object")
        # A real page's record names it by "id" (its text is the page's article body, kept
        # outside the repository); a file of ours by "file".
        name = record.get("file", record.get("id"))
        if not isinstance(name, str) or not name:
            raise _fail(path, line_number, "'file' (or 'id') must be a non-empty string")
        if name in gold:
            raise _fail(path, line_number, f"file {name!r} appears more than once")
        entities = record.get("entities")
        if not isinstance(entities, list):
            raise _fail(path, line_number, "'entities' must be a list")
        gold[name] = sorted(
            _parse_entity(entity, path, line_number, index) for index, entity in enumerate(entities)
        )
    return gold


def parse_label_map(spec: str | None) -> dict[str, str]:
    """Parse a label map such as ``"GPE=LOC,FAC=LOC,LOC=LOC"``.

    Args:
        spec: comma-separated ``SOURCE=TARGET`` pairs; whitespace around items is
            ignored. ``None`` or a blank string means no mapping.

    Returns:
        The mapping from source label to target label.

    Raises:
        ConfigurationError: an item is not ``SOURCE=TARGET``, a label is not a plain
            identifier, or one source label is mapped to two different targets.
    """
    if spec is None or not spec.strip():
        return {}
    mapping: dict[str, str] = {}
    for raw_item in spec.split(","):
        item = raw_item.strip()
        source, sep, target = item.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not _LABEL_RE.match(source) or not _LABEL_RE.match(target):
            raise ConfigurationError(f"label map item {raw_item!r} is not of the form SOURCE=TARGET")
        if mapping.get(source, target) != target:
            raise ConfigurationError(f"label map maps {source!r} to both {mapping[source]!r} and {target!r}")
        mapping[source] = target
    return mapping


def _keys(spans: Iterable[Span], label_map: Mapping[str, str]) -> set[tuple[int, int, str]]:
    return {(span.start, span.end, label_map.get(span.label, span.label)) for span in spans}


def score(
    gold: Mapping[str, Sequence[Span]],
    predicted: Mapping[str, Sequence[Span]],
    label_map: Mapping[str, str] | None = None,
) -> EvaluationReport:
    """Compare predicted spans with gold spans, file by file.

    Args:
        gold: gold spans keyed by file name.
        predicted: predicted spans keyed by file name; files not in ``gold`` are
            ignored, files missing from it count as predicting nothing.
        label_map: optional label renaming applied to both sides before comparing.

    Returns:
        Per-type, micro and boundary scores.
    """
    mapping = dict(label_map or {})
    report = EvaluationReport(files=len(gold))
    for name, gold_spans in gold.items():
        gold_keys = _keys(gold_spans, mapping)
        pred_keys = _keys(predicted.get(name, ()), mapping)
        for key in gold_keys | pred_keys:
            in_gold, in_pred = key in gold_keys, key in pred_keys
            report.per_type.setdefault(key[2], Scores()).add(
                tp=int(in_gold and in_pred),
                fp=int(in_pred and not in_gold),
                fn=int(in_gold and not in_pred),
            )
        gold_bounds = {(start, end) for start, end, _ in gold_keys}
        pred_bounds = {(start, end) for start, end, _ in pred_keys}
        report.boundary.add(
            tp=len(gold_bounds & pred_bounds),
            fp=len(pred_bounds - gold_bounds),
            fn=len(gold_bounds - pred_bounds),
        )
    for scores in report.per_type.values():
        report.micro.add(tp=scores.tp, fp=scores.fp, fn=scores.fn)
    return report


_HEADER = ("type", "precision", "recall", "F1", "support", "tp", "fp", "fn")


def _row(name: str, scores: Scores) -> tuple[str, ...]:
    return (
        name,
        f"{scores.precision:.3f}",
        f"{scores.recall:.3f}",
        f"{scores.f1:.3f}",
        str(scores.support),
        str(scores.tp),
        str(scores.fp),
        str(scores.fn),
    )


def format_report(report: EvaluationReport) -> str:
    """Render a report as a fixed-width text table.

    One row per label, sorted by label, then a ``micro`` row and a ``boundary`` row,
    each below a rule. The first column is left-aligned, numbers right-aligned.

    Args:
        report: the result of :func:`score`.

    Returns:
        The table as one string, one line per row, ending in a newline.
    """
    body = [_row(label, report.per_type[label]) for label in sorted(report.per_type)]
    totals = [_row("micro", report.micro), _row("boundary", report.boundary)]
    rows = [_HEADER, *body, *totals]
    widths = [max(len(row[col]) for row in rows) for col in range(len(_HEADER))]

    def render(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells.extend(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join(cells).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    lines = [render(_HEADER), rule, *(render(row) for row in body), rule]
    lines.extend(render(row) for row in totals)
    lines.append(f"files: {report.files}")
    return "\n".join(lines) + "\n"


def _scores_dict(scores: Scores) -> dict[str, float | int]:
    return {
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "support": scores.support,
        "tp": scores.tp,
        "fp": scores.fp,
        "fn": scores.fn,
    }


def report_as_dict(report: EvaluationReport) -> dict[str, Any]:
    """Convert a report to plain data for ``json.dumps``.

    Args:
        report: the result of :func:`score`.

    Returns:
        ``{"files": int, "per_type": {label: scores}, "micro": scores,
        "boundary": scores}`` where each ``scores`` holds precision, recall, f1,
        support, tp, fp and fn; labels are sorted.
    """
    return {
        "files": report.files,
        "per_type": {label: _scores_dict(report.per_type[label]) for label in sorted(report.per_type)},
        "micro": _scores_dict(report.micro),
        "boundary": _scores_dict(report.boundary),
    }


@dataclass(frozen=True)
class GoldDocument:
    """One gold document as the pipeline reads it, and the text the gold offsets point into.

    Attributes:
        key: the gold record's file name or page id.
        text: what the gold's offsets index (the decoded file, or the page's article body).
        article: the article the extraction reads; its offset map leads back into `text`.
    """

    key: str
    text: str
    article: Any


def _decoded(raw_dir: Path, name: str) -> str:
    from pipeline.errors import RejectedInput
    from pipeline.sources.decoding import decode_raw

    path = raw_dir / name
    try:
        return decode_raw(path.read_bytes()).text
    except OSError as error:
        raise ConfigurationError(f"{path}: cannot read gold file's article: {error.strerror}") from error
    except RejectedInput as rejected:
        raise ConfigurationError(f"{path}: {rejected.reason}") from rejected


def load_bodies(path: Path) -> dict[str, str]:
    """``{page id: articleBody}`` from a ground-truth file such as real-pages-dev's."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {page: str(record["articleBody"]) for page, record in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigurationError(f"{path}: cannot read article bodies: {error}") from error


def _file_document(raw_dir: Path, name: str, settings: Any) -> GoldDocument:
    from pipeline.extract.article import ArticleForExtraction
    from pipeline.sources.plaintext import clean_text

    text = _decoded(raw_dir, name)
    cleaned = clean_text(text, max_line_chars=settings.max_line_chars)
    columns = {field: getattr(cleaned, field) for field in ARTICLE_FIELDS}
    article = ArticleForExtraction(
        name, columns, cleaned.dateline_place, cleaned.word_count, cleaned.offset_map
    )
    return GoldDocument(name, text, article)


def _body_document(page: str, body: str) -> GoldDocument:
    """A page's article body as the body column, offsets unchanged (the gold indexes the body)."""
    from pipeline.extract.article import ArticleForExtraction

    columns = {field: (body if field == "body" else None) for field in ARTICLE_FIELDS}
    article = ArticleForExtraction(page, columns, None, len(body.split()), {"body": [[0, 0, len(body)]]})
    return GoldDocument(page, body, article)


def gold_documents(
    keys: Iterable[str], raw_dir: Path, settings: Any, bodies: Mapping[str, str] | None = None
) -> list[GoldDocument]:
    """The documents of a gold file: page ids from `bodies`, other keys as files in `raw_dir`."""
    documents = []
    for key in keys:
        if bodies is not None and key in bodies:
            documents.append(_body_document(key, bodies[key]))
        elif bodies is not None and "/" not in key and not key.endswith(".txt"):
            raise ConfigurationError(f"gold page {key!r} is not in the article bodies given")
        else:
            documents.append(_file_document(raw_dir, key, settings))
    return documents


def pipeline_spans(documents: Sequence[GoldDocument], settings: Any) -> dict[str, list[Span]]:
    """What the pipeline publishes as mentions for each document, as spans in its gold text.

    The extraction is the enrich stage's own code (model, gazetteer and every rule).
    """
    from pipeline.extract.article import extract_article
    from pipeline.extract.ner import load_model, model_spans

    nlp = load_model(settings.model, settings.excluded_components)
    articles = [document.article for document in documents]
    predicted: dict[str, list[Span]] = {}
    for article, spans, sentences in model_spans(nlp, articles, settings.batch_size):
        extraction = extract_article(article, spans, sentences)
        predicted[article.id] = sorted(
            Span(row.raw_start, row.raw_end, row.label, row.text)
            for row in extraction.mentions
            if row.raw_start is not None and row.raw_end is not None
        )
    return predicted


def bare_model_spans(documents: Sequence[GoldDocument], settings: Any) -> dict[str, list[Span]]:
    """The spaCy model alone over each document's gold text: name types only, no rules, no gazetteer."""
    import spacy

    nlp = spacy.load(settings.model, exclude=list(settings.excluded_components))
    predicted: dict[str, list[Span]] = {}
    texts = (document.text for document in documents)
    for document, doc in zip(documents, nlp.pipe(texts), strict=True):
        predicted[document.key] = sorted(
            Span(ent.start_char, ent.end_char, ent.label_, ent.text)
            for ent in doc.ents
            if ent.label_ in NAME_TYPES
        )
    return predicted


def rule_effects(documents: Sequence[GoldDocument], gold: Mapping[str, Sequence[Span]], settings: Any) -> Any:
    """What each rule did on the gold documents, judged against the gold, and the scores after it."""
    from pipeline.extract.article import article_candidates
    from pipeline.extract.ner import load_model, model_spans
    from pipeline.extract.rules.effects import measure_rules

    nlp = load_model(settings.model, settings.excluded_components)
    runs = []
    for article, spans, _sentences in model_spans(nlp, [d.article for d in documents], settings.batch_size):
        text, candidates = article_candidates(article, spans)
        runs.append((article.offset_map, text, candidates, gold.get(article.id, ())))
    return measure_rules(runs)
