"""The per-rule figures in docs/extraction.md are what the rules do now on the two gold sets.

docs/figures/*_by_rule.json are `pipeline evaluate --by-rule --json` outputs; `pipeline docs`
builds the rule table from them. Here both are computed again with the real model and compared,
so a rule changed without its figures (or the table) fails. Needs the shared real-pages-dev folder
beside the clone (or REAL_PAGES_DEV), like tests/unit/test_gold_real_news.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

REPO = Path(__file__).resolve().parents[2]
FIGURES = REPO / "docs" / "figures"


def bodies() -> Path:
    override = os.environ.get("REAL_PAGES_DEV")
    path = (Path(override) if override else REPO.parent / "shared" / "real-pages-dev") / "ground-truth.json"
    if not path.is_file():
        pytest.fail(f"the shared real-pages-dev folder is missing: {path} does not exist", pytrace=False)
    return path


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("real_news", ["tests/gold/real_news.jsonl", "--bodies", "BODIES"]),
        ("kenya", ["tests/gold/kenya.jsonl", "--raw", "tests/gold"]),
    ],
)
def test_rule_figures_are_current(name: str, arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    arguments = [str(bodies()) if argument == "BODIES" else argument for argument in arguments]
    result = CliRunner().invoke(cli, ["evaluate", *arguments, "--by-rule", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    stored = json.loads((FIGURES / f"{name}_by_rule.json").read_text(encoding="utf-8"))
    assert json.loads(result.output) == stored, (
        f"rerun `pipeline evaluate ... --by-rule --json > docs/figures/{name}_by_rule.json`, `pipeline docs`"
    )
    for rule in stored["rules"]:
        changes = rule["changes"].values()
        assert sum(c["right"] for c in changes) >= sum(c["wrong"] for c in changes), rule["rule"]
