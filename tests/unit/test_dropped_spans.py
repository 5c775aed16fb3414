"""What the rules drop of the model's and the gazetteer's spans is recorded, with the rule that did it."""

from __future__ import annotations

from pipeline.extract.article import ArticleForExtraction, extract_article
from pipeline.extract.candidate import Candidate
from pipeline.extract.drops import DropLog
from pipeline.extract.rules import RULES, ArticleText, RuleChange, apply_rules

BODY = "Missions left Nairobi on Monday. Two missions came back to Nairobi."
RAW_OFFSET = 40
"""The body starts this far into the raw document, so raw offsets differ from column offsets."""


def _span(text: str, label: str, origin: str, occurrence: int = 0) -> Candidate:
    start = -1
    for _ in range(occurrence + 1):
        start = BODY.index(text, start + 1)
    model_label = label if origin == "model" else None
    return Candidate("body", start, start + len(text), text, label, model_label, origin)


def _article() -> ArticleForExtraction:
    return ArticleForExtraction(
        "a1", {"body": BODY}, None, len(BODY.split()), {"body": [[0, RAW_OFFSET, len(BODY)]]}
    )


def test_a_dropped_span_is_recorded_with_the_rule_and_a_kept_duplicate_is_not() -> None:
    missions = _span("Missions", "ORG", "model")
    nairobi = [_span("Nairobi", "GPE", origin, n) for n in (0, 1) for origin in ("model", "gazetteer")]
    extraction = extract_article(_article(), [missions, *nairobi], {"body": [0, 33]})

    # both Nairobis stay (one mention each: the gazetteer's copy was a duplicate, not a drop)
    assert [(m.text, m.start) for m in extraction.mentions] == [
        ("Nairobi", BODY.index("Nairobi")),
        ("Nairobi", BODY.rindex("Nairobi")),
    ]
    assert [(d.text, d.rule, d.origin, d.label, d.model_label) for d in extraction.dropped] == [
        ("Missions", "common words", "model", "ORG", "ORG")
    ]
    dropped = extraction.dropped[0]
    assert BODY[dropped.start : dropped.end] == dropped.text
    assert (dropped.raw_start, dropped.raw_end) == (RAW_OFFSET + dropped.start, RAW_OFFSET + dropped.end)
    assert BODY[dropped.sentence_start : dropped.sentence_end] == "Missions left Nairobi on Monday."
    assert dropped.rule in {rule.name for rule in RULES}


def test_the_duplicate_removal_is_in_the_change_stream_but_is_no_drop() -> None:
    # The stream does report the gazetteer's copy as removed; only the final mentions tell it apart.
    model, gazetteer = _span("Nairobi", "GPE", "model"), _span("Nairobi", "GPE", "gazetteer")
    log = DropLog()
    final = apply_rules(ArticleText({"body": BODY}), [model, gazetteer], on_change=log)
    assert [(d.candidate.origin, d.rule) for d in log.removals] == [("gazetteer", "gazetteer spans")]
    assert [c.text for c in final] == ["Nairobi"]
    assert log.dropped(final) == []


def test_a_span_removed_twice_is_recorded_once_with_the_last_rule() -> None:
    # The gazetteer's copy goes first (a duplicate of the model's); the model's copy is then
    # dropped as a common word: the span is gone, and "common words" is why.
    model, gazetteer = _span("Missions", "ORG", "model"), _span("Missions", "ORG", "gazetteer")
    log = DropLog()
    final = apply_rules(ArticleText({"body": BODY}), [model, gazetteer], on_change=log)
    assert [(d.candidate.origin, d.rule) for d in log.removals] == [
        ("gazetteer", "gazetteer spans"),
        ("model", "common words"),
    ]
    assert final == []
    assert [(d.candidate.origin, d.rule) for d in log.dropped(final)] == [("model", "common words")]


def test_a_span_a_rule_added_and_another_removed_is_no_drop() -> None:
    added = Candidate("body", 0, 8, "Missions", "ORG", None, "alias in article")
    log = DropLog()
    log(RuleChange("overlaps", "removed", added, None))
    assert log.removals == []
