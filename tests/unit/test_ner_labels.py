"""Models of other label schemes: a WikiNER-trained model's PER is a PERSON, its MISC no name."""

from __future__ import annotations

from pathlib import Path

import spacy

from pipeline.extract.article import ArticleForExtraction
from pipeline.extract.ner import load_model, model_spans

BODY = "Bürgermeisterin Anna Petersen eröffnete in Köln die Messe der Deutschen Bahn für Europäer."


def wikiner_style_model(folder: Path) -> Path:
    """A German pipeline whose `ner` labels as spaCy's German, French or Spanish models do."""
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Anna Petersen"},
            {"label": "LOC", "pattern": "Köln"},
            {"label": "ORG", "pattern": "Deutschen Bahn"},
            {"label": "MISC", "pattern": "Europäer"},
        ]
    )
    nlp.to_disk(folder)
    return folder


def test_a_wikiner_model_s_people_are_persons_and_its_misc_spans_are_no_names(tmp_path: Path) -> None:
    nlp = load_model(str(wikiner_style_model(tmp_path / "de_model")), ())
    article = ArticleForExtraction("a", {"body": BODY}, None, 13, {})
    ((_, candidates, _),) = model_spans(nlp, [article], batch_size=8)
    found = {(c.text, c.label, c.model_label) for c in candidates if c.origin == "model"}
    assert found == {
        ("Anna Petersen", "PERSON", "PERSON"),
        ("Köln", "LOC", "LOC"),
        ("Deutschen Bahn", "ORG", "ORG"),
    }
    assert all(BODY[c.start : c.end] == c.text for c in candidates)
