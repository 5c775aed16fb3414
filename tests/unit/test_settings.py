"""Settings: which NER model reads an article of each language."""

from __future__ import annotations

from pipeline.settings import DEFAULT_MODEL, Settings


def test_english_and_unknown_languages_use_the_model() -> None:
    settings = Settings(model="english_package")
    assert settings.model_for("en") == "english_package"
    assert settings.model_for(None) == "english_package"  # too short to tell: the default language
    assert Settings().model_for("en") == DEFAULT_MODEL


def test_other_languages_need_a_model_of_their_own() -> None:
    settings = Settings(language_models={"de": "german_package"})
    assert settings.model_for("de") == "german_package"
    assert settings.model_for("ru") is None
    assert Settings(language_models={"en": "other_english"}).model_for(None) == "other_english"
