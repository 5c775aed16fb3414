"""Near-duplicate flags: trivial differences are flagged, different stories are not."""

from __future__ import annotations

import random
from collections.abc import Collection

from conftest import article_row
from sqlalchemy import Engine, delete, insert, select

from pipeline.corpus.near_duplicates import (
    THRESHOLD,
    NearDuplicate,
    candidate_pairs,
    find_near_duplicates,
    flag_near_duplicates,
    normal_form,
    signature,
    similarity,
)
from pipeline.schema.models import Article

STORY = (
    "Members of the National Assembly on Thursday voted 186 to 97 to send the Finance Bill back "
    "to the Budget and Appropriations Committee, after a heated debate over a proposed levy on "
    "mobile money transfers.\n\nCommittee chair Joseph Kiprono Langat said the committee would hold "
    "fresh public hearings in Nakuru, Kisumu and Mombasa before the end of the month."
)
TRIVIALLY_CHANGED = STORY.replace("Thursday voted", "Thursday  voted").replace("month.", "month!")
ONE_WORD_CHANGED = STORY.replace("fresh public", "new public")
# Same template, same length, different facts: what a wire service's follow-up story looks like.
SAME_TEMPLATE_OTHER_STORY = (
    "Members of the County Assembly on Tuesday voted 31 to 12 to send the Water Bill back to the "
    "Environment and Natural Resources Committee, after a long debate over a proposed fee on "
    "borehole drilling permits.\n\nCommittee chair Mary Wanjiru Njoroge said the committee would "
    "visit Garissa, Wajir and Mandera before the end of the year."
)
OTHER_STORY = (
    "The Independent Electoral and Boundaries Commission began public hearings on the review of "
    "constituency boundaries on Monday, with residents of Kisumu and Siaya the first to speak."
)


def test_normal_form_ignores_spacing_punctuation_and_case() -> None:
    assert normal_form("The House  voted,\n186 to 97!") == "the house voted 186 to 97"
    assert normal_form(STORY) == normal_form(TRIVIALLY_CHANGED)
    assert normal_form(" .,; ") == ""


def test_similarity_is_one_for_trivial_differences_and_low_for_other_stories() -> None:
    assert similarity(STORY, TRIVIALLY_CHANGED) == 1.0
    assert THRESHOLD <= similarity(STORY, ONE_WORD_CHANGED) < 1.0
    assert similarity(STORY, SAME_TEMPLATE_OTHER_STORY) < THRESHOLD
    assert similarity(STORY, OTHER_STORY) < 0.5


def test_signature_is_deterministic_and_equal_for_equal_normal_forms() -> None:
    first = signature(normal_form(STORY))
    assert first is not None
    assert (first == signature(normal_form(TRIVIALLY_CHANGED))).all()
    assert (first == signature(normal_form(STORY))).all()
    assert signature("") is None
    short = signature("two words")
    assert short is not None and (short == signature("two words")).all()


def test_candidates_include_near_copies_and_leave_out_unrelated_articles() -> None:
    signatures = {
        key: signature(normal_form(text))
        for key, text in {"a": STORY, "b": ONE_WORD_CHANGED, "c": OTHER_STORY}.items()
    }
    pairs = candidate_pairs(signatures)
    assert ("a", "b") in pairs
    assert ("a", "c") not in pairs and ("b", "c") not in pairs


def test_lower_id_is_the_original_and_different_stories_are_not_flagged() -> None:
    flags = find_near_duplicates(
        [
            ("b000", TRIVIALLY_CHANGED),
            ("a000", STORY),
            ("c000", SAME_TEMPLATE_OTHER_STORY),
            ("d000", OTHER_STORY),
            ("e000", ""),
        ]
    )
    assert flags == {"b000": NearDuplicate("a000", 1.0)}


def test_a_copy_points_to_its_most_similar_lower_id_article() -> None:
    flags = find_near_duplicates([("a", ONE_WORD_CHANGED), ("b", STORY), ("c", TRIVIALLY_CHANGED)])
    assert flags["b"].original == "a" and flags["b"].similarity < 1.0
    # "c" is as close to "a" as "b" is, but identical (after normalisation) to "b".
    assert flags["c"] == NearDuplicate("b", 1.0)
    assert "a" not in flags


def test_streamed_bodies_give_the_same_flags_and_only_colliding_bodies_are_fetched_again() -> None:
    bodies = {
        "a000": STORY,
        "b000": TRIVIALLY_CHANGED,
        "c000": SAME_TEMPLATE_OTHER_STORY,
        "d000": OTHER_STORY,
    }
    asked: list[str] = []

    def fetch(article_ids: Collection[str]) -> dict[str, str]:
        asked.extend(article_ids)
        return {article_id: bodies[article_id] for article_id in article_ids}

    streamed = find_near_duplicates(iter(bodies.items()), fetch_bodies=fetch)
    assert streamed == find_near_duplicates(bodies.items()) == {"b000": NearDuplicate("a000", 1.0)}
    assert "a000" in asked and "b000" in asked
    assert "d000" not in asked  # a different story never collides, so its body is not read again


def test_many_distinct_articles_make_few_candidate_pairs() -> None:
    vocabulary = sorted(set(normal_form(STORY + " " + SAME_TEMPLATE_OTHER_STORY + " " + OTHER_STORY).split()))
    texts = {}
    for index in range(300):
        chooser = random.Random(index)
        words = [chooser.choice(vocabulary) for _ in range(150)]
        texts[f"{index:04d}"] = " ".join(words) + " " + OTHER_STORY  # every article shares a paragraph
    signatures = {key: signature(normal_form(text)) for key, text in texts.items()}
    assert len(candidate_pairs(signatures)) < 300  # of 44,850 pairs
    assert find_near_duplicates(texts.items()) == {}


def test_flags_are_written_and_cleared_in_the_database(migrated_engine: Engine) -> None:
    article = article_row
    with migrated_engine.begin() as connection:
        connection.execute(
            insert(Article),
            [article("a" * 16, STORY), article("b" * 16, TRIVIALLY_CHANGED), article("c" * 16, OTHER_STORY)],
        )
        assert flag_near_duplicates(connection) == 1
        rows = connection.execute(
            select(Article.id, Article.near_duplicate_of, Article.near_duplicate_similarity).order_by(
                Article.id
            )
        ).all()
        assert [tuple(row) for row in rows] == [
            ("a" * 16, None, None),
            ("b" * 16, "a" * 16, 1.0),
            ("c" * 16, None, None),
        ]
        # clean rebuilds a changed article (delete, insert): its stored bands go with it
        connection.execute(delete(Article).where(Article.id == "b" * 16))
        connection.execute(insert(Article), [article("b" * 16, SAME_TEMPLATE_OTHER_STORY)])
        assert flag_near_duplicates(connection) == 0
        assert (
            connection.execute(select(Article.near_duplicate_of).where(Article.id == "b" * 16)).scalar()
            is None
        )
